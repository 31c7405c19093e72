"""Per-Doc facts every extract stage reads, computed once per article and kept on ``doc.user_data``.

Why: spaCy rebuilds ``Doc.text`` (a join over every token) on each access, and ``Doc.sents`` walks every
token on each iteration; the stages asked for them dozens of times per article, which cost more than
the parse itself. Only plain values (a str, ints) are stored: Spans would tie the Doc into a reference
cycle (freed late, by the garbage collector) and could not be serialized with the Doc. Each entry
remembers the Doc's length, so a copy made from part of the Doc never reads its parent's values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for hints: importing the pipeline module stays free of spaCy
    from spacy.tokens import Doc, Span, Token

_TEXT = "rashomon.extract.text"
_BOUNDS = "rashomon.extract.sentence_bounds"
_INDEX = "rashomon.extract.sentence_index"


def _cached(doc: Doc, key: str) -> Any | None:
    """The value stored under ``key`` when it was computed for a Doc of this length, else None."""
    entry = doc.user_data.get(key)
    if entry is not None and entry[0] == len(doc):
        return entry[1]
    return None


def _store(doc: Doc, key: str, value: Any) -> Any:
    doc.user_data[key] = (len(doc), value)
    return value


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once."""
    text = _cached(doc, _TEXT)
    return text if text is not None else _store(doc, _TEXT, doc.text)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token ``(start, end)`` of every sentence, in order (``doc.sents`` walked once)."""
    bounds = _cached(doc, _BOUNDS)
    if bounds is None:
        bounds = _store(doc, _BOUNDS, [(s.start, s.end) for s in doc.sents])
    return bounds


def sentences(doc: Doc) -> list[Span]:
    """The sentences of the Doc, as ``list(doc.sents)`` gives them."""
    return [doc[start:end] for start, end in sentence_bounds(doc)]


def sentence_char_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character ``(start, end)`` of every sentence."""
    return [(s.start_char, s.end_char) for s in sentences(doc)]


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token: ``sentence_index(doc)[token.i]``."""
    index = _cached(doc, _INDEX)
    if index is None:
        index = [0] * len(doc)
        for n, (start, end) in enumerate(sentence_bounds(doc)):
            index[start:end] = [n] * (end - start)
        _store(doc, _INDEX, index)
    return index


def sentence_of(token: Token) -> Span:
    """The sentence holding ``token`` (what ``token.sent`` gives, without walking the tokens)."""
    doc = token.doc
    start, end = sentence_bounds(doc)[sentence_index(doc)[token.i]]
    return doc[start:end]
