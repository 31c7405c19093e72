"""Titles and roles: who "the Defence Minister", "the army chief" or "the group's spokesman" is.

Why: articles name an official once with the title ("Defence Minister Jane Roe") and then use the
title alone; spokespersons speak for an organisation without being it. A role is read from the words
before a name (or from a bare title) as: owner (possessor or leading name), content words, head noun.
Vocabulary comes from the lexicons ``entity_titles``, ``speaker_titles``, ``spokesperson_nouns``,
``entity_ranks`` and ``group_nouns``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rashomon.lexicon import load_list, load_map
from rashomon.reconcile.entity_countries import institutions
from rashomon.reconcile.entity_keys import is_acronym

_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that"})
_STOP = frozenset({"of", "the", "and", "for"})
_POSSESSIVE = re.compile(r"^(.+?)['’]s?$")
_EDGE = ",;:\"“”()[]"


@cache
def heads() -> frozenset[str]:
    """Nouns a title ends in ("minister", "chief", "spokesman")."""
    return load_list("speaker_titles") | load_list("spokesperson_nouns") - {"office", "wing"}


@cache
def spokes_nouns() -> frozenset[str]:
    return load_list("spokesperson_nouns") - {"office", "wing", "mouthpiece"}


@cache
def vocabulary() -> frozenset[str]:
    """Every word that may stand in a title: title words, ranks, institution and group nouns."""
    words = {w for t in load_list("entity_titles") | load_list("speaker_titles") for w in t.split()}
    words |= {w for t in institutions() for w in t.split()}
    words |= {w for t in load_list("group_nouns") for w in t.split()}
    return frozenset(words | heads() | load_list("entity_ranks") | {"of"})


@dataclass(frozen=True, slots=True)
class Role:
    """A title as written, split into whose it is and what it says."""

    text: str
    words: frozenset[str]  # content words, ranks and owner possessive left out ("army", "chief")
    head: str  # the title noun ("chief")
    owner: str | None  # possessor or leading name ("KLA", "group", "Punjab government"), if any

    @property
    def is_spokesperson(self) -> bool:
        return self.head in spokes_nouns()


def _tokens(text: str) -> list[str]:
    toks = [t.strip(_EDGE) for t in text.split()]
    return [t for t in toks if t]


def parse_role(text: str) -> Role | None:
    """The role in a title phrase ("Punjab government spokesman" -> owner 'Punjab government')."""
    toks = _tokens(text)
    while toks and toks[0].lower() in _DETERMINERS:
        owner_word = toks[0].lower()
        toks = toks[1:]
        if owner_word in ("its", "their"):
            toks = ["it's", *toks]  # an owner pronoun works like a possessor
    owner: str | None = None
    for i, tok in enumerate(toks):
        if tok.endswith(("'s", "’s")) and i + 1 < len(toks):
            owner = " ".join([*toks[:i], _POSSESSIVE.match(tok).group(1)])  # type: ignore[union-attr]
            toks = toks[i + 1 :]
            break
    ranks = load_list("entity_ranks")
    rest = [t for t in toks if t.lower() not in ranks]
    idx = [i for i, t in enumerate(rest) if t.lower() in heads()]
    if not idx:
        return None
    h = idx[-1]
    if rest[h].lower() in spokes_nouns() and h > 0:  # "Punjab's provincial government spokesman"
        owner = " ".join([f"{owner}'s"] * (owner is not None) + rest[:h])
    elif owner is None and h > 0:
        lead = [t for t in rest[:h] if t.lower() not in vocabulary() or t.isupper()]
        owner = " ".join(rest[:h]) if lead else None
    same = load_map("entity_head_titles")  # "director" and "chief" both head an organisation
    words = frozenset(same.get(t.lower(), t.lower()) for t in rest if t.lower() not in _STOP)
    return Role(text=text.strip(_EDGE + " "), words=words, head=same.get(rest[h].lower(), rest[h].lower()), owner=owner)


def is_bare_title(text: str, known: frozenset[str]) -> bool:
    """A title standing alone for a person ("the army chief", "The ISI chief"), with no name in it."""
    toks = _tokens(text)
    if not toks or toks[-1].lower() not in heads():
        return False
    for tok in toks:
        word = _POSSESSIVE.match(tok).group(1) if tok.endswith(("'s", "’s")) else tok  # type: ignore[union-attr]
        low = word.lower()
        if low in _DETERMINERS or low in vocabulary() or is_acronym(word) or low in known or word.islower():
            continue
        return False
    return True


def title_before(text: str, start: int, sent_start: int, known: frozenset[str]) -> str | None:
    """The title written just before a name ("Ruritania's Interior Minister" before "Jane Roe")."""
    before = text[max(sent_start, start - 120) : start]
    before = re.sub(r",\s*$", " ", before)  # "The group's spokesman, Zarak Mirwani"
    toks = before.split()
    taken: list[str] = []
    for tok in reversed(toks):
        word = tok.strip(_EDGE)
        if word != tok and taken:  # punctuation ends the title
            break
        base = _POSSESSIVE.match(word).group(1) if word.endswith(("'s", "’s")) else word  # type: ignore[union-attr]
        low = base.lower()
        if low in vocabulary() or is_acronym(base) or low in known or low in _DETERMINERS:
            taken.append(word)
            if low in _DETERMINERS:
                break
            continue
        break
    phrase = " ".join(reversed(taken))
    return phrase if parse_role(phrase) else None


_AFTER = re.compile(r"^,\s+((?:the|a|an|its|their)\s+[^,.;:\"“”()]{1,60}?)(?=\s*[,.;:]|\s+(?:said|says|told)\b)", re.IGNORECASE)


def title_after(text: str, end: int, known: frozenset[str]) -> str | None:
    """A title in apposition after a name ("Ahmad Rafiq, the group's spokesman, said")."""
    m = _AFTER.match(text[end : end + 90])
    return m.group(1) if m and is_bare_title(m.group(1), known) else None


def covers(titled: Role, ref: Role) -> bool:
    """Whether a bare title fits a full one: its words are all in the full title."""
    return bool(ref.words) and ref.words <= titled.words | ({titled.owner.lower()} if titled.owner else set())


def person_core(name: str) -> str:
    """A person's name without leading ranks and titles ("Maj Gen Jane Roe" -> "Jane Roe")."""
    toks = name.split()
    titles = load_list("entity_ranks") | {w for t in load_list("entity_titles") for w in t.split()}
    while len(toks) > 1 and toks[0].replace(".", "").lower() in titles:
        toks = toks[1:]
    return " ".join(toks)


def possessor_of(text: str) -> str | None:
    """Whose a phrase says a thing is: "its media wing" -> 'it', "the military's media wing" -> 'military'."""
    toks = _tokens(text)
    if toks and toks[0].lower() in ("its", "their"):
        return "it"
    toks = [t for t in toks if t.lower() not in _DETERMINERS]
    for i, tok in enumerate(toks):
        if tok.endswith(("'s", "’s")):
            return " ".join([*toks[:i], _POSSESSIVE.match(tok).group(1)])  # type: ignore[union-attr]
    return None
