"""An article's text as HTML with its claims, quotes, hedges and evaluative words marked in place.

The text is hostile input: every character of it goes through ``markupsafe.escape``; only the tags built
here are markup. Marks are laid out as a tree (a mark that starts inside another and runs past its end is
cut at that end), so the HTML stays well formed however the spans overlap, and no claim's anchor is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from rashomon.records import Claim

_QUOTES = re.compile(r"“[^”\n]{1,800}”|\"[^\"\n]{1,800}\"|‘[^’\n]{1,400}’(?!\w)")


@dataclass(slots=True, order=True)
class Mark:
    start: int
    neg_end: int  # -end: at one start, the longer mark opens first and holds the shorter
    rank: int  # at one span, claims outside quotes outside hedges
    open: str
    close: str

    @property
    def end(self) -> int:
        return -self.neg_end


def _mark(start: int, end: int, rank: int, open_tag: str, close: str) -> Mark:
    return Mark(start, -end, rank, open_tag, close)


def _sentence_of(span: tuple[int, int], sentences: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The article sentence holding a claim's span (the span itself when sentences are unknown)."""
    for s, e in sentences:
        if s <= span[0] < e:
            return (s, max(e, span[1]))
    return span


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without surrounding whitespace (sentence spans may hold the paragraph break after them)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def claim_marks(claims: Iterable[Claim], sentences: Sequence[tuple[int, int]], text: str) -> list[Mark]:
    """The first claim in a sentence is marked on the whole sentence, later ones on their own span."""
    taken: set[tuple[int, int]] = set()
    size = len(text)
    out = []
    for c in claims:
        sent = _sentence_of(c.span, sentences)
        start, end = (c.span if sent in taken else sent)
        taken.add(sent)
        start, end = _trim(text, max(0, min(start, size)), max(0, min(end, size)))
        tag = f'<mark class="claim stance-{escape(c.stance)}" id="claim-{escape(c.id)}">'
        out.append(_mark(start, end, 0, tag, "</mark>"))
    return out


def phrase_marks(text: str, phrases: Iterable[str], cls: str, rank: int) -> list[Mark]:
    """Every whole-word, case-insensitive occurrence of each phrase."""
    out = []
    for phrase in {p.strip().lower() for p in phrases if p and p.strip()}:
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE):
            out.append(_mark(m.start(), m.end(), rank, f'<span class="{cls}">', "</span>"))
    return out


def quote_marks(text: str) -> list[Mark]:
    return [_mark(m.start(), m.end(), 1, "<q>", "</q>") for m in _QUOTES.finditer(text)]


def render(text: str, marks: Iterable[Mark]) -> Markup:
    """Escaped text with the marks as nested tags."""
    out: list[str] = []
    stack: list[tuple[int, str]] = []
    pos = 0

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1][0] <= limit:
            end, close = stack.pop()
            out.append(str(escape(text[pos:end])) + close)
            pos = end

    for m in sorted(marks):
        close_until(m.start)
        end = min(m.end, stack[-1][0]) if stack else m.end
        if end <= m.start and not m.open.startswith("<mark"):
            continue
        out.append(str(escape(text[pos:m.start])) + m.open)
        pos = m.start
        stack.append((max(end, m.start), m.close))
    close_until(len(text))
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def highlight(text: str, claims: Sequence[Claim], sentences: Sequence[tuple[int, int]],
              hedges: Iterable[str], evaluative: Iterable[str]) -> Markup:
    """The article text with claims (``<mark class="claim">``), quotes (``<q>``), hedges and evaluative
    language (``<span class="hedge|evaluative">``) marked where they occur."""
    hedge_words = {*hedges, *(h for c in claims for h in c.hedges)}
    marks = [*claim_marks(claims, sentences, text), *quote_marks(text),
             *phrase_marks(text, hedge_words, "hedge", 2), *phrase_marks(text, evaluative, "evaluative", 3)]
    return render(text, marks)
