"""What the fixes for the fuzzers' findings promise beyond "no crash": the rest of the input is still read."""

from __future__ import annotations

import gzip
import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fuzz_support import target

from rashomon.extract.dates import parse_dates
from rashomon.ingest import feed, jsonl, warc
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.records import Article

OPTS = ReadOptions(field_map={})
FEED = (Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "feed.rss").read_bytes()


def test_deeply_nested_json_line_is_one_error_and_the_next_lines_are_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_bytes(b'{"text": "Militants attacked a post."}\n' + b"[" * 5000 + b'\n{"text": "The army denied it."}\n')
    items = list(jsonl.read(path, OPTS))
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [(e.line, "nested too deeply" in e.message) for e in errors] == [(2, True)]
    assert [a.text for a in items if isinstance(a, Article)] == [
        "Militants attacked a post.",
        "The army denied it.",
    ]


@pytest.mark.parametrize("declared", [b"UT\xe9-8", b"\x0b\x00\x00utf-8", b"no-such-charset"])
def test_feed_with_a_broken_encoding_declaration_is_still_read(declared: bytes) -> None:
    data = FEED.replace(b'encoding="UTF-8"', b'encoding="' + declared + b'"', 1)
    assert data != FEED
    items = list(feed.parse_feed(data, "feed.rss", OPTS))
    assert [i for i in items if isinstance(i, Article)], items


@pytest.mark.parametrize("tail", [b"", b"WARC/1.0\r\nWARC-Type: response\r\nWA<html>cut"])
def test_warc_in_one_gzip_stream_is_an_error_naming_the_record(tmp_path: Path, tail: bytes) -> None:
    """warcio finds records only in one gzip member per record; a whole-file gzip (here with a second
    record, whole or cut) is one error naming the file and the record, never a crash."""
    build = target("ingest_warc")._archive
    pages = [] if tail else [("https://example.org/a", b"<html></html>", "text/html")]
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(build(pages) + tail))
    (error,) = list(warc.read(path, OPTS))
    assert isinstance(error, IngestError)
    assert (error.source, error.line, error.warning) == (str(path), 2, False)


@pytest.mark.parametrize("anchor", [date.max, date.min])
def test_dates_at_the_ends_of_the_calendar_are_skipped_not_logged(
    nlp: Any, anchor: date, caplog: pytest.LogCaptureFixture
) -> None:
    text = "On Monday the army said it will act next month; late December; last week."
    with caplog.at_level(logging.ERROR, logger="rashomon"):
        found = parse_dates(nlp(text), anchor)
    assert not caplog.records
    assert all(d.value is None or date.fromisoformat(d.value) for d in found)


def test_since_a_day_never_lies_after_the_publication_date(nlp: Any) -> None:
    """ "since 28 February" in an article of 20 September: the February before, not the one after."""
    (d,) = [
        d for d in parse_dates(nlp("Fighting has gone on since 28 February."), date(2019, 9, 20)) if "since" in d.text
    ]
    assert (d.kind, d.low, d.high) == ("since", "2019-02-28", "2019-09-20")
