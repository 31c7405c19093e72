"""Incidents for the briefing: each with its casualty ledger (every source's figure, who gave it, where
and when) and the low / best / high and ACLED summaries, so contested tolls are read side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rashomon.records import Event, Fatalities
from rashomon.web.fmt import fmt_date, fmt_figure, fmt_number, split_notes

CATEGORIES = (("killed", "fatalities"), ("injured", "injured"), ("captured", "captured"))
RULES_MARK = "ledger rules:"
_ORDER = {name: i for i, (name, _) in enumerate(CATEGORIES)}


@dataclass(slots=True)
class LedgerRow:
    """One source's figure for one incident, as the ledger keeps it."""

    category: str
    figure: str  # "at least 7"
    counted: str
    claimant: str
    outlet: str
    date: str
    scope: str
    note: str  # why the figure is not counted in the summaries, if it is not
    claim_id: str
    in_summary: bool


@dataclass(slots=True)
class SummaryRow:
    """A category's summaries: UCDP low / best / high and the figure ACLED would code."""

    category: str
    low: str
    best: str
    high: str
    acled: str
    claims: int


@dataclass(slots=True)
class EventView:
    id: str
    kind: str
    date: str
    place: str
    actors: str
    sources: int
    summary: list[SummaryRow] = field(default_factory=list)
    ledger: list[LedgerRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dated: str = ""  # sort key: ISO date or empty
    rules: dict[str, str] = field(default_factory=dict)  # how each summary was produced (Event.figure_rules)


def _text(entry: Mapping[str, Any], key: str, default: str = "") -> str:
    value = entry.get(key)
    return default if value is None or value == "" else str(value)


def _claimant(entry: Mapping[str, Any]) -> str:
    """Who gave the figure; 'outlet' is the outlet's own voice, not a person called Outlet."""
    who = _text(entry, "claimant", "unnamed source")
    return "the outlet itself" if who == "outlet" else who


def ledger_rows(entries: Sequence[Mapping[str, Any]]) -> list[LedgerRow]:
    """Ledger entries (dicts, as reconcile stores them) as table rows, killed first, then by date."""
    rows = [
        LedgerRow(category=_text(e, "category", "other"),
                  figure=fmt_figure(e.get("value"), e.get("low"), e.get("high"), e.get("qualifier")),
                  counted=_text(e, "counted"), claimant=_claimant(e),
                  outlet=_text(e, "outlet", "unknown outlet"), date=_text(e, "date", "undated"),
                  scope=_text(e, "scope"), note=_text(e, "note"), claim_id=_text(e, "claim_id"),
                  in_summary=bool(e.get("in_summary", not e.get("note"))))
        for e in entries if isinstance(e, Mapping)
    ]
    return sorted(rows, key=lambda r: (_ORDER.get(r.category, len(_ORDER)), r.category, r.date))


def summary_rows(e: Event) -> list[SummaryRow]:
    """low / best / high and ACLED's figure per category that has one (ACLED codes the lowest figure)."""
    out = []
    for name, attr in CATEGORIES:
        f: Fatalities = getattr(e, attr)
        if f.low is None and f.best is None and f.high is None:
            continue
        acled = (getattr(e, "acled", None) or {}).get(name)
        out.append(SummaryRow(category=name, low=fmt_number(f.low), best=fmt_number(f.best), high=fmt_number(f.high),
                              acled=fmt_number(f.low if acled is None else acled), claims=len(f.claim_ids)))
    return out


def _notes(notes: str | None) -> list[str]:
    """Reconcile's notes as items; the rules it appends are shown once per story, not per incident."""
    return split_notes((notes or "").split(RULES_MARK)[0])


def event_view(e: Event) -> EventView:
    date = (fmt_date(e.date.value, e.date.precision) if e.date.value else e.date.text) if e.date else None
    place = e.location.name if e.location else None
    if e.location and e.location.geo and e.location.geo.admin1 and e.location.geo.admin1 != place:
        place = f"{place}, {e.location.geo.admin1}"
    kind = " · ".join(k for k in (e.event_type, e.sub_event_type) if k) or "unclassified"
    actors = " vs ".join(a for a in (e.actor1, e.actor2) if a) or "actors unknown"
    return EventView(id=e.id, kind=kind, date=date or "date unknown", place=place or "place unknown", actors=actors,
                     sources=len(e.article_ids), summary=summary_rows(e),
                     ledger=ledger_rows(getattr(e, "ledger", None) or []), notes=_notes(e.notes),
                     dated=(e.date.value or "") if e.date else "", rules=dict(getattr(e, "figure_rules", None) or {}))


def event_views(events: Sequence[Event]) -> list[EventView]:
    """Incidents with figures first (the ones an analyst reads), each group in date order."""
    views = [event_view(e) for e in events]
    return sorted(views, key=lambda v: (not (v.summary or v.ledger), v.dated or "9999", v.kind))


def figure_rules(events: Sequence[EventView]) -> dict[str, str]:
    """The rules behind a story's summaries, written once above its incidents (they rarely differ)."""
    rules: dict[str, str] = {}
    for e in events:
        for key, rule in e.rules.items():
            rules.setdefault(key, rule)
    return rules
