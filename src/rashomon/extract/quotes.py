"""Find quotation spans over a whole article, robust to the marks real coverage uses.

Why a character scanner and not the parser: quote marks are typographic, not syntactic, and the
failure modes users hit (a missing closing mark swallowing the article, a quote continued over
paragraphs, straight vs curly marks) are about layout. Rules:

* straight ``"`` toggles; curly ``“``/``”``, low ``„`` and guillemets ``«``/``»`` open/close;
* a quote still open at a paragraph end continues only when the next paragraph opens with a quote
  mark (the press convention for multi-paragraph quotes); otherwise it ends at the paragraph end
  (``closed=False``), so it never swallows the rest of the article;
* single marks (``‘’'``) are not top-level quotes (apostrophes and nested quotes are ambiguous).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

OPEN_MARKS = frozenset("“„«")
CLOSE_MARKS = frozenset("”»")
STRAIGHT = '"'
ALL_MARKS = OPEN_MARKS | CLOSE_MARKS | {STRAIGHT}


@dataclass(slots=True, frozen=True)
class Quote:
    """One quotation: ``start``/``end`` include the marks, ``inner_*`` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool = True  # False when the closing mark was missing
    paragraphs: int = 1  # > 1 for a quote continued over paragraphs


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line/paragraph: a line break ends a paragraph in news text."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"\n", text):
        if text[pos : m.start()].strip():
            out.append(_strip_span(text, pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append(_strip_span(text, pos, len(text)))
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _scan(
    text: str, start: int, end: int, open_at: int | None
) -> tuple[list[tuple[int, int]], int | None]:
    """Quote (open, close) index pairs inside ``[start, end)``; returns the index still open, if any."""
    pairs: list[tuple[int, int]] = []
    for i in range(start, end):
        ch = text[i]
        if ch not in ALL_MARKS:
            continue
        if open_at is None:
            if ch not in CLOSE_MARKS:  # a stray closer is ignored
                open_at = i
        elif ch in OPEN_MARKS and text[open_at] in OPEN_MARKS:
            continue  # doubled or nested curly opener: keep the outer quote
        else:
            pairs.append((open_at, i))
            open_at = None
    return pairs, open_at


def _opens_paragraph(text: str, para: tuple[int, int] | None) -> bool:
    return (
        para is not None
        and text[para[0]] in ALL_MARKS
        and text[para[0]] not in CLOSE_MARKS
    )


def _fold_doubled_marks(text: str) -> str:
    """Typewriter doubles (``''`` and two backticks) as one straight mark, keeping every offset."""
    if "''" not in text and "``" not in text:
        return text
    return text.replace("''", ' "').replace("``", ' "')


def find_quotes(text: str) -> list[Quote]:
    """All top-level quotes in ``text``, in order; never raises, never crosses into an unrelated paragraph."""
    if not text:
        return []
    original, text = text, _fold_doubled_marks(text)
    paras = paragraphs(text)
    quotes: list[Quote] = []
    open_at: int | None = None
    n_par = 1
    for k, (p_start, p_end) in enumerate(paras):
        scan_from = p_start
        if (
            open_at is not None
        ):  # continuation paragraph: its opening mark is not a new quote
            scan_from = p_start + 1
            n_par += 1
        pairs, open_at = _scan(text, scan_from, p_end, open_at)
        for o, c in pairs:
            quotes.append(Quote(o, c + 1, o + 1, c, True, n_par if o < p_start else 1))
            if o < p_start:
                n_par = 1
        if open_at is None:
            n_par = 1
            continue
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        if _opens_paragraph(text, nxt):
            continue  # the convention for a quote spanning paragraphs
        quotes.append(Quote(open_at, p_end, open_at + 1, p_end, False, n_par))
        open_at, n_par = None, 1
    if original is not text:
        quotes = [_trim_doubled(original, q) for q in quotes]
    return [q for q in quotes if q.inner_end > q.inner_start]


def _trim_doubled(text: str, q: Quote) -> Quote:
    """A folded closing double keeps its first half inside the quote: move the inner end before it."""
    end = q.inner_end
    if end > q.inner_start and text[end - 1 : end + 1] in ("''", "``"):
        return Quote(q.start, q.end, q.inner_start, end - 1, q.closed, q.paragraphs)
    return q


def inside(quotes: Iterable[Quote], start: int, end: int) -> Quote | None:
    """The quote that contains the char range ``[start, end)``, if any."""
    for q in quotes:
        if q.start <= start and end <= q.end:
            return q
    return None


def overlapping(quotes: Iterable[Quote], start: int, end: int) -> list[Quote]:
    """Quotes that overlap ``[start, end)``."""
    return [q for q in quotes if q.start < end and start < q.end]


def quote_text(text: str, q: Quote) -> str:
    """The quoted words without marks, whitespace folded (continuation marks between paragraphs dropped)."""
    inner = text[q.inner_start : q.inner_end].replace("''", " ").replace("``", " ")
    if q.paragraphs > 1:
        inner = re.sub(r"\n\s*[\"“„«]", " ", inner)
    return " ".join(inner.split()).strip(' "“”„«»').rstrip(",")
