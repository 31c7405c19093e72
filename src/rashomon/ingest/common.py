"""Decoding bytes and finishing Articles the same way in every reader."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rashomon.ingest.meta import (
    detect_dateline,
    guess_language,
    infer_published,
    outlet_from_url,
    unwrap_archive_url,
)
from rashomon.lexicon import load_list
from rashomon.records import Article

_BOM_UTF8 = b"\xef\xbb\xbf"
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f]")


@dataclass(slots=True)
class Decoded:
    """Text decoded from bytes, and the encoding when it was not UTF-8 (a warning for the user)."""

    text: str
    fallback: str | None = None  # the encoding used when UTF-8 failed


def is_binary(data: bytes, sample: int = 8192) -> bool:
    """True for bytes that are not text: a NUL byte, or many control bytes, in the first block."""
    head = data[:sample]
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs but is text
        return False
    if b"\x00" in head:
        return True
    return len(_CONTROL.findall(head)) / len(head) > 0.1


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 (BOM or not) when it decodes; else the detected charset (cp1252/latin-1 fallback).

    Mis-encoded text is still returned (never lost) with ``fallback`` naming the encoding used, so
    the caller can flag it.
    """
    if data.startswith(_BOM_UTF8):
        data = data[len(_BOM_UTF8) :]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16", errors="replace"), "utf-16")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    western = _as_cp1252(data)
    if western is not None:
        return Decoded(western, "cp1252")
    encoding = _detect(data)
    try:
        return Decoded(data.decode(encoding), encoding)
    except (UnicodeDecodeError, LookupError):
        return Decoded(data.decode("cp1252", errors="replace"), "cp1252")


def _as_cp1252(data: bytes) -> str | None:
    """cp1252 text when the bytes decode as it and read as Western text (few non-ASCII letters).

    Short texts are where charset detection guesses wildly (cp1250 for curly quotes); Cyrillic or
    Greek single-byte text decoded as cp1252 is mostly accented letters, so it fails this test.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    if letters and sum(not c.isascii() for c in letters) / len(letters) > 0.2:
        return None
    return text


def _detect(data: bytes) -> str:
    """charset_normalizer's best guess, preferring cp1252 for Western text it cannot tell apart."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
    except Exception:  # noqa: BLE001 - detection is best effort; cp1252 is the safe default
        best = None
    if best is None:
        return "cp1252"
    enc = best.encoding.lower().replace("_", "-")
    if enc in {"latin-1", "iso-8859-1", "ascii", "iso8859-1", "latin1"}:
        return "cp1252"  # cp1252 is a superset for printable text and decodes curly quotes right
    return enc


_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def clean_text(text: str) -> str:
    """Normalised line ends, no trailing spaces, at most one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def finish(article: Article, infer_date: bool = True) -> Article:
    """Fill what every format derives the same way: outlet from URL, dateline, language, inferred date."""
    article.url = unwrap_archive_url(article.url)
    if article.outlet:
        article.outlet = outlet_name(article.outlet)
    if not article.outlet and article.url:
        article.outlet = outlet_from_url(article.url)
    if article.dateline is None:
        article.dateline = detect_dateline(article.text)
    if article.language is None:
        article.language = guess_language(article.text)
    if infer_date and not article.published:
        found = infer_published(article.text)
        if found:
            article.published = found
            article.published_inferred = True
    return article


def outlet_name(credit: str) -> str | None:
    """The outlet in a credit line: "Wire via The Courier" -> "The Courier" (the carrier published it),
    "Dawn Report" / "News Desk" suffixes dropped (lexicon ``outlet_credit_suffixes``)."""
    name = re.split(r"\s+via\s+", credit.strip(), maxsplit=1, flags=re.I)[-1].strip(" -|,")
    suffixes = load_list("outlet_credit_suffixes")
    words = name.split()
    for n in (2, 1):
        rest = words[:-n]
        if len(words) > n and " ".join(words[-n:]).lower() in suffixes and {w.lower() for w in rest} - {"the", "a"}:
            words = rest
            break
    return " ".join(words) or None


def clean_field(value: object) -> str | None:
    """A metadata value as a trimmed one-line string; None for empty or non-scalar values."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    s = re.sub(r"\s+", " ", str(value)).strip()
    return s or None
