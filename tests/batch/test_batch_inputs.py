"""Shard inputs: Parquet files of articles read like the same records as JSON Lines; shard planning."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from rashomon.batch.shards import plan
from rashomon.ingest import iter_articles
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.records import Article

FIELDS = ("text", "title", "outlet", "published", "url")


def test_parquet_records_read_like_jsonl(corpus: list[Path], tmp_path: Path) -> None:
    lines = corpus[1].read_text(encoding="utf-8").splitlines()
    records = [{("body" if k == "text" else k): v for k, v in json.loads(line).items()} for line in lines]  # an alias
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "a.parquet")
    got = list(iter_articles([tmp_path / "a.parquet"], ReadOptions(field_map={})))
    want = list(iter_articles([corpus[1]], ReadOptions(field_map={})))
    assert all(isinstance(a, Article) for a in got) and len(got) == len(want) == 3
    assert [a.source for a in got] == [f"{tmp_path / 'a.parquet'}#{n}" for n in (1, 2, 3)]
    for a, b in zip(got, want):
        assert {f: getattr(a, f) for f in FIELDS} == {f: getattr(b, f) for f in FIELDS}
        assert a.format == "parquet"


def test_damaged_parquet_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1 not really")
    items = list(iter_articles([path], ReadOptions(field_map={})))
    assert len(items) == 1 and isinstance(items[0], IngestError) and "Parquet" in items[0].message


def test_plan(corpus: list[Path], tmp_path: Path) -> None:
    shards, errors = plan([*corpus, tmp_path / "missing", "https://example.org/feed.xml"], files_per_shard=5)
    assert [len(s.files) for s in shards] == [5, 5, 3, 1, 1, 1]  # docs grouped; containers alone
    assert len({s.key for s in shards}) == 6
    assert [e.source.rsplit("/", 1)[-1] for e in errors] == ["missing", "feed.xml"]
    again, _ = plan(corpus, files_per_shard=5)
    assert [s.key for s in again] == [s.key for s in shards]  # keys are stable
    ranged, _ = plan([corpus[1]], shard_records=1)
    assert [(s.start, s.stop) for s in ranged] == [(1, 2), (2, 3), (3, 4)]
