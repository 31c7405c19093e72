"""Plain-text articles: robust decoding, and header lines detected (never required) and removed.

Header styles recognised at the top of the file:
- a block of ``Key: value`` lines (Title, Source, Date, Author, URL, ...) followed by a blank line;
- a headline line followed by date and/or byline lines;
- date and/or byline lines alone.
A dateline opening the body ("QUETTA: ...") is recorded in ``Article.dateline`` and kept in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rashomon.ingest.base import IngestError, Item, ReadOptions
from rashomon.ingest.common import (
    clean_field,
    clean_text,
    decode_bytes,
    finish,
    is_binary,
)
from rashomon.ingest.meta import (
    byline,
    date_line,
    detect_dateline,
    editorial_labels,
    parse_date,
    place_date_line,
)
from rashomon.records import Article

# Header keys of the `Key: value` block -> Article field. File-format grammar, not a domain lexicon.
HEADER_KEYS: dict[str, str] = {
    "title": "title",
    "headline": "title",
    "source": "outlet",
    "outlet": "outlet",
    "publication": "outlet",
    "publisher": "outlet",
    "site": "outlet",
    "date": "published",
    "published": "published",
    "publication date": "published",
    "pubdate": "published",
    "updated": "updated",  # used only when no publication date is given
    "author": "author",
    "authors": "author",
    "by": "author",
    "byline": "author",
    "url": "url",
    "link": "url",
    "uri": "url",
}
_KEY_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,24}?)\s*:\s*(.*?)\s*$")
_MAX_HEADLINE_CHARS = 250
_MAX_HEADLINE_WORDS = 30


@dataclass(slots=True)
class Header:
    """What the top of a text file says about the article, and where the body starts."""

    fields: dict[str, str] = field(default_factory=dict)
    body_start: int = 0  # index of the first body line


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Yield one Article for a text file, or an IngestError (binary, empty)."""
    data = path.read_bytes()
    yield from article_from_bytes(data, str(path), "txt")


def article_from_bytes(data: bytes, source: str, fmt: str) -> Iterator[Item]:
    """Decode, check and parse one text document (shared with URL and unknown-extension inputs)."""
    if is_binary(data):
        yield IngestError(source, "binary file (not text); skipped")
        return
    decoded = decode_bytes(data)
    if not decoded.text.strip():
        yield IngestError(source, "empty file")
        return
    if decoded.fallback:
        yield IngestError(source, f"not valid UTF-8; decoded as {decoded.fallback}", warning=True)
    yield parse_text(decoded.text, source, fmt)


def parse_text(raw: str, source: str, fmt: str = "txt") -> Article:
    """An Article from decoded text: header detected and removed, the body kept intact."""
    lines = clean_text(raw).split("\n")
    header = detect_header(lines)
    body = "\n".join(lines[header.body_start :]).strip()
    if not body:  # a file that is only a header: keep its text rather than lose it
        body = "\n".join(lines).strip()
    f = header.fields
    published = parse_date(f.get("published")) or parse_date(f.get("updated"))
    article = Article(
        source=source,
        text=body,
        title=f.get("title"),
        url=f.get("url"),
        outlet=f.get("outlet"),
        published=published,
        author=f.get("author"),
        format=fmt,
    )
    return finish(article)


def detect_header(lines: list[str]) -> Header:
    """The header at the top of ``lines``: a Key: value block, or headline + date/byline lines."""
    return _key_block(lines) or _headline_block(lines) or Header()


def _key_block(lines: list[str]) -> Header | None:
    """A block of known ``Key: value`` lines ended by a blank line."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(lines) and lines[i].strip():
        m = _KEY_LINE.match(lines[i])
        key = m.group(1).strip().lower() if m else None
        if key not in HEADER_KEYS:
            return None
        value = clean_field(m.group(2)) if m else None
        if value:
            fields.setdefault(HEADER_KEYS[key], value)
        i += 1
    if i == 0 or i >= len(lines):  # no block, or nothing after it
        return None
    return Header(fields, i + 1)


def _headline_block(lines: list[str]) -> Header | None:
    """Headline, date, byline and credit lines at the top (blank lines allowed between them).

    Accepted only with evidence: at least one date or byline line, or a body that opens with a
    dateline right after the headline (and an optional credit line such as the outlet's name).
    A section label above the headline ("OPINION") is dropped.
    """
    nb = [i for i, line in enumerate(lines[:16]) if line.strip()]
    if not nb:
        return None
    fields: dict[str, str] = {}
    k = 1 if len(nb) > 1 and _section_label(lines[nb[0]]) else 0
    title: str | None = None
    meta = 0
    if _meta_line(lines[nb[k]], fields):
        meta += 1
    elif _looks_like_headline(lines[nb[k]]):
        title, inline_date = _split_inline_date(lines[nb[k]].strip())
        if inline_date:
            fields["published"] = inline_date
            meta += 1
    else:
        return None
    k += 1
    credit: str | None = None
    while k < len(nb):
        line = lines[nb[k]]
        if _meta_line(line, fields):
            meta += 1
        elif (pd := place_date_line(line)) is not None:
            fields.setdefault("published", date_line(pd.group("date")) or "")
            meta += 1
            break  # "PLACE, date" opens the body: it stays in the text as its dateline
        elif title and credit is None and not meta and _credit(line) and k + 1 < len(nb):
            credit = line.strip()
        else:
            break
        k += 1
    body_start = nb[k] if k < len(nb) else len(lines)
    opens_with_dateline = body_start < len(lines) and detect_dateline(lines[body_start]) is not None
    if not meta and not (title and opens_with_dateline and _strong_headline(title)):
        return None
    if title:
        fields["title"] = title
    if credit:
        fields.setdefault("outlet", credit)
    return Header(fields, body_start)


_INLINE_DATE_KEY = re.compile(r"\s+(?:Posted|Published|Updated|Last updated)(?:\s+on)?\s*:?\s+(?=\S)")


def _split_inline_date(line: str) -> tuple[str, str | None]:
    """A flattened "Headline Posted: Tuesday, May 27, 2014 4:43 PM" line -> (headline, ISO date)."""
    m = _INLINE_DATE_KEY.search(line)
    if not m or m.start() == 0:
        return line, None
    found = parse_date(line[m.end() :][:60])
    return (line[: m.start()].strip(), found) if found else (line, None)


def _strong_headline(title: str) -> bool:
    """Headline-shaped enough to accept on a dateline alone: not a caption, credit or short name.

    Captions are often several sentences or open with a bracket; a two-word line is usually a name.
    """
    words = title.split()
    return (
        3 <= len(words) <= 25
        and len(title) <= 150
        and title[0].isalnum()
        and not title.endswith(")")  # "(Photo: ...)" credits end captions, not headlines
        and not re.search(r"[.!?]\s+\S", title)
    )


def _section_label(line: str) -> bool:
    """A lone editorial label above the headline ("OPINION", "ANALYSIS")."""
    words = line.strip().rstrip(":").lower().split()
    return 0 < len(words) <= 2 and line.strip().isupper() and all(w in editorial_labels() for w in words)


_UPDATED = re.compile(r"^\s*(?:last\s+)?(?:updated|modified)\b", re.I)
_META_SPLIT = re.compile(r"\s*[|•·]\s*|\s+[-–—]\s+")
_TIME_ONLY = re.compile(
    r"^\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,5}|GMT[+-]?\d*|UTC[+-]?\d*)?$", re.I
)
_CREDIT_PARTICLES = frozenset({"of", "the", "and", "&", "via", "for", "de", "al", "el", "la", "le"})


def _meta_line(line: str, fields: dict[str, str]) -> bool:
    """True when ``line`` is a date or byline line, possibly with credits ("Wire via Daily | 4 May 2025").

    Parts are split on "|", "•" and spaced dashes; each must be a date, a byline, a time or a short
    credit (an outlet name), and at least one must be a date or a byline.
    """
    s = line.strip()
    if not s or len(s) > 160:
        return False
    found: dict[str, str] = {}
    credits: list[str] = []
    parts = [p for p in _META_SPLIT.split(s) if p]
    for part in parts:
        iso = date_line(part)
        author = None if iso else byline(part)
        if iso:
            found.setdefault("updated" if _UPDATED.match(part) else "published", iso)
        elif author:
            found.setdefault("author", author)
        elif _TIME_ONLY.match(part):
            continue
        elif _credit(part):
            credits.append(part.strip())
        else:
            return False
    if not found:
        return False
    if credits:
        found.setdefault("outlet", credits[0])
    for key, value in found.items():
        fields.setdefault(key, value)
    return True


def _credit(text: str) -> bool:
    """A short name-like phrase (an outlet or agency credit): capitalised words, no sentence punctuation."""
    words = text.strip().split()
    if not 0 < len(words) <= 6 or text.strip().endswith((".", ",", ";", ":", "!", "?")):
        return False
    if not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _CREDIT_PARTICLES for w in words)


def _looks_like_headline(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > _MAX_HEADLINE_CHARS or len(s.split()) > _MAX_HEADLINE_WORDS:
        return False
    if detect_dateline(s) is not None:
        return False  # the body's first line, not a headline
    return not s.endswith((".", ",", ";", ":")) or s.endswith("...")
