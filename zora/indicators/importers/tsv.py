"""Eurostat TSV: one row per series, one column per period.

    freq,landuse,unit,geo\\TIME_PERIOD<TAB>2017 <TAB>2018 …
    A,TOTAL,KM2,BG344<TAB>5150 <TAB>5150 …
    A,TOTAL,KM2,AL<TAB>: <TAB>28791 e<TAB>: m …

A cell is "value flags" ("7.8 b", "12 "); ":" marks a missing value, optionally with flags
(": m"). Every cell becomes an observation, missing ones with value None.
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import (
    REGION_COLUMNS,
    Dimensions,
    ImportFormatError,
    Observation,
    Parsed,
    dataset_code,
    decode_error,
    normalise_period,
    number_error,
    parse_number,
    text_stream,
)

FORMAT = "tsv"


def parse(data: bytes, *, dataset: str | None = None) -> Parsed:
    stream = text_stream(data, newline=None)
    try:
        header = stream.readline().rstrip("\n").split("\t")
    except UnicodeDecodeError:
        raise decode_error(data) from None
    first = header[0]
    if "\\" not in first:
        raise ImportFormatError(
            f"expected 'dimensions\\TIME_PERIOD' as the first header cell, found {first!r}",
            line=1,
            field=first,
        )
    names = [name.strip().lower() for name in first.partition("\\")[0].split(",")]
    region = next((names.index(c) for c in REGION_COLUMNS if c in names), None)
    if region is None:
        raise ImportFormatError(
            f"missing dimension geo: expected it before '\\' in {first!r}", line=1, field="geo"
        )
    while len(header) > 1 and not header[-1].strip():
        header.pop()
    periods = [normalise_period(label) for label in header[1:]]
    if not periods or not all(periods):
        raise ImportFormatError("expected a period label in every column after the first", line=1)
    code = dataset_code(dataset)
    rows = _rows(stream, names, region, periods, code or "", data)
    return Parsed(format=FORMAT, dataset=code, last_update=None, rows=rows)


def _rows(
    lines: Iterator[str],
    names: list[str],
    region: int,
    periods: list[str],
    dataset: str,
    data: bytes,
) -> Iterator[Observation]:
    others = sorted((name, i) for i, name in enumerate(names) if i != region)
    width = len(periods) + 1
    dims_cache: dict[tuple[str, ...], Dimensions] = {}
    number = 1
    try:
        for number, text in enumerate(lines, start=2):
            text = text.rstrip("\n")
            if not text.strip():
                continue
            cells = text.split("\t")
            codes = cells[0].split(",")
            if len(codes) != len(names):
                raise ImportFormatError(
                    f"expected {len(names)} codes ({','.join(names)}), found {cells[0]!r}",
                    line=number,
                )
            if len(cells) != width:
                if len(cells) > width and not any(c.strip() for c in cells[width:]):
                    del cells[width:]
                else:
                    raise ImportFormatError(
                        f"expected {width - 1} period cells, found {len(cells) - 1}", line=number
                    )
            key = tuple(codes)
            dims = dims_cache.get(key)
            if dims is None:
                dims = dims_cache[key] = tuple((name, codes[i]) for name, i in others)
            geo = codes[region]
            for period, cell in zip(periods, cells[1:], strict=True):
                value, flags = _cell(cell, line=number, field=period)
                yield Observation(number, dataset, geo, period, value, flags, "", dims)
    except UnicodeDecodeError:
        raise decode_error(data) from None


def _cell(cell: str, *, line: int, field: str) -> tuple[float | None, str]:
    text, _, flags = cell.strip().partition(" ")
    flags = flags.strip()
    if text.startswith(":"):  # missing; ":m" may come without the space
        flags = (text[1:] + flags).strip()
        value = None
    elif text:
        try:
            value = parse_number(text)
        except ValueError:
            raise number_error(cell.strip(), line=line, field=field) from None
    else:
        value = None
    if flags and not flags.isalpha():
        raise ImportFormatError(
            f"expected flag letters after the value, found {cell.strip()!r}", line=line, field=field
        )
    return value, flags
