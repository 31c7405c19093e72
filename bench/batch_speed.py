"""Articles per second of ``analyze`` and of ``batch`` (local engine and Ray Data in local mode) on 1 and
2 workers, next to the bare spaCy parse of the same texts on as many processes (the floor).

Usage: python bench/batch_speed.py [DIR] [--n 300] [--shards 6] [--workers 1 2] [--engines analyze local ray] [--no-kill]

DIR is the unpacked benchmark root (default $RASHOMON_BENCH_DIR or ~/.cache/rashomon-bench). The first
``n`` GVC and ECB+ texts (alternately) are written as ``--shards`` JSON Lines files in a temporary folder
(never in the repository). Every command runs end to end on an empty SQLite store, so its time
includes what a user waits for: model loads, worker start (Ray's too), Parquet, database load and the
final reconcile; the ratio divides it by the bare parse on the same number of processes.

Then (unless ``--no-kill``) a restart check: ``rashomon batch`` is SIGKILLed once half the shards are
finished and run again; it prints what the rerun redid and skipped, and whether every article is in
the database and in the Parquet shards exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow.parquet as pq

from rashomon.analyze import analyze
from rashomon.batch import make_engine, run_batch
from rashomon.batch.marker import MARKER
from rashomon.config import Settings
from rashomon.extract.pipeline import load_nlp


def _texts(root: Path, field: str, name: str) -> Iterator[dict[str, str]]:
    with (root / name / "docs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get(field):
                yield {"text": d[field], "title": d.get("title") or "", "published": d.get("dct") or ""}


def corpus(root: Path, n: int) -> list[dict[str, str]]:
    """GVC and ECB+ records, alternately: two kinds of news, one benchmark text set."""
    gvc, ecb = _texts(root, "content", "gvc"), _texts(root, "text", "ecbplus")
    out: list[dict[str, str]] = []
    while len(out) < n:
        got = [r for r in (next(gvc, None), next(ecb, None)) if r is not None]
        if not got:
            break
        out.extend(got)
    return out[:n]


def write_shards(records: list[dict[str, str]], folder: Path, shards: int) -> list[Path]:
    paths = []
    for i in range(shards):
        path = folder / f"shard-{i:03d}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records[i::shards]), encoding="utf-8")
        paths.append(path)
    return paths


def bare_parse(texts: list[str], workers: int) -> float:
    """Seconds for nlp.pipe over the texts on ``workers`` processes (the model load excluded)."""
    nlp = load_nlp(Settings().spacy_model)
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32, n_process=workers):
        pass
    return time.perf_counter() - t0


def timed(run: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0


def run_one(engine: str, workers: int, inputs: list[Path], tmp: Path) -> tuple[str, float]:
    """(row name, seconds) of one command on an empty store."""
    settings = Settings(db=str(tmp / f"{engine}-{workers}.db"), quiet=True)
    if engine == "analyze":
        return "rashomon analyze", timed(lambda: analyze(inputs, settings))
    out = tmp / f"out-{engine}-{workers}"
    return f"rashomon batch --engine {engine}", timed(lambda: run_batch(inputs, out, settings, make_engine(engine, workers)))


def kill_halfway(inputs: list[Path], tmp: Path) -> None:
    """SIGKILL a batch run once half its shards are finished, run it again, count every article."""
    out, db = tmp / "out-kill", tmp / "kill.db"
    cmd = [sys.executable, "-m", "rashomon.cli", "batch", *map(str, inputs), "--out", str(out), "--db", str(db), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    def finished() -> int:  # renamed into place, not a temporary .<key>.tmp-* directory
        return sum(1 for f in out.glob(f"shards/*/{MARKER}") if not f.parent.name.startswith("."))

    while proc.poll() is None and finished() < len(inputs) // 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = finished()
    again = run_batch(inputs, out, Settings(db=str(db), quiet=True), make_engine("local"))
    with sqlite3.connect(db) as conn:
        rows, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
    ids = [i for f in out.glob("shards/[!.]*/articles.parquet") for i in pq.read_table(f, columns=["id"]).column("id").to_pylist()]
    print(f"killed with {killed_at}/{len(inputs)} shards finished; rerun: {again.done} redone, {again.skipped} skipped; "
          f"database {rows} articles ({distinct} distinct), Parquet {len(ids)} ({len(set(ids))} distinct), "
          f"read {again.run.read}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", nargs="?", default=os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench"))
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--shards", type=int, default=6)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--engines", nargs="+", default=["analyze", "local", "ray"], choices=["analyze", "local", "ray"])
    ap.add_argument("--no-kill", action="store_true", help="skip the kill-and-rerun check")
    args = ap.parse_args()
    records = corpus(Path(args.dir).expanduser(), args.n)
    texts = [r["text"] for r in records]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(records)} articles (GVC + ECB+), {words:,} words, {args.shards} JSONL shards, {os.cpu_count()} CPUs")
    print(f"{'command':<28}{'workers':>8}{'seconds':>9}{'art/s':>8}{'x parse':>9}")
    with tempfile.TemporaryDirectory(prefix="rashomon-batch-speed-") as tmp:
        inputs = write_shards(records, Path(tmp), args.shards)
        for workers in args.workers:
            parse = bare_parse(texts, workers)
            rows = [("bare spaCy nlp.pipe", parse)]
            for engine in args.engines:
                if engine == "analyze" and workers > 1:
                    continue  # analyze is one process
                rows.append(run_one(engine, workers, inputs, Path(tmp)))
            for name, seconds in rows:
                print(f"{name:<28}{workers:>8}{seconds:>9.1f}{len(records) / seconds:>8.1f}{seconds / parse:>9.2f}")
            sys.stdout.flush()
        if not args.no_kill:
            kill_halfway(inputs, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
