"""Cost per article of store + incremental reconcile from 1,000 to 100,000 articles (issue 6).

Extraction is per-article work (flat by construction) and far too slow to run 100k times here, so
~200 GVC articles are extracted once (timed: that is the extraction cost per article) and cached as a
pickle in the temp dir; each size N is then built by cloning those extractions with fresh article,
claim and event ids and publication dates spread over ``N / per-day`` days (every date the text
carries moves with its article), so the articles per day, what story blocking compares, stay the same
at every size. Each N runs in a fresh process (peak RSS is a lifetime figure) on an empty SQLite store:
``Store.add_extractions`` in batches, then ``Runner.reconcile()`` (date-ordered incremental chunks).

A clone keeps its original's words, so clones of one article that land within a story window are
near-duplicates of each other (syndicated copies, as reconcile sees them): this corpus is denser in
duplicates than real coverage, which only makes reconcile's job smaller per article, not larger.

Usage: python bench/scale.py [DIR] [--sizes 1000 10000 100000] [--base 200] [--per-day 300] [--batch 500]
Prints per N: store s/article, reconcile s/article, peak RSS, stored extractions reconcile read back
per article (all steps, and the later half of the steps), stories (the largest), duplicates, incidents.
Flat means seconds per article do not grow with N; not quadratic means reconcile s/article at 10x N
is far below 10x. Read-back per article is the machine-independent part: the first step of a run finds
an empty store (1.00 at 1k, one step), later steps read the stories of the weeks before them.

Measured (2 cores shared with other jobs, so times vary by 2x between runs; base 200, extract 0.098
s/article), 300/day, before the story cap (commit 842d05c) -> after, run side by side at 1k / 10k:
reconcile 19.3 -> 18.1 / 16.8 -> 15.4 ms/article, peak RSS 240 -> 242 / 497 -> 446 MB. After, 30k: 9.6
ms/article, 481 MB (before: 528 MB); read back 1.00 / 1.58 / 1.60 per article, later steps 1.64 / 1.61
at 10k / 30k (flat); largest story 350 articles at 10k (cap 500). On a quiet machine (earlier, before):
reconcile 7.0 / 9.3 / 10.5 ms at 1k / 10k / 30k.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rashomon.records import Claim, DateRef, Event, Extraction, Fatalities

START = date(2024, 1, 1)


def load_articles(root: Path, n: int) -> list[Any]:
    """The first ``n`` GVC docs with text (one per doc_id), as Articles."""
    from rashomon.records import Article

    out: list[Article] = []
    seen: set[str] = set()
    with (root / "gvc" / "docs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("content") and d["doc_id"] not in seen:
                seen.add(d["doc_id"])
                out.append(Article(source=str(d["doc_id"]), text=d["content"], title=d.get("title"), published=d.get("dct")))
            if len(out) >= n:
                break
    return out


def extract_base(root: Path, n: int, cache: Path) -> tuple[list[Extraction], float]:
    """Extractions of ``n`` GVC articles and the seconds per article they took (cached: extraction is
    the slow, per-article part, measured once)."""
    if cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    from rashomon.config import Settings
    from rashomon.extract.pipeline import Extractor

    extractor = Extractor(Settings(quiet=True))
    articles = load_articles(root, n)
    list(extractor.extract(articles[:2]))  # load the pipeline before timing
    t0 = time.perf_counter()
    exs = list(extractor.extract(articles))
    per = (time.perf_counter() - t0) / max(len(exs), 1)
    with cache.open("wb") as fh:
        pickle.dump((exs, per), fh)
    return exs, per


def _shift_iso(value: str | None, days: int) -> str | None:
    """An ISO day moved by ``days``; months, years and anything unparsable stay as they are."""
    if value is None or len(value) != 10:
        return value
    try:
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
    except ValueError:
        return value


def _shift_date(ref: DateRef | None, days: int) -> None:
    if ref is not None:
        ref.value, ref.low, ref.high = (_shift_iso(v, days) for v in (ref.value, ref.low, ref.high))


def _remap_figures(f: Fatalities, claim_ids: dict[str, str]) -> None:
    f.claim_ids = [claim_ids.get(c, c) for c in f.claim_ids]


def _clone_claim(claim: Claim, article_id: str, suffix: str, days: int) -> None:
    claim.article_id = article_id
    claim.id = f"{claim.id}{suffix}"
    claim.story_id = None
    for ref in claim.dates:
        _shift_date(ref, days)


def _clone_event(event: Event, old_aid: str, new_aid: str, suffix: str, claim_ids: dict[str, str], days: int) -> None:
    event.article_ids = [new_aid if a == old_aid else a for a in event.article_ids]
    event.id = f"{event.id}{suffix}"
    event.story_id = None
    event.claim_ids = [claim_ids.get(c, c) for c in event.claim_ids]
    for figures in (event.fatalities, event.injured, event.captured):
        _remap_figures(figures, claim_ids)
    for row in event.ledger:
        if row.get("article_id") == old_aid:
            row["article_id"] = new_aid
        if row.get("claim_id") in claim_ids:
            row["claim_id"] = claim_ids[row["claim_id"]]
    _shift_date(event.date, days)


def clone_extraction(ex: Extraction, k: int, published: str) -> Extraction:
    """A copy of ``ex`` as if a different article published on ``published``: the article, its claims
    and events get ids suffixed with ``k`` (references between them follow), every day it mentions
    moves with the publication date, and a trailing line makes its content hash its own (after every
    span, so offsets still hold)."""
    new = copy.deepcopy(ex)
    suffix = f"_c{k}"
    old_aid, art = ex.article.id, new.article
    art.id, art.source, art.duplicate_of = f"{old_aid}{suffix}", f"{art.source}#clone{k}", None
    art.text = f"{art.text}\n\n(copy {k})"
    days = (date.fromisoformat(published) - date.fromisoformat(ex.article.published)).days if ex.article.published else 0
    art.published = published
    claim_ids = {c.id: f"{c.id}{suffix}" for c in ex.claims}
    for claim in new.claims:
        _clone_claim(claim, art.id, suffix, days)
    for event in new.events:
        _clone_event(event, old_aid, art.id, suffix, claim_ids, days)
    for ref in new.dates:
        _shift_date(ref, days)
    for m in new.mentions:
        m.entity_id = None
    for p in new.places:
        p.entity_id = None
    return new


def clones(base: Sequence[Extraction], n: int, per_day: int, seed: int = 0) -> Iterator[Extraction]:
    """``n`` clones of ``base`` round-robin, published over ``n // per_day`` days (deterministic)."""
    import random

    rng = random.Random(seed)
    days = max(1, n // per_day)
    for k in range(n):
        day = START + timedelta(days=rng.randrange(days))
        yield clone_extraction(base[k % len(base)], k, day.isoformat())


def _peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time_steps(runner: Any) -> list[tuple[int, float, int]]:
    """Record (new articles, seconds, extractions loaded) of each incremental reconcile step of ``runner``."""
    steps: list[tuple[int, float, int]] = []
    step = runner._reconcile_chunk

    def timed(ids: list[str]) -> None:
        t, before = time.perf_counter(), runner.store.loaded
        step(ids)
        steps.append((len(ids), time.perf_counter() - t, runner.store.loaded - before))

    runner._reconcile_chunk = timed
    return steps


def _steady(steps: Sequence[tuple[int, float, int]]) -> dict[str, float]:
    """Cost per article of the later half of the steps: each reads the stories of the weeks before it, as
    an incremental run on a store that already holds coverage does (the first step of a run reads none)."""
    late = steps[len(steps) // 2 :] or steps
    n = max(sum(k for k, _, _ in late), 1)
    return {"steady_s_per_article": sum(s for _, s, _ in late) / n, "steady_loaded_per_article": sum(x for _, _, x in late) / n}


def _largest_story(store: Any) -> int:
    """Articles in the largest story: bounded by the story cap, however large the corpus."""
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM story_articles GROUP BY story_id) AS t")).scalar() or 0)


def run_size(base: Sequence[Extraction], n: int, db: Path, per_day: int, batch: int, **settings: Any) -> dict[str, Any]:
    """Store ``n`` clones in batches into an empty store at ``db``, then reconcile; times and counts.
    ``settings`` override Settings fields (tests shrink the story caps). ``loaded_per_article``: stored
    extractions reconcile read back per article, the machine-independent part of its cost."""
    from rashomon.analyze import Runner
    from rashomon.config import Settings

    runner = Runner(Settings(db=str(db), quiet=True, **settings), report=lambda _m: None)
    try:
        stored, chunk, t0 = 0, [], time.perf_counter()
        store_s = 0.0
        for ex in clones(base, n, per_day):
            chunk.append(ex)
            if len(chunk) >= batch:
                t = time.perf_counter()
                stored += runner.store.add_extractions(chunk)
                store_s += time.perf_counter() - t
                chunk = []
        t = time.perf_counter()
        stored += runner.store.add_extractions(chunk)
        store_s += time.perf_counter() - t
        build_s = time.perf_counter() - t0 - store_s
        steps = _time_steps(runner)
        t1 = time.perf_counter()
        runner.store.loaded = 0
        runner.reconcile()
        reconcile_s = time.perf_counter() - t1
        loaded = runner.store.loaded
        counts = runner.store.counts()
        largest = _largest_story(runner.store)
    finally:
        runner.close()
    return {
        "n": n, "stored": stored, "clone_s": round(build_s, 2), "store_s": round(store_s, 2), "reconcile_s": round(reconcile_s, 2),
        "store_s_per_article": store_s / max(stored, 1), "reconcile_s_per_article": reconcile_s / max(stored, 1),
        "loaded_per_article": loaded / max(stored, 1), **_steady(steps), "largest_story": largest,
        "peak_rss_mb": round(_peak_rss_mb(), 1), **{k: counts.get(k, 0) for k in ("stories", "duplicates", "events", "disputes")},
    }


def _child(argv: list[str]) -> None:
    """One size, in this process: CACHE N DB PER_DAY BATCH [SETTINGS as JSON]."""
    cache, n, db, per_day, batch = Path(argv[0]), int(argv[1]), Path(argv[2]), int(argv[3]), int(argv[4])
    settings = json.loads(argv[5]) if len(argv) > 5 else {}
    with cache.open("rb") as fh:
        base, _per = pickle.load(fh)
    print(json.dumps(run_size(base, n, db, per_day, batch, **settings)))


def measure(cache: Path, n: int, per_day: int, batch: int, timeout: float | None) -> dict[str, Any]:
    """One size in a fresh process (its own peak RSS) on an empty store in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="rashomon-scale-") as tmp:
        cmd = [sys.executable, __file__, "--child", str(cache), str(n), str(Path(tmp) / "scale.db"), str(per_day), str(batch)]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout)
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) in (7, 8) and sys.argv[1] == "--child":
        _child(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    default = os.environ.get("RASHOMON_BENCH_DIR", str(Path.home() / ".cache" / "rashomon-bench"))
    ap.add_argument("dir", nargs="?", default=default)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--base", type=int, default=200, help="GVC articles extracted once and cloned")
    ap.add_argument("--per-day", type=int, default=300, help="articles per day in the cloned corpus")
    ap.add_argument("--batch", type=int, default=500, help="extractions per add_extractions transaction")
    ap.add_argument("--timeout", type=float, default=None, help="seconds one size may take")
    args = ap.parse_args()
    cache = Path(tempfile.gettempdir()) / f"rashomon-scale-base-{args.base}.pkl"
    base, per = extract_base(Path(args.dir), args.base, cache)
    print(f"base: {len(base)} GVC extractions, extract {per:.3f} s/article (cache {cache}); {args.per_day} articles/day", flush=True)
    for n in args.sizes:
        r = measure(cache, n, args.per_day, args.batch, args.timeout)
        print(
            f"{r['n']:>7} articles: store {r['store_s_per_article'] * 1000:.2f} ms/article ({r['store_s']} s), "
            f"reconcile {r['reconcile_s_per_article'] * 1000:.2f} ms/article ({r['reconcile_s']} s), "
            f"peak RSS {r['peak_rss_mb']:.0f} MB, {r['loaded_per_article']:.2f} loaded/article; later steps "
            f"{r['steady_s_per_article'] * 1000:.2f} ms, {r['steady_loaded_per_article']:.2f} loaded/article; {r['stories']} stories (largest {r['largest_story']}), {r['duplicates']} duplicates, "
            f"{r['events']} incidents, {r['disputes']} disputes (cloning {r['clone_s']} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
