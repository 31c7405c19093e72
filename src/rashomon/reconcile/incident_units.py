"""One article's events as units of an incident: its main incident with the events that fold into it
(and the casualty figures, days and places of its narrative), and each other event alone.

An article often yields several events (an attack, a clash, a claim) for what it reports as one
incident; they fold into its main event where time and place allow. An article of the story with
casualty figures but no event reports an incident all the same (its type unknown).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rashomon.reconcile.incident_match import folds, same_when
from rashomon.reconcile.ledger import LEDGER_CATEGORIES
from rashomon.records import DateRef, Event, Extraction, Place, Story

UNRECOGNISED = "no event recognised in the story's articles: type unknown; date and place are those its articles state"


@dataclass(slots=True)
class Unit:
    """Events one article reports as one incident; the article's main one also takes the casualty
    figures of the article's sentences outside every event, and its event places as a fallback."""

    events: list[Event]
    main: bool = False
    extra: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # article id -> sentence spans
    places: list[Place] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)  # days the article states, earliest in text first

    @property
    def head(self) -> Event:
        return self.events[0]


def article_units(evs: Sequence[Event], ex: Extraction | None) -> list[Unit]:
    """One article's events as units: the main incident (most casualty figures, then earliest in the
    text) with every event that folds into it, and each other event alone."""
    ordered = sorted(evs, key=lambda e: (-figure_count(e, ex), e.sentences[0][0] if e.sentences else 0))
    main = Unit([ordered[0]], main=True)
    rest: list[Unit] = []
    for e in ordered[1:]:
        if folds(main.head, e):
            main.events.append(e)
        else:
            rest.append(Unit([e]))
    if ex is not None:
        taken = [span for u in rest for e in u.events for span in e.sentences]
        main.extra = {ex.article.id: narrative(ex, main.head, taken)}
        main.places = event_places(ex)
        main.dates = stated_days(ex)
    return [main, *rest]


def figure_count(e: Event, ex: Extraction | None) -> int:
    """Casualty summaries of an event, else casualty figures in its sentences."""
    summaries = sum(f.best is not None for f in (e.fatalities, e.injured, e.captured))
    if ex is None:
        return summaries
    inside = [q for q in ex.quantities if q.category in LEDGER_CATEGORIES
              and any(s <= q.start and q.end <= t for s, t in e.sentences)]
    return summaries * 100 + len(inside)


def narrative(ex: Extraction, main: Event, taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences with a casualty figure that belong to no other event of the article and state no day
    other than the main incident's."""
    out: list[tuple[int, int]] = []
    for s, t in ex.sentences:
        if any(a <= s and t <= b for a, b in taken) or any(s <= a and b <= t for a, b in taken):
            continue
        if not any(q.category in LEDGER_CATEGORIES and s <= q.start and q.end <= t for q in ex.quantities):
            continue
        days = [d for d in ex.dates if s <= d.start and d.end <= t and d.precision == "day" and d.kind != "deadline"]
        if all(same_when(main.date, d) for d in days):
            out.append((s, t))
    return out


def stated_days(ex: Extraction) -> list[DateRef]:
    """Days the article states for something past (no deadline, not after publication), in text order."""
    pub = ex.article.published
    return [d for d in sorted(ex.dates, key=lambda d: d.start) if d.precision == "day" and d.value
            and d.kind not in ("deadline", "published") and (pub is None or d.value <= pub)]


def story_units(story: Story, events: Sequence[Event], by_id: Mapping[str, Extraction] | None) -> list[Unit]:
    """Every article's units; an article of the story with casualty figures but no event reports an
    incident all the same (its type unknown), which its figures, days and places describe; a copy of
    an article outside the story stands for that article (the caller leaves copies' events out). A story
    where no article yields an event or a figure still reports one incident, when its articles state a
    past day or a place where something happened (a story is about something that happened)."""
    by_article: dict[str, list[Event]] = {}
    for ev in events:
        by_article.setdefault(ev.article_ids[0] if ev.article_ids else "", []).append(ev)
    ex_of = by_id or {}
    originals = [ex for aid in story.article_ids if (ex := ex_of.get(aid)) is not None and _stands_alone(ex, story)]
    for ex in originals:
        if ex.article.duplicate_of and ex.article.id not in by_article and ex.events:
            by_article[ex.article.id] = list(ex.events)  # a copy of an article outside the story reports for it
        if ex.article.id not in by_article and has_figures(ex):
            by_article[ex.article.id] = [_untyped(ex)]
    if not by_article:
        by_article = {ex.article.id: [_untyped(ex, UNRECOGNISED)] for ex in originals if stated_days(ex) or event_places(ex)}
    return [u for aid, evs in by_article.items() for u in article_units(evs, ex_of.get(aid))]


def _stands_alone(ex: Extraction, story: Story) -> bool:
    """An original, or a copy whose original is not in the story (so nothing else reports for it)."""
    return not ex.article.duplicate_of or ex.article.duplicate_of not in story.article_ids


def _untyped(ex: Extraction, notes: str | None = None) -> Event:
    """An incident an article reports without any event recognised in it: type unknown, dated by
    publication until its stated days say otherwise."""
    aid = ex.article.id
    return Event(article_ids=[aid], event_type=None, sub_event_type=None, date=DateRef.published(ex.article.published),
                 notes=notes)


def event_places(ex: Extraction) -> list[Place]:
    """The places an article names as where something happened."""
    return [p for p in ex.places if p.role == "event"]


def has_figures(ex: Extraction) -> bool:
    return any(q.category in LEDGER_CATEGORIES for q in ex.quantities)
