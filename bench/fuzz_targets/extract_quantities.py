"""Fuzz target: quantity parsing (digits, number words, scales, ranges, qualifiers, vague counts, money)."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import Finding, check_span, fuzz_main, logged_exceptions_raise, nlp, text_of

from rashomon.extract.quantities import parse_number, parse_quantities
from rashomon.records import Quantity

MAX_CHARS = 600  # the parse dominates the cost; short texts keep the fuzzer fast


def check(data: bytes) -> None:
    """No figure breaks the record's rules; an extractor error it only logged counts as a crash."""
    text = text_of(data)[:MAX_CHARS]
    _number(text)
    with logged_exceptions_raise():
        found = parse_quantities(nlp()(text))
    for q in found:
        check_quantity(text, q)


def _number(text: str) -> None:
    value = parse_number(text)
    if value is not None and (not math.isfinite(value) or value < 0):
        raise Finding(f"parse_number({text!r}) = {value}")


def check_quantity(text: str, q: Quantity) -> None:
    """Finite, non-negative, low <= value-or-bound <= high, and offsets that point at the figure."""
    check_span(text, q.start, q.end, q.text)
    for name in ("value", "low", "high"):
        v = getattr(q, name)
        if v is not None and (not math.isfinite(v) or v < 0):
            raise Finding(f"{q.text!r}: {name} = {v}")
    if q.low is not None and q.high is not None and q.low > q.high:
        raise Finding(f"{q.text!r}: low {q.low} > high {q.high}")
    if q.qualifier == "range" and (q.low is None or q.high is None):
        raise Finding(f"{q.text!r}: a range without both ends")


def seeds() -> Iterator[bytes]:
    yield b"At least 40 militants and dozens of civilians were killed; between 20 and 30 were wounded."
    yield b"The group said it killed over fifty soldiers and took twenty-five hostage, Rs 3.5 million."
    yield b"Fewer than 10 died; $2,000-$3,000 each; nearly 500 in 2024; 2 to 3 million displaced; 12%."
    yield b"One hundred and two people, a dozen guards, tens of thousands fled, 5m dollars, 3bn."


if __name__ == "__main__":
    fuzz_main(check, needs_nlp=True)
