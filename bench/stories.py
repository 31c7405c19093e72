"""Story clustering against gold incident ids: GVC (incidents), ECB+ (subtopics: look-alike events), demo.

Prints B-cubed, MUC, CEAF-e and the CoNLL F1 (their mean), the number of stories, and articles per
second. By default clusters the raw articles (text features only); ``--extract`` runs the full
per-article extraction first so names, places, dates and figures count too; ``--cache DIR`` keeps those
extractions (pickled, per article id, outside the repository) so tuning runs skip the slow part.
``--dataset demo`` scores the bundled demo corpus (always with extraction, as ``rashomon analyze`` would
see it).

Usage: python bench/stories.py [DIR] [--dataset gvc|ecbplus|demo|both|all] [--limit N] [--extract] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from rashomon.config import Settings
from rashomon.reconcile.dedup import mark_duplicates
from rashomon.reconcile.stories import cluster_stories
from rashomon.records import Article, Extraction

Scores = tuple[float, float, float]


def _clusters(assign: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for d, c in assign.items():
        out[c].add(d)
    return out


def _f1(p: float, r: float) -> Scores:
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> Scores:
    pc, gc = _clusters(pred), _clusters(gold)
    p = sum(len(pc[pred[d]] & gc[gold[d]]) / len(pc[pred[d]]) for d in gold) / len(gold)
    r = sum(len(pc[pred[d]] & gc[gold[d]]) / len(gc[gold[d]]) for d in gold) / len(gold)
    return _f1(p, r)


def muc(pred: dict[str, str], gold: dict[str, str]) -> Scores:
    def score(key: dict[str, str], resp: dict[str, str]) -> float:
        num = den = 0
        for members in _clusters(key).values():
            num += len(members) - len({resp[d] for d in members})
            den += len(members) - 1
        return num / den if den else 0.0

    return _f1(score(pred, gold), score(gold, pred))


def _hungarian(weights: list[list[float]]) -> float:
    """Maximum total weight of a one-to-one assignment (Kuhn-Munkres, rows <= columns after transpose)."""
    if len(weights) > len(weights[0]):
        weights = [list(col) for col in zip(*weights)]
    n, m = len(weights), len(weights[0])
    inf = float("inf")
    u, v, match, way = [0.0] * (n + 1), [0.0] * (m + 1), [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        match[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -weights[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sum(weights[match[j] - 1][j - 1] for j in range(1, m + 1) if match[j])


def ceaf_e(pred: dict[str, str], gold: dict[str, str]) -> Scores:
    """Entity-based CEAF (phi4), the optimal alignment solved per connected block of overlapping clusters."""
    pc, gc = _clusters({d: pred[d] for d in gold}), _clusters(gold)
    seen: set[str] = set()
    total = 0.0
    for start in gc:
        if start in seen:
            continue
        golds: list[str] = []
        preds: set[str] = set()
        todo = [start]
        seen.add(start)
        while todo:  # the block: gold clusters linked through shared predicted clusters
            g = todo.pop()
            golds.append(g)
            for p in {pred[d] for d in gc[g]} - preds:
                preds.add(p)
                for g2 in {gold[d] for d in pc[p]} - seen:
                    seen.add(g2)
                    todo.append(g2)
        plist = sorted(preds)
        w = [[2 * len(gc[g] & pc[p]) / (len(gc[g]) + len(pc[p])) for p in plist] for g in golds]
        total += _hungarian(w)
    return _f1(total / len(pc), total / len(gc))


def load(dataset: str, root: Path, limit: int | None) -> tuple[list[Article], dict[str, str]]:
    articles, gold = [], {}
    with open(root / dataset / "docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            key = d.get("incident_id") if dataset == "gvc" else d.get("subtopic")
            if key is None:
                continue  # withheld gold: not scored
            a = Article(source=d["doc_id"], text=d.get("content") or d.get("text") or "", title=d.get("title"), published=d.get("dct"))
            articles.append(a)
            gold[a.id] = str(key)
            if limit and len(articles) >= limit:
                break
    return articles, gold


def load_demo() -> tuple[list[Article], dict[str, str]]:
    """The demo corpus as ``rashomon analyze`` reads it; gold stories name files (``feed.jsonl#N``)."""
    from rashomon.cli import DEMO_DIR
    from rashomon.evaluation import doc_key
    from rashomon.extract import gazetteer
    from rashomon.ingest import iter_articles
    from rashomon.ingest.base import ReadOptions

    gazetteer.configure([DEMO_DIR / "gazetteer.tsv"])
    spec = json.loads((DEMO_DIR / "gold.json").read_text(encoding="utf-8"))
    story_of = {doc: s["id"] for s in spec["stories"] for doc in s["docs"]}
    articles = [a for a in iter_articles([DEMO_DIR / "corpus"], ReadOptions(field_map={})) if isinstance(a, Article)]
    gold = {a.id: story_of[doc_key(a.source)] for a in articles if doc_key(a.source) in story_of}
    return articles, gold


def extract(articles: Sequence[Article]) -> list[Extraction]:
    from rashomon.extract.pipeline import Extractor

    return list(Extractor().extract(articles))


def cached_extract(articles: Sequence[Article], path: Path) -> list[Extraction]:
    """Extractions from the pickle at ``path``, extracting (and adding) only the articles it lacks.

    The cache goes stale when the extractor changes: delete it then. Timings with a warm cache
    do not include extraction.
    """
    done: dict[str, Extraction] = pickle.loads(path.read_bytes()) if path.exists() else {}
    missing = [a for a in articles if a.id not in done]
    if missing:
        done.update((ex.article.id, ex) for ex in extract(missing))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(done))
    return [done[a.id] for a in articles]


def run(dataset: str, root: Path, limit: int | None, with_extraction: bool, cache: Path | None = None) -> None:
    articles, gold = load_demo() if dataset == "demo" else load(dataset, root, limit)
    with_extraction = with_extraction or dataset == "demo"
    t0 = time.perf_counter()
    if with_extraction and cache is not None:
        exs = cached_extract(articles, cache / f"{dataset}.pkl")
    else:
        exs = extract(articles) if with_extraction else [Extraction(article=a) for a in articles]
    t1 = time.perf_counter()
    mark_duplicates([ex.article for ex in exs], max_days=Settings().story_window_days)
    stories = cluster_stories(exs, window_days=Settings().story_window_days)
    t2 = time.perf_counter()
    pred = {aid: s.id for s in stories for aid in s.article_ids}
    b3, m, ce = bcubed(pred, gold), muc(pred, gold), ceaf_e(pred, gold)
    speed = f"{len(gold) / (t2 - t1):,.0f} art/s clustering"
    if with_extraction:
        speed += f", {len(gold) / (t2 - t0):,.1f} art/s with extraction"
    print(
        f"{dataset:<8} docs {len(gold):>5}  gold clusters {len(set(gold.values())):>5}  stories {len(stories):>5}  "
        f"B3 P/R/F1 {b3[0]:.3f}/{b3[1]:.3f}/{b3[2]:.3f}  MUC F1 {m[2]:.3f}  CEAF-e F1 {ce[2]:.3f}  "
        f"CoNLL F1 {(b3[2] + m[2] + ce[2]) / 3:.3f}  {speed}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", nargs="?", default=os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench"))
    parser.add_argument("--dataset", choices=["gvc", "ecbplus", "demo", "both", "all"], default="both")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--extract", action="store_true")
    parser.add_argument("--cache", type=Path, default=None, help="keep extractions here (implies --extract)")
    args = parser.parse_args()
    root = Path(args.dir).expanduser()
    groups = {"both": ("gvc", "ecbplus"), "all": ("gvc", "ecbplus", "demo")}
    for ds in groups.get(args.dataset, (args.dataset,)):
        run(ds, root, args.limit, args.extract or args.cache is not None, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
