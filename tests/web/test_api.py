"""The JSON API: every response validates against the shape /openapi.json declares for it, and carries the
same stories, claims and figures as the pages (store filled by the real pipeline, see conftest.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from webstore import DemoStore

from rashomon.analyze import analyze
from rashomon.cli import DEMO_DIR
from rashomon.config import Settings
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
            ranked = [i["id"] for i in pg.get("/api/stories").json()["items"]]
            monkeypatch.setattr(queries, "PAGE_SIZE", 1)  # pages found by walking the date index
            assert [pg.get("/api/stories", params={"page": n}).json()["items"][0]["id"]
                    for n in range(1, len(ranked) + 1)] == ranked
    finally:
        app.state.store.close()
