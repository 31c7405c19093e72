"""Validate contract records against the JSON Schemas shipped in ``export/schemas``.

Every exported record is checked before it is written, so a file on disk always honours the
contract; a failure names the record's kind and id and the schema rule it broke.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from rashomon.export.contract import KINDS


class ContractError(ValueError):
    """A record that does not satisfy its export-contract schema."""


@cache
def load_schema(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise KeyError(f"no schema for {kind!r} (kinds: {', '.join(KINDS)})")
    text = resources.files("rashomon.export").joinpath("schemas", f"{kind}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def validator(kind: str) -> Draft202012Validator:
    schema = load_schema(kind)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_record(kind: str, record: dict[str, Any]) -> None:
    """Raise ContractError naming the record id, the failing field path and the schema message."""
    error = best_match(validator(kind).iter_errors(record))
    if error is None:
        return
    path = "/".join(str(p) for p in error.absolute_path) or "(record)"
    rid = record.get("id") if isinstance(record, dict) else None
    raise ContractError(f"{kind} record {rid!r} breaks the export contract at {path}: {error.message}")
