"""Strategies: SWOT with evidence, vision, priorities → objectives → actions (with milestones,
budgets and funding), KPIs with measurements, all recorded by django-simple-history.

The tree is strategy → priority → objective → action (→ sub-action …). Every node stores its
progress denormalised (`progress`), recomputed for the whole tree by one function,
`services.strategy_recompute`, after every change; reads never compute the roll-up.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zora.core.i18n import localized
from zora.core.steps import (
    Quadrant,  # noqa: F401  (re-exported: the apps' code uses it from here)
    StrategyStep,
)


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    ADOPTED = "adopted", _("Adopted")
    REVISION = "revision", _("Under revision")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class FundingSource(models.Model):
    """An entry of the organisation's editable list of funding sources (EU programmes,
    national, municipal, private …)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="funding_sources"
    )
    code = models.SlugField(_("code"), max_length=40)
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    is_eu = models.BooleanField(_("EU funding"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="funding_source_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name") or self.code


class Strategy(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="strategies"
    )
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_bg = models.TextField(_("summary (Bulgarian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period to"))
    region_code = models.CharField(
        _("territory (NUTS or municipality code)"),
        max_length=16,
        blank=True,
        help_text=_("NUTS 2021 or municipality code, e.g. BG344."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT
    )
    current_step = models.CharField(
        _("current step"),
        max_length=20,
        choices=StrategyStep.choices,
        default=StrategyStep.PREPARATION,
    )
    # {step: {"done": bool, "note_bg": str, "note_en": str}}
    steps = models.JSONField(default=dict, blank=True)
    progress = models.FloatField(default=0.0, editable=False)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["progress", "updated_at"])

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        indexes = [
            models.Index(fields=["organisation", "-starts_on"]),
            models.Index(fields=["status", "-starts_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title") or f"#{self.pk}"

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def is_public(self) -> bool:
        return self.status == StrategyStatus.ADOPTED

    @property
    def period(self) -> str:
        return f"{self.starts_on.year}–{self.ends_on.year}"


class ActionStatus(models.Model):
    """A status an action can have, configurable per strategy, with its default progress
    (as in Decidim's accountability)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="statuses")
    code = models.SlugField(_("code"), max_length=40)
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("default progress (%)"),
        null=True,
        blank=True,
        help_text=_("An action given this status takes this progress unless you set one."),
    )
    is_done = models.BooleanField(_("counts as done"), default=False)
    is_cancelled = models.BooleanField(_("counts as cancelled"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="action_status_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name") or self.code


class SwotItem(models.Model):
    """An item of the SWOT board. Items drafted from evidence start `proposed` and show on the
    board only once a person accepts them."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DISCARDED = "discarded", _("Discarded")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="swot_items")
    quadrant = models.CharField(_("quadrant"), max_length=12, choices=Quadrant.choices)
    text_bg = models.TextField(_("text (Bulgarian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=3, help_text=_("How much it matters, 1 (little) to 5 (very much).")
    )
    position = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACCEPTED)
    # The rule and source that drafted it ("indicator:hh_broadband"); re-drafting skips keys
    # that exist already, whatever their state, so nothing is proposed twice.
    draft_key = models.CharField(max_length=200, blank=True)
    rule = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["position"])

    class Meta:
        ordering = ["quadrant", "position", "id"]
        indexes = [models.Index(fields=["strategy", "state", "quadrant", "position"])]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "draft_key"],
                condition=~Q(draft_key=""),
                name="swot_item_draft_once",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def text(self) -> str:
        return localized(self, "text")


class EvidenceKind(models.TextChoices):
    ASSESSMENT_DIMENSION = "assessment_dimension", _("Assessment dimension")
    INDICATOR_COMPARISON = "indicator_comparison", _("Indicator compared with peers")
    FINDING = "finding", _("Interview finding")
    FINDING_CODE = "finding_code", _("Interview code")
    PROPOSAL = "proposal", _("Citizen proposal")
    PROPOSAL_TOPIC = "proposal_topic", _("Topic of proposals")
    URL = "url", _("Document or link")


class EvidenceLink(models.Model):
    """A typed pointer at a piece of evidence plus a frozen snapshot of what it showed, so the
    SWOT stays readable when the source changes or disappears."""

    item = models.ForeignKey(SwotItem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=24, choices=EvidenceKind.choices)
    target = models.CharField(
        max_length=200, blank=True, help_text="id or key of the source (e.g. campaign:dimension)"
    )
    label = models.CharField(_("label"), max_length=500)
    value = models.FloatField(_("value"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    observed = models.CharField(_("date or period"), max_length=20, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class VisionStatement(models.Model):
    """One version of the vision and ambition; a change is a new version."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="visions")
    version = models.PositiveIntegerField()
    vision_bg = models.TextField(_("vision (Bulgarian)"), blank=True)
    vision_en = models.TextField(_("vision (English)"), blank=True)
    ambition_bg = models.TextField(_("ambition (Bulgarian)"), blank=True)
    ambition_en = models.TextField(_("ambition (English)"), blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    # The consultation that collects comments on it, and its proposal (participation app).
    consultation_id = models.PositiveIntegerField(null=True, blank=True)
    proposal_id = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "version"], name="vision_version_once")
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    @property
    def vision(self) -> str:
        return localized(self, "vision")

    @property
    def ambition(self) -> str:
        return localized(self, "ambition")


class Priority(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    code = models.CharField(_("code"), max_length=20, blank=True)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.FloatField(_("weight"), default=1.0)
    position = models.PositiveIntegerField(default=0)
    progress = models.FloatField(default=0.0, editable=False)
    history = HistoricalRecords(excluded_fields=["progress"])

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = _("priorities")
        indexes = [models.Index(fields=["strategy", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title") or self.code or f"#{self.pk}"

    @property
    def description(self) -> str:
        return localized(self, "description")


class Objective(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="objectives")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("code"), max_length=20, blank=True)
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.FloatField(_("weight"), default=1.0)
    position = models.PositiveIntegerField(default=0)
    progress = models.FloatField(default=0.0, editable=False)
    history = HistoricalRecords(excluded_fields=["progress"])

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["strategy", "priority", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title") or self.code or f"#{self.pk}"

    @property
    def description(self) -> str:
        return localized(self, "description")


class Action(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("part of action"),
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=60,
        blank=True,
        help_text=_("Your own stable identifier; spreadsheet imports update the action by it."),
    )
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_bg = models.TextField(_("description (Bulgarian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    owner_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner organisation"),
    )
    owner_organisation_name = models.CharField(
        _("owner organisation (not on Zora)"), max_length=200, blank=True
    )
    owner_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    partners = models.CharField(_("partners"), max_length=500, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.ForeignKey(
        ActionStatus,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("status"),
    )
    progress = models.FloatField(_("progress (%)"), default=0.0)
    weight = models.FloatField(_("weight"), default=1.0)
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        verbose_name=_("prerequisite actions"),
    )
    swot_items = models.ManyToManyField(
        SwotItem, blank=True, related_name="actions", verbose_name=_("SWOT items")
    )
    position = models.PositiveIntegerField(default=0)
    # Links count as changes too: the prerequisites and SWOT items are kept in the history.
    history = HistoricalRecords(excluded_fields=["position"], m2m_fields=[depends_on, swot_items])

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["strategy", "objective", "position"]),
            models.Index(fields=["strategy", "starts_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "external_id"],
                condition=~Q(external_id=""),
                name="action_external_id_once",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title") or self.external_id or f"#{self.pk}"

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def owner(self) -> str:
        if self.owner_organisation_id and self.owner_organisation is not None:
            return self.owner_organisation.name
        return self.owner_organisation_name


class ActionFunding(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="funding")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=Decimal(0))
    history = HistoricalRecords()

    class Meta:
        ordering = ["source__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "source"], name="action_funding_once")
        ]

    def __str__(self) -> str:
        return f"{self.source_id}: {self.amount}"


class ActionProposal(models.Model):
    """A citizen proposal that became (part of) this action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="proposal_links")
    proposal = models.ForeignKey(
        "participation.Proposal", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "proposal"], name="action_proposal_once")
        ]

    def __str__(self) -> str:
        return f"{self.action_id} ← {self.proposal_id}"


class Milestone(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="milestones")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title_bg = models.CharField(_("title (Bulgarian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["strategy", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title") or f"#{self.pk}"


class Kpi(models.Model):
    """A key performance indicator of an objective or an action. Bound to an indicator and a
    region, the indicator's observations count as measurements (read when shown, not copied)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="kpis")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="kpis"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="kpis"
    )
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("indicator"),
    )
    region_code = models.CharField(_("region code"), max_length=16, blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["position"])

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        indexes = [models.Index(fields=["strategy", "position"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name") or f"#{self.pk}"


class Measurement(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements")
    value = models.FloatField(_("value"))
    measured_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measured_on", "id"]
        indexes = [models.Index(fields=["kpi", "measured_on"])]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.value}"
