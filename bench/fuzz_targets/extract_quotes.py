"""Fuzz target: quote splitting (straight, curly, low and guillemet marks; unbalanced; over paragraphs)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import Finding, check_span, fuzz_main, text_of

from rashomon.extract.quotes import (
    find_quotes,
    inside,
    overlapping,
    paragraphs,
    quote_text,
)


def check(data: bytes) -> None:
    """Quotes in order, disjoint, inside the text, marks outside the inner span; quote_text never raises."""
    text = text_of(data)
    quotes = find_quotes(text)
    prev_end = -1
    for q in quotes:
        check_span(text, q.start, q.end)
        if not q.start <= q.inner_start < q.inner_end <= q.end:
            raise Finding(f"inner span {q.inner_start}-{q.inner_end} not inside {q.start}-{q.end}")
        if q.start < prev_end:
            raise Finding(f"quote at {q.start} overlaps the previous one ending at {prev_end}")
        if q.paragraphs < 1:
            raise Finding(f"quote over {q.paragraphs} paragraphs")
        prev_end = q.end
        quote_text(text, q)
        if inside(quotes, q.inner_start, q.inner_end) is not q or q not in overlapping(quotes, q.start, q.end):
            raise Finding(f"quote at {q.start} not found by its own span")
    for start, end in paragraphs(text):
        check_span(text, start, end)


def seeds() -> Iterator[bytes]:
    yield '"We hold no one," the spokesman said. “Not one.”'.encode()
    yield "He said: “It is fake.\n\n“We have them all,” he added.".encode()
    yield b'A man in the video says "we are here\nThe army denied it.'
    yield "«Nous», dit-il. „Ja“ and ''doubled'' and ``typewriter''.".encode()


if __name__ == "__main__":
    fuzz_main(check)
