"""A shard's Parquet files: one per store table (articles, mentions, places, claims, events).

The columns are the store's own (``store/models.py``), built by the store's own record <-> row
functions (``store/convert.py``), so loading a shard into the database is lossless and cannot drift from
what ``analyze`` stores. Nested values (lists, dicts) are JSON text, named in the file metadata key
``rashomon.json_columns`` (the same convention as ``export/parquet.py``); DuckDB reads them with
``json_extract``. Rows of the per-article tables follow the order of ``articles.parquet``, which lets a
reader stream a shard back batch by batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import JSON, Boolean, Float, Integer

from rashomon.records import Extraction
from rashomon.store import convert
from rashomon.store.models import (
    ArticleEventRow,
    ArticleRow,
    ClaimRow,
    MentionRow,
    PlaceRow,
)

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Kind:
    """One shard table: its file stem, the store model it mirrors and how an Extraction fills it."""

    name: str
    model: Any
    rows: Callable[[Extraction], list[Row]]


def _article_rows(ex: Extraction) -> list[Row]:
    return [convert.article_values(ex.article, evaluative=ex.evaluative, hedges=ex.hedges, dates=ex.dates,
                                   quantities=ex.quantities, sentences=ex.sentences)]


def _owned(items: Callable[[Extraction], list[Any]], values: Callable[[Any], Row]) -> Callable[[Extraction], list[Row]]:
    """Rows owned by one article, keyed as the store keys them: ``(article_id, seq)``."""
    def rows(ex: Extraction) -> list[Row]:
        return [{**values(item), "article_id": ex.article.id, "seq": i} for i, item in enumerate(items(ex))]

    return rows


KINDS: tuple[Kind, ...] = (
    Kind("articles", ArticleRow, _article_rows),
    Kind("mentions", MentionRow, _owned(lambda ex: ex.mentions, convert.mention_values)),
    Kind("places", PlaceRow, _owned(lambda ex: ex.places, convert.place_values)),
    Kind("claims", ClaimRow, _owned(lambda ex: ex.claims, convert.claim_values)),
    Kind("events", ArticleEventRow, _owned(lambda ex: ex.events, convert.event_values)),
)


def _arrow_type(column: Any) -> pa.DataType | None:
    """The Parquet type of a store column; None for columns a shard does not carry (timestamps, search)."""
    kind = column.type
    if isinstance(kind, JSON):
        return pa.string()
    if isinstance(kind, Boolean):
        return pa.bool_()
    if isinstance(kind, Integer):
        return pa.int64()
    if isinstance(kind, Float):
        return pa.float64()
    try:
        return pa.string() if kind.python_type is str else None
    except NotImplementedError:  # dialect-specific types (e.g. a search vector) stay in the database
        return None


@cache
def schema(kind: Kind) -> pa.Schema:
    """The Arrow schema of a shard table, derived from its store model."""
    fields = [pa.field(c.name, t) for c in kind.model.__table__.columns if (t := _arrow_type(c)) is not None]
    json_cols = [c.name for c in kind.model.__table__.columns if isinstance(c.type, JSON)]
    return pa.schema(fields, metadata={"rashomon.kind": kind.name, "rashomon.json_columns": ",".join(json_cols)})


def to_table(kind: Kind, exs: list[Extraction]) -> pa.Table:
    """The rows of ``exs`` for one table, JSON-encoding the nested columns."""
    target = schema(kind)
    json_cols = set(target.metadata[b"rashomon.json_columns"].decode().split(","))
    rows = [row for ex in exs for row in kind.rows(ex)]
    columns = {
        f.name: pa.array([_cell(r.get(f.name), f.name in json_cols) for r in rows], type=f.type) for f in target
    }
    return pa.table(columns, schema=target)


def _cell(value: Any, as_json: bool) -> Any:
    return json.dumps(value, ensure_ascii=False) if as_json and value is not None else value


class ShardWriter:
    """Appends batches of Extractions to the tables of one (temporary) shard directory."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.writers = {k.name: pq.ParquetWriter(folder / f"{k.name}.parquet", schema(k)) for k in KINDS}
        self.counts = {k.name: 0 for k in KINDS}

    def write(self, exs: list[Extraction]) -> None:
        if not exs:
            return
        for kind in KINDS:
            table = to_table(kind, exs)
            self.writers[kind.name].write_table(table)
            self.counts[kind.name] += table.num_rows

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


def _decoded(batch: pa.RecordBatch) -> Iterator[SimpleNamespace]:
    json_cols = set((batch.schema.metadata or {}).get(b"rashomon.json_columns", b"").decode().split(","))
    for row in batch.to_pylist():
        yield SimpleNamespace(**{k: json.loads(v) if k in json_cols and v is not None else v for k, v in row.items()})


def _rows(path: Path, batch_size: int) -> Iterator[SimpleNamespace]:
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size):
        yield from _decoded(batch)


class _Cursor:
    """Rows of one per-article table, consumed in article order (they were written in that order)."""

    def __init__(self, rows: Iterator[SimpleNamespace]) -> None:
        self.rows = rows
        self.head: SimpleNamespace | None = next(rows, None)

    def take(self, article_id: str) -> list[SimpleNamespace]:
        out = []
        while self.head is not None and self.head.article_id == article_id:
            out.append(self.head)
            self.head = next(self.rows, None)
        return out


def read_shard(folder: Path, batch_size: int = 256) -> Iterator[list[Extraction]]:
    """The shard's Extractions, ``batch_size`` articles at a time (memory follows the batch, not the shard)."""
    cursors = {k.name: _Cursor(_rows(folder / f"{k.name}.parquet", batch_size)) for k in KINDS[1:]}
    batch: list[Extraction] = []
    for a in _rows(folder / "articles.parquet", batch_size):
        batch.append(Extraction(
            article=convert.article_from(a), dates=convert.dates_from(a.dates),
            quantities=convert.quantities_from(a.quantities), hedges=list(a.hedges or []),
            evaluative=list(a.evaluative or []), sentences=convert.sentences_from(a.sentences),
            mentions=[convert.mention_from(r) for r in cursors["mentions"].take(a.id)],
            places=[convert.place_from(r) for r in cursors["places"].take(a.id)],
            claims=[convert.claim_from(r) for r in cursors["claims"].take(a.id)],
            events=[convert.event_from(r) for r in cursors["events"].take(a.id)],
        ))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def article_ids(folder: Path) -> list[str]:
    """The ids a finished shard holds (one column read)."""
    return [str(v) for v in pq.read_table(folder / "articles.parquet", columns=["id"]).column("id").to_pylist()]
