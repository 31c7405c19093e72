"""Parquet of every contract record kind (``<kind>.parquet``), for pandas, DuckDB and Spark users.

Every field the contract's JSON Schemas declare is typed from the schema, not from whatever the data
happens to hold, so those columns keep their types from one run to the next (and in an empty file):
nested objects are structs, arrays are lists (``location.lat`` in DuckDB, dicts in pandas). Values the
schema leaves free-form (a dispute side's value, maps such as ``acled``) are JSON text; the file's
metadata key ``rashomon.json_columns`` names them. Keys a record carries beyond its schema follow the
declared ones, typed from their values (JSON text where the values disagree).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from rashomon.export.common import load_corpus
from rashomon.export.contract import KINDS
from rashomon.export.jsonl import RecordSource
from rashomon.export.validate import load_schema

SCALARS = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}


@dataclass(slots=True)
class Spec:
    """How one value is written: ``scalar`` (arrow type), ``list`` (of ``item``), ``struct`` (``fields``)
    or ``json`` (text)."""

    kind: str
    arrow: pa.DataType | None = None
    item: Spec | None = None
    fields: list[tuple[str, Spec]] = field(default_factory=list)


JSON = Spec("json")


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return root.get("$defs", {}).get(ref[len("#/$defs/"):], {})
    return node


def _types(node: dict[str, Any]) -> set[str]:
    """The JSON types a schema node allows, null aside (an enum of strings is a string)."""
    declared = node.get("type")
    if declared is None and "enum" in node:
        kinds = {"string" if isinstance(v, str) else "null" if v is None else "other" for v in node["enum"]}
        return kinds - {"null"}
    names = [declared] if isinstance(declared, str) else list(declared or [])
    return set(names) - {"null"}


def _from_values(values: Sequence[Any]) -> Spec:
    """A key the schema does not describe: typed from its values (objects as structs of the keys
    seen, lists by their items) when every value agrees, else JSON text."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, dict) for v in present):
        keys = list(dict.fromkeys(k for d in present for k in d))
        return Spec("struct", fields=[(k, _from_values([d.get(k) for d in present])) for k in keys])
    if present and all(isinstance(v, list) for v in present):
        return Spec("list", item=_from_values([i for v in present for i in v]))
    if all(isinstance(v, str) for v in present):
        return Spec("scalar", pa.string())
    if all(isinstance(v, bool) for v in present):
        return Spec("scalar", pa.bool_())
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return Spec("scalar", pa.int64())
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return Spec("scalar", pa.float64())
    return JSON


def _struct(node: dict[str, Any], values: Sequence[Any], root: dict[str, Any]) -> Spec:
    props: dict[str, Any] = node["properties"]
    dicts = [v for v in values if isinstance(v, dict)]
    keys = list(props) + list(dict.fromkeys(k for d in dicts for k in d if k not in props))
    return Spec("struct", fields=[
        (k, spec_for(props[k], [d.get(k) for d in dicts], root) if k in props else _from_values([d.get(k) for d in dicts]))
        for k in keys
    ])


def spec_for(node: dict[str, Any], values: Sequence[Any], root: dict[str, Any]) -> Spec:
    """The Spec of a schema node; ``values`` are the data at that place (for undeclared keys only)."""
    node = _resolve(node, root)
    types = _types(node)
    if types == {"object"} and node.get("properties"):
        return _struct(node, values, root)
    if types == {"array"}:
        items = [i for v in values if isinstance(v, list) for i in v]
        return Spec("list", item=spec_for(node.get("items", {}), items, root))
    if types == {"integer"} and any(isinstance(v, float) for v in values):
        return Spec("scalar", pa.float64())
    if len(types) == 1 and next(iter(types)) in SCALARS:
        return Spec("scalar", SCALARS[next(iter(types))])
    if types == {"integer", "number"}:
        return Spec("scalar", pa.float64())
    return JSON


def arrow_type(spec: Spec) -> pa.DataType:
    if spec.kind == "scalar":
        return spec.arrow
    if spec.kind == "list":
        assert spec.item is not None
        return pa.list_(arrow_type(spec.item))
    if spec.kind == "struct":
        return pa.struct([pa.field(k, arrow_type(s)) for k, s in spec.fields])
    return pa.string()


def convert(value: Any, spec: Spec) -> Any:
    """A value shaped for ``arrow_type(spec)``."""
    if value is None:
        return None
    if spec.kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if spec.kind == "list":
        assert spec.item is not None
        return [convert(v, spec.item) for v in value]
    if spec.kind == "struct":
        return {k: convert(value.get(k), s) for k, s in spec.fields}
    return value


def json_paths(spec: Spec, prefix: str = "") -> list[str]:
    """Dotted paths of the JSON-text values (``[]`` marks list items)."""
    if spec.kind == "json":
        return [prefix]
    if spec.kind == "list":
        assert spec.item is not None
        return json_paths(spec.item, prefix + "[]")
    return [p for k, s in spec.fields for p in json_paths(s, f"{prefix}.{k}" if prefix else k)]


def table(kind: str, records: list[dict[str, Any]]) -> pa.Table:
    """One kind's records as an Arrow table typed by its schema."""
    schema = load_schema(kind)
    spec = _struct(schema, records, schema)
    columns = {k: pa.array([convert(r.get(k), s) for r in records], type=arrow_type(s)) for k, s in spec.fields}
    meta = {"rashomon.kind": kind, "rashomon.json_columns": ",".join(json_paths(spec))}
    return pa.table(columns).replace_schema_metadata(meta)


def export_parquet(store: RecordSource, out_dir: Path | str) -> dict[str, int]:
    """Write ``<kind>.parquet`` for every contract kind; returns rows written per kind."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    records = load_corpus(store).records
    counts: dict[str, int] = {}
    for kind in KINDS:
        path = out / f"{kind}.parquet"
        tmp = path.with_name(f".{path.name}.part")
        pq.write_table(table(kind, records[kind]), tmp)
        os.replace(tmp, path)
        counts[kind] = len(records[kind])
    return counts
