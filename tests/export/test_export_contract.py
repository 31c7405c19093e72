"""Export contract v1: records, schemas, JSONL and CSV writers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import rsh_sample as sample  # noqa: E402  (tests/conftest.py puts tests/export on the path)
from jsonschema import Draft202012Validator

from rashomon.export.contract import KINDS, article_outlets, build_records, claim_record
from rashomon.export.csv import export_csv, flatten
from rashomon.export.jsonl import export_jsonl, records_of
from rashomon.export.validate import ContractError, load_schema, validate_record
from rashomon.records import ENTITY_TYPES
from rashomon.store.db import Store

# Field names of PRODUCT.md "Export contract v1", per kind.
CONTRACT = {
    "articles": ["id", "source", "url", "outlet", "title", "published", "published_inferred", "dateline",
                 "language", "word_count", "duplicate_of", "evaluative"],
    "entities": ["id", "name", "type", "aliases", "article_ids", "mentions", "geo"],
    "claims": ["id", "article_id", "story_id", "speaker", "cue", "act", "stance", "content", "quote",
               "quantities", "hedges", "dates", "sentence", "span"],
    "events": ["id", "story_id", "article_ids", "event_type", "sub_event_type", "date", "location", "actor1",
               "actor2", "fatalities", "notes"],
    "stories": ["id", "title", "article_ids", "event_ids", "related_story_ids", "timeline"],
    "disputes": ["id", "story_id", "kind", "proposition", "sides", "explanation"],
}


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'e.db'}")
    exs = sample.extractions()
    s.add_extractions(exs)
    s.save_reconciled(sample.reconcile(exs), exs)
    yield s
    s.close()


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_schemas_are_valid_and_require_the_contract_fields() -> None:
    for kind in KINDS:
        schema = load_schema(kind)
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"].endswith("2020-12/schema")
        assert set(CONTRACT[kind]) <= set(schema["required"])
        assert schema["additionalProperties"] is True


def test_entity_type_enum_matches_records() -> None:
    assert load_schema("entities")["properties"]["type"]["enum"] == list(ENTITY_TYPES)


def test_export_jsonl_writes_valid_contract_records(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    counts = export_jsonl(store, out)
    assert counts == {"articles": 2, "entities": 3, "claims": 3, "events": 1, "stories": 1, "disputes": 2}
    for kind in KINDS:
        rows = _read_jsonl(out / f"{kind}.jsonl")
        assert len(rows) == counts[kind]
        validator = Draft202012Validator(load_schema(kind))
        for row in rows:
            assert list(validator.iter_errors(row)) == []
            assert all(field in row for field in CONTRACT[kind])
    assert not list(out.glob(".*.part"))


def test_jsonl_values_read_back(store: Store, tmp_path: Path) -> None:
    export_jsonl(store, tmp_path)
    claims = {c["content"]: c for c in _read_jsonl(tmp_path / "claims.jsonl")}
    six = claims["it had captured six soldiers near Riverford"]
    assert six["speaker"]["name"] == "Example Front"
    assert six["speaker"]["entity_id"].startswith("ent_")
    assert six["quantities"][0]["qualifier"] == "exact" and six["quantities"][0]["value"] == 6
    assert six["hedges"] == ["purportedly"]
    assert six["span"] == [0, sample.TEXT_A.index("The army")]
    denial = claims["none of its soldiers had been captured"]
    assert denial["stance"] == "deny"
    event = _read_jsonl(tmp_path / "events.jsonl")[0]
    assert event["location"]["lat"] == 33.5 and event["location"]["precision"] == "town"
    assert event["fatalities"] == {"low": None, "best": None, "high": None, "claim_ids": []}
    assert event["captured"]["high"] == 7
    articles = {a["outlet"]: a for a in _read_jsonl(tmp_path / "articles.jsonl")}
    assert articles["Outlet A"]["published"] == "2025-03-03"
    assert articles["Outlet <B>"]["published"] is None
    assert articles["Outlet <B>"]["evaluative"] == ["shameful"]
    entities = {e["name"]: e for e in _read_jsonl(tmp_path / "entities.jsonl")}
    assert entities["Riverford"]["geo"]["country"] == "PK"
    assert entities["Army"]["geo"] is None


def test_dispute_side_outlets_filled_from_articles(store: Store, tmp_path: Path) -> None:
    export_jsonl(store, tmp_path)
    numeric = next(d for d in _read_jsonl(tmp_path / "disputes.jsonl") if d["kind"] == "numeric")
    assert numeric["sides"][1]["outlets"] == ["Outlet <B>"]  # reconcile left them empty
    assert numeric["sides"][1]["value"] == [7, None]


def test_missing_required_field_fails_validation() -> None:
    exs = sample.extractions()
    record = claim_record(exs[0].claims[0])
    validate_record("claims", record)
    del record["stance"]
    with pytest.raises(ContractError, match=exs[0].claims[0].id):
        validate_record("claims", record)


@pytest.mark.parametrize("kind,field,value", [
    ("claims", "stance", "maybe"),
    ("claims", "quote", "whispered"),
    ("articles", "published", "yesterday"),
    ("entities", "type", "wizard"),
])
def test_bad_enum_values_fail(kind: str, field: str, value: object) -> None:
    exs = sample.extractions()
    rec = build_records(exs, sample.reconcile(exs))[kind][0]
    rec[field] = value
    with pytest.raises(ContractError, match=field):
        validate_record(kind, rec)


def test_bad_qualifier_fails_export_and_leaves_no_files(tmp_path: Path) -> None:
    exs = sample.extractions()
    rec = sample.reconcile(exs)
    exs[0].claims[0].quantities[0].qualifier = "roughly"  # type: ignore[assignment]
    with pytest.raises(ContractError, match="qualifier"):
        export_jsonl(records_of(exs, rec), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unreconciled_export_uses_article_events(tmp_path: Path) -> None:
    exs = sample.extractions()
    from rashomon.records import Reconciled

    counts = export_jsonl(records_of(exs, Reconciled()), tmp_path)
    assert counts["events"] == 1 and counts["stories"] == 0
    claim = _read_jsonl(tmp_path / "claims.jsonl")[0]
    assert claim["story_id"] is None


def test_export_csv_flattens(store: Store, tmp_path: Path) -> None:
    counts = export_csv(store, tmp_path)
    assert counts["events"] == 1 and counts["claims"] == 3
    with (tmp_path / "events.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["location.lat"] == "33.5"
    assert rows[0]["fatalities.best"] == ""
    assert rows[0]["captured.high"] == "7"
    assert "; " in rows[0]["article_ids"]
    with (tmp_path / "entities.csv").open(encoding="utf-8") as f:
        ents = {r["name"]: r for r in csv.DictReader(f)}
    assert ents["Riverford"]["geo.country"] == "PK"
    assert "geo" not in ents["Army"]  # null object in one row does not add a bare column
    assert ents["Example Front"]["aliases"] == "Example Front; The Example Front"


def test_flatten_rules() -> None:
    row = flatten({"a": {"b": 1, "c": {"d": None}}, "l": ["x", "y"], "q": [{"v": 1}], "t": True, "f": "=cmd"})
    assert row == {"a.b": 1, "a.c.d": "", "l": "x; y", "q": '{"v":1}', "t": "true", "f": "'=cmd"}


def test_article_outlets() -> None:
    exs = sample.extractions()
    assert article_outlets(exs)[exs[0].article.id] == "Outlet A"


def test_nan_figures_export_as_null(tmp_path: Path) -> None:
    exs = sample.extractions()
    exs[0].claims[0].quantities[0].value = float("nan")
    export_jsonl(records_of(exs, sample.reconcile(exs)), tmp_path)
    text = (tmp_path / "claims.jsonl").read_text("utf-8")
    assert "NaN" not in text
    assert any(q["value"] is None for c in _read_jsonl(tmp_path / "claims.jsonl") for q in c["quantities"])


def test_event_ledger_is_exported_validated_and_flattened(store: Store, tmp_path: Path) -> None:
    export_jsonl(store, tmp_path / "j")
    event = _read_jsonl(tmp_path / "j" / "events.jsonl")[0]
    six, seven = event["ledger"]
    assert (six["claimant"], six["outlet"], six["date"], six["value"]) == ("Example Front", "Outlet A", "2025-03-03", 6)
    assert seven["high"] is None and seven["qualifier"] == "at_least" and seven["note"] is None
    assert event["acled"] == {"captured": 6} and "UCDP" in event["figure_rules"]["best"]
    broken = dict(event, ledger=[{k: v for k, v in six.items() if k != "claimant"}])
    with pytest.raises(ContractError):
        validate_record("events", broken)
    export_csv(store, tmp_path / "c")
    with (tmp_path / "c" / "events.csv").open(encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    assert row["acled.captured"] == "6" and '"claimant":"Example Front"' in row["ledger"]
