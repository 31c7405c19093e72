"""Shared loader for the domain lexicons under ``rashomon/data/lexicons``.

Lexicons live in data files, not code, so they can be extended without touching logic; each is read
once per process (``lru_cache``). A missing or malformed file never crashes extraction: it yields an
empty lexicon (or skips the bad line) and logs a warning naming the file and line.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

LEXICON_DIR = Path(__file__).resolve().parent / "data" / "lexicons"


def _lines(path: Path) -> list[tuple[int, str]]:
    """Non-empty, non-comment lines with their 1-based numbers; ``#`` starts a comment."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("lexicon %s unreadable: %s", path, exc)
        return []
    out: list[tuple[int, str]] = []
    for no, line in enumerate(raw.splitlines(), start=1):
        text = (
            line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        )
        if text:
            out.append((no, text))
    return out


@cache
def load_list(name: str) -> frozenset[str]:
    """Entries of ``NAME.txt`` (one per line, lower-cased, whitespace folded)."""
    path = LEXICON_DIR / f"{name}.txt"
    if not path.exists():
        log.warning("lexicon %s not found", path)
        return frozenset()
    return frozenset(" ".join(text.lower().split()) for _, text in _lines(path))


@cache
def load_map(name: str) -> dict[str, str]:
    """``NAME.tsv`` as key -> value (tab-separated; key lower-cased). Bad lines are skipped with a warning."""
    path = LEXICON_DIR / f"{name}.tsv"
    if not path.exists():
        log.warning("lexicon %s not found", path)
        return {}
    out: dict[str, str] = {}
    for no, text in _lines(path):
        parts = text.split("\t")
        if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
            log.warning("%s:%d: expected 'key<TAB>value', got %r", path, no, text)
            continue
        out[" ".join(parts[0].lower().split())] = parts[1].strip()
    return out
