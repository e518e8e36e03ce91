"""Writes for indicators: the catalogue, imports with provenance, peer groups, mappings."""

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zora.indicators.importers import mapped
from zora.indicators.importers.base import ImportFormatError, NotSimple
from zora.indicators.importers.base import Observation as Parsed
from zora.indicators.importers.base import Parsed as ParsedFile
from zora.indicators.importers.detect import parse_any
from zora.indicators.importers.table import SeriesTable
from zora.indicators.models import (
    ColumnMapping,
    ImportBatch,
    Indicator,
    ObservationRevision,
    PeerGroup,
    Region,
    Series,
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

    def parse() -> ParsedFile:
        try:
            if format == "mapped" or mapping:
                return mapped.parse(
                    data, dataset=dataset or "", mapping=mapping or {}, filename=file_name
                )
            return parse_any(data, format=format, dataset=dataset, filename=file_name)
        except ImportFormatError as error:
            raise ImportFailed(
                _("%(file)s: %(error)s") % {"file": file_name, "error": error}
            ) from error

    parsed = parse()
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
            _lock_dataset(dataset_code)
            table = None
            if parsed.table is not None:
                progress(0.05, _("Reading"))
                try:
                    table = parsed.table(known, strict)
                    keys = _series_keys(table.dimensions, file_name)
                except (NotSimple, ImportFailed):
                    table = None  # the row reader names what is wrong, or copes with it
            progress(0.5, _("Storing"))
            if table is None:
                accepted = _accepted_rows(
                    parsed.rows, batch, known, strict, file_name, report.skipped
                )
                incoming = _series_from_rows(
                    accepted, batch, report.skipped, file_name, progress, total_lines
                )
            elif not Series.objects.filter(dataset=dataset_code).exists():
                _store_table(batch, dataset_code, table, keys)  # a first import, as it is
                incoming = {}
            else:
                batch.rows_read = table.rows_read
                incoming = _series_from_table(table, keys)
            if table is not None:
                report.skipped.update(table.skipped)
            _merge(batch, dataset_code, incoming)
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
                raise _unknown_region(file_name, row.line, row.region)
            skipped["unknown region code"] += 1
            continue
        if row.value is None and not row.flags and not row.confidentiality:
            skipped["no value and no flag"] += 1
            continue
        yield row


def _unknown_region(file_name: str, line: int, code: str) -> ImportFailed:
    return ImportFailed(
        _("%(file)s line %(line)s: unknown region code %(code)s (strict import).")
        % {"file": file_name, "line": line, "code": code}
    )


def _lock_dataset(dataset: str) -> None:
    """Imports of one dataset take turns (PostgreSQL: a lock until the transaction ends;
    SQLite has one writer at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"zora.import:{dataset}"])


MAX_DIMS_KEY = 300
MAX_PERIOD = 10


def _series_key(dims: tuple[tuple[str, str], ...], line: int, file_name: str) -> str:
    """The series key of a dimension tuple; raises ImportFailed for one too long to store."""
    key = dims_key(dims)
    if len(key) > MAX_DIMS_KEY:
        raise ImportFailed(
            _(
                "%(file)s line %(line)s: the dimensions %(key)s are too long (at most 300 "
                "characters)."
            )
            % {"file": file_name, "line": line, "key": key[:80]}
        )
    return key


def _series_keys(dimensions: list[tuple[tuple[str, str], ...]], file_name: str) -> list[str]:
    cache = {dims: _series_key(dims, 0, file_name) for dims in set(dimensions)}
    return [cache[dims] for dims in dimensions]


def _period_error(file_name: str, line: int, period: str) -> ImportFailed:
    return ImportFailed(
        _(
            "%(file)s line %(line)s, field TIME_PERIOD: expected a period such as 2024 or "
            "2024-Q1, found %(period)s."
        )
        % {"file": file_name, "line": line, "period": period[:80]}
    )


SERIES_COPY = (
    "COPY indicators_series (dataset, dims_key, region_code, dimensions, periods, value_list, "
    "flags, confidentiality, batch_ids, updated_at) FROM STDIN"
)
SERIES_INSERT = (
    "INSERT INTO indicators_series (dataset, dims_key, region_code, dimensions, periods, "
    "value_list, flags, confidentiality, batch_ids, updated_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(text: str) -> str:
    """A value in PostgreSQL's COPY text format."""
    return (
        text.translate(_COPY_ESCAPES)
        if "\\" in text or "\t" in text or "\n" in text or "\r" in text
        else text
    )


def _copy_line(row: tuple[str, ...]) -> str:
    """A row in COPY's text format (fields escaped only when they need it: JSON rarely does)."""
    line = "\t".join(row)
    if line.count("\t") != len(row) - 1 or "\\" in line or "\n" in line or "\r" in line:
        line = "\t".join(map(_copy_text, row))
    return line + "\n"


def _store_table(batch: ImportBatch, dataset: str, table: SeriesTable, keys: list[str]) -> None:
    """Stores the series of a dataset's first import as they come from the file: one row per
    series and region (PostgreSQL: COPY; a million observations in well under a second)."""
    now = timezone.now().isoformat()
    batch_lists: dict[int, str] = {}
    dims_json: dict[tuple[tuple[str, str], ...], str] = {}
    rows = []
    for dims, key, region, size, periods, values, flags, conf in zip(
        table.dimensions,
        keys,
        table.regions,
        table.sizes,
        table.periods,
        table.values,
        table.flags,
        table.confidentiality,
        strict=True,
    ):
        batches = batch_lists.get(size)
        if batches is None:
            batches = batch_lists[size] = f"[{','.join([str(batch.pk)] * size)}]"
        dimensions = dims_json.get(dims)
        if dimensions is None:
            dimensions = dims_json[dims] = json.dumps(dict(dims))
        rows.append((dataset, key, region, dimensions, periods, values, flags, conf, batches, now))
    _write_series(rows)
    batch.rows_read = table.rows_read
    batch.rows_created = table.stored


def _write_series(rows: Sequence[tuple[str, ...]]) -> None:
    """Inserts series rows given as text (the lists as JSON)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(SERIES_COPY) as copy:
                for start in range(0, len(rows), 2000):
                    copy.write("".join(map(_copy_line, rows[start : start + 2000])))
        else:
            cursor.executemany(SERIES_INSERT, rows)


Point = tuple[float | None, str, str]  # value, flags, confidentiality
Dims = tuple[tuple[str, str], ...]
# (region, series key) → dimensions and the lists: periods, values, flags, confidentiality
Incoming = dict[tuple[str, str], tuple[Dims, list[str], list[Any], list[str], list[str]]]


def _series_from_rows(
    rows: Iterable[Parsed],
    batch: ImportBatch,
    skipped: Counter,
    file_name: str,
    progress: Callable[[float, str], None],
    total_lines: int,
) -> Incoming:
    """Rows grouped into series, periods sorted. A row repeating a key seen earlier in the file
    replaces it and counts as a duplicate."""
    points_of: dict[tuple[str, str], dict[str, Point]] = {}
    dimensions: dict[tuple[str, str], Dims] = {}
    keys: dict[Dims, str] = {}
    for row in rows:
        key = keys.get(row.dimensions)
        if key is None:
            key = keys[row.dimensions] = _series_key(row.dimensions, row.line, file_name)
        if len(row.period) > MAX_PERIOD:
            raise _period_error(file_name, row.line, row.period)
        series_key = (row.region, key)
        points = points_of.get(series_key)
        if points is None:
            points = points_of[series_key] = {}
            dimensions[series_key] = row.dimensions
        if row.period in points:
            skipped["duplicate row in the file"] += 1
        points[row.period] = (row.value, row.flags[:10], row.confidentiality[:2])
        if batch.rows_read % 50_000 == 0:
            progress(
                min(0.5, row.line / total_lines / 2),
                _("%(n)s rows read") % {"n": batch.rows_read},
            )
    incoming: Incoming = {}
    for series_key, points in points_of.items():
        ordered = sorted(points.items())
        incoming[series_key] = (
            dimensions[series_key],
            [period for period, _point in ordered],
            [point[0] for _period, point in ordered],
            [point[1] for _period, point in ordered],
            [point[2] for _period, point in ordered],
        )
    return incoming


def _series_from_table(table: SeriesTable, keys: list[str]) -> Incoming:
    loads = json.loads
    return {
        (region, key): (dims, loads(periods), loads(values), loads(flags), loads(conf))
        for dims, key, region, periods, values, flags, conf in zip(
            table.dimensions,
            keys,
            table.regions,
            table.periods,
            table.values,
            table.flags,
            table.confidentiality,
            strict=True,
        )
    }


SERIES_UPDATE = {
    "postgresql": (
        "UPDATE indicators_series SET periods = %s::json, value_list = %s::json, "
        "flags = %s::json, confidentiality = %s::json, batch_ids = %s::json, updated_at = %s "
        "WHERE id = %s"
    ),
    "sqlite": (
        "UPDATE indicators_series SET periods = %s, value_list = %s, flags = %s, "
        "confidentiality = %s, batch_ids = %s, updated_at = %s WHERE id = %s"
    ),
}


def _merge(batch: ImportBatch, dataset: str, incoming: Incoming) -> None:
    """Upserts series into the dataset: new observations are added (a new period at the end of
    its series), changed ones revised (the old value kept as an ObservationRevision), the same
    ones counted as unchanged."""
    if not incoming:
        return
    existing = Series.objects.filter(dataset=dataset)
    if len(incoming) <= 500:
        existing = existing.filter(
            region_code__in={r for r, _k in incoming}, dims_key__in={k for _r, k in incoming}
        )
    stored = {
        (row[1], row[2]): row
        for row in existing.values_list(
            "id",
            "region_code",
            "dims_key",
            "periods",
            "values",
            "flags",
            "confidentiality",
            "batch_ids",
        ).iterator(chunk_size=5000)
    }
    now = timezone.now()
    dumps = json.dumps
    new: list[tuple[str, ...]] = []
    changed: list[tuple[Any, ...]] = []
    revisions: list[ObservationRevision] = []
    for series_key, (dims, periods, values, flags, conf) in incoming.items():
        found = stored.get(series_key)
        if found is None:
            new.append(
                (
                    dataset,
                    series_key[1],
                    series_key[0],
                    dumps(dict(dims)),
                    dumps(periods),
                    dumps(values),
                    dumps(flags),
                    dumps(conf),
                    dumps([batch.pk] * len(periods)),
                    now.isoformat(),
                )
            )
            batch.rows_created += len(periods)
            continue
        pk, _region, _key, old_periods, old_values, old_flags, old_conf, batch_ids = found
        if (old_periods, old_values, old_flags, old_conf) == (periods, values, flags, conf):
            batch.rows_unchanged += len(periods)  # the usual case in a newer release
            continue
        position = {period: index for index, period in enumerate(old_periods)}
        touched = False
        for period, value, flag, confidentiality in zip(periods, values, flags, conf, strict=True):
            index = position.get(period)
            if index is None:
                old_periods.append(period)
                old_values.append(value)
                old_flags.append(flag)
                old_conf.append(confidentiality)
                batch_ids.append(batch.pk)
                batch.rows_created += 1
                touched = True
            elif (
                old_values[index] != value
                or old_flags[index] != flag
                or old_conf[index] != confidentiality
            ):
                revisions.append(
                    ObservationRevision(
                        series_id=pk,
                        period=period,
                        value=old_values[index],
                        flags=old_flags[index],
                        batch_id=batch_ids[index],
                        replaced_by=batch,
                        replaced_at=now,
                    )
                )
                old_values[index], old_flags[index] = value, flag
                old_conf[index], batch_ids[index] = confidentiality, batch.pk
                batch.rows_updated += 1
                touched = True
            else:
                batch.rows_unchanged += 1
        if touched:
            changed.append(
                (
                    dumps(old_periods),
                    dumps(old_values),
                    dumps(old_flags),
                    dumps(old_conf),
                    dumps(batch_ids),
                    now,
                    pk,
                )
            )
    _write_series(new)
    if changed:
        with connection.cursor() as cursor:
            cursor.executemany(SERIES_UPDATE[connection.vendor], changed)
    ObservationRevision.objects.bulk_create(revisions, batch_size=CHUNK)


def _dataset_from_name(file_name: str) -> str | None:
    """Eurostat names its downloads after the dataset (reg_area3.tsv, isoc_r_iacc_h.csv)."""
    stem = Path(file_name).name.split(".")[0].lower()
    return stem if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", stem) and len(stem) <= 40 else None


def observation_put(
    *,
    dataset: str,
    region_code: str,
    period: str,
    value: float | None,
    dims_key: str = "",
    dimensions: dict[str, str] | None = None,
    flags: str = "",
    confidentiality: str = "",
    batch: ImportBatch | None = None,
) -> Series:
    """Stores one observation as it is (adding it to its series, or replacing the value the
    period had, without history): for small hand-made data such as fixtures. Imports go
    through `import_file`, which keeps provenance and revisions."""
    series, _created = Series.objects.get_or_create(
        dataset=dataset,
        region_code=region_code,
        dims_key=dims_key,
        defaults={"dimensions": dimensions or {}},
    )
    if period in series.periods:
        index = series.periods.index(period)
        series.values[index], series.flags[index] = value, flags
        series.confidentiality[index] = confidentiality
        series.batch_ids[index] = batch.pk if batch else None
    else:
        series.periods.append(period)
        series.values.append(value)
        series.flags.append(flags)
        series.confidentiality.append(confidentiality)
        series.batch_ids.append(batch.pk if batch else None)
    series.updated_at = timezone.now()
    series.save()
    return series


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
