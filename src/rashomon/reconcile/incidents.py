"""Incidents across articles, their casualty ledgers, and each story's timeline.

One article often yields several events (an attack, a clash, a claim) for what it reports as one
incident: they fold into its main event where time and place allow, and the figures of its other
sentences join that incident's ledger unless they are dated otherwise or belong to another event.
The articles' main incidents then merge across the story unless their stated days lie apart (an
outlet's coarser place or dateline does not split them); other events merge when they agree on type,
place and date (within a day), so a later arrest stays apart. What an article retells from before
the story is noted on its main incident, not listed as one (``incident_units.py``). The merged
incident keeps every source's figure in ``Event.ledger`` and summarises them UCDP-style (low / best /
high) and ACLED-style (the most conservative figure) with the rule behind each in
``Event.figure_rules`` (``ledger.py``); where sources disagree, ``notes`` says so in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rashomon.reconcile.incident_figures import incident_figures
from rashomon.reconcile.incident_homes import Homes, background_note
from rashomon.reconcile.incident_match import (
    compatible,
    incident_date,
    incident_location,
    same_days,
    stated,
)
from rashomon.reconcile.incident_units import Unit, story_units
from rashomon.reconcile.ledger import FIGURE_RULES, ledger
from rashomon.records import Event, Extraction, Story, TimelineItem

__all__ = ["Homes", "ledger", "merge_events", "story_incidents", "timeline"]


def merge_events(story: Story, events: Sequence[Event], by_id: Mapping[str, Extraction] | None = None) -> list[Event]:
    """Incidents of one story from its articles' events; with ``by_id`` (article id -> extraction)
    each incident's ledger lists every source's figure with its claimant, outlet and date. Each
    article's events first fold into its main incident where time and place allow; the articles' main
    incidents then merge across articles, secondary events (a later arrest) by type, place and date.
    Events an article retells from before the story are noted on the story's main incident, not
    listed as incidents of their own."""
    return story_incidents(story, events, by_id)[0]


def story_incidents(
    story: Story, events: Sequence[Event], by_id: Mapping[str, Extraction] | None = None
) -> tuple[list[Event], Homes]:
    """The story's incidents (see :func:`merge_events`) and where each article's sentences belong."""
    units = story_units(story, events, by_id)
    groups: list[list[Unit]] = []
    for unit in sorted((u for u in units if not u.background), key=lambda u: (not u.main, _sort_date(u.head), u.head.id)):
        g = next((g for g in groups if _joins(unit, g)), None)
        if g is None:
            groups.append([unit])
        else:
            g.append(unit)
    incidents = [_incident(story, g, by_id) for g in groups]
    background = sorted((u for u in units if u.background), key=lambda u: (u.head.article_ids, u.head.sentences))
    homes = Homes.build(groups, background)
    if incidents and background:
        primary = incidents[homes.primary]
        primary.notes = "; ".join(n for n in (primary.notes, background_note(background, by_id)) if n)
    return incidents, homes


def _sort_date(e: Event) -> str:
    return e.date.value if e.date and e.date.value else ""


def _joins(unit: Unit, group: Sequence[Unit]) -> bool:
    """Articles' main incidents merge unless their stated days lie apart (a story is about one thing:
    an outlet may name a coarser place, the dateline's, or date it by the day a statement was made);
    anything else needs the same type, place and date as every event of the group, or as an event of
    one of its articles' main incidents."""
    mains = [u for u in group if u.main]
    if unit.main and mains:
        return all(same_days(unit.head, u.head) for u in mains)
    if unit.main:
        return False
    # another article's event of an article's main incident (same type, place and stated day) is that incident
    day = stated(unit.head.date)
    return all(compatible(unit.head, other.head) for other in group) or day is not None and any(
        stated(e.date) == day and compatible(unit.head, e) for u in mains for e in u.events)


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
