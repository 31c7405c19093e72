"""Score the pipeline on the bundled demo corpus against its hand-written gold; prints a table.

Usage: python bench/demo_gold.py [--db PATH] [--verbose]   (a fresh temporary database by default;
--verbose also lists the entity alias pairs kept apart or wrongly joined)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rashomon.analyze import analyze
from rashomon.cli import DEMO_DIR
from rashomon.config import Settings
from rashomon.evaluation import GoldScorer, format_table, load_gold
from rashomon.store.db import Store


def score_demo(db_path: Path, quiet: bool = True, misses: list[str] | None = None) -> tuple[dict, float]:
    """Analyze the demo corpus into ``db_path`` and score it; returns the scores and the seconds taken
    (and appends the entity alias misses to ``misses`` when given)."""
    settings = Settings(db=str(db_path), gazetteers=(DEMO_DIR / "gazetteer.tsv",), quiet=quiet)
    t0 = time.perf_counter()
    analyze([DEMO_DIR / "corpus"], settings)
    seconds = time.perf_counter() - t0
    store = Store(settings.db_url)
    try:
        exs = list(store.iter_extractions())
        scorer = GoldScorer(load_gold(DEMO_DIR / "gold.json"), exs, store.load_reconciled())
        scores = scorer.all()
        if misses is not None:
            misses.extend(scorer.entity_misses())
    finally:
        store.close()
    return scores, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true", help="list entity alias pairs apart / wrongly joined")
    args = parser.parse_args()
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        scores, seconds = score_demo(args.db or Path(tmp) / "demo.db", misses=misses if args.verbose else None)
    print(format_table(scores))
    if args.verbose:
        print("entity alias pairs:\n  " + "\n  ".join(misses or ["(none)"]))
    print(f"analyze time (incl. model load): {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
