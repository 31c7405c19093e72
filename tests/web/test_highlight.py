"""Article text marked in place: whatever the spans, the HTML is well formed, the text survives intact
(escaped), and every claim keeps its anchor."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from rashomon.records import Claim, Speaker
from rashomon.web.highlight import highlight


class _Tree(HTMLParser):
    """Checks nesting and collects the text and the ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.ids: list[str] = []
        self.ok = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.ids += [v or "" for k, v in attrs if k == "id"]

    def handle_endtag(self, tag: str) -> None:
        self.ok = self.ok and bool(self.stack) and self.stack.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> _Tree:
    tree = _Tree()
    tree.feed(markup)
    tree.close()
    return tree


def claim(text: str, start: int, end: int, n: int) -> Claim:
    return Claim(article_id="art_x", speaker=Speaker(text="x", name="x", kind="person"), cue="said", act="say",
                 stance="deny" if n % 2 else "assert", content=text[start:end], quote="none",
                 sentence=text[start:end], span=(start, end), id=f"clm_{n}")


def test_claims_quotes_hedges_and_evaluative_words_are_marked() -> None:
    text = 'The army said "none were taken", a shameful lie, officials said. Rebels purportedly agreed.'
    sentences = [(0, 64), (65, len(text))]
    out = highlight(text, [claim(text, 14, 31, 1), claim(text, 0, 50, 2)], sentences, ["purportedly"], ["shameful"])
    assert '<mark class="claim stance-assert" id="claim-clm_2">The army said' in out
    assert 'id="claim-clm_1"' in out and '<q>' in out
    assert '<span class="hedge">purportedly</span>' in out and '<span class="evaluative">shameful</span>' in out
    tree = parse(str(out))
    assert tree.ok and not tree.stack and "".join(tree.text) == text


def test_markup_in_the_text_stays_text() -> None:
    text = 'He said <script>alert(1)</script> and <a href="javascript:x">go</a>.'
    out = str(highlight(text, [claim(text, 0, len(text), 1)], [(0, len(text))], [], []))
    assert "<script" not in out and "<a " not in out and html.unescape(out).count("<script>") == 1


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8)


@given(text=st.text(alphabet='ab "“”.<>&\n', min_size=1, max_size=60), raw=spans,
       words=st.lists(st.sampled_from(["a", "ab", "b a", "<", "&"]), max_size=3))
def test_any_spans_give_well_formed_html_with_every_anchor(text: str, raw: list[tuple[int, int]],
                                                            words: list[str]) -> None:
    claims = [claim(text, min(a, b), max(a, b), i) for i, (a, b) in enumerate(raw)]
    out = highlight(text, claims, [(0, len(text) // 2), (len(text) // 2, len(text))], words, words[:1])
    tree = parse(str(out))
    assert tree.ok and not tree.stack
    assert "".join(tree.text) == text
    assert sorted(tree.ids) == sorted(f"claim-{c.id}" for c in claims)
