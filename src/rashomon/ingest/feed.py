"""RSS and Atom feeds (files or fetched feed URLs) via feedparser: one Article per entry.

An entry's own content/summary is the text. With ``ReadOptions.fetch`` the entry's link is fetched
and the page's article text used instead (falling back to the summary when the fetch fails); links
to loopback or private addresses are fetched only with ``ReadOptions.allow_private``. An entry's
article source is ``FEED#guid`` (or its link), never its position, so a feed that gains items gives
its older entries the same article ids again and the store skips them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rashomon.ingest.base import IngestError, Item, ReadOptions
from rashomon.ingest.common import clean_field, decode_bytes, finish
from rashomon.ingest.fetch import FetchError, fetch
from rashomon.ingest.html import article_from_html, strip_tags
from rashomon.ingest.meta import outlet_from_url, parse_date
from rashomon.records import Article

_TITLE_SEP = re.compile(r"\s+[-|–—:»]\s+|\s*[|–—»]\s*")


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Yield one Article per feed entry in an RSS/Atom file."""
    yield from parse_feed(path.read_bytes(), str(path), options)


def looks_like_feed(head: bytes) -> bool:
    """True when the first bytes of a document are an RSS, RDF or Atom feed."""
    h = head[:2048].lower()
    return b"<rss" in h or b"<feed" in h or b"<rdf:rdf" in h


@dataclass(slots=True)
class FeedEntries:
    """A parsed feed: its outlet and its entries (feedparser dicts), before any entry becomes an Article."""

    source: str
    outlet: str | None
    entries: list[Any]


def parse_feed(data: bytes, source: str, options: ReadOptions, feed_url: str | None = None) -> Iterator[Item]:
    """Articles from feed bytes; an IngestError when the document is not a feed at all."""
    parsed = read_entries(data, source, feed_url)
    if isinstance(parsed, IngestError):
        yield parsed
        return
    for n, entry in enumerate(parsed.entries, start=1):
        yield from entry_items(parsed, entry, n, options)


def read_entries(data: bytes, source: str, feed_url: str | None = None) -> FeedEntries | IngestError:
    """The entries of a feed document, or an IngestError when it is not a readable feed."""
    try:
        parsed = _parse(data)
    except Exception as exc:  # noqa: BLE001 - feedparser raises what it meets; the file is then unreadable
        return IngestError(source, f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc})")
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        why = f"not a readable RSS/Atom feed ({problem})" if problem else "feed has no entries"
        return IngestError(source, why)
    return FeedEntries(source, _feed_outlet(parsed.get("feed", {}), feed_url), list(entries))


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def _parse(data: bytes) -> Any:
    """feedparser's result; a document whose XML declaration names a broken encoding (feedparser trusts
    it and raises) is decoded as any text file is, and parsed again without the declaration."""
    import feedparser

    try:
        return feedparser.parse(data)
    except (ValueError, LookupError, UnicodeError):
        return feedparser.parse(_XML_DECLARATION.sub("", decode_bytes(data).text, count=1))


def entry_source(entry: Any, feed_source: str, n: int) -> str:
    """``FEED#KEY``, KEY the entry's guid, else its link or title, never its position: a feed that gains
    items gives every older entry the same source again, hence the same article id."""
    key = clean_field(entry.get("id")) or clean_field(entry.get("link")) or clean_field(entry.get("title"))
    return f"{feed_source}#{key or n}"


def _feed_outlet(feed: Any, feed_url: str | None) -> str | None:
    """The feed's title, else the domain of its site link or of the feed URL."""
    title = clean_field(feed.get("title"))
    if title:  # "Example Wire - World", "Outlet | Home": the outlet is the first part
        title = _TITLE_SEP.split(title, maxsplit=1)[0].strip() or title
    return title or outlet_from_url(feed.get("link") or feed_url)


def entry_items(feed: FeedEntries, entry: Any, n: int, options: ReadOptions) -> Iterator[Item]:
    """The Article of the ``n``-th entry (its page with ``options.fetch``), or an error naming the entry."""
    link = clean_field(entry.get("link"))
    source, file = entry_source(entry, feed.source, n), feed.source
    published = parse_date(entry.get("published_parsed") or entry.get("updated_parsed")) or parse_date(
        entry.get("published") or entry.get("updated")
    )
    if options.fetch and link:
        fetched = _fetch_entry(link, published, options.allow_private)
        if isinstance(fetched, Article):
            fetched.title = fetched.title or clean_field(entry.get("title"))
            yield fetched
            return
        fetched.warning = True  # the summary below is still used when there is one
        yield fetched
    text = _entry_text(entry)
    if not text:
        hint = "" if options.fetch or not link else f"; pass --fetch to fetch {link}"
        yield IngestError(file, f"feed entry {n} has no text{hint}", line=n)
        return
    article = Article(
        source=source,
        text=text,
        title=clean_field(strip_tags(entry.get("title") or "")),
        url=link,
        outlet=feed.outlet or outlet_from_url(link),
        published=published,
        author=clean_field(entry.get("author")),
        format="feed",
    )
    yield finish(article)


def _entry_text(entry: Any) -> str:
    """The longest of the entry's content blocks and its summary, as plain text."""
    candidates = [c.get("value", "") for c in entry.get("content") or []]
    candidates.append(entry.get("summary") or "")
    best = max(candidates, key=len)
    return strip_tags(best) if best else ""


def _fetch_entry(link: str, published: str | None, allow_private: bool) -> Item:
    try:
        page = fetch(link, allow_private=allow_private)
    except FetchError as exc:
        return IngestError(link, str(exc), warning=True)
    item = article_from_html(page.data, link, url=page.url, fmt="feed")
    if isinstance(item, Article) and published and (not item.published or item.published_inferred):
        item.published, item.published_inferred = published, False
    return item
