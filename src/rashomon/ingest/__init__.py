"""Formats to Article: one reader per input format, behind :func:`iter_articles`.

``iter_articles`` walks files, folders and URLs lazily (never a whole-corpus list) and yields Articles
and IngestErrors; bad input never raises, it becomes an IngestError naming the file (and line/record)
and the rest of the batch goes on.
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from rashomon.ingest import feed, html, jsonl, parquet, txt, warc
from rashomon.ingest.base import IngestError, Item, Reader, ReadOptions
from rashomon.ingest.fetch import FetchError, fetch, is_url
from rashomon.records import Article

__all__ = ["Article", "IngestError", "ReadOptions", "iter_articles", "reader_for", "read_file", "read_url"]

# Extension -> reader. ``.xml`` and unknown extensions are sniffed.
READERS: dict[str, Reader] = {
    ".txt": txt.read,
    ".text": txt.read,
    ".md": txt.read,
    ".html": html.read,
    ".htm": html.read,
    ".xhtml": html.read,
    ".shtml": html.read,
    ".jsonl": jsonl.read,
    ".ndjson": jsonl.read,
    ".jsonl.gz": jsonl.read,
    ".ndjson.gz": jsonl.read,
    ".json": jsonl.read,
    ".json.gz": jsonl.read,
    ".rss": feed.read,
    ".atom": feed.read,
    ".warc": warc.read,
    ".warc.gz": warc.read,
    ".parquet": parquet.read,
}
_SNIFF_BYTES = 4096
_FEED_HINTS = ("rss", "atom", "feed", ".xml")


def iter_articles(paths: Iterable[str | Path], options: ReadOptions) -> Iterator[Article | IngestError]:
    """Every Article (and IngestError) in ``paths``: files, folders (recursively, sorted) and URLs."""
    for raw in paths:
        value = str(raw)
        if is_url(value):
            yield from read_url(value, options)
        else:
            yield from _walk(Path(value), top=True, options=options)


def _walk(path: Path, top: bool, options: ReadOptions) -> Iterator[Item]:
    """Files under ``path`` in sorted order; hidden entries inside folders are skipped."""
    try:
        st = path.stat()
    except FileNotFoundError:
        yield IngestError(str(path), "no such file or directory")
        return
    except OSError as exc:
        yield IngestError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk_dir(path, options)
    elif stat.S_ISREG(st.st_mode):
        yield from read_file(path, options)
    elif top:
        yield IngestError(str(path), "not a regular file; skipped")


def _walk_dir(folder: Path, options: ReadOptions) -> Iterator[Item]:
    try:
        with os.scandir(folder) as it:
            names = sorted(e.name for e in it if not e.name.startswith("."))
    except OSError as exc:
        yield IngestError(str(folder), f"cannot read folder: {exc.strerror or exc}")
        return
    for name in names:
        child = folder / name
        if child.is_symlink() and child.is_dir():
            continue  # never follow folder links: they can loop
        yield from _walk(child, top=False, options=options)


def read_file(path: Path, options: ReadOptions) -> Iterator[Item]:
    """One file through its reader; any failure becomes an IngestError after what was already read."""
    try:
        reader = reader_for(path)
    except OSError as exc:
        yield IngestError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    if reader is None:
        yield IngestError(str(path), "unsupported file type; skipped")
        return
    try:
        yield from reader(path, options)
    except PermissionError:
        yield IngestError(str(path), "cannot read: permission denied")
    except IsADirectoryError:
        yield IngestError(str(path), "is a directory, not a file")
    except OSError as exc:
        yield IngestError(str(path), f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch
        yield IngestError(str(path), f"could not be read ({type(exc).__name__}: {exc})")


def reader_for(path: Path) -> Reader | None:
    """The reader for ``path``: by extension, else by sniffing its first bytes."""
    name = path.name.lower()
    for ext in sorted(READERS, key=len, reverse=True):
        if name.endswith(ext):
            return READERS[ext]
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    return _sniff(head)


def _sniff(head: bytes) -> Reader | None:
    """Reader by content: WARC, gzip (WARC), feed, HTML, JSON; anything else is read as text."""
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    low = h[:1024].lower()
    if h.startswith(b"WARC/") or (h.startswith(b"\x1f\x8b") and _gunzip_head(head).startswith(b"WARC/")):
        return warc.read
    if feed.looks_like_feed(h):
        return feed.read
    if low.startswith((b"<!doctype html", b"<html")) or b"<body" in low:
        return html.read
    if low.startswith(b"<?xml"):
        return None  # XML that is neither a feed nor a page (sitemap, NewsML, ...)
    if h.startswith((b"{", b"[")):
        return jsonl.read_lines if h.startswith(b"{") and b"\n{" in h else jsonl.read_json
    return txt.read  # decides itself between text, binary and empty


def _gunzip_head(head: bytes) -> bytes:
    """The first decompressed bytes of a gzip stream (enough to see "WARC/")."""
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 64)
    except zlib.error:
        return b""


def read_url(url: str, options: ReadOptions) -> Iterator[Item]:
    """A feed URL is fetched and parsed; an article URL only with ``options.fetch``."""
    if not options.fetch and not _looks_like_feed_url(url):
        yield IngestError(url, "article URL not fetched: pass --fetch to fetch it (feed URLs are always read)")
        return
    try:
        page = fetch(url, allow_private=True)  # named by the user, so any address is theirs to choose
    except FetchError as exc:
        yield IngestError(url, str(exc))
        return
    if feed.looks_like_feed(page.data) or "rss" in page.content_type or "atom" in page.content_type:
        yield from feed.parse_feed(page.data, url, options, feed_url=page.url)
    elif not options.fetch:
        yield IngestError(url, "not a feed; pass --fetch to read it as an article")
    else:
        yield html.article_from_html(page.data, url, url=page.url)


def _looks_like_feed_url(url: str) -> bool:
    tail = url.lower().split("://", 1)[-1]
    path = tail.split("/", 1)[1] if "/" in tail else ""
    return any(hint in path for hint in _FEED_HINTS)
