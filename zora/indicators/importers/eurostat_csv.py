"""Eurostat data-browser CSV (the SDMX-CSV 1.0 flavour), one observation per row.

    DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS
    ESTAT:ISOC_R_IACC_H(1.0),25/06/26 23:00:00,A,PC_HH,AT11,2007,,u,

The dimension columns vary by dataset; OBS_FLAG, CONF_STATUS and LAST UPDATE may be absent.
Label columns (a download "with labels") are skipped as in SDMX-CSV 2.0.
"""

from __future__ import annotations

import dataclasses
from functools import partial

from .base import (
    Parsed,
    csv_observations,
    dataset_code,
    find_columns,
    open_csv,
)
from .sdmx_csv import code_columns
from .table import csv_series_table

FORMAT = "eurostat-csv"
STRUCTURAL = {"dataflow", "last update"}


def parse(data: bytes, *, dataset: str | None = None) -> Parsed:
    reader, header, first = open_csv(data, "DATAFLOW")
    codes, combined = code_columns(header, STRUCTURAL)
    columns = find_columns(codes, width=len(header), ignore=STRUCTURAL, dataset="dataflow")
    columns = dataclasses.replace(columns, strip_labels=combined)
    default = dataset_code(dataset) or ""
    named = dataset_code(first[0]) if first else None
    last_update = None
    if first is not None and len(first) == len(header):
        lower = [name.lower() for name in header]
        if "last update" in lower:
            last_update = first[lower.index("last update")].strip() or None
    rows = csv_observations(reader, first, columns, default_dataset=default, data=data)
    return Parsed(
        format=FORMAT,
        dataset=named or default or None,
        last_update=last_update,
        rows=rows,
        table=partial(csv_series_table, data, columns),
    )
