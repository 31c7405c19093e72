"""jsonl.py: JSON Lines and JSON records, field aliases, the field map, and bad lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from rashomon.ingest import jsonl
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.records import Article


def test_jsonl_with_bad_lines_goes_on(fixtures: Path) -> None:
    path = fixtures / "articles.jsonl"
    items = list(jsonl.read(path, ReadOptions(field_map={"story_text": "text"})))
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if isinstance(i, IngestError)]
    assert [a.source for a in arts] == [f"{path}#1", f"{path}#3"]
    assert [(e.line, e.source) for e in errs] == [(2, str(path)), (5, str(path)), (6, str(path))]
    assert "malformed JSON" in errs[0].message
    assert f"{path}:2" in str(errs[0])
    first, third = arts
    assert first.outlet == "Example News"  # nested {"name": ...}
    assert first.published == "2025-03-01" and first.format == "jsonl"
    assert third.title == "Three injured in blast" and third.author == "A. Reporter"
    assert third.published == "2025-02-28"
    assert third.text.startswith("Police said three people")


def test_field_map_is_needed_for_unknown_names(fixtures: Path) -> None:
    items = list(jsonl.read(fixtures / "articles.jsonl", ReadOptions(field_map={})))
    errs = [i for i in items if isinstance(i, IngestError)]
    assert 3 in [e.line for e in errs]  # story_text is not a known name without the map


def test_json_container_and_archive_urls(fixtures: Path) -> None:
    path = fixtures / "articles.json"
    arts = list(jsonl.read(path, ReadOptions(field_map={})))
    assert all(isinstance(a, Article) for a in arts) and len(arts) == 2
    a, b = arts
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.source == f"{path}#1" and a.format == "json"
    assert a.url == "https://www.dawn.com/news/777" and a.outlet == "dawn.com"
    assert a.published == "2025-03-04"
    assert b.outlet == "Example Daily" and b.published == "2025-03-05"


def test_single_object_json(fixtures: Path) -> None:
    path = fixtures / "single.json"
    (a,) = list(jsonl.read(path, ReadOptions(field_map={})))
    assert isinstance(a, Article)
    assert a.source == str(path) and a.title == "One record file" and a.outlet == "Example Herald"


def test_json_array_and_nested_map(tmp_path: Path) -> None:
    p = tmp_path / "a.json"
    p.write_text(json.dumps([{"doc": {"body_text": "Police said two people died."}}, 5]), encoding="utf-8")
    items = list(jsonl.read(p, ReadOptions(field_map={"doc.body_text": "text"})))
    assert isinstance(items[0], Article) and items[0].text == "Police said two people died."
    assert isinstance(items[1], IngestError) and items[1].line == 2


def test_malformed_json_document(tmp_path: Path) -> None:
    p = tmp_path / "bad.json"
    p.write_text('{"text": "unterminated', encoding="utf-8")
    (err,) = list(jsonl.read(p, ReadOptions(field_map={})))
    assert isinstance(err, IngestError) and err.source == str(p) and "malformed JSON" in err.message


def test_gzipped_jsonl_and_html_content(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl.gz"
    rec = {"content": "<p>First paragraph.</p><p>Second &amp; last.</p>", "url": "https://www.dawn.com/x"}
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(rec) + "\n")
    (a,) = list(jsonl.read(p, ReadOptions(field_map={})))
    assert isinstance(a, Article)
    assert a.text == "First paragraph.\nSecond & last." and a.outlet == "dawn.com"


def test_truncated_gzip_jsonl(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl.gz"
    lines = "".join(json.dumps({"text": f"Story number {i} about the clashes."}) + "\n" for i in range(200))
    data = gzip.compress(lines.encode())
    p.write_bytes(data[: len(data) // 2])
    items = list(jsonl.read(p, ReadOptions(field_map={})))
    assert isinstance(items[-1], IngestError) and "damaged" in items[-1].message
    assert sum(isinstance(i, Article) for i in items) > 0


def test_non_utf8_line_is_flagged_not_lost(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_bytes(b'{"text": "He called it \x93fake\x94."}\n')
    items = list(jsonl.read(p, ReadOptions(field_map={})))
    assert isinstance(items[0], IngestError) and items[0].warning and items[0].line == 1
    assert isinstance(items[1], Article) and "\u201cfake\u201d" in items[1].text
