"""What every importer returns, and the small helpers they share.

Pure Python: no Django here, so the parsers can run anywhere (tests, a task worker, a script).
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from .table import SeriesTable

Dimensions = tuple[tuple[str, str], ...]


class Observation(NamedTuple):
    line: int  # 1-based line (CSV/TSV), sheet row (XLSX) or value index + 1 (JSON-stat)
    dataset: str  # upper-case dataset code without agency/version, e.g. "ISOC_R_IACC_H"
    region: str  # geo code exactly as in the file, e.g. "BG34", "EU27_2020"
    period: str  # "2024", "2024-Q1", "2024-01"
    value: float | None  # None for a missing cell
    flags: str  # observation flags, e.g. "b", "bu", "e", ""
    confidentiality: str  # CONF_STATUS "C", "N", "P" or ""
    dimensions: Dimensions  # every other dimension, sorted by key, lower-case keys


class ImportFormatError(Exception):
    """A file that is not what its format promises; names the line and field when known."""

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None):
        self.message = message
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field is not None:
            where.append(f"field {self.field}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def __reduce__(self) -> tuple[object, ...]:  # keep line/field through pickling
        return (_rebuild_error, (self.message, self.line, self.field))


def _rebuild_error(message: str, line: int | None, field: str | None) -> ImportFormatError:
    return ImportFormatError(message, line=line, field=field)


class NotSimple(Exception):  # noqa: N818 - a signal, not an error
    """The file needs the row-by-row reader (which names any error it finds)."""


@dataclass
class Parsed:
    format: str  # "eurostat-csv" | "sdmx-csv" | "tsv" | "jsonstat" | "egov-xlsx" | "mapped"
    dataset: str | None  # from the file when it names one, else the `dataset` argument
    last_update: str | None
    rows: Iterator[Observation]  # a generator; raises ImportFormatError at the first bad row
    # The same observations grouped into series, for plain CSV files: many times faster than
    # `rows`. Called with the known region codes and whether the import is strict; raises
    # NotSimple where the file needs `rows` (see importers.table).
    table: Callable[[set[str], bool], SeriesTable] | None = None


def dataset_code(raw: str | None) -> str | None:
    """ "ESTAT:ISOC_R_IACC_H(1.0)" → "ISOC_R_IACC_H"; "reg_area3" → "REG_AREA3"."""
    if raw is None:
        return None
    code = raw.strip()
    if ":" in code:
        code = code.rsplit(":", 1)[1]
    if "(" in code:
        code = code[: code.index("(")]
    return code.strip().upper() or None


@lru_cache(maxsize=8192)
def normalise_period(raw: str) -> str:
    """ "2024Q1" → "2024-Q1", "2024M01" / "2024-M01" → "2024-01"; anything else stripped as is."""
    period = raw.strip()
    year, rest = period[:4], period[4:]
    if len(period) < 6 or not year.isdigit():
        return period
    if rest[0] == "-" and len(rest) > 2 and rest[1].isalpha():
        rest = rest[1:]
    kind, number = rest[0].upper(), rest[1:]
    if not number.isdigit():
        return period
    if kind == "M":
        return f"{year}-{int(number):02d}"
    if kind in "QSHW":
        return f"{year}-{kind}{number}"
    return period


def parse_number(text: str) -> float:
    """A finite decimal number; raises ValueError for anything else ("nan", "1_0", "abc")."""
    number = float(text)
    if "_" in text or not math.isfinite(number):
        raise ValueError(text)
    return number


def number_error(text: str, *, line: int, field: str) -> ImportFormatError:
    return ImportFormatError(f"expected a number, found {text!r}", line=line, field=field)


def check_not_empty(data: bytes) -> None:
    if not data or data.isspace() or data == b"\xef\xbb\xbf":
        raise ImportFormatError("empty file: expected a header line and data")


def text_stream(data: bytes, *, newline: str | None = "") -> io.TextIOWrapper:
    """The bytes as UTF-8 text (BOM tolerated), decoded as it is read."""
    check_not_empty(data)
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=newline)


def decode_error(data: bytes) -> ImportFormatError:
    """Where the bytes stop being UTF-8 (called after a UnicodeDecodeError while streaming)."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return ImportFormatError(
            f"expected UTF-8 text, found byte {data[exc.start : exc.start + 1]!r}", line=line
        )
    return ImportFormatError("expected UTF-8 text")


# --- one observation per CSV row (Eurostat data-browser CSV and SDMX-CSV 2.0) ---------------

REGION_COLUMNS = ("geo", "ref_area")
FLAG_COLUMNS = ("obs_flag", "obs_status")


@dataclass(frozen=True)
class Columns:
    """Where each part of an observation sits in a CSV row (0-based column indexes)."""

    width: int  # how many cells every row has
    region: int
    period: int
    value: int
    flags: int | None = None
    confidentiality: int | None = None
    dataset: int | None = None  # the column naming the dataset (DATAFLOW, STRUCTURE_ID)
    action: int | None = None  # SDMX-CSV 2.0 ACTION
    dimensions: tuple[tuple[str, int], ...] = ()  # (lower-case key, index), sorted by key
    strip_labels: bool = False  # cells read "A: Annual" (SDMX-CSV labels=both)


def find_columns(
    names: dict[int, str], *, width: int, ignore: set[str], dataset: str | None
) -> Columns:
    """Columns from the code columns of a header ({index: name}); names matched case-insensitively.

    `ignore` holds lower-case names that are neither a dimension nor part of the observation.
    """
    by_name: dict[str, int] = {}
    for index, name in names.items():
        by_name.setdefault(name.lower(), index)

    def first(*candidates: str) -> int | None:
        return next((by_name[c] for c in candidates if c in by_name), None)

    required = {"geo": first(*REGION_COLUMNS), "TIME_PERIOD": first("time_period", "time")}
    required["OBS_VALUE"] = first("obs_value")
    for label, position in required.items():
        if position is None:
            found = ",".join(names.values())
            raise ImportFormatError(
                f"missing column {label}: expected it in the header, found {found}",
                line=1,
                field=label,
            )
    region, period, value = (i for i in required.values() if i is not None)
    used = {region, period, value}
    flags, conf = first(*FLAG_COLUMNS), first("conf_status")
    dataset_index = first(dataset) if dataset else None
    action = first("action")
    used.update(i for i in (flags, conf, dataset_index, action) if i is not None)
    dimensions = sorted(
        (name.lower(), index)
        for index, name in names.items()
        if index not in used and name.lower() not in ignore
    )
    keys = [key for key, _ in dimensions]
    if len(set(keys)) != len(keys):
        raise ImportFormatError(f"duplicate dimension columns in {keys}", line=1)
    return Columns(
        width=width,
        region=region,
        period=period,
        value=value,
        flags=flags,
        confidentiality=conf,
        dataset=dataset_index,
        action=action,
        dimensions=tuple(dimensions),
    )


class CsvReader(Protocol):
    @property
    def line_num(self) -> int: ...
    def __iter__(self) -> Iterator[list[str]]: ...
    def __next__(self) -> list[str]: ...


def csv_observations(
    reader: CsvReader,
    first: list[str] | None,
    columns: Columns,
    *,
    default_dataset: str,
    data: bytes,
) -> Iterator[Observation]:
    """Observations from the rows of `reader` (after the header); `first` is a peeked row.

    Built for speed: a million rows take a few seconds. Repeated strings (dataset, period,
    dimension tuples) are converted once and cached.
    """
    c = columns
    width, vi, ri, pi = c.width, c.value, c.region, c.period
    fi, ci, di, ai = c.flags, c.confidentiality, c.dataset, c.action
    keys = tuple(key for key, _ in c.dimensions)
    indexes = [index for _, index in c.dimensions]
    pick = itemgetter(*indexes) if len(indexes) > 1 else None
    single = indexes[0] if len(indexes) == 1 else None
    dims_cache: dict[tuple[str, ...], Dimensions] = {}
    periods: dict[str, str] = {}
    datasets: dict[str, str] = {}
    strip_labels = c.strip_labels
    new = tuple.__new__
    isfinite = math.isfinite
    rows: Iterator[list[str]] = itertools.chain([first], reader) if first is not None else reader
    try:
        for row in rows:
            if len(row) != width:
                if not row or row == [""]:
                    continue
                raise ImportFormatError(
                    f"expected {width} columns, found {len(row)}", line=reader.line_num
                )
            if strip_labels:
                row = [cell.partition(": ")[0] for cell in row]
            text = row[vi]
            value: float | None = None
            if text:
                try:
                    number = float(text)
                except ValueError:
                    raise number_error(text, line=reader.line_num, field="OBS_VALUE") from None
                if "_" in text or not isfinite(number):
                    raise number_error(text, line=reader.line_num, field="OBS_VALUE")
                value = number
            region = row[ri]
            raw_period = row[pi]
            period = periods.get(raw_period)
            if period is None:
                period = periods[raw_period] = normalise_period(raw_period)
            if not region or not period:
                field = "geo" if not region else "TIME_PERIOD"
                raise ImportFormatError(
                    "expected a code, found an empty cell", line=reader.line_num, field=field
                )
            if di is None:
                dataset = default_dataset
            else:
                raw_dataset = row[di]
                cached = datasets.get(raw_dataset)
                if cached is None:
                    cached = datasets[raw_dataset] = dataset_code(raw_dataset) or default_dataset
                dataset = cached
            if ai is not None and row[ai] == "D":
                raise ImportFormatError(
                    "ACTION D (delete) is not supported: expected I, A or R",
                    line=reader.line_num,
                    field="ACTION",
                )
            if pick is not None:
                key: tuple[str, ...] = pick(row)
            else:
                key = () if single is None else (row[single],)
            dims = dims_cache.get(key)
            if dims is None:
                dims = dims_cache[key] = tuple(zip(keys, key, strict=True))
            yield new(
                Observation,
                (
                    reader.line_num,
                    dataset,
                    region,
                    period,
                    value,
                    row[fi].strip() if fi is not None else "",
                    row[ci].strip() if ci is not None else "",
                    dims,
                ),
            )
    except UnicodeDecodeError:
        raise decode_error(data) from None
    except csv.Error as exc:
        raise ImportFormatError(f"expected valid CSV: {exc}", line=reader.line_num) from None


def open_csv(data: bytes, first_column: str) -> tuple[Any, list[str], list[str] | None]:
    """A CSV reader, its header and first data row; the header must start with `first_column`."""
    reader = csv.reader(text_stream(data))
    try:
        header = [name.strip() for name in next(reader, [])]
        first = next((row for row in reader if row and row != [""]), None)
    except UnicodeDecodeError:
        raise decode_error(data) from None
    except csv.Error as exc:
        raise ImportFormatError(f"expected valid CSV: {exc}", line=reader.line_num) from None
    if not header or header[0].upper() != first_column:
        found = header[0] if header else ""
        raise ImportFormatError(
            f"expected {first_column} as the first column, found {found!r}", line=1, field=found
        )
    return reader, header, first
