"""HTML pages: trafilatura finds the article text and its metadata.

:func:`article_from_html` is shared by the WARC reader and by fetched URLs, so a page gets the same
treatment wherever it came from.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rashomon.ingest.base import IngestError, Item, ReadOptions
from rashomon.ingest.common import clean_field, clean_text, finish, is_binary
from rashomon.ingest.meta import parse_date, unwrap_archive_url
from rashomon.records import Article

# Only dates the page states about itself; htmldate's extensive search can pick up unrelated dates.
# trafilatura logs every unparsable page at ERROR; ingest reports those itself as IngestErrors.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

# A date in the URL only when the page states none ("/2014/06/5_people-shot" is not June 5).
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "deferred_url_extractor": True}
_OG_SITE = re.compile(rb"<meta[^>]+(?:property|name)=[\"']og:site_name[\"'][^>]*>", re.I)
_CONTENT_ATTR = re.compile(rb"content=[\"']([^\"']*)[\"']", re.I)


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Yield one Article for an HTML file, or an IngestError when it holds no article text."""
    yield article_from_html(path.read_bytes(), str(path))


def article_from_html(
    page: bytes | str,
    source: str,
    url: str | None = None,
    fallback_date: str | None = None,
    fmt: str = "html",
) -> Item:
    """An Article from one HTML page; ``fallback_date`` (marked inferred) when the page has no date."""
    if isinstance(page, bytes) and is_binary(page):
        return IngestError(source, "binary file (not HTML); skipped")
    url = unwrap_archive_url(url)  # an archived copy belongs to the original outlet
    doc = _extract(page, url) or {}
    text = clean_text(doc.get("text") or "")
    if not text:
        return IngestError(source, "no article text found")
    title = clean_field(doc.get("title"))
    text = _drop_leading_title(text, title)
    page_url = url or clean_field(doc.get("url"))
    published = parse_date(doc.get("date"))
    article = Article(
        source=source,
        text=text,
        title=title,
        url=page_url,
        outlet=_site_name(page) or (None if page_url else clean_field(doc.get("sitename"))),  # else domain
        published=published,
        author=clean_field(doc.get("author")),
        format=fmt,
    )
    finish(article)
    if not article.published and fallback_date:
        article.published, article.published_inferred = fallback_date, True
    return article


def _extract(page: bytes | str, url: str | None) -> dict[str, Any] | None:
    """trafilatura's text and metadata as a dict; None when it finds nothing or fails on the page."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception:  # noqa: BLE001 - a page trafilatura cannot parse is "no article text"
        return None
    if doc is None:
        return None
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


def _site_name(page: bytes | str) -> str | None:
    """The page's og:site_name, the outlet's own name for itself."""
    head = page[:65536] if isinstance(page, bytes) else page[:65536].encode("utf-8", "replace")
    tag = _OG_SITE.search(head)
    if not tag:
        return None
    content = _CONTENT_ATTR.search(tag.group(0))
    if not content:
        return None
    return clean_field(html_lib.unescape(content.group(1).decode("utf-8", "replace")))


def _drop_leading_title(text: str, title: str | None) -> str:
    """trafilatura often repeats the <h1> headline as the first line; the title field already has it."""
    if not title:
        return text
    first, _, rest = text.partition("\n")
    if first.strip() == title and rest.strip():
        return rest.strip()
    return text


_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"(?i)<\s*(?:br\s*/?|/p|/div|/li|/h[1-6]|/blockquote|/tr)\s*>")
_SCRIPT = re.compile(r"(?is)<(script|style|noscript)\b.*?</\1\s*>")


def strip_tags(fragment: str) -> str:
    """Plain text from an HTML fragment (feed summaries): block ends become line breaks."""
    s = _SCRIPT.sub(" ", fragment)
    s = _BLOCK_END.sub("\n", s)
    s = _TAG.sub("", s)
    s = html_lib.unescape(s)
    return clean_text(re.sub(r"[ \t]+", " ", s))
