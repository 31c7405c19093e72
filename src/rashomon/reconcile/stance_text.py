"""Stance features: the words of a claim and an article body, and the hand features the FNC-1 systems
(UCL's and Athene's) found useful: overlap of the claim with the body, its lead and its best
sentence, and refuting, negation, reporting and hedge words near the claim's terms. Each text is
prepared once (``Prepared``), so a body paired with many claims is not re-read for each.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rashomon.lexicon import load_list

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n+")
LEAD_SENTENCES = 2  # the lead of a news body states its main claim
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
