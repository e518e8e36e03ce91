"""SDMX-CSV 2.0, one observation per row.

    STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,freq,Time frequency,geo,Geopolitical entity…,TIME_PERIOD,…
    dataflow,ESTAT:SDG_09_40(1.0),Patent applications…,A,Annual,AL,Albania,2009,,1,,,,,

STRUCTURE_NAME and ACTION are optional. Eurostat's "with labels" export follows every code
column with a label column (header "Time frequency", values "Annual"); SDMX's own labels=both
puts both in one column ("freq: Time frequency", "A: Annual"). Labels are ignored either way.
"""

from __future__ import annotations

import dataclasses
import re
from functools import partial

from .base import (
    ImportFormatError,
    Parsed,
    csv_observations,
    dataset_code,
    find_columns,
    open_csv,
)
from .table import csv_series_table

FORMAT = "sdmx-csv"
STRUCTURAL = {"structure", "structure_id", "structure_name", "action"}
COMPONENTS = {"time_period", "obs_value", "obs_flag", "obs_status", "conf_status"}
CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def code_columns(
    header: list[str], structural: set[str] = STRUCTURAL
) -> tuple[dict[int, str], bool]:
    """{index: code} for the columns holding codes, and whether cells read "code: label".

    `structural` columns (lower-case names) never have a label column after them.
    """
    if any(": " in name for name in header):
        return {i: name.partition(": ")[0].strip() for i, name in enumerate(header)}, True
    rest = [i for i, name in enumerate(header) if name.lower() not in structural]
    labelled = any(not CODE.fullmatch(header[i]) for i in rest)
    codes = {i: name for i, name in enumerate(header) if name.lower() in structural}
    position = 0
    while position < len(rest):
        index = rest[position]
        codes[index] = header[index]
        position += 1
        if labelled and position < len(rest):
            label = header[rest[position]]
            if label.lower() not in COMPONENTS:  # a label column: skip it
                position += 1
    for index, name in codes.items():
        if not CODE.fullmatch(name) and name.lower() not in structural:
            raise ImportFormatError(
                f"expected a column code, found {name!r}", line=1, field=name or f"#{index + 1}"
            )
    return codes, False


def parse(data: bytes, *, dataset: str | None = None) -> Parsed:
    reader, header, first = open_csv(data, "STRUCTURE")
    codes, combined = code_columns(header)
    if "structure_id" not in {name.lower() for name in codes.values()}:
        raise ImportFormatError(
            "missing column STRUCTURE_ID: expected it in the header", line=1, field="STRUCTURE_ID"
        )
    columns = find_columns(codes, width=len(header), ignore=STRUCTURAL, dataset="structure_id")
    columns = dataclasses.replace(columns, strip_labels=combined)
    default = dataset_code(dataset) or ""
    named = None
    if first is not None and columns.dataset is not None and len(first) == len(header):
        named = dataset_code(first[columns.dataset].partition(": ")[0])
    rows = csv_observations(reader, first, columns, default_dataset=default, data=data)
    return Parsed(
        format=FORMAT,
        dataset=named or default or None,
        last_update=None,
        rows=rows,
        table=partial(csv_series_table, data, columns),
    )
