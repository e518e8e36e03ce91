"""Tell the format of a statistics file from its content, and parse it with the right module."""

from __future__ import annotations

import json
import re

from . import egov_xlsx, eurostat_csv, jsonstat, mapped, sdmx_csv, tsv
from .base import ImportFormatError, Parsed, check_not_empty

FORMATS = ("eurostat-csv", "sdmx-csv", "tsv", "jsonstat", "egov-xlsx", "mapped")
_JSONSTAT_CLASS = re.compile(r'"class"\s*:\s*"dataset"')
_PARSERS = {
    "eurostat-csv": eurostat_csv.parse,
    "sdmx-csv": sdmx_csv.parse,
    "tsv": tsv.parse,
    "jsonstat": jsonstat.parse,
    "egov-xlsx": egov_xlsx.parse,
}


def _looks_like_jsonstat(data: bytes) -> bool:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):  # truncated? judge by the text
        text = data[:1_000_000].decode("utf-8", "replace")
        keys = all(f'"{key}"' in text for key in ("id", "size", "value"))
        return bool(_JSONSTAT_CLASS.search(text)) or keys
    if not isinstance(doc, dict):
        return False
    if doc.get("class") == "dataset" or {"id", "size", "value"} <= doc.keys():
        return True
    return any(isinstance(v, dict) and "dimension" in v and "value" in v for v in doc.values())


def detect(data: bytes, filename: str = "") -> str:
    """One of FORMATS, judged by the content; the file name only breaks ties."""
    check_not_empty(data)
    if mapped.is_xlsx(data, filename):
        sheet = egov_xlsx.open_sheet(data)
        header = next(sheet.iter_rows(max_row=1, values_only=True), ())
        return "egov-xlsx" if egov_xlsx.is_egov_header(header) else "mapped"
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        if _looks_like_jsonstat(data):
            return "jsonstat"
        raise ImportFormatError("unknown format: JSON, but not a JSON-stat dataset")
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
    upper = first_line.upper()
    if upper.startswith("STRUCTURE,"):
        return "sdmx-csv"
    if upper.startswith("DATAFLOW,"):
        return "eurostat-csv"
    if "\t" in first_line and "\\TIME" in upper:
        return "tsv"
    raise ImportFormatError(
        f"unknown format: expected Eurostat CSV/TSV, SDMX-CSV, JSON-stat or XLSX, found the first "
        f"line {first_line[:80]!r} (import other tables with a column mapping)",
        line=1,
    )


def parse_any(
    data: bytes,
    *,
    format: str = "auto",
    dataset: str | None = None,
    filename: str = "",
    mapping: dict[str, str] | None = None,
) -> Parsed:
    """Parse with the named format, or the detected one for "auto"."""
    chosen = detect(data, filename) if format == "auto" else format
    if chosen == "mapped":
        return mapped.parse(data, dataset=dataset, mapping=mapping, filename=filename)
    if chosen not in _PARSERS:
        raise ImportFormatError(f"unknown format {chosen!r}: expected one of {', '.join(FORMATS)}")
    return _PARSERS[chosen](data, dataset=dataset)
