"""Incidents across articles, their casualty ledgers, and each story's timeline.

One article often yields several events (an attack, a clash, a claim) for what it reports as one
incident: they fold into its main event where time and place allow, and the figures of its other
sentences join that incident's ledger unless they are dated otherwise or belong to another event.
The articles' main incidents then merge across the story on time and place; other events merge when
they agree on type, place and date (within a day), so a later arrest stays apart. The merged
incident keeps every source's figure in ``Event.ledger`` and summarises them UCDP-style (low / best /
high) and ACLED-style (the most conservative figure) with the rule behind each in
``Event.figure_rules`` (``ledger.py``); where sources disagree, ``notes`` says so in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from rashomon.reconcile.ledger import (
    CATEGORIES,
    FIGURE_RULES,
    LEDGER_CATEGORIES,
    LedgerEntry,
    acled,
    entries,
    ledger,
    mark_uncounted,
    rules_note,
    sentence_entries,
    summarize,
)
from rashomon.records import (
    DateRef,
    Event,
    Extraction,
    Fatalities,
    Place,
    Story,
    TimelineItem,
)

__all__ = ["ledger", "merge_events", "timeline"]

DATE_SLACK_DAYS = 1


def _day(iso: str | None) -> int | None:
    try:
        return date.fromisoformat(iso[:10]).toordinal() if iso else None
    except ValueError:
        return None


def _compatible(a: Event, b: Event) -> bool:
    if a.event_type != b.event_type:
        return False
    la = a.location.name.lower() if a.location else None
    lb = b.location.name.lower() if b.location else None
    if la and lb and la != lb:
        return False
    da, db = _day(a.date.value if a.date else None), _day(b.date.value if b.date else None)
    return da is None or db is None or abs(da - db) <= DATE_SLACK_DAYS


@dataclass(slots=True)
class _Figures:
    """What the ledger gives an incident: its summaries, the entries, the ACLED figures and notes."""

    summaries: list[Fatalities] = field(default_factory=list)  # killed, injured, captured
    rows: list[LedgerEntry] = field(default_factory=list)
    acled: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _disagree(rows: Sequence[LedgerEntry]) -> bool:
    return len({(r.low, r.high) for r in rows if r.in_summary}) > 1


def _ledgers(units: Sequence[_Unit], by_id: Mapping[str, Extraction] | None) -> _Figures:
    """Killed / injured / captured of a group of events: from every figure with its claimant, outlet
    and date when the articles are at hand (see :func:`_layered`), else from the events' own figures.
    Notes give the figures and rules in words only where sources disagree (ACLED writes disputes into
    notes)."""
    out = _Figures()
    g = [e for u in units for e in u.events]
    if by_id is not None:
        seen: set[tuple[str, str | None, str, str]] = set()
        for r in _layered(units, by_id):
            if (key := (r.article_id, r.claim_id, r.text, r.category)) not in seen:
                seen.add(key)
                out.rows.append(r)
        mark_uncounted(out.rows, by_id)
    for label, attr in CATEGORIES:
        rows = [r for r in out.rows if r.category == label]
        fat, note = summarize(rows) if any(r.in_summary for r in rows) else ledger([getattr(e, attr) for e in g])
        if any(r.in_summary for r in rows):
            out.acled[label] = acled(rows) or 0
            note = note if _disagree(rows) else None
        elif note:
            note = f"{label}: {note}"
            if fat.low is not None:
                out.acled[label] = fat.low
        out.summaries.append(fat)
        if note:
            out.notes.append(note)
    if by_id is not None and out.notes:
        out.notes.append(rules_note())
    return out


@dataclass(slots=True)
class _Unit:
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


def _layered(units: Sequence[_Unit], by_id: Mapping[str, Extraction]) -> list[LedgerEntry]:
    """Every figure of a group's units, nearest the incident first: its main events' sentences, the
    events folded into them, the articles' other sentences. Where a nearer layer gives an article a
    figure of a category, the farther ones' stay listed but not counted (an article also tells of
    earlier tolls and other attacks)."""
    layers = [
        [r for u in units for r in entries(u.head, by_id)],
        [r for u in units for e in u.events[1:] for r in entries(e, by_id)],
        [r for u in units for aid, spans in u.extra.items() if aid in by_id for r in sentence_entries(by_id[aid], spans)],
    ]
    out: list[LedgerEntry] = []
    for layer in layers:
        own = {(r.article_id, r.category) for r in out}
        for r in layer:
            if (r.article_id, r.category) in own:
                r.note = "beside the figure the article gives where it reports the incident"
        out += layer
    return out


def merge_events(story: Story, events: Sequence[Event], by_id: Mapping[str, Extraction] | None = None) -> list[Event]:
    """Incidents of one story from its articles' events; with ``by_id`` (article id -> extraction)
    each incident's ledger lists every source's figure with its claimant, outlet and date. Each
    article's events first fold into its main incident where time and place allow; the articles' main
    incidents then merge across articles, secondary events (a later arrest) by type, place and date."""
    groups: list[list[_Unit]] = []
    for unit in sorted(_units(story, events, by_id), key=lambda u: (not u.main, _sort_date(u.head), u.head.id)):
        for g in groups:
            if all(_units_compatible(unit, other) for other in g):
                g.append(unit)
                break
        else:
            groups.append([unit])
    return [_incident(story, g, by_id) for g in groups]


def _sort_date(e: Event) -> str:
    return e.date.value if e.date and e.date.value else ""


def _units_compatible(a: _Unit, b: _Unit) -> bool:
    """Two articles' main incidents merge on time and place alone (a story is about one thing, outlets
    name its type differently); anything else also needs the same event type."""
    if a.main and b.main:
        return _same_time(a.head, b.head) and _same_place(a.head, b.head)
    return _compatible(a.head, b.head)


def _stated(d: DateRef | None) -> tuple[str, str] | None:
    """A date as the text states it (precision, value); None when undated or only the publication
    date stands in for it."""
    if d is None or not d.value or d.kind == "published":
        return None
    return d.precision or "", d.value


def _same_time(a: Event, b: Event) -> bool:
    return _same_when(a.date, b.date)


def _same_when(a: DateRef | None, b: DateRef | None) -> bool:
    """Undated on either side, days within the slack, or the same vaguer date."""
    sa, sb = _stated(a), _stated(b)
    if sa is None or sb is None:
        return True
    if sa[0] == sb[0] == "day":
        da, db = _day(sa[1]), _day(sb[1])
        return da is not None and db is not None and abs(da - db) <= DATE_SLACK_DAYS
    return sa == sb


def _place_names(p: Place) -> set[str]:
    """A place's name and the areas holding it ("Wisconsin" holds a town in it)."""
    geo = [p.geo.admin1, p.geo.admin2, p.geo.country] if p.geo else []
    return {n.lower() for n in [p.name, *geo] if n}


def _same_place(a: Event, b: Event) -> bool:
    """Unplaced or unresolved on either side, the same name, or one place inside the other."""
    if a.location is None or b.location is None or a.location.geo is None or b.location.geo is None:
        return True
    na, nb = a.location.name.lower(), b.location.name.lower()
    return na == nb or na in _place_names(b.location) or nb in _place_names(a.location)


def _folds(main: Event, e: Event) -> bool:
    """One article's event is part of its main incident: same time, and the same place or the same
    stated day (a street and the town it is in)."""
    same_day = _stated(main.date) is not None and _stated(main.date) == _stated(e.date)
    return _same_time(main, e) and (same_day or _same_place(main, e))


def _article_units(evs: Sequence[Event], ex: Extraction | None) -> list[_Unit]:
    """One article's events as units: the main incident (most casualty figures, then earliest in the
    text) with every event that folds into it, and each other event alone."""
    ordered = sorted(evs, key=lambda e: (-_figure_count(e, ex), e.sentences[0][0] if e.sentences else 0))
    main = _Unit([ordered[0]], main=True)
    rest: list[_Unit] = []
    for e in ordered[1:]:
        if _folds(main.head, e):
            main.events.append(e)
        else:
            rest.append(_Unit([e]))
    if ex is not None:
        taken = [span for u in rest for e in u.events for span in e.sentences]
        main.extra = {ex.article.id: _narrative(ex, main.head, taken)}
        main.places = [p for p in ex.places if p.role == "event"]
        main.dates = _stated_days(ex)
    return [main, *rest]


def _figure_count(e: Event, ex: Extraction | None) -> int:
    """Casualty summaries of an event, else casualty figures in its sentences."""
    summaries = sum(f.best is not None for f in (e.fatalities, e.injured, e.captured))
    if ex is None:
        return summaries
    inside = [q for q in ex.quantities if q.category in LEDGER_CATEGORIES
              and any(s <= q.start and q.end <= t for s, t in e.sentences)]
    return summaries * 100 + len(inside)


def _narrative(ex: Extraction, main: Event, taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences with a casualty figure that belong to no other event of the article and state no day
    other than the main incident's."""
    out: list[tuple[int, int]] = []
    for s, t in ex.sentences:
        if any(a <= s and t <= b for a, b in taken) or any(s <= a and b <= t for a, b in taken):
            continue
        if not any(q.category in LEDGER_CATEGORIES and s <= q.start and q.end <= t for q in ex.quantities):
            continue
        days = [d for d in ex.dates if s <= d.start and d.end <= t and d.precision == "day" and d.kind != "deadline"]
        if all(_same_when(main.date, d) for d in days):
            out.append((s, t))
    return out


def _stated_days(ex: Extraction) -> list[DateRef]:
    """Days the article states for something past (no deadline, not after publication), in text order."""
    pub = ex.article.published
    return [d for d in sorted(ex.dates, key=lambda d: d.start) if d.precision == "day" and d.value
            and d.kind not in ("deadline", "published") and (pub is None or d.value <= pub)]


def _units(story: Story, events: Sequence[Event], by_id: Mapping[str, Extraction] | None) -> list[_Unit]:
    """Every article's units; an article of the story with casualty figures but no event reports an
    incident all the same (its type unknown), which its figures, days and places describe."""
    by_article: dict[str, list[Event]] = {}
    for ev in events:
        by_article.setdefault(ev.article_ids[0] if ev.article_ids else "", []).append(ev)
    ex_of = by_id or {}
    for aid in story.article_ids:
        ex = ex_of.get(aid)
        if aid not in by_article and ex is not None and not ex.article.duplicate_of and _has_figures(ex):
            by_article[aid] = [Event(article_ids=[aid], event_type=None, sub_event_type=None, date=DateRef.published(ex.article.published))]
    return [u for aid, evs in by_article.items() for u in _article_units(evs, ex_of.get(aid))]


def _has_figures(ex: Extraction) -> bool:
    return any(q.category in LEDGER_CATEGORIES for q in ex.quantities)


_PRECISION_RANK: dict[str | None, int] = {"point": 0, "town": 1, "admin2": 2, "admin1": 3, "country": 4}


def _date(g: Sequence[Event], fallback: Sequence[DateRef] = ()) -> DateRef | None:
    """A day the text gives beats the publication-date fallback; any day beats a vaguer date. Events
    dated by publication alone take the first day their articles state (``fallback``)."""
    days = [e.date for e in g if e.date and e.date.precision == "day"]
    stated = [d for d in days if d.kind != "published"]
    dated = stated or list(fallback[:1]) or days or [e.date for e in g if e.date]
    return dated[0] if dated else None


def _location(g: Sequence[Event], fallback: Sequence[Place] = (), heads: int = 0) -> Place | None:
    """The most precise resolved place (ACLED codes the most specific location) of the articles' main
    events (the first ``heads`` of ``g``), else of all, else the first named, else the place the
    articles name as where it happened (``fallback``)."""
    resolved = [e.location for e in g[:heads] if e.location and e.location.geo]
    resolved = resolved or [e.location for e in g if e.location and e.location.geo]
    if resolved:
        return min(resolved, key=lambda p: _PRECISION_RANK.get(p.geo.precision if p.geo else None, 5))
    return next((e.location for e in g if e.location), next(iter(fallback), None))


def _incident(story: Story, units: Sequence[_Unit], by_id: Mapping[str, Extraction] | None) -> Event:
    """One incident from a group of compatible events, with its casualty ledger."""
    g = [u.head for u in units] + [e for u in units for e in u.events[1:]]  # main events first
    head = max(g, key=lambda e: (e.location is not None, e.date is not None, len(e.claim_ids)))
    figures = _ledgers(units, by_id)
    fat, inj, cap = figures.summaries
    notes = [n for e in g if e.notes for n in [e.notes]] + figures.notes
    return Event(
        article_ids=sorted({a for e in g for a in e.article_ids}),
        event_type=head.event_type,
        sub_event_type=head.sub_event_type,
        date=_date(g, [d for u in units for d in u.dates]),
        location=_location(g, [p for u in units for p in u.places], len(units)),
        actor1=next((e.actor1 for e in g if e.actor1), None),
        actor2=next((e.actor2 for e in g if e.actor2), None),
        fatalities=fat,
        injured=inj,
        captured=cap,
        claim_ids=sorted({c for e in g for c in e.claim_ids}),
        sentences=[s for e in g for s in e.sentences],
        story_id=story.id,
        notes="; ".join(dict.fromkeys(notes)) or None,
        ledger=[r.as_dict() for r in figures.rows],
        acled=figures.acled,
        figure_rules=dict(FIGURE_RULES) if figures.acled else {},
    )


def timeline(story: Story, by_id: dict[str, Extraction], incidents: Sequence[Event]) -> list[TimelineItem]:
    """Dated items of a story: publications, incidents, dated statements and deadlines, in date order."""
    items: list[TimelineItem] = []
    for aid in story.article_ids:
        ex = by_id.get(aid)
        if ex is None:
            continue
        a = ex.article
        label = f"{a.outlet or 'unknown outlet'}: {a.title or 'untitled'}"
        items.append(TimelineItem(a.published, "day" if a.published else None, label, aid, "published"))
        for c in ex.claims:
            for d in c.dates:
                kind = "deadline" if d.kind == "deadline" else "statement"
                who = c.speaker.name or c.speaker.text or a.outlet or "outlet"
                items.append(TimelineItem(d.value, d.precision, f"{who}: {d.text} \u2014 {c.content[:140]}", aid, kind))
    for ev in incidents:
        if ev.date and ev.date.value:
            where = f" in {ev.location.name}" if ev.location else ""
            items.append(
                TimelineItem(ev.date.value, ev.date.precision, f"{ev.sub_event_type or ev.event_type}{where}", ev.article_ids[0], "incident")
            )
    return sorted(items, key=lambda i: (i.date or "9999", i.kind, i.text))
