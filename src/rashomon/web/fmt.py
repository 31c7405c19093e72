"""Plain-text formatting of figures, titles and notes for the briefing (the template escapes the result)."""

from __future__ import annotations

import math
import re
from typing import Any

from rashomon.records import Quantity

_QUALIFIER_WORDS = {"exact": "", "at_least": "at least", "more_than": "more than", "at_most": "at most",
                    "less_than": "fewer than", "approx": "about", "range": ""}


def fmt_number(value: Any) -> str:
    """'1,200' for counts; '?' for unknown or open-ended values, so no 'inf' or 'None' reaches a reader."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "?"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def _number(value: Any, low: Any, high: Any, qualifier: str | None) -> str:
    if qualifier == "range" or (value is None and (low is not None or high is not None)):
        return f"{fmt_number(low)}–{fmt_number(high)}"
    return fmt_number(value)


def _words(*words: str | None) -> str:
    return " ".join(w for w in words if w)


def fmt_figure(value: Any, low: Any, high: Any, qualifier: str | None) -> str:
    """'at least 7', 'about 500', '5–7': the figure as its source qualified it."""
    q = qualifier or "exact"
    return _words(_QUALIFIER_WORDS.get(q, q), _number(value, low, high, q))


def fmt_quantity(q: Quantity) -> str:
    """'at least 7 soldiers' from the normalised quantity (the surface text is kept in the sentence)."""
    return _words(_QUALIFIER_WORDS.get(q.qualifier, q.qualifier), q.unit,
                  _number(q.value, q.low, q.high, q.qualifier), q.counted)


def fmt_value(value: Any) -> str:
    """A dispute side's value, whatever shape reconcile gave it (number, [low, high], {what: n})."""
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return "–".join(fmt_number(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {fmt_number(v)}" for k, v in value.items() if v is not None)
    return fmt_number(value)


def headline(title: str | None, limit: int = 160) -> str:
    """First non-empty line of a title, shortened: some sources glue byline and lede onto the title."""
    line = next((ln.strip() for ln in (title or "").splitlines() if ln.strip()), "")
    if not line:
        return "(untitled)"
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def bare_address(address: str | None) -> str:
    """A source address without its scheme: it names the source without making the file link out."""
    text = (address or "").strip()
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", text, flags=re.IGNORECASE) or "—"


_DATE_CHARS = {"year": 4, "decade": 4, "month": 7, "quarter": 7}


def fmt_date(date: str | None, precision: str | None) -> str:
    """A date only as precise as its source: '2024' for "in 2024", not '2024-01-01'."""
    if not date:
        return "undated"
    if precision == "week":
        return f"week of {date[:10]}"
    if precision == "decade":
        return f"{date[:3]}0s"
    return date[: _DATE_CHARS.get(precision or "day", 10)]


def split_notes(notes: str | None) -> list[str]:
    """Reconcile's '; '-joined notes as separate items; separators inside brackets stay put."""
    items: list[str] = []
    depth, start = 0, 0
    text = notes or ""
    for i, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]")
        if ch == ";" and depth <= 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [s.strip() for s in items if s.strip()]
