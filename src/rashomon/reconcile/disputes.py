"""Where sources disagree: figures that cannot both be true, denials, and rebuttals of accusations.

Figures are compared only inside one proposition (same story, same casualty category, same side's
people) and the same scope: a one-day toll and a campaign total are different propositions, and the
explanation says so instead of calling it a dispute. Each figure becomes an interval from its
qualifier; sides are groups of figures that share a common value, and two or more sides are a dispute.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rashomon.lexicon import load_list, load_map
from rashomon.records import Claim, Dispute, DisputeSide, Extraction, Quantity, Story

CASUALTY = ("killed", "injured", "captured", "missing")
APPROX_MARGIN = 0.1  # "about 30" covers 27..33
DENIAL_OVERLAP = 0.3  # topic overlap an explicit denial needs with the claim it denies
NEGATION_OVERLAP = 0.5  # ... and a negated statement
_WORD = re.compile(r"[a-z]+")
_CONTENT_STOP = frozenset(
    "the a an of to in on at for and or but that this it its their his her they he she was were is are be been "
    "had has have not no none any said says say would will could should from by with as after before about".split()
)


def interval(q: Quantity) -> tuple[float, float] | None:
    """The values a figure admits, from its qualifier."""
    if q.value is None and q.low is None:
        return None
    v = q.value if q.value is not None else q.low
    assert v is not None
    if q.qualifier == "exact":
        return (v, v)
    if q.qualifier == "range":
        return (q.low if q.low is not None else v, q.high if q.high is not None else v)
    if q.qualifier == "at_least":
        return (q.low if q.low is not None else v, math.inf)
    if q.qualifier == "more_than":
        return (q.low if q.low is not None else math.floor(v) + 1, math.inf)
    if q.qualifier == "at_most":
        return (0, q.high if q.high is not None else v)
    if q.qualifier == "less_than":
        return (0, q.high if q.high is not None else math.ceil(v) - 1)
    return (q.low if q.low is not None else v * (1 - APPROX_MARGIN), q.high if q.high is not None else v * (1 + APPROX_MARGIN))


def victim_class(q: Quantity) -> str:
    """Whose people a figure counts (security forces, militants, civilians), from the counted noun."""
    classes = load_map("victim_classes")
    for word in reversed(_WORD.findall((q.counted or "").lower())):
        if word in classes:
            return classes[word]
    return "unknown"


def scope(claim: Claim, q: Quantity) -> str:
    """A label for the period or extent a figure covers; figures of different scope never conflict.

    An explicit scope phrase ("in total", "week-long", "campaign") wins, then a dated day, then a
    dated period; a figure with none of these is about "the incident" itself.
    """
    sentence = claim.sentence.lower()
    for cue, label in load_map("scope_cues").items():
        if cue in sentence:
            return label
    days = [d for d in claim.dates if d.precision == "day" and d.kind in (None, "point") and d.value]
    if days:
        return f"day:{days[0].value}"
    for d in claim.dates:
        if d.kind in ("since", "range") or d.precision in ("week", "month", "year"):
            return f"period:{d.low or d.value}..{d.high or ''}"
    return "incident"


@dataclass(slots=True)
class _Figure:
    claim: Claim
    quantity: Quantity
    low: float
    high: float


def _sides(figures: list[_Figure]) -> list[list[_Figure]]:
    """Partition figures into groups that share a common value (a sweep over sorted intervals)."""
    groups: list[list[_Figure]] = []
    current: list[_Figure] = []
    cur_high = math.inf  # the smallest upper bound in the current group
    for f in sorted(figures, key=lambda f: (f.low, f.high)):
        if current and f.low > cur_high:
            groups.append(current)
            current, cur_high = [], math.inf
        current.append(f)
        cur_high = min(cur_high, f.high)
    if current:
        groups.append(current)
    return groups


def _fold_undated(props: dict[tuple[str, str, str], list[_Figure]]) -> None:
    """An undated figure is about the incident; when the story has one dated day for that
    proposition, the undated figures join it (they describe the same day's toll)."""
    for key in [k for k in props if k[2] == "incident"]:
        days = [k for k in props if k[:2] == key[:2] and k[2].startswith("day:")]
        if len(days) == 1:
            props[days[0]].extend(props.pop(key))


def _fmt(lo: float, hi: float) -> str:
    if lo == hi:
        return f"{lo:g}"
    if hi == math.inf:
        return f"{lo:g} or more"
    return f"{lo:g}-{hi:g}"


class DisputeFinder:
    """Finds disputes in one story given where each article came from."""

    def __init__(self, outlets: Mapping[str, str], copies: Mapping[str, list[str]]) -> None:
        self.outlets = outlets  # article id -> outlet
        self.copies = copies  # article id -> ids of its syndicated copies

    def _side(self, claims: Sequence[Claim], stance: str, value: object) -> DisputeSide:
        aids = sorted({a for c in claims for a in [c.article_id, *self.copies.get(c.article_id, [])]})
        outlets = sorted({self.outlets[a] for a in aids if self.outlets.get(a)})
        return DisputeSide(claim_ids=[c.id for c in claims], stance=stance, value=value, article_ids=aids, outlets=outlets)

    def numeric(self, story: Story, claims: Sequence[Claim]) -> list[Dispute]:
        props: dict[tuple[str, str, str], list[_Figure]] = defaultdict(list)
        for c in claims:
            if c.stance != "assert":
                continue
            for q in c.quantities:
                if q.category not in CASUALTY or (iv := interval(q)) is None:
                    continue
                props[(q.category, victim_class(q), scope(c, q))].append(_Figure(c, q, *iv))
        _fold_undated(props)
        disputes = []
        for (category, who, scope_label), figures in props.items():
            sides = _sides(figures)
            if len(sides) < 2:
                continue
            speakers = {f.claim.speaker.entity_id or f.claim.speaker.name for f in figures}
            same_claimant = len(speakers) == 1 and None not in speakers
            kind = "outlet_numeric" if same_claimant else "numeric"
            noun = figures[0].quantity.counted or "people"
            prop = f"number of {noun} {category}" + ("" if who == "unknown" else f" ({who.replace('_', ' ')})")
            values = "; ".join(
                f"{_fmt(min(f.low for f in s), min(f.high for f in s))} ({', '.join(sorted({f.quantity.text for f in s}))})"
                for s in sides
            )
            why = (
                "outlets report different figures from the same claimant"
                if same_claimant
                else "the figures' ranges do not overlap"
            )
            disputes.append(
                Dispute(
                    story_id=story.id,
                    kind=kind,
                    proposition=prop,
                    sides=[self._side([f.claim for f in s], "assert", _fmt(s[0].low, s[0].high)) for s in sides],
                    explanation=f"{why}: {values}; scope: {scope_label}",
                )
            )
        return disputes

    def denials(self, story: Story, claims: Sequence[Claim]) -> list[Dispute]:
        asserts = [c for c in claims if c.stance == "assert" and c.speaker.kind != "outlet"]
        disputes = []
        for d in (c for c in claims if c.stance == "deny"):
            # An explicit denial ("denied", "rejected the claims") needs less shared wording than a
            # negated statement ("nobody helped us"), which is only a denial of something it repeats.
            floor = DENIAL_OVERLAP if d.act in load_list("denial_acts") else NEGATION_OVERLAP
            scored = [(topic_overlap(a, d), a) for a in asserts if _speaker(a) != _speaker(d)]
            best = max((s for s, _ in scored), default=0.0)
            if best < floor:
                continue
            targets = [a for s, a in scored if s >= max(floor, best * 0.75)]
            accusatory = {"accuse", "allege", "blame"}
            kind = "rebuttal" if any(a.act in accusatory for a in targets) or d.act == "reject" else "denial"
            lead = max(targets, key=lambda a: topic_overlap(a, d))
            disputes.append(
                Dispute(
                    story_id=story.id,
                    kind=kind,
                    proposition=_short(lead.content),
                    sides=[self._side(targets, "assert", None), self._side([d], "deny", None)],
                    explanation=(
                        f"{_who(lead)} {lead.cue or 'says'}: \u201c{_short(lead.content)}\u201d; "
                        f"{_who(d)} {d.cue or 'denies'}: \u201c{_short(d.content)}\u201d"
                    ),
                )
            )
        return disputes


def _speaker(c: Claim) -> str | None:
    return c.speaker.entity_id or c.speaker.name or c.speaker.text


def _who(c: Claim) -> str:
    return c.speaker.name or c.speaker.text or "the outlet"


def _short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


STEM = 6  # words compared by their first letters, so "abducted" meets "abduction"


def _content_words(c: Claim) -> set[str]:
    return {w[:STEM] for w in _WORD.findall(c.content.lower()) if len(w) > 2 and w not in _CONTENT_STOP}


def topic_overlap(a: Claim, b: Claim) -> float:
    """How much two claims are about the same thing: shared casualty categories and content words.

    One shared word counts only when the shorter content has at most two words ("the allegations").
    """
    wa, wb = _content_words(a), _content_words(b)
    shared = len(wa & wb)
    if shared < 2 and min(len(wa), len(wb)) > 2:
        shared = 0
    words = shared / max(1, min(len(wa), len(wb)))
    cats = {q.category for q in a.quantities} & {q.category for q in b.quantities} & set(CASUALTY)
    return min(1.0, words + (0.5 if cats else 0.0))


def find_disputes(stories: Sequence[Story], exs: Sequence[Extraction]) -> list[Dispute]:
    """All disputes, story by story; claims from syndicated copies count once, under the original."""
    by_id = {ex.article.id: ex for ex in exs}
    outlets = {ex.article.id: ex.article.outlet or "" for ex in exs}
    copies: dict[str, list[str]] = defaultdict(list)
    for ex in exs:
        if ex.article.duplicate_of:
            copies[ex.article.duplicate_of].append(ex.article.id)
    finder = DisputeFinder(outlets, copies)
    out: list[Dispute] = []
    for story in stories:
        claims = [
            c
            for aid in story.article_ids
            if aid in by_id and not by_id[aid].article.duplicate_of
            for c in by_id[aid].claims
        ]
        out.extend(finder.numeric(story, claims))
        out.extend(finder.denials(story, claims))
    return out
