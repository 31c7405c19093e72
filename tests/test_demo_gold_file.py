"""The bundled demo corpus and its hand-written gold stay consistent.

The gold is what the demo pipeline is measured against, so a typo in an anchor or a renamed file
would silently turn a correct extraction into a miss. These checks need no pipeline code.
"""

from __future__ import annotations

import csv
import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import rashomon
from rashomon import records

DEMO = Path(rashomon.__file__).parent / "demo"
CORPUS = DEMO / "corpus"

ACTS = {
    "say",
    "claim",
    "deny",
    "admit",
    "allege",
    "accuse",
    "reject",
    "warn",
    "demand",
    "vow",
}
STANCES = {"assert", "deny"}
QUOTES = {"direct", "indirect", "mixed"}
SPEAKER_KINDS = {"person", "organization", "unnamed"}
QUALIFIERS = {
    "exact",
    "at_least",
    "more_than",
    "at_most",
    "less_than",
    "approx",
    "range",
}
PRECISIONS = {"day", "week", "month", "quarter", "year"}
ENTITY_TYPES = set(records.ENTITY_TYPES)
DISPUTE_KINDS = {"numeric", "denial", "rebuttal", "outlet_numeric"}
GAZETTEER_HEADER = [
    "name",
    "alternate_names",
    "feature",
    "admin1",
    "admin2",
    "country",
    "lat",
    "lon",
    "population",
]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _ArticleText(HTMLParser):
    """Collects the text inside <article>, the part of a page that is the story."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self.parts.append(data)


def html_article_text(page: str) -> str:
    parser = _ArticleText()
    parser.feed(page)
    return "".join(parser.parts)


def body_of(doc: str) -> str:
    """Body text of one gold doc: the .txt file, the <article> of a page, or a feed line's text."""
    if "#" in doc:
        name, line = doc.split("#", 1)
        lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
        return json.loads(lines[int(line) - 1])["text"]
    text = (CORPUS / doc).read_text(encoding="utf-8")
    return html_article_text(text) if doc.endswith(".html") else text


@lru_cache(maxsize=1)
def gold() -> dict[str, Any]:
    return json.loads((DEMO / "gold.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def bodies() -> dict[str, str]:
    return {a["doc"]: body_of(a["doc"]) for a in gold()["articles"]}


def entity_names() -> set[str]:
    return {e["name"] for e in gold()["entities"]}


def test_gold_has_every_section() -> None:
    assert set(gold()) >= {
        "articles",
        "stories",
        "entities",
        "claims",
        "places",
        "dates",
        "disputes",
        "non_disputes",
    }


def test_corpus_size_and_variety() -> None:
    arts = gold()["articles"]
    assert len(arts) >= 15
    assert len({a["outlet"] for a in arts}) >= 6
    assert len(gold()["stories"]) >= 3
    formats = {Path(a["doc"].split("#")[0]).suffix for a in arts}
    assert formats == {".txt", ".html", ".jsonl"}


def test_every_doc_exists_and_every_corpus_file_is_in_gold() -> None:
    docs = [a["doc"] for a in gold()["articles"]]
    assert len(docs) == len(set(docs)), "a doc is listed twice"
    for doc in docs:
        assert (CORPUS / doc.split("#")[0]).is_file(), doc
        assert body_of(doc).strip(), f"{doc} has an empty body"
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in {".txt", ".html"}}
    assert on_disk == {d for d in docs if "#" not in d}
    feed_lines = (CORPUS / "feed.jsonl").read_text(encoding="utf-8").splitlines()
    assert {f"feed.jsonl#{i}" for i in range(1, len(feed_lines) + 1)} == {
        d for d in docs if "#" in d
    }


def test_article_lengths_are_realistic() -> None:
    for doc, text in bodies().items():
        assert 250 <= len(text.split()) <= 600, f"{doc}: {len(text.split())} words"


def test_feed_records_have_the_documented_fields() -> None:
    for n, line in enumerate(
        (CORPUS / "feed.jsonl").read_text(encoding="utf-8").splitlines(), 1
    ):
        rec = json.loads(line)
        assert {"text", "title", "url", "published", "outlet"} <= set(rec), (
            f"feed.jsonl:{n}"
        )


def test_html_pages_look_real() -> None:
    for page in CORPUS.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for marker in (
            "<title>",
            'property="og:site_name"',
            'property="article:published_time"',
            "<nav",
            "<footer",
            "<article",
        ):
            assert marker in text, f"{page.name} lacks {marker}"


def test_article_metadata_is_well_formed() -> None:
    docs = set(bodies())
    for a in gold()["articles"]:
        assert a["published"] is None or ISO_DATE.match(a["published"]), a["doc"]
        assert isinstance(a["published_inferred"], bool)
        assert a["duplicate_of"] is None or a["duplicate_of"] in docs, a["doc"]
        assert a["duplicate_of"] != a["doc"]
        for phrase in a["evaluative"]:
            assert phrase.lower() in bodies()[a["doc"]].lower(), (
                f"{a['doc']}: {phrase!r}"
            )
    assert any(
        a["published"] is None and a["dateline"] is None for a in gold()["articles"]
    ), "need one undated article"
    assert any(a["duplicate_of"] for a in gold()["articles"]), (
        "need one syndicated copy"
    )
    assert any(a["evaluative"] for a in gold()["articles"]), "need one opinion piece"


def test_story_docs_match_article_stories() -> None:
    stories = {s["id"]: s for s in gold()["stories"]}
    by_story: dict[str, set[str]] = {}
    for a in gold()["articles"]:
        assert a["story"] in stories, a["doc"]
        by_story.setdefault(a["story"], set()).add(a["doc"])
    for sid, story in stories.items():
        assert set(story["docs"]) == by_story.get(sid, set()), sid
        assert len(story["docs"]) == len(set(story["docs"])), sid
        for rel in story["related"]:
            assert rel in stories and rel != sid, f"{sid} -> {rel}"


def test_every_claim_anchor_occurs_verbatim_once() -> None:
    texts = bodies()
    for c in gold()["claims"]:
        for key in ("anchor", "anchor_end"):
            if key in c:
                assert c[key] in texts[c["doc"]], f"{c['doc']}: {key} {c[key]!r}"
        assert texts[c["doc"]].count(c["anchor"]) == 1, (
            f"{c['doc']}: ambiguous anchor {c['anchor']!r}"
        )
        assert 3 <= len(c["anchor"].split()) <= 14, c["anchor"]


def test_claim_fields_use_the_contract_vocabulary() -> None:
    names = entity_names()
    for c in gold()["claims"]:
        where = f"{c['doc']}: {c['anchor']!r}"
        assert c["act"] in ACTS, where
        assert c["stance"] in STANCES, where
        assert c["quote"] in QUOTES, where
        assert c["speaker_kind"] in SPEAKER_KINDS, where
        assert c["speaker_text"] and c["cue"], where
        if c["speaker_kind"] == "unnamed":
            assert c["speaker"] is None, where
        else:
            assert c["speaker"] in names, where
        assert (
            c.get("speaker_affiliation") is None or c["speaker_affiliation"] in names
        ), where
        for h in c["hedges"]:
            assert h in bodies()[c["doc"]], where


def test_claim_quantities_are_consistent() -> None:
    for c in gold()["claims"]:
        for q in c["quantities"]:
            where = f"{c['doc']}: {q['text']!r}"
            assert q["text"] in bodies()[c["doc"]], where
            assert q["qualifier"] in QUALIFIERS, where
            if q["qualifier"] == "range":
                assert (
                    q["low"] is not None
                    and q["high"] is not None
                    and q["low"] < q["high"]
                ), where
            if q["qualifier"] in {"at_least", "more_than"}:
                assert q["low"] == q["value"] and q["high"] is None, where
            if q["qualifier"] == "exact":
                assert q["low"] == q["value"] == q["high"], where


def test_places_and_dates_occur_verbatim() -> None:
    texts = bodies()
    for p in gold()["places"]:
        assert p["text"] in texts[p["doc"]], f"{p['doc']}: {p['text']!r}"
        assert p["role"] in {"event", "context"}
    for d in gold()["dates"]:
        assert d["text"] in texts[d["doc"]], f"{d['doc']}: {d['text']!r}"
        assert d["precision"] in PRECISIONS, d
        vals = [v for v in (d["low"], d["value"], d["high"]) if v is not None]
        assert all(ISO_DATE.match(v) for v in vals), d
        if len(vals) == 3:
            assert d["low"] <= d["value"] <= d["high"], d


def test_entities_are_well_formed() -> None:
    names = entity_names()
    alltext = "\n".join(bodies().values())
    assert len(names) == len(gold()["entities"]), "duplicate canonical name"
    for e in gold()["entities"]:
        assert e["type"] in ENTITY_TYPES, e["name"]
        assert e["speaks_for"] is None or e["speaks_for"] in names, e["name"]
        for alias in e["aliases"]:
            assert alias in alltext, f"{e['name']}: alias {alias!r} never used"


def test_disputes_point_at_real_text() -> None:
    stories = {s["id"] for s in gold()["stories"]}
    texts = bodies()
    for d in gold()["disputes"] + gold()["non_disputes"]:
        assert d["story"] in stories
        assert len(d["anchors"]) >= 2, d["proposition"]
        for a in d["anchors"]:
            assert a["anchor"] in texts[a["doc"]], f"{a['doc']}: {a['anchor']!r}"
    kinds = {d["kind"] for d in gold()["disputes"]}
    assert (
        kinds <= DISPUTE_KINDS
        and {"numeric", "denial", "rebuttal", "outlet_numeric"} <= kinds
    )


def test_gazetteer_covers_every_gold_place() -> None:
    with (DEMO / "gazetteer.tsv").open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        assert next(reader) == GAZETTEER_HEADER
        rows = list(reader)
    known: set[str] = set()
    for n, row in enumerate(rows, 2):
        assert len(row) == len(GAZETTEER_HEADER), f"gazetteer.tsv:{n}"
        assert row[2] in {"country", "admin1", "admin2", "town"}, f"gazetteer.tsv:{n}"
        float(row[6]), float(row[7]), int(row[8])
        known.add(row[0])
        known.update(a for a in row[1].split("|") if a)
    for p in gold()["places"]:
        assert p["name"] in known, p["name"]


def test_anchor_check_can_fail() -> None:
    """Guard against a body extractor that returns everything (e.g. the page's nav or script)."""
    pages = sorted(CORPUS.glob("*.html"))
    assert len(pages) == 2
    for page in pages:
        body = body_of(page.name)
        assert "<p" not in body and "\u00a9" not in body, (
            page.name
        )  # no markup, no footer copyright line
        assert "\u00a9" in page.read_text(encoding="utf-8").replace("&copy;", "\u00a9")
        with pytest.raises(AssertionError):
            assert "this phrase is in no article" in body
