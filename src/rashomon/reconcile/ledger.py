"""Casualty ledgers: every source's killed / injured / captured figure for an incident, kept side by side.

Coders never want one number where sources disagree, so the ledger keeps each figure with its
claimant, outlet and date, and derives the summaries with the rule written out beside each:
UCDP GED's low / best / high and ACLED's conservative figure (the lowest reported).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rashomon.reconcile.propositions import category as figure_category
from rashomon.reconcile.propositions import (
    claimant_name,
    explicit_scope,
    interval,
    is_reference_mark,
    victim_class,
)
from rashomon.records import Claim, Event, Extraction, Fatalities

CATEGORIES = (("killed", "fatalities"), ("injured", "injured"), ("captured", "captured"))
RULES = {
    "low": "the lowest figure any source gives (UCDP low)",
    "best": "the median of the sources' figures (UCDP best, no source being more reliable)",
    "high": "the highest figure any source gives; \u201cat least N\u201d counts as N (UCDP high)",
    "ACLED": "the lowest figure reported (ACLED codes the most conservative figure when sources disagree)",
}


@dataclass(slots=True)
class LedgerEntry:
    """One source's figure for one category of an incident."""

    category: str  # killed, injured, captured
    text: str  # the figure as written: "over 50"
    low: float
    high: float  # math.inf for open-ended figures
    value: float  # the figure as stated ("nearly 500" -> 500)
    victims: str  # security_forces, militants, civilians, unknown
    claimant: str
    outlet: str
    date: str | None  # when the outlet published the figure
    scope: str  # the period the figure covers, in words
    claim_id: str

    @property
    def point(self) -> float:
        """The single value a figure stands for: the stated value, the lower bound of an open figure."""
        return self.low if self.high == math.inf else min(max(self.value, self.low), self.high)

    def describe(self) -> str:
        who = "" if self.victims == "unknown" else f" {self.victims.replace('_', ' ')}"
        return f"{self.text}{who} ({self.claimant}, {self.outlet or 'unknown outlet'}, {self.date or 'undated'}; {self.scope})"


def entries(event: Event, by_id: Mapping[str, Extraction]) -> list[LedgerEntry]:
    """Every figure behind an incident's killed / injured / captured counts, from its claims."""
    claims: dict[str, tuple[Claim, Extraction]] = {c.id: (c, ex) for ex in by_id.values() for c in ex.claims}
    out: list[LedgerEntry] = []
    for category, attr in CATEGORIES:
        for cid in getattr(event, attr).claim_ids:
            if cid not in claims:
                continue
            claim, ex = claims[cid]
            scope = explicit_scope(claim)
            for q in claim.quantities:
                if figure_category(claim, q) != category or (iv := interval(q)) is None or victim_class(q) is None:
                    continue
                if is_reference_mark(claim, q):
                    continue
                out.append(
                    LedgerEntry(
                        category=category, text=q.text, low=iv[0], high=iv[1],
                        value=q.value if q.value is not None else iv[0], victims=victim_class(q) or "unknown",
                        claimant=claimant_name(claim, ex.article.outlet or ""), outlet=ex.article.outlet or "",
                        date=ex.article.published, scope=scope.phrase() if scope else "no period given", claim_id=cid,
                    )
                )
    return out


def _side(rows: Sequence[LedgerEntry]) -> tuple[int, int, int]:
    """low, best, high over one side's figures (see RULES)."""
    low = int(min(r.low for r in rows))
    high = int(max(r.high if r.high != math.inf else r.low for r in rows))
    best = int(statistics.median_low([r.point for r in rows]))
    return low, best, max(high, best)


def summarize(rows: Sequence[LedgerEntry]) -> tuple[Fatalities, str | None]:
    """UCDP low / best / high and ACLED's figure over a category's entries. Figures for different
    sides' people (militants, soldiers) are summarised apart and added, never set against each other."""
    if not rows:
        return Fatalities(), None
    sides: dict[str, list[LedgerEntry]] = defaultdict(list)
    for r in rows:
        sides[r.victims].append(r)
    per_side = {who: _side(rs) for who, rs in sides.items()}
    low, best, high = (sum(v[i] for v in per_side.values()) for i in range(3))
    fat = Fatalities(low=low, best=best, high=high, claim_ids=sorted({r.claim_id for r in rows}))
    split = "" if len(per_side) == 1 else " (sum over sides: " + ", ".join(
        f"{who.replace('_', ' ')} {lo}/{be}/{hi}" for who, (lo, be, hi) in sorted(per_side.items())) + ")"
    note = (
        f"{rows[0].category}: low {low}, best {best}, high {high}, ACLED {low}{split}; "
        "figures: " + "; ".join(r.describe() for r in rows)
    )
    return fat, note


def rules_note() -> str:
    """The rules behind every ledger's summaries, written once per incident."""
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
