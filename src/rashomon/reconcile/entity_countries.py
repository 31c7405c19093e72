"""Which country (or place) an institution belongs to: "the Ruritanian army", "Ruritania's military",
"the country's armed forces" and "the army" in an article about Ruritania are one military.

Why: analysts need one actor per state institution, while articles name it by possessives, demonyms or
not at all. The owner comes from an explicit possessor or demonym, else from the article's places.
Demonyms come from ``entity_demonyms.tsv``; a country the table lacks (a new state, a fictional demo
country) is matched by stripping a demonym suffix and looking the stem up among the corpus's places.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from rashomon.lexicon import load_list, load_map
from rashomon.reconcile.entity_keys import surface_key
from rashomon.records import ENTITY_TYPES, Extraction, Place

Anchor = tuple[str, str]  # (key, readable label)

# English demonym endings, longest first: Pakistan-i, Syldavia-n, Nepal-ese, Kurd-ish, Croat-ian.
_SUFFIXES = ("ian", "ean", "ese", "ish", "an", "i", "n")
_DETERMINERS = frozenset({"the", "a", "an"})
_ANAPHORA = frozenset({"country", "nation", "state"})
_POSS = re.compile(r"^(.+?)['’]s?$")
_PREFIX_WORD = re.compile(r"[\w\-]+(?:['’]s?)?$")
MAJORITY = 0.6  # share of an article's place mentions that makes one country its context


@cache
def institutions() -> dict[str, str]:
    return load_map("entity_institutions")


def institution_type(cls: str) -> str:
    """Entity type of an institution class ("interior ministry" -> "ministry")."""
    if cls in ENTITY_TYPES:
        return cls
    for t in ("ministry", "police", "military"):
        if t in cls.split():
            return t
    return "government"


def is_local(cls: str) -> bool:
    """Sub-national classes need an explicit place: the article's country is not theirs."""
    return cls.split()[0] in load_list("entity_local_scopes")


class Places:
    """Every place the corpus mentions, by folded name: what a possessor or a demonym can point to."""

    def __init__(self, exs: Sequence[Extraction]) -> None:
        self.by_name: dict[str, Anchor] = {}
        self.country_label: dict[str, str] = {}
        self.located: set[str] = set()  # folded names of places the gazetteer placed (not bare NER guesses)
        for ex in exs:
            for p in ex.places:
                if p.geo and p.geo.precision == "country" and p.geo.country:
                    self.country_label.setdefault(p.geo.country, p.name)
        for ex in exs:
            for p in ex.places:
                for n in (p.name, p.text):
                    self.by_name.setdefault(surface_key(n), self.anchor(p))
                    if p.geo and p.geo.precision not in (None, "unknown"):
                        self.located.add(surface_key(n))

    def anchor(self, p: Place) -> Anchor:
        """A country-level place is its country; any other place is itself."""
        if p.geo and p.geo.precision == "country" and p.geo.country:
            return f"cc:{p.geo.country}", p.name
        return f"pl:{surface_key(p.name)}", p.name

    def country(self, p: Place) -> Anchor | None:
        """The country a place lies in, if known."""
        if not (p.geo and p.geo.country):
            return None
        return f"cc:{p.geo.country}", self.country_label.get(p.geo.country, p.geo.country)

    def place(self, text: str) -> Anchor | None:
        return self.by_name.get(surface_key(text))

    def adjective_of(self, word: str, countries_only: bool = False) -> tuple[Anchor, str] | None:
        """The located place a demonym standing alone points to ("Syldavian" -> Syldavia), with the reason;
        None for a word that is itself a located place or whose place the corpus never names."""
        hit = None if surface_key(word) in self.located else self.demonym(word)
        if hit is None or surface_key(hit[0][1]) not in self.located or (countries_only and not hit[0][0].startswith("cc:")):
            return None
        return hit

    def demonym(self, word: str) -> tuple[Anchor, str] | None:
        """The country (or place) a demonym names, with the reason; None if the word is none."""
        if not word[:1].isupper() or " " in word.strip():
            return None
        code = load_map("entity_demonyms").get(word.lower())
        if code:
            label = self.country_label.get(code, word)
            return (f"cc:{code}", label), f"demonym: '{word}' means {label}"
        w = surface_key(word)
        for suf in _SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                hit = self.by_name.get(w[: -len(suf)])
                if hit:
                    return hit, f"demonym: '{word}' is '{hit[1]}' with the suffix -{suf}"
        return None


@dataclass(slots=True)
class ArticleCountries:
    """The countries one article names, in order, and the one it is about when one dominates."""

    refs: list[tuple[int, Anchor]]
    majority: Anchor | None
    units: dict[str, Counter[str]] = field(default_factory=dict)  # admin level -> units its places lie in, counted

    @classmethod
    def of(cls, ex: Extraction, places: Places) -> ArticleCountries:
        refs = [(p.start, places.anchor(p)) for p in ex.places if p.geo and p.geo.precision == "country"]
        for m in ex.mentions:
            hit = places.demonym(m.text) if m.type != "place" else None
            if hit:
                refs.append((m.start, hit[0]))
        counts = Counter(a for p in ex.places if p.role == "event" and (a := places.country(p)))
        total = sum(counts.values())
        top = counts.most_common(1)
        majority = top[0][0] if top and top[0][1] >= 2 and top[0][1] >= MAJORITY * total else None
        units: dict[str, Counter[str]] = {}
        for p in ex.places:
            for level in ("admin1", "admin2"):
                if p.geo and (unit := getattr(p.geo, level)):
                    units.setdefault(level, Counter())[unit] += 1
        return cls(sorted(refs), majority, units)

    def main_unit(self, level: str) -> str | None:
        """The province (admin1) or district (admin2) most of the article's places lie in, if one does."""
        top = self.units.get(level, Counter()).most_common(1)
        total = sum(self.units.get(level, Counter()).values())
        return top[0][0] if top and top[0][1] >= 2 and top[0][1] >= MAJORITY * total else None

    def nearest_before(self, pos: int, lo: int = 0) -> Anchor | None:
        """The last country named in [lo, pos)."""
        found = None
        for start, anchor in self.refs:
            if lo <= start < pos:
                found = anchor
        return found


@dataclass(slots=True)
class Institution:
    """A state institution phrase: its class and, when it can be told, whose it is."""

    cls: str
    anchor: Anchor | None
    reason: str
    explicit: bool  # the phrase itself names the owner (possessor, demonym, place word)

    @property
    def type(self) -> str:
        return institution_type(self.cls)

    @property
    def key(self) -> str:
        """Resolver key of an anchored institution. Below the country, every government class of one
        place is one government ("Punjab government" = "Punjab's provincial government")."""
        anchor = self.anchor[0] if self.anchor else "?"
        local_gov = not anchor.startswith("cc:") and self.type == "government"
        return f"inst|{anchor}|{'government' if local_gov else self.cls}"


def _tokens(phrase: str) -> list[str]:
    toks = [t.strip(",;:\"“”()") for t in phrase.split()]
    toks = [t for t in toks if t]
    while toks and toks[0].lower() in _DETERMINERS:
        toks = toks[1:]
    return toks


def _owner(words: list[str], places: Places) -> tuple[Anchor, str] | None:
    text = " ".join(words)
    hit = places.place(text)
    if hit:
        return hit, f"'{text}' is the place {hit[1]}"
    return places.demonym(text) if len(words) == 1 else None


def _explicit(toks: list[str], places: Places) -> Institution | None:
    """Owner named inside the phrase: "Ruritania's army", "the Ruritanian army", "Ruritania Army"."""
    for i, tok in enumerate(toks[:-1]):
        m = _POSS.match(tok) if tok.endswith(("'s", "’s", "'", "’")) else None
        if m:
            cls = institutions().get(" ".join(toks[i + 1 :]).lower())
            owner = [*toks[:i], m.group(1)]
            if cls and len(owner) == 1 and owner[0].lower() in _ANAPHORA:
                return Institution(cls, None, f"anaphora:{owner[0].lower()}", True)
            hit = _owner(owner, places) if cls else None
            return Institution(cls, hit[0], f"possessive: {hit[1]}", True) if cls and hit else None
    for k in range(1, min(3, len(toks) - 1) + 1):
        cls = institutions().get(" ".join(toks[k:]).lower())
        hit = _owner(toks[:k], places) if cls else None
        if cls and hit:
            return Institution(cls, hit[0], f"modifier: {hit[1]}", True)
    return None


def institution(phrase: str, pos: int, sent_start: int, ctx: ArticleCountries, places: Places) -> Institution | None:
    """Analyse a phrase at ``pos`` in its article; None when it names no state institution."""
    toks = _tokens(phrase)
    if not toks:
        return None
    found = _explicit(toks, places)
    if found and found.reason.startswith("anaphora:"):  # "the country's military": the last country named
        word = found.reason.split(":", 1)[1]
        anchor = ctx.nearest_before(pos) or ctx.majority
        how = f"'the {word}'s' is {anchor[1]}, the last country named before it" if anchor else f"no country named before 'the {word}'s'"
        return Institution(found.cls, anchor, how, False)
    if found:
        return found
    cls = institutions().get(" ".join(toks).lower())
    if cls is None:
        return None
    if is_local(cls):
        unit = ctx.main_unit(load_map("entity_local_levels").get(cls.split()[0], ""))
        anchor = places.place(unit) if unit else None
        if anchor:
            return Institution(cls, anchor, f"most of the article's places lie in {unit}", False)
        return Institution(cls, None, "a local institution with no place named", False)
    if ctx.majority:
        return Institution(cls, ctx.majority, f"the article is about {ctx.majority[1]} (most of its places)", False)
    near = ctx.nearest_before(pos, sent_start)
    if near:
        return Institution(cls, near, f"{near[1]} is named earlier in the same sentence", False)
    return Institution(cls, None, "the article names several countries", False)


def extend_left(text: str, start: int, sent_start: int, words: int = 3) -> list[str]:
    """Phrases from up to ``words`` words before ``start`` (same sentence) to ``start``, longest first."""
    before = text[max(sent_start, start - 80) : start]
    if not before.endswith(" "):
        return []
    toks = before.split()
    out = []
    for k in range(min(words, len(toks)), 0, -1):
        if all(_PREFIX_WORD.match(t) for t in toks[-k:]):
            out.append(" ".join(toks[-k:]) + " ")
    return out


def institution_at(text: str, phrase: str, start: int, sent_start: int, ctx: ArticleCountries, places: Places) -> Institution | None:
    """The institution a mention names, reading up to three words to its left ("Ruritania's" + "army")."""
    if 0 <= start <= len(text):
        for prefix in extend_left(text, start, sent_start):
            found = institution(prefix + phrase, start, sent_start, ctx, places)
            if found and found.explicit:
                return found
    return institution(phrase, start, sent_start, ctx, places)
