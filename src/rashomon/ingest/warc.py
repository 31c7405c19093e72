"""WARC archives (``.warc``, ``.warc.gz``; the CC-NEWS layout): each HTML response record -> Article.

The page goes through the HTML reader's :func:`article_from_html`; the URL comes from WARC-Target-URI
and, when the page states no date, WARC-Date is used and marked inferred (it is the crawl date).
A damaged archive yields every record read before the damage, then an IngestError naming the record.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rashomon.ingest.base import IngestError, Item, ReadOptions
from rashomon.ingest.html import article_from_html
from rashomon.ingest.meta import parse_date

MAX_PAYLOAD = 10 * 1024 * 1024  # larger responses are not news pages
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Yield an Article per HTML response record; a damaged tail gives one IngestError."""
    from warcio.archiveiterator import ArchiveIterator

    source = str(path)
    number = 0
    end = 0  # file offset just past the last complete record
    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        while True:
            try:
                record = _next_record(records)
            except DamagedArchive as exc:
                yield IngestError(source, f"damaged or truncated WARC at record {number + 1}: {exc}", line=number + 1)
                return
            if record is None:
                break
            number += 1
            if _cut_headers(record):
                yield IngestError(source, f"truncated WARC: record {number} has incomplete headers", line=number)
                return
            item = _record_item(record, source, number)
            if _truncated(record):
                yield IngestError(source, f"truncated WARC: record {number} ends before its length", line=number)
                return
            if item is not None:
                yield item
            end = records.get_record_offset() + records.get_record_length()
        # A negative end: warcio lost its offsets in a gzip stream that goes on past the last record it read.
        if end < 0 or _junk_after(fh, end):
            yield IngestError(source, f"truncated WARC: record {number + 1} is incomplete", line=number + 1)
        elif number == 0:
            yield IngestError(source, "empty file (no WARC records)")


class DamagedArchive(Exception):
    """warcio could not parse the next record."""


def _next_record(records: Any) -> Any | None:
    """The next record, None at the end; any parse failure (warcio raises several kinds) -> DamagedArchive."""
    from warcio.exceptions import ArchiveLoadFailed

    try:
        return next(records)
    except StopIteration:
        return None
    except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, AttributeError, TypeError) as exc:
        raise DamagedArchive(str(exc) or type(exc).__name__) from None


def _cut_headers(record: Any) -> bool:
    """True when the WARC or HTTP header block of a record was cut off (no length, no HTTP status)."""
    if not record.rec_headers.get_header("Content-Length"):
        return True
    wants_http = "application/http" in (record.rec_headers.get_header("Content-Type") or "")
    return record.rec_type == "response" and wants_http and record.http_headers is None


def _junk_after(fh: Any, end: int) -> bool:
    """True when bytes other than blank padding follow the last complete record (a cut record)."""
    fh.seek(end)
    return bool(fh.read(4096).strip())


def _truncated(record: Any) -> bool:
    """True when the record's body ended before its declared length (the file was cut)."""
    stream = record.raw_stream
    while getattr(stream, "limit", 0):
        if not stream.read(min(stream.limit, 1 << 20)):  # drain what the payload reader left
            return True
    return False


def _record_item(record: Any, source: str, number: int) -> Item | None:
    """An Article (or an error) for an HTML response record; None for every other record."""
    if record.rec_type != "response":
        return None
    http = record.http_headers
    ctype = (http.get_header("Content-Type") or "").lower() if http else ""
    if not any(t in ctype for t in _HTML_TYPES):
        return None
    payload = record.content_stream().read(MAX_PAYLOAD + 1)
    url = record.rec_headers.get_header("WARC-Target-URI")
    if len(payload) > MAX_PAYLOAD:
        return IngestError(source, f"record {number} ({url}) is larger than {MAX_PAYLOAD} bytes", line=number)
    if _truncated(record):
        return None  # reported by the caller as damage
    crawl_date = parse_date(record.rec_headers.get_header("WARC-Date"))
    item = article_from_html(payload, f"{source}#{number}", url=url, fallback_date=crawl_date, fmt="warc")
    if isinstance(item, IngestError):
        item.source, item.line = source, number
        item.message = f"record {number} ({url}): {item.message}"
    return item
