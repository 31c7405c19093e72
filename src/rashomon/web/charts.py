"""Server-rendered SVG timeline of a story's dated items (incidents, statements, deadlines, publications).

Why server-rendered SVG: the briefing and the web app work offline with no script, and the chart must
print into the PDF. Each kind of item gets its own lane; a day is a dot, a coarser date ("in 2024",
"mid-2024", "last week") is a bar over the whole period it can mean, so a year is never drawn as
1 January. The axis covers the day- and week-precise items (the story itself); a coarse or old item
outside that span ("since 2019") is pinned to the edge with its date in the label instead of
squashing the rest into a corner. Labels are truncated and staggered over a few rows, and dropped
(the tooltip keeps them) when no row has room; every mark has a ``<title>`` with date, kind, text and
source. Undated items are skipped.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from rashomon.records import TimelineItem
from rashomon.web.fmt import fmt_date
from rashomon.web.svg import Boxes, el, num, svg_root, text, text_width, title, truncate

__all__ = ["timeline_svg"]

WIDTH, LEFT, RIGHT, TOP = 960.0, 104.0, 28.0, 34.0
MARK_H, LEVEL_H, LEVELS, LABEL_SIZE, LABEL_CHARS = 12.0, 14.0, 3, 11.0, 34
KIND_ORDER = ("incident", "statement", "deadline", "published")
COLOURS = {"incident": "#c62828", "statement": "#1f6feb", "deadline": "#b26a00", "published": "#5d6675"}
OTHER_COLOUR = "#6b4fa0"
CORE_PRECISIONS = {"day", "week", None, "unknown"}  # what the axis is fitted to
PERIODS = {"week", "month", "quarter", "year", "decade"}  # drawn as bars over the period


@dataclass(slots=True)
class _Span:
    """An item with the period its date can mean: [start, end) in days."""

    item: TimelineItem
    start: date
    end: date

    @property
    def precise(self) -> bool:
        return self.item.precision in CORE_PRECISIONS

    @property
    def dot(self) -> bool:
        return self.item.precision not in PERIODS


def _parse(value: str | None) -> date | None:
    """'2025-03-03', '2025-03' or '2025' (anything after the date is ignored); None when unreadable."""
    parts = (value or "").strip()[:10].split("-")
    try:
        nums = [int(p) for p in parts if p]
        d = date(nums[0], nums[1] if len(nums) > 1 else 1, nums[2] if len(nums) > 2 else 1) if nums else None
    except (ValueError, IndexError):
        return None
    return d if d is not None and 1000 <= d.year <= 9000 else None  # room for padding; no news is dated 0001


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, min(d.day, calendar.monthrange(d.year + y, m + 1)[1]))


def _period(item: TimelineItem) -> _Span | None:
    """The span of time an item's date stands for, by its precision."""
    start = _parse(item.date)
    if start is None:
        return None
    p = item.precision
    if p in ("month", "quarter"):
        start = start.replace(day=1)
        end = _add_months(start, 1 if p == "month" else 3)
    elif p in ("year", "decade"):
        start = date(start.year - start.year % 10 if p == "decade" else start.year, 1, 1)
        end = date(min(start.year + (10 if p == "decade" else 1), 9999), 1, 1)
    else:
        end = start + timedelta(days=7 if p == "week" else 1)
    return _Span(item, start, end)


def _domain(spans: Sequence[_Span]) -> tuple[date, date]:
    """The axis: the precise items' span (all items' when none is precise), padded a little."""
    core = [s for s in spans if s.precise] or list(spans)
    lo, hi = min(s.start for s in core), max(s.end for s in core)
    pad = timedelta(days=max(1, (hi - lo).days // 25))
    return lo - pad, hi + pad


_STEPS_DAYS = (1, 2, 7, 14)
_STEPS_MONTHS = (1, 2, 3, 6, 12, 24, 60, 120, 600)


def _ticks(lo: date, hi: date, most: int = 9) -> list[tuple[date, str]]:
    """Calendar-aligned ticks (days, weeks, months or years) for the smallest step giving <= ``most``."""
    days = (hi - lo).days
    for step in _STEPS_DAYS:
        if days / step <= most:
            first = lo + timedelta(days=(-lo.toordinal() % step) if step == 7 else 0)
            steps = [first + timedelta(days=i * step) for i in range(days // step + 2)]
            return [(d, f"{d.day} {d:%b}") for d in steps if lo <= d <= hi]
    for months in _STEPS_MONTHS:
        if days / (30.4 * months) <= most:
            cur = date(lo.year - lo.year % (months // 12) if months >= 12 else lo.year, 1, 1)
            out = []
            while cur <= hi:
                if cur >= lo:
                    out.append((cur, str(cur.year) if months >= 12 or cur.month == 1 else f"{cur:%b}"))
                cur = _add_months(cur, months)
            return out
    return [(lo, str(lo.year)), (hi, str(hi.year))]


@dataclass(slots=True)
class _Scale:
    lo: date
    hi: date

    def x(self, d: date) -> float:
        span = max(1, (self.hi - self.lo).days)
        return LEFT + (WIDTH - LEFT - RIGHT) * (d - self.lo).days / span

    def clamp(self, d: date) -> float:
        return min(max(self.x(d), LEFT), WIDTH - RIGHT)


def _lanes(spans: Sequence[_Span]) -> list[str]:
    kinds = {s.item.kind for s in spans}
    return [k for k in KIND_ORDER if k in kinds] + sorted(kinds - set(KIND_ORDER))


def _tooltip(s: _Span, sources: Mapping[str, str]) -> str:
    source = sources.get(s.item.article_id)
    when = fmt_date(s.item.date, s.item.precision)
    return f"{when} · {s.item.kind} · {s.item.text}" + (f" — source: {source}" if source else "")


def _mark(s: _Span, scale: _Scale, y: float, colour: str, slot: tuple[int, int]) -> tuple[str, float, bool]:
    """The mark for one item, the x its label starts at, and whether it lies outside the axis.

    A day is a dot; items of one day share the day's width (``slot`` = index, count) so none hides another.
    """
    x0, x1 = scale.clamp(s.start), scale.clamp(s.end)
    if s.end <= scale.lo or s.start >= scale.hi:  # pinned to the edge: a small arrow pointing out of the axis
        d = -1 if s.start < scale.lo else 1
        tip = x0 + 5 * d
        path = f"M{num(tip)},{num(y)} L{num(tip - 8 * d)},{num(y - 5)} L{num(tip - 8 * d)},{num(y + 5)} Z"
        return el("path", d=path, fill=colour, opacity="0.75"), x0 if d > 0 else x0 + 2, True
    if s.dot or x1 - x0 < 6:
        i, n = slot
        cx = x0 + (x1 - x0) * (i + 0.5) / n if x1 - x0 >= 3 * n else (x0 + x1) / 2
        return el("circle", cx=cx, cy=y, r="4.5", fill=colour, stroke="#fff", stroke_width="1"), cx - 3, False
    return (el("rect", x=x0, y=y - 4.5, width=x1 - x0, height="9", rx="3", fill=colour, fill_opacity="0.22",
               stroke=colour, stroke_width="1"), x0, False)


def _label(s: _Span, x: float, outside: bool, lane_y: float, boxes: Boxes) -> str:
    """A truncated label on the first free row under the lane's marks; none when no row has room."""
    words = s.item.text if not outside else f"{fmt_date(s.item.date, s.item.precision)}: {s.item.text}"
    for chars in (LABEL_CHARS, LABEL_CHARS // 2):
        label = truncate(words, chars)
        w = text_width(label, LABEL_SIZE)
        x0 = min(max(LEFT, x), WIDTH - RIGHT - w) if not outside or x < WIDTH / 2 else max(LEFT, x - w)
        for level in range(LEVELS):
            y = lane_y + MARK_H + 10 + level * LEVEL_H
            if boxes.take((x0, y - LABEL_SIZE, x0 + w, y)):
                return text(label, x=x0, y=y, font_size=num(LABEL_SIZE), fill="#3c4454")
    return ""


def _lane(kind: str, spans: Sequence[_Span], scale: _Scale, y: float, sources: Mapping[str, str]) -> str:
    colour = COLOURS.get(kind, OTHER_COLOUR)
    parts = [text(f"{kind} ({len(spans)})", x=LEFT - 10, y=y + 4, font_size="12", text_anchor="end",
                  fill=colour, font_weight="600"),
             el("line", x1=LEFT, x2=WIDTH - RIGHT, y1=y, y2=y, stroke="#eef0f4", stroke_width="1")]
    boxes = Boxes()
    per_day = Counter(s.start for s in spans if s.dot)
    seen: Counter[date] = Counter()
    bars: list[str] = []
    dots: list[str] = []
    # Precise items first, so they get the label rows; coarse and pinned items take what is left.
    for s in sorted(spans, key=lambda s: (not s.precise, s.start, s.item.text)):
        seen[s.start] += s.dot
        mark, x, outside = _mark(s, scale, y, colour, (seen[s.start] - 1, max(1, per_day[s.start])))
        label = _label(s, x, outside, y, boxes)
        (dots if s.dot else bars).append(el("g", title(_tooltip(s, sources)) + mark + label,
                                            class_="timeline-item", data_kind=kind, data_date=s.item.date))
    return "".join(parts + bars + dots)  # dots drawn last, so no period bar hides a day


def _axis(scale: _Scale, bottom: float) -> str:
    parts = [el("line", x1=LEFT, x2=WIDTH - RIGHT, y1=TOP, y2=TOP, stroke="#9aa1ad", stroke_width="1")]
    for d, label in _ticks(scale.lo, scale.hi):
        x = scale.x(d)
        parts.append(el("line", x1=x, x2=x, y1=TOP - 4, y2=bottom, stroke="#e4e7ec", stroke_width="1"))
        parts.append(text(label, x=x, y=TOP - 9, font_size="11", text_anchor="middle", fill="#5d6675"))
    return el("g", "".join(parts), class_="axis")


def _empty(message: str) -> Markup:
    body = text(message, x=LEFT, y=24, font_size="13", fill="#5d6675", font_style="italic")
    return Markup(svg_root(body, WIDTH, 36, "timeline", message))


def timeline_svg(items: Sequence[TimelineItem], sources: Mapping[str, str] | None = None) -> Markup:
    """The timeline SVG; ``sources`` maps an item's article id to its outlet for the tooltips."""
    spans = [s for s in (_period(t) for t in items) if s is not None]
    if not spans:
        return _empty("No dated items.")
    scale = _Scale(*_domain(spans))
    lane_h = MARK_H + 14 + LEVELS * LEVEL_H
    lanes, y = [], TOP + 22
    for kind in _lanes(spans):
        lanes.append(_lane(kind, [s for s in spans if s.item.kind == kind], scale, y, sources or {}))
        y += lane_h
    height = y - lane_h + MARK_H + 10 + LEVELS * LEVEL_H
    label = f"Timeline of {len(spans)} dated items, {scale.lo:%d %b %Y} to {scale.hi:%d %b %Y}"
    return Markup(svg_root(_axis(scale, height - 6) + "".join(lanes), WIDTH, height, "timeline", label))
