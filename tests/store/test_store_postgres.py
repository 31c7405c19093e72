"""The same store on PostgreSQL (portable models). Runs only when RASHOMON_TEST_PG_URL names a
scratch database, e.g. postgresql+psycopg://postgres@127.0.0.1:54329/postgres — it is wiped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rashomon.store.db import Store

PG_URL = os.environ.get("RASHOMON_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="set RASHOMON_TEST_PG_URL to test on PostgreSQL")


import rsh_sample as sample


@pytest.fixture()
def pg_store(pg_url: str) -> Store:
    s = Store(pg_url)
    yield s
    s.close()


def test_pg_round_trip(pg_store: Store) -> None:
    exs = sample.extractions()
    assert pg_store.add_extractions(exs) == 2
    result = sample.reconcile(exs)
    pg_store.save_reconciled(result, exs)
    assert list(pg_store.iter_extractions()) == sorted(exs, key=lambda e: e.article.id)
    assert pg_store.load_reconciled() == result
    assert pg_store.add_extractions(exs) == 0
    again = Store(PG_URL or "")  # second open: migrations are a no-op
    assert again.counts() == pg_store.counts()
    again.close()


def test_pg_rollback(pg_store: Store) -> None:
    bad = sample.extraction_b()
    bad.claims[0].quantities = [object()]
    with pytest.raises(TypeError):
        pg_store.add_extractions([sample.extraction_a(), bad])
    assert pg_store.counts()["articles"] == 0


def test_pg_analyze_through_the_cli(pg_store: Store, tmp_path: Path) -> None:
    """The real CLI with --db set to a PostgreSQL URL: ingest, extract, reconcile, export."""
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text(
        "Title: Blast at depot\nDate: 2025-05-02\n\nThree workers were killed in a blast at a fuel depot on Friday, police said.\n",
        encoding="utf-8",
    )
    run = [sys.executable, "-m", "rashomon.cli"]
    proc = subprocess.run([*run, "analyze", str(tmp_path / "a.txt"), "--db", PG_URL or "", "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert pg_store.counts()["articles"] == 1
    out = tmp_path / "out"
    proc = subprocess.run([*run, "export", "--db", PG_URL or "", "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (out / "claims.jsonl").read_text().strip()


def test_pg_incremental_delta(pg_store: Store) -> None:
    """The incremental reconcile's reads and writes (window, in-place updates, stale check) on PostgreSQL."""
    from rashomon.store.incremental import Delta, StaleDelta

    exs = sample.extractions()
    pg_store.add_extractions(exs)
    result = sample.reconcile(exs)
    delta = Delta(stories=result.stories, events=result.events, disputes=result.disputes, entities=result.entities,
                  exs=exs, new_ids=[ex.article.id for ex in exs])
    pg_store.save_delta(delta)
    assert pg_store.load_reconciled() == result and pg_store.unreconciled_ids() == []
    assert pg_store.stories_in_window("2025-03-01", "2025-03-05") == {result.stories[0].id}
    with pytest.raises(StaleDelta):
        pg_store.save_delta(delta)
    story = result.stories[0]
    story.title = "Renamed"
    pg_store.save_delta(Delta(stories=[story], events=result.events, disputes=result.disputes,
                              entities=result.entities[:1], base={story.id: story.article_ids}))
    assert pg_store.load_reconciled() == result
