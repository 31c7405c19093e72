"""Planning: inputs -> shards, and reading one shard's articles.

A shard is the unit of work, of output (``DIR/shards/<key>/``) and of restart. Container files
(WARC, JSON Lines, JSON, Parquet, feeds) are a shard each; a JSON Lines file longer than
``shard_records`` lines is split into line ranges (cheap: a range reader skips other lines unparsed);
single-article files (text, HTML) in a folder are grouped, ``files_per_shard`` at a time, in the sorted
order ``analyze`` reads them in. Records keep the sources ``analyze`` gives them (``path#line``), so
both commands give the same article ids.
"""

from __future__ import annotations

import hashlib
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rashomon.ingest import iter_articles
from rashomon.ingest.base import IngestError, Item, ReadOptions
from rashomon.ingest.fetch import is_url
from rashomon.ingest.jsonl import (  # the JSONL reader's own record code: same ids
    line_record,
    open_binary,
)

ARTICLE_FILES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".shtml")
LINE_FILES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True, slots=True)
class Shard:
    """Files read together, or lines ``[start, stop)`` (1-based) of one JSON Lines file."""

    key: str
    files: tuple[str, ...]
    start: int | None = None
    stop: int | None = None

    @property
    def ranged(self) -> bool:
        return self.start is not None


def shard_key(files: tuple[str, ...], start: int | None = None, stop: int | None = None) -> str:
    """A readable, stable directory name: the first file's name plus a hash of what the shard covers."""
    ident = "\x1f".join(str(Path(f).resolve()) for f in files) + f"\x1f{start}:{stop}"
    digest = hashlib.sha1(ident.encode("utf-8")).hexdigest()[:12]
    name = _SLUG.sub("_", Path(files[0]).name)[:48] if files else "empty"
    span = f"-L{start}-{stop - 1}" if start is not None and stop is not None else ""
    return f"{name}{span}-{digest}"


def _lower(path: Path) -> str:
    return path.name.lower()


def is_article_file(path: Path) -> bool:
    return _lower(path).endswith(ARTICLE_FILES)


def iter_files(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in the order ``ingest.iter_articles`` reads them (sorted, hidden skipped,
    folder links not followed)."""
    try:
        names = sorted(e.name for e in os.scandir(folder) if not e.name.startswith("."))
    except OSError:
        return
    for name in names:
        child = folder / name
        if child.is_dir():
            if not child.is_symlink():
                yield from iter_files(child)
        elif child.is_file():
            yield child


def count_lines(path: Path) -> int:
    """Lines of a (possibly gzipped) JSON Lines file, counted in blocks without parsing."""
    n, last = 0, b"\n"
    try:
        with open_binary(path) as fh:
            while block := fh.read(1 << 20):
                n += block.count(b"\n")
                last = block[-1:]
    except (OSError, EOFError, zlib.error):
        return 0  # damaged: read it whole, the reader reports where it breaks
    return n + (last != b"\n")


def _file_shards(path: Path, shard_records: int) -> Iterator[Shard]:
    files = (str(path),)
    lines = count_lines(path) if shard_records > 0 and _lower(path).endswith(LINE_FILES) else 0
    if lines <= shard_records or shard_records <= 0:
        yield Shard(shard_key(files), files)
        return
    for start in range(1, lines + 1, shard_records):
        stop = min(start + shard_records, lines + 1)
        yield Shard(shard_key(files, start, stop), files, start, stop)


def _group(files: list[Path]) -> Shard:
    names = tuple(str(f) for f in files)
    return Shard(shard_key(names), names)


def _folder_shards(folder: Path, shard_records: int, files_per_shard: int) -> Iterator[Shard]:
    group: list[Path] = []
    for path in iter_files(folder):
        if is_article_file(path):
            group.append(path)
            if len(group) >= files_per_shard:
                yield _group(group)
                group = []
        else:
            yield from _file_shards(path, shard_records)
    if group:
        yield _group(group)


def plan(inputs: Iterable[str | Path], shard_records: int = 0, files_per_shard: int = 200) -> tuple[list[Shard], list[IngestError]]:
    """The shards of ``inputs`` (metadata only: one entry per file or range, never the records), and
    the inputs that cannot be sharded (missing paths, URLs: feeds are ``analyze`` / ``watch`` work)."""
    shards: list[Shard] = []
    errors: list[IngestError] = []
    for raw in inputs:
        value = str(raw)
        path = Path(value)
        if is_url(value):
            errors.append(IngestError(value, "batch reads files and folders; read feeds with analyze or watch"))
        elif path.is_dir():
            shards.extend(_folder_shards(path, shard_records, files_per_shard))
        elif path.is_file():
            shards.extend(_file_shards(path, shard_records))
        else:
            errors.append(IngestError(value, "no such file or directory"))
    return list({s.key: s for s in shards}.values()), errors


def read_shard_input(shard: Shard, options: ReadOptions) -> Iterator[Item]:
    """The shard's records, through the same readers as ``analyze``."""
    if not shard.ranged:
        yield from iter_articles(shard.files, options)
        return
    yield from _read_lines(Path(shard.files[0]), shard.start or 1, shard.stop or 1, options)


def _read_lines(path: Path, start: int, stop: int, options: ReadOptions) -> Iterator[Item]:
    source, lineno = str(path), 0
    try:
        with open_binary(path) as fh:
            for lineno, raw in enumerate(fh, start=1):
                if lineno >= stop:
                    return
                if lineno >= start and raw.strip():
                    yield from line_record(raw, source, lineno, options, "jsonl")
    except (OSError, EOFError, zlib.error) as exc:
        yield IngestError(source, f"file damaged after line {lineno}: {exc}", line=lineno + 1)
