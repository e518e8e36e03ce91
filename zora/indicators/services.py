"""Writes for indicators: the catalogue, imports with provenance, peer groups, mappings."""

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from operator import add
from pathlib import Path
from typing import Any

import psycopg
import yaml
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zora.indicators.importers import mapped
from zora.indicators.importers.base import (
    SEPARATOR,
    ColumnBlock,
    ImportFormatError,
    NotSimple,
)
from zora.indicators.importers.base import Observation as Parsed
from zora.indicators.importers.base import Parsed as ParsedFile
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
            if connection.vendor == "postgresql":
                rows = _Rows(
                    rows=parsed.rows,
                    blocks=parsed.column_blocks,
                    parse=parse,
                    known=known,
                    strict=strict,
                    file_name=file_name,
                    progress=progress,
                    total_lines=total_lines,
                )
                _load_postgres(batch, dataset_code, rows, report.skipped)
            else:
                accepted = _accepted_rows(
                    parsed.rows, batch, known, strict, file_name, report.skipped
                )
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


# --- PostgreSQL: COPY -----------------------------------------------------------------------

COPY_COLUMNS = (
    "dataset, dims_key, region_code, period, dimensions, value, flags, confidentiality, "
    "batch_id, updated_at"
)
COPY_BLOCK = 10_000  # rows formatted per write: about 1 MB of COPY text
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(text: str) -> str:
    """A value in PostgreSQL's COPY text format."""
    return text.translate(_COPY_ESCAPES)


@dataclass
class _Rows:
    """The parsed rows of a file and how to read them again (when the fast path gives up)."""

    rows: Iterator[Parsed]
    blocks: Callable[[], Iterator[ColumnBlock]] | None
    parse: Callable[[], ParsedFile]
    known: set[str]
    strict: bool
    file_name: str
    progress: Callable[[float, str], None]
    total_lines: int
    read: int = 0
    skipped: Counter = field(default_factory=Counter)

    def again(self) -> None:
        parsed = self.parse()
        self.rows, self.blocks, self.read, self.skipped = (
            parsed.rows,
            parsed.column_blocks,
            0,
            Counter(),
        )

    def copy_blocks(self, dataset: str, batch_id: int) -> Iterator[str]:
        """The accepted rows as COPY text (COPY_COLUMNS), in blocks of about 1 MB; counts the
        rows read and why the others are skipped, as `_accepted_rows` does.

        Built for speed: the text of each series, period, flag and region is made once. Plain
        CSV files are read column by column (`Parsed.column_blocks`, a million rows in about a
        second); the others, and a plain file from the first block that is not, row by row."""
        text = _CopyText(dataset, batch_id, {code: _copy_text(code) for code in self.known})
        done = 0  # the rows before this line are written
        if self.blocks is not None:
            try:
                for block in self.blocks():
                    yield self._format_block(block, text)
                    done = block.first_line + len(block.region)
                    self.progress(
                        min(0.9, done / self.total_lines),
                        _("%(n)s rows read") % {"n": self.read},
                    )
                return
            except NotSimple:
                pass
        yield from self._format_rows(text, done)

    def _format_block(self, block: ColumnBlock, text: "_CopyText") -> str:
        regions = list(map(text.regions.get, block.region))
        unknown = regions.count(None)
        if unknown and self.strict:
            index = regions.index(None)
            raise _unknown_region(self.file_name, block.first_line + index, block.region[index])
        for dims in set(block.dimensions).difference(text.series):
            where = _first(block.dimensions, dims, block.first_line)
            text.series[dims] = _series_text(text.head, dims, where, self.file_name)
        for period in set(block.period).difference(text.periods):
            text.periods[period] = _period_text(
                period, _first(block.period, period, block.first_line), self.file_name
            )
        pairs = list(map(add, map(add, block.flags, repeat(SEPARATOR)), block.confidentiality))
        for pair in set(pairs).difference(text.joined_marks):
            text.joined_marks[pair] = text.mark(*pair.split(SEPARATOR))
        marks = list(map(text.joined_marks.__getitem__, pairs))
        empty = text.mark("", "")
        lines = [
            f"{series[0]}{region}\t{period}{series[1]}{value or '\\N'}{mark}"
            for series, region, period, value, mark in zip(
                map(text.series.__getitem__, block.dimensions),
                regions,
                map(text.periods.__getitem__, block.period),
                block.value,
                marks,
                strict=True,
            )
            if region is not None and (value or mark is not empty)
        ]
        self.read += len(regions)
        if unknown:
            self.skipped["unknown region code"] += unknown
        if len(regions) - unknown - len(lines):
            self.skipped["no value and no flag"] += len(regions) - unknown - len(lines)
        return "".join(lines)

    def _format_rows(self, text: "_CopyText", done: int) -> Iterator[str]:
        regions, series, periods = text.regions, text.series, text.periods
        strict, file_name, progress = self.strict, self.file_name, self.progress
        unknown = empty = read = 0
        block: list[str] = []
        number = float.__repr__
        try:
            for line, _ds, code, period, value, flags, conf, dims in self.rows:
                if line < done:
                    continue
                read += 1
                region = regions.get(code)
                if region is None:
                    if strict:
                        raise _unknown_region(file_name, line, code)
                    unknown += 1
                    continue
                if value is None and not flags and not conf:
                    empty += 1
                    continue
                prefix = series.get(dims)
                if prefix is None:
                    prefix = series[dims] = _series_text(text.head, dims, _at(line), file_name)
                when = periods.get(period)
                if when is None:
                    when = periods[period] = _period_text(period, _at(line), file_name)
                block.append(
                    f"{prefix[0]}{region}\t{when}{prefix[1]}"
                    f"{'\\N' if value is None else number(value)}{text.mark(flags, conf)}"
                )
                if len(block) == COPY_BLOCK:
                    yield "".join(block)
                    block.clear()
                    progress(
                        min(0.9, line / self.total_lines),
                        _("%(n)s rows read") % {"n": self.read + read},
                    )
            if block:
                yield "".join(block)
        finally:
            self.read += read
            if unknown:
                self.skipped["unknown region code"] += unknown
            if empty:
                self.skipped["no value and no flag"] += empty


class _CopyText:
    """The COPY text of what repeats: regions, series, periods, and the row's end."""

    def __init__(self, dataset: str, batch_id: int, regions: dict[str, str]) -> None:
        self.regions = regions
        self.head = _copy_text(dataset) + "\t"
        self.tail = f"\t{batch_id}\t{timezone.now().isoformat()}\n"
        self.series: dict[tuple[tuple[str, str], ...], tuple[str, str]] = {}
        self.periods: dict[str, str] = {}
        self.marks: dict[tuple[str, str], str] = {}
        self.joined_marks: dict[str, str] = {}  # "flags\x1fconfidentiality" → mark

    def mark(self, flags: str, confidentiality: str) -> str:
        """flags, confidentiality, batch and time: "\tp\t\t12\t2026-…\n"."""
        found = self.marks.get((flags, confidentiality))
        if found is None:
            found = self.marks[(flags, confidentiality)] = (
                f"\t{_copy_text(flags[:10])}\t{_copy_text(confidentiality[:2])}{self.tail}"
            )
        return found


def _at(line: int) -> Callable[[], int]:
    return lambda: line


def _first(values: list[Any], value: Any, first_line: int) -> Callable[[], int]:
    """The line where `value` first occurs in a block's column (looked up only for an error)."""
    return lambda: first_line + values.index(value)


def _series_text(
    head: str, dims: tuple[tuple[str, str], ...], line: Callable[[], int], file_name: str
) -> tuple[str, str]:
    """The COPY text before the region ("DATASET\tunit=PC_HH\t") and between the period and
    the value ("\t{json}\t") of one series."""
    key = dims_key(dims)
    if len(key) > Observation._meta.get_field("dims_key").max_length:  # type: ignore[operator]
        raise ImportFailed(
            _(
                "%(file)s line %(line)s: the dimensions %(key)s are too long (at most 300 "
                "characters)."
            )
            % {"file": file_name, "line": line(), "key": key[:80]}
        )
    return f"{head}{_copy_text(key)}\t", f"\t{_copy_text(json.dumps(dict(dims)))}\t"


def _period_text(period: str, line: Callable[[], int], file_name: str) -> str:
    if len(period) > Observation._meta.get_field("period").max_length:  # type: ignore[operator]
        raise ImportFailed(
            _(
                "%(file)s line %(line)s, field TIME_PERIOD: expected a period such as 2024 or "
                "2024-Q1, found %(period)s."
            )
            % {"file": file_name, "line": line(), "period": period[:80]}
        )
    return _copy_text(period)


BULK_LOAD_MIN_ROWS = 100_000
INDEXES_SQL = """
SELECT c.relname, pg_get_indexdef(i.indexrelid), con.conname, pg_get_constraintdef(con.oid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
WHERE i.indrelid = 'indicators_observation'::regclass AND NOT i.indisprimary
ORDER BY c.relname
"""


def _drop_indexes_for_bulk_load(cursor: Any, lines: int) -> list[str]:
    """Drops the observation table's secondary indexes before a big load into a table that
    holds fewer rows than the file, and returns the statements that build them again.

    Building an index once costs about a third of maintaining it row by row (a million rows:
    ~2 s against ~5 s). Safe inside the import's transaction: a failure rolls the drops back.
    The price is an exclusive lock on the table until the import commits (pages reading
    observations wait), so it is only taken for a big first load, and only if it can be had
    within two seconds; otherwise the indexes are maintained as usual."""
    if lines < BULK_LOAD_MIN_ROWS:
        return []
    cursor.execute(
        "SELECT count(*) FROM (SELECT 1 FROM indicators_observation LIMIT %s) AS existing",
        [lines],
    )
    if cursor.fetchone()[0] >= lines:
        return []
    cursor.execute("SHOW lock_timeout")
    lock_timeout = cursor.fetchone()[0]
    cursor.execute(INDEXES_SQL)
    indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            cursor.execute("LOCK TABLE indicators_observation IN ACCESS EXCLUSIVE MODE")
    except OperationalError:  # lock_timeout: someone is reading; maintain the indexes
        return []
    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout])
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    rebuild = []
    for index, definition, constraint, constraint_definition in indexes:
        if constraint:
            cursor.execute(
                f"ALTER TABLE indicators_observation DROP CONSTRAINT {quote(constraint)}"
            )
            rebuild.append(
                f"ALTER TABLE indicators_observation ADD CONSTRAINT {quote(constraint)} "
                f"{constraint_definition}"
            )
        else:
            cursor.execute(f"DROP INDEX {quote(index)}")
            rebuild.append(definition)
    return rebuild


STAGING_SQL = (
    "CREATE TEMP TABLE zora_staging (dataset text, dims_key text, region_code text, "
    "period text, dimensions jsonb, value double precision, flags text, confidentiality text, "
    "batch_id bigint, updated_at timestamptz, seq bigint GENERATED ALWAYS AS IDENTITY) "
    "ON COMMIT DROP"
)
# Constant SQL: values go in as parameters, nothing is interpolated.
# Each key of the file once (a later line wins), with the observation it already has if any.
MERGE_SQL = """
CREATE TEMP TABLE zora_merge ON COMMIT DROP AS
SELECT DISTINCT ON (s.dims_key, s.region_code, s.period) s.*, o.id AS observation_id,
  o.value AS old_value, o.flags AS old_flags, o.confidentiality AS old_confidentiality,
  o.batch_id AS old_batch_id
FROM zora_staging s LEFT JOIN indicators_observation o ON o.dataset = %(dataset)s
  AND o.dims_key = s.dims_key AND o.region_code = s.region_code AND o.period = s.period
ORDER BY s.dims_key, s.region_code, s.period, s.seq DESC
"""
REVISE_SQL = """
INSERT INTO indicators_observationrevision
  (observation_id, value, flags, batch_id, replaced_by_id, replaced_at)
SELECT observation_id, old_value, old_flags, old_batch_id, batch_id, updated_at
FROM zora_merge WHERE observation_id IS NOT NULL AND (old_value IS DISTINCT FROM value
  OR old_flags <> flags OR old_confidentiality <> confidentiality)
"""
UPDATE_SQL = """
UPDATE indicators_observation o
SET value = m.value, flags = m.flags, confidentiality = m.confidentiality,
  batch_id = m.batch_id, updated_at = m.updated_at
FROM zora_merge m WHERE o.id = m.observation_id AND (m.old_value IS DISTINCT FROM m.value
  OR m.old_flags <> m.flags OR m.old_confidentiality <> m.confidentiality)
"""
INSERT_SQL = """
INSERT INTO indicators_observation (dataset, dims_key, region_code, period, dimensions, value,
  flags, confidentiality, batch_id, updated_at)
SELECT dataset, dims_key, region_code, period, dimensions, value, flags, confidentiality,
  batch_id, updated_at
FROM zora_merge WHERE observation_id IS NULL
ON CONFLICT (dataset, dims_key, region_code, period) DO NOTHING
"""


def _load_postgres(batch: ImportBatch, dataset: str, rows: _Rows, skipped: Counter) -> None:
    """The same upsert as `_load_chunk`, with COPY and set-based SQL.

    A dataset's first import is copied straight into the observation table (a million rows in
    a few seconds, most of it PostgreSQL maintaining the indexes). Should the file repeat a key
    (or another import of the dataset commit first), that savepoint is rolled back and the file
    goes the general way: COPY into a temporary table, then one statement each to keep the old
    values of revised observations, update them, and insert the new ones."""
    with connection.cursor() as cursor:
        if not Observation.objects.filter(dataset=dataset).exists():
            try:
                with transaction.atomic():
                    rebuild = _drop_indexes_for_bulk_load(cursor, rows.total_lines)
                    with cursor.cursor.copy(
                        f"COPY indicators_observation ({COPY_COLUMNS}) FROM STDIN"
                    ) as copy:
                        for block in rows.copy_blocks(dataset, batch.pk):
                            copy.write(block)
                    if rebuild:
                        rows.progress(0.92, _("Indexing"))
                    for statement in rebuild:
                        cursor.cursor.execute(statement)
            except psycopg.errors.UniqueViolation:
                rows.again()
            else:
                rows.progress(0.95, _("Storing"))
                batch.rows_read = rows.read
                batch.rows_created = rows.read - sum(rows.skipped.values())
                skipped.update(rows.skipped)
                return
        # Dropped explicitly too: inside an outer transaction (tests, a caller's atomic block)
        # ON COMMIT DROP would come too late for the next import.
        cursor.execute("DROP TABLE IF EXISTS zora_staging, zora_merge")
        cursor.execute(STAGING_SQL)
        with cursor.cursor.copy(f"COPY zora_staging ({COPY_COLUMNS}) FROM STDIN") as copy:
            for block in rows.copy_blocks(dataset, batch.pk):
                copy.write(block)
        staged = rows.read - sum(rows.skipped.values())
        rows.progress(0.92, _("Storing"))
        cursor.execute("ANALYZE zora_staging")
        cursor.execute(MERGE_SQL, {"dataset": dataset})
        distinct = cursor.rowcount
        cursor.execute("ANALYZE zora_merge")
        cursor.execute(REVISE_SQL)
        updated = cursor.rowcount
        cursor.execute(UPDATE_SQL)
        cursor.execute(INSERT_SQL)
        created = cursor.rowcount
        cursor.execute("DROP TABLE IF EXISTS zora_staging, zora_merge")
    skipped.update(rows.skipped)
    if staged != distinct:
        skipped["duplicate row in the file"] += staged - distinct
    batch.rows_read = rows.read
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
