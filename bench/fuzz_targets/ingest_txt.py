"""Fuzz target: plain-text articles (decoding, binary/empty checks, header and dateline detection)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import FIXTURES, check_items, fuzz_main, read_all, write_input

from rashomon.ingest import txt


def check(data: bytes) -> None:
    """One text file: an Article or an IngestError naming it, never an exception."""
    path = write_input(data, "input.txt")
    check_items(read_all(txt.read, path), path)


def seeds() -> Iterator[bytes]:
    for path in sorted((FIXTURES / "ingest").glob("*.txt")):
        yield path.read_bytes()


if __name__ == "__main__":
    fuzz_main(check)
