"""Fuzz target: JSON Lines files, plain or gzipped (first byte odd), one record per line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import FIXTURES, check_items, fuzz_main, read_flagged

from rashomon.ingest import jsonl


def check(data: bytes) -> None:
    """Every bad line an IngestError naming the file and its line; the other lines still read."""
    path, items = read_flagged(jsonl.read, data, "input.jsonl")
    check_items(items, path, need_line=True)


def seeds() -> Iterator[bytes]:
    body = (FIXTURES / "ingest" / "articles.jsonl").read_bytes()
    yield b"\x00" + body
    yield b"\x01" + body


if __name__ == "__main__":
    fuzz_main(check)
