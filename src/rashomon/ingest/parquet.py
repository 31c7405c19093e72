"""Parquet files of article records (a column per field), read a row group at a time.

Columns are recognised like JSON fields (``jsonl.FIELD_ALIASES``, and ``--map``), so a Parquet shard
exported from a data set or a crawler reads like the same records as JSON Lines. A record is named
``path#N`` (N counts rows from 1), as a JSON array's records are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rashomon.ingest.base import IngestError, Item, ReadOptions
from rashomon.ingest.jsonl import record_to_article

ROWS_PER_READ = 512


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Every row of a Parquet file as an Article; a damaged file gives an IngestError after what was read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = str(path)
    n = 0
    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=ROWS_PER_READ):
            for row in batch.to_pylist():
                n += 1
                yield record_to_article(row, f"{source}#{n}", options, "parquet", error_line=n, file=source)
    except (pa.ArrowException, OSError) as exc:
        yield IngestError(source, f"not a readable Parquet file after record {n}: {exc}", line=n + 1)
        return
    if not n:
        yield IngestError(source, "empty file")
