"""Stance of an article towards a claim: agree, disagree, discuss (only reports it) or unrelated.

The dispute finder needs to know whether an article supports, denies or merely reports a claim made
elsewhere. The detector follows what worked on FNC-1 (UCL's and Athene's systems): term-frequency
vectors of claim and body, their TF-IDF cosine, and a few hand features (overlap, refuting and negation
words near the claim's terms, reporting/hedge words) fed to a one-hidden-layer network. The weights are
trained by ``bench/train_stance.py`` on FNC-1 train only and shipped as a small ``.npz``; inference is
pure numpy (no scikit-learn, no torch), and the model is loaded once per process.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np

from rashomon.model_hashes import STANCE, ensure_model
from rashomon.reconcile.stance_text import (
    HAND_FEATURES,
    Prepared,
    hand_features,
    prepare,
    stem,
    tokenize,
)

StanceLabel = Literal["agree", "disagree", "discuss", "unrelated"]
ArticleStance = Literal["supports", "denies", "reports", "unrelated"]

__all__ = ["ARTICLE_STANCE", "HAND_FEATURES", "LABELS", "MODEL_PATH", "Featurizer", "Prepared", "StanceDetector",
           "article_stance", "hand_features", "prepare", "stem", "tokenize"]

LABELS: tuple[StanceLabel, ...] = ("agree", "disagree", "discuss", "unrelated")
MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "stance.npz"

MEMO_SIZE = 4096  # texts whose vectors are kept while pairing claims with bodies
BATCH_ROWS = 256  # pairs per forward pass of ``probabilities_batch``


@dataclass(slots=True, frozen=True)
class TextVectors:
    """A text's TF over the vocabulary (indices, L2-normalised values) and its TF-IDF over all terms."""

    idx: np.ndarray
    val: np.ndarray
    tfidf: dict[str, float]
    norm: float


@dataclass(slots=True)
class Featurizer:
    """Vocabulary and IDF learnt from training text; turns (claim, body) into one sparse row.

    Columns: claim TF over the vocabulary, body TF over the vocabulary, then the hand features. The
    cosine uses every term, not only the vocabulary: a term never seen in training gets the highest
    IDF, so that claims about new topics and names are still matched to their articles.
    """

    vocab: dict[str, int]
    idf: dict[str, float]
    unseen_idf: float
    _memo: dict[Prepared, TextVectors] = field(default_factory=dict, repr=False)

    def vectors(self, text: Prepared) -> TextVectors:
        """The text's vectors, memoised: a body is paired with many claims (bounded, cleared when full)."""
        found = self._memo.get(text)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[text] = self._vectors(text.terms)
        return found

    def _vectors(self, terms: Sequence[str]) -> TextVectors:
        """L2-normalised term counts over the vocabulary, and TF-IDF weights over every term."""
        counts = Counter(terms)
        in_vocab = [(self.vocab[t], n) for t, n in counts.items() if t in self.vocab]
        idx = np.array([i for i, _ in in_vocab], dtype=np.int64)
        val = np.array([n for _, n in in_vocab], dtype=np.float64)
        norm = float(np.linalg.norm(val))
        tfidf = {t: n * self.idf.get(t, self.unseen_idf) for t, n in counts.items()}
        return TextVectors(idx, val / norm if norm else val, tfidf, math.sqrt(sum(v * v for v in tfidf.values())))

    def cosine(self, head: Prepared, body: Prepared) -> float:
        """Cosine of the TF-IDF vectors of two texts."""
        h, b = self.vectors(head), self.vectors(body)
        dot = sum(v * b.tfidf.get(t, 0.0) for t, v in h.tfidf.items())
        return dot / (h.norm * b.norm) if h.norm and b.norm else 0.0

    def row(self, head: Prepared, body: Prepared) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(TF column indices, TF values, raw hand features) of one pair."""
        h, b = self.vectors(head), self.vectors(body)
        dense = np.asarray(hand_features(head, body, self.cosine(head, body)), dtype=np.float64)
        return np.concatenate([h.idx, b.idx + len(self.vocab)]), np.concatenate([h.val, b.val]), dense


@dataclass(slots=True)
class StanceDetector:
    """A featurizer plus an ensemble of one-hidden-layer ReLU networks with a softmax over ``LABELS``.

    Weights are stacked over members: ``w1`` is (members, inputs, hidden), ``w2`` (members, hidden, labels).
    """

    featurizer: Featurizer
    mean: np.ndarray
    scale: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    @classmethod
    def load(cls, path: Path | None = None) -> StanceDetector:
        """The shipped model (or the one at ``path``), read once per process."""
        return _load(str(path or MODEL_PATH))

    def _hidden(self, idx: np.ndarray, val: np.ndarray, dense: np.ndarray) -> np.ndarray:
        """First layer of every member on a sparse row: only the columns present are touched."""
        n_tf = 2 * len(self.featurizer.vocab)
        scaled = (dense - self.mean) / self.scale
        z = self.b1 + np.einsum("n,knh->kh", val, self.w1[:, idx]) + np.einsum("d,kdh->kh", scaled, self.w1[:, n_tf:])
        return np.maximum(z, 0.0)

    def probabilities(self, head: Prepared, body: Prepared) -> np.ndarray:
        """Softmax over ``LABELS`` for one prepared pair, averaged over the ensemble's members."""
        logits = np.einsum("kh,kho->ko", self._hidden(*self.featurizer.row(head, body)), self.w2) + self.b2
        return _softmax(logits).mean(axis=0)

    def probabilities_batch(self, pairs: Sequence[tuple[Prepared, Prepared]]) -> np.ndarray:
        """Softmax rows for many prepared pairs, (pairs, labels): the network runs once per chunk of
        ``BATCH_ROWS`` rows, the sparse first layer as one gather of the weight rows the chunk uses."""
        out = np.zeros((len(pairs), len(LABELS)))
        n_tf = 2 * len(self.featurizer.vocab)
        for start in range(0, len(pairs), BATCH_ROWS):
            rows = [self.featurizer.row(head, body) for head, body in pairs[start : start + BATCH_ROWS]]
            sparse = self._sparse_layer([r[0] for r in rows], [r[1] for r in rows])
            scaled = (np.array([r[2] for r in rows]) - self.mean) / self.scale
            z = self.b1[:, None, :] + sparse + np.matmul(scaled, self.w1[:, n_tf:])
            logits = np.matmul(np.maximum(z, 0.0), self.w2) + self.b2[:, None, :]
            out[start : start + len(rows)] = _softmax(logits).mean(axis=0)
        return out

    def _sparse_layer(self, idx: Sequence[np.ndarray], val: Sequence[np.ndarray]) -> np.ndarray:
        """The TF columns' share of the first layer for many rows, (members, rows, hidden): the weight
        rows each row uses, scaled by its values and summed per row."""
        lengths = np.array([len(i) for i in idx])
        out = np.zeros((self.w1.shape[0], len(idx), self.w1.shape[2]))
        if not lengths.sum():
            return out
        contrib = self.w1[:, np.concatenate(idx).astype(np.int64)] * np.concatenate(val)[None, :, None]
        starts = np.minimum(np.concatenate([[0], np.cumsum(lengths)[:-1]]), contrib.shape[1] - 1)
        out[:] = np.add.reduceat(contrib, starts, axis=1)
        out[:, lengths == 0] = 0.0  # reduceat gives an empty row the next row's first value
        return out

    def predict(self, claim: str, body: str) -> tuple[StanceLabel, dict[StanceLabel, float]]:
        """The body's stance towards ``claim`` and the probability of each label."""
        return _decide(self.probabilities(prepare(claim), prepare(body)))

    def predict_batch(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[StanceLabel, dict[StanceLabel, float]]]:
        """``predict`` over many (claim, body) pairs; each distinct text is tokenized once."""
        seen: dict[str, Prepared] = {}

        def prep(text: str) -> Prepared:
            if text not in seen:
                seen[text] = prepare(text)
            return seen[text]

        probs = self.probabilities_batch([(prep(c), prep(b)) for c, b in pairs])
        return [_decide(row) for row in probs]


def _softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis."""
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _decide(probs: np.ndarray) -> tuple[StanceLabel, dict[StanceLabel, float]]:
    return LABELS[int(np.argmax(probs))], {label: float(p) for label, p in zip(LABELS, probs)}


@cache
def _load(path: str) -> StanceDetector:
    if Path(path).resolve() == MODEL_PATH:  # the shipped model has recorded hashes; one of your own has none
        ensure_model(STANCE)
    with np.load(path, allow_pickle=False) as z:
        vocab = {str(w): i for i, w in enumerate(z["vocab"].tolist())}
        idf = dict(zip(z["idf_terms"].tolist(), z["idf"].astype(np.float64).tolist()))
        unseen = float(z["unseen_idf"])
        f64 = {k: z[k].astype(np.float64) for k in ("mean", "scale")}
        f64 |= {k: np.atleast_3d(z[k].astype(np.float64).T).T for k in ("w1", "w2")}  # (members, in, out)
        f64 |= {k: np.atleast_2d(z[k].astype(np.float64)) for k in ("b1", "b2")}
    return StanceDetector(Featurizer(vocab, idf, unseen), f64["mean"], f64["scale"], f64["w1"], f64["b1"],
                          f64["w2"], f64["b2"])


ARTICLE_STANCE: dict[StanceLabel, ArticleStance] = {
    "agree": "supports", "disagree": "denies", "discuss": "reports", "unrelated": "unrelated",
}


def article_stance(claim: str, article_text: str, detector: StanceDetector | None = None) -> ArticleStance:
    """Whether an article supports, denies or only reports ``claim`` (or is not about it).

    One pair at a time; the dispute finder batches a story's articles through
    ``StanceDetector.probabilities_batch`` instead (``dispute_stances.py``).
    """
    label, _ = (detector or StanceDetector.load()).predict(claim, article_text)
    return ARTICLE_STANCE[label]
