"""Story clustering against gold incident ids: GVC (incidents) and ECB+ (subtopics: look-alike events).

Prints B-cubed, MUC and their mean (CEAF-e is not computed yet, so this is not the full CoNLL F1), the
number of stories, and articles per second. By default clusters the raw articles (text features only);
``--extract`` runs the full per-article extraction first so names and places count too.

Usage: python bench/stories.py [DIR] [--dataset gvc|ecbplus|both] [--limit N] [--extract]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rashomon.reconcile.dedup import mark_duplicates
from rashomon.reconcile.stories import cluster_stories
from rashomon.records import Article, Extraction


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    pc: dict[str, set[str]] = defaultdict(set)
    gc: dict[str, set[str]] = defaultdict(set)
    for d, c in pred.items():
        pc[c].add(d)
    for d, c in gold.items():
        gc[c].add(d)
    p = sum(len(pc[pred[d]] & gc[gold[d]]) / len(pc[pred[d]]) for d in gold) / len(gold)
    r = sum(len(pc[pred[d]] & gc[gold[d]]) / len(gc[gold[d]]) for d in gold) / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def muc(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    def score(key: dict[str, str], resp: dict[str, str]) -> float:
        clusters: dict[str, set[str]] = defaultdict(set)
        for d, c in key.items():
            clusters[c].add(d)
        num = den = 0
        for members in clusters.values():
            parts = {resp[d] for d in members}
            num += len(members) - len(parts)
            den += len(members) - 1
        return num / den if den else 0.0

    r, p = score(gold, pred), score(pred, gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


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


def run(dataset: str, root: Path, limit: int | None, extract: bool) -> None:
    articles, gold = load(dataset, root, limit)
    t0 = time.perf_counter()
    if extract:
        from rashomon.extract.pipeline import Extractor

        exs: Iterable[Extraction] = list(Extractor().extract(articles))
    else:
        exs = [Extraction(article=a) for a in articles]
    exs = list(exs)
    mark_duplicates([ex.article for ex in exs])
    stories = cluster_stories(exs)
    seconds = time.perf_counter() - t0
    pred = {aid: s.id for s in stories for aid in s.article_ids}
    b3 = bcubed(pred, gold)
    m = muc(pred, gold)
    print(
        f"{dataset:<8} docs {len(gold):>5}  gold clusters {len(set(gold.values())):>5}  stories {len(stories):>5}  "
        f"B3 P/R/F1 {b3[0]:.3f}/{b3[1]:.3f}/{b3[2]:.3f}  MUC F1 {m[2]:.3f}  mean(B3,MUC) {(b3[2] + m[2]) / 2:.3f}  "
        f"{len(gold) / seconds:,.0f} art/s{' (with extraction)' if extract else ''}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", nargs="?", default=os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench"))
    parser.add_argument("--dataset", choices=["gvc", "ecbplus", "both"], default="both")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--extract", action="store_true")
    args = parser.parse_args()
    root = Path(args.dir).expanduser()
    for ds in ("gvc", "ecbplus") if args.dataset == "both" else (args.dataset,):
        run(ds, root, args.limit, args.extract)
    return 0


if __name__ == "__main__":
    sys.exit(main())
