"""The EU eGovernment Benchmark, machine-readable XLSX: one sheet, one observation per row.

    year | Country | variable      | brkdown          | unit       | Value
    2022 | BG      | e_gov_0_score | EGOV_LIFE_EVENTS | eGov_score | 62.579…

`Country` holds 2-letter codes in Eurostat's style (EL for Greece, UK) plus the aggregates "EU"
and "EUplus"; they are kept as in the file. "." in Value means missing.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from .base import ImportFormatError, Observation, Parsed, check_not_empty, dataset_code

FORMAT = "egov-xlsx"
DEFAULT_DATASET = "EGOV_BENCHMARK"
COLUMNS = ("year", "country", "variable", "brkdown", "unit", "value")
MISSING = {"", ".", ":", ".."}
# Should an edition name the countries instead: English name → Eurostat geo code.
NAMES = {
    "albania": "AL", "austria": "AT", "belgium": "BE", "bulgaria": "BG", "croatia": "HR",
    "cyprus": "CY", "czechia": "CZ", "czech republic": "CZ", "denmark": "DK", "estonia": "EE",
    "finland": "FI", "france": "FR", "germany": "DE", "greece": "EL", "hungary": "HU",
    "iceland": "IS", "ireland": "IE", "italy": "IT", "latvia": "LV", "lithuania": "LT",
    "luxembourg": "LU", "malta": "MT", "montenegro": "ME", "netherlands": "NL",
    "north macedonia": "MK", "norway": "NO", "poland": "PL", "portugal": "PT", "romania": "RO",
    "serbia": "RS", "slovakia": "SK", "slovenia": "SI", "spain": "ES", "sweden": "SE",
    "switzerland": "CH", "turkey": "TR", "türkiye": "TR", "united kingdom": "UK",
    "moldova": "MD", "ukraine": "UA", "european union": "EU27_2020", "eu27": "EU27_2020",
}  # fmt: skip


def open_sheet(data: bytes) -> Any:
    """The first worksheet of an XLSX in read-only (streaming) mode."""
    from openpyxl import load_workbook

    check_not_empty(data)
    if not data.startswith(b"PK"):
        raise ImportFormatError("expected an XLSX workbook (a zip file), found other bytes")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFormatError(f"expected an XLSX workbook: {exc}") from None
    if not workbook.worksheets:
        raise ImportFormatError("expected at least one worksheet")
    return workbook.worksheets[0]


def cell_text(value: Any) -> str:
    """A cell as text: None → "", 2022.0 → "2022", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value).strip()


def header_index(header: tuple[Any, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        found.setdefault(cell_text(name).lower(), i)
    return found


def is_egov_header(header: tuple[Any, ...]) -> bool:
    return set(COLUMNS) <= header_index(header).keys()


def parse(data: bytes, *, dataset: str | None = None) -> Parsed:
    sheet = open_sheet(data)
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, ())
    index = header_index(header)
    missing = [name for name in COLUMNS if name not in index]
    if missing:
        found = ", ".join(cell_text(name) for name in header) or "nothing"
        raise ImportFormatError(
            f"expected columns year, Country, variable, brkdown, unit, Value; found {found}",
            line=1,
            field=missing[0],
        )
    code = dataset_code(dataset) or DEFAULT_DATASET
    positions = [index[name] for name in COLUMNS]
    return Parsed(format=FORMAT, dataset=code, last_update=None, rows=_rows(rows, positions, code))


def _rows(
    rows: Iterator[tuple[Any, ...]], positions: list[int], dataset: str
) -> Iterator[Observation]:
    width = max(positions) + 1
    for line, row in enumerate(rows, start=2):
        if len(row) < width:
            row = tuple(row) + (None,) * (width - len(row))
        year, country, variable, brkdown, unit, raw = (row[i] for i in positions)
        if all(cell is None for cell in (year, country, variable, brkdown, unit, raw)):
            continue
        period, region = cell_text(year), cell_text(country)
        region = NAMES.get(region.lower(), region) if len(region) > 3 else region
        if not period.isdigit():
            raise ImportFormatError(f"expected a year, found {year!r}", line=line, field="year")
        if not region:
            raise ImportFormatError(
                "expected a country code, found an empty cell", line=line, field="Country"
            )
        value: float | None
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            value = float(raw)
        elif raw is None or cell_text(raw) in MISSING:
            value = None
        else:
            try:
                value = float(cell_text(raw).replace(",", "."))
            except ValueError:
                raise ImportFormatError(
                    f"expected a number, found {raw!r}", line=line, field="Value"
                ) from None
        dims = (
            ("brkdown", cell_text(brkdown)),
            ("unit", cell_text(unit)),
            ("variable", cell_text(variable)),
        )
        yield Observation(line, dataset, region, period, value, "", "", dims)
