"""Fuzz target: HTML pages through trafilatura and the page metadata helpers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import FIXTURES, check_items, fuzz_main, read_all, write_input

from rashomon.ingest import html


def check(data: bytes) -> None:
    """One page: exactly one Article or IngestError naming the file."""
    path = write_input(data, "input.html")
    items = read_all(html.read, path)
    check_items(items, path)
    html.strip_tags(data.decode("utf-8", errors="replace"))  # feed summaries and JSON bodies use it


def seeds() -> Iterator[bytes]:
    for path in sorted((FIXTURES / "ingest").glob("*.html")):
        yield path.read_bytes()


if __name__ == "__main__":
    fuzz_main(check)
