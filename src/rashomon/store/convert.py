"""Records <-> row values. Pure functions, so the round trip can be reasoned about (and tested) apart
from the database: ``record_from_row(row_values(record)) == record``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rashomon.records import (
    Article,
    Claim,
    DateRef,
    Dispute,
    DisputeSide,
    DisputeStance,
    Entity,
    Event,
    Fatalities,
    Geo,
    Mention,
    Place,
    Quantity,
    Speaker,
    Story,
    TimelineItem,
)

Row = dict[str, Any]


def _opt(d: dict[str, Any] | None, cls: type) -> Any:
    return cls(**d) if d is not None else None


def _spans(items: list[Any] | None) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in items or []]


# --- article-level -------------------------------------------------------------------------


def article_values(a: Article, *, evaluative: list[str], hedges: list[str], dates: list[DateRef],
                   quantities: list[Quantity], sentences: list[tuple[int, int]]) -> Row:
    return {
        "id": a.id, "source": a.source, "text": a.text, "title": a.title, "url": a.url,
        "outlet": a.outlet, "published": a.published, "published_inferred": bool(a.published_inferred),
        "dateline": a.dateline, "author": a.author, "language": a.language, "format": a.format,
        "duplicate_of": a.duplicate_of, "content_hash": a.content_hash, "word_count": a.word_count,
        "evaluative": list(evaluative), "hedges": list(hedges),
        "dates": [asdict(d) for d in dates], "quantities": [asdict(q) for q in quantities],
        "sentences": [list(s) for s in sentences],
    }


def article_from(r: Any) -> Article:
    return Article(
        source=r.source, text=r.text, title=r.title, url=r.url, outlet=r.outlet,
        published=r.published, published_inferred=bool(r.published_inferred), dateline=r.dateline,
        author=r.author, language=r.language, format=r.format, duplicate_of=r.duplicate_of, id=r.id,
    )


def dates_from(items: list[Any] | None) -> list[DateRef]:
    return [DateRef(**d) for d in items or []]


def quantities_from(items: list[Any] | None) -> list[Quantity]:
    return [Quantity(**q) for q in items or []]


def sentences_from(items: list[Any] | None) -> list[tuple[int, int]]:
    return _spans(items)


# --- per-article rows ----------------------------------------------------------------------


def mention_values(m: Mention) -> Row:
    return asdict(m)


def mention_from(r: Any) -> Mention:
    return Mention(text=r.text, start=r.start, end=r.end, type=r.type, label=r.label,
                   sentence=r.sentence, entity_id=r.entity_id)


def place_values(p: Place) -> Row:
    return asdict(p)


def place_from_dict(d: dict[str, Any] | None) -> Place | None:
    if d is None:
        return None
    d = dict(d)
    d["geo"] = _opt(d.get("geo"), Geo)
    return Place(**d)


def place_from(r: Any) -> Place:
    return Place(text=r.text, name=r.name, start=r.start, end=r.end, geo=_opt(r.geo, Geo),
                 role=r.role, sentence=r.sentence, entity_id=r.entity_id)


def claim_values(c: Claim) -> Row:
    return {
        "id": c.id, "story_id": c.story_id, "speaker": asdict(c.speaker),
        "speaker_entity_id": c.speaker.entity_id, "cue": c.cue, "act": c.act, "stance": c.stance,
        "content": c.content, "quote": c.quote, "sentence": c.sentence,
        "span_start": int(c.span[0]), "span_end": int(c.span[1]),
        "quantities": [asdict(q) for q in c.quantities], "hedges": list(c.hedges),
        "dates": [asdict(d) for d in c.dates],
    }


def claim_from(r: Any) -> Claim:
    return Claim(
        article_id=r.article_id, speaker=Speaker(**r.speaker), cue=r.cue, act=r.act,
        stance=r.stance, content=r.content, quote=r.quote, sentence=r.sentence,
        span=(r.span_start, r.span_end), quantities=quantities_from(r.quantities),
        hedges=list(r.hedges or []), dates=dates_from(r.dates), story_id=r.story_id, id=r.id,
    )


def event_values(e: Event) -> Row:
    return {
        "id": e.id, "article_ids": list(e.article_ids), "event_type": e.event_type,
        "sub_event_type": e.sub_event_type, "date": asdict(e.date) if e.date else None,
        "location": asdict(e.location) if e.location else None, "actor1": e.actor1,
        "actor2": e.actor2, "fatalities": asdict(e.fatalities), "injured": asdict(e.injured),
        "captured": asdict(e.captured), "claim_ids": list(e.claim_ids),
        "sentences": [list(s) for s in e.sentences], "story_id": e.story_id, "notes": e.notes,
        "ledger": [dict(r) for r in e.ledger], "acled": dict(e.acled), "figure_rules": dict(e.figure_rules),
    }


def event_from(r: Any) -> Event:
    return Event(
        article_ids=list(r.article_ids or []), event_type=r.event_type,
        sub_event_type=r.sub_event_type, date=_opt(r.date, DateRef),
        location=place_from_dict(r.location), actor1=r.actor1, actor2=r.actor2,
        fatalities=Fatalities(**r.fatalities), injured=Fatalities(**r.injured),
        captured=Fatalities(**r.captured), claim_ids=list(r.claim_ids or []),
        sentences=_spans(r.sentences), story_id=r.story_id, notes=r.notes, id=r.id,
        ledger=list(r.ledger or []), acled=dict(r.acled or {}), figure_rules=dict(r.figure_rules or {}),
    )


# --- reconciled ----------------------------------------------------------------------------


def entity_values(e: Entity) -> Row:
    d = asdict(e)
    d["geo"] = asdict(e.geo) if e.geo else None
    return d


def entity_from(r: Any) -> Entity:
    return Entity(name=r.name, type=r.type, aliases=list(r.aliases or []),
                  article_ids=list(r.article_ids or []), mentions=r.mentions,
                  geo=_opt(r.geo, Geo), merge_reasons=list(r.merge_reasons or []),
                  relations=list(r.relations or []), candidates=list(r.candidates or []), id=r.id)


def story_values(s: Story) -> Row:
    return {"id": s.id, "title": s.title, "event_ids": list(s.event_ids),
            "related_story_ids": list(s.related_story_ids),
            "timeline": [asdict(t) for t in s.timeline]}


def story_from(r: Any, article_ids: list[str]) -> Story:
    return Story(article_ids=article_ids, title=r.title, event_ids=list(r.event_ids or []),
                 related_story_ids=list(r.related_story_ids or []),
                 timeline=[TimelineItem(**t) for t in r.timeline or []], id=r.id)


def dispute_values(d: Dispute) -> Row:
    return {"id": d.id, "story_id": d.story_id, "kind": d.kind, "proposition": d.proposition,
            "sides": [asdict(s) for s in d.sides], "explanation": d.explanation,
            "stances": [asdict(s) for s in d.stances]}


def dispute_from(r: Any) -> Dispute:
    return Dispute(story_id=r.story_id, kind=r.kind, proposition=r.proposition,
                   sides=[DisputeSide(**s) for s in r.sides or []], explanation=r.explanation,
                   id=r.id, stances=[DisputeStance(**s) for s in r.stances or []])
