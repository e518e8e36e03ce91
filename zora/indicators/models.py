"""Regions, the indicator catalogue, observations with their provenance and revisions.

Observations are official statistics: shared by every organisation on the installation (they
are public data), each remembering the import it came from."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zora.core.i18n import current_language, localized


class Region(models.Model):
    MUNICIPALITY_LEVEL = 4
    AGGREGATE_LEVEL = -1

    code = models.CharField(max_length=16, unique=True)
    level = models.SmallIntegerField(
        help_text="0–3 NUTS level, 4 municipality (LAU), -1 aggregate (EU27_2020)"
    )
    name = models.CharField(max_length=200, help_text="Latin-script name")
    name_bg = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["country", "level"]),
            models.Index(fields=["level", "code"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        if current_language() == "bg" and self.name_bg:
            return self.name_bg
        return self.name

    @property
    def level_label(self) -> str:
        if self.level == self.MUNICIPALITY_LEVEL:
            return str(_("municipality"))
        if self.level == self.AGGREGATE_LEVEL:
            return str(_("group of countries"))
        return f"NUTS {self.level}"


class Indicator(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    code = models.SlugField(max_length=64, unique=True)
    name_bg = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300)
    definition_bg = models.TextField(blank=True)
    definition_en = models.TextField(blank=True)
    unit_bg = models.CharField(max_length=100, blank=True)
    unit_en = models.CharField(max_length=100, blank=True)
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    theme = models.CharField(max_length=40, db_index=True)
    dataset = models.CharField(max_length=40, db_index=True)
    filter = models.JSONField(default=dict, blank=True)
    dims_key = models.CharField(max_length=300, blank=True)
    publisher_bg = models.CharField(max_length=200, blank=True)
    publisher_en = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    finest_level = models.SmallIntegerField(default=3)
    target_value = models.FloatField(null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    target_source_bg = models.CharField(max_length=300, blank=True)
    target_source_en = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        indexes = [models.Index(fields=["dataset", "dims_key"])]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def definition(self) -> str:
        return localized(self, "definition")

    @property
    def unit(self) -> str:
        return localized(self, "unit")

    @property
    def publisher(self) -> str:
        return localized(self, "publisher")

    @property
    def target_source(self) -> str:
        return localized(self, "target_source")


class ImportBatch(models.Model):
    """Provenance of one import: what file, from whom, what it changed."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        DUPLICATE = "duplicate", _("Same file as an earlier import: nothing new")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(max_length=300)
    format = models.CharField(max_length=20)
    dataset = models.CharField(max_length=40, blank=True, db_index=True)
    last_update = models.CharField(max_length=40, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    skipped_reasons = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def rows_stored(self) -> int:
        return self.rows_created + self.rows_updated


class Observation(models.Model):
    dataset = models.CharField(max_length=40)
    dims_key = models.CharField(
        max_length=300, help_text="Every dimension but geo, time and freq: 'unit=PC_HH'"
    )
    region_code = models.CharField(max_length=16)
    period = models.CharField(max_length=10)
    dimensions = models.JSONField(default=dict)
    value = models.FloatField(null=True, blank=True)
    flags = models.CharField(max_length=10, blank=True)
    confidentiality = models.CharField(max_length=2, blank=True)
    # No database constraint: PostgreSQL would check a deferred foreign key per row at commit
    # (4–5 s for a million-row import). Django still sets it to NULL when a batch is deleted.
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        on_delete=models.SET_NULL,
        related_name="observations",
        db_constraint=False,
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Two indexes besides the key: the unique one serves a series (dataset, dims_key …) and
        # its periods; (region_code, dataset) serves a region's scorecard. Each more index costs
        # imports dearly (an index on dataset, dims_key, period added 3.5 s per million rows).
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "dims_key", "region_code", "period"], name="observation_unique"
            )
        ]
        indexes = [models.Index(fields=["region_code", "dataset"])]

    def __str__(self) -> str:
        return f"{self.dataset} {self.region_code} {self.period} = {self.value}"


class ObservationRevision(models.Model):
    """A value an observation had before a newer release revised it."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions")
    value = models.FloatField(null=True, blank=True)
    flags = models.CharField(max_length=10, blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")
    replaced_by = models.ForeignKey(
        ImportBatch, null=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at"]

    def __str__(self) -> str:
        return f"{self.observation_id}: {self.value} (until {self.replaced_at:%Y-%m-%d})"


class PeerGroup(models.Model):
    """Regions an organisation compares itself with."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="peer_groups"
    )
    name = models.CharField(_("name"), max_length=200)
    region_codes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "name"])]

    def __str__(self) -> str:
        return self.name


class ColumnMapping(models.Model):
    """A saved column mapping for importing an arbitrary CSV/XLSX."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="column_mappings"
    )
    name = models.CharField(_("name"), max_length=200)
    dataset = models.CharField(_("dataset code"), max_length=40)
    mapping = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
