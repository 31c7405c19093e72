"""Metadata helpers every reader shares: outlet from a URL, dates to ISO, datelines, language.

Kept in one place so that an article gets the same outlet, date and dateline whatever format it came in
(reconcile compares outlets and dates across formats).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from rashomon.lexicon import load_list

# Month names and abbreviations are date grammar, not a domain lexicon.
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY_RE = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s*"

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b")
_ISO_SLASH = re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE}),?\s+(\d{{4}})\b", re.I)
_MDY = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")

# Lines that carry dates which are not publication dates (cookie expiry, script config, copyright).
_NOT_PUBLICATION = re.compile(
    r"expir|cookie|valid until|deadline|copyright|©|\(c\)|function\s*\(|var\s|=\s*[\"']|[{};]", re.I
)
_DATE_KEYS = r"(?:published|posted|updated|last updated|date|dated|first published|publication date)"
_DATE_LINE = re.compile(rf"^\s*(?:{_DATE_KEYS})\s*(?:on|at)?\s*[:\-–—]?\s*(.+)$", re.I)
_TIME_TAIL = re.compile(
    r"^[\s,|at\-–—]*(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)?"
    r"\s*(?:\(?[A-Z]{2,5}\)?|GMT[+-]?\d*|UTC[+-]?\d*|[+-]\d{2}:?\d{2})?\s*$",
    re.I,
)

_MIN_YEAR = 1900


def _valid(y: int, m: int, d: int) -> str | None:
    """ISO date for a plausible publication date; None for impossible or far-future ones."""
    if y < _MIN_YEAR or y > datetime.now(UTC).year + 1:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(value: object) -> str | None:
    """ISO YYYY-MM-DD from the common forms a news date comes in; None when there is none.

    Accepts ISO dates and timestamps, "4 March 2025", "March 4, 2025 10:32 AM", "Tue, 04 Mar 2025 ...",
    unambiguous day/month/year numerals, epoch seconds/milliseconds and ``time.struct_time``.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, time.struct_time):
        return _valid(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, datetime | date):
        return _valid(value.year, value.month, value.day)
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    return _parse_date_str(value.strip())


def _from_epoch(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    try:
        d = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return _valid(d.year, d.month, d.day)


def _parse_date_str(s: str) -> str | None:
    if not s:
        return None
    if s.isdigit() and len(s) >= 9:
        return _from_epoch(float(s))
    for rx, order in ((_ISO, "ymd"), (_ISO_SLASH, "ymd"), (_DMY, "dmy"), (_MDY, "mdy")):
        m = rx.search(s)
        if m:
            return _from_groups(m.groups(), order)
    m = _NUMERIC.search(s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b:
            return _valid(y, b, a)
        if b > 12 >= a:
            return _valid(y, a, b)
    return None  # ambiguous day/month numerals are left unknown, never guessed


def _from_groups(groups: tuple[str, ...], order: str) -> str | None:
    parts = dict(zip(order, groups, strict=True))
    month = parts["m"]
    m = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."), 0)
    return _valid(int(parts["y"]), m, int(parts["d"]))


def date_line(line: str) -> str | None:
    """The ISO date when a whole line is a date line ("Published: 4 March 2025", "2025-03-04", ...)."""
    s = line.strip()
    if not s or len(s) > 120 or _NOT_PUBLICATION.search(s):
        return None
    m = _DATE_LINE.match(s)
    if m:
        return parse_date(m.group(1))
    s = re.sub(rf"^{_WEEKDAY_RE}", "", s, flags=re.I)
    for rx in (_ISO, _ISO_SLASH, _DMY, _MDY, _NUMERIC):
        m = rx.match(s)
        if m and _TIME_TAIL.match(s[m.end() :]):
            return parse_date(m.group(0))
    return None


_BYLINE_PREFIX = re.compile(r"^\s*(?:by|written by|reported by)\s+", re.I)
# Lower-case words a personal name may contain ("Ahmed al Sharif", "Jane Doe and John Roe").
_NAME_PARTICLES = frozenset({"and", "&", "al", "el", "bin", "de", "da", "del", "van", "von", "der", "du", "la", "le"})
_MAX_NAME_TOKENS = 9


def byline(line: str) -> str | None:
    """The author named by a byline line ("By Jane Doe", "By Jane Doe | Reuters"), else None.

    Every word after "By" must be capitalised (or a name particle) so that a sentence such as
    "By the time police arrived ..." is never taken for a byline.
    """
    s = line.strip()
    if len(s) > 100:
        return None
    head = re.split(r"\s*[|•·]\s*", s)[0]
    m = _BYLINE_PREFIX.match(head)
    if not m:
        return None
    name = head[m.end() :].strip(" ,")
    tokens = name.replace(",", " , ").split()
    words = [t for t in tokens if t != ","]
    if not words or len(words) > _MAX_NAME_TOKENS or name.endswith((".", ":")) and not name[-2:-1].isupper():
        return None
    if all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words) and words[0][0].isupper():
        return name
    return None


def infer_published(text: str, max_lines: int = 6) -> str | None:
    """A publication date read from the text's first lines (header or byline) when the source gives none.

    Only whole date lines or byline lines ending in a date count, so a date in the story itself
    ("on 3 March 2025 militants ...") or in a script/expiry string is never taken.
    """
    seen = 0
    for raw in text.splitlines():
        if not raw.strip():
            continue
        seen += 1
        if seen > max_lines:
            break
        found = date_line(raw)
        if found:
            return found
        for part in re.split(r"\s*[|•·]\s*", raw.strip())[1:]:
            found = date_line(part)
            if found:
                return found
    return None


# --- datelines -----------------------------------------------------------------------------------

_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'.\-]+(?:[ \-][A-Z][A-Z'.\-]+){0,3})"  # QUETTA, NEW YORK, DERA ISMAIL KHAN
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,2}))??"  # , Pakistan
    rf"(?:,?\s*(?i:{_MONTH_RE})\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"  # , March 3
    r"(?:\s*\((?P<agency>[A-Za-z .&]{1,30})\))?"  # (Reuters)
    r"\s*(?::|[—–]|-{1,2})\s+(?=\S)",
)


# "Kabul (AFP) - ...": agencies write the place in mixed case but always name themselves in capitals.
_AGENCY_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][a-z'\-]+(?:[ \-][A-Z][a-z'\-]+){0,2})"
    r"(?:\s*\([A-Z][A-Za-z .]+\))?"  # (Country)
    r"\s*\((?P<agency>[A-Z]{2,6})\)\s*(?:[—–]|-{1,2})\s+(?=\S)"
)
# "KHARTOUM, 6 March 2025" alone on the first line.
_PLACE_DATE_LINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'.\-]+(?:[ \-][A-Z][A-Z'.\-]+){0,3})\s*,\s*(?P<date>[^\n]+?)\s*$"
)


def detect_dateline(text: str) -> str | None:
    """The place of a dateline opening the body ("QUETTA: ...", "KHARTOUM, March 3 (Reuters) - ...").

    Also "Kabul (AFP) - ..." (mixed-case place before a capitalised agency) and a first line that is
    only "PLACE, date". Editorial labels ("UPDATE:", "BREAKING -") are not places.
    """
    head = text[:200]
    m = _DATELINE.match(head) or _AGENCY_DATELINE.match(head)
    if not m:
        m = place_date_line(head.split("\n", 1)[0])
    if not m:
        return None
    place = m.group("place").strip(" .-")
    if len(place) < 3 or not any(c.isalpha() for c in place):
        return None
    if any(word in editorial_labels() for word in place.lower().split()):
        return None  # "UPDATE:", "BREAKING:", "LIVE UPDATES -" are labels, not places
    return place


def place_date_line(line: str) -> re.Match[str] | None:
    """A match with groups ``place`` and ``date`` when ``line`` is only "PLACE, <date>"."""
    m = _PLACE_DATE_LINE.match(line)
    return m if m and date_line(m.group("date")) else None


def editorial_labels() -> frozenset[str]:
    """Editorial labels ("UPDATE", "OPINION") that look like datelines or headlines (data file)."""
    return load_list("editorial_labels")


# --- outlets -------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def outlet_from_url(url: str | None) -> str | None:
    """The registrable domain of a URL ("https://www.dawn.com/news/1" -> "dawn.com"), else None."""
    if not url:
        return None
    try:
        host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    if host.startswith("www."):
        host = host[4:]
    return _registrable(host)


def _registrable(host: str) -> str:
    """Registrable domain via the public-suffix list (``tld``, a trafilatura dependency)."""
    if re.fullmatch(r"[\d.]+", host):
        return host
    try:
        from tld import get_fld

        return str(get_fld(host, fix_protocol=True, fail_silently=True) or host)
    except ImportError:  # pragma: no cover - tld ships with trafilatura
        parts = host.split(".")
        return ".".join(parts[-2:])


def unwrap_archive_url(url: str | None) -> str | None:
    """The original URL inside a web.archive.org snapshot URL, else the URL itself."""
    if not url:
        return url
    m = re.match(r"^https?://web\.archive\.org/web/[^/]+/(.+)$", url)
    return m.group(1) if m else url


# --- language ------------------------------------------------------------------------------------

# Function words only: a cheap signal that ASCII text is English (not a domain lexicon).
_EN_FUNCTION_WORDS = frozenset(
    "the of and to in a is that for on was with as by it at from he said were his are be has have "
    "an had not but this which their they after who its been will".split()
)
_WORD = re.compile(r"[A-Za-z\u00c0-\uffff']+")


def guess_language(text: str, sample: int = 3000) -> str | None:
    """ "en" when the text is mostly ASCII words with English function words in them, else None.

    A cheap heuristic (no model): at least 90% of letters ASCII and at least 15% of words among
    common English function words. Anything else is left unknown rather than guessed.
    """
    chunk = text[:sample]
    letters = [c for c in chunk if c.isalpha()]
    if len(letters) < 20:
        return None
    ascii_share = sum(c.isascii() for c in letters) / len(letters)
    words = [w.lower() for w in _WORD.findall(chunk)]
    if not words or ascii_share < 0.9:
        return None
    share = sum(w in _EN_FUNCTION_WORDS for w in words) / len(words)
    return "en" if share >= 0.15 else None
