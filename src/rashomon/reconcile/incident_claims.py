"""Which claims of a story are about its own incidents, so disputes never pair a figure or a denial
with one retold from another incident.

A claim is retold background when it stands in what an article retells from before the story
(``incident_homes.py``), or when its sentence names towns and none of them is the story's: where one
of its incidents happened or a town more than one of its articles names (a kidnapping story
recalling soldiers captured "near" another village).
Claims over a campaign or a period span the story whatever article tells them, so they stay.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rashomon.reconcile.incident_homes import Homes
from rashomon.reconcile.incident_match import PRECISION_RANK, TOWN
from rashomon.reconcile.incidents import story_incidents
from rashomon.reconcile.propositions import INCIDENT_SCOPES, explicit_scope
from rashomon.records import Claim, Event, Extraction, Place, Quantity, Story


@dataclass(slots=True)
class StoryClaims:
    """Where a story's claims and figures belong: its incidents (``homes``) and what is retold."""

    homes: Homes
    retold: set[str] = field(default_factory=set)  # claim ids naming only towns of no incident of the story

    def about_story(self, c: Claim) -> bool:
        """About one of the story's incidents, or over a campaign or period the story spans."""
        scope = explicit_scope(c)
        if scope is not None and scope.kind not in INCIDENT_SCOPES:
            return True
        return c.id not in self.retold and self.homes.of(c.article_id, c.span[0]) is not None

    def home(self, c: Claim, q: Quantity) -> str | None:
        """The incident (its index, as text) a figure is about; None for a retold one."""
        if c.id in self.retold:
            return None
        inc = self.homes.of(c.article_id, q.start if q.end > q.start else c.span[0])
        return None if inc is None else str(inc)


def story_claims(stories: Sequence[Story], by_id: Mapping[str, Extraction]) -> dict[str, StoryClaims]:
    """Story id -> where its claims belong, from the story's incidents (its original articles)."""
    out: dict[str, StoryClaims] = {}
    for s in stories:
        originals = _originals(s, by_id)
        incidents, homes = story_incidents(s, [ev for ex in originals for ev in ex.events], by_id)
        naming = Counter(n for ex in originals for n in {p.name.lower() for p in ex.places if _is_town(p)})
        towns = {n for e in incidents for n in _town(e)} | {n for n, k in naming.items() if k > 1}
        retold = {c.id for ex in originals for c in ex.claims if (named := _sentence_towns(ex, c)) and not named & towns}
        out[s.id] = StoryClaims(homes, retold)
    return out


def _originals(story: Story, by_id: Mapping[str, Extraction]) -> list[Extraction]:
    return [by_id[a] for a in story.article_ids if a in by_id and not by_id[a].article.duplicate_of]


def _is_town(p: Place) -> bool:
    return p.geo is not None and PRECISION_RANK.get(p.geo.precision, len(PRECISION_RANK)) <= TOWN


def _town(e: Event) -> set[str]:
    return {e.location.name.lower()} if e.location is not None and _is_town(e.location) else set()


def _sentence_towns(ex: Extraction, c: Claim) -> set[str]:
    """Towns named in the sentence (or sentences) a claim stands in."""
    lo, hi = c.span
    for s, t in ex.sentences:
        if s <= c.span[0] < t:
            lo, hi = min(lo, s), max(hi, t)
    return {p.name.lower() for p in ex.places if lo <= p.start < hi and _is_town(p)}
