"""Fuzz target: JSON documents (one record, an array, or an array under a container key), read whole
and also through the streaming reader large documents take (with a tiny buffer, so every value is
split across refills)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import FIXTURES, OPTIONS, check_items, fuzz_main, read_flagged

from rashomon.ingest import jsonl, jsonstream


@contextmanager
def _small_chunks(size: int) -> Iterator[None]:
    """The streaming reader with a buffer of ``size`` bytes (a 16 MB document in miniature)."""
    saved = jsonstream.CHUNK
    jsonstream.CHUNK = size
    try:
        yield
    finally:
        jsonstream.CHUNK = saved


def check(data: bytes) -> None:
    """Whole-document and streamed reading: Articles or errors naming the file, never an exception."""
    path, items = read_flagged(jsonl.read, data, "input.json")
    check_items(items, path)
    with _small_chunks(7):
        streamed = list(jsonl._stream_json(path, OPTIONS))
    check_items(streamed, path, need_item=False)


def seeds() -> Iterator[bytes]:
    for name in ("articles.json", "single.json"):
        body = (FIXTURES / "ingest" / name).read_bytes()
        yield b"\x00" + body
        yield b"\x01" + body


if __name__ == "__main__":
    fuzz_main(check)
