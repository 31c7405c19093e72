"""A batch process SIGKILLed mid-run, then run again: every article exactly once, in the database and
in the Parquet shards, and the shards finished before the kill are not redone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from batch_corpus import extractions

from rashomon.batch import make_engine, run_batch
from rashomon.batch.marker import MARKER
from rashomon.config import Settings

pytestmark = pytest.mark.slow


def _finished(shards: Path) -> int:
    """Shards renamed into place (a temporary ``.<key>.tmp-*`` directory may hold a marker a moment earlier)."""
    return sum(1 for f in shards.glob(f"*/{MARKER}") if not f.parent.name.startswith("."))


def _kill_after_first_marker(cmd: list[str], shards: Path, timeout: float = 240.0) -> int:
    """Start ``cmd``, SIGKILL it as soon as one shard is finished; returns the number finished then."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if _finished(shards):
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the batch finished before it could be killed"
    return _finished(shards)


def test_sigkill_then_rerun(corpus: list[Path], reference: dict[str, Any], tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "batch.db"
    cmd = [sys.executable, "-m", "rashomon.cli", "batch", *map(str, corpus), "--out", str(out), "--db", str(db),
           "--files-per-shard", "1", "--quiet"]
    finished = _kill_after_first_marker(cmd, out / "shards")
    summary = run_batch(corpus, out, Settings(db=str(db), quiet=True), make_engine("local"), files_per_shard=1)
    assert summary.ok and summary.skipped >= finished >= 1
    assert summary.done == summary.shards - summary.skipped > 0
    assert extractions(str(db)) == reference  # every article once (ids are the primary key), nothing missing
    ids = [i for f in (out / "shards").glob("*/articles.parquet") for i in pq.read_table(f).column("id").to_pylist()]
    assert len(ids) == len(set(ids)) and set(ids) == set(reference)
    assert not list((out / "shards").glob(".*"))  # the killed attempt's temporary directory is gone
