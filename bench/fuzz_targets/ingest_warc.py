"""Fuzz target: WARC archives, plain or gzipped (first byte odd), as CC-NEWS publishes them."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import FIXTURES, check_items, fuzz_main, read_flagged

from rashomon.ingest import warc


def check(data: bytes) -> None:
    """A damaged archive yields what it could read, then one IngestError naming the file and record."""
    path, items = read_flagged(warc.read, data, "input.warc")
    check_items(items, path, need_item=False)


def _archive(pages: list[tuple[str, bytes, str]]) -> bytes:
    """An uncompressed WARC: a request record, then one response record per page (warcio writes it)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    writer.write_record(
        writer.create_warc_record(
            "https://example.org/",
            "request",
            payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
        )
    )
    for url, body, ctype in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
        writer.write_record(record)
    return buf.getvalue()


def seeds() -> Iterator[bytes]:
    page = (FIXTURES / "ingest" / "article.html").read_bytes()
    archive = _archive(
        [
            ("https://example.org/a", page, "text/html"),
            ("https://example.org/b", b"{}", "text/json"),
        ]
    )
    yield b"\x00" + archive
    yield b"\x01" + archive
    yield b"\x00" + _archive(
        [
            (
                "https://example.org/short",
                b"<html><body><p>Short.</p></body></html>",
                "text/html",
            )
        ]
    )


if __name__ == "__main__":
    fuzz_main(check)
