"""Fuzz target: date parsing resolved against a publication date (relative, weekday, parts, ranges)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import Finding, check_span, fuzz_main, logged_exceptions_raise, nlp, text_of, valid_iso_date

from rashomon.extract.dates import _matches, parse_dates, resolve
from rashomon.records import DateRef

MAX_CHARS = 600
_BASE = date(2025, 3, 12)
# Anchors at the ends of the calendar: a publication date is data, and data can be anything.
_EDGES = (None, date.min, date.max, date(1900, 1, 1), date(2024, 2, 29))


def anchor_of_bytes(head: bytes) -> date | None:
    """The publication date the first two bytes pick: an edge of the calendar, or a day near 2025."""
    if len(head) < 2:
        return _BASE
    n = int.from_bytes(head[:2], "big")
    if n < len(_EDGES) * 64:
        return _EDGES[n % len(_EDGES)]
    return _BASE + timedelta(days=n % 4000 - 2000)


def check(data: bytes) -> None:
    """Every date a valid ISO date with low <= value <= high; every resolver survives every direction."""
    anchor = anchor_of_bytes(data[:2])
    text = text_of(data[2:])[:MAX_CHARS]
    with logged_exceptions_raise():
        found = parse_dates(nlp()(text), anchor)
    for d in found:
        check_date(text, d)
    for _start, _end, m, fn in _matches(text):
        for direction in (-1, 0, 1):
            resolve(fn, m.groupdict(), anchor, direction)


def check_date(text: str, d: DateRef) -> None:
    """Offsets that point at the expression; value, low and high valid dates in order."""
    check_span(text, d.start, d.end, d.text)
    got = {k: valid_iso_date(v) for k in ("value", "low", "high") if (v := getattr(d, k)) is not None}
    if "low" in got and "high" in got and got["low"] > got["high"]:
        raise Finding(f"{d.text!r}: low {d.low} > high {d.high}")
    if "value" in got and "low" in got and "high" in got and not got["low"] <= got["value"] <= got["high"]:
        raise Finding(f"{d.text!r}: value {d.value} outside {d.low}..{d.high}")


def seeds() -> Iterator[bytes]:
    head = (4000).to_bytes(2, "big")
    yield (head + b"Militants were killed on 3 March and since 28 February; by March-end, mid-2024 and in 2024 alone.")
    yield (head + b"A five-day deadline that expires on April 9. Last Friday, next week, three days ago, early 2025.")
    yield (head + b"Between January and March 2024, over the past two weeks, within 48 hours, the 1990s, yesterday.")
    yield (b"\x00\x02" + b"On Monday the army said it will act next month; late December; June 5-7, 2023.")


if __name__ == "__main__":
    fuzz_main(check, needs_nlp=True)
