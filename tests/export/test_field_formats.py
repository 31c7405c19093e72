"""Field-format exports (ACLED CSV, UCDP GED CSV, ClaimReview JSON-LD, Parquet) over the demo corpus as the
real pipeline analyses it, and over the hand-built sample for hostile and unicode text."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import rsh_sample as sample  # tests/conftest.py puts tests/export on the path
from click.testing import CliRunner

from rashomon.cli import main
from rashomon.config import Settings
from rashomon.export.acled import event_date, export_acled
from rashomon.export.claimreview import export_claimreview
from rashomon.export.common import Corpus
from rashomon.export.jsonl import RecordSource, records_of
from rashomon.export.parquet import export_parquet
from rashomon.export.ucdp import deaths, export_ucdp, sides
from rashomon.records import Fatalities
from rashomon.store.db import Store

# ACLED's columns in ACLED's order (ACLED codebook 2024, "ACLED data columns at a glance").
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
ACLED_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                     "Strategic developments"}
ACLED_DISORDER = {"Political violence", "Demonstrations", "Political violence; Demonstrations",
                  "Strategic developments"}
# UCDP GED codebook variable names this export fills.
GED_COLUMNS = {"id", "relid", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b",
               "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
               "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
               "latitude", "longitude", "geom_wkt", "country", "date_prec", "date_start", "date_end", "deaths_a",
               "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low"}
HOSTILE_ACTOR = "=HYPERLINK(\"http://evil.example\",\"x\")"
UNICODE_PLACE = "Qal\u2018at \u015eahr\u00e2 \u2014 \u0642\u0644\u0639\u0629"


@pytest.fixture(scope="module")
def demo(demo_settings: Settings) -> Store:
    store = Store(demo_settings.db_url)
    yield store
    store.close()


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _hostile_source() -> RecordSource:
    """The sample with text a spreadsheet would execute and text outside ASCII, where articles put it."""
    exs = sample.extractions()
    rec = sample.reconcile(exs)
    incident = rec.events[0]
    incident.actor1 = HOSTILE_ACTOR
    incident.actor2 = "+army"
    assert incident.location is not None
    incident.location.name = UNICODE_PLACE
    incident.fatalities = Fatalities(low=7, best=9, high=12, claim_ids=[])
    exs[0].article.title = "@SUM(1+1) headline"
    exs[0].article.outlet = "-Outlet \u00c9"
    exs[0].claims[0].content = "-2+3 soldiers \u201ccaptured\u201d"
    return records_of(exs, rec)


# --- ACLED ----------------------------------------------------------------------------------


def test_acled_columns_vocabulary_and_codes(demo: Store, tmp_path: Path) -> None:
    counts = export_acled(demo, tmp_path)
    columns, rows = _rows(tmp_path / "acled.csv")
    assert columns[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert columns[len(ACLED_COLUMNS):] == ["fatalities_low", "fatalities_best", "fatalities_high",
                                           "rashomon_story_id", "number_of_sources"]
    assert len(rows) == counts["acled"] >= 3  # the demo's three stories' incidents (background retold is no row)
    assert counts["acled"] + counts["not ACLED event types"] == demo.counts()["events"]
    for row in rows:
        assert row["event_type"] in ACLED_EVENT_TYPES and row["disorder_type"] in ACLED_DISORDER
        assert row["time_precision"] in {"1", "2", "3", ""} and row["geo_precision"] in {"1", "2", "3", ""}
        assert (row["event_date"] == "") == (row["time_precision"] == "")
        assert int(row["number_of_sources"]) >= 1
        if row["interaction"]:  # both actor types, lowest first; a lone actor's type times ten
            codes = sorted(int(c) for c in (row["inter1"], row["inter2"]) if c)
            assert int(row["interaction"]) == codes[0] * 10 + (codes[1] if len(codes) == 2 else 0)


def test_acled_fatalities_conservative_with_disagreement_in_notes(demo: Store, tmp_path: Path) -> None:
    export_acled(demo, tmp_path)
    _, rows = _rows(tmp_path / "acled.csv")
    disputed = [r for r in rows if r["fatalities_low"] and r["fatalities_low"] != r["fatalities_high"]]
    assert disputed, "the demo has incidents whose sources disagree on the dead"
    for row in rows:
        if row["fatalities_best"]:
            assert int(row["fatalities"]) <= int(row["fatalities_best"])
    for row in disputed:
        assert f"Fatalities: reports range from {row['fatalities_low']} to {row['fatalities_high']}" in row["notes"]
        assert "coded conservatively" in row["notes"]
    agreed = [r for r in rows if r["fatalities_low"] and r["fatalities_low"] == r["fatalities_high"]]
    assert all("Fatalities: reports range" not in r["notes"] for r in agreed)


def test_acled_dates_follow_time_precision() -> None:
    week = {"date": {"value": "2025-03-03", "low": "2025-03-03", "high": "2025-03-09", "precision": "week"}}
    month = {"date": {"value": "2025-03-01", "low": "2025-03-01", "high": "2025-03-31", "precision": "month"}}
    year = {"date": {"value": "2024-01-01", "low": "2024-01-01", "high": "2024-12-31", "precision": "year"}}
    assert event_date(week) == ("2025-03-06", 2025, 2)
    assert event_date(month) == ("2025-03-16", 2025, 3)
    assert event_date(year) == (None, 2024, None)
    assert event_date({"date": None}) == (None, None, None)


def test_acled_leaves_out_incidents_outside_its_vocabulary(tmp_path: Path) -> None:
    exs = sample.extractions()
    rec = sample.reconcile(exs)
    rec.events[0].event_type, rec.events[0].sub_event_type = "Other", "Diplomatic event"
    counts = export_acled(records_of(exs, rec), tmp_path)
    assert counts == {"acled": 0, "not ACLED event types": 1}
    assert _rows(tmp_path / "acled.csv") == (ACLED_COLUMNS + ["fatalities_low", "fatalities_best",
                                             "fatalities_high", "rashomon_story_id", "number_of_sources"], [])


# --- UCDP GED -------------------------------------------------------------------------------


def test_ucdp_columns_and_figures(demo: Store, tmp_path: Path) -> None:
    counts = export_ucdp(demo, tmp_path)
    columns, rows = _rows(tmp_path / "ucdp_ged.csv")
    assert GED_COLUMNS <= set(columns)
    assert all(c in GED_COLUMNS or c.startswith("rashomon_") for c in columns)
    assert len(rows) == counts["ucdp_ged"] > 5
    for row in rows:
        assert row["relid"].startswith("evt_") and int(row["number_of_sources"]) >= 1
        assert row["where_prec"] in {"1", "2", "3", "4", "5", "6", "7", ""}
        assert row["type_of_violence"] in {"1", "2", "3", ""}
        if row["best"]:
            assert int(row["low"]) <= int(row["best"]) <= int(row["high"])
            parts = [int(row[c]) for c in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")]
            assert sum(parts) == int(row["best"])


def _corpus(types: dict[str, str]) -> Corpus:
    return Corpus(records={k: [] for k in ("articles", "claims", "events")}, articles={}, claims={},
                  entity_types=types)


def test_ucdp_sides_and_deaths_split() -> None:
    corpus = _corpus({"example front": "armed_group"})
    ledger = [
        {"category": "killed", "value": 5, "low": 5, "high": 5, "note": None, "victims": "security_forces"},
        {"category": "killed", "value": 10, "low": 10, "high": None, "note": None, "victims": "militants"},
        {"category": "killed", "value": 99, "low": 99, "high": 99, "note": "another period", "victims": "civilians"},
    ]
    event = {"event_type": "Battles", "actor1": "Example Front", "actor2": "soldiers", "ledger": ledger,
             "fatalities": {"low": 15, "best": 15, "high": 15}}
    violence, side_a, side_b, ia, ib = sides(event, corpus)
    assert (violence, side_a, side_b) == (1, "soldiers", "Example Front")  # the state is side A
    assert deaths(event, ia, ib) == {"deaths_a": 5, "deaths_b": 10, "deaths_civilians": 0, "deaths_unknown": 0}
    event["fatalities"] = {"low": 15, "best": 20, "high": 30}  # parts that do not add up: all unknown
    assert deaths(event, ia, ib) == {"deaths_a": 0, "deaths_b": 0, "deaths_civilians": 0, "deaths_unknown": 20}
    one_sided = {"event_type": "Violence against civilians", "actor1": "villagers", "actor2": "gunmen"}
    assert sides(one_sided, corpus)[:3] == (3, "gunmen", "Civilians")


# --- ClaimReview ----------------------------------------------------------------------------


def _walk(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [node, *[x for v in node.values() for x in _walk(v)]]
    if isinstance(node, list):
        return [x for v in node for x in _walk(v)]
    return [node]


def test_claimreview_is_jsonld_shaped_without_rating(demo: Store, tmp_path: Path) -> None:
    counts = export_claimreview(demo, tmp_path, reviewed_on="2026-01-02")
    text = (tmp_path / "claimreview.jsonld").read_text("utf-8")
    reviews = json.loads(text)
    assert len(reviews) == counts["claimreview"] == demo.counts()["claims"]
    assert "reviewRating" not in text and "ratingValue" not in text
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"] and review["datePublished"] == "2026-01-02"
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]["@type"] in {"Person", "Organization"}
        assert item["appearance"] and all(a["@type"] == "NewsArticle" for a in item["appearance"])
        assert all(a.get("url", "https://").startswith("http") for a in item["appearance"])
        assert all(x is not None for x in _walk(review))  # JSON-LD leaves unknowns out
    named = [r for r in reviews if r["itemReviewed"]["author"].get("name")]
    assert len(named) > len(reviews) / 2


# --- Parquet --------------------------------------------------------------------------------


def test_parquet_reads_back_with_the_databases_row_counts(demo: Store, tmp_path: Path) -> None:
    counts = export_parquet(demo, tmp_path)
    db = demo.counts()
    for kind in ("articles", "entities", "claims", "events", "stories", "disputes"):
        table = pq.read_table(tmp_path / f"{kind}.parquet")
        assert table.num_rows == counts[kind] == db[kind], kind
    events = pq.read_table(tmp_path / "events.parquet")
    assert str(events.schema.field("location").type.field("lat").type) == "double"
    json_columns = events.schema.metadata[b"rashomon.json_columns"].decode().split(",")
    assert "acled" in json_columns
    first = events.to_pylist()[0]
    assert isinstance(json.loads(first["acled"]), dict) and isinstance(first["ledger"], list)
    claims = pq.read_table(tmp_path / "claims.parquet").to_pylist()
    assert all(isinstance(c["speaker"], dict) and len(c["span"]) == 2 for c in claims)


def _extends(full: pa.DataType, declared: pa.DataType) -> bool:
    """``full`` is ``declared`` with, at most, further struct fields (keys beyond the schema)."""
    if pa.types.is_struct(declared):
        names = [declared.field(i).name for i in range(declared.num_fields)]
        return pa.types.is_struct(full) and all(
            full.get_field_index(n) == i and _extends(full.field(n).type, declared.field(n).type)
            for i, n in enumerate(names))
    if pa.types.is_list(declared):
        return pa.types.is_list(full) and _extends(full.value_type, declared.value_type)
    return full == declared


def test_parquet_schema_does_not_depend_on_the_data(tmp_path: Path) -> None:
    exs = sample.extractions()
    export_parquet(records_of(exs, sample.reconcile(exs)), tmp_path / "full")
    from rashomon.records import Reconciled

    export_parquet(records_of([], Reconciled()), tmp_path / "empty")
    for kind in ("claims", "events", "disputes"):
        full, empty = (pq.read_schema(tmp_path / d / f"{kind}.parquet") for d in ("full", "empty"))
        declared = [f.name for f in empty]
        assert [f.name for f in full][: len(declared)] == declared
        assert all(_extends(full.field(n).type, empty.field(n).type) for n in declared), kind


# --- hostile text and unicode --------------------------------------------------------------


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


def test_csv_cells_from_article_text_cannot_run_as_formulas(tmp_path: Path) -> None:
    source = _hostile_source()
    export_acled(source, tmp_path)
    export_ucdp(source, tmp_path)
    for name in ("acled.csv", "ucdp_ged.csv"):
        cells = _csv_cells(tmp_path / name)
        for cell in cells:
            if cell[:1] in ("=", "+", "-", "@"):
                float(cell)  # only plain negative numbers may start so
        assert "'" + HOSTILE_ACTOR in cells
    _, acled = _rows(tmp_path / "acled.csv")
    assert acled[0]["actor2"] == "'+army" and acled[0]["source"].startswith("'-Outlet")
    _, ged = _rows(tmp_path / "ucdp_ged.csv")
    assert "@SUM" in ged[0]["source_headline"] and not ged[0]["source_headline"].startswith("@")


def test_unicode_round_trips_through_every_field_format(tmp_path: Path) -> None:
    source = _hostile_source()
    export_acled(source, tmp_path)
    export_ucdp(source, tmp_path)
    export_claimreview(source, tmp_path)
    export_parquet(source, tmp_path)
    _, acled = _rows(tmp_path / "acled.csv")
    assert acled[0]["location"] == UNICODE_PLACE and "\u00c9" in acled[0]["source"]
    _, ged = _rows(tmp_path / "ucdp_ged.csv")
    assert ged[0]["where_coordinates"] == UNICODE_PLACE
    reviews = json.loads((tmp_path / "claimreview.jsonld").read_text("utf-8"))
    assert "-2+3 soldiers \u201ccaptured\u201d" in {r["claimReviewed"] for r in reviews}
    events = pq.read_table(tmp_path / "events.parquet").to_pylist()
    assert events[0]["location"]["name"] == UNICODE_PLACE and events[0]["actor1"] == HOSTILE_ACTOR


def test_acled_notes_write_the_sample_disagreement(tmp_path: Path) -> None:
    export_acled(_hostile_source(), tmp_path)
    _, rows = _rows(tmp_path / "acled.csv")
    assert rows[0]["fatalities"] == "7" and rows[0]["fatalities_best"] == "9"
    assert "Fatalities: reports range from 7 to 12; coded conservatively" in rows[0]["notes"]
    assert "Captured: reports range from 6 to 7" in rows[0]["notes"]
    assert rows[0]["iso"] == "586" and rows[0]["country"] == "Pakistan" and rows[0]["geo_precision"] == "1"


# --- command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt,produced", [
    ("acled", ["acled.csv"]), ("ucdp", ["ucdp_ged.csv"]), ("claimreview", ["claimreview.jsonld"]),
    ("parquet", ["articles.parquet", "disputes.parquet"]),
])
def test_cli_export_formats(fmt: str, produced: list[str], tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    exs = sample.extractions()
    store.add_extractions(exs)
    store.save_reconciled(sample.reconcile(exs), exs)
    store.close()
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "s.db"), "--format", fmt,
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert all((tmp_path / "out" / name).exists() for name in produced)
    assert not list((tmp_path / "out").glob(".*.part"))
