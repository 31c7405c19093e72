"""Export contract v1 (see PRODUCT.md): the six record kinds as plain dicts.

Pure functions from the typed records to the contract's field names. The contract is what users'
scripts depend on, so the mapping is written out field by field instead of dumping dataclasses:
a renamed record field must never silently rename an exported one. Unknown values stay ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rashomon.records import (
    Claim,
    DateRef,
    Dispute,
    DisputeSide,
    Entity,
    Event,
    Extraction,
    Fatalities,
    Geo,
    Place,
    Quantity,
    Reconciled,
    Story,
)

KINDS = ("articles", "entities", "claims", "events", "stories", "disputes")

Record = dict[str, Any]


# --- lookups -------------------------------------------------------------------------------


def article_outlets(exs: Iterable[Extraction]) -> dict[str, str | None]:
    """article id -> outlet, so dispute sides can name outlets even when reconcile left them out."""
    return {ex.article.id: ex.article.outlet for ex in exs}


def claim_articles(exs: Iterable[Extraction]) -> dict[str, str]:
    """claim id -> article id."""
    return {c.id: ex.article.id for ex in exs for c in ex.claims}


def _unique(items: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item is not None and item not in seen:
            seen.append(item)
    return seen


# --- nested values -------------------------------------------------------------------------


def _num(x: float | None) -> float | None:
    """NaN and infinities are not JSON; an unusable number is unknown, i.e. null."""
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x


def geo_record(g: Geo | None) -> Record | None:
    if g is None:
        return None
    return {"lat": _num(g.lat), "lon": _num(g.lon), "admin1": g.admin1, "admin2": g.admin2, "country": g.country,
            "precision": g.precision}


def quantity_record(q: Quantity) -> Record:
    return {"text": q.text, "value": _num(q.value), "low": _num(q.low), "high": _num(q.high), "qualifier": q.qualifier,
            "counted": q.counted, "unit": q.unit, "category": q.category}


def date_record(d: DateRef | None) -> Record | None:
    if d is None:
        return None
    return {"text": d.text, "value": d.value, "low": d.low, "high": d.high, "precision": d.precision,
            "kind": d.kind}


def location_record(p: Place | None) -> Record | None:
    if p is None:
        return None
    g = p.geo or Geo()
    return {"name": p.name, "entity_id": p.entity_id, "admin1": g.admin1, "admin2": g.admin2,
            "country": g.country, "lat": _num(g.lat), "lon": _num(g.lon), "precision": g.precision, "text": p.text}


def figure_record(f: Fatalities) -> Record:
    return {"low": f.low, "best": f.best, "high": f.high, "claim_ids": list(f.claim_ids)}


LEDGER_KEYS = ("category", "value", "low", "high", "qualifier", "counted", "claimant", "outlet", "article_id",
               "claim_id", "date", "scope", "note")


def ledger_entry_record(entry: dict[str, Any]) -> Record:
    """One ledger entry: the contract's keys first (null when unknown), then any further keys as kept."""
    out: Record = {k: entry.get(k) for k in LEDGER_KEYS}
    out.update({k: v for k, v in entry.items() if k not in out})
    for k in ("value", "low", "high"):
        out[k] = _num(out[k])
    return out


# --- the six kinds -------------------------------------------------------------------------


def article_record(ex: Extraction) -> Record:
    a = ex.article
    return {
        "id": a.id, "source": a.source, "url": a.url, "outlet": a.outlet, "title": a.title,
        "published": a.published, "published_inferred": bool(a.published_inferred),
        "dateline": a.dateline, "language": a.language, "word_count": a.word_count,
        "duplicate_of": a.duplicate_of, "evaluative": list(ex.evaluative),
        "author": a.author, "format": a.format, "content_hash": a.content_hash, "hedges": list(ex.hedges),
    }


def entity_record(e: Entity) -> Record:
    return {"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases),
            "article_ids": list(e.article_ids), "mentions": e.mentions, "geo": geo_record(e.geo),
            "merge_reasons": list(e.merge_reasons), "relations": [dict(r) for r in e.relations],
            "candidates": [dict(c) for c in e.candidates]}


def claim_record(c: Claim) -> Record:
    sp = c.speaker
    return {
        "id": c.id, "article_id": c.article_id, "story_id": c.story_id,
        "speaker": {"text": sp.text, "entity_id": sp.entity_id, "name": sp.name, "kind": sp.kind},
        "cue": c.cue, "act": c.act, "stance": c.stance, "content": c.content, "quote": c.quote,
        "quantities": [quantity_record(q) for q in c.quantities], "hedges": list(c.hedges),
        "dates": [date_record(d) for d in c.dates], "sentence": c.sentence,
        "span": [int(c.span[0]), int(c.span[1])],
    }


def event_record(e: Event) -> Record:
    date = date_record(e.date)
    return {
        "id": e.id, "story_id": e.story_id, "article_ids": list(e.article_ids),
        "event_type": e.event_type, "sub_event_type": e.sub_event_type,
        "date": None if date is None else {k: date[k] for k in ("value", "low", "high", "precision")},
        "location": location_record(e.location), "actor1": e.actor1, "actor2": e.actor2,
        "fatalities": figure_record(e.fatalities), "notes": e.notes,
        "injured": figure_record(e.injured), "captured": figure_record(e.captured),
        "claim_ids": list(e.claim_ids),
        "ledger": [ledger_entry_record(r) for r in e.ledger], "acled": dict(e.acled),
        "figure_rules": dict(e.figure_rules),
    }


def story_record(s: Story) -> Record:
    return {
        "id": s.id, "title": s.title, "article_ids": list(s.article_ids), "event_ids": list(s.event_ids),
        "related_story_ids": list(s.related_story_ids),
        "timeline": [{"date": t.date, "precision": t.precision, "text": t.text, "article_id": t.article_id,
                      "kind": t.kind} for t in s.timeline],
    }


def side_record(side: DisputeSide, claim_article: Mapping[str, str],
                article_outlet: Mapping[str, str | None]) -> Record:
    """A dispute side; article ids and outlets are filled from the claims when reconcile left them empty."""
    article_ids = list(side.article_ids) or _unique(claim_article.get(c) for c in side.claim_ids)
    outlets = list(side.outlets) or _unique(article_outlet.get(a) for a in article_ids)
    value = list(side.value) if isinstance(side.value, tuple) else side.value
    return {"claim_ids": list(side.claim_ids), "stance": side.stance, "value": value,
            "article_ids": article_ids, "outlets": outlets}


def dispute_record(d: Dispute, claim_article: Mapping[str, str],
                   article_outlet: Mapping[str, str | None]) -> Record:
    return {"id": d.id, "story_id": d.story_id, "kind": d.kind, "proposition": d.proposition,
            "sides": [side_record(s, claim_article, article_outlet) for s in d.sides],
            "explanation": d.explanation,
            "stances": [{"article_id": s.article_id, "outlet": s.outlet, "stance": s.stance, "sides": list(s.sides),
                         "basis": s.basis, "confidence": s.confidence} for s in d.stances]}


# --- everything ----------------------------------------------------------------------------


def iter_records(exs: Iterable[Extraction], rec: Reconciled) -> Iterator[tuple[str, Record]]:
    """Every contract record as ``(kind, record)``, streaming over the extractions once.

    Before any reconcile has run (no stories, no events) the per-article events are exported,
    so an extract-only run still yields incidents.
    """
    outlets: dict[str, str | None] = {}
    claim_article: dict[str, str] = {}
    article_events: list[Event] = []
    for ex in exs:
        outlets[ex.article.id] = ex.article.outlet
        yield "articles", article_record(ex)
        for c in ex.claims:
            claim_article[c.id] = ex.article.id
            yield "claims", claim_record(c)
        article_events.extend(ex.events)
    for e in rec.entities:
        yield "entities", entity_record(e)
    events = rec.events if (rec.events or rec.stories) else article_events
    for ev in events:
        yield "events", event_record(ev)
    for s in rec.stories:
        yield "stories", story_record(s)
    for d in rec.disputes:
        yield "disputes", dispute_record(d, claim_article, outlets)


def build_records(exs: Iterable[Extraction], rec: Reconciled) -> dict[str, list[Record]]:
    """All contract records grouped by kind (every kind present, possibly empty)."""
    out: dict[str, list[Record]] = {k: [] for k in KINDS}
    for kind, record in iter_records(exs, rec):
        out[kind].append(record)
    return out
