"""What every reader yields: Articles, or IngestErrors that name the file, the record and the problem."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rashomon.records import Article


@dataclass(slots=True)
class IngestError:
    """One input that could not be read; the rest of the batch goes on."""

    source: str  # the file path or URL
    message: str  # what is wrong, in plain words
    line: int | None = None  # line number (JSONL) or record number (WARC, JSON array, feed entry)
    warning: bool = False  # True: the input WAS read (e.g. decoded as cp1252), this only flags it

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        kind = "warning: " if self.warning else ""
        return f"{where}: {kind}{self.message}"


@dataclass(slots=True)
class ReadOptions:
    field_map: dict[str, str]  # user names -> our names (text, title, url, published, outlet, author)
    fetch: bool = False  # fetch article URLs named in feeds
    allow_private: bool = False  # let those URLs reach loopback / private addresses (tests, intranets)


Item = Article | IngestError
Reader = Callable[[Path, ReadOptions], Iterator[Item]]
