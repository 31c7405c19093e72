"""Fuzz target: RSS / Atom feeds through feedparser, one Article (or error) per entry."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import FIXTURES, check_items, fuzz_main, read_all, write_input

from rashomon.ingest import feed


def check(data: bytes) -> None:
    """A feed document: per-entry Articles or errors naming the file, never an exception."""
    path = write_input(data, "input.rss")
    check_items(read_all(feed.read, path), path)


def seeds() -> Iterator[bytes]:
    for pattern in ("*.rss", "*.atom"):
        for path in sorted((FIXTURES / "ingest").glob(pattern)):
            yield path.read_bytes()


if __name__ == "__main__":
    fuzz_main(check)
