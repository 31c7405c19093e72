"""One identity per actor across articles.

Mentions are merged by a normalised key that folds case, leading articles, possessives, diacritics
and common transliteration variation (Muhammad / Mohammad / Mohammed, Gaddafi / Qaddafi); acronyms
join the expansion whose initials they spell when exactly one expansion fits; a bare surname joins
the full name used earlier in the same article. Every merge records why; an acronym or surname that
fits several candidates is left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rashomon.records import Entity, Extraction, Geo

_LEADING = re.compile(r"^(the|a|an)\s+", re.I)
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
    words = [w for w in surface_key(text).split() if w not in _MINOR]
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else ""


def is_acronym(text: str) -> bool:
    t = clean_name(text).replace(".", "")
    return 2 <= len(t) <= 7 and t.isupper() and t.isalpha()


@dataclass
class _Group:
    forms: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    article_ids: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    geo: Geo | None = None
    refs: list[object] = field(default_factory=list)  # the mention/place/speaker objects to update


class _Resolver:
    def __init__(self) -> None:
        self.groups: list[_Group] = []
        self.by_key: dict[tuple[str, str], int] = {}

    def _kind(self, type_: str) -> str:
        # Places only merge with places; all actors can merge with each other (type disagreements
        # between NER and lexicon are common: the group's name tagged ORG in one article, PERSON in another).
        return "place" if type_ == "place" else "actor"

    def add(self, text: str, type_: str, article_id: str, ref: object, geo: Geo | None = None) -> int:
        kind = self._kind(type_)
        key = (kind, translit_key(text))
        gid = self.by_key.get(key)
        if gid is None:
            gid = len(self.groups)
            self.groups.append(_Group())
            self.by_key[key] = gid
        g = self.groups[gid]
        if g.forms and text not in g.forms and surface_key(text) not in {surface_key(f) for f in g.forms}:
            g.reasons.append(f"'{text}' spelled like '{g.forms.most_common(1)[0][0]}' (transliteration key {key[1]!r})")
        g.forms[text] += 1
        g.types[type_] += 1
        g.article_ids.add(article_id)
        g.refs.append(ref)
        if geo is not None and g.geo is None:
            g.geo = geo
        return gid

    def merge(self, keep: int, drop: int, reason: str) -> None:
        if keep == drop:
            return
        a, b = self.groups[keep], self.groups[drop]
        a.forms.update(b.forms)
        a.types.update(b.types)
        a.article_ids |= b.article_ids
        a.refs.extend(b.refs)
        a.reasons.extend(b.reasons + [reason])
        a.geo = a.geo or b.geo
        b.forms, b.refs = Counter(), []
        for k, v in list(self.by_key.items()):
            if v == drop:
                self.by_key[k] = keep

    def merge_acronyms(self) -> None:
        by_initials: dict[str, list[int]] = defaultdict(list)
        for gid, g in enumerate(self.groups):
            if g.forms:
                for form in {f for f in g.forms if not is_acronym(f)}:
                    ini = initials(form)
                    if ini and gid not in by_initials[ini]:
                        by_initials[ini].append(gid)
        for gid, g in enumerate(self.groups):
            acronyms = [f for f in g.forms if is_acronym(f)]
            if not acronyms or len(g.forms) != len(acronyms):
                continue
            targets = [t for t in by_initials.get(clean_name(acronyms[0]).replace(".", "").upper(), []) if t != gid]
            if len(targets) == 1:  # ambiguous acronyms stay separate
                t = targets[0]
                self.merge(t, gid, f"'{acronyms[0]}' is the acronym of '{self.groups[t].forms.most_common(1)[0][0]}'")


def _canonical(g: _Group) -> tuple[str, str]:
    type_ = g.types.most_common(1)[0][0]
    names = [f for f in g.forms if not is_acronym(f)] or list(g.forms)
    # The most frequent full form; ties go to the longer (more complete) name.
    name = max(names, key=lambda f: (g.forms[f], len(f)))
    return clean_name(name), type_


def _surname_links(ex: Extraction, persons: dict[str, str]) -> dict[str, str]:
    """Bare surnames in one article -> the full name that ends with them, when exactly one does."""
    full = [p for p in persons if len(p.split()) >= 2]
    links = {}
    for p in persons:
        if len(p.split()) == 1:
            fits = [f for f in full if f.split()[-1].lower() == p.lower()]
            if len(fits) == 1:
                links[p] = fits[0]
    return links


def resolve_entities(exs: Sequence[Extraction]) -> list[Entity]:
    """Entities for all mentions, places and named speakers; fills their ``entity_id``."""
    r = _Resolver()
    surname_reasons: list[tuple[int, int, str]] = []
    for ex in exs:
        aid = ex.article.id
        persons = {m.text: m for m in ex.mentions if m.type == "person"}
        links = _surname_links(ex, persons)
        for m in ex.mentions:
            if m.type == "place":
                continue
            gid = r.add(m.text, m.type, aid, m)
            if m.text in links:
                full_gid = r.add(links[m.text], "person", aid, None)
                surname_reasons.append((full_gid, gid, f"'{m.text}' is the surname of '{links[m.text]}' in the same article"))
        for p in ex.places:
            r.add(p.name, "place", aid, p, p.geo)
        for c in ex.claims:
            if c.speaker.name and c.speaker.kind in ("person", "organization", "group"):
                r.add(c.speaker.name, "person" if c.speaker.kind == "person" else "organization", aid, c.speaker)
    for keep, drop, why in surname_reasons:
        r.merge(keep, drop, why)
    r.merge_acronyms()
    entities: dict[str, Entity] = {}
    for g in r.groups:
        if not g.forms:
            continue
        name, type_ = _canonical(g)
        ent = Entity(
            name=name,
            type=type_,
            aliases=sorted(g.forms),
            article_ids=sorted(g.article_ids),
            mentions=sum(g.forms.values()),
            geo=g.geo if type_ == "place" else None,
            merge_reasons=g.reasons,
        )
        if ent.id in entities:  # two spellings that settle on one canonical name are one entity
            prev = entities[ent.id]
            prev.aliases = sorted({*prev.aliases, *ent.aliases})
            prev.article_ids = sorted({*prev.article_ids, *ent.article_ids})
            prev.mentions += ent.mentions
            prev.merge_reasons += [*ent.merge_reasons, f"same canonical name '{ent.name}'"]
            ent = prev
        else:
            entities[ent.id] = ent
        for ref in g.refs:
            if ref is not None:
                ref.entity_id = ent.id  # type: ignore[attr-defined]
    return list(entities.values())


def entity_index(entities: Iterable[Entity]) -> dict[str, Entity]:
    return {e.id: e for e in entities}
