"""The JSON API: every response validates against the shape /openapi.json declares for it, and carries the
same stories, claims and figures as the pages (store filled by the real pipeline, see conftest.py)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import rsh_sample as sample
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from sqlalchemy import inspect
from webstore import DemoStore

from rashomon.analyze import analyze
from rashomon.cli import DEMO_DIR
from rashomon.config import Settings
from rashomon.store import db as store_db
from rashomon.store.db import Store
from rashomon.web import queries
from rashomon.web.app import create_app


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    got = client.get("/openapi.json")
    assert got.status_code == 200
    return dict(got.json())


def check(client: TestClient, spec: dict[str, Any], template: str, url: str, **params: Any) -> Any:
    """GET ``url`` and validate its JSON against the 200 response schema of ``template`` in the spec."""
    got = client.get(url, params=params)
    assert got.status_code == 200, got.text
    schema = spec["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": spec["components"]})
    errors = [e.message for e in validator.iter_errors(got.json())]
    assert not errors, errors[:3]
    return got.json()


def test_openapi_describes_every_endpoint_and_no_swagger_page(client: TestClient, spec: dict[str, Any]) -> None:
    assert {"/api/stories", "/api/stories/{story_id}", "/api/actors/{entity_id}", "/api/outlets/{name}",
            "/api/search"} <= set(spec["paths"])
    assert not any(p == "/" or p.startswith(("/stories", "/actors", "/outlets")) for p in spec["paths"])
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


def test_stories_list_matches_the_page(client: TestClient, spec: dict[str, Any], demo_store: DemoStore) -> None:
    data = check(client, spec, "/api/stories", "/api/stories", sort="disputed")
    html = client.get("/?sort=disputed").text
    assert [s["id"] for s in data["items"]] == re.findall(r'data-story-id="([^"]+)"', html)
    assert data["total"] == len(demo_store.reconciled.stories) and data["page_size"] == 50
    disputes = {s.id: sum(d.story_id == s.id for d in demo_store.reconciled.disputes) for s in demo_store.reconciled.stories}
    assert {s["id"]: s["disputes"] for s in data["items"]} == disputes
    claims = {s.id: sum(c.story_id == s.id for ex in demo_store.extractions for c in ex.claims)
              for s in demo_store.reconciled.stories}
    assert {s["id"]: s["claims"] for s in data["items"]} == claims


def test_stories_filters_in_the_api(client: TestClient, spec: dict[str, Any], demo_store: DemoStore) -> None:
    disputed = check(client, spec, "/api/stories", "/api/stories", disputed="1")
    assert {s["id"] for s in disputed["items"]} == {d.story_id for d in demo_store.reconciled.disputes}
    assert client.get("/api/stories", params={"page": 0}).status_code == 422


def test_story_detail(client: TestClient, spec: dict[str, Any], demo_store: DemoStore) -> None:
    story = max(demo_store.reconciled.stories, key=lambda s: len(s.article_ids))
    data = check(client, spec, "/api/stories/{story_id}", f"/api/stories/{story.id}")
    assert data["id"] == story.id and 3 <= len(data["summary"]) <= 5
    mine = {c.id for ex in demo_store.extractions if ex.article.id in story.article_ids for c in ex.claims}
    matrix = data["matrix"]
    assert all(len(row["cells"]) == len(matrix["sources"]) for row in matrix["rows"])
    in_cells = {c["id"] for row in matrix["rows"] for cell in row["cells"] if cell for c in cell["claims"]}
    assert in_cells and in_cells <= mine
    assert sum(row["kind"] == "dispute" for row in matrix["rows"]) == len(data["disputes"]) > 0
    assert {a["id"] for a in data["articles"]} == set(story.article_ids)
    assert any(e["ledger"] for e in data["events"])


def test_search(client: TestClient, spec: dict[str, Any]) -> None:
    data = check(client, spec, "/api/search", "/api/search", q="ambush")
    assert data["stories"]["items"] and data["claims"]
    assert all("ambush" in c["sentence"].lower() for c in data["claims"])
    assert client.get("/api/search").status_code == 422


def test_actor_and_outlet(client: TestClient, spec: dict[str, Any], demo_store: DemoStore) -> None:
    speakers = [c.speaker.entity_id for ex in demo_store.extractions for c in ex.claims if c.speaker.entity_id]
    actor = max(set(speakers), key=speakers.count)
    data = check(client, spec, "/api/actors/{entity_id}", f"/api/actors/{actor}")
    assert len(data["claimed"]) + len(data["denied"]) == speakers.count(actor)
    assert data["entity"]["id"] == actor and data["stories"]
    outlet = check(client, spec, "/api/outlets/{name}", "/api/outlets/Meridian Wire")
    n = sum(ex.article.outlet == "Meridian Wire" for ex in demo_store.extractions)
    assert outlet["articles"] == n and 0 <= outlet["hedging_rate"] <= 1


@pytest.mark.parametrize("url", ["/api/stories/sty_missing", "/api/actors/ent_missing", "/api/outlets/Nobody"])
def test_api_404s_are_json(client: TestClient, url: str) -> None:
    got = client.get(url)
    assert got.status_code == 404 and got.headers["content-type"].startswith("application/json")
    assert "detail" in got.json()


def _summaries_from_records(store: Store) -> dict[str, dict[str, Any]]:
    """What the stories list must show for each story, computed here from the stored records."""
    rec = store.load_reconciled()
    exs = {ex.article.id: ex for ex in store.iter_extractions()}
    out = {}
    for st in rec.stories:
        arts = [exs[a].article for a in st.article_ids]
        dates = sorted(a.published for a in arts if a.published)
        outlets = Counter(a.outlet for a in arts if a.outlet)
        out[st.id] = {"articles": len(arts), "first": dates[0] if dates else None, "last": dates[-1] if dates else None,
                      "claims": sum(c.story_id == st.id for ex in exs.values() for c in ex.claims),
                      "disputes": sum(d.story_id == st.id for d in rec.disputes),
                      "incidents": sum(e.story_id == st.id for e in rec.events),
                      "outlets": sorted(outlets, key=lambda o: (-outlets[o], o))}
    return out


def _listed(url: str, **params: str) -> dict[str, dict[str, Any]]:
    app = create_app(url)
    try:
        with TestClient(app) as c:
            items = c.get("/api/stories", params=params).json()["items"]
    finally:
        app.state.store.close()
    keys = ("articles", "first", "last", "claims", "disputes", "incidents", "outlets")
    return {i["id"]: {k: i[k] for k in keys} for i in items}


def test_story_summaries_stay_right_after_an_incremental_second_analyze(tmp_path: Path) -> None:
    """The list reads per-story summary columns; a second analyze that adds articles to stored stories
    must leave them equal to what the records say (the corpus is split so that stories grow)."""
    files = sorted(p for p in (DEMO_DIR / "corpus").iterdir() if p.is_file())
    halves = [tmp_path / "one", tmp_path / "two"]
    for i, path in enumerate(files):
        halves[i % 2].mkdir(exist_ok=True)
        shutil.copy(path, halves[i % 2] / path.name)
    settings = Settings(db=str(tmp_path / "split.db"), gazetteers=(DEMO_DIR / "gazetteer.tsv",), quiet=True)
    analyze([halves[0]], settings)
    first = _listed(settings.db_url)
    analyze([halves[1]], settings)
    second = _listed(settings.db_url)
    store = Store(settings.db_url)
    try:
        expected = _summaries_from_records(store)
    finally:
        store.close()
    assert second == expected
    for outlet in {o for summary in expected.values() for o in summary["outlets"]}:  # kept as story_outlets rows
        by_outlet = {sid for sid, summary in expected.items() if outlet in summary["outlets"]}
        assert set(_listed(settings.db_url, outlet=outlet)) == by_outlet, outlet
    grown = [sid for sid in first if sid in second and second[sid]["articles"] > first[sid]["articles"]]
    assert grown, "the second half must add articles to stories the first half stored"
    assert all(second[sid]["claims"] > first[sid]["claims"] for sid in grown)


def test_migration_0007_fills_the_summaries_of_a_stored_store(tmp_path: Path) -> None:
    """A store written before the summary columns existed gets them filled when it is opened."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    exs = sample.extractions()
    store.add_extractions(exs)
    store.save_reconciled(sample.reconcile(exs), exs)
    expected = _summaries_from_records(store)
    cfg = Config(str(store_db.ALEMBIC_INI))
    cfg.set_main_option("script_location", str(store_db.MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
        assert "n_articles" not in {c["name"] for c in inspect(conn).get_columns("stories")}
        assert conn.exec_driver_sql("SELECT count(*) FROM story_articles").scalar()  # members kept
    store.close()
    assert _listed(url) == expected  # create_app opens the store: migrated to head, summaries filled


def test_the_app_on_postgresql(monkeypatch: pytest.MonkeyPatch, pg_url: str) -> None:
    """The same pages and API over PostgreSQL (full-text search through its GIN indexes)."""
    analyze([DEMO_DIR / "corpus"], Settings(db=pg_url, gazetteers=(DEMO_DIR / "gazetteer.tsv",), quiet=True))
    app = create_app(pg_url)
    try:
        with TestClient(app) as pg:
            listed = pg.get("/api/stories", params={"sort": "disputed"}).json()
            assert listed["total"] >= 2 and listed["items"][0]["disputes"] > 0
            found = pg.get("/api/search", params={"q": "ambush"}).json()
            assert found["stories"]["items"] and all("ambush" in c["sentence"].lower() for c in found["claims"])
            for params in ({"disputed": "1"}, {"from": "2025-04-01"}, {"outlet": "Meridian Wire"}, {"actor": "KFA"}):
                got = pg.get("/", params=params)
                assert got.status_code == 200 and 'class="story-row' in got.text, params
            story = listed["items"][0]["id"]
            assert '<table class="matrix">' in pg.get(f"/stories/{story}").text
            assert 0 <= pg.get("/api/outlets/Meridian Wire").json()["hedging_rate"] <= 1
            actor = max(listed["items"], key=lambda i: i["claims"])  # any story; its page names its actors
            ids = re.findall(r'href="/actors/(ent_\w+)"', pg.get(f"/stories/{actor['id']}").text)
            assert ids and all(pg.get(f"/actors/{i}").status_code == 200 for i in ids[:8])
            assert pg.get("/outlets/Meridian Wire").status_code == 200
            outlet = pg.get("/api/outlets/Meridian Wire").json()
            assert outlet["stories"] == outlet["shared_stories"] + outlet["only_here_count"] > 0
            assert pg.get("/api/stories", params={"outlet": "Meridian Wire"}).json()["total"] == outlet["stories"]
            monkeypatch.setattr(queries, "SEARCH_CAP", 1)
            capped = pg.get("/api/search", params={"q": "said"}).json()["stories"]
            assert capped["more"] and 1 <= capped["total"] <= 2
            ranked = [i["id"] for i in pg.get("/api/stories").json()["items"]]
            monkeypatch.setattr(queries, "PAGE_SIZE", 1)  # pages found by walking the date index
            assert [pg.get("/api/stories", params={"page": n}).json()["items"][0]["id"]
                    for n in range(1, len(ranked) + 1)] == ranked
    finally:
        app.state.store.close()
