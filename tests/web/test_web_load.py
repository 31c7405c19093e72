"""bench/web_load.py: the synthetic store it clones is consistent (new ids, shifted dates, a 50-article
story, search index rebuilt) and the real app serves it; the harness times what it fetches."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
import rsh_sample as sample

from rashomon.store.db import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import web_load


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("webload")
    base = tmp / "base.db"
    store = Store(f"sqlite:///{base}")
    exs = sample.extractions()
    store.add_extractions(exs)
    store.save_reconciled(sample.reconcile(exs), exs)
    store.close()
    out = tmp / "big.db"
    big = web_load.clone(base, out, 120, progress=lambda _: None)
    return out, big


def test_clone_grows_the_store_with_fresh_ids_and_shifted_dates(grown: tuple[Path, str]) -> None:
    db, big = grown
    conn = sqlite3.connect(db)
    n, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
    assert 100 <= n <= 140 and distinct == n
    assert conn.execute("SELECT count(DISTINCT published) FROM articles").fetchone()[0] > 10
    claims, claim_ids = conn.execute("SELECT count(*), count(DISTINCT id) FROM claims").fetchone()
    assert claims == claim_ids > n
    orphans = conn.execute("SELECT count(*) FROM claims WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
    assert orphans == 0
    assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == len(sample.reconcile(sample.extractions()).entities)
    size = conn.execute("SELECT count(*) FROM story_articles WHERE story_id = ?", (big,)).fetchone()[0]
    assert size >= web_load.BIG_STORY
    listed = conn.execute("SELECT n_articles FROM stories WHERE id = ?", (big,)).fetchone()[0]
    assert listed == size  # the merged story's summary counts every copy merged into it
    wrong = conn.execute("SELECT count(*) FROM stories WHERE n_articles != "
                         "(SELECT count(*) FROM story_articles m WHERE m.story_id = stories.id)").fetchone()[0]
    assert wrong == 0
    hits = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Riverford'").fetchone()[0]
    assert hits >= n // 2  # the full-text index covers the copies


def test_app_serves_the_grown_store_and_harness_times_it(grown: tuple[Path, str]) -> None:
    db, big = grown
    app = web_load.serve(f"sqlite:///{db}")
    try:
        conn = sqlite3.connect(db)
        todo = web_load.routes(conn, big)
        conn.close()
        rows = web_load.time_routes(app.url, todo, repeats=2)
    finally:
        app.stop()
    assert [r[0] for r in rows] == [name for name, _ in todo]
    assert all(status == 200 and size > 0 and 0 < p50 <= p95 for _, status, size, p50, p95 in rows), rows
    story = next(r for r in rows if r[0].startswith("story page"))
    assert story[2] > 10_000
    table = web_load.markdown(rows, 120, 2).splitlines()
    assert table[2] == "| page | size | p50 | p95 |" and len(table) == 4 + len(rows)
