"""Per-article events with ACLED types, each built from ONE anchor sentence (or a short run).

Why anchored: tools that assemble an event from the whole article put the actor of one paragraph
with the place of another. Here the type comes from a cue in the anchor sentence, and the place,
date, actors and casualty figures come only from that sentence (or the next one in the same
paragraph when it only adds figures). The article dateline / publication date are a fallback for
place / date, and ``notes`` says so. Cues live in ``data/lexicons/event_cues.tsv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from spacy.tokens import Doc, Span

from rashomon.lexicon import load_list, load_map
from rashomon.records import DateRef, Event, Extraction, Fatalities, Place, Quantity
from rashomon.registry import register

_ACTOR_TYPES = ("armed_group", "military", "police", "government", "ministry", "international_org", "organization", "person")
_COMBATANT_TYPES = frozenset({"armed_group", "military", "police"})
_PRECISION_RANK = {"town": 0, "admin2": 1, "admin1": 2, "country": 3, None: 4}


@lru_cache(maxsize=1)
def _cues() -> dict[tuple[str, ...], str]:
    return {tuple(k.split()): v for k, v in load_map("event_cues").items()}


@lru_cache(maxsize=1)
def _priority() -> dict[str, int]:
    out: dict[str, int] = {}
    for k, v in load_map("event_priority").items():
        try:
            out[k] = int(v)
        except ValueError:
            continue
    return out


def _prio(value: str) -> int:
    sub = value.split("|", 1)[-1]
    return {k.lower(): p for k, p in _priority().items()}.get(sub.lower(), 10)


def classify(sent: Span, actor_types: Sequence[str] = ()) -> tuple[str, str] | None:
    """(event_type, sub_event_type) for a sentence from its cues, most specific cue first; else None."""
    lemmas = [t.lemma_.lower() for t in sent]
    words = [t.lower_ for t in sent]
    cues = _cues()
    found: list[str] = []
    for n in (3, 2, 1):
        for i in range(len(lemmas) - n + 1):
            for seq in (tuple(lemmas[i : i + n]), tuple(words[i : i + n])):
                if seq in cues:
                    found.append(cues[seq])
                    break
    if not found:
        return None
    specific = [f for f in found if not f.startswith("*")]
    if specific:
        best = max(specific, key=_prio)
        if not (best.endswith("|Peaceful protest") and any(f.startswith("*") for f in found)):
            etype, sub = best.split("|", 1)
            return etype, sub
    # Generic violence: civilians targeted and no combatants named -> attack on civilians.
    civilians = load_list("event_civilian_words")
    has_civ = any(t.lemma_.lower() in civilians for t in sent)
    has_combatants = len({a for a in actor_types if a in _COMBATANT_TYPES}) >= 2 or any(
        t.lemma_.lower() in ("soldier", "troop", "militant", "insurgent", "rebel", "fighter", "policeman", "terrorist") for t in sent
    )
    if has_civ and not has_combatants:
        return "Violence against civilians", "Attack"
    if specific:
        etype, sub = max(specific, key=_prio).split("|", 1)
        return etype, sub
    return "Battles", "Armed clash"


def _within(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _paragraph_break(text: str, a: int, b: int) -> bool:
    return "\n\n" in text[a:b] or "\r\n\r\n" in text[a:b]


def _figures(quantities: list[Quantity], ex: Extraction, category: str) -> Fatalities:
    """Low / best / high from the quantities of one category; best is the most conservative (ACLED)."""
    qs = [q for q in quantities if q.category == category and q.value is not None]
    if not qs:
        return Fatalities()
    lows = [int(q.low if q.low is not None else q.value) for q in qs]  # type: ignore[arg-type]
    highs = [int(q.high if q.high is not None else q.value) for q in qs]  # type: ignore[arg-type]
    claim_ids = [c.id for c in ex.claims for q in qs if c.span[0] <= q.start and q.end <= c.span[1]]
    return Fatalities(low=min(lows), best=min(int(q.value) for q in qs), high=max(highs), claim_ids=sorted(set(claim_ids)))  # type: ignore[arg-type]


def _place(places: list[Place]) -> Place | None:
    event = [p for p in places if p.role == "event"]
    if not event:
        return None
    return min(event, key=lambda p: (_PRECISION_RANK.get(p.geo.precision if p.geo else None, 4), p.start))


def _dateline_place(ex: Extraction) -> Place | None:
    """The dateline city as a place (fallback), resolved by the gazetteer when it can be."""
    line = ex.article.dateline
    if not line:
        return None
    from rashomon.extract import gazetteer

    name = line.split(",")[0].strip(" :-—").title()
    hits = gazetteer.get().lookup(name)
    if not hits:
        return Place(text=line, name=name, start=0, end=0, geo=None, role="event")
    from rashomon.extract.places import _geo

    best = max(hits, key=lambda e: (e.source != "geonames", e.population))
    return Place(text=line, name=best.name, start=0, end=0, geo=_geo(best), role="event")


def _published(ex: Extraction) -> DateRef | None:
    p = ex.article.published
    return DateRef(text=p, value=p, low=p, high=p, precision="day", kind="published") if p else None


def _anchor_runs(ex: Extraction, doc: Doc) -> list[tuple[list[Span], tuple[str, str]]]:
    """Anchor sentences with their type, each extended by a following figures-only sentence."""
    sents = list(doc.sents)
    runs: list[tuple[list[Span], tuple[str, str]]] = []
    i = 0
    while i < len(sents):
        s = sents[i]
        actors = [m.type for m in ex.mentions if s.start_char <= m.start < s.end_char]
        kind = classify(s, actors)
        if kind is None:
            i += 1
            continue
        run = [s]
        if i + 1 < len(sents):
            nxt = sents[i + 1]
            casualty = any(nxt.start_char <= q.start < nxt.end_char and q.category in ("killed", "injured", "captured") for q in ex.quantities)
            if casualty and classify(nxt, ()) is None and not _paragraph_break(doc.text, s.end_char, nxt.start_char):
                run.append(nxt)
                i += 1
        runs.append((run, kind))
        i += 1
    return runs


def _event(ex: Extraction, run: list[Span], kind: tuple[str, str]) -> Event:
    spans = [(s.start_char, s.end_char) for s in run]
    notes: list[str] = []
    places = [p for p in ex.places if _within(p.start, p.end, spans)]
    location = _place(places)
    if location is None:
        location = _dateline_place(ex)
        if location is not None:
            notes.append("location from the article dateline")
    dates = [d for d in ex.dates if _within(d.start, d.end, spans) and d.kind not in ("deadline",)]
    date = dates[0] if dates else None
    if date is None:
        date = _published(ex)
        if date is not None:
            notes.append("date from the publication date")
    actors: list[str] = []
    for m in ex.mentions:
        if _within(m.start, m.end, spans) and m.type in _ACTOR_TYPES and m.text not in actors:
            actors.append(m.text)
    qs = [q for q in ex.quantities if _within(q.start, q.end, spans)]
    fat = _figures(qs, ex, "killed")
    inj = _figures(qs, ex, "injured")
    cap = _figures(qs, ex, "captured")
    claim_ids = sorted({c.id for c in ex.claims if any(c.span[0] < e and s < c.span[1] for s, e in spans)})
    return Event(
        article_ids=[ex.article.id],
        event_type=kind[0],
        sub_event_type=kind[1],
        date=date,
        location=location,
        actor1=actors[0] if actors else None,
        actor2=actors[1] if len(actors) > 1 else None,
        fatalities=fat,
        injured=inj,
        captured=cap,
        claim_ids=claim_ids,
        sentences=spans,
        notes="; ".join(notes) or None,
    )


def _merge_figures(a: Fatalities, b: Fatalities) -> Fatalities:
    vals = [f for f in (a, b) if f.best is not None]
    if not vals:
        return a
    return Fatalities(
        low=min(f.low for f in vals if f.low is not None) if any(f.low is not None for f in vals) else None,
        best=min(f.best for f in vals if f.best is not None),
        high=max(f.high for f in vals if f.high is not None) if any(f.high is not None for f in vals) else None,
        claim_ids=sorted(set(a.claim_ids) | set(b.claim_ids)),
    )


def _merge(events: list[Event]) -> list[Event]:
    """One event per (type, sub-type, place, date) in the article."""
    out: dict[tuple[object, ...], Event] = {}
    for e in events:
        key = (e.event_type, e.sub_event_type, e.location.name if e.location else None, e.date.value if e.date else None)
        if key not in out:
            out[key] = e
            continue
        m = out[key]
        m.sentences = sorted(set(m.sentences) | set(e.sentences))
        m.claim_ids = sorted(set(m.claim_ids) | set(e.claim_ids))
        m.fatalities = _merge_figures(m.fatalities, e.fatalities)
        m.injured = _merge_figures(m.injured, e.injured)
        m.captured = _merge_figures(m.captured, e.captured)
        m.actor1 = m.actor1 or e.actor1
        m.actor2 = m.actor2 or e.actor2
    return list(out.values())


def find_events(ex: Extraction, doc: Doc) -> list[Event]:
    """Events of one article, merged by type + place + date."""
    return _merge([_event(ex, run, kind) for run, kind in _anchor_runs(ex, doc)])


@register("extract", "events")
def extract_events(ex: Extraction, doc: Doc) -> None:
    """Pipeline stage: append the article's events to ``ex.events``."""
    ex.events.extend(find_events(ex, doc))
