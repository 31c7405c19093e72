"""Incident features for story clustering beyond wording: where, on which days and what kind of incident.

The towns and days of a report's incidents come from the extracted events; the days its text states
(not the publication-date fallback) let a late follow-up find its story.

The kind of incident: two different incidents told by the same outlets about the same group in the same region share
names, places and vocabulary (a video of captured soldiers and a military offensive a day later), so
a bag of words joins them. What a report is about is stated in its headline and lead: the words that
announce the incident there ("abducted", "hostages" vs "killed", "offensive") and the categories of
the casualty figures the report gives (captured vs killed or injured) name its kind. Each of the two
is noisy alone ("captured 23 pirates" is an arrest, a "clash" may be background), so stories.py lets
one of them cost a little and both together count as conflicts, like another town or another date.
Reports that announce no kind (an opinion piece, a denial) fit any story. The word list is
``data/lexicons/story_incident_kinds.tsv``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from rashomon.lexicon import load_map
from rashomon.records import Extraction, Place

_WORD = re.compile(r"[A-Za-z]+")
LEAD_WORDS = 50  # the lead: the words of the text that state the incident
TITLE_VOTES = 2  # a headline word counts as much as two lead words
FIGURE_PREFIX = "figure:"  # table keys for Quantity.category values
DOMINANT_SHARE = 0.5  # a kind is announced when it has at least this share of the top kind's votes
TOWN_PRECISIONS = frozenset({"point", "town"})
DATE_SLACK_DAYS = 3  # incident dates closer than this are compatible


def ordinal_day(iso: str | None) -> int | None:
    """The ordinal of an ISO date (None when absent or malformed), so days subtract."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def near_days(a: Iterable[int], b: Iterable[int]) -> bool:
    """Some day of ``a`` is within the slack of some day of ``b``."""
    b = tuple(b)
    return any(abs(x - y) <= DATE_SLACK_DAYS for x in a for y in b)


def incident_days(ex: Extraction, stated_only: bool = False) -> frozenset[int]:
    """Days of the report's incidents; ``stated_only`` drops the publication-date fallback."""
    return frozenset(
        d for ev in ex.events
        if ev.date is not None and ev.date.precision == "day" and not (stated_only and ev.date.kind == "published")
        and (d := ordinal_day(ev.date.value)) is not None
    )


def _is_town(place: Place | None) -> bool:
    return place is not None and place.geo is not None and place.geo.precision in TOWN_PRECISIONS


def incident_towns(ex: Extraction) -> frozenset[str]:
    """Towns the article's incidents happen in; the event-role places when no incident has one."""
    towns = frozenset(ev.location.name.lower() for ev in ex.events if ev.location is not None and _is_town(ev.location))
    return towns or frozenset(p.name.lower() for p in ex.places if p.role == "event" and _is_town(p))


def _kinds() -> dict[str, str]:
    return load_map("story_incident_kinds")


def _lead_end(text: str) -> int:
    """Character offset where the lead (the first LEAD_WORDS words) ends."""
    end = 0
    for _, match in zip(range(LEAD_WORDS), _WORD.finditer(text)):
        end = match.end()
    return end


def _word_votes(text: str, weight: int, votes: Counter[str]) -> None:
    table = _kinds()
    for w in _WORD.findall(text):
        if (kind := table.get(w.lower())) is not None:
            votes[kind] += weight


def kind_votes(ex: Extraction) -> Counter[str]:
    """Votes for each incident kind from the words of the headline and the lead."""
    votes: Counter[str] = Counter()
    _word_votes(ex.article.title or "", TITLE_VOTES, votes)
    _word_votes(ex.article.text[: _lead_end(ex.article.text)], 1, votes)
    return votes


def figure_kinds(ex: Extraction) -> frozenset[str]:
    """The kinds of the report's casualty figures (most of them captured, or killed and injured)."""
    table = _kinds()
    votes = Counter(
        kind for q in ex.quantities if q.category and (kind := table.get(FIGURE_PREFIX + q.category)) is not None
    )
    return dominant(votes)


def dominant(votes: Counter[str]) -> frozenset[str]:
    """The kinds a report (or a story's reports) announce: those near the top of the votes."""
    top = max(votes.values(), default=0)
    return frozenset(k for k, v in votes.items() if v > 0 and v >= DOMINANT_SHARE * top)


def lead_kinds(ex: Extraction) -> frozenset[str]:
    """The kinds of incident the report leads with; empty when its lead announces none."""
    return dominant(kind_votes(ex))


def kinds_conflict(kinds: frozenset[str], story_votes: Counter[str]) -> bool:
    """Both announce kinds and none of the report's is among the story's: likely another incident."""
    return bool(kinds) and bool(story_votes) and not kinds & dominant(story_votes)


def tally(votes: Counter[str], kinds: Iterable[str]) -> None:
    """Add one member's kinds to a story's votes (each member votes once per kind it announces)."""
    votes.update(kinds)


@dataclass(slots=True, frozen=True)
class Kinds:
    """The incident kinds one report announces in its lead and in its figures."""

    lead: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()

    @classmethod
    def of(cls, ex: Extraction) -> Kinds:
        return cls(lead_kinds(ex), figure_kinds(ex))


@dataclass(slots=True)
class KindTally:
    """A story's members' kinds, lead and figures counted apart."""

    lead: Counter[str] = field(default_factory=Counter)
    figures: Counter[str] = field(default_factory=Counter)

    def add(self, kinds: Kinds) -> None:
        tally(self.lead, kinds.lead)
        tally(self.figures, kinds.figures)

    def conflicts(self, kinds: Kinds) -> int:
        """0-2: whether the report's lead, and its figures, announce another kind than the story's."""
        return kinds_conflict(kinds.lead, self.lead) + kinds_conflict(kinds.figures, self.figures)

