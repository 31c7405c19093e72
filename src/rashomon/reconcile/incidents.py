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

from rashomon.reconcile.incident_figures import incident_figures
from rashomon.reconcile.incident_match import (
    compatible,
    incident_date,
    incident_location,
    same_place,
    same_time,
)
from rashomon.reconcile.incident_units import Unit, story_units
from rashomon.reconcile.ledger import FIGURE_RULES, ledger
from rashomon.records import Event, Extraction, Story, TimelineItem

__all__ = ["ledger", "merge_events", "timeline"]


def merge_events(story: Story, events: Sequence[Event], by_id: Mapping[str, Extraction] | None = None) -> list[Event]:
    """Incidents of one story from its articles' events; with ``by_id`` (article id -> extraction)
    each incident's ledger lists every source's figure with its claimant, outlet and date. Each
    article's events first fold into its main incident where time and place allow; the articles' main
    incidents then merge across articles, secondary events (a later arrest) by type, place and date."""
    groups: list[list[Unit]] = []
    for unit in sorted(story_units(story, events, by_id), key=lambda u: (not u.main, _sort_date(u.head), u.head.id)):
        for g in groups:
            if all(_units_compatible(unit, other) for other in g):
                g.append(unit)
                break
        else:
            groups.append([unit])
    return [_incident(story, g, by_id) for g in groups]


def _sort_date(e: Event) -> str:
    return e.date.value if e.date and e.date.value else ""


def _units_compatible(a: Unit, b: Unit) -> bool:
    """Two articles' main incidents merge on time and place alone (a story is about one thing, outlets
    name its type differently); anything else also needs the same event type."""
    if a.main and b.main:
        return same_time(a.head, b.head) and same_place(a.head, b.head)
    return compatible(a.head, b.head)


def _incident(story: Story, units: Sequence[Unit], by_id: Mapping[str, Extraction] | None) -> Event:
    """One incident from a group of compatible events, with its casualty ledger."""
    g = [u.head for u in units] + [e for u in units for e in u.events[1:]]  # main events first
    head = max(g, key=lambda e: (e.location is not None, e.date is not None, len(e.claim_ids)))
    figures = incident_figures(units, by_id)
    fat, inj, cap = figures.summaries
    notes = [n for e in g if e.notes for n in [e.notes]] + figures.notes
    return Event(
        article_ids=sorted({a for e in g for a in e.article_ids}),
        event_type=head.event_type,
        sub_event_type=head.sub_event_type,
        date=incident_date(g, [d for u in units for d in u.dates], _latest_published(g, by_id)),
        location=incident_location(g, [p for u in units for p in u.places], len(units)),
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


def _latest_published(g: Sequence[Event], by_id: Mapping[str, Extraction] | None) -> str | None:
    """The last publication date among the events' articles (None when any is unknown)."""
    dates: list[str] = []
    for aid in {a for e in g for a in e.article_ids}:
        ex = (by_id or {}).get(aid)
        if ex is None or ex.article.published is None:
            return None
        dates.append(ex.article.published)
    return max(dates, default=None)


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
