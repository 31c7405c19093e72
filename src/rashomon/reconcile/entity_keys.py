"""Name keys for entity resolution: case, article, possessive, diacritic and transliteration folding.

Why a module of its own: every resolution rule (spelling, acronyms, titles, countries) compares names
through the same keys, so they live in one place.
"""

from __future__ import annotations

import re
import unicodedata

_LEADING = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
_NON_WORD = re.compile(r"[^\w\s]")
_MINOR = {"of", "the", "and", "for", "in", "on", "al", "el", "de"}
# Consonant classes that transliterations swap freely; vowels are dropped after the first letter.
_FOLD = [("ph", "f"), ("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("sh", "s"), ("ch", "c"),
         ("q", "k"), ("g", "k"), ("c", "k"), ("z", "s"), ("w", "v"), ("j", "y")]


def clean_name(text: str) -> str:
    """The name without a leading article or a possessive ending, case kept ("the NLF's" -> "NLF")."""
    return _POSSESSIVE.sub("", _LEADING.sub("", text.strip())).strip()


def surface_key(text: str) -> str:
    """Case-, article- and possessive-folded form of a name."""
    t = unicodedata.normalize("NFKD", clean_name(text)).encode("ascii", "ignore").decode()
    return " ".join(_NON_WORD.sub(" ", t).lower().split())


def translit_key(text: str) -> str:
    """A skeleton per word in which transliteration variants of one name collide.

    Consonants that transliterations swap are folded, every run of vowels becomes one 'V' and
    doubled letters collapse: Muhammad / Mohammed -> 'mVhVmVd', while Mahmood stays 'mVhmVd'.
    """
    words = []
    for word in surface_key(text).split():
        w = word
        for a, b in _FOLD:
            w = w.replace(a, b)
        w = re.sub(r"(.)\1+", r"\1", w)
        w = re.sub(r"[aeiouy]+", "V", w)
        words.append(w)
    return " ".join(words)


def initials(text: str) -> str:
    """Initials of the significant words ("Kosovo Liberation Army" -> "KLA"); '' for one word."""
    words = [w for w in surface_key(text).split() if w not in _MINOR]
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else ""


def is_acronym(text: str) -> bool:
    """Two to seven capital letters ("KLA", "U.N.")."""
    t = clean_name(text).replace(".", "")
    return 2 <= len(t) <= 7 and t.isupper() and t.isalpha()


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation ("The group's spokesman," -> the, group, s, spokesman)."""
    return surface_key(text.replace("’", "'").replace("'s ", " ")).split() if text.strip() else []
