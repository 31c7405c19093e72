"""Incidents across articles, their casualty ledgers, and each story's timeline.

Per-article events of one story merge when they agree on type, place and date (within a day); the
merged incident keeps every source's figure and summarises them UCDP-style (low / best / high) and
ACLED-style (the most conservative figure), writing each rule and every figure into ``notes``
(``ledger.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from rashomon.reconcile.ledger import entries, ledger, rules_note, summarize
from rashomon.records import Event, Extraction, Fatalities, Story, TimelineItem

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


def _ledgers(g: Sequence[Event], by_id: Mapping[str, Extraction] | None) -> tuple[list[Fatalities], list[str]]:
    """Killed / injured / captured summaries of a group of events and the notes that give their rules:
    from every figure with its claimant, outlet and date when the claims are at hand."""
    out, notes = [], []
    for label, attr in (("killed", "fatalities"), ("injured", "injured"), ("captured", "captured")):
        rows = [r for e in g for r in entries(e, by_id) if r.category == label] if by_id is not None else []
        fat, note = summarize(rows) if rows else ledger([getattr(e, attr) for e in g])
        if not rows and note:
            note = f"{label}: {note}"
        out.append(fat)
        if note:
            notes.append(note)
    if by_id is not None and notes:
        notes.append(rules_note())
    return out, notes


def merge_events(story: Story, events: Sequence[Event], by_id: Mapping[str, Extraction] | None = None) -> list[Event]:
    """Incidents of one story from its articles' events; with ``by_id`` (article id -> extraction)
    the notes list every source's figure with its claimant, outlet and date."""
    groups: list[list[Event]] = []
    for ev in sorted(events, key=lambda e: (e.date.value if e.date and e.date.value else "", e.id)):
        for g in groups:
            if all(_compatible(ev, other) for other in g):
                g.append(ev)
                break
        else:
            groups.append([ev])
    incidents = []
    for g in groups:
        head = max(g, key=lambda e: (e.location is not None, e.date is not None, len(e.claim_ids)))
        notes = [n for e in g if e.notes for n in [e.notes]]
        (fat, inj, cap), ledger_notes = _ledgers(g, by_id)
        notes += ledger_notes
        incident = Event(
            article_ids=sorted({a for e in g for a in e.article_ids}),
            event_type=head.event_type,
            sub_event_type=head.sub_event_type,
            date=next((e.date for e in g if e.date and e.date.precision == "day"), head.date),
            location=next((e.location for e in g if e.location and e.location.geo), head.location),
            actor1=next((e.actor1 for e in g if e.actor1), None),
            actor2=next((e.actor2 for e in g if e.actor2), None),
            fatalities=fat,
            injured=inj,
            captured=cap,
            claim_ids=sorted({c for e in g for c in e.claim_ids}),
            sentences=[s for e in g for s in e.sentences],
            story_id=story.id,
            notes="; ".join(dict.fromkeys(notes)) or None,
        )
        incidents.append(incident)
    return incidents


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
