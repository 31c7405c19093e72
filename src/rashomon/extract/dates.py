"""Dates in an article, resolved against its publication date, as :class:`DateRef` records.

Expressions are found with patterns over the text (month names and weekdays must be capitalised, as
news copy writes them, so the verb "may" is never a month); the governing verb's tense in the parse
says which way an incomplete date points. Vocabularies live in ``data/lexicons/date_*``.

Resolution rules (the anchor is the publication date; without one only absolute dates resolve, the
others are still listed with ``value`` None):

- "3 March" / "March 3" without a year: the year that puts it nearest the anchor in the tense's
  direction (past: on or before the anchor; future: on or after; present or unknown: nearest).
- Weekdays: past or unknown tense -> the latest such day on or before the anchor (the anchor itself
  included: wire copy names same-day events by weekday); future tense -> the next one strictly after;
  "last Friday" strictly before, "next Friday" strictly after.
- "early/mid/late March": days 1-10 / 11-20 / 21-end, precision month; "early/mid/late 2024":
  Jan-Apr / May-Aug / Sep-Dec, precision month ("mid-2024" -> 2024-05-01..2024-08-31).
- "March-end" / "end of March": value the last day, low the last day minus six, precision week;
  "start of March": the first seven days, value the first; "end of 2024": December, value Dec 31.
- "last week" / "this week": that Monday-Sunday; "over the past week": anchor-7 .. anchor, precision week;
  "last month" / "this year": the calendar month / year; "three days ago": the day.
- "since X": kind since, low X, high the anchor; "until/till X": kind until; "within 48 hours" and dates
  governed by a deadline word ("a deadline that expires on April 9"): kind deadline, value the expiry day.
- ``value`` is the point, or the start of a range (except "end of" forms, where the end is the point);
  ``kind`` is "point" when low == high, else "range", unless one of the kinds above applies.
"""

from __future__ import annotations

import calendar
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from rashomon.extract.quantities import parse_number
from rashomon.extract.sentences import doc_text
from rashomon.lexicon import load_list, load_map
from rashomon.records import DateRef, Extraction
from rashomon.registry import register

log = logging.getLogger(__name__)

Direction = int  # -1 past, 0 unknown / present, +1 future


@dataclass(slots=True)
class _Res:
    """A resolved date before it becomes a record."""

    value: date | None
    low: date | None
    high: date | None
    precision: str
    kind: str | None = None


# ---------------------------------------------------------------- lexicons


def _int_map(name: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for k, v in load_map(name).items():
        try:
            out[k] = int(v)
        except ValueError:
            log.warning("lexicon %s: value %r for %r is not an integer", name, v, k)
    return out


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    return _int_map("date_months")


@lru_cache(maxsize=1)
def _weekdays() -> dict[str, int]:
    return _int_map("date_weekdays")


@lru_cache(maxsize=1)
def _rel_days() -> dict[str, int]:
    return _int_map("date_relative_days")


@lru_cache(maxsize=1)
def _units() -> dict[str, float]:
    out: dict[str, float] = {}
    for k, v in load_map("date_period_units").items():
        try:
            out[k] = float(v)
        except ValueError:
            log.warning(
                "lexicon date_period_units: value %r for %r is not a number", v, k
            )
    return out


def _alt(words: list[str], title: bool = False) -> str:
    """Alternation, longest first; ``title`` makes each entry match only capitalised (or upper) case."""
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        esc = re.escape(w).replace(r"\ ", r"\s+")
        out.append(
            f"(?:{esc[0].upper()}{esc[1:]}|{esc.upper()})" if title else f"(?i:{esc})"
        )
    return "|".join(out) or r"(?!x)x"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], Callable[..., _Res | None]]]:
    """(pattern, resolver) pairs; earlier and longer matches win overlaps."""
    mon = rf"(?P<m>{_alt(list(_months()), title=True)})\.?"
    full = rf"(?P<m>{_alt([k for k in _months() if len(k) >= 5 or k in ('may', 'june', 'july')], title=True)})"
    wd = rf"(?P<w>{_alt(list(_weekdays()), title=True)})"
    yr = r"(?P<y>(?:1[89]|20)\d\d)(?!\d)"
    day = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d,]\d)"
    parts = _alt(list(load_map("date_parts")))
    units = _alt(list(_units()))
    num = r"(?P<n>\d+|(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|forty-eight|seventy-two))"
    rel = _alt(list(_rel_days()))
    b = r"(?<![\w-])"
    e = r"(?![\w])"
    raw: list[tuple[str, Callable[..., _Res | None]]] = [
        (rf"{b}(?P<y>\d{{4}})-(?P<mo>\d\d)-(?P<d>\d\d){e}", _iso),
        (
            rf"{b}(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*{day}\s+(?:of\s+)?{mon}(?:,?\s+{yr})?{e}",
            _day_range,
        ),
        (
            rf"{b}{mon}\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*{day}(?:,?\s+{yr})?{e}",
            _day_range,
        ),
        (
            rf"{b}(?:(?i:on)\s+)?(?:{wd},?\s+)?{day}\s+(?:of\s+)?{mon}(?:,?\s+{yr})?{e}",
            _day_month,
        ),
        (
            rf"{b}(?:(?i:on)\s+)?(?:{wd},?\s+)?{mon}\s+{day}(?:,?\s+{yr})?{e}",
            _day_month,
        ),
        (
            (
                rf"{b}(?:(?i:between|from)\s+)?{full.replace('?P<m>', '?P<m1>')}(?:,?\s+(?P<y1>(?:1[89]|20)\d\d))?"
                rf"(?:\s+(?i:and|to|until|till|through)\s+|\s*[-–]\s*){full}(?:,?\s+{yr})?{e}"
            ),
            _month_range,
        ),
        (rf"{b}(?P<part>{parts})[\s-]+{mon}(?:,?\s+{yr})?{e}", _part_month),
        (rf"{b}{mon}[\s-](?i:end){e}", _month_end),
        (rf"{b}(?P<part>{parts})[\s-]+{yr}{e}", _part_year),
        (rf"{b}{mon},?\s+{yr}{e}", _month_year),
        (
            rf"{b}(?P<mod>(?i:last|next|this|coming|past|previous))\s+{mon}{e}",
            _month_alone,
        ),
        (
            rf"(?P<pre>\b(?i:in|by|of|on|since|until|till|from|during|before|after|the)\s+){full}(?!\s+(?:\d|of\s))",
            _month_alone,
        ),
        (rf"{b}(?i:the\s+)?(?P<dec>(?:1[89]|20)\d0)(?:'?s){e}", _decade),
        (
            rf"(?P<pre>\b(?i:in|of|by|since|until|till|from|during|before|after|through|throughout|year)\s+){yr}(?P<alone>\s+(?i:alone))?(?![\w-])",
            _year,
        ),
        (
            rf"{b}(?i:(?P<mod>last|next|this|coming|past)\s+|on\s+)?{wd}(?:\s+(?i:night|morning|afternoon|evening))?{e}",
            _weekday,
        ),
        (rf"{b}(?P<rel>{rel}){e}", _relative_day),
        (
            rf"{b}(?P<mod>(?i:earlier\s+this|later\s+this|last|this|next|past|previous|coming))\s+(?P<u>(?i:week|weekend|month|year)){e}",
            _relative_period,
        ),
        (
            rf"{b}(?i:(?:over|in|during|for|within)\s+)?(?i:the\s+)(?P<dir>(?i:past|last|previous|next|coming))\s+{num}[\s-]+(?P<u>{units}){e}",
            _lookback,
        ),
        (
            rf"{b}(?P<dir>(?i:over|in|during)\s+the\s+(?i:past|last|previous))\s+(?P<u>(?i:week|month|year|fortnight|day)){e}",
            _lookback,
        ),
        (rf"{b}{num}[\s-]+(?P<u>{units})\s+(?i:ago){e}", _ago),
        (rf"{b}(?i:within)\s+(?:the\s+next\s+)?{num}[\s-]+(?P<u>{units}){e}", _within),
    ]
    return [(re.compile(p), f) for p, f in raw]


# ---------------------------------------------------------------- calendar helpers


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_last(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _pick_year(m: int, d: int, anchor: date | None, direction: Direction) -> int | None:
    """The year for a month-day that keeps it nearest the anchor in the tense's direction."""
    if anchor is None:
        return None
    cands = [
        c
        for y in (anchor.year - 1, anchor.year, anchor.year + 1)
        if (c := _safe(y, m, d)) is not None
    ]
    if not cands:
        return None
    if direction < 0:
        past = [c for c in cands if c <= anchor]
        if past:
            return max(past).year
    elif direction > 0:
        fut = [c for c in cands if c >= anchor]
        if fut:
            return min(fut).year
    return min(cands, key=lambda c: (abs((c - anchor).days), c > anchor)).year


def _year_of(
    g: dict[str, str | None], m: int, d: int, anchor: date | None, direction: Direction
) -> int | None:
    if g.get("y"):
        return int(g["y"])  # type: ignore[arg-type]
    return _pick_year(m, d, anchor, direction)


def _span(
    lo: date | None, hi: date | None, precision: str, value: date | None = None
) -> _Res:
    return _Res(value or lo, lo, hi, precision)


def _month_num(g: dict[str, str | None]) -> int:
    return _months()[(g["m"] or "").lower().rstrip(".")]


# ---------------------------------------------------------------- resolvers (g, anchor, direction)


def _iso(g: dict[str, Any], anchor: date | None, direction: Direction) -> _Res | None:
    d = _safe(int(g["y"]), int(g["mo"]), int(g["d"]))
    return _span(d, d, "day") if d else None


def _day_month(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    m, d = _month_num(g), int(g["d"])
    if not 1 <= d <= 31:
        return None
    if g.get("w") and not g.get("y") and anchor is not None:
        direction = direction or -1
    y = _year_of(g, m, d, anchor, direction)
    if y is None:
        return _Res(None, None, None, "day")
    dt = _safe(y, m, d)
    return _span(dt, dt, "day") if dt else None


def _day_range(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    m, d1, d2 = _month_num(g), int(g["d1"]), int(g["d"])
    if not 1 <= d1 < d2 <= 31:
        return None
    y = _year_of(g, m, d1, anchor, direction)
    if y is None:
        return _Res(None, None, None, "day")
    lo, hi = _safe(y, m, d1), _safe(y, m, d2)
    return _span(lo, hi, "day") if lo and hi else None


def _part_bounds(part: str, y: int, m: int | None) -> tuple[date, date, date, str]:
    """(low, high, value, precision) for a part of a month (m given) or of a year."""
    if m is not None:
        last = _month_last(y, m)
        table = {
            "early": (date(y, m, 1), date(y, m, 10)),
            "mid": (date(y, m, 11), date(y, m, 20)),
            "late": (date(y, m, 21), last),
            "start": (date(y, m, 1), date(y, m, 7)),
            "end": (last - timedelta(days=6), last),
        }
        lo, hi = table.get(part, (date(y, m, 1), last))
        prec = "week" if part in ("start", "end") else "month"
        return lo, hi, (hi if part == "end" else lo), prec
    ytable = {
        "early": ((1, 1), (4, 30)),
        "mid": ((5, 1), (8, 31)),
        "late": ((9, 1), (12, 31)),
        "start": ((1, 1), (1, 31)),
        "end": ((12, 1), (12, 31)),
    }
    (m1, d1), (m2, d2) = ytable.get(part, ((1, 1), (12, 31)))
    lo, hi = date(y, m1, d1), date(y, m2, d2)
    return lo, hi, (hi if part == "end" else lo), "month"


def _part(g: dict[str, Any]) -> str:
    return load_map("date_parts").get(
        " ".join((g.get("part") or "").lower().split()), ""
    )


def _part_month(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    m = _month_num(g)
    y = _year_of(g, m, 1, anchor, direction)  # the month had begun if it is past
    if y is None:
        return _Res(None, None, None, "month")
    lo, hi, val, prec = _part_bounds(_part(g), y, m)
    return _Res(val, lo, hi, prec)


def _month_end(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    g = dict(g, part="end")
    return _part_month(g, anchor, direction)


def _part_year(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    lo, hi, val, prec = _part_bounds(_part(g), int(g["y"]), None)
    return _Res(val, lo, hi, prec)


def _month_year(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    y, m = int(g["y"]), _month_num(g)
    return _span(date(y, m, 1), _month_last(y, m), "month")


def _month_range(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    """ "between January and March (2024)", "from May to July", "January-March": months as one range.

    The year written (or the one the closing month resolves to) belongs to the closing month; the
    opening month falls in the year before when it comes later in the calendar ("November to February").
    """
    m1, m2 = _months()[g["m1"].lower()], _month_num(g)
    if m1 == m2:
        return None
    if g.get("y"):
        y2 = int(g["y"])
    else:
        end = _month_alone({"m": g["m"]}, anchor, direction)
        if end is None or end.high is None:
            return _Res(None, None, None, "month")
        y2 = end.high.year
    y1 = int(g["y1"]) if g.get("y1") else (y2 if m1 < m2 else y2 - 1)
    return _span(date(y1, m1, 1), _month_last(y2, m2), "month")


def _month_alone(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    m = _month_num(g)
    mod = (g.get("mod") or "").lower()
    if mod in ("last", "past", "previous"):
        direction = -1
    elif mod in ("next", "coming"):
        direction = 1
    if anchor is None:
        return _Res(None, None, None, "month")
    if direction < 0:
        y = anchor.year if m <= anchor.month else anchor.year - 1
        if mod and m == anchor.month:
            y -= 1
    elif direction > 0:
        y = anchor.year if m >= anchor.month else anchor.year + 1
        if mod and m == anchor.month:
            y += 1
    else:
        y = _pick_year(m, 15, anchor, 0) or anchor.year
    return _span(date(y, m, 1), _month_last(y, m), "month")


def _decade(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    y = int(g["dec"])
    return _span(date(y, 1, 1), date(y + 9, 12, 31), "decade")


def _year(g: dict[str, Any], anchor: date | None, direction: Direction) -> _Res | None:
    y = int(g["y"])
    return _span(date(y, 1, 1), date(y, 12, 31), "year")


def _weekday(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    if anchor is None:
        return _Res(None, None, None, "day")
    wd = _weekdays()[(g["w"] or "").lower()]
    mod = (g.get("mod") or "").lower()
    back = (anchor.weekday() - wd) % 7
    fwd = (wd - anchor.weekday()) % 7
    if mod in ("last", "past"):
        d = anchor - timedelta(days=back or 7)
    elif mod in ("next", "coming") or direction > 0:
        d = anchor + timedelta(days=fwd or 7)
    else:
        d = anchor - timedelta(days=back)
    return _span(d, d, "day")


def _relative_day(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    if anchor is None:
        return _Res(None, None, None, "day")
    d = anchor + timedelta(days=_rel_days()[" ".join(g["rel"].lower().split())])
    return _span(d, d, "day")


def _relative_period(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    unit = g["u"].lower()
    mod = " ".join(g["mod"].lower().split())
    prec = "week" if unit in ("week", "weekend") else unit
    if anchor is None:
        return _Res(None, None, None, prec)
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(mod, 0)
    if unit in ("week", "weekend"):
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
        if unit == "weekend":
            sat = monday + timedelta(days=5)
            if step == 0 and sat > anchor:
                sat -= timedelta(weeks=1)
            return _span(sat, sat + timedelta(days=1), "week")
        if mod == "past":
            return _span(anchor - timedelta(days=7), anchor, "week")
        lo, hi = monday, monday + timedelta(days=6)
    elif unit == "month":
        y, m = divmod(anchor.year * 12 + anchor.month - 1 + step, 12)
        lo, hi = date(y, m + 1, 1), _month_last(y, m + 1)
    else:
        y = anchor.year + step
        lo, hi = date(y, 1, 1), date(y, 12, 31)
    if mod.startswith("earlier"):
        hi = anchor
    elif mod.startswith("later"):
        lo = anchor
    return _span(lo, hi, prec)


def _count(g: dict[str, Any]) -> float | None:
    n = (g.get("n") or "").lower()
    if n in ("a", "an", ""):
        return 1.0
    return parse_number(n)


def _days(g: dict[str, Any]) -> tuple[float, str] | None:
    n = _count(g)
    unit = (g.get("u") or "").lower()
    per = _units().get(unit)
    if n is None or per is None or not math.isfinite(n * per) or n * per > 365 * 200:
        return None
    prec = (
        "day"
        if per <= 1
        else ("week" if per <= 14 else ("month" if per <= 31 else "year"))
    )
    return n * per, prec


def _lookback(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    got = _days(g)
    if got is None:
        return None
    span_days, prec = got
    if prec == "day" and span_days >= 7:
        prec = "week"
    if anchor is None:
        return _Res(None, None, None, prec)
    n = timedelta(days=math.ceil(round(span_days, 3)))
    if (g.get("dir") or "").lower() in ("next", "coming"):
        return _span(anchor, anchor + n, prec)
    return _span(anchor - n, anchor, prec)


def _ago(g: dict[str, Any], anchor: date | None, direction: Direction) -> _Res | None:
    got = _days(g)
    if got is None:
        return None
    span_days, prec = got
    if anchor is None:
        return _Res(None, None, None, prec)
    d = anchor - timedelta(days=round(span_days))
    return _span(d, d, prec)


def _within(
    g: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    got = _days(g)
    if got is None:
        return None
    span_days, _ = got
    if anchor is None:
        return _Res(None, None, None, "day", "deadline")
    end = anchor + timedelta(days=math.ceil(round(span_days, 3)))
    return _Res(end, anchor, end, "day", "deadline")


# ---------------------------------------------------------------- parse-based context


def _governor(doc: Any, start: int, end: int) -> Any | None:
    """The verb that governs the date expression (or None)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    cur = span.root
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head == cur:
            return None
        cur = cur.head
    return None


def _direction(verb: Any | None) -> Direction:
    """Past (-1), future (+1) or unknown (0) from the verb's morphology and auxiliaries."""
    if verb is None:
        return 0
    future = load_list("date_future_aux")
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in future for c in verb.children):
        return 1
    if verb.lemma_.lower() in load_list("date_deadline_cues"):
        return 1
    if "Past" in verb.morph.get("Tense") and verb.tag_ == "VBD":
        return -1
    if any(
        c.dep_ in ("aux", "auxpass") and "Past" in c.morph.get("Tense")
        for c in verb.children
    ):
        return -1
    if verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children
    ):
        return -1
    if verb.tag_ == "VBN" and verb.dep_ in ("ROOT", "ccomp", "relcl", "conj", "advcl"):
        return -1
    return 0


def _is_deadline(doc: Any, start: int, end: int) -> bool:
    """A deadline word governs the date ("a deadline that expires on April 9", "due by Friday")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    cues = load_list("date_deadline_cues")
    cur = span.root
    for _ in range(4):
        if cur.lemma_.lower() in cues or cur.lower_ in cues:
            return True
        if cur.head == cur:
            return False
        cur = cur.head
    return False


_SINCE = re.compile(r"(?i)\b(?P<k>since|until|till|through|from)\s+$")


# ---------------------------------------------------------------- scan


def _matches(
    text: str,
) -> list[tuple[int, int, re.Match[str], Callable[..., _Res | None]]]:
    """Non-overlapping pattern matches: longest first, then leftmost."""
    found: list[tuple[int, int, re.Match[str], Callable[..., _Res | None]]] = []
    for order, (pat, fn) in enumerate(_patterns()):
        for m in pat.finditer(text):
            start = (
                m.end("pre")
                if "pre" in pat.groupindex and m.group("pre")
                else m.start()
            )
            end = (
                m.end() - 1 if m.group(0).endswith(".") else m.end()
            )  # a sentence's full stop
            if end > start:
                found.append((start, end, m, fn))
    found.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    taken: list[tuple[int, int, re.Match[str], Callable[..., _Res | None]]] = []
    for item in found:
        if all(item[1] <= s or item[0] >= e for s, e, _, _ in taken):
            taken.append(item)
    taken.sort(key=lambda t: t[0])
    return taken


def _iso_or_none(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _record(doc: Any, start: int, end: int, res: _Res, anchor: date | None) -> DateRef:
    """Apply "since/until" and deadline context, then build the record."""
    text = doc_text(doc)
    kind = res.kind
    pre = _SINCE.search(text, max(0, start - 10), start)
    if kind is None and pre and pre.group("k").lower() == "since":
        kind, start = "since", pre.start("k")
        low = res.low or res.value
        res = _Res(low, low, anchor if anchor and low and low <= anchor else None, res.precision)
    elif (
        kind is None and pre and pre.group("k").lower() in ("until", "till", "through")
    ):
        kind, start = "until", pre.start("k")
    if kind is None and _is_deadline(doc, start, end):
        kind = "deadline"
    if kind is None:
        kind = "point" if res.low is not None and res.low == res.high else "range"
        if res.low is None:
            kind = None
    return DateRef(
        text=text[start:end],
        value=_iso_or_none(res.value),
        low=_iso_or_none(res.low),
        high=_iso_or_none(res.high),
        precision=res.precision,  # type: ignore[arg-type]
        kind=kind,
        start=start,
        end=end,
    )


def _dated_ents(doc: Any, taken: list[tuple[int, int]]) -> list[DateRef]:
    """spaCy DATE entities our patterns missed but that clearly name a date: listed, unresolved."""
    out: list[DateRef] = []
    date_words = set(_months()) | set(_weekdays())
    for ent in getattr(doc, "ents", ()):
        if ent.label_ != "DATE" or any(
            ent.start_char < e and ent.end_char > s for s, e in taken
        ):
            continue
        words = {t.lower_.rstrip(".") for t in ent}
        if words & date_words and any(
            t.text[:1].isupper() for t in ent if t.lower_.rstrip(".") in date_words
        ):
            out.append(
                DateRef(
                    ent.text,
                    None,
                    None,
                    None,
                    "unknown",
                    None,
                    ent.start_char,
                    ent.end_char,
                )
            )
    return out


def resolve(
    fn: Callable[..., _Res | None], groups: dict[str, Any], anchor: date | None, direction: Direction
) -> _Res | None:
    """One resolver; None when the date would leave the calendar (an anchor near year 1 or 9999).

    Why here and not in every resolver: each steps from the anchor by days, weeks, months or years,
    and any of those steps can overflow ``date``; such a date names nothing a reader could check.
    """
    try:
        return fn(groups, anchor, direction)
    except (OverflowError, ValueError):
        return None


def _since_before(text: str, start: int) -> bool:
    pre = _SINCE.search(text, max(0, start - 10), start)
    return pre is not None and pre.group("k").lower() == "since"


def parse_dates(doc: Any, anchor: date | None) -> list[DateRef]:
    """Every date expression in the Doc, in text order, resolved against ``anchor``. Never raises."""
    out: list[DateRef] = []
    try:
        found = _matches(doc_text(doc))
    except Exception:
        log.exception("date scan failed")
        return out
    text = doc_text(doc)
    for start, end, m, fn in found:
        try:
            direction = _direction(_governor(doc, start, end))
            if direction == 0 and _is_deadline(doc, start, end):
                direction = 1
            if _since_before(text, start):
                direction = -1  # "since X": X lies before the publication date
            res = resolve(fn, m.groupdict(), anchor, direction)
            if res is not None:
                out.append(_record(doc, start, end, res, anchor))
        except Exception:
            log.exception("date %r skipped", m.group(0))
    try:
        out.extend(_dated_ents(doc, [(d.start, d.end) for d in out]))
    except Exception:
        log.exception("date entities skipped")
    out.sort(key=lambda d: d.start)
    return out


def anchor_of(published: str | None) -> date | None:
    """The publication date as a ``date``; None when absent or unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        log.warning(
            "unreadable publication date %r; relative dates left unresolved", published
        )
        return None


@register("extract", "dates")
def extract_dates(ex: Extraction, doc: Any) -> None:
    """Pipeline stage: append every date of the article, anchored on its publication date."""
    ex.dates.extend(parse_dates(doc, anchor_of(ex.article.published)))
