"""JSON Lines (``.jsonl``/``.ndjson``, optionally gzipped) and JSON (``.json``) article records.

Field names vary by exporter (scrapers, news APIs, data sets), so the common ones are recognised and
``ReadOptions.field_map`` maps any others onto ours. A bad record is reported with its line (or record)
number and the rest of the file is still read.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any

from rashomon.ingest.base import IngestError, Item, ReadOptions
from rashomon.ingest.common import clean_field, clean_text, decode_bytes, finish
from rashomon.ingest.html import strip_tags
from rashomon.ingest.jsonstream import NotAContainer, stream_records
from rashomon.ingest.meta import parse_date, unwrap_archive_url
from rashomon.records import Article

# Our field -> the names exporters commonly use for it, in order of preference.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "full_text", "fulltext", "maintext", "article_text"),
    "title": ("title", "headline", "name"),
    "url": ("url", "uri", "link", "canonical_url", "source_url"),
    "published": (
        "published", "date", "dct", "pubDate", "pubdate", "publish_date", "published_at",
        "date_publish", "publication_date", "datetime", "timestamp", "seendate",
    ),
    "outlet": ("outlet", "source", "site", "site_name", "sitename", "publisher", "source_name", "domain"),
    "author": ("author", "authors", "byline", "creator"),
}  # fmt: skip
# Keys under which a JSON document commonly holds its array of records.
STREAM_BYTES = 16 << 20  # larger JSON documents are streamed record by record
# json recurses once per nesting level; a record nested past the interpreter's limit is not an article.
TOO_DEEP = "malformed JSON: nested too deeply"
CONTAINER_KEYS = ("articles", "items", "data", "results", "records", "documents", "docs", "entries", "response")


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Dispatch on extension: ``.json`` is one document, everything else one record per line."""
    if _base_suffix(path) == ".json":
        yield from read_json(path, options)
    else:
        yield from read_lines(path, options)


def _base_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def open_binary(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]  # GzipFile is a binary IO
    return path.open("rb")


def read_lines(path: Path, options: ReadOptions) -> Iterator[Item]:
    """One JSON object per line; malformed lines give an IngestError and reading goes on."""
    source = str(path)
    fmt = "jsonl"
    lineno = 0
    records = 0
    with open_binary(path) as fh:
        try:
            for lineno, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                records += 1
                yield from line_record(raw, source, lineno, options, fmt)
        except (OSError, EOFError, zlib.error) as exc:  # damaged gzip: everything before it was yielded
            yield IngestError(source, f"file damaged after line {lineno}: {exc}", line=lineno + 1)
            return
    if not records:
        yield IngestError(source, "empty file")


def line_record(raw: bytes, source: str, lineno: int, options: ReadOptions, fmt: str) -> Iterator[Item]:
    decoded = decode_bytes(raw)
    if decoded.fallback:
        yield IngestError(source, f"line not valid UTF-8; decoded as {decoded.fallback}", lineno, warning=True)
    try:
        obj = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        yield IngestError(source, f"malformed JSON: {exc.msg} (column {exc.colno})", line=lineno)
        return
    except RecursionError:
        yield IngestError(source, TOO_DEEP, line=lineno)
        return
    yield record_to_article(obj, f"{source}#{lineno}", options, fmt, error_line=lineno, file=source)


def read_json(path: Path, options: ReadOptions) -> Iterator[Item]:
    """A JSON document: one object, an array of objects, or an object holding such an array.

    A document over ``STREAM_BYTES`` is read one record at a time (:mod:`jsonstream`), so a dump of
    a whole news API never sits in memory at once."""
    source = str(path)
    if path.stat().st_size > STREAM_BYTES:
        streamed = yield from _stream_json(path, options)
        if streamed:
            return
    try:
        with open_binary(path) as fh:
            data = fh.read()
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield IngestError(source, f"damaged compressed file: {exc}")
        return
    decoded = decode_bytes(data)
    if decoded.fallback:
        yield IngestError(source, f"not valid UTF-8; decoded as {decoded.fallback}", warning=True)
    if not decoded.text.strip():
        yield IngestError(source, "empty file")
        return
    try:
        doc = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        yield IngestError(source, f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", exc.lineno)
        return
    except RecursionError:
        yield IngestError(source, TOO_DEEP)
        return
    records = _records_of(doc)
    if records is None:
        yield record_to_article(doc, source, options, "json", error_line=None, file=source)
        return
    for n, obj in enumerate(records, start=1):
        yield record_to_article(obj, f"{source}#{n}", options, "json", error_line=n, file=source)


def _stream_json(path: Path, options: ReadOptions) -> Generator[Item, None, bool]:
    """Records of a large document as they are parsed; returns False when it holds no array of records."""
    source = str(path)
    n = 0
    with open_binary(path) as fh:
        try:
            for n, obj in enumerate(stream_records(fh, CONTAINER_KEYS), start=1):
                yield record_to_article(obj, f"{source}#{n}", options, "json", error_line=n, file=source)
        except NotAContainer:
            return False
        except (ValueError, EOFError, zlib.error) as exc:  # everything before the damage was yielded
            yield IngestError(source, f"malformed or damaged JSON after record {n}: {exc}", line=n + 1)
    return True


def _records_of(doc: Any) -> list[Any] | None:
    """The array of records in a JSON document, or None when the document is a single record."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and not _has_text(doc):
        for key in CONTAINER_KEYS:
            value = doc.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, dict):  # {"response": {"results": [...]}}
                inner = _records_of(value)
                if inner is not None:
                    return inner
    return None


def _has_text(obj: dict[str, Any]) -> bool:
    return any(isinstance(obj.get(k), str) for k in FIELD_ALIASES["text"])


def record_to_article(
    obj: Any,
    source: str,
    options: ReadOptions,
    fmt: str,
    error_line: int | None,
    file: str,
) -> Item:
    """An Article from one record; an IngestError naming the file and line when it has no text."""
    if not isinstance(obj, dict):
        return IngestError(file, f"record is a JSON {type(obj).__name__}, not an object", line=error_line)
    fields = map_fields(obj, options.field_map)
    text = _text_of(fields.get("text"))
    if not text:
        tried = ", ".join(_wanted("text", options.field_map))
        return IngestError(file, f"record has no article text (looked for: {tried})", line=error_line)
    url = unwrap_archive_url(clean_field(fields.get("url")))
    article = Article(
        source=source,
        text=text,
        title=clean_field(fields.get("title")),
        url=url,
        outlet=_name_of(fields.get("outlet")),
        published=parse_date(fields.get("published")),
        author=_author_of(fields.get("author")),
        format=fmt,
    )
    return finish(article)


def map_fields(obj: dict[str, Any], field_map: dict[str, str]) -> dict[str, Any]:
    """Our field name -> value: the user's ``field_map`` first, then the common aliases."""
    out: dict[str, Any] = {}
    for theirs, ours in field_map.items():
        value = _get_path(obj, theirs)
        if value not in (None, "") and ours not in out:
            out[ours] = value
    for ours, aliases in FIELD_ALIASES.items():
        if ours in out:
            continue
        for alias in aliases:
            value = obj.get(alias)
            if value not in (None, "", [], {}):
                out[ours] = value
                break
    return out


def _get_path(obj: dict[str, Any], dotted: str) -> Any:
    """``obj["a"]["b"]`` for "a.b" (a field map may name a nested field), else ``obj[dotted]``."""
    if dotted in obj:
        return obj[dotted]
    cur: Any = obj
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _wanted(ours: str, field_map: dict[str, str]) -> list[str]:
    return [k for k, v in field_map.items() if v == ours] + list(FIELD_ALIASES[ours])


def _text_of(value: Any) -> str:
    """Article text from a string (HTML tags stripped when it is markup) or a list of paragraphs."""
    if isinstance(value, list):
        value = "\n\n".join(str(v) for v in value if isinstance(v, str))
    if not isinstance(value, str):
        return ""
    if "<" in value and ("</p>" in value.lower() or "<br" in value.lower()):
        return strip_tags(value)
    return clean_text(value)


def _name_of(value: Any) -> str | None:
    """An outlet from a string or a nested object such as {"name": "Reuters", "id": ...}."""
    if isinstance(value, dict):
        for key in ("name", "title", "domain", "id"):
            name = clean_field(value.get(key))
            if name:
                return name
        return None
    return clean_field(value)


def _author_of(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name_of(v) for v in value) if n]
        return ", ".join(names) or None
    return _name_of(value)
