"""Places: find place names (including ones NER mislabels or misses), resolve them, give them a role.

Why more than NER: districts and towns in South Asia and the Middle East come out as ORG, PRODUCT or
nothing. A capitalised span the gazetteer knows is taken as a place when NER says GPE/LOC/FAC, or when
the context says place ("in X", "X district", "the town of X") or the gazetteer entry is large.
Resolution prefers the article's own countries, then population; "City, STATE" filters by admin1.
Places governed by border cues, or used as modifiers ("Pakistan Army"), get role "context".
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from rashomon.extract import gazetteer
from rashomon.extract.gazetteer import GeoEntry
from rashomon.extract.sentences import sentence_index
from rashomon.extract.sentences import sentence_of as sentence_span
from rashomon.lexicon import load_list, load_map
from rashomon.records import Extraction, Geo, Place
from rashomon.registry import register

log = logging.getLogger(__name__)

_NER_PLACE = frozenset({"GPE", "LOC", "FAC"})
_NER_MAYBE = frozenset({"ORG", "PRODUCT", "PERSON", "NORP", "EVENT", ""})
BIG_TOWN = 100_000  # a town this large needs no place cue
# Actor types that are local services: a town naming them ("Tampa police") is where things happen.
_LOCAL_ACTOR_TYPES = frozenset({"police"})
# Mention types whose names may hold a place word that is not where anything happened.
_ACTOR_NAME_TYPES = frozenset({"armed_group", "media_wing", "international_org", "operation"})
_FEATURE_RANK = {"town": 0, "admin2": 1, "admin1": 2, "country": 3}


@lru_cache(maxsize=1)
def _features() -> dict[str, str]:
    return load_map("place_features")


@dataclass(slots=True)
class _Cand:
    start: int  # token indices
    end: int
    cued: bool
    ner: bool
    hint: str | None  # feature named by a neighbouring word ("district" -> admin2)
    qualifier: str | None = None  # "Long Beach, CA" -> "CA"


def _cue(doc: Doc, start: int, end: int) -> tuple[bool, str | None]:
    """Whether the context says place, and which feature a neighbouring word names."""
    feats = _features()
    if end < len(doc) and doc[end].lower_ in feats:
        return True, feats[doc[end].lower_]
    if start >= 1 and doc[start - 1].lower_ in load_list("place_prepositions"):
        return True, None
    if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in feats:
        return True, feats[doc[start - 2].lower_]
    return False, None


def _capital_runs(doc: Doc, taken: set[int]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens not inside a place entity."""
    runs, i = [], 0
    while i < len(doc):
        if doc[i].is_title and doc[i].is_alpha and i not in taken:
            j = i
            while j < len(doc) and (doc[j].is_title or doc[j].text == "-") and j not in taken:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _known(gaz: gazetteer.Gazetteer, text: str) -> list[GeoEntry]:
    if text.lower() in load_list("place_stopnames") or len(text) < 3:
        return []
    return gaz.lookup(text)


def _candidates(doc: Doc, gaz: gazetteer.Gazetteer) -> list[_Cand]:
    out: list[_Cand] = []
    taken: set[int] = set()
    rejected: list[tuple[int, int]] = []
    for ent in doc.ents:
        start = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
        end = ent.end
        # "Kech District" -> name "Kech", hint admin2
        hint = None
        if end - start > 1 and doc[end - 1].lower_ in _features():
            hint = _features()[doc[end - 1].lower_]
            end -= 1
        if end <= start:
            continue
        cued, h = _cue(doc, start, end)
        hint = hint or h
        if ent.label_ in _NER_PLACE:
            out.append(_Cand(start, end, cued or hint is not None, True, hint))
            taken.update(range(ent.start, ent.end))
        elif ent.label_ in _NER_MAYBE:
            hits = _known(gaz, doc[start:end].text)
            if hits and _accept(hits, cued or hint is not None, ent.label_):
                out.append(_Cand(start, end, cued, False, hint))
            else:
                rejected.append((start, end))  # "Town in District" tagged ORG may still hold places
            taken.update(range(ent.start, ent.end))
    for i, j in _capital_runs(doc, taken):
        _add_runs(doc, gaz, i, j, out)
    for i, j in rejected:
        _add_runs(doc, gaz, i, j, out, cued_only=True)
    _conjuncts(doc, gaz, out)
    return out


def _accept(hits: list[GeoEntry], cued: bool, label: str) -> bool:
    """A non-place NER span is a place when cued, or (not a person) when the place is large."""
    if cued:
        return True
    if label == "PERSON":
        return False
    return any(h.feature in ("country", "admin1") or h.population >= BIG_TOWN for h in hits)


def _add_runs(doc: Doc, gaz: gazetteer.Gazetteer, i: int, j: int, out: list[_Cand], cued_only: bool = False) -> None:
    """Longest gazetteer-known sub-spans of a capitalised run that the context marks as places.

    Inside a name NER gave another type (``cued_only``), only sub-spans a place cue introduces count,
    so "Ruritania" in "the Ruritania Freedom Army" stays part of the group's name.
    """
    k = i
    while k < j:
        for e in range(j, k, -1):
            if not doc[k].is_title and not doc[k].is_upper:
                continue
            hits = _known(gaz, doc[k:e].text)
            cued, hint = _cue(doc, k, e)
            if hits and (cued or (not cued_only and k > sentence_span(doc[k]).start and _accept(hits, False, ""))):
                out.append(_Cand(k, e, cued, False, hint))
                k = e
                break
        else:
            k += 1


def _conjuncts(doc: Doc, gaz: gazetteer.Gazetteer, out: list[_Cand]) -> None:
    """"the districts of A, B and C": conjuncts of a cued place are cued places too."""
    have = {(c.start, c.end) for c in out}
    starts = {c.start for c in out}
    for c in list(out):
        if c.cued:
            _list_after(doc, gaz, c, out, starts)
    for c in list(out):
        if not c.cued:
            continue
        for tok in doc[c.end - 1].conjuncts:
            if tok.i in starts or not tok.is_title:
                continue
            left = tok.i
            while left > 0 and doc[left - 1].is_title and doc[left - 1].dep_ == "compound":
                left -= 1
            span = (left, tok.i + 1)
            if span not in have and _known(gaz, doc[left : tok.i + 1].text):
                out.append(_Cand(left, tok.i + 1, True, False, c.hint))
                have.add(span)
                starts.add(left)


def _list_after(doc: Doc, gaz: gazetteer.Gazetteer, c: _Cand, out: list[_Cand], starts: set[int]) -> None:
    """Surface list walk "A, B and C" after a cued place (the parse often misses the coordination)."""
    i = c.end
    while i + 1 < len(doc) and doc[i].lower_ in (",", "and", "or") and doc[i + 1].is_title:
        if doc[i].text == "," and doc[i + 1].lower_ == "and":
            i += 1
        j = i + 1
        while j < len(doc) and doc[j].is_title:
            j += 1
        for e in range(j, i + 1, -1):
            if _known(gaz, doc[i + 1 : e].text):
                if i + 1 not in starts:
                    out.append(_Cand(i + 1, e, True, False, c.hint))
                    starts.add(i + 1)
                i = e
                break
        else:
            return


def _qualify(doc: Doc, cands: list[_Cand], gaz: gazetteer.Gazetteer) -> list[_Cand]:
    """Fold "City, STATE" pairs: the second part qualifies the first and is not a place of its own."""
    by_start = {c.start: c for c in cands}
    dropped: set[int] = set()
    for c in sorted(cands, key=lambda c: c.start):
        if c.start in dropped:
            continue
        if c.end + 1 < len(doc) and doc[c.end].text == ",":
            nxt = doc[c.end + 1]
            j = c.end + 1
            end = by_start[j].end if j in by_start else j + 1
            qual = doc[j:end].text
            in_list = end < len(doc) and doc[end].lower_ in (",", "and", "or") and end + 1 < len(doc) and doc[end + 1].is_title
            narrows = _resolve_filter(gaz.lookup(doc[c.start : c.end].text), qual, gaz)
            if not in_list and narrows and any(e.feature in ("admin1", "country") for e in gaz.lookup(qual)) and (nxt.is_upper or nxt.is_title):
                c.qualifier = qual
                if j in by_start:
                    dropped.add(j)
    return [c for c in cands if c.start not in dropped]


def _score(e: GeoEntry, countries: Counter[str], hint: str | None) -> tuple[float, ...]:
    return (
        1.0 if e.source != "geonames" else 0.0,
        1.0 if hint and e.feature == hint else 0.0,
        float(countries.get(e.country or "", 0)),
        1.0 if e.feature == "country" else 0.0,
        float(e.population),
    )


def _resolve_filter(hits: list[GeoEntry], qualifier: str, gaz: gazetteer.Gazetteer) -> list[GeoEntry]:
    """The candidates inside the qualifying state / province / country ("Long Beach, CA")."""
    q = gazetteer.fold(qualifier)
    quals = gaz.lookup(qualifier)
    q_names = {gazetteer.fold(x.name) for x in quals if x.feature == "admin1"} | {q}
    q_countries = {x.country for x in quals if x.feature == "country"}
    return [h for h in hits if (h.admin1 and gazetteer.fold(h.admin1) in q_names) or h.country in q_countries]


def _resolve(hits: list[GeoEntry], countries: Counter[str], hint: str | None, qualifier: str | None, gaz: gazetteer.Gazetteer) -> GeoEntry | None:
    if qualifier:
        hits = _resolve_filter(hits, qualifier, gaz) or hits
    if not hits:
        return None
    best = max(hits, key=lambda e: _score(e, countries, hint))
    # A foreign candidate matched only through an alternate name, in an article about other
    # countries, is a guess: leave the place unresolved rather than put it on the wrong continent.
    if countries and best.country not in countries and best.source == "geonames" and best.feature == "town" and best.population < BIG_TOWN and not qualifier:
        return None
    return best


def _role(doc: Doc, start: int, end: int, feature: str | None = None) -> str:
    """"context" for places governed by a border cue or used as a modifier of a non-place noun.

    A town modifying a noun is local ("Tampa police", "a Selma resident"): it stays an event place
    unless the noun is a state or armed actor speaking for a capital ("the Kabul government").
    """
    cues = load_list("place_border_cues")
    root = doc[start:end].root
    tok: Token = root
    for _ in range(4):
        if tok.lemma_.lower() in cues or tok.lower_ in cues:
            return "context"
        if tok.head is tok:
            break
        tok = tok.head
    if any(doc[k].lower_ in cues for k in range(max(sentence_span(doc[start]).start, start - 4), start)):
        return "context"
    modifier = root.dep_ in ("compound", "amod", "poss", "nmod") and root.head.lower_ not in _features()
    if modifier and root.head.ent_type_ not in _NER_PLACE and not root.head.is_title:
        return "event" if feature == "town" and not _state_head(root.head) else "context"
    return "event"


def _state_head(tok: Token) -> bool:
    """A noun naming a state or armed actor ("government", "regime", "army"), not a local service."""
    kind = load_map("entity_heads").get(tok.lemma_.lower()) or load_map("entity_heads").get(tok.lower_)
    return kind is not None and kind not in _LOCAL_ACTOR_TYPES


def _geo(e: GeoEntry | None) -> Geo | None:
    if e is None:
        return None
    return Geo(lat=e.lat, lon=e.lon, admin1=e.admin1, admin2=e.admin2, country=e.country, precision=e.feature)


def _outside_names(doc: Doc, cands: list[_Cand], names: Sequence[tuple[int, int]]) -> tuple[list[_Cand], set[int]]:
    """Drop candidates that ARE an actor's name ("Hamas"); mark ones inside one ("... Taliban Pakistan") as context."""
    kept: list[_Cand] = []
    inner: set[int] = set()
    for c in cands:
        start, end = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])
        around = [(s, e) for s, e in names if s <= start and end <= e]
        if (start, end) in around:
            continue
        if around:
            inner.add(c.start)
        kept.append(c)
    return kept, inner


def find_places(
    doc: Doc, sentence_of: dict[int, int] | None = None, names: Sequence[tuple[int, int]] = ()
) -> list[Place]:
    """All places in the doc, resolved where the gazetteer can; one bad name never stops the rest.

    ``names`` are char spans of actor names (armed groups, operations ...): a place that is such a
    name is none, and a place inside one is context, never where an event happened.
    """
    gaz = gazetteer.get()
    cands, inner = _outside_names(doc, _qualify(doc, _candidates(doc, gaz), gaz), names)
    looked = {}
    countries: Counter[str] = Counter()
    for c in cands:
        hits = gaz.lookup(doc[c.start : c.end].text)
        looked[(c.start, c.end)] = hits
        codes = {h.country for h in hits if h.country}
        if len(codes) > 1 and len(gazetteer.fold(doc[c.start : c.end].text)) <= 2:
            continue  # "N.C.", "Ky.": a state code and a country code at once; it must not vote
        if len(codes) == 1 or any(h.feature == "country" for h in hits):
            countries.update(codes if len(codes) == 1 else {h.country for h in hits if h.feature == "country" and h.country})
    for c in cands:
        if c.qualifier:
            countries.update(h.country for h in gaz.lookup(c.qualifier) if h.country)
    sent_idx = dict(enumerate(sentence_index(doc))) if sentence_of is None else sentence_of
    out: list[Place] = []
    for c in sorted(cands, key=lambda c: c.start):
        span: Span = doc[c.start : c.end]
        try:
            entry = _resolve(looked[(c.start, c.end)], countries, c.hint, c.qualifier, gaz)
            role = "context" if c.start in inner else _role(doc, c.start, c.end, entry.feature if entry else None)
        except Exception as exc:  # noqa: BLE001 - one odd place must not empty the rest
            log.warning("place %r at %d not resolved: %s", span.text, span.start_char, exc)
            entry, role = None, "event"
        out.append(
            Place(
                text=span.text,
                name=entry.name if entry else span.text,
                start=span.start_char,
                end=span.end_char,
                geo=_geo(entry),
                role=role,  # type: ignore[arg-type]
                sentence=sent_idx.get(c.start),
            )
        )
    return out


@register("extract", "places")
def extract_places(ex: Extraction, doc: Doc) -> None:
    """Pipeline stage: append places; retype same-span non-place mentions to "place".

    A PERSON span becomes a place only when the context cued it ("from Rafah"), so it is retyped too.
    """
    names = [(m.start, m.end) for m in ex.mentions if m.type in _ACTOR_NAME_TYPES]
    places = find_places(doc, names=names)
    ex.places.extend(places)
    spans = {(p.start, p.end) for p in places}
    for m in ex.mentions:
        if (m.start, m.end) in spans and m.type in ("organization", "other", "person"):
            m.type = "place"
