"""``analyze`` and ``batch`` SIGKILLed at random points, many times over, then run to the end: every article
stored exactly once, ``check()`` clean, and the reconciled view the same as an uninterrupted run's.

Kills come in chains on a fresh store, each kill aimed at the next phase of the chain (start-up: imports,
migrations, model load; extraction: articles or shards being committed; tail: loading and reconcile), at a
random offset drawn with a seeded RNG from the phases an uninterrupted run showed; where it landed is read
from the database. After every kill the SQLite file must open cleanly: integrity_check ok, still in WAL
mode, no lock left behind, and ``check()`` may report only articles not reconciled yet (the one state a kill
may legitimately leave). ``pytest -s`` prints where each kill landed. RASHOMON_CRASH_ROUNDS sets the number
of kills per command (default 8 for analyze, 3 for batch)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "batch"))
from batch_corpus import build_corpus

from rashomon.batch.marker import MARKER
from rashomon.batch.shards import plan
from rashomon.cli import DEMO_DIR
from rashomon.store.db import Store
from rashomon.store.integrity import check

pytestmark = pytest.mark.slow

ROUNDS = int(os.environ.get("RASHOMON_CRASH_ROUNDS", "0"))
SEED = 20261123
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
CLEAN_FIXTURES = ("plain.txt", "header_block.txt", "date_only.txt", "headline_date.txt", "article.html")
UNRECONCILED = "in no story yet"
POLL = 0.02
FILES_PER_SHARD = 4


# --- the corpus --------------------------------------------------------------------------------------


def _variants(path: Path) -> None:
    """Shortened, re-dated copies of the demo texts (other words, other weeks): more articles and stories
    without new wording."""
    rows = []
    for i, f in enumerate(sorted((DEMO_DIR / "corpus").glob("*.txt"))):
        paras = [p for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        rows.append({"title": paras[0], "outlet": f"Wire {i % 3}", "published": f"2026-0{1 + i % 6}-1{i % 10}",
                     "text": "\n\n".join(paras[1:4])})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def crash_corpus(root: Path) -> list[Path]:
    """About forty small articles: the batch tests' corpus (folder, JSON Lines, WARC, Parquet), re-dated
    variants, the clean ingest fixtures and exact copies of three demo files under other names."""
    inputs = build_corpus(root)
    _variants(root / "variants.jsonl")
    extra = root / "extra"
    extra.mkdir()
    for name in CLEAN_FIXTURES:
        shutil.copyfile(FIXTURES / name, extra / name)
    for f in sorted((DEMO_DIR / "corpus").glob("*.txt"))[:3]:
        shutil.copyfile(f, extra / f"copy_{f.name}")
    return [*inputs, root / "variants.jsonl", extra]


# --- watching and killing a run -----------------------------------------------------------------------


def _state(db: Path) -> tuple[int, int]:
    """(articles stored, story memberships) as a reader sees them now; (0, 0) before the schema exists."""
    if not db.exists():
        return 0, 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return (conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
                    conn.execute("SELECT COUNT(*) FROM story_articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0, 0


def _reconciled(db: Path, articles: int = 0) -> bool:
    """Every stored article (and at least ``articles`` of them) is in a story."""
    stored, members = _state(db)
    return stored >= max(articles, 1) and members >= stored


@dataclass
class Kill:
    """Where one kill landed."""

    target: str
    phase: str
    seconds: float


@dataclass
class Timing:
    """An uninterrupted run's phases (seconds from start): database file created (imports done), first
    progress, all work done, exit."""

    opened: float = 0.0
    first: float = 0.0
    done: float = 0.0
    end: float = 0.0


@dataclass
class Watch:
    """How to read a run's progress: ``progress`` counts units done (articles stored, shards finished) out
    of ``total``; ``reconciled`` says whether every stored article is in a story."""

    progress: Callable[[], int]
    total: int
    reconciled: Callable[[], bool] = lambda: False
    kills: list[Kill] = field(default_factory=list)

    def phase(self, start: int) -> str:
        """Where a run that began at progress ``start`` is now, from what the database shows."""
        now = self.progress()
        if now < self.total:
            return "startup (nothing new committed)" if now == start else "extraction"
        return "reconcile (not committed)" if not self.reconciled() else "after reconcile commit"


def _start(cmd: list[str], err: int | IO[bytes] = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True)


def _wait_until(proc: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float = 300.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if ready():
            return True
        time.sleep(POLL)
    return False


ANALYZE_TARGETS = ("startup", "work", "work", "tail")  # one chain of kills on a fresh store; offsets random
BATCH_TARGETS = ("startup", "work", "tail")  # fewer: each batch run loads a model per worker


def chains(targets: tuple[str, ...], rounds: int) -> list[tuple[str, ...]]:
    """``rounds`` kills as chains (each on a fresh store, then run to the end) aiming at ``targets`` in order."""
    return [targets[: rounds - i] for i in range(0, rounds, len(targets))]


def kill_somewhere(cmd: list[str], watch: Watch, target: str, ref: Timing, rng: random.Random) -> None:
    """Start ``cmd`` and SIGKILL its process group at a random point of the next aimed-at phase (start-up:
    within the reference's time to its first commit; extraction: after this run's first commit; tail: once
    all work is committed, within the reference's tail); records where the kill landed."""
    start = watch.progress()
    if target == "work" and start >= watch.total:
        target = "tail"  # everything is stored: no extraction left to hit
    t0 = time.monotonic()
    proc = _start(cmd)
    if target == "startup":
        time.sleep(rng.uniform(0.0, ref.first))
    elif target == "work":
        _wait_until(proc, lambda: watch.progress() > start)
        time.sleep(rng.uniform(0.0, max(0.1, (ref.done - ref.first) / 2)))
    elif start >= watch.total:  # nothing left but the tail: it begins once the run has opened the store
        time.sleep(ref.opened + rng.uniform(0.0, max(0.1, ref.end - ref.done)))
    else:
        _wait_until(proc, lambda: watch.progress() >= watch.total)
        time.sleep(rng.uniform(0.0, max(0.1, 0.5 * (ref.end - ref.done))))
    phase = watch.phase(start)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        phase = "finished first"
    proc.wait()
    watch.kills.append(Kill(target, phase, time.monotonic() - t0))


def timed_run(cmd: list[str], progress: Callable[[], int], db: Path | None = None) -> Timing:
    """Run ``cmd`` to the end, noting when it created ``db``, first made progress and made its last."""
    t0, timing = time.monotonic(), Timing()
    with tempfile.TemporaryFile() as err:
        proc, last = _start(cmd, err), progress()
        while proc.poll() is None:
            if db is not None and not timing.opened and db.exists():
                timing.opened = time.monotonic() - t0
            now = progress()
            if now != last:
                timing.first = timing.first or time.monotonic() - t0
                timing.done, last = time.monotonic() - t0, now
            time.sleep(POLL)
        timing.end = time.monotonic() - t0
        err.seek(0)
        assert proc.returncode == 0, err.read().decode()[-3000:]
    return timing


def _report(name: str, kills: list[Kill]) -> None:
    landed = Counter(k.phase for k in kills)
    print(f"\n{name}: {sum(k.phase != 'finished first' for k in kills)} kills in {len(kills)} runs; landed: {dict(landed)}")
    for k in kills:
        print(f"  aimed at {k.target:8s} landed in {k.phase:32s} after {k.seconds:5.1f}s")


# --- what must hold after each kill and at the end ----------------------------------------------------


def assert_opens_cleanly(db: Path) -> None:
    """No damage and no lock left: integrity ok, WAL kept, a write lock can be taken at once, and the
    store's invariants hold except for articles awaiting reconcile."""
    if not db.exists():
        return
    conn = sqlite3.connect(db, timeout=1)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.execute("BEGIN IMMEDIATE")  # raises "database is locked" if a lock outlived the process
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    with Store(str(db)) as store:
        assert [str(p) for p in check(store) if UNRECONCILED not in p.what] == []


def view(db: Path) -> dict[str, object]:
    """The reconciled result in id-free terms where ids depend on order: stories as sets of article ids,
    each article's claims, copies and incidents / disputes per story."""
    conn = sqlite3.connect(db)
    try:
        members: dict[str, set[str]] = {}
        for sid, aid in conn.execute("SELECT story_id, article_id FROM story_articles"):
            members.setdefault(sid, set()).add(aid)
        story = {sid: frozenset(m) for sid, m in members.items()}
        claims: dict[str, list[tuple[object, ...]]] = {}
        for aid, *rest, sid in conn.execute("SELECT article_id, id, act, stance, content, story_id FROM claims "
                                            "ORDER BY article_id, seq"):
            claims.setdefault(aid, []).append((*rest, story.get(sid)))
        per_story = {story[sid]: (n_events, n_disputes) for sid, n_events, n_disputes in conn.execute(
            "SELECT id, n_incidents, n_disputes FROM stories")}
        return {"articles": sorted(r[0] for r in conn.execute("SELECT id FROM articles")),
                "copies": dict(conn.execute("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")),
                "stories": set(story.values()), "claims": claims, "per_story": per_story,
                "entities": conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0]}
    finally:
        conn.close()


def assert_whole(db: Path, reference: dict[str, object]) -> None:
    got = view(db)
    articles = cast(list[str], got["articles"])
    assert len(articles) == len(set(articles))
    with Store(str(db)) as store:
        assert [str(p) for p in check(store)] == []
    for key, value in reference.items():
        assert got[key] == value, key


# --- the tests ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return crash_corpus(tmp_path_factory.mktemp("crash_corpus"))


def _analyze(inputs: list[Path], db: Path) -> list[str]:
    return [sys.executable, "-m", "rashomon.cli", "analyze", *map(str, inputs), "--db", str(db), "--batch-size", "4", "--quiet"]


@dataclass
class Reference:
    """An uninterrupted ``analyze`` of the corpus: its phases and its result."""

    timing: Timing
    view: dict[str, object]

    @property
    def articles(self) -> int:
        return len(self.view["articles"])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def reference(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Reference:
    db = tmp_path_factory.mktemp("crash_ref") / "reference.db"
    timing = timed_run(_analyze(corpus, db), lambda: _state(db)[0], db)
    ref = Reference(timing, view(db))
    print(f"\nreference analyze: {ref.articles} articles, store opened after {timing.opened:.1f}s, "
          f"first stored after {timing.first:.1f}s, "
          f"last after {timing.done:.1f}s, exit after {timing.end:.1f}s")
    assert ref.articles >= 35
    return ref


def test_analyze_killed_again_and_again(corpus: list[Path], reference: Reference, tmp_path: Path) -> None:
    rng, rounds = random.Random(SEED), ROUNDS or 8
    kills: list[Kill] = []
    for n, targets in enumerate(chains(ANALYZE_TARGETS, rounds)):
        db = tmp_path / f"killed{n}.db"
        watch = Watch(lambda db=db: _state(db)[0], reference.articles, lambda db=db: _reconciled(db))  # type: ignore[misc]
        for target in targets:
            kill_somewhere(_analyze(corpus, db), watch, target, reference.timing, rng)
            assert_opens_cleanly(db)
        timed_run(_analyze(corpus, db), watch.progress)
        assert_whole(db, reference.view)
        kills += watch.kills
    _report("analyze", kills)
    assert sum(k.phase != "finished first" for k in kills) >= rounds // 2


def _batch(inputs: list[Path], out: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "rashomon.cli", "batch", *map(str, inputs), "--out", str(out), "--db", str(db),
            "--workers", "2", "--files-per-shard", str(FILES_PER_SHARD), "--batch-size", "4", "--quiet"]


def _shard_count(inputs: list[Path]) -> int:
    shards, errors = plan(inputs, 0, FILES_PER_SHARD)
    assert not errors
    return len(shards)


def _finished_shards(out: Path) -> int:
    return sum(1 for f in (out / "shards").glob(f"*/{MARKER}") if not f.parent.name.startswith("."))


def _parquet_ids(out: Path) -> list[str]:
    return [i for f in (out / "shards").glob("*/articles.parquet") for i in pq.read_table(f).column("id").to_pylist()]


def test_batch_killed_again_and_again(corpus: list[Path], reference: Reference, tmp_path: Path) -> None:
    """Kill points from the analyze reference's phases (a worker loads the same model and extracts as fast);
    the result must equal that uninterrupted ``analyze``, and the Parquet shards hold every article once."""
    rng, rounds = random.Random(SEED + 1), ROUNDS or 3
    kills: list[Kill] = []
    for n, targets in enumerate(chains(BATCH_TARGETS, rounds)):
        out, db = tmp_path / f"out{n}", tmp_path / f"killed{n}.db"
        watch = Watch(lambda out=out: _finished_shards(out), _shard_count(corpus),  # type: ignore[misc]
                      lambda db=db: _reconciled(db, reference.articles))  # type: ignore[misc]
        for target in targets:
            kill_somewhere(_batch(corpus, out, db), watch, target, reference.timing, rng)
            assert_opens_cleanly(db)
        timed_run(_batch(corpus, out, db), watch.progress)
        assert_whole(db, reference.view)
        ids = _parquet_ids(out)
        assert len(ids) == len(set(ids)) and sorted(ids) == reference.view["articles"]
        assert not list((out / "shards").glob(".*"))  # the killed attempts' temporary directories are gone
        kills += watch.kills
    _report("batch", kills)
    assert sum(k.phase != "finished first" for k in kills) >= rounds // 2
