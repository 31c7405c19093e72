"""Peak memory and seconds per article of ``analyze`` as the corpus grows (issue 6: bounded memory).

Usage: python bench/memory.py [DIR] [--sizes 1000 5000] [--per-day 40] [--shard 500] [--seed 0]

DIR is the unpacked benchmark root (default $RASHOMON_BENCH_DIR or ~/.cache/rashomon-bench). For each
size a synthetic corpus is built in a temporary folder (never in the repository) by sampling GVC and
ECB+ texts and re-dating them over ``size / per-day`` days, so the number of articles per day (what
story blocking compares) stays the same at every size; it is written as JSONL shards of ``--shard``
articles. Each size runs in a fresh process (peak RSS is a lifetime figure) with an empty SQLite store,
and prints: peak RSS, RSS once the spaCy pipeline is loaded and once every article is extracted (peak so
far, and current: a peak set by one batch of long texts is not a growth), seconds for ingest + extract and for
reconcile, and seconds per article. Bounded memory means peak RSS does not grow with the size, and a
flat cost means seconds per article does not either.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

START = date(2024, 1, 1)


def _texts(root: Path) -> list[dict[str, Any]]:
    """GVC and ECB+ documents with text, as {text, title, outlet} (the sampling pool)."""
    pool: list[dict[str, Any]] = []
    for name, text_key in (("gvc", "content"), ("ecbplus", "text")):
        with (root / name / "docs.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                text = (doc.get(text_key) or "").strip()
                if text:
                    host = urlsplit(doc.get("uri") or "").hostname or f"{name}.example"
                    pool.append({"text": text, "title": doc.get("title"), "outlet": host})
    return pool


def _sample(pool: list[dict[str, Any]], size: int, per_day: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """``size`` re-dated records: without replacement while the pool lasts, then with it."""
    days = max(1, size // per_day)
    order = rng.sample(range(len(pool)), min(size, len(pool)))
    order += [rng.randrange(len(pool)) for _ in range(size - len(order))]
    for n, i in enumerate(order):
        day = START + timedelta(days=rng.randrange(days))
        yield {**pool[i], "url": f"https://synthetic.example/{n}", "published": day.isoformat()}


def build_corpus(pool: list[dict[str, Any]], size: int, per_day: int, shard: int, out: Path, seed: int) -> Path:
    """JSONL shards of a synthetic corpus of ``size`` articles under ``out``."""
    out.mkdir(parents=True)
    fh = None
    for n, record in enumerate(_sample(pool, size, per_day, random.Random(seed))):
        if n % shard == 0:
            if fh:
                fh.close()
            fh = (out / f"shard-{n // shard:05d}.jsonl").open("w", encoding="utf-8")
        fh.write(json.dumps(record) + "\n")
    if fh:
        fh.close()
    return out


def _rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_now_mb() -> float | None:
    """Resident set size right now (Linux /proc), to tell a lasting growth from one large batch's peak."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    except (OSError, ValueError, IndexError):
        return None


def child(corpus: Path, db: Path, batch_size: int) -> dict[str, Any]:
    """One measured run (in its own process): load, ingest + extract, reconcile."""
    from rashomon.analyze import Runner, Summary
    from rashomon.config import Settings

    runner = Runner(Settings(db=str(db), quiet=True, batch_size=batch_size), report=lambda _m: None)
    runner.extractor.nlp  # noqa: B018 - load the pipeline before timing
    loaded = _rss_mb()
    summary = Summary()
    t0 = time.perf_counter()
    runner.ingest([corpus], summary)
    t1 = time.perf_counter()
    extracted, extracted_now = _rss_mb(), _rss_now_mb()
    runner.reconcile()
    t2 = time.perf_counter()
    counts = runner.store.counts()
    runner.close()
    n = max(summary.added, 1)
    return {
        "articles": summary.added, "failed": summary.failed, "stories": counts.get("stories", 0),
        "disputes": counts.get("disputes", 0), "rss_loaded_mb": round(loaded, 1), "rss_extracted_mb": round(extracted, 1), "rss_now_after_extract_mb": extracted_now and round(extracted_now, 1), "rss_peak_mb": round(_rss_mb(), 1),
        "extract_s": round(t1 - t0, 1), "reconcile_s": round(t2 - t1, 1),
        "s_per_article": round((t2 - t0) / n, 4), "reconcile_ms_per_article": round(1000 * (t2 - t1) / n, 2),
    }


def measure(pool: list[dict[str, Any]], size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Build the corpus for ``size`` in a temporary folder and measure it in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="rashomon-memory-") as tmp:
        corpus = build_corpus(pool, size, args.per_day, args.shard, Path(tmp) / "corpus", args.seed)
        cmd = [sys.executable, __file__, "--child", str(corpus), str(Path(tmp) / "bench.db"), str(args.batch_size)]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        return {"size": size, **json.loads(done.stdout.strip().splitlines()[-1])}


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("RASHOMON_BENCH_DIR", str(Path.home() / ".cache" / "rashomon-bench"))
    ap.add_argument("dir", nargs="?", default=default)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--per-day", type=int, default=40, help="articles per day in the synthetic corpus")
    ap.add_argument("--shard", type=int, default=500, help="articles per JSONL shard")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    pool = _texts(Path(args.dir))
    print(f"pool: {len(pool)} GVC + ECB+ texts; {args.per_day} articles/day", flush=True)
    for size in args.sizes:
        r = measure(pool, size, args)
        print(
            f"{r['size']:>7} articles: peak RSS {r['rss_peak_mb']:.0f} MB (pipeline loaded {r['rss_loaded_mb']:.0f} MB, "
            f"peak after extract {r['rss_extracted_mb']:.0f} MB, current after extract "
            f"{r['rss_now_after_extract_mb'] or 0:.0f} MB), "
            f"{r['s_per_article']:.3f} s/article (extract {r['extract_s']} s, reconcile {r['reconcile_s']} s = "
            f"{r['reconcile_ms_per_article']} ms/article); {r['stories']} stories, {r['disputes']} disputes, "
            f"{r['failed']} failed",
            flush=True,
        )


if __name__ == "__main__":
    main()
