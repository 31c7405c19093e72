"""Whether a figure counts people, and what happened to them when its own words do not say.

Why a module of its own: quantities.py reads a figure's category from the words around it; these rules
correct that reading with what the counted noun is (people, or objects and units that are never a toll)
and, for figures that only count ("the video shows six men", "they took over 30 in total"), with the
casualty word of the sentences just before. Vocabularies live in ``data/lexicons/casualty_*``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rashomon.extract.sentences import sentence_of
from rashomon.lexicon import load_list, load_map

CASUALTY_CATEGORIES = frozenset({"killed", "injured", "captured", "missing", "shot"})
_LOOKBACK_SENTENCES = 2  # a count inherits a casualty word from at most this many sentences before


@lru_cache(maxsize=1)
def _person_words() -> frozenset[str]:
    return load_list("casualty_person_nouns") | frozenset(load_map("victim_classes"))


def is_person_noun(noun: Any) -> bool:
    """A noun that counts people: a person noun of the lexicons (singular or plural) or a name or demonym."""
    if noun.ent_type_ in ("PERSON", "NORP"):
        return True
    words = _person_words()
    return any(w in words for w in (noun.lower_, noun.lemma_.lower(), noun.lower_.rstrip("s")))


def is_nonperson_noun(noun: Any) -> bool:
    """A unit, weapon, vehicle or place: never what a casualty figure counts."""
    words = load_list("casualty_nonperson_nouns")
    return noun.lower_ in words or noun.lemma_.lower() in words


def checked_category(category: str, noun: Any | None) -> str:
    """``category`` unless the counted noun rules a casualty out.

    Killed / injured / missing figures lose their category only for nouns known never to be people (so
    "two others were wounded" stays a toll); a captured figure must count people or nothing named, since
    "seized" takes objects as often as people ("seized 40 rifles", "hijacked two passenger buses").
    """
    if category not in CASUALTY_CATEGORIES or noun is None:
        return category
    if is_nonperson_noun(noun):
        return "other"
    if category == "captured" and not is_person_noun(noun):
        return "other"
    return category


def person_verb_category(noun: Any | None, context: list[str]) -> str | None:
    """A verb that is a casualty only with people as object: "the army lost nine soldiers" -> killed."""
    if noun is None or not is_person_noun(noun):
        return None
    table = load_map("casualty_person_verbs")
    return next((table[w] for w in context if w in table), None)


def inherited_category(anchor: Any, noun: Any | None, verb: Any | None, terms: dict[str, str]) -> str | None:
    """The category a bare count takes from its context ("the video shows six men" after "seized the men").

    Only figures governed by a counting verb (show, take, put ...) and counting people or nothing named
    inherit; the nearest casualty word wins, in the figure's sentence first, then up to two sentences
    back. The video or statement that "shows" a figure is reported by the outlet: the claim stays the
    outlet's, with the inherited category, so outlets that count differently can be compared.
    """
    if verb is None or verb.lemma_.lower() not in load_list("casualty_context_verbs"):
        return None
    if noun is not None and not is_person_noun(noun):
        return None
    sent = sentence_of(anchor)
    found = _nearest_term(list(sent), anchor.i, terms)
    if found is not None:
        return found
    doc = anchor.doc
    start = sent.start
    for _ in range(_LOOKBACK_SENTENCES):
        if start == 0:
            break
        prev = sentence_of(doc[start - 1])
        found = _nearest_term(list(prev), anchor.i, terms)
        if found is not None:
            return found
        start = prev.start
    return None


def _nearest_term(tokens: list[Any], pos: int, terms: dict[str, str]) -> str | None:
    """The casualty category of the token nearest to ``pos`` whose word or lemma is a casualty term."""
    best: tuple[int, str] | None = None
    for tok in tokens:
        if tok.dep_ == "neg" or any(c.dep_ == "neg" for c in tok.children):
            continue  # "were not killed" names no casualty
        cat = terms.get(tok.lemma_.lower()) or terms.get(tok.lower_)
        if cat in CASUALTY_CATEGORIES:
            dist = abs(tok.i - pos)
            if best is None or dist < best[0]:
                best = (dist, cat)
    return best[1] if best else None
