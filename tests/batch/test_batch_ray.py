"""The Ray Data engine in local mode (2 CPUs): the same shards, the same extractions as ``analyze``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from batch_corpus import extractions

from rashomon.batch import make_engine, run_batch
from rashomon.config import Settings

pytest.importorskip("ray", reason="the distributed extra is not installed (pip install -e '.[distributed]')")
pytestmark = pytest.mark.slow


def test_ray_engine_matches_analyze_and_restarts(corpus: list[Path], reference: dict[str, Any], tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "ray.db"), quiet=True)
    engine = make_engine("ray", workers=2)
    first = run_batch(corpus, tmp_path / "out", settings, engine, files_per_shard=5)
    assert first.ok, first.run.errors
    assert first.done == first.shards == 6
    assert 1 <= len(first.workers) <= 2  # each actor loaded the model once and ran several shards
    assert extractions(str(tmp_path / "ray.db")) == reference
    again = run_batch(corpus, tmp_path / "out", settings, engine, files_per_shard=5)
    assert (again.done, again.skipped, again.run.added) == (0, 6, 0)

