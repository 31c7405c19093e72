"""The actor page's work is bounded by the page, not by the actor's history: a national army speaks in most
articles of a year, and its page must not read every one of its claims to show the newest few hundred."""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, insert
from sqlalchemy.orm import Session

from rashomon.store.db import migrate
from rashomon.store.models import (
    ArticleRow,
    ClaimRow,
    EntityRow,
    MentionRow,
    StoryArticleRow,
    StoryRow,
)
from rashomon.web import queries
from rashomon.web.app import create_app

with warnings.catch_warnings():  # starlette's notice that it prefers httpx2 to httpx
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

ACTOR, ACCUSER = "ent_army", "ent_group"
START = date(2024, 1, 1)


def _article(i: int) -> dict[str, Any]:
    return {"id": f"art_{i:06d}", "source": f"a{i}.txt", "text": "x" * 120, "title": f"Report {i}",
            "published": (START + timedelta(hours=7 * i)).isoformat()[:10], "content_hash": f"{i:040d}"}


def _claim(i: int, seq: int, speaker: str, act: str, stance: str) -> dict[str, Any]:
    return {"article_id": f"art_{i:06d}", "seq": seq, "id": f"clm_{i:06d}_{seq}", "story_id": f"sty_{i // 10:05d}",
            "speaker": {"text": speaker, "entity_id": speaker, "name": speaker, "kind": "organization"},
            "speaker_entity_id": speaker, "act": act, "stance": stance, "content": f"content {i}",
            "quote": "indirect", "sentence": f"sentence {i}", "span_start": 0, "span_end": 100}


def _rows(n: int) -> dict[Any, list[dict[str, Any]]]:
    """``n`` articles, each with a claim by ACTOR (every fifth a denial), an accusation by ACCUSER naming
    ACTOR inside its span, and one story per ten articles."""
    return {
        EntityRow: [{"id": e, "seq": k, "name": e, "type": "military"} for k, e in enumerate((ACTOR, ACCUSER))],
        StoryRow: [{"id": f"sty_{k:05d}", "seq": k, "title": f"Story {k}",
                    "last_published": _article(min(n - 1, k * 10 + 9))["published"]} for k in range(-(-n // 10))],
        ArticleRow: [_article(i) for i in range(n)],
        StoryArticleRow: [{"story_id": f"sty_{i // 10:05d}", "position": i, "article_id": f"art_{i:06d}"}
                          for i in range(n)],
        ClaimRow: [c for i in range(n) for c in (_claim(i, 0, ACTOR, "say", "deny" if i % 5 == 0 else "assert"),
                                                 _claim(i, 1, ACCUSER, "accuse", "assert"))],
        MentionRow: [{"article_id": f"art_{i:06d}", "seq": 0, "text": ACTOR, "start": 10, "end": 20,
                      "type": "ORG", "entity_id": ACTOR} for i in range(n)],
    }


def _store(path: Path, n: int) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.begin() as conn:
        for table, rows in _rows(n).items():
            conn.execute(insert(table), rows)
        conn.exec_driver_sql("ANALYZE")
    return engine


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, Engine]]:
    root = tmp_path_factory.mktemp("actors")
    engines = {n: _store(root / f"actor_{n}.db", n) for n in (1_000, 10_000)}
    yield engines
    for e in engines.values():
        e.dispose()


@pytest.fixture
def small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Caps below both stores' sizes, so that both take the path a big actor takes."""
    monkeypatch.setattr(queries, "ACTOR_CAP", 500)
    monkeypatch.setattr(queries, "ACTOR_WINDOW", 100)


def _steps(engine: Engine, limit: int) -> tuple[int, queries.ActorPage]:
    """SQLite virtual-machine steps (in thousands) that loading ACTOR's page takes: a measure of rows read that,
    unlike a timing, does not depend on the machine's load."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    with engine.connect() as conn:
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        raw.set_progress_handler(tick, 1000)
        try:
            page = queries.load_actor(Session(bind=conn), ACTOR, limit=limit)
        finally:
            raw.set_progress_handler(None, 0)
    assert page is not None
    return steps[0], page


@pytest.mark.usefixtures("small_bounds")
def test_work_does_not_grow_with_the_actors_claims(stores: dict[int, Engine]) -> None:
    small, _ = _steps(stores[1_000], 50)
    big, page = _steps(stores[10_000], 50)
    assert len(page.claimed) + len(page.denied) == 50 and len(page.accused) == 50
    assert big < 2 * small + 50, f"{small}k steps for 1,000 claims, {big}k for 10,000"


@pytest.mark.usefixtures("small_bounds")
def test_big_actor_shows_its_newest_claims_and_says_how_many_more(stores: dict[int, Engine]) -> None:
    _, page = _steps(stores[10_000], 50)
    own = page.claimed + page.denied
    newest = sorted((c.published or "" for c in own), reverse=True)
    assert [c.published for c in page.claimed] == sorted((c.published or "" for c in page.claimed), reverse=True)
    assert newest[0] == _article(9_999)["published"] and min(newest) >= _article(9_900)["published"]
    assert page.denied and all(c.stance == "deny" for c in page.denied)
    assert page.claims_more and page.claims_total == 500 and page.window == 100
    assert page.stories[0] == ("sty_00999", "Story 999") and len(page.stories) <= 11
    assert all(c.speaker == ACCUSER and (c.published or "") >= _article(9_900)["published"] for c in page.accused)


def test_small_actor_is_counted_exactly(stores: dict[int, Engine]) -> None:
    _, page = _steps(stores[1_000], 300)
    assert page.claims_total == 1_000 and not page.claims_more and page.articles_total == 1_000
    assert page.claimed[0].published == _article(999)["published"]


@pytest.mark.usefixtures("small_bounds")
def test_page_says_newest_first_and_how_many(stores: dict[int, Engine]) -> None:
    url = str(stores[10_000].url)
    with TestClient(create_app(url)) as client:
        html = client.get(f"/actors/{ACTOR}").text
        api = client.get(f"/api/actors/{ACTOR}").json()
    assert "newest first" in html and "showing the newest 300 of more than 500 claims" in html
    assert api["claims_more"] is True and api["claimed"][0]["published"] == _article(9_999)["published"]
