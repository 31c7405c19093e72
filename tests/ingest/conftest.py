"""Shared fixtures for the ingest tests: the fixture folder and a WARC builder."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from rashomon.ingest.base import ReadOptions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def opts() -> ReadOptions:
    return ReadOptions(field_map={})


def write_warc(
    path: Path, pages: list[tuple[str, bytes, str]], gz: bool = True, warc_date: str = "2025-03-09T00:00:00Z"
) -> Path:
    """A WARC with one response record per (url, body, content type), plus a request record first."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        req = writer.create_warc_record(
            "https://example.org/", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
        )
        writer.write_record(req)
        for url, body, ctype in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": warc_date}
            )
            writer.write_record(rec)
    return path


@pytest.fixture
def warc_builder() -> Callable[..., Path]:
    return write_warc
