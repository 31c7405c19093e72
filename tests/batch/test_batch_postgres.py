"""Batch results land in PostgreSQL (the shared deployment store) as in SQLite, once, rerun or not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from batch_corpus import extractions

from rashomon.batch import make_engine, run_batch
from rashomon.config import Settings


def test_batch_into_postgresql(pg_url: str, corpus: list[Path], reference: dict[str, Any], tmp_path: Path) -> None:
    settings = Settings(db=pg_url, quiet=True)
    first = run_batch(corpus, tmp_path / "out", settings, make_engine("local"), files_per_shard=5)
    assert first.ok and first.run.added == len(reference)
    assert extractions(pg_url) == reference
    again = run_batch(corpus, tmp_path / "out", settings, make_engine("local"), files_per_shard=5)
    assert (again.done, again.run.added, again.run.already_stored) == (0, 0, len(reference))
    assert again.run.counts["articles"] == len(reference)
