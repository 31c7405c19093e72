"""Score the pipeline on the bundled demo corpus against its hand-written gold; prints a table.

Usage: python bench/demo_gold.py [--db PATH]   (a fresh temporary database by default)
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


def score_demo(db_path: Path, quiet: bool = True) -> tuple[dict, float]:
    """Analyze the demo corpus into ``db_path`` and score it; returns the scores and the seconds taken."""
    settings = Settings(db=str(db_path), gazetteers=(DEMO_DIR / "gazetteer.tsv",), quiet=quiet)
    t0 = time.perf_counter()
    analyze([DEMO_DIR / "corpus"], settings)
    seconds = time.perf_counter() - t0
    store = Store(settings.db_url)
    try:
        exs = list(store.iter_extractions())
        scores = GoldScorer(load_gold(DEMO_DIR / "gold.json"), exs, store.load_reconciled()).all()
    finally:
        store.close()
    return scores, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scores, seconds = score_demo(args.db or Path(tmp) / "demo.db")
    print(format_table(scores))
    print(f"analyze time (incl. model load): {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
