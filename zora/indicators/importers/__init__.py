"""Pure parsers for official statistics files (no Django): Eurostat CSV/TSV, SDMX-CSV 2.0,
JSON-stat 2.0, the eGovernment Benchmark XLSX, and any table through a column mapping.

    parsed = parse_any(data, filename="isoc_r_iacc_h.csv")
    for observation in parsed.rows: ...
"""

from .base import ImportFormatError, Observation, Parsed
from .detect import FORMATS, detect, parse_any

__all__ = ["FORMATS", "ImportFormatError", "Observation", "Parsed", "detect", "parse_any"]
