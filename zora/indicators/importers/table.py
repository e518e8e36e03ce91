"""A plain CSV file's observations grouped into series, column by column (pandas + numpy).

The fast way to read a big SDMX-CSV or Eurostat CSV file: pandas' C parser reads the cells,
numpy groups the rows by series and region, and each series comes out as the JSON text of its
lists (periods, values, flags, confidentiality), ready to store as one `Series` row. A million
rows take well under a second.

It vouches only for what it can check cheaply; anything else (a value that is not a number, a
repeated key, labels in the cells, an unknown region in a strict import, a ragged row) raises
NotSimple, and the caller reads the file row by row instead (which names the line of any
error). Pure: no Django here."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

from .base import Columns, Dimensions, NotSimple, normalise_period

MAX_PERIOD = 10
MAX_FLAGS = 10
MAX_CONFIDENTIALITY = 2


@dataclass
class SeriesTable:
    """Observations grouped by series × region; the lists run in parallel, one entry each."""

    rows_read: int
    skipped: dict[str, int] = field(default_factory=dict)
    dimensions: list[Dimensions] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)  # observations in the series
    # JSON arrays, e.g. '["2023","2024"]', '[7.8,null]', '["b",""]', '["",""]'
    periods: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    confidentiality: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(self.sizes)


def csv_series_table(
    data: bytes, columns: Columns, known: set[str] | frozenset[str], strict: bool
) -> SeriesTable:
    """The rows of a CSV file whose header `columns` describes, grouped into series.

    Rows whose region is not in `known` are skipped ("unknown region code"), as are rows with
    neither a value nor a flag ("no value and no flag"). Raises NotSimple where the file needs
    the row-by-row reader."""
    import numpy as np
    import pandas as pd

    c = columns
    if c.strip_labels or b'"' in data:
        raise NotSimple  # labels or quoted cells: left to the csv module
    text_columns = [c.region, c.period, *(index for _, index in c.dimensions)]
    marks = [index for index in (c.flags, c.confidentiality, c.action) if index is not None]
    used = sorted({c.value, *text_columns, *marks})
    try:
        # Code columns as categories: the parser keeps each distinct cell once and hands over
        # its code per row (no million Python strings, no second pass to group them).
        frame = pd.read_csv(
            io.BytesIO(data),
            header=None,
            skiprows=1,
            usecols=used,
            dtype={index: "category" for index in used if index != c.value},
            keep_default_na=False,
            na_values={c.value: [""]},
            encoding="utf-8",
            engine="c",
        )
    except (UnicodeDecodeError, ValueError, pd.errors.ParserError):
        raise NotSimple from None
    # Every row as wide as the header (no quotes, so every comma separates two cells): pandas
    # would fill a short row with NaN and drop the cells of a long one.
    if frame.empty or data.count(b",") != (c.width - 1) * (len(frame) + 1):
        raise NotSimple
    values = frame[c.value].to_numpy()
    if values.dtype.kind in "iu":  # every cell a whole number
        values = values.astype(np.float64)
    if values.dtype != np.float64:
        raise NotSimple  # text in a value cell: the row reader names the line
    present = ~np.isnan(values)
    if not np.isfinite(values[present]).all():
        raise NotSimple
    if c.action is not None and "D" in set(_names(frame, c.action)):
        raise NotSimple
    rows_read = len(frame)

    # Regions: unknown ones are skipped (strict: the row reader names the first one).
    region_codes, region_names = _codes(frame, c.region), _names(frame, c.region)
    if "" in set(region_names):
        raise NotSimple
    known_region = np.array([code in known for code in region_names], dtype=bool)
    keep = known_region[region_codes]
    unknown = rows_read - int(keep.sum())
    if unknown and strict:
        raise NotSimple

    # Flags and confidentiality, stripped as the row reader does.
    flag_codes, flag_texts = _marks(frame, c.flags, rows_read, MAX_FLAGS)
    conf_codes, conf_texts = _marks(frame, c.confidentiality, rows_read, MAX_CONFIDENTIALITY)
    nothing = ~present & (flag_codes == 0) & (conf_codes == 0)
    empty = int((keep & nothing).sum())
    keep &= ~nothing

    # Periods, normalised ("2024Q1" → "2024-Q1") once per distinct cell, sorted.
    normalised = [normalise_period(p) for p in _names(frame, c.period)]
    if not all(0 < len(p) <= MAX_PERIOD for p in normalised):
        raise NotSimple
    by_period, period_names = pd.factorize(np.array(normalised, dtype=object), sort=True)
    period_codes = by_period[_codes(frame, c.period)]

    # Series: the dimensions (each distinct combination once) and the region.
    combo = np.zeros(rows_read, dtype=np.int64)
    for _key, index in c.dimensions:
        combo, _ = pd.factorize(combo * len(_names(frame, index)) + _codes(frame, index))
    group, _ = pd.factorize(combo * len(region_names) + region_codes)

    rows = np.flatnonzero(keep)
    key = group[rows] * len(period_names) + period_codes[rows]
    if len(key) > 1 and not (key[1:] > key[:-1]).all():  # files usually come in this order
        sort = np.argsort(key, kind="stable")
        rows, key = rows[sort], key[sort]
        if (key[1:] == key[:-1]).any():
            raise NotSimple  # a repeated key: the row path keeps the later line
    order = rows
    ordered_group = group[order]
    starts = np.flatnonzero(np.r_[True, ordered_group[1:] != ordered_group[:-1]])
    ends = np.r_[starts[1:], len(order)].astype(np.int64)

    value_codes, distinct_values = pd.factorize(values)  # NaN → -1
    value_texts = [repr(float(v)) for v in distinct_values] + ["null"]
    period_texts = [json.dumps(p) for p in period_names]

    table = SeriesTable(rows_read=rows_read)
    if unknown:
        table.skipped["unknown region code"] = unknown
    if empty:
        table.skipped["no value and no flag"] = empty
    if not len(order):
        return table
    table.periods = _arrays(period_texts, period_codes[order], starts, ends, increasing=True)
    table.values = _arrays(value_texts, value_codes[order], starts, ends)
    table.flags = _arrays(flag_texts, flag_codes[order], starts, ends)
    table.confidentiality = _arrays(conf_texts, conf_codes[order], starts, ends)
    table.sizes = (ends - starts).tolist()
    first_rows = order[starts]
    table.regions = [region_names[i] for i in region_codes[first_rows].tolist()]
    keys = [key for key, _ in c.dimensions]
    columns_of_dims = [
        np.array(_names(frame, index), dtype=object)[_codes(frame, index)[first_rows]]
        for _, index in c.dimensions
    ]
    cache: dict[tuple[str, ...], Dimensions] = {}
    for cells in zip(*columns_of_dims, strict=True) if keys else [() for _ in first_rows]:
        found = cache.get(cells)
        if found is None:
            found = cache[cells] = tuple(zip(keys, cells, strict=True))
        table.dimensions.append(found)
    return table


def _codes(frame: Any, index: int) -> Any:
    """The category code of each row's cell (int64)."""
    return frame[index].cat.codes.to_numpy().astype("int64")


def _names(frame: Any, index: int) -> list[str]:
    """The distinct cells of a column, in the order of their codes."""
    return [str(name) for name in frame[index].cat.categories]


def _marks(frame: Any, index: int | None, rows: int, width: int) -> tuple[Any, list[str]]:
    """Codes per row and the JSON text of each distinct stripped mark; code 0 is no mark."""
    import numpy as np

    if index is None:
        return np.zeros(rows, dtype=np.int64), ['""']
    stripped = [name.strip()[:width] for name in _names(frame, index)]
    marks = ["", *sorted(set(stripped) - {""})]
    position = {mark: i for i, mark in enumerate(marks)}
    recode = np.array([position[mark] for mark in stripped], dtype=np.int64)
    return recode[_codes(frame, index)], [json.dumps(m) for m in marks]


def _arrays(
    texts: list[str], codes: Any, starts: Any, ends: Any, *, increasing: bool = False
) -> list[str]:
    """The JSON array text of each run [start, end) of `codes` (indexes into `texts`, the JSON
    text of each distinct value). Runs known to repeat are joined once: a run of one code (no
    flags), or, for `increasing` codes, a run of consecutive codes (every year 2005–2024)."""
    import numpy as np

    join = ",".join
    bounds = zip(starts.tolist(), ends.tolist(), strict=True)
    if increasing:
        # strictly increasing within each run: consecutive if last - first == length - 1
        low = codes[starts]
        regular = (codes[ends - 1] - low) == (ends - starts - 1)
    else:
        low = np.minimum.reduceat(codes, starts)
        regular = low == np.maximum.reduceat(codes, starts)
    if regular.mean() < 0.5:  # values: every run different
        items: list[str] = np.array(texts, dtype=object)[codes].tolist()
        return [f"[{join(items[a:b])}]" for a, b in bounds]
    out = np.empty(len(starts), dtype=object)
    lengths = ends - starts
    # each distinct (first code, length) of the regular runs: joined once
    _kinds, where, inverse = np.unique(
        (low * (int(lengths.max()) + 1) + lengths)[regular], return_index=True, return_inverse=True
    )
    regular_at = np.flatnonzero(regular)
    made = []
    for run in regular_at[where].tolist():
        a, b = int(starts[run]), int(ends[run])
        made.append(f"[{join([texts[k] for k in codes[a:b].tolist()])}]")
    out[regular_at] = np.array(made, dtype=object)[inverse]
    odd = np.flatnonzero(~regular)
    if len(odd):
        codes_list = codes.tolist()
        for run, a, b in zip(odd.tolist(), starts[odd].tolist(), ends[odd].tolist(), strict=True):
            out[run] = f"[{join([texts[k] for k in codes_list[a:b]])}]"
    return out.tolist()
