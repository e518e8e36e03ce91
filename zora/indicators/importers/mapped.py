"""Any CSV or XLSX table, read through a column mapping chosen by the user.

    mapping = {"region": "geo", "period": "year", "value": "value",
               "flags": "flag", "dimensions": "sex,age"}

CSV delimiters `,` `;` and TAB are told apart from the header line; XLSX is read from its first
sheet. A decimal comma ("12,5") is accepted when there is no decimal point (so "1,234" reads
1.234); spaces inside numbers are dropped; "", ":", "." and ".." are missing values.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Iterator
from typing import Any

from .base import (
    ImportFormatError,
    Observation,
    Parsed,
    check_not_empty,
    dataset_code,
    decode_error,
    normalise_period,
    parse_number,
    text_stream,
)
from .egov_xlsx import cell_text, open_sheet

FORMAT = "mapped"
REQUIRED = ("region", "period", "value")
OPTIONAL = ("flags", "confidentiality", "dimensions")
MISSING = {"", ":", ".", ".."}
DELIMITERS = (",", ";", "\t")


def is_xlsx(data: bytes, filename: str = "") -> bool:
    return data[:4] == b"PK\x03\x04" or (
        data[:2] == b"PK" and filename.lower().endswith((".xlsx", ".xlsm"))
    )


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties go to the earlier one
    return best if counts[best] else ","


def _table(data: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header and the numbered rows (line or sheet row, cells) of a CSV or an XLSX."""
    check_not_empty(data)
    if is_xlsx(data, filename):
        rows = open_sheet(data).iter_rows(values_only=True)
        header = [cell_text(cell) for cell in next(rows, ())]
        numbered = ((line, list(row)) for line, row in enumerate(rows, start=2))
        return _trim(header), numbered
    stream = text_stream(data)
    try:
        first_line = stream.readline()
        stream.seek(0)
    except UnicodeDecodeError:
        raise decode_error(data) from None
    reader = csv.reader(stream, delimiter=sniff_delimiter(first_line))

    def numbered_csv() -> Iterator[tuple[int, list[Any]]]:
        try:
            for row in reader:
                yield reader.line_num, row
        except UnicodeDecodeError:
            raise decode_error(data) from None
        except csv.Error as exc:
            raise ImportFormatError(f"expected valid CSV: {exc}", line=reader.line_num) from None

    rows_csv = numbered_csv()
    _, header = next(rows_csv, (1, []))
    return _trim([name.strip() for name in header]), rows_csv


def _trim(header: list[str]) -> list[str]:
    while header and not header[-1]:
        header.pop()
    return header


def preview(data: bytes, filename: str = "", rows: int = 5) -> tuple[list[str], list[list[str]]]:
    """The header and the first `rows` non-empty rows, as text, for choosing a mapping."""
    header, numbered = _table(data, filename)
    body = (
        [cell_text(cell) for cell in row[: len(header)]]
        for _, row in numbered
        if any(cell_text(cell) for cell in row)
    )
    return header, list(itertools.islice(body, rows))


def _column(header: list[str], name: str, key: str) -> int:
    if name in header:
        return header.index(name)
    folded = [h.strip().casefold() for h in header]
    if name.strip().casefold() in folded:
        return folded.index(name.strip().casefold())
    raise ImportFormatError(
        f"expected a column {name!r} (mapped to {key}); the columns are {', '.join(header)}",
        line=1,
        field=name,
    )


def parse(
    data: bytes,
    *,
    dataset: str | None = None,
    mapping: dict[str, str] | None = None,
    filename: str = "",
) -> Parsed:
    if not mapping:
        raise ImportFormatError("expected a column mapping with region, period and value")
    unknown = set(mapping) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise ImportFormatError(
            f"unknown mapping keys {sorted(unknown)}: expected {', '.join(REQUIRED + OPTIONAL)}"
        )
    for key in REQUIRED:
        if not mapping.get(key):
            raise ImportFormatError(f"expected the mapping to name a column for {key}", field=key)
    header, numbered = _table(data, filename)
    if not header:
        raise ImportFormatError("expected a header row", line=1)
    where = {
        key: _column(header, mapping[key], key)
        for key in REQUIRED + OPTIONAL[:2]
        if mapping.get(key)
    }
    names = [n.strip() for n in mapping.get("dimensions", "").split(",") if n.strip()]
    positions = [_column(header, name, "dimensions") for name in names]
    dims = sorted((header[i].strip().lower(), i) for i in positions)
    code = dataset_code(dataset)
    rows = _rows(numbered, where, dims, code or "", {k: header[i] for k, i in where.items()})
    return Parsed(format=FORMAT, dataset=code, last_update=None, rows=rows)


def _value(cell: Any, *, line: int, field: str) -> float | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if not math.isfinite(cell):
            raise ImportFormatError(
                f"expected a finite number, found {cell!r}", line=line, field=field
            )
        return float(cell)
    text = cell_text(cell).replace("\u00a0", "").replace(" ", "")
    if text in MISSING:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return parse_number(text)
    except ValueError:
        raise ImportFormatError(
            f"expected a number, found {cell_text(cell)!r}", line=line, field=field
        ) from None


def _rows(
    numbered: Iterator[tuple[int, list[Any]]],
    where: dict[str, int],
    dims: list[tuple[str, int]],
    dataset: str,
    fields: dict[str, str],
) -> Iterator[Observation]:
    needed = max([*where.values(), *(i for _, i in dims)]) + 1
    for line, row in numbered:
        if not any(cell_text(cell) for cell in row):
            continue
        if len(row) < needed:
            row = row + [None] * (needed - len(row))
        region = cell_text(row[where["region"]])
        period = normalise_period(cell_text(row[where["period"]]))
        for key, text in (("region", region), ("period", period)):
            if not text:
                raise ImportFormatError(
                    "expected a code, found an empty cell", line=line, field=fields[key]
                )
        value = _value(row[where["value"]], line=line, field=fields["value"])
        flags = cell_text(row[where["flags"]]) if "flags" in where else ""
        conf = cell_text(row[where["confidentiality"]]) if "confidentiality" in where else ""
        dimensions = tuple((key, cell_text(row[i])) for key, i in dims)
        yield Observation(line, dataset, region, period, value, flags, conf, dimensions)
