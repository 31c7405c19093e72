"""Where each article of a story stands on a dispute: carries the claim, denies it, only relays it, or
is about something else.

A dispute's sides say which articles carry which claim; the other articles of the story are read by
the FNC-1 stance detector (``stance.py``) against the disputed claim, so a reader also learns which
outlets covered the story without taking either side. The claims an article carries decide first
(an article printing only the denial denies the claim; one printing claim and denial reports both);
the detector decides the rest, and whether an article carrying only the claim states it as fact
("supports") or relays it ("reports"). The detector answers "discuss" for most conflict reporting,
where every sentence carries "said", so it never overrides what the claims show. One forward pass
per story: every (claim, article) pair of the story's disputes goes through the network together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from rashomon.reconcile.stance import (
    ARTICLE_STANCE,
    LABELS,
    Prepared,
    StanceDetector,
    prepare,
)
from rashomon.records import Claim, Dispute, DisputeStance, Extraction

FIGURE_KINDS = ("numeric", "outlet_numeric")  # sides are figures, not a claim and its denial
HEADLINE_CHARS = 300  # a claim longer than a headline is cut: FNC-1 headlines are one short sentence


def headline(d: Dispute, claims: Mapping[str, Claim]) -> str:
    """The disputed claim in words the detector can match: the asserted side's first claim with its
    speaker and reporting word; for figures, the first claim of every side."""
    sides = d.sides if d.kind in FIGURE_KINDS else [s for s in d.sides if s.stance != "deny"][:1]
    parts = []
    for side in sides:
        c = next((claims[cid] for cid in side.claim_ids if cid in claims), None)
        if c is not None:
            who = c.speaker.name or c.speaker.text or ""
            parts.append(" ".join(p for p in (who, c.cue or "", c.content) if p)[:HEADLINE_CHARS])
    return " ".join(parts) or d.proposition


def carried(d: Dispute, article_id: str) -> list[int]:
    """Indices of the sides whose claims the article carries."""
    return [i for i, s in enumerate(d.sides) if article_id in s.article_ids]


def decide(d: Dispute, sides: Sequence[int], probs: np.ndarray) -> tuple[str, str, float | None]:
    """(stance, basis, confidence) of one article from the sides it carries and the detector's answer."""
    label = LABELS[int(np.argmax(probs))]
    confidence = float(np.max(probs))
    if d.kind in FIGURE_KINDS:
        if sides:
            return "reports", "claims", None
        return ("unrelated" if label == "unrelated" else "reports"), "model", confidence
    stances = {d.sides[i].stance for i in sides}
    if stances == {"deny"}:
        return "denies", "claims", None
    if "deny" in stances:
        return "reports", "claims", None  # prints the claim and its denial
    if stances:
        return ("supports", "model", confidence) if label == "agree" else ("reports", "claims", None)
    return ARTICLE_STANCE[label], "model", confidence


def story_stances(
    disputes: Sequence[Dispute], articles: Sequence[Extraction], claims: Mapping[str, Claim],
    detector: StanceDetector, bodies: dict[str, Prepared] | None = None,
) -> None:
    """Fill ``stances`` and extend the explanation of one story's disputes; ``articles`` are the story's
    original articles (syndicated copies stand with their original). ``bodies`` caches prepared texts."""
    if not disputes or not articles:
        return
    bodies = {} if bodies is None else bodies
    for ex in articles:
        if ex.article.id not in bodies:
            bodies[ex.article.id] = prepare(ex.article.text)
    heads = [prepare(headline(d, claims)) for d in disputes]
    pairs = [(h, bodies[ex.article.id]) for h in heads for ex in articles]
    probs = detector.probabilities_batch(pairs).reshape(len(disputes), len(articles), len(LABELS))
    for d, rows in zip(disputes, probs):
        d.stances = []
        for ex, row in zip(articles, rows):
            sides = carried(d, ex.article.id)
            stance, basis, confidence = decide(d, sides, row)
            d.stances.append(DisputeStance(ex.article.id, ex.article.outlet, stance, sides, basis, confidence))
        d.explanation += ". " + summary(d)


def _names(group: Sequence[DisputeStance]) -> str:
    """The group's outlets in brackets, saying when the stance model (not the claims) decided."""
    outlets = ", ".join(dict.fromkeys(s.outlet or "an unknown outlet" for s in group))
    return f" (stance model: {outlets})" if group[0].basis == "model" else f" ({outlets})"


def _phrase(d: Dispute, s: DisputeStance) -> str:
    """What one article does, in words (the same words for articles doing the same)."""
    if d.kind in FIGURE_KINDS:
        if not s.sides:
            return "cover the story without any of these figures" if s.stance == "reports" else "are about something else"
        values = " and ".join(str(d.sides[i].value) for i in s.sides)
        return f"give both {values}" if len(s.sides) == 2 else f"give {values}"
    if s.basis == "claims":
        return {"denies": "carry only the denial", "reports": "carry the claim and the denial"
                if len(s.sides) > 1 else "report the claim without any denial"}[s.stance]
    return {"supports": "state the claim as fact", "denies": "dispute it",
            "reports": "mention it without taking a side", "unrelated": "are about something else"}[s.stance]


def summary(d: Dispute) -> str:
    """Counts of articles per stance with their outlets: "3 articles report the claim without any
    denial (A, B, C); 1 carries only the denial (D); 2 are about something else"."""
    groups: dict[str, list[DisputeStance]] = {}
    for s in d.stances:
        groups.setdefault(_phrase(d, s), []).append(s)
    parts = []
    for phrase, group in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        verb = phrase if len(group) > 1 else _singular(phrase)
        names = "" if phrase.endswith("something else") else _names(group)
        parts.append(f"{len(group)} {verb}{names}")
    n = len(d.stances)
    return f"Of the story's {n} article{'s' if n != 1 else ''}: " + "; ".join(parts)


def _singular(phrase: str) -> str:
    """The phrase for one article: "carry" -> "carries", "are" -> "is"."""
    verb, _, rest = phrase.partition(" ")
    verb = {"are": "is", "carry": "carries"}.get(verb, verb + "s")
    return f"{verb} {rest}"
