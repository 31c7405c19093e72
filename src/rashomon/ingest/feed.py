"""RSS and Atom feeds (files or fetched feed URLs) via feedparser: one Article per entry.

An entry's own content/summary is the text. With ``ReadOptions.fetch`` the entry's link is fetched
and the page's article text used instead (falling back to the summary when the fetch fails).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rashomon.ingest.base import IngestError, Item, ReadOptions
from rashomon.ingest.common import clean_field, finish
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


def parse_feed(data: bytes, source: str, options: ReadOptions, feed_url: str | None = None) -> Iterator[Item]:
    """Articles from feed bytes; an IngestError when the document is not a feed at all."""
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        why = f"not a readable RSS/Atom feed ({problem})" if problem else "feed has no entries"
        yield IngestError(source, why)
        return
    outlet = _feed_outlet(parsed.get("feed", {}), feed_url)
    for n, entry in enumerate(entries, start=1):
        yield from _entry(entry, f"{source}#{n}", n, source, outlet, options)


def _feed_outlet(feed: Any, feed_url: str | None) -> str | None:
    """The feed's title, else the domain of its site link or of the feed URL."""
    title = clean_field(feed.get("title"))
    if title:  # "Example Wire - World", "Outlet | Home": the outlet is the first part
        title = _TITLE_SEP.split(title, maxsplit=1)[0].strip() or title
    return title or outlet_from_url(feed.get("link") or feed_url)


def _entry(entry: Any, source: str, n: int, file: str, outlet: str | None, options: ReadOptions) -> Iterator[Item]:
    link = clean_field(entry.get("link"))
    published = parse_date(entry.get("published_parsed") or entry.get("updated_parsed")) or parse_date(
        entry.get("published") or entry.get("updated")
    )
    if options.fetch and link:
        fetched = _fetch_entry(link, source, published)
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
        outlet=outlet or outlet_from_url(link),
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


def _fetch_entry(link: str, source: str, published: str | None) -> Item:
    try:
        page = fetch(link)
    except FetchError as exc:
        return IngestError(source, f"{link}: {exc}", warning=True)
    item = article_from_html(page.data, link, url=page.url, fmt="feed")
    if isinstance(item, Article) and published and (not item.published or item.published_inferred):
        item.published, item.published_inferred = published, False
    return item
