"""Bounded memory (issue 6): analyze reconciles a large run in date-ordered chunks, never all at once, and
no story grows with the corpus (a capped story hands new reports to a linked continuation story)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon import analyze as analyze_module
from rashomon.analyze import Runner, Summary
from rashomon.config import Settings
from rashomon.reconcile.stories import StoryCap, cluster_stories
from rashomon.records import Article, Extraction
from rashomon.store.db import Store

DEMO = Path(analyze_module.__file__).resolve().parent / "demo"


def test_reconcile_goes_oldest_first_a_chunk_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = Runner(Settings(db=str(tmp_path / "r.db"), quiet=True, gazetteers=(DEMO / "gazetteer.tsv",), reconcile_chunk=5))
    summary = Summary()
    runner.ingest([DEMO / "corpus"], summary)
    pending = runner.store.unreconciled_ids()
    assert len(pending) == summary.added > 10
    chunks: list[list[str]] = []
    reconcile_chunk = Runner._reconcile_chunk

    def recording(self: Runner, ids: list[str]) -> None:  # records the ids, then runs the real step
        chunks.append(list(ids))
        reconcile_chunk(self, ids)

    monkeypatch.setattr(Runner, "_reconcile_chunk", recording)
    try:
        runner.reconcile()
        assert runner.store.unreconciled_ids() == []
        published = {ex.article.id: ex.article.published or "" for ex in runner.store.load_extractions(pending)}
        counts = runner.store.counts()
    finally:
        runner.close()
    assert [len(c) for c in chunks] == [5] * (len(pending) // 5) + ([len(pending) % 5] if len(pending) % 5 else [])
    assert [i for c in chunks for i in c] == sorted(pending, key=lambda i: (published[i], i))  # oldest first
    assert counts["stories"] >= 3 and counts["disputes"] > 0


# One incident told again and again (invented): every report clusters with the others.
REPORT = ("Gunmen attacked the {n} police post in Tarvelle on Monday, killing four officers, the provincial "
          "police chief in Tarvelle said. The Tarvelle police post attack left the building burned.")


def _reports(days: list[str]) -> list[Extraction]:
    return [Extraction(article=Article(source=f"r{i}.txt", text=REPORT.format(n=["north", "east", "old", "main"][i % 4]),
                                       title="Police post attacked in Tarvelle", published=day)) for i, day in enumerate(days)]


def test_a_full_story_takes_no_new_report_and_links_its_continuation() -> None:
    exs = _reports(["2025-03-01", "2025-03-01", "2025-03-02", "2025-03-02"])
    assert len(cluster_stories(exs)) == 1  # one incident: one story when uncapped
    first, rest = cluster_stories(exs, cap=StoryCap(articles=3))
    assert (len(first.article_ids), len(rest.article_ids)) == (3, 1)
    assert first.id in rest.related_story_ids and rest.id in first.related_story_ids


def test_a_story_stops_taking_reports_past_its_span() -> None:
    exs = _reports(["2025-03-01", "2025-03-04", "2025-03-07", "2025-03-10"])
    assert len(cluster_stories(exs, window_days=10, cap=StoryCap(span_days=30))) == 1
    spans = [len(s.article_ids) for s in cluster_stories(exs, window_days=10, cap=StoryCap(span_days=5))]
    assert spans == [2, 2]  # 1 + 4 days, then 7 + 10 days: the continuation starts its own span


def test_ingest_asks_the_store_about_one_batch_of_ids_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(f"Title: Report {i}\nDate: 2025-01-0{i + 1}\n\nGunmen attacked a police "
                                          f"post in Tarvelle on Monday, officials said. Report number {i}.\n", encoding="utf-8")

    def every_id(_store: Store) -> set[str]:
        raise AssertionError("ingest read every stored id")

    monkeypatch.setattr(Store, "known_article_ids", every_id)
    runner = Runner(Settings(db=str(tmp_path / "r.db"), quiet=True, batch_size=2))
    first, again = Summary(), Summary()
    try:
        runner.ingest([folder, folder], first)  # the same records twice in one run: stored once
        runner.ingest([folder], again)
        stored = runner.store.counts()["articles"]
    finally:
        runner.close()
    assert (first.read, first.added, first.already_stored) == (6, 3, 3)
    assert (again.read, again.added, again.already_stored) == (3, 0, 3)
    assert stored == 3
