"""Where sources disagree: figures that cannot both be true, denials, and rebuttals of accusations.

Claims are first grouped into propositions (``propositions.py`` for figures, ``denials.py`` for what
is denied); a dispute is a proposition whose sides cannot all be right. What an article retells from
before the story (``incident_claims.py``: another incident, last month's toll) is disputed in its own
story, not in this one. Figures are compared only inside one proposition (same casualty category,
same side's people, same scope and, for one incident's figures, the same incident): each figure becomes
an interval from its qualifier, sides are groups of figures that share a common value, and two or
more sides are a dispute. Figures of another scope are named in the explanation as *not* disputed.
When one claimant's figure differs only between the outlets that carry it, the dispute is between
outlets (``outlet_numeric``), not between parties. Precision comes first: only figures a source is
quoted for are compared (an outlet's own narrative is mostly parts: "one man was shot in the leg"),
one per source and article (its largest), never a part ("two of them", "also wounded") or a single
described victim; all of them stay in the incident's casualty ledger.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from rashomon.reconcile.denials import Contest, DenialPairer, contest_text, short
from rashomon.reconcile.dispute_stances import story_stances
from rashomon.reconcile.incident_claims import story_claims
from rashomon.reconcile.propositions import (
    CASUALTY,
    Figure,
    FigureProposition,
    Home,
    claimant_name,
    figure_propositions,
    interval,
    victim_class,
)
from rashomon.reconcile.stance import StanceDetector
from rashomon.records import Claim, Dispute, DisputeSide, Extraction, Story

__all__ = ["CASUALTY", "DisputeFinder", "find_disputes", "interval", "victim_class"]


def _sides(figures: list[Figure]) -> list[list[Figure]]:
    """Partition figures into groups that share a common value (a sweep over sorted intervals)."""
    groups: list[list[Figure]] = []
    current: list[Figure] = []
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


def _fmt(lo: float, hi: float) -> str:
    if lo == hi:
        return f"{lo:g}"
    if hi == math.inf:
        return f"{lo:g} or more"
    return f"{lo:g}-{hi:g}"


def _common(side: list[Figure]) -> str:
    """The values every figure of a side admits."""
    return _fmt(max(f.low for f in side), min(f.high for f in side))


class DisputeFinder:
    """Finds disputes in one story given where each article came from."""

    def __init__(self, outlets: Mapping[str, str], copies: Mapping[str, list[str]], forms: Mapping[str, set[str]] | None = None) -> None:
        self.outlets = outlets  # article id -> outlet
        self.copies = copies  # article id -> ids of its syndicated copies
        self.forms = forms or {}  # entity id -> surface forms

    def _side(self, claims: Sequence[Claim], stance: str, value: object) -> DisputeSide:
        aids = sorted({a for c in claims for a in [c.article_id, *self.copies.get(c.article_id, [])]})
        outlets = sorted({self.outlets[a] for a in aids if self.outlets.get(a)})
        unique = list({c.id: c for c in claims}.values())
        return DisputeSide(claim_ids=[c.id for c in unique], stance=stance, value=value, article_ids=aids, outlets=outlets)

    def _who(self, c: Claim) -> str:
        return claimant_name(c, self.outlets.get(c.article_id, ""))

    def _figure_text(self, f: Figure) -> str:
        outlet = self.outlets.get(f.claim.article_id) or "an unknown outlet"
        return f"{self._who(f.claim)} via {outlet}: \u201c{f.quantity.text}\u201d"

    def _numeric_kind(self, sides: list[list[Figure]]) -> str:
        """outlet_numeric when some claimant stands behind two sides: the outlets, not the parties, differ."""
        per_side = [{f.claimant for f in s} for s in sides]
        shared = any(a & b for i, a in enumerate(per_side) for b in per_side[i + 1 :])
        return "outlet_numeric" if shared else "numeric"

    def _explain(self, prop: FigureProposition, sides: list[list[Figure]], kind: str) -> str:
        parts = [f"{_common(s)} ({'; '.join(self._figure_text(f) for f in s)})" for s in sides]
        why = (
            "the same claimant is reported with figures that cannot both be right"
            if kind == "outlet_numeric"
            else "the figures' ranges cannot overlap"
        )
        text = f"{why}: " + " vs ".join(parts) + f"; all counted {prop.scope.phrase()}"
        if prop.set_aside:
            aside = "; ".join(dict.fromkeys(f"\u201c{f.quantity.text}\u201d counts {why}" for f, why in prop.set_aside))
            text += f". Not disputed, because each counts something else: {aside}"
        return text

    def numeric(self, story: Story, claims: Sequence[Claim], home: Home | None = None) -> list[Dispute]:
        """Figure disputes; ``home`` names the incident each figure is about (default: one per story)."""
        disputes = []
        for prop in figure_propositions(claims, home):
            sides = _sides(prop.figures)
            if len(sides) < 2:
                continue
            kind = self._numeric_kind(sides)
            disputes.append(
                Dispute(
                    story_id=story.id,
                    kind=kind,
                    proposition=f"number of {prop.text}",
                    sides=[self._side([f.claim for f in s], "assert", _common(s)) for s in sides],
                    explanation=self._explain(prop, sides, kind),
                )
            )
        return disputes

    def _contest_dispute(self, story: Story, contest: Contest) -> Dispute:
        names = {c.id: self._who(c) for c in [*contest.asserts, *contest.denials]}
        lead_a, lead_d = contest.asserts[0], contest.denials[0]
        more = len(contest.denials) - 1
        explanation = (
            f"{names[lead_a.id]} {lead_a.cue or 'says'}: \u201c{short(lead_a.content)}\u201d; "
            f"{names[lead_d.id]} {lead_d.cue or 'denies'}: \u201c{short(lead_d.content)}\u201d"
            + (f" (and {more} more denial{'s' if more > 1 else ''})" if more > 0 else "")
            + f"; paired by the {contest.rule} rule"
        )
        return Dispute(
            story_id=story.id,
            kind=contest.kind,
            proposition=contest_text(contest, names),
            sides=[self._side(contest.asserts, "assert", None), self._side(contest.denials, "deny", None)],
            explanation=explanation,
        )

    def denials(self, story: Story, claims: Sequence[Claim]) -> list[Dispute]:
        return [self._contest_dispute(story, c) for c in DenialPairer(claims, self.forms).contests()]


def _surface_forms(exs: Sequence[Extraction]) -> dict[str, set[str]]:
    """Every surface form each resolved entity was mentioned by, to see whom a claim names."""
    forms: dict[str, set[str]] = defaultdict(set)
    for ex in exs:
        for m in ex.mentions:
            if m.entity_id:
                forms[m.entity_id].add(m.text)
    return forms


def find_disputes(
    stories: Sequence[Story], exs: Sequence[Extraction], detector: StanceDetector | None = None
) -> list[Dispute]:
    """All disputes, story by story; claims from syndicated copies count once, under the original.
    Each dispute also records where every original article of its story stands on the disputed claim
    (``dispute_stances.py``; the shipped stance model unless ``detector`` is given)."""
    by_id = {ex.article.id: ex for ex in exs}
    outlets = {ex.article.id: ex.article.outlet or "" for ex in exs}
    copies: dict[str, list[str]] = defaultdict(list)
    for ex in exs:
        if ex.article.duplicate_of:
            copies[ex.article.duplicate_of].append(ex.article.id)
    finder = DisputeFinder(outlets, copies, _surface_forms(exs))
    out: list[Dispute] = []
    belong = story_claims(stories, by_id)
    for story in stories:
        originals = [by_id[aid] for aid in story.article_ids if aid in by_id and not by_id[aid].article.duplicate_of]
        claims = [c for ex in originals for c in ex.claims]
        scope = belong[story.id]
        own = [c for c in claims if scope.about_story(c)]
        found = finder.numeric(story, claims, scope.home) + finder.denials(story, own)
        if found:
            detector = detector or StanceDetector.load()
            story_stances(found, originals, {c.id: c for c in claims}, detector)
        out.extend(found)
    return out
