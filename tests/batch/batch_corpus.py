"""A small sharded corpus built from the demo articles (a folder, JSON Lines, WARC and Parquet), and the
extractions a database holds, compared without the links reconcile adds."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from rashomon.cli import DEMO_DIR
from rashomon.config import Settings
from rashomon.records import to_dict
from rashomon.store.db import Store

RECONCILE_FIELDS = {"story_id", "entity_id", "duplicate_of"}  # filled by reconcile, not by extraction


def _warc(path: Path, pages: list[tuple[str, bytes]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))


def build_corpus(root: Path) -> list[Path]:
    """Inputs of every shardable kind; returns the paths to pass to analyze / batch."""
    corpus = DEMO_DIR / "corpus"
    docs = root / "docs"
    docs.mkdir(parents=True)
    for f in sorted(corpus.iterdir()):
        if f.suffix in {".txt", ".html"}:
            (docs / f.name).write_bytes(f.read_bytes())
    (root / "wire.jsonl").write_bytes((corpus / "feed.jsonl").read_bytes())
    pages = [(f"https://news.example/{f.stem}", f.read_bytes()) for f in sorted(corpus.glob("*.html"))]
    _warc(root / "crawl.warc.gz", pages)
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [json.loads(line) for line in (corpus / "feed.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    pq.write_table(pa.Table.from_pylist(records[:2]), root / "dump.parquet")
    return [docs, root / "wire.jsonl", root / "crawl.warc.gz", root / "dump.parquet"]


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in RECONCILE_FIELDS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def extractions(db: str) -> dict[str, dict[str, Any]]:
    """Article id -> everything extracted from it (reconcile's links left out)."""
    with Store(Settings(db=db).db_url) as store:
        return {ex.article.id: _strip(to_dict(ex)) for ex in store.iter_extractions()}


