"""One article's events as units of an incident: its main incident with the events that fold into it
(and the casualty figures, days and places of its narrative), and each other event alone.

An article often yields several events (an attack, a clash, a claim) for what it reports as one
incident; they fold into its main event where time and place allow. An article of the story with
casualty figures but no event reports an incident all the same (its type unknown).

Articles also retell what happened before (an earlier attack, last month's campaign, the incident of
another story). In a story of several articles such an event is *background*, noted on the story's
incident and never one of its own: dated wholly before the story's first report or by a period (a
month, "since mid-2024"), worded as a retelling (``retold_cues``), or a toll of another type than the
story's articles lead with and with no day or place of its own (a dateline is where the reporter is,
not where it happened). An event with neither a day nor a figure is a mention, not an incident: of
the main event's type it is the main incident, else background. A story of one article has nothing
to tell its incident from what it retells (a sentencing report is about the shooting it recalls).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from rashomon.lexicon import load_list
from rashomon.reconcile.incident_match import same_place, same_time, same_when, stated
from rashomon.reconcile.ledger import CATEGORIES, LEDGER_CATEGORIES
from rashomon.reconcile.propositions import words
from rashomon.records import DateRef, Event, Extraction, Fatalities, Place, Story

UNRECOGNISED = "no event recognised in the story's articles: type unknown; date and place are those its articles state"
BACKGROUND_DAYS = 7  # a day this long before the story's first report is an earlier incident retold


@dataclass(slots=True)
class Unit:
    """Events one article reports as one incident; the article's main one also takes the casualty
    figures of the article's sentences outside every event, and its event places as a fallback."""

    events: list[Event]
    main: bool = False
    extra: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # article id -> sentence spans
    places: list[Place] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)  # days the article states, earliest in text first
    background: bool = False  # retold from before the story, or a mere mention: noted, never an incident

    @property
    def head(self) -> Event:
        return self.events[0]


def article_units(evs: Sequence[Event], ex: Extraction | None, start: str | None = None,
                  story_type: str | None = None) -> list[Unit]:
    """One article's events as units: the main incident (most casualty figures, then earliest in the
    text; while the article has another, not a retold event nor a stray toll, nor one of another type
    than the story's, ``story_type``, on no stated day) with every event that folds into it, and each
    other event alone, marked background as the module says (``start``: the story's first publication
    date, None for a story of one article)."""
    evs = [_untold(e, ex) for e in evs] if start is not None else evs
    aside = {id(e) for e in evs if story_type is not None and _stray(e, ex, story_type) or retold(e, ex, start)}
    ordered = sorted(evs, key=lambda e: (id(e) in aside, _off_type(e, story_type), -figure_count(e, ex), _at(e)))
    main = Unit([ordered[0]], main=True)
    rest: list[Unit] = []
    for e in ordered[1:]:
        old = id(e) in aside
        idle = start is not None and _idle(e, ex)  # beside other articles: nothing to code as an incident
        if not old and (joins_main(main.head, e, ex) or idle and e.event_type == main.head.event_type):
            main.events.append(e)
        else:
            rest.append(Unit([e], background=old or idle or not _anchored(e, ex)))
    if ex is not None:
        taken = [span for u in rest for e in u.events for span in e.sentences]
        main.extra = {ex.article.id: narrative(ex, main.head, taken)}
        main.places = event_places(ex)
        main.dates = stated_days(ex)
    return [main, *rest]


def _idle(e: Event, ex: Extraction | None) -> bool:
    """An event with no day of its own and no casualty figure ("the UN condemned the abduction"): a
    mention of an incident, not one to code (of the main one's type, it is the main one)."""
    return stated(e.date) is None and not figure_count(e, ex)


def _at(e: Event) -> int:
    return e.sentences[0][0] if e.sentences else 0


def lead_types(evs: Sequence[Event], ex: Extraction | None) -> set[str]:
    """The event types in the paragraph of the article's first event, where a report says what happened."""
    if ex is None or not evs:
        return set()
    first = min(_at(e) for e in evs)
    text = ex.article.text
    return {e.event_type for e in evs if e.event_type and "\n" not in text[first:_at(e)]}


def story_type(by_article: Mapping[str, Sequence[Event]], ex_of: Mapping[str, Extraction]) -> str | None:
    """The event type most of a story's articles (at least two) lead with: what the story is about.
    A single article has no such agreement to go by."""
    votes = Counter(t for aid, evs in by_article.items() for t in lead_types(evs, ex_of.get(aid)))
    if not votes or len(by_article) < 2:
        return None
    kind, n = votes.most_common(1)[0]
    return kind if 2 * n > len(by_article) else None


def retold(e: Event, ex: Extraction | None, start: str | None) -> bool:
    """An event from before the story: dated wholly before its first report, dated by a period (a
    campaign, a trend), or in a sentence worded as a retelling ("at the time", "similar attacks in the
    past"). A story of one article has nothing to tell these from its incident (``start`` None)."""
    if _ends_before(e.date, start) or start is not None and _period(e.date):
        return True
    if start is None or ex is None or not e.sentences:
        return False  # a story of one article: nothing to tell its incident from what it retells
    s, t = e.sentences[0]
    return retelling(ex.article.text[s:t])


def retelling(sentence: str) -> bool:
    """A sentence worded as a retelling of something earlier (``retold_cues``)."""
    low = f" {' '.join(words(sentence))} "
    return any(f" {' '.join(words(cue))} " in low for cue in load_list("retold_cues"))


def _untold(e: Event, ex: Extraction | None) -> Event:
    """The event without the casualty figures it takes only from sentences retelling something earlier
    (an abduction's report recalling the campaign "a month" before and its toll): a copy, the
    extraction's own event unchanged."""
    if ex is None:
        return e
    told = [(s, t) for s, t in e.sentences if retelling(ex.article.text[s:t])]
    if not told:
        return e
    kept: dict[str, Fatalities] = {}
    for label, attr in CATEGORIES:
        inside = [q for q in ex.quantities if q.category == label and _within(q.start, q.end, e.sentences)]
        retold_only = bool(inside) and all(_within(q.start, q.end, told) for q in inside)
        kept[attr] = Fatalities() if retold_only else getattr(e, attr)
    return replace(e, fatalities=kept["fatalities"], injured=kept["injured"], captured=kept["captured"])


def _within(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= t for s, t in spans)


def _period(d: DateRef | None) -> bool:
    """Dated by a month, a year or a stretch of time ("since February", "in the past year"): a campaign
    or a trend, not one incident."""
    return stated(d) is not None and d is not None and (d.kind in ("since", "range") or d.precision in ("month", "quarter", "year"))


def _ends_before(d: DateRef | None, start: str | None) -> bool:
    """A stated day more than ``BACKGROUND_DAYS`` before the story began."""
    if start is None or stated(d) is None or d is None or d.precision != "day":
        return False
    try:
        return date.fromisoformat((d.high or d.value or "")[:10]) < date.fromisoformat(start[:10]) - timedelta(days=BACKGROUND_DAYS)
    except ValueError:
        return False


def own_place(e: Event, ex: Extraction | None) -> bool:
    """The event names where it happened (a dateline fallback says where the reporter was)."""
    loc = e.location
    if loc is None:
        return False
    dateline = ex.article.dateline if ex is not None else None
    return not (loc.start == loc.end == 0 and dateline is not None and loc.text == dateline)


def _anchored(e: Event, ex: Extraction | None) -> bool:
    """A day or a place of its own: what an incident of the story needs beside the main one."""
    return stated(e.date) is not None or own_place(e, ex)


def joins_main(main: Event, e: Event, ex: Extraction | None) -> bool:
    """An event is part of its article's main incident: the same time, and the same stated day or no
    place of its own that differs."""
    if not same_time(main, e):
        return False
    same_day = stated(main.date) is not None and stated(main.date) == stated(e.date)
    return same_day or not (own_place(main, ex) and own_place(e, ex)) or same_place(main, e)


def _off_type(e: Event, story_type: str | None) -> bool:
    """Of another type than the story is about, and on no day the text states: a poor main event."""
    return story_type is not None and e.event_type != story_type and (stated(e.date) or ("",))[0] != "day"


def _stray(e: Event, ex: Extraction | None, story_type: str) -> bool:
    """An event of another type than the story is about, with casualty figures of its own but no day or
    place of its own: a toll retold in passing (a clash and its dead in a kidnapping story), not the
    story's incident nor part of it."""
    return e.event_type != story_type and figure_count(e, ex) > 0 and not _anchored(e, ex)


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
    # one article alone gives nothing to date the story by but itself: a follow-up report (a sentencing)
    # retells the very incident it is about
    start = min((ex.article.published for ex in originals if ex.article.published), default=None) if len(by_article) > 1 else None
    kind = story_type(by_article, ex_of)
    return [u for aid, evs in by_article.items() for u in article_units(evs, ex_of.get(aid), start, kind)]


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
