"""No input crashes ingest: arbitrary bytes under every extension give Articles or IngestErrors."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rashomon.ingest import iter_articles
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.ingest.meta import detect_dateline, infer_published, parse_date
from rashomon.records import Article

EXTENSIONS = [".txt", ".html", ".jsonl", ".json", ".rss", ".warc", ".warc.gz", ".jsonl.gz", ""]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), ext=st.sampled_from(EXTENSIONS))
def test_arbitrary_bytes_never_raise(data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{ext}"
        path.write_bytes(data)
        items = list(iter_articles([path], ReadOptions(field_map={})))
    assert items, "every input yields at least an Article or an IngestError"
    for item in items:
        assert isinstance(item, Article | IngestError)
        if isinstance(item, IngestError):
            assert item.source.startswith(str(path.parent))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_meta_helpers_never_raise(text: str) -> None:
    parse_date(text)
    infer_published(text)
    detect_dateline(text)
