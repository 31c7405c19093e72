"""The casualty figures of one incident: every source's figure in the ledger, nearest layer first, and
the UCDP / ACLED summaries with notes where sources disagree (``ledger.py`` holds the rules)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rashomon.reconcile.incident_units import Unit
from rashomon.reconcile.ledger import (
    CATEGORIES,
    LedgerEntry,
    acled,
    ledger,
    mark_uncounted,
    rules_note,
    summarize,
)
from rashomon.reconcile.ledger_entries import entries, sentence_entries
from rashomon.records import Extraction, Fatalities


@dataclass(slots=True)
class Figures:
    """What the ledger gives an incident: its summaries, the entries, the ACLED figures and notes."""

    summaries: list[Fatalities] = field(default_factory=list)  # killed, injured, captured
    rows: list[LedgerEntry] = field(default_factory=list)
    acled: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def disagree(rows: Sequence[LedgerEntry]) -> bool:
    return len({(r.low, r.high) for r in rows if r.in_summary}) > 1


def incident_figures(units: Sequence[Unit], by_id: Mapping[str, Extraction] | None) -> Figures:
    """Killed / injured / captured of a group of events: from every figure with its claimant, outlet
    and date when the articles are at hand (see :func:`layered`), else from the events' own figures.
    Notes give the figures and rules in words only where sources disagree (ACLED writes disputes into
    notes)."""
    out = Figures()
    g = [e for u in units for e in u.events]
    if by_id is not None:
        seen: set[tuple[str, str | None, str, str]] = set()
        for r in layered(units, by_id):
            if (key := (r.article_id, r.claim_id, r.text, r.category)) not in seen:
                seen.add(key)
                out.rows.append(r)
        mark_uncounted(out.rows, by_id)
    for label, attr in CATEGORIES:
        rows = [r for r in out.rows if r.category == label]
        fat, note = summarize(rows) if any(r.in_summary for r in rows) else ledger([getattr(e, attr) for e in g])
        if any(r.in_summary for r in rows):
            out.acled[label] = acled(rows) or 0
            note = note if disagree(rows) else None
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


def layered(units: Sequence[Unit], by_id: Mapping[str, Extraction]) -> list[LedgerEntry]:
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
