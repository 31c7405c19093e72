"""The batch tests' corpus (``batch_corpus``), and ``analyze`` run on it once: the reference every
batch run must match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from batch_corpus import build_corpus, extractions

from rashomon.analyze import analyze
from rashomon.config import Settings


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build_corpus(tmp_path_factory.mktemp("batch_corpus"))


@pytest.fixture(scope="session")
def reference(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """What ``analyze`` extracts from the corpus."""
    db = str(tmp_path_factory.mktemp("batch_ref") / "analyze.db")
    summary = analyze(corpus, Settings(db=db, quiet=True))
    assert summary.ok and summary.added > 15
    return extractions(db)
