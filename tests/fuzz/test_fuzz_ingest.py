"""Property-based fuzzing of every input parser: valid-ish documents built by strategies, then
mutated and truncated. The check is the fuzz target's own (``bench/fuzz_targets/ingest_*.py``):
no exception, only Articles and IngestErrors, every error naming the file (and its line for JSON
Lines), every published date a real ISO date; the per-example deadline catches hangs."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from fuzz_support import (
    BODY,
    DATES,
    NAMES,
    SENTENCE,
    common,
    fuzz_settings,
    mutated,
    target,
)
from hypothesis import given
from hypothesis import strategies as st

from rashomon.ingest.jsonl import FIELD_ALIASES
from rashomon.ingest.txt import HEADER_KEYS


def _flagged(gz: bool, data: bytes) -> bytes:
    """The gz flag byte the JSON, JSON Lines and WARC targets read first."""
    return (b"\x01" if gz else b"\x00") + data


@st.composite
def text_files(draw: st.DrawFn) -> bytes:
    """A header block, a headline with date/byline lines, or a dateline, then a body; in some encoding."""
    style = draw(st.sampled_from(["keys", "headline", "dateline", "bare"]))
    lines: list[str] = []
    if style == "keys":
        for key in draw(st.lists(st.sampled_from(sorted(HEADER_KEYS)), max_size=5)):
            lines.append(f"{key.title()}: {draw(st.one_of(DATES, NAMES))}")
        lines.append("")
    elif style == "headline":
        lines += [draw(SENTENCE).rstrip("."), draw(DATES), f"By {draw(NAMES)}", ""]
    body = draw(BODY)
    if style == "dateline":
        body = f"{draw(st.sampled_from(['KHARTOUM', 'QUETTA', 'Kabul (AFP)', 'UPDATE']))}: {body}"
    raw = "\n".join(lines) + body
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return draw(mutated(raw.encode(encoding, errors="replace")))


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    title = draw(SENTENCE)
    metas = [
        f'<meta property="og:site_name" content="{draw(NAMES)}">',
        f'<meta property="article:published_time" content="{draw(DATES)}">',
    ]
    paras = "".join(f"<p>{p}</p>" for p in draw(BODY).split("\n\n"))
    page = f"<!doctype html><html><head><title>{title}</title>{''.join(metas)}</head><body><h1>{title}</h1>"
    page += f"<article>{paras}</article><script>var d='2031-01-01';</script></body></html>"
    return draw(mutated(page.encode()))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40) | DATES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
ALL_FIELDS = sorted({name for names in FIELD_ALIASES.values() for name in names})


@st.composite
def json_records(draw: st.DrawFn) -> Any:
    """A record with some of the field names exporters use, holding any JSON value (text usually a string)."""
    record: dict[str, Any] = {k: draw(JSON_VALUES) for k in draw(st.lists(st.sampled_from(ALL_FIELDS), max_size=5))}
    if draw(st.booleans()):
        record[draw(st.sampled_from(FIELD_ALIASES["text"]))] = draw(BODY)
    return record if draw(st.integers(0, 9)) else draw(JSON_VALUES)


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    lines = [json.dumps(r) for r in draw(st.lists(json_records(), max_size=5))]
    if draw(st.booleans()):  # a line nested deeper than any parser recurses
        lines.insert(draw(st.integers(0, len(lines))), "[" * draw(st.integers(1100, 3000)))
    raw = draw(mutated("\n".join(lines).encode()))
    return _flagged(draw(st.booleans()), raw)


@st.composite
def json_documents(draw: st.DrawFn) -> bytes:
    records = draw(st.lists(json_records(), max_size=4))
    doc: Any = draw(st.sampled_from([records, {"articles": records}, {"response": {"results": records}}]))
    raw = json.dumps(doc if records else draw(json_records()))
    if draw(st.booleans()):
        depth = draw(st.integers(1100, 3000))
        raw = "[" + "[" * depth + "]" * depth + "]"
    return _flagged(draw(st.booleans()), draw(mutated(raw.encode())))


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    entries = draw(st.lists(st.tuples(SENTENCE, BODY, DATES, NAMES), max_size=4))
    if draw(st.booleans()):
        items = "".join(
            f"<item><title>{t}</title><link>https://example.org/{i}</link><guid>{i}</guid>"
            f"<pubDate>{d}</pubDate><author>{a}</author><description><![CDATA[<p>{b}</p>]]></description></item>"
            for i, (t, b, d, a) in enumerate(entries)
        )
        doc = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{draw(NAMES)} - World</title>{items}</channel></rss>'
    else:
        items = "".join(
            f'<entry><title>{t}</title><id>urn:{i}</id><updated>{d}</updated><content type="html">{b}</content></entry>'
            for i, (t, b, d, _a) in enumerate(entries)
        )
        doc = (
            f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(NAMES)}</title>{items}</feed>'
        )
    return draw(mutated(doc.encode()))


@st.composite
def warc_files(draw: st.DrawFn) -> bytes:
    pages = [
        (
            f"https://example.org/{i}",
            draw(html_pages()),
            draw(st.sampled_from(["text/html", "text/plain"])),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    raw = target("ingest_warc")._archive(pages)
    return _flagged(draw(st.booleans()), draw(mutated(raw)))


PARSERS = {
    "ingest_txt": text_files(),
    "ingest_sniff": st.one_of(text_files(), html_pages(), feeds(), json_documents().map(lambda b: b[1:])),
    "ingest_html": html_pages(),
    "ingest_jsonl": jsonl_files(),
    "ingest_json": json_documents(),
    "ingest_feed": feeds(),
    "ingest_warc": warc_files(),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
@fuzz_settings(30)
@given(data=st.data())
def test_parser_never_raises_and_errors_name_the_file(name: str, data: st.DataObject) -> None:
    """Checked by the target: JSON Lines errors also name their line, dates are real, no hang (deadline)."""
    target(name).check(data.draw(PARSERS[name], label=name))


def test_gzip_flag_reaches_the_gzip_reader() -> None:
    """The targets' first byte really switches to gzipped input (else half the fuzzing is wasted)."""
    body = b'{"text": "Militants attacked a post."}\n'
    assert common.maybe_gzip(b"\x01" + body) == (gzip.compress(body, mtime=0), True)
    assert common.maybe_gzip(b"\x00" + body) == (body, False)
