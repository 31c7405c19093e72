"""CASE 2021 Task 2 (fine-grained event classification): our cue-lexicon event typing vs gold labels.

Usage: ``python bench/case2021.py [BENCH_DIR]`` (default ``$RASHOMON_BENCH_DIR`` or
``~/.cache/rashomon-bench``). Each snippet is parsed once; the first sentence with an event cue gives
(event_type, sub_event_type), mapped to the CASE label set by ``data/lexicons/event_case2021.tsv``;
no cue -> OTHER. Prints weighted F1 (the task's metric; best published: 77.1) and per-class scores.
The lexicons were written from the ACLED codebook and the task's own label definitions (its non-ACLED
types map from our event_type "Other" sub-types), not tuned on this set: it is a test set only.
"""

from __future__ import annotations

import csv
import os
import sys
from collections import Counter
from pathlib import Path

PUBLISHED_BEST = 77.1


def _rows(path: Path) -> list[tuple[str, str]]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if n == 1 or len(row) < 3:
                if n > 1:
                    print(f"{path}:{n}: skipped, expected id<TAB>snippet<TAB>label", file=sys.stderr)
                continue
            out.append((row[1], row[2].strip()))
    return out


def f1_report(gold: list[str], pred: list[str]) -> tuple[float, dict[str, tuple[float, float, float, int]]]:
    """Weighted F1 over gold labels, and (precision, recall, f1, support) per label."""
    labels = sorted(set(gold))
    support = Counter(gold)
    per: dict[str, tuple[float, float, float, int]] = {}
    weighted = 0.0
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred) if g != lab and p == lab)
        fn = support[lab] - tp
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = (prec, rec, f1, support[lab])
        weighted += f1 * support[lab]
    return weighted / max(len(gold), 1), per


def main() -> None:
    import spacy

    from rashomon.config import SPACY_MODEL
    from rashomon.extract.events import classify
    from rashomon.lexicon import load_map

    base = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("RASHOMON_BENCH_DIR", Path.home() / ".cache" / "rashomon-bench"))
    path = base / "case2021" / "test_set_final_release_with_labels.tsv"
    if not path.exists():
        path = base / "test_set_final_release_with_labels.tsv"
    rows = _rows(path)
    mapping = {k.lower(): v for k, v in load_map("event_case2021").items()}
    nlp = spacy.load(SPACY_MODEL)
    pred: list[str] = []
    for doc in nlp.pipe((text for text, _ in rows), batch_size=64):
        label = "OTHER"
        for sent in doc.sents:
            kind = classify(sent)
            if kind:
                label = mapping.get(kind[1].lower(), "OTHER")
                break
        pred.append(label)
    gold = [lab for _, lab in rows]
    score, per = f1_report(gold, pred)
    print(f"CASE 2021 task 2, {len(gold)} snippets: weighted F1 {100 * score:.1f} (published best {PUBLISHED_BEST})")
    print(f"{'label':32} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for lab, (p, r, f, n) in sorted(per.items(), key=lambda kv: -kv[1][3]):
        print(f"{lab:32} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f} {n:5d}")


if __name__ == "__main__":
    main()
