"""Regions, the indicator catalogue, observations with their provenance and revisions.

Observations are official statistics: shared by every organisation on the installation (they
are public data), each remembering the import it came from."""

import json
from typing import Any

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


class JSONList(models.JSONField):
    """A JSON list read and written whole, never searched inside: PostgreSQL's `json` type (the
    text as it is, checked but not converted), which takes half the time of `jsonb` to write."""

    def db_type(self, connection: Any) -> str | None:
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or not isinstance(value, str):  # psycopg decodes `json` itself
            return value
        return super().from_db_value(value, expression, connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if connection.vendor == "postgresql" and value is not None:
            return json.dumps(value)
        return super().get_db_prep_value(value, connection, prepared)


class Series(models.Model):
    """The observations of one series (dataset + dimensions) in one region: how they are stored.

    One row per series and region, its observations in parallel lists (one entry per period,
    in the order the periods were first imported; never reordered, so a position names one
    observation for good). A million observations are some fifty thousand rows: an import
    writes them in a fraction of the time a row per observation takes. Read them one by one
    through `Observation`, or a series at a time with `points()`."""

    dataset = models.CharField(max_length=40)
    dims_key = models.CharField(
        max_length=300, help_text="Every dimension but geo, time and freq: 'unit=PC_HH'"
    )
    region_code = models.CharField(max_length=16)
    dimensions = models.JSONField(default=dict)
    periods = JSONList(default=list)
    values = JSONList(default=list, db_column="value_list")  # float or null
    flags = JSONList(default=list)
    confidentiality = JSONList(default=list)
    batch_ids = JSONList(default=list)  # the import each observation came from
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # One index: it serves a dataset's regions (scorecards), a series in a list of regions
        # (peers), and the API's order (region, series).
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "region_code", "dims_key"], name="series_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset} {self.dims_key} {self.region_code}"

    def points(self) -> list[tuple[str, float | None, str, str, int | None]]:
        """(period, value, flags, confidentiality, batch id) in stored order."""
        return list(
            zip(
                self.periods,
                self.values,
                self.flags,
                self.confidentiality,
                self.batch_ids,
                strict=True,
            )
        )


OBSERVATION_ID_FACTOR = 100_000  # Observation.id = series id × this + position (from 1)


class Observation(models.Model):
    """One value of a series in a region for a period: a read-only database view over `Series`
    (see migration 0003). Filter it like a table; write through the import services."""

    id = models.BigIntegerField(primary_key=True)
    series = models.ForeignKey(Series, on_delete=models.DO_NOTHING, related_name="+")
    dataset = models.CharField(max_length=40)
    dims_key = models.CharField(max_length=300)
    region_code = models.CharField(max_length=16)
    period = models.CharField(max_length=10)
    dimensions = models.JSONField(default=dict)
    value = models.FloatField(null=True, blank=True)
    flags = models.CharField(max_length=10, blank=True)
    confidentiality = models.CharField(max_length=2, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        managed = False
        db_table = "indicators_observation"

    def __str__(self) -> str:
        return f"{self.dataset} {self.region_code} {self.period} = {self.value}"


class ObservationRevision(models.Model):
    """A value an observation had before a newer release revised it."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="revisions")
    period = models.CharField(max_length=10)
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
        return f"{self.series_id} {self.period}: {self.value} (until {self.replaced_at:%Y-%m-%d})"

    @property
    def current(self) -> tuple[float | None, str]:
        """The observation's value and flags now."""
        series = self.series
        try:
            index = series.periods.index(self.period)
        except ValueError:
            return None, ""
        return series.values[index], series.flags[index]


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
