"""Stakeholders: a registry with consent, interview guides and coded interview findings, events
with registrations, attendance, materials and B2B meeting slots.

Personal data lives only in `Stakeholder` (name, contacts, notes) and `Registration` (name,
e-mail). Erasing a stakeholder blanks those fields in place (see services.stakeholder_erase);
no history table tracks them, so nothing of the person remains in the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zora.core.i18n import localized
from zora.core.steps import (
    Quadrant,  # noqa: F401  (re-exported: the apps' code uses it from here)
    StrategyStep,
)


class StakeholderKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class StakeholderType(models.TextChoices):
    PUBLIC_ADMINISTRATION = "public_administration", _("Public administration")
    BUSINESS = "business", _("Business")
    FINANCE = "finance", _("Finance")
    EDUCATION = "education", _("Education")
    RESEARCH = "research", _("Research")
    NGO = "ngo", _("NGO")
    UTILITY = "utility", _("Utility")
    TELECOM = "telecom", _("Telecom")
    MEDIA = "media", _("Media")
    CITIZEN = "citizen", _("Citizen")


class Tag(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="stakeholder_tags"
    )
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="stakeholder_tag_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Stakeholder(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="stakeholders"
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=60,
        blank=True,
        help_text=_("Your own identifier (e.g. from a spreadsheet); imports match on it."),
    )
    kind = models.CharField(
        _("person or organisation"),
        max_length=12,
        choices=StakeholderKind.choices,
        default=StakeholderKind.PERSON,
    )
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=24, choices=StakeholderType.choices)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    affiliation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For a person: the organisation they belong to."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_purpose = models.CharField(
        _("consent purpose"),
        max_length=300,
        blank=True,
        help_text=_("What the person agreed to, e.g. “to be contacted about the strategy”."),
    )
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="stakeholders", verbose_name=_("tags")
    )
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["organisation", "name"]),
            models.Index(fields=["organisation", "type"]),
            models.Index(fields=["organisation", "email"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="stakeholder_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_consent(self) -> bool:
        return self.consent_on is not None and self.erased_at is None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def display_name(self) -> str:
        if self.is_erased:
            return gettext("Erased stakeholder #%(id)s") % {"id": self.pk}
        return self.name


class Code(models.Model):
    """A code of the organisation's codebook (e.g. "skills gap", "broadband")."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="finding_codes"
    )
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name_bg", "name_en", "id"]
        indexes = [models.Index(fields=["organisation", "name_bg"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name") or f"#{self.pk}"

    @property
    def description(self) -> str:
        return localized(self, "description")


class Guide(models.Model):
    """An interview guide: ordered, bilingual questions."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="interview_guides"
    )
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title") or f"#{self.pk}"


class Question(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text_bg = models.TextField(_("question (Bulgarian)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized(self, "text")


class Interview(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="interviews"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.PROTECT, related_name="interviews"
    )
    guide = models.ForeignKey(
        Guide, null=True, blank=True, on_delete=models.SET_NULL, related_name="interviews"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("interviewer"),
    )
    held_on = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-held_on"]),
            models.Index(fields=["stakeholder", "-held_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} ({self.held_on})"


class Note(models.Model):
    """What the stakeholder said in answer to one question (or a free note when no question)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="notes")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("notes"))

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Finding(models.Model):
    """A coded excerpt of an interview: evidence the strategy's SWOT can link to."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="findings"
    )
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="findings")
    note = models.ForeignKey(
        Note, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="findings")
    excerpt = models.TextField(_("excerpt"))
    quadrant = models.CharField(
        _("suggested SWOT quadrant"), max_length=12, choices=Quadrant.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "code"]),
            models.Index(fields=["organisation", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.excerpt[:40]


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    CONFERENCE = "conference", _("Conference")
    B2B = "b2b", _("B2B meeting day")
    FORUM = "forum", _("Forum")


class Event(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    agenda_bg = models.TextField(_("agenda (Bulgarian)"), blank=True)
    agenda_en = models.TextField(_("agenda (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Anyone can see the event and register; otherwise members only."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=False,
        help_text=_("When the event is full, further registrations join a waiting list."),
    )
    strategy_step = models.CharField(
        _("strategy step"), max_length=20, choices=StrategyStep.choices, blank=True
    )
    campaign = models.ForeignKey(
        "assessments.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("assessment campaign"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-starts_at"]),
            models.Index(fields=["organisation", "strategy_step"]),
            models.Index(fields=["is_public", "-starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title") or f"#{self.pk}"

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def agenda(self) -> str:
        return localized(self, "agenda")


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    affiliation = models.CharField(_("organisation"), max_length=200, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    attended = models.BooleanField(_("attended"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["event", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(email=""),
                name="registration_unique_email",
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="registration_unique_user",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        if self.name.startswith("Erased participant #"):
            return gettext("Erased participant #%(id)s") % {"id": self.pk}
        return self.name


class Material(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="events/materials/", blank=True)
    url = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url


class Slot(models.Model):
    """A bilateral meeting slot of a B2B meeting day: a time at a table."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    table = models.CharField(_("table"), max_length=40)

    class Meta:
        ordering = ["starts_at", "table", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "starts_at", "table"], name="slot_unique_time_table"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.starts_at:%H:%M}"


class Meeting(models.Model):
    """A bilateral meeting between two registrations, booked into one slot. The slot is unique
    (it cannot be double-booked); services check that neither participant holds an overlapping
    meeting, under a row lock on both registrations."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    slot = models.OneToOneField(Slot, on_delete=models.CASCADE, related_name="meeting")
    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["first", "starts_at"]),
            models.Index(fields=["second", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first=models.F("second")), name="meeting_two_participants"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_id} × {self.second_id} @ {self.slot_id}"
