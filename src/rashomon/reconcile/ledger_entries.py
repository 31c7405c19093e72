"""Gathering an incident's casualty figures for its ledger: those in its events' sentences, those of the
claims its figures name, and those of the article's narrative around it, each read by the same
rules as a claimed figure (combined counts, citation marks, scope), with its claimant, outlet and date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from rashomon.reconcile.ledger import (
    CATEGORIES,
    LEDGER_CATEGORIES,
    UNKNOWN,
    LedgerEntry,
)
from rashomon.reconcile.propositions import category as figure_category
from rashomon.reconcile.propositions import (
    explicit_scope,
    interval,
    is_reference_mark,
    victim_class,
)
from rashomon.records import Claim, Event, Extraction, Quantity, Speaker

_COORDINATE = re.compile(r"\d\.\d{4,}")  # "41.454397": a map coordinate, never a head count


def _sentence_of(ex: Extraction, q: Quantity) -> tuple[int, int]:
    return next(((s, e) for s, e in ex.sentences if s <= q.start and q.end <= e), (q.start, q.end))


def _claim_of(ex: Extraction, q: Quantity) -> Claim | None:
    """The claim a figure belongs to: the one listing it, else the narrowest whose span holds it."""
    for c in ex.claims:
        if any(o.start == q.start and o.end == q.end and o.text == q.text for o in c.quantities):
            return c
    holding = [c for c in ex.claims if c.span[0] <= q.start and q.end <= c.span[1]]
    return min(holding, key=lambda c: c.span[1] - c.span[0]) if holding else None


def _outlet_voice(ex: Extraction, q: Quantity) -> Claim:
    """The outlet's own narrative sentence as a claim (never stored), so a figure outside any claim is
    read by the same rules (combined counts, parts, scope) as a claimed one."""
    s, e = _sentence_of(ex, q)
    text = ex.article.text[s:e]
    dates = [d for d in ex.dates if s <= d.start and d.end <= e]
    return Claim(article_id=ex.article.id, speaker=Speaker(text=None, name=None, kind="outlet"), cue=None, act="say",
                 stance="assert", content=text, quote="none", sentence=text, span=(s, e), dates=dates)


def _figures(event: Event, by_id: Mapping[str, Extraction]) -> Iterator[tuple[Extraction, Quantity, Claim | None]]:
    """Every casualty figure behind an event: those in its sentences and those of the claims its
    figures name, each once, with its claim (None: the outlet's own narrative)."""
    named = {cid for _, attr in CATEGORIES for cid in getattr(event, attr).claim_ids}
    seen: set[tuple[str, int, int, str]] = set()
    for aid in event.article_ids:
        ex = by_id.get(aid)
        if ex is None:
            continue
        found: list[tuple[Quantity, Claim | None]] = [(q, c) for c in ex.claims if c.id in named for q in c.quantities]
        found += [(q, None) for q in ex.quantities if any(s <= q.start and q.end <= e for s, e in event.sentences)]
        for q, c in found:
            key = (aid, q.start, q.end, q.text)
            if q.category in LEDGER_CATEGORIES and key not in seen:
                seen.add(key)
                yield ex, q, c or _claim_of(ex, q)


def _entry(ex: Extraction, q: Quantity, claim: Claim | None) -> LedgerEntry | None:
    """A ledger entry for one figure, or None when it is no casualty figure (a citation mark, a
    combined "killed or injured" count). People the victim lexicon does not know count as unknown."""
    voice = claim or _outlet_voice(ex, q)
    cat = figure_category(voice, q)
    iv = interval(q)
    who = victim_class(q) or UNKNOWN  # the extractor's category stands ("six grandchildren", "Anderson")
    if cat not in LEDGER_CATEGORIES or iv is None or is_reference_mark(voice, q) or _COORDINATE.search(q.text):
        return None
    scope = explicit_scope(voice)
    sp = voice.speaker
    return LedgerEntry(
        category=cat, text=q.text, low=iv[0], high=iv[1], value=q.value if q.value is not None else iv[0],
        qualifier=q.qualifier, counted=q.counted, victims=who,
        claimant="outlet" if sp.kind == "outlet" else sp.name or sp.text or "an unnamed source",
        outlet=ex.article.outlet or "", article_id=ex.article.id, date=ex.article.published,
        scope=scope.phrase() if scope else "no period given", scope_kind=scope.kind if scope else "incident",
        claim_id=claim.id if claim else None, sentence=voice.sentence,
    )


def entries(event: Event, by_id: Mapping[str, Extraction]) -> list[LedgerEntry]:
    """Every figure behind an incident's casualty counts, each with its claimant, outlet and date; the
    figures not counted towards the summaries carry a note saying why."""
    out: list[LedgerEntry] = []
    for ex, q, claim in _figures(event, by_id):
        if (entry := _entry(ex, q, claim)) is not None:
            out.append(entry)
    return out


def sentence_entries(ex: Extraction, spans: Sequence[tuple[int, int]]) -> list[LedgerEntry]:
    """The casualty figures of some sentences of an article outside any event (the narrative around the
    article's main incident), read by the same rules as an event's own figures."""
    out: list[LedgerEntry] = []
    for q in ex.quantities:
        inside = q.category in LEDGER_CATEGORIES and any(s <= q.start and q.end <= e for s, e in spans)
        if inside and (entry := _entry(ex, q, _claim_of(ex, q))) is not None:
            out.append(entry)
    return out
