"""Train the shipped stance model (``rashomon/data/models/stance.npz``) on FNC-1 train only.

Usage: ``python bench/train_stance.py [BENCH_DIR] [--holdout] [--out PATH]``. Needs the ``train`` extra
(scikit-learn); the shipped model is read back by numpy alone. Deterministic: a fixed seed, a vocabulary
built from train text by frequency with alphabetical tie-breaks. ``--holdout`` scores pairs whose headline and
body were both held out of training (for choosing settings without the test set);
the competition test set is never read here.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from fnc1 import read_split, report
from scipy.sparse import csr_matrix, hstack  # type: ignore[import-untyped]
from sklearn.neural_network import MLPClassifier  # type: ignore[import-untyped]

from rashomon.reconcile.stance import LABELS, MODEL_PATH, Featurizer, Prepared, prepare

SEED = 1729


def build_featurizer(texts: Sequence[Prepared], size: int) -> Featurizer:
    """The ``size`` most frequent terms of the distinct training texts, and smoothed IDF of every term
    seen in two texts or more (rarer terms get the IDF of an unseen term)."""
    tf: Counter[str] = Counter()
    df: Counter[str] = Counter()
    for p in texts:
        tf.update(p.terms)
        df.update(set(p.terms))
    words = [w for w, _ in sorted(tf.items(), key=lambda kv: (-kv[1], kv[0]))[:size]]
    idf = {w: float(np.log((1 + len(texts)) / (1 + n)) + 1.0) for w, n in sorted(df.items()) if n >= 2}
    return Featurizer({w: i for i, w in enumerate(words)}, idf, float(np.log((1 + len(texts)) / 2) + 1.0))


def featurize(feat: Featurizer, pairs: Sequence[tuple[Prepared, Prepared]]) -> tuple[csr_matrix, np.ndarray]:
    """Sparse TF block plus raw hand features for every pair."""
    indptr, indices, values, dense = [0], [], [], []
    for head, body in pairs:
        idx, val, d = feat.row(head, body)
        indices.append(idx)
        values.append(val)
        dense.append(d)
        indptr.append(indptr[-1] + len(idx))
    tf = csr_matrix((np.concatenate(values), np.concatenate(indices), np.array(indptr)),
                    shape=(len(pairs), 2 * len(feat.vocab)))
    return tf, np.vstack(dense)


def design(tf: csr_matrix, dense: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> csr_matrix:
    """The network's input: TF columns then the standardised hand features."""
    return hstack([tf, csr_matrix((dense - mean) / scale)], format="csr")


def oversample(y: np.ndarray, factors: dict[str, int], rng: random.Random) -> np.ndarray:
    """Row indices with the rare labels repeated ``factors[label]`` times, shuffled."""
    rows = [i for i, label in enumerate(y) for _ in range(factors.get(LABELS[label], 1))]
    rng.shuffle(rows)
    return np.array(rows)


def train(x: csr_matrix, y: np.ndarray, args: argparse.Namespace, seed: int) -> MLPClassifier:
    """One member of the ensemble; members differ only by their seed."""
    rows = oversample(y, {"disagree": args.disagree_weight, "agree": args.agree_weight}, random.Random(seed))
    net = MLPClassifier(hidden_layer_sizes=(args.hidden,), alpha=args.alpha, batch_size=500,
                        learning_rate_init=args.lr, max_iter=args.epochs, shuffle=True, random_state=seed,
                        tol=0.0, n_iter_no_change=args.epochs + 1)
    return net.fit(x[rows], y[rows])


@dataclass(slots=True)
class Trained:
    """What training produces: the featurizer, the hand-feature scaling and the ensemble's networks."""

    feat: Featurizer
    mean: np.ndarray
    scale: np.ndarray
    nets: list[MLPClassifier]

    def inputs(self, pairs: Sequence[tuple[Prepared, Prepared]]) -> csr_matrix:
        tf, dense = featurize(self.feat, pairs)
        return design(tf, dense, self.mean, self.scale)

    def predict_proba(self, pairs: Sequence[tuple[Prepared, Prepared]]) -> np.ndarray:
        """The members' probabilities averaged, as ``StanceDetector`` computes them."""
        x = self.inputs(pairs)
        return np.mean([net.predict_proba(x) for net in self.nets], axis=0)

    def save(self, path: Path) -> None:
        """Write the model as float16 weights in a compressed ``.npz`` (no pickles)."""
        vocab = sorted(self.feat.vocab, key=self.feat.vocab.__getitem__)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path, vocab=np.array(vocab), idf_terms=np.array(list(self.feat.idf)),
            idf=np.array(list(self.feat.idf.values()), dtype=np.float16),
            unseen_idf=np.float32(self.feat.unseen_idf), mean=self.mean.astype(np.float32),
            scale=self.scale.astype(np.float32), w1=self._stack(lambda n: n.coefs_[0], np.float16),
            b1=self._stack(lambda n: n.intercepts_[0]), w2=self._stack(lambda n: n.coefs_[1]),
            b2=self._stack(lambda n: n.intercepts_[1]),
        )


    def _stack(self, part: Callable[[MLPClassifier], np.ndarray], dtype: type = np.float32) -> np.ndarray:
        return np.stack([part(net) for net in self.nets]).astype(dtype)


def fit(rows: Sequence[tuple[str, str, str]], args: argparse.Namespace) -> Trained:
    """Vocabulary, IDF, scaling and network from (headline, body, stance) rows."""
    prepared = {text: prepare(text) for text in sorted({t for h, b, _ in rows for t in (h, b)})}
    feat = build_featurizer(list(prepared.values()), args.vocab)
    tf, dense = featurize(feat, [(prepared[h], prepared[b]) for h, b, _ in rows])
    mean, scale = dense.mean(axis=0), dense.std(axis=0) + 1e-6
    y = np.array([LABELS.index(s) for _, _, s in rows])
    x = design(tf, dense, mean, scale)
    return Trained(feat, mean, scale, [train(x, y, args, SEED + i) for i in range(args.members)])


def split(rows: list[tuple[str, str, str]]) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Hold out a fifth of the headlines and a fifth of the bodies, as the competition test does.

    Test pairs have an unseen headline and an unseen body; pairs sharing either with the test are
    dropped from training, so nothing of a test pair was seen.
    """
    rng = random.Random(SEED)
    held: set[str] = set()
    for column in (0, 1):
        texts = sorted({r[column] for r in rows})
        rng.shuffle(texts)
        held.update(texts[: len(texts) // 5])
    fit = [r for r in rows if r[0] not in held and r[1] not in held]
    return fit, [r for r in rows if r[0] in held and r[1] in held]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_dir", nargs="?", type=Path,
                        default=Path(os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench")))
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--holdout", action="store_true", help="score on unseen headlines and bodies")
    parser.add_argument("--vocab", type=int, default=5000)
    parser.add_argument("--hidden", type=int, default=100)
    parser.add_argument("--alpha", type=float, default=1e-2, help="L2 penalty")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--disagree-weight", type=int, default=3, help="times each disagree pair is repeated")
    parser.add_argument("--agree-weight", type=int, default=1)
    parser.add_argument("--members", type=int, default=1, help="networks in the ensemble (seeds)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    start = time.perf_counter()
    rows = read_split(args.bench_dir.expanduser() / "fnc1", "train")
    fit_rows, test_rows = split(rows) if args.holdout else (rows, [])
    trained = fit(fit_rows, args)
    print(f"trained on {len(fit_rows)} pairs in {time.perf_counter() - start:.0f}s", file=sys.stderr)
    if args.holdout:
        seen = {t: prepare(t) for t in sorted({t for h, b, _ in test_rows for t in (h, b)})}
        pred = trained.predict_proba([(seen[h], seen[b]) for h, b, _ in test_rows]).argmax(axis=1)
        print(f"holdout: {len(test_rows)} pairs")
        print(report([s for _, _, s in test_rows], [LABELS[i] for i in pred]))
        return
    trained.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
