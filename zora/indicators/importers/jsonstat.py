"""JSON-stat 2.0 datasets (the Eurostat API's JSON), decoded in row-major order over `size`.

    {"class": "dataset", "id": ["freq", …, "geo", "time"], "size": [1, …, 1, 3],
     "dimension": {"geo": {"category": {"index": {"DE": 0}}}, …},
     "value": {"0": 4.0, "1": 4.0}, "status": {…}, "updated": "…", "extension": {"id": "UNE_RT_M"}}

`value` and `status` may be lists or sparse objects keyed by the flat index. Positions without a
value are skipped unless they carry a status (then value None with that flag).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from .base import (
    ImportFormatError,
    Observation,
    Parsed,
    check_not_empty,
    dataset_code,
    normalise_period,
)

FORMAT = "jsonstat"
GEO = ("geo", "ref_area")
TIME = ("time", "time_period")


def load(data: bytes) -> Any:
    check_not_empty(data)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFormatError("expected UTF-8 JSON text", line=line) from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"expected a complete JSON-stat document, found invalid JSON: {exc.msg} at column {exc.colno}",
            line=exc.lineno,
        ) from None


def _dataset_node(doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise ImportFormatError("expected a JSON object (a JSON-stat dataset)", line=1)
    if doc.get("class") == "dataset" or "id" in doc or "dimension" in doc:
        return doc
    inner = [v for v in doc.values() if isinstance(v, dict) and "dimension" in v]
    if len(inner) == 1 and doc.get("class") is None:  # a JSON-stat 1.0 bundle of one dataset
        return inner[0]
    found = doc.get("class") or "an object without id, size and dimension"
    raise ImportFormatError(f"expected a JSON-stat dataset, found {found}")


def _categories(name: str, node: Any) -> list[str]:
    """Codes of a dimension in index order."""
    category = node.get("category") if isinstance(node, dict) else None
    if not isinstance(category, dict):
        raise ImportFormatError(f"expected dimension.{name}.category", field=name)
    index = category.get("index")
    if index is None and isinstance(category.get("label"), dict) and len(category["label"]) == 1:
        return list(category["label"])
    if isinstance(index, list):
        return [str(code) for code in index]
    if isinstance(index, dict):
        codes = [""] * len(index)
        for code, position in index.items():
            if not isinstance(position, int) or not 0 <= position < len(index) or codes[position]:
                raise ImportFormatError(
                    f"expected distinct positions 0…{len(index) - 1}, found {position!r} for {code!r}",
                    field=f"dimension.{name}.category.index",
                )
            codes[position] = str(code)
        return codes
    raise ImportFormatError(
        "expected an object or a list", field=f"dimension.{name}.category.index"
    )


def _sparse(node: Any, total: int, name: str) -> dict[int, Any]:
    if node is None:
        return {}
    if isinstance(node, list):
        if len(node) != total:
            raise ImportFormatError(
                f"expected {total} entries (the product of size), found {len(node)}", field=name
            )
        return {i: v for i, v in enumerate(node) if v is not None}
    if isinstance(node, dict):
        out: dict[int, Any] = {}
        for key, v in node.items():
            try:
                position = int(key)
            except ValueError:
                raise ImportFormatError(
                    f"expected a flat index, found {key!r}", field=name
                ) from None
            if not 0 <= position < total:
                raise ImportFormatError(
                    f"expected a flat index below {total}, found {key!r}", field=name
                )
            if v is not None:
                out[position] = v
        return out
    raise ImportFormatError("expected a list or an object", field=name)


def _named_dataset(doc: dict[str, Any], extension: Any) -> str | None:
    if isinstance(extension, dict):
        for key in ("datasetId", "dataset", "id"):
            if isinstance(extension.get(key), str) and extension[key].strip():
                return dataset_code(extension[key])
    label = doc.get("label")
    if isinstance(label, str) and label.strip() and " " not in label.strip():
        return dataset_code(label)
    return None


def parse(data: bytes, *, dataset: str | None = None) -> Parsed:
    doc = _dataset_node(load(data))
    ids, sizes, dimensions = doc.get("id"), doc.get("size"), doc.get("dimension")
    if isinstance(dimensions, dict) and ids is None:  # JSON-stat 1.0 keeps them in dimension
        ids, sizes = dimensions.get("id"), dimensions.get("size")
    for key, node, kind in (
        ("id", ids, list),
        ("size", sizes, list),
        ("dimension", dimensions, dict),
    ):
        if not isinstance(node, kind):
            raise ImportFormatError(f"expected {key!r} ({kind.__name__}) in the dataset", field=key)
    assert isinstance(ids, list) and isinstance(sizes, list) and isinstance(dimensions, dict)
    if "value" not in doc:
        raise ImportFormatError("expected 'value' in the dataset", field="value")
    if len(ids) != len(sizes) or not all(isinstance(s, int) and s >= 0 for s in sizes):
        raise ImportFormatError(f"expected one size per dimension in {ids}", field="size")
    codes: list[list[str]] = []
    for name, size in zip(ids, sizes, strict=True):
        if name not in dimensions:
            raise ImportFormatError(f"expected dimension.{name}", field=name)
        found = _categories(name, dimensions[name])
        if len(found) != size:
            raise ImportFormatError(
                f"expected {size} categories (size), found {len(found)}", field=name
            )
        codes.append(found)
    lower = [str(name).lower() for name in ids]
    role = doc["role"] if isinstance(doc.get("role"), dict) else {}
    geo = _which(lower, GEO, role.get("geo"), "geo")
    time = _which(lower, TIME, role.get("time"), "time")
    total = math.prod(sizes)
    values = _sparse(doc["value"], total, "value")
    status = doc.get("status")
    statuses = {} if isinstance(status, str) else _sparse(status, total, "status")
    everywhere = status if isinstance(status, str) else ""
    code = _named_dataset(doc, doc.get("extension")) or dataset_code(dataset)
    updated = doc.get("updated")
    rows = _rows(values, statuses, everywhere, codes, lower, geo, time, code or "", sizes)
    return Parsed(
        format=FORMAT,
        dataset=code,
        last_update=updated if isinstance(updated, str) else None,
        rows=rows,
    )


def _which(lower: list[str], names: tuple[str, ...], role: Any, label: str) -> int:
    if isinstance(role, list) and len(role) == 1 and str(role[0]).lower() in lower:
        return lower.index(str(role[0]).lower())
    for name in names:
        if name in lower:
            return lower.index(name)
    raise ImportFormatError(f"expected a {label!r} dimension in {lower}", field="id")


def _rows(
    values: dict[int, Any],
    statuses: dict[int, Any],
    everywhere: str,
    codes: list[list[str]],
    names: list[str],
    geo: int,
    time: int,
    dataset: str,
    sizes: list[int],
) -> Iterator[Observation]:
    others = sorted((name, i) for i, name in enumerate(names) if i not in (geo, time))
    positions = sorted(values.keys() | statuses.keys())
    for position in positions:
        coords = [0] * len(sizes)
        rest = position
        for axis in range(len(sizes) - 1, -1, -1):
            rest, coords[axis] = divmod(rest, sizes[axis])
        raw = values.get(position)
        line = position + 1
        if raw is None:
            value = None
        elif isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise ImportFormatError(f"expected a number, found {raw!r}", line=line, field="value")
        else:
            try:
                value = float(raw)
            except ValueError:
                raise ImportFormatError(
                    f"expected a number, found {raw!r}", line=line, field="value"
                ) from None
            if not math.isfinite(value):
                raise ImportFormatError(
                    f"expected a finite number, found {raw!r}", line=line, field="value"
                )
        flags = statuses.get(position, everywhere)
        yield Observation(
            line,
            dataset,
            codes[geo][coords[geo]],
            normalise_period(codes[time][coords[time]]),
            value,
            str(flags).strip(),
            "",
            tuple((name, codes[i][coords[i]]) for name, i in others),
        )
