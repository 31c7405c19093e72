"""Write the six contract kinds as CSV for spreadsheet users.

Nested values are flattened: dicts become dotted columns (``geo.lat``, ``fatalities.best``), lists of
plain values are joined with ``"; "`` and lists of objects (quantities, sides, timeline) are joined
compact JSON objects, so nothing is lost. Records are validated against the contract first.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from rashomon.export.contract import KINDS, build_records
from rashomon.export.jsonl import RecordSource
from rashomon.export.validate import validate_record

SEP = "; "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """Article text opening with a formula character would run as a formula in a spreadsheet."""
    if text.startswith(_FORMULA_START):
        try:
            float(text)
            return text
        except ValueError:
            return "'" + text
    return text


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str):
        return defuse(value)
    return value


def _join(items: list[Any]) -> str:
    if any(isinstance(i, (dict, list)) for i in items):
        return SEP.join(str(_cell(i)) for i in items)
    return SEP.join("" if i is None else str(_cell(i)) for i in items)


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One CSV row: nested dicts as dotted keys, lists joined (see module docstring)."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            row[name] = defuse(_join(value))
        else:
            row[name] = _cell(value)
    return row


def _insert_column(columns: list[str], name: str) -> None:
    """Keep dotted columns next to their siblings/parent even when first seen in a later row."""
    parent = name.rsplit(".", 1)[0] if "." in name else None
    if parent is not None:
        related = [i for i, c in enumerate(columns) if c == parent or c.startswith(parent + ".")]
        if related:
            columns.insert(related[-1] + 1, name)
            return
    columns.append(name)


def columns_for(rows: list[dict[str, Any]]) -> list[str]:
    """Column order by first appearance; a bare column that is always empty and has dotted children
    (an object that was null in some rows) is dropped."""
    columns: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for name in row:
            if name not in seen:
                seen.add(name)
                _insert_column(columns, name)
    return [c for c in columns
            if not (any(o.startswith(c + ".") for o in columns) and all(r.get(c, "") == "" for r in rows))]


def write_csv(path: Path, records: list[dict[str, Any]]) -> int:
    rows = [flatten(r) for r in records]
    cols = columns_for(rows) or ["id"]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore", restval="")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def export_csv(store: RecordSource, out_dir: Path | str) -> dict[str, int]:
    """Write ``<kind>.csv`` for every contract kind; returns rows written per kind."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    records = build_records(store.iter_extractions(), store.load_reconciled())
    for kind in KINDS:
        for record in records[kind]:
            validate_record(kind, record)
    return {kind: write_csv(out / f"{kind}.csv", records[kind]) for kind in KINDS}
