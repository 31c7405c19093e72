"""jsonstream.py: records of a large JSON document one at a time, in bounded memory."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from pathlib import Path

import pytest

from rashomon.ingest import jsonl, jsonstream
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.ingest.jsonstream import NotAContainer, stream_records
from rashomon.records import Article

RECORDS = [{"title": f"Report {i}", "text": f"Officials said {i * 1234567} people were displaced. «ü»", "n": i * 10**6}
           for i in range(40)]


def _stream(doc: object, chunk: int, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    monkeypatch.setattr(jsonstream, "CHUNK", chunk)
    data = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    return list(stream_records(io.BytesIO(data), jsonl.CONTAINER_KEYS))


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 20])
def test_array_split_anywhere_gives_the_same_records(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _stream(RECORDS, chunk, monkeypatch) == RECORDS
    assert _stream([], chunk, monkeypatch) == []
    assert _stream([12345678, 0.5, True, None, "x"], chunk, monkeypatch) == [12345678, 0.5, True, None, "x"]


def test_array_under_a_container_key_one_level_deep(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = {"status": "ok", "meta": {"articles": 2}, "response": {"total": 40, "results": RECORDS}}
    assert _stream(doc, 5, monkeypatch) == RECORDS
    with pytest.raises(NotAContainer):
        _stream({"title": "one record", "text": "x"}, 5, monkeypatch)


def test_malformed_document_yields_what_was_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonstream, "CHUNK", 4)
    got: list[object] = []
    with pytest.raises(ValueError):
        got.extend(stream_records(io.BytesIO(b'[{"a": 1}, {"b": 2} {"c": 3}]'), ()))
    assert got == [{"a": 1}, {"b": 2}]
    with pytest.raises(ValueError):
        list(stream_records(io.BytesIO(b'[{"a": 1}, {"b": '), ()))  # cut file


@pytest.mark.parametrize("gz", [False, True])
def test_large_json_file_is_streamed_like_a_small_one(tmp_path: Path, gz: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / ("dump.json.gz" if gz else "dump.json")
    data = json.dumps({"articles": RECORDS}).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    whole = list(jsonl.read(path, ReadOptions(field_map={})))
    monkeypatch.setattr(jsonl, "STREAM_BYTES", 0)
    streamed = list(jsonl.read(path, ReadOptions(field_map={})))
    assert len(streamed) == 40 and all(isinstance(a, Article) for a in streamed)
    assert [(a.id, a.source) for a in streamed] == [(a.id, a.source) for a in whole]  # type: ignore[union-attr]


def test_streamed_damage_is_reported_after_the_good_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(RECORDS)[:-300], encoding="utf-8")
    monkeypatch.setattr(jsonl, "STREAM_BYTES", 0)
    *arts, err = list(jsonl.read(path, ReadOptions(field_map={})))
    assert all(isinstance(a, Article) for a in arts) and 30 < len(arts) < 40
    assert isinstance(err, IngestError) and err.line == len(arts) + 1 and err.source == str(path)


def test_memory_follows_one_record_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    body = "Residents said the shelling went on all night. " * 200  # ~9 kB a record
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        fh.write(",".join(json.dumps({"title": str(i), "text": body}) for i in range(2500)))  # ~24 MB
        fh.write("]")
    assert path.stat().st_size > 20 << 20
    tracemalloc.start()
    try:
        with path.open("rb") as fh:
            n = sum(1 for _ in stream_records(fh, ()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert n == 2500 and peak < 8 << 20  # the whole file, read at once, would be over 20 MB
