"""FNC-1 (Fake News Challenge stage 1): the shipped stance model on the competition test set.

Usage: ``python bench/fnc1.py [BENCH_DIR] [--limit N] [--model PATH]`` (default ``$RASHOMON_BENCH_DIR`` or
``~/.cache/rashomon-bench``). Prints the FNC score as a percentage of the best possible score (+0.25 per
correct related/unrelated decision, +0.75 more per related pair with the exact label), macro F1 over the
four labels, per-class F1, the confusion matrix and pairs/s, next to the published 82.02 (competition
winner) and 90.73 (best later result). The model is trained on FNC-1 train only (``train_stance.py``).
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections.abc import Sequence
from pathlib import Path

from rashomon.reconcile.stance import LABELS, StanceDetector

PUBLISHED_COMPETITION = 82.02
PUBLISHED_BEST = 90.73
RELATED = frozenset({"agree", "disagree", "discuss"})


def read_split(fnc_dir: Path, split: str) -> list[tuple[str, str, str]]:
    """(headline, body text, stance) rows of ``train`` or ``competition_test``."""
    with (fnc_dir / f"{split}_bodies.csv").open(encoding="utf-8", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    with (fnc_dir / f"{split}_stances.csv").open(encoding="utf-8", newline="") as fh:
        return [(row["Headline"], bodies[row["Body ID"]], row["Stance"]) for row in csv.DictReader(fh)]


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> float:
    """The FNC-1 score as a percentage of the score of a perfect prediction."""
    def points(g: str, p: str) -> float:
        score = 0.25 if (g in RELATED) == (p in RELATED) else 0.0
        return score + (0.75 if g in RELATED and g == p else 0.0)

    best = sum(points(g, g) for g in gold)
    return 100.0 * sum(points(g, p) for g, p in zip(gold, pred)) / best


def confusion(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, int]]:
    """gold label -> predicted label -> count."""
    table: dict[str, dict[str, int]] = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for g, p in zip(gold, pred):
        table[g][p] += 1
    return table


def class_f1(table: dict[str, dict[str, int]]) -> dict[str, float]:
    """F1 of each label from the confusion matrix."""
    out: dict[str, float] = {}
    for label in LABELS:
        tp = table[label][label]
        predicted = sum(table[g][label] for g in LABELS)
        actual = sum(table[label].values())
        out[label] = 2 * tp / (predicted + actual) if predicted + actual else 0.0
    return out


def report(gold: Sequence[str], pred: Sequence[str]) -> str:
    """The FNC score, macro and per-class F1 and the confusion matrix as printed lines."""
    table = confusion(gold, pred)
    f1 = class_f1(table)
    lines = [
        (f"FNC score {fnc_score(gold, pred):.2f}%  (published: {PUBLISHED_COMPETITION} competition, "
         f"{PUBLISHED_BEST} best later)"),
        f"macro F1 {100 * sum(f1.values()) / len(f1):.2f}",
        "per-class F1 " + "  ".join(f"{label} {100 * f1[label]:.2f}" for label in LABELS),
        f"disagree F1 {100 * f1['disagree']:.2f}",
        "confusion (rows gold, columns predicted): " + " ".join(f"{p:>10}" for p in LABELS),
    ]
    lines += [f"  {g:>10} " + " ".join(f"{table[g][p]:>10}" for p in LABELS) for g in LABELS]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_dir", nargs="?", type=Path,
                        default=Path(os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench")))
    parser.add_argument("--limit", type=int, default=0, help="evaluate only every k-th pair so that N remain")
    parser.add_argument("--model", type=Path, default=None, help="a model other than the shipped one")
    args = parser.parse_args(argv)
    rows = read_split(args.bench_dir.expanduser() / "fnc1", "competition_test")
    if args.limit and args.limit < len(rows):
        rows = rows[:: len(rows) // args.limit][: args.limit]
    detector = StanceDetector.load(args.model)
    start = time.perf_counter()
    pred = [label for label, _ in detector.predict_batch((h, b) for h, b, _ in rows)]
    elapsed = time.perf_counter() - start
    print(f"fnc1 competition test: {len(rows)} pairs, {len(rows) / elapsed:.0f} pairs/s")
    print(report([g for _, _, g in rows], pred))


if __name__ == "__main__":
    main()
