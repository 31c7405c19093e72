"""Quote finding: marks, unclosed quotes, quotes over paragraphs, odd input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.extract.quotes import find_quotes, inside, paragraphs, quote_text


def texts(t: str) -> list[tuple[str, bool, int]]:
    return [(quote_text(t, q), q.closed, q.paragraphs) for q in find_quotes(t)]


def test_straight_and_curly_marks() -> None:
    t = 'She said "we leave today" and later “we stay” again.'
    assert texts(t) == [("we leave today", True, 1), ("we stay", True, 1)]


def test_offsets_include_marks() -> None:
    t = 'A "b c" d'
    (q,) = find_quotes(t)
    assert t[q.start : q.end] == '"b c"'
    assert t[q.inner_start : q.inner_end] == "b c"


def test_unclosed_quote_ends_at_paragraph_end() -> None:
    t = 'The mayor said "the bridge is closed\nTraffic moved slowly all day.\nBuses ran late.'
    (q,) = find_quotes(t)
    assert not q.closed
    assert quote_text(t, q) == "the bridge is closed"
    assert "Traffic" not in t[q.start : q.end]


def test_quote_continued_over_paragraphs() -> None:
    t = 'He told reporters:\n"The convoy left at dawn.\n"It reached the river by noon."\nLater the rain came.'
    (q,) = find_quotes(t)
    assert q.closed and q.paragraphs == 2
    assert quote_text(t, q) == "The convoy left at dawn. It reached the river by noon."


def test_stray_closing_mark_is_ignored() -> None:
    assert texts("nothing here” at all") == []


def test_typewriter_doubled_marks() -> None:
    t = "The envoy said ''talks will resume'' on Friday."
    assert [x[0] for x in texts(t)] == ["talks will resume"]


def test_inside_helper() -> None:
    t = 'x "abc" y'
    qs = find_quotes(t)
    assert inside(qs, 3, 5) is qs[0]
    assert inside(qs, 0, 1) is None


def test_paragraphs_skip_blank_lines() -> None:
    t = "one\n\n  two  \n"
    assert [t[s:e] for s, e in paragraphs(t)] == ["one", "two"]


def test_degenerate_inputs() -> None:
    for t in ["", '"', '""', '"""', "“", "”“", '\n"\n"\n', "no marks at all"]:
        for q in find_quotes(t):
            assert 0 <= q.start < q.end <= len(t)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='ab "“”\n.,', max_size=80))
def test_never_raises_and_spans_are_sane(t: str) -> None:
    prev_end = -1
    for q in find_quotes(t):
        assert 0 <= q.start <= q.inner_start < q.inner_end <= q.end <= len(t)
        assert q.start >= prev_end
        prev_end = q.end
