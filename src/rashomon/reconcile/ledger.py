"""Casualty ledgers: every source's killed / injured / captured / missing figure for an incident, side by side.

Coders never want one number where sources disagree, so the ledger keeps each figure with its
claimant, outlet, article, claim and date, and derives the summaries with the rule written out beside
each (``RULES``, stored on the incident as ``Event.figure_rules``): UCDP GED's low / best / high and
ACLED's conservative figure. Only one figure per source counts towards them; syndicated copies,
parts of a larger whole and figures for another period stay in the ledger with a note saying why
they were not counted. The figures are gathered by ``ledger_entries.py``.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rashomon.records import Extraction, Fatalities, normalize_text

CATEGORIES = (("killed", "fatalities"), ("injured", "injured"), ("captured", "captured"))
LEDGER_CATEGORIES = ("killed", "injured", "captured", "missing")
SUMMARY_SCOPES = ("incident", "day")  # figures for a campaign, a year or "so far" are not the incident's
RULES = {
    "low": "the lowest figure any source gives (UCDP low)",
    "best": "the median of the sources' figures (UCDP best, no source being more reliable)",
    "high": "the highest figure any source gives; \u201cat least N\u201d counts as N (UCDP high)",
    "ACLED": "the lowest figure reported (ACLED codes the most conservative figure when sources disagree)",
    "sources": "one figure per outlet and claimant, its largest (the others are parts of it); syndicated copies, "
    "parts of a whole and figures for another period are listed but not counted",
    "sides": "figures for different sides' people are summarised apart and added; figures of unnamed people "
    "join the one side named, or beside several sides stand for the total when larger",
}
FIGURE_RULES = {k.lower(): v for k, v in RULES.items()}  # Event.figure_rules
UNKNOWN = "unknown"  # whose people a figure counts, when the counted noun does not say


@dataclass(slots=True)
class LedgerEntry:
    """One source's figure for one category of an incident."""

    category: str  # killed, injured, captured, missing
    text: str  # the figure as written: "over 50"
    low: float
    high: float  # math.inf for open-ended figures
    value: float  # the figure as stated ("nearly 500" -> 500)
    qualifier: str
    counted: str | None  # the counted noun: "soldiers"
    victims: str  # security_forces, militants, civilians, unknown
    claimant: str  # speaker name or text, "outlet" for the outlet's own voice
    outlet: str
    article_id: str
    date: str | None  # when the outlet published the figure
    scope: str  # the period the figure covers, in words
    scope_kind: str  # incident, day, period, campaign, cumulative, with_perpetrator
    claim_id: str | None  # None: a figure in the outlet's own narrative, outside any claim
    note: str = ""  # why the figure is not counted, when it is not
    sentence: str = ""

    @property
    def point(self) -> float:
        """The single value a figure stands for: the stated value, the lower bound of an open figure."""
        return self.low if self.high == math.inf else min(max(self.value, self.low), self.high)

    @property
    def in_summary(self) -> bool:
        return not self.note

    def describe(self) -> str:
        who = "" if self.victims == UNKNOWN else f" {self.victims.replace('_', ' ')}"
        claimant = self.outlet or "the outlet" if self.claimant == "outlet" else self.claimant
        return f"{self.text}{who} ({claimant}, {self.outlet or 'unknown outlet'}, {self.date or 'undated'}; {self.scope})"

    def as_dict(self) -> dict[str, Any]:
        """The entry as stored on ``Event.ledger`` (keys fixed: the web view and the export read them)."""
        return {
            "category": self.category, "value": _plain(self.value), "low": _plain(self.low),
            "high": None if self.high == math.inf else _plain(self.high), "qualifier": self.qualifier,
            "counted": self.counted, "claimant": self.claimant, "outlet": self.outlet or None,
            "article_id": self.article_id, "claim_id": self.claim_id, "date": self.date, "scope": self.scope,
            "note": self.note or None, "text": self.text, "victims": self.victims, "in_summary": self.in_summary,
        }


def _plain(x: float) -> int | float:
    """Whole numbers as ints, so a ledger reads "6", not "6.0"."""
    return int(x) if float(x).is_integer() else round(x, 2)


def mark_uncounted(rows: Sequence[LedgerEntry], by_id: Mapping[str, Extraction]) -> None:
    """Notes on the figures the summaries leave out: syndicated copies (a duplicate article, or the same
    sentence and figure already in another article), figures for another period, and a source's
    smaller figures beside its largest (parts of it: "two killed ... one man died at the scene")."""
    _mark_copies_and_periods(rows, by_id)
    _mark_parts(rows)


def _mark_copies_and_periods(rows: Sequence[LedgerEntry], by_id: Mapping[str, Extraction]) -> None:
    """A copy is counted once, under its original, when the original is among the incident's
    articles; a copy of an article outside it is the incident's only report of those figures."""
    first: dict[tuple[str, str, str], str] = {}
    articles = {r.article_id for r in rows}
    for r in rows:
        ex = by_id.get(r.article_id)
        original = ex.article.duplicate_of if ex is not None else None
        original = original if original in articles else None
        key = (r.category, normalize_text(r.sentence), r.text)
        if not r.note and (original or first.setdefault(key, r.article_id) != r.article_id):
            r.note = f"syndicated copy of {original or first[key]}: one report, counted once"
        elif not r.note and r.scope_kind not in SUMMARY_SCOPES:
            r.note = f"covers another period ({r.scope})"


def _mark_parts(rows: Sequence[LedgerEntry]) -> None:
    """One figure per source (article and claimant), category and side counts: its largest."""
    heads: dict[tuple[str, str, str, str], LedgerEntry] = {}
    for r in rows:
        key = (r.category, r.victims, r.article_id, r.claimant)
        if r.in_summary and (key not in heads or (r.low, r.high) > (heads[key].low, heads[key].high)):
            heads[key] = r
    for r in rows:
        head = heads.get((r.category, r.victims, r.article_id, r.claimant))
        if r.in_summary and head is not None and head is not r:
            r.note = f"part of the same source's larger figure ({head.text})"


# --- summaries ---------------------------------------------------------------------------------


Summary = tuple[int, int, int, int]  # low, best, high, ACLED


def _side(rows: Sequence[LedgerEntry]) -> Summary:
    """low, best, high and ACLED's figure over one side's counted figures (see RULES)."""
    low = int(min(r.low for r in rows))
    high = int(max(r.high if r.high != math.inf else r.low for r in rows))
    points = [r.point for r in rows]
    best = int(statistics.median_low(points))
    return low, best, max(high, best), int(min(points))


def _sides(rows: Sequence[LedgerEntry]) -> dict[str, list[LedgerEntry]]:
    """Counted figures by whose people they count; unnamed people join the one side named."""
    sides: dict[str, list[LedgerEntry]] = defaultdict(list)
    for r in rows:
        sides[r.victims].append(r)
    known = [s for s in sides if s != UNKNOWN]
    if UNKNOWN in sides and len(known) == 1:
        sides[known[0]].extend(sides.pop(UNKNOWN))
    return sides


def _total(per_side: Mapping[str, Summary]) -> Summary:
    """Sides added; a figure of unnamed people beside several sides is the total when it is larger."""
    known = [v for k, v in per_side.items() if k != UNKNOWN]
    added = tuple(sum(v[i] for v in known) for i in range(4))
    if UNKNOWN not in per_side:
        return added  # type: ignore[return-value]
    unknown = per_side[UNKNOWN]
    return unknown if not known else tuple(max(a, u) for a, u in zip(added, unknown))  # type: ignore[return-value]


def summarize(rows: Sequence[LedgerEntry]) -> tuple[Fatalities, str | None]:
    """UCDP low / best / high over a category's counted entries (ACLED's figure in the note and via
    :func:`acled`); every entry's claim is kept. Figures for different sides' people are summarised
    apart and added, never set against each other."""
    counted = [r for r in rows if r.in_summary]
    claim_ids = sorted({r.claim_id for r in rows if r.claim_id})
    if not counted:
        return Fatalities(claim_ids=claim_ids), None
    per_side = {who: _side(rs) for who, rs in _sides(counted).items()}
    low, best, high, conservative = _total(per_side)
    split = "" if len(per_side) == 1 else " (per side: " + ", ".join(
        f"{who.replace('_', ' ')} {v[0]}/{v[1]}/{v[2]}" for who, v in sorted(per_side.items())) + ")"
    note = (
        f"{counted[0].category}: low {low}, best {best}, high {high}, ACLED {conservative}{split}; "
        "figures: " + "; ".join(r.describe() for r in counted)
    )
    return Fatalities(low=low, best=best, high=high, claim_ids=claim_ids), note


def acled(rows: Sequence[LedgerEntry]) -> int | None:
    """ACLED's conservative figure over a category's counted entries (None without any)."""
    counted = [r for r in rows if r.in_summary]
    if not counted:
        return None
    return _total({who: _side(rs) for who, rs in _sides(counted).items()})[3]


def rules_note() -> str:
    """The rules behind every ledger's summaries, in words for the incident's notes."""
    return "ledger rules: " + "; ".join(f"{k} = {v}" for k, v in RULES.items())


def ledger(figures: Sequence[Fatalities]) -> tuple[Fatalities, str | None]:
    """The same summaries from per-article figures alone (no claims at hand): low is the lowest
    figure, high the highest, best the median of the sources' best figures, ACLED's the lowest."""
    spans = [
        (min(vals), max(vals), f.best if f.best is not None else min(vals))
        for f in figures
        if (vals := [v for v in (f.low, f.best, f.high) if v is not None])
    ]
    claim_ids = sorted({c for f in figures for c in f.claim_ids})
    if not spans:
        return Fatalities(claim_ids=claim_ids), None
    low, high = min(s[0] for s in spans), max(s[1] for s in spans)
    best = int(statistics.median_low([s[2] for s in spans]))
    note = None
    if len({v for s in spans for v in s}) > 1:
        note = (
            f"sources disagree ({len(spans)} figures, {low}-{high}); low {low} = {RULES['low']}; best {best} = "
            f"{RULES['best']}; high {high} = {RULES['high']}; ACLED {low} = {RULES['ACLED']}"
        )
    return Fatalities(low=low, best=best, high=high, claim_ids=claim_ids), note
