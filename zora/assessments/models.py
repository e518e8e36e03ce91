"""Frameworks (loaded from files), campaigns, respondents and responses with their scores."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zora.core.i18n import localized
from zora.organisations.models import Organisation


class Framework(models.Model):
    """One version of a framework file. Immutable once it has responses."""

    code = models.SlugField(max_length=64)
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=16)
    title_bg = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    description_bg = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    definition = models.JSONField()
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class Stage(models.TextChoices):
    T0 = "T0", _("T0 — before the services")
    T1 = "T1", _("T1 — after the services")
    T2 = "T2", _("T2 — follow-up")


class Campaign(models.Model):
    class Mode(models.TextChoices):
        NAMED = "named", _("Named respondents, each with an invitation link")
        OPEN = "open", _("Open link")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Mean of the respondents' answers")
        MEDIAN = "median", _("Median of the respondents' answers")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="campaigns"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="campaigns")
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    stage = models.CharField(
        _("stage"),
        max_length=40,
        help_text=_("T0, T1, T2 or a wave name of your own."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.NAMED)
    anonymous = models.BooleanField(
        _("anonymous answers"),
        default=False,
        help_text=_("Open link only: respondents' names and e-mails are not asked or stored."),
    )
    open_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    aggregation = models.CharField(
        _("combining several respondents"),
        max_length=8,
        choices=Aggregation.choices,
        default=Aggregation.MEAN,
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name") or f"{self.framework.code} {self.stage}"


class Subject(models.Model):
    """An organisation assessed in a campaign (a hub's customer, or the city itself)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="subjects")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessed_in"
    )

    class Meta:
        ordering = ["campaign_id", "organisation__slug"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="subject_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.campaign}"


class Respondent(models.Model):
    """A named respondent with a personal invitation link (token stored hashed)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="respondents")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="respondents")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["campaign_id", "id"]
        indexes = [models.Index(fields=["campaign", "subject"])]

    def __str__(self) -> str:
        return self.email or self.name or f"respondent {self.pk}"


class Response(models.Model):
    """One respondent's answers. A submitted response is an immutable snapshot with its scores;
    a correction is a new revision that supersedes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="responses")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="responses")
    respondent = models.ForeignKey(
        Respondent, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    resume_token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict)
    page = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Snapshot of the scores at submission (0–100); `scores` lists the dimensions in order.
    overall = models.FloatField(null=True, blank=True)
    level = models.CharField(max_length=40, blank=True)
    scores = models.JSONField(default=list, blank=True)
    # The encoded answers (one value per answer feature, null for N/A), for aggregation.
    vector = models.JSONField(default=list, blank=True)
    # Profile facts used for cohort statistics, copied from the answers at submission.
    sector = models.CharField(max_length=64, blank=True)
    size_band = models.CharField(max_length=32, blank=True)
    region_code = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "status", "is_current"]),
            models.Index(fields=["subject", "status", "is_current"]),
            models.Index(fields=["framework", "status"]),
        ]

    def __str__(self) -> str:
        return f"response {self.pk} ({self.status})"
