"""Writes for indicators: the catalogue, imports with provenance, peer groups, mappings."""

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zora.indicators.importers import mapped
from zora.indicators.importers.base import ImportFormatError
from zora.indicators.importers.base import Observation as Parsed
from zora.indicators.importers.detect import parse_any
from zora.indicators.models import (
    ColumnMapping,
    ImportBatch,
    Indicator,
    Observation,
    ObservationRevision,
    PeerGroup,
    Region,
)

CATALOGUE = Path(__file__).resolve().parent / "data" / "catalogue.yaml"
CHUNK = 5000
KEY_EXCLUDES = {"freq"}  # the period says the frequency


def dims_key(dimensions: Iterable[tuple[str, str]]) -> str:
    """The canonical key of a series: every dimension but geo, time and freq, sorted."""
    return "|".join(f"{k}={v}" for k, v in sorted(dimensions) if k not in KEY_EXCLUDES)


# --- The catalogue --------------------------------------------------------------------------


@transaction.atomic
def catalogue_load(path: Path = CATALOGUE) -> int:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    seen = set()
    for position, entry in enumerate(data["indicators"]):
        code = entry["code"]
        if code in seen:
            raise ValidationError(f"{path.name}: indicator code {code!r} is used twice")
        seen.add(code)
        source = entry["source"]
        target = entry.get("target") or {}
        flt = {str(k).lower(): str(v) for k, v in (source.get("filter") or {}).items()}
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name_bg": entry["name"]["bg"],
                "name_en": entry["name"]["en"],
                "definition_bg": entry.get("definition", {}).get("bg", ""),
                "definition_en": entry.get("definition", {}).get("en", ""),
                "unit_bg": entry.get("unit", {}).get("bg", ""),
                "unit_en": entry.get("unit", {}).get("en", ""),
                "direction": entry.get("direction", "higher"),
                "theme": entry["theme"],
                "dataset": str(source["dataset"]).upper(),
                "filter": flt,
                "dims_key": dims_key(flt.items()),
                "publisher_bg": source.get("publisher", {}).get("bg", ""),
                "publisher_en": source.get("publisher", {}).get("en", ""),
                "url": source.get("url", ""),
                "finest_level": int(entry.get("finest_level", 3)),
                "target_value": target.get("value"),
                "target_year": target.get("year"),
                "target_source_bg": (target.get("source") or {}).get("bg", ""),
                "target_source_en": (target.get("source") or {}).get("en", ""),
                "position": position,
            },
        )
    return len(seen)


# --- Imports --------------------------------------------------------------------------------


@dataclass
class ImportReport:
    batch: ImportBatch
    duplicate: bool = False
    skipped: Counter = field(default_factory=Counter)

    @property
    def summary(self) -> str:
        b = self.batch
        if self.duplicate:
            return _("This file was imported before (same content): nothing new was stored.")
        return _(
            "%(read)s rows read: %(created)s new, %(updated)s revised, %(unchanged)s unchanged, "
            "%(skipped)s skipped."
        ) % {
            "read": b.rows_read,
            "created": b.rows_created,
            "updated": b.rows_updated,
            "unchanged": b.rows_unchanged,
            "skipped": b.rows_skipped,
        }


class ImportFailed(Exception):
    """The file was rejected; nothing was stored. The message says what to fix."""


def import_file(
    *,
    data: bytes,
    file_name: str,
    format: str = "auto",
    dataset: str | None = None,
    mapping: dict[str, str] | None = None,
    strict: bool = False,
    user: Any = None,
    organisation: Any = None,
    progress: Callable[[float, str], None] | None = None,
) -> ImportReport:
    """Parses and loads one file in one transaction and records its provenance. A malformed
    file raises ImportFailed (naming the line and field) and changes nothing. Importing the same
    file again stores nothing new; a newer release revises values and keeps the old ones."""
    progress = progress or (lambda fraction, message: None)
    sha = hashlib.sha256(data).hexdigest()
    try:
        if format == "mapped" or mapping:
            parsed = mapped.parse(
                data, dataset=dataset or "", mapping=mapping or {}, filename=file_name
            )
        else:
            parsed = parse_any(data, format=format, dataset=dataset, filename=file_name)
    except ImportFormatError as error:
        raise ImportFailed(
            _("%(file)s: %(error)s") % {"file": file_name, "error": error}
        ) from error
    dataset_code = (parsed.dataset or dataset or _dataset_from_name(file_name) or "").upper()
    if not dataset_code:
        raise ImportFailed(
            _("%(file)s does not say which dataset it holds: give the dataset code.")
            % {"file": file_name}
        )

    if ImportBatch.objects.filter(sha256=sha, status=ImportBatch.Status.DONE).exists():
        batch = ImportBatch.objects.create(
            file_name=file_name,
            format=parsed.format,
            dataset=dataset_code,
            last_update=parsed.last_update or "",
            sha256=sha,
            user=user if getattr(user, "is_authenticated", False) else None,
            organisation=organisation,
            status=ImportBatch.Status.DUPLICATE,
            finished_at=timezone.now(),
        )
        progress(1.0, _("Nothing new"))
        return ImportReport(batch=batch, duplicate=True)

    known = set(Region.objects.values_list("code", flat=True))
    total_lines = max(1, data.count(b"\n"))
    report = ImportReport(batch=ImportBatch(file_name=file_name))
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                file_name=file_name[:300],
                format=parsed.format,
                dataset=dataset_code,
                last_update=parsed.last_update or "",
                sha256=sha,
                user=user if getattr(user, "is_authenticated", False) else None,
                organisation=organisation,
            )
            report.batch = batch
            accepted = _accepted_rows(parsed.rows, batch, known, strict, file_name, report.skipped)
            if connection.vendor == "postgresql":
                _load_postgres(batch, dataset_code, accepted, report.skipped, progress, total_lines)
            else:
                chunk: list[Parsed] = []
                for row in accepted:
                    chunk.append(row)
                    if len(chunk) >= CHUNK:
                        _load_chunk(batch, dataset_code, chunk, report.skipped)
                        chunk = []
                        progress(
                            min(0.99, row.line / total_lines),
                            _("%(n)s rows read") % {"n": batch.rows_read},
                        )
                if chunk:
                    _load_chunk(batch, dataset_code, chunk, report.skipped)
            batch.rows_skipped = sum(report.skipped.values())
            batch.skipped_reasons = dict(report.skipped)
            batch.status = ImportBatch.Status.DONE
            batch.finished_at = timezone.now()
            batch.save()
    except ImportFormatError as error:
        raise ImportFailed(
            _("%(file)s: %(error)s") % {"file": file_name, "error": error}
        ) from error
    progress(1.0, report.summary)
    return report


def _accepted_rows(
    rows: Iterable[Parsed],
    batch: ImportBatch,
    known: set[str],
    strict: bool,
    file_name: str,
    skipped: Counter,
) -> Iterator[Parsed]:
    """The rows worth storing; counts what is read and why the others are skipped."""
    for row in rows:
        batch.rows_read += 1
        if row.region not in known:
            if strict:
                raise ImportFailed(
                    _("%(file)s line %(line)s: unknown region code %(code)s (strict import).")
                    % {"file": file_name, "line": row.line, "code": row.region}
                )
            skipped["unknown region code"] += 1
            continue
        if row.value is None and not row.flags and not row.confidentiality:
            skipped["no value and no flag"] += 1
            continue
        yield row


STAGING_COLUMNS = "line, dims_key, region_code, period, dimensions, value, flags, confidentiality"
DIFFERS = "(o.value IS DISTINCT FROM s.value OR o.flags <> s.flags OR o.confidentiality <> s.confidentiality)"


# Constant SQL: values go in as parameters, nothing is interpolated.
REVISE_SQL = """
INSERT INTO indicators_observationrevision (observation_id, value, flags, batch_id, replaced_by_id, replaced_at)
SELECT o.id, o.value, o.flags, o.batch_id, %(batch)s, now()
FROM zora_dedup s JOIN indicators_observation o ON o.dataset = %(dataset)s
  AND o.dims_key = s.dims_key AND o.region_code = s.region_code AND o.period = s.period
WHERE (o.value IS DISTINCT FROM s.value OR o.flags <> s.flags OR o.confidentiality <> s.confidentiality)
"""
UPDATE_SQL = """
UPDATE indicators_observation o
SET value = s.value, flags = s.flags, confidentiality = s.confidentiality, batch_id = %(batch)s, updated_at = now()
FROM zora_dedup s
WHERE o.dataset = %(dataset)s AND o.dims_key = s.dims_key AND o.region_code = s.region_code AND o.period = s.period
  AND (o.value IS DISTINCT FROM s.value OR o.flags <> s.flags OR o.confidentiality <> s.confidentiality)
"""
FIRST_INSERT_SQL = """
INSERT INTO indicators_observation
  (dataset, dims_key, region_code, period, dimensions, value, flags, confidentiality, batch_id, updated_at)
SELECT %(dataset)s, dims_key, region_code, period, dimensions, value, flags, confidentiality, %(batch)s, now()
FROM zora_staging ORDER BY line DESC
ON CONFLICT (dataset, dims_key, region_code, period) DO NOTHING
"""
INSERT_SQL = """
INSERT INTO indicators_observation
  (dataset, dims_key, region_code, period, dimensions, value, flags, confidentiality, batch_id, updated_at)
SELECT %(dataset)s, dims_key, region_code, period, dimensions, value, flags, confidentiality, %(batch)s, now()
FROM zora_dedup
ON CONFLICT (dataset, dims_key, region_code, period) DO NOTHING
"""


def _load_postgres(
    batch: ImportBatch,
    dataset: str,
    rows: Iterable[Parsed],
    skipped: Counter,
    progress: Callable[[float, str], None],
    total_lines: int,
) -> None:
    """The same upsert as `_load_chunk`, in set-based SQL: the rows are streamed into a
    temporary table with COPY, then revised, updated and inserted in three statements."""
    dims_json: dict[tuple[tuple[str, str], ...], tuple[str, str]] = {}
    with connection.cursor() as cursor:
        # Dropped explicitly too: inside an outer transaction (tests, a caller's atomic block)
        # ON COMMIT DROP would come too late for the next import.
        cursor.execute("DROP TABLE IF EXISTS zora_staging, zora_dedup")
        cursor.execute(
            "CREATE TEMP TABLE zora_staging (line integer, dims_key text, region_code text, period text, "
            "dimensions jsonb, value double precision, flags text, confidentiality text) ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY zora_staging ({STAGING_COLUMNS}) FROM STDIN") as copy:
            for n, row in enumerate(rows):
                cached = dims_json.get(row.dimensions)
                if cached is None:
                    cached = dims_json[row.dimensions] = (
                        dims_key(row.dimensions),
                        json.dumps(dict(row.dimensions)),
                    )
                copy.write_row(
                    (
                        row.line,
                        cached[0],
                        row.region,
                        row.period,
                        cached[1],
                        row.value,
                        row.flags[:10],
                        row.confidentiality[:2],
                    )
                )
                if n % 50000 == 0 and n:
                    progress(
                        min(0.9, row.line / total_lines),
                        _("%(n)s rows read") % {"n": batch.rows_read},
                    )
        params: dict[str, str | int] = {"dataset": dataset, "batch": batch.pk}
        cursor.execute("SELECT count(*) FROM zora_staging")
        staged = cursor.fetchone()[0]
        progress(0.92, _("Storing"))
        if not Observation.objects.filter(dataset=dataset).exists():
            # A dataset's first import: nothing to revise; a later duplicate line wins.
            cursor.execute(FIRST_INSERT_SQL, params)
            created, updated, distinct = cursor.rowcount, 0, cursor.rowcount
        else:
            cursor.execute(
                "CREATE TEMP TABLE zora_dedup ON COMMIT DROP AS SELECT DISTINCT ON (dims_key, region_code, period) * "
                "FROM zora_staging ORDER BY dims_key, region_code, period, line DESC"
            )
            cursor.execute("SELECT count(*) FROM zora_dedup")
            distinct = cursor.fetchone()[0]
            cursor.execute(REVISE_SQL, params)
            updated = cursor.rowcount
            cursor.execute(UPDATE_SQL, params)
            cursor.execute(INSERT_SQL, params)
            created = cursor.rowcount
        if staged != distinct:
            skipped["duplicate row in the file"] += staged - distinct
        cursor.execute("DROP TABLE IF EXISTS zora_staging, zora_dedup")
    batch.rows_created += created
    batch.rows_updated += updated
    batch.rows_unchanged += distinct - created - updated


def _dataset_from_name(file_name: str) -> str | None:
    """Eurostat names its downloads after the dataset (reg_area3.tsv, isoc_r_iacc_h.csv)."""
    stem = Path(file_name).name.split(".")[0].lower()
    return stem if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", stem) and len(stem) <= 40 else None


def _load_chunk(batch: ImportBatch, dataset: str, rows: list[Parsed], skipped: Counter) -> None:
    """Upserts a chunk: new observations are created, changed ones revised (old value kept).
    A row repeating a key seen earlier in the same file replaces it and counts as a duplicate."""
    keyed: dict[tuple[str, str, str], Parsed] = {}
    for row in rows:
        key = (dims_key(row.dimensions), row.region, row.period)
        if key in keyed:
            skipped["duplicate row in the file"] += 1
        keyed[key] = row
    existing = {
        (o.dims_key, o.region_code, o.period): o
        for o in Observation.objects.filter(
            dataset=dataset,
            region_code__in={k[1] for k in keyed},
            period__in={k[2] for k in keyed},
            dims_key__in={k[0] for k in keyed},
        )
    }
    now = timezone.now()
    new, changed, revisions = [], [], []
    for key, row in keyed.items():
        current = existing.get(key)
        if current is None:
            new.append(
                Observation(
                    dataset=dataset,
                    dims_key=key[0],
                    region_code=row.region,
                    period=row.period,
                    dimensions=dict(row.dimensions),
                    value=row.value,
                    flags=row.flags[:10],
                    confidentiality=row.confidentiality[:2],
                    batch=batch,
                    updated_at=now,
                )
            )
        elif current.batch_id == batch.pk:
            skipped["duplicate row in the file"] += 1
            current.value, current.flags, current.confidentiality = (
                row.value,
                row.flags[:10],
                row.confidentiality[:2],
            )
            changed.append(current)
        elif (
            current.value != row.value
            or current.flags != row.flags[:10]
            or current.confidentiality != row.confidentiality[:2]
        ):
            revisions.append(
                ObservationRevision(
                    observation=current,
                    value=current.value,
                    flags=current.flags,
                    batch_id=current.batch_id,
                    replaced_by=batch,
                    replaced_at=now,
                )
            )
            current.value, current.flags, current.confidentiality = (
                row.value,
                row.flags[:10],
                row.confidentiality[:2],
            )
            current.batch, current.updated_at = batch, now
            changed.append(current)
        else:
            batch.rows_unchanged += 1
    Observation.objects.bulk_create(new, batch_size=CHUNK)
    Observation.objects.bulk_update(
        changed, ["value", "flags", "confidentiality", "batch", "updated_at"], batch_size=CHUNK
    )
    ObservationRevision.objects.bulk_create(revisions, batch_size=CHUNK)
    batch.rows_created += len(new)
    batch.rows_updated += len(revisions)


def run_import_job(job: Any, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """The `indicators.import` job: params {format, dataset, mapping, strict}; the file is the
    job's input file."""
    from django.urls import reverse

    from zora.core.jobs import JobError

    job.input_file.open("rb")
    try:
        data = job.input_file.read()
    finally:
        job.input_file.close()
    params = job.params
    try:
        report = import_file(
            data=data,
            file_name=params.get("file_name") or Path(job.input_file.name).name,
            format=params.get("format", "auto"),
            dataset=params.get("dataset") or None,
            mapping=params.get("mapping") or None,
            strict=bool(params.get("strict")),
            user=job.user,
            organisation=job.organisation,
            progress=progress,
        )
    except ImportFailed as error:
        raise JobError(str(error)) from error
    url = ""
    if job.organisation is not None:
        url = reverse("import_detail", args=[job.organisation.slug, report.batch.pk])
    return {"batch": report.batch.pk, "summary": report.summary, "url": url}


# --- Peer groups and mappings ---------------------------------------------------------------


def peer_group_save(
    *, organisation: Any, name: str, region_codes: list[str], group: PeerGroup | None = None
) -> PeerGroup:
    codes = sorted({c.strip().upper() for c in region_codes if c.strip()})
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError(
            {"region_codes": _("Unknown region codes: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    if not codes:
        raise ValidationError({"region_codes": _("Choose at least one region.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the group a name.")})
    group = group or PeerGroup(organisation=organisation)
    group.name, group.region_codes = name.strip(), codes
    group.save()
    return group


def column_mapping_save(
    *, organisation: Any, name: str, dataset: str, mapping: dict[str, str]
) -> ColumnMapping:
    for key in ("region", "period", "value"):
        if not mapping.get(key):
            raise ValidationError(_("Choose the column that holds the %(what)s.") % {"what": key})
    saved, _created = ColumnMapping.objects.update_or_create(
        organisation=organisation,
        name=name.strip() or dataset,
        defaults={"dataset": dataset.strip().upper(), "mapping": mapping},
    )
    return saved
