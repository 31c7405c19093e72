"""Bounded memory (issue 6): analyze reconciles a large run in date-ordered chunks, never all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon import analyze as analyze_module
from rashomon.analyze import Runner, Summary
from rashomon.config import Settings

DEMO = Path(analyze_module.__file__).resolve().parent / "demo"


def test_reconcile_goes_oldest_first_a_chunk_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyze_module, "RECONCILE_CHUNK", 5)
    runner = Runner(Settings(db=str(tmp_path / "r.db"), quiet=True, gazetteers=(DEMO / "gazetteer.tsv",)))
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
