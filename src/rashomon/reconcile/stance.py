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
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

from rashomon.lexicon import load_list

StanceLabel = Literal["agree", "disagree", "discuss", "unrelated"]
ArticleStance = Literal["supports", "denies", "reports", "unrelated"]

LABELS: tuple[StanceLabel, ...] = ("agree", "disagree", "discuss", "unrelated")
MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "stance.npz"

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n+")
LEAD_SENTENCES = 2  # the lead of a news body states its main claim
MEMO_SIZE = 4096  # texts whose vectors are kept while pairing claims with bodies

HAND_FEATURES: tuple[str, ...] = (
    "tfidf_cosine", "jaccard", "head_in_body", "head_in_lead", "bigram_hits", "trigram_hits",
    "best_sentence_overlap", "near_sentences", "head_refuting", "body_refuting", "near_refuting",
    "head_negation_odd", "body_negation", "near_negation", "body_reporting", "near_reporting",
    "body_hedges", "head_reporting", "head_question", "body_length",
)


@dataclass(slots=True, frozen=True, eq=False)
class Prepared:
    """One text analysed once, so a body paired with many claims is not re-read for each.

    ``cues`` holds, per sentence, the counts of refuting, negation and reporting words.
    """

    terms: tuple[str, ...]
    term_set: frozenset[str]
    bigrams: frozenset[tuple[str, ...]]
    trigrams: frozenset[tuple[str, ...]]
    sentence_stems: tuple[frozenset[str], ...]
    cues: tuple[tuple[int, int, int], ...]
    hedges: int
    length: int
    question: bool


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; contractions stay whole so that "didn't" counts as a negation."""
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix stripper, so that "killed", "kills" and "killing" match "kill" in overlaps.

    Crude on purpose: both sides of every comparison go through it, so only consistency matters.
    """
    word = word.removesuffix("'s")
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith(("ss", "us", "is")):
            return word[: -len(suffix)] + keep
    return word


def prepare(text: str) -> Prepared:
    """Stemmed content terms and their n-grams, sentence stems and cue counts, hedges, length."""
    stop = load_list("stopwords")
    tokens = tokenize(text)
    sentences = [tokenize(s) for s in _SENTENCE.split(text) if s.strip()]
    terms = tuple(stem(t) for t in tokens if t not in stop)
    return Prepared(
        terms, frozenset(terms), frozenset(_ngrams(terms, 2)), frozenset(_ngrams(terms, 3)),
        tuple(frozenset(stem(t) for t in s) for s in sentences), tuple(_cue_counts(s) for s in sentences),
        _phrase_count(tokens, load_list("hedges")), len(tokens), "?" in text,
    )


def _cue_counts(tokens: Sequence[str]) -> tuple[int, int, int]:
    """Refuting words (the project's claim-denial cues plus the stance list), negations, reporting words."""
    refuting = load_list("denial_cues") | load_list("stance_refuting")
    negations, reporting = load_list("event_negations"), load_list("stance_reporting")
    return (
        sum(1 for t in tokens if t in refuting),
        sum(1 for t in tokens if t in negations or t.endswith("n't")),
        sum(1 for t in tokens if t in reporting),
    )


def _phrase_count(tokens: Sequence[str], phrases: frozenset[str]) -> int:
    """Occurrences of multi-word ``phrases`` on token boundaries."""
    joined = f" {' '.join(tokens)} "
    return sum(joined.count(f" {p} ") for p in phrases)


def _ngrams(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def _sum_cues(cues: Iterable[tuple[int, int, int]]) -> tuple[int, int, int]:
    totals = [0, 0, 0]
    for row in cues:
        for i, n in enumerate(row):
            totals[i] += n
    return totals[0], totals[1], totals[2]


def _overlap_features(head: Prepared, body: Prepared) -> list[float]:
    """How much of the claim the body repeats: word sets, the lead, n-grams, the best sentence."""
    h, b = head.term_set, body.term_set
    lead = frozenset().union(*body.sentence_stems[:LEAD_SENTENCES])
    best = max((len(h & s) for s in body.sentence_stems), default=0)
    size = max(len(h), 1)
    return [
        len(h & b) / max(len(h | b), 1),
        len(h & b) / size,
        len(h & lead) / size,
        len(head.bigrams & body.bigrams) / max(len(head.bigrams), 1),
        len(head.trigrams & body.trigrams) / max(len(head.trigrams), 1),
        best / size,
    ]


def _polarity_features(head: Prepared, body: Prepared) -> list[float]:
    """Refuting, negation and reporting words in the claim, the body, and the sentences about the claim.

    A sentence is "near" the claim when it shares enough of the claim's terms to be about it.
    """
    need = 2 if len(head.term_set) >= 4 else 1
    near = [c for c, stems in zip(body.cues, body.sentence_stems) if len(head.term_set & stems) >= need]
    h_ref, h_neg, h_rep = _sum_cues(head.cues)
    b_ref, b_neg, b_rep = _sum_cues(body.cues)
    n_ref, n_neg, n_rep = _sum_cues(near)
    per_100 = 100.0 / max(body.length, 1)
    return [
        math.log1p(len(near)), float(h_ref), math.log1p(b_ref), math.log1p(n_ref), float(h_neg % 2),
        b_neg * per_100, math.log1p(n_neg), b_rep * per_100, math.log1p(n_rep), math.log1p(body.hedges),
        float(h_rep + head.hedges),
    ]


def hand_features(head: Prepared, body: Prepared, cosine: float) -> list[float]:
    """The dense features named in ``HAND_FEATURES``, in that order (raw, before scaling)."""
    return [cosine, *_overlap_features(head, body), *_polarity_features(head, body), float(head.question),
            math.log1p(body.length)]


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
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (e / e.sum(axis=1, keepdims=True)).mean(axis=0)

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

        return [_decide(self.probabilities(prep(c), prep(b))) for c, b in pairs]


def _decide(probs: np.ndarray) -> tuple[StanceLabel, dict[StanceLabel, float]]:
    return LABELS[int(np.argmax(probs))], {label: float(p) for label, p in zip(LABELS, probs)}


@cache
def _load(path: str) -> StanceDetector:
    with np.load(path, allow_pickle=False) as z:
        vocab = {str(w): i for i, w in enumerate(z["vocab"].tolist())}
        idf = dict(zip(z["idf_terms"].tolist(), z["idf"].astype(np.float64).tolist()))
        unseen = float(z["unseen_idf"])
        f64 = {k: z[k].astype(np.float64) for k in ("mean", "scale")}
        f64 |= {k: np.atleast_3d(z[k].astype(np.float64).T).T for k in ("w1", "w2")}  # (members, in, out)
        f64 |= {k: np.atleast_2d(z[k].astype(np.float64)) for k in ("b1", "b2")}
    return StanceDetector(Featurizer(vocab, idf, unseen), f64["mean"], f64["scale"], f64["w1"], f64["b1"],
                          f64["w2"], f64["b2"])


_ARTICLE_STANCE: dict[StanceLabel, ArticleStance] = {
    "agree": "supports", "disagree": "denies", "discuss": "reports", "unrelated": "unrelated",
}


def article_stance(claim: str, article_text: str, detector: StanceDetector | None = None) -> ArticleStance:
    """Whether an article supports, denies or only reports ``claim`` (or is not about it).

    Not wired yet: the dispute finder can call it with a claim's ``content`` and every other article of
    the same story to find outlets that deny (or merely relay) what another source asserts.
    """
    label, _ = (detector or StanceDetector.load()).predict(claim, article_text)
    return _ARTICLE_STANCE[label]
