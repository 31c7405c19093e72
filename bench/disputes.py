"""Score the dispute finder on the demo corpus with the GOLD story assignment, apart from clustering.

Runs the real pipeline on the bundled demo corpus, then groups its articles into the stories that
gold.json names, runs ``find_disputes`` on them and prints precision / recall, every gold dispute
missed, every false alarm and every gold non-dispute that a predicted dispute joins. The end-to-end
figure (with the pipeline's own stories) is printed too, and how many incidents each gold story gets.

Usage: python bench/disputes.py [--db PATH] [--all]   (--all also lists the disputes that matched)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rashomon.analyze import analyze
from rashomon.cli import DEMO_DIR
from rashomon.config import Settings
from rashomon.evaluation import DisputeCheck, GoldScorer, gold_stories, load_gold
from rashomon.reconcile.disputes import find_disputes
from rashomon.reconcile.incidents import merge_events
from rashomon.records import Extraction, Story
from rashomon.store.db import Store


def _print_check(title: str, check: DisputeCheck) -> None:
    s = check.score
    print(f"{title}: P {s.precision:.2f} R {s.recall:.2f} F1 {s.f1:.2f} ({s.tp_pred}/{s.n_pred} predicted match, {s.tp_gold}/{s.n_gold} gold found)")
    for label, rows in (("missed", check.misses), ("false alarm", check.false_alarms), ("joins a non-dispute", check.violations)):
        for row in rows:
            print(f"  {label}: {row}")


def _print_incidents(stories: list[Story], by_id: dict[str, Extraction]) -> None:
    """Incidents per gold story (each gold story reports one incident or one campaign): a story split
    into many incidents, or background retold as incidents, shows here."""
    counts = []
    for story in stories:
        originals = [by_id[a] for a in story.article_ids if not by_id[a].article.duplicate_of]
        incidents = merge_events(story, [ev for ex in originals for ev in ex.events], by_id)
        counts.append(f"{story.id} {len(incidents)} ({len(story.article_ids)} articles)")
    print("incidents per gold story: " + ", ".join(counts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="analyze into this database (default: a temporary one)")
    parser.add_argument("--all", action="store_true", help="also list every predicted dispute under gold stories")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=str(args.db or Path(tmp) / "demo.db"), gazetteers=(DEMO_DIR / "gazetteer.tsv",), quiet=True)
        analyze([DEMO_DIR / "corpus"], settings)
        store = Store(settings.db_url)
        try:
            exs = list(store.iter_extractions())
            scorer = GoldScorer(load_gold(DEMO_DIR / "gold.json"), exs, store.load_reconciled())
        finally:
            store.close()
    _print_check("disputes, gold stories", scorer.disputes_with_gold_stories())
    _print_check("disputes, end to end", scorer.dispute_check())
    _print_incidents(gold_stories(scorer.gold, exs), {ex.article.id: ex for ex in exs})
    if args.all:
        for d in find_disputes(gold_stories(scorer.gold, exs), exs):
            print(f"- [{d.story_id}] {d.kind}: {d.proposition}\n    {d.explanation}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
