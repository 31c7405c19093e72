"""Fuzz target: a file with no known extension, dispatched by sniffing its first bytes, then read."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import FIXTURES, check_items, fuzz_main, read_all, write_input

from rashomon.ingest import reader_for


def check(data: bytes) -> None:
    """Whatever reader the sniffer picks must give Articles or IngestErrors naming the file."""
    path = write_input(data, "input.unknown")
    reader = reader_for(path)
    if reader is None:  # XML that is neither a feed nor a page: reported by read_file as unsupported
        return
    check_items(read_all(reader, path), path, need_item=False)


def seeds() -> Iterator[bytes]:
    for path in sorted((FIXTURES / "ingest").iterdir()):
        yield path.read_bytes()


if __name__ == "__main__":
    fuzz_main(check)
