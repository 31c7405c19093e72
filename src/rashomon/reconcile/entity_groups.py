"""Groups of surface forms that resolution merges into one entity, with the reason for every merge.

Why separate: the merge bookkeeping (keys, union of groups, reasons, relations, candidates) is shared
by every rule (spelling, acronyms, institutions, titles, media wings) and is easier to trust alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from rashomon.reconcile.entity_keys import (
    clean_name,
    initials,
    is_acronym,
    surface_key,
    translit_key,
)
from rashomon.records import Geo


@dataclass(slots=True)
class Group:
    forms: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    article_ids: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    geo: Geo | None = None
    refs: list[object] = field(default_factory=list)  # the mention/place/speaker objects to update
    label: str | None = None  # readable name when every form is a common noun ("Ruritania military")
    scope: str | None = None  # the article a group is confined to ("the minister" in one article)
    relations: list[tuple[str, int, str]] = field(default_factory=list)  # (type, group id, reason)
    candidates: list[tuple[int, str]] = field(default_factory=list)  # (group id, reason)
    adjectives: set[str] = field(default_factory=set)  # forms that never name it (a demonym on its place)

    def best_form(self) -> str:
        return self.forms.most_common(1)[0][0] if self.forms else ""


def kind_of(type_: str) -> str:
    """Places only merge with places; actors merge with each other (NER types disagree across articles)."""
    return "place" if type_ == "place" else "actor"


class Resolver:
    """Groups by key; ``merge`` unions two groups and ``find`` follows a merged group to its survivor."""

    def __init__(self) -> None:
        self.groups: list[Group] = []
        self.by_key: dict[tuple[str, str], int] = {}
        self.parent: dict[int, int] = {}

    def find(self, gid: int) -> int:
        while gid in self.parent:
            gid = self.parent[gid]
        return gid

    def key_of(self, text: str, type_: str) -> tuple[str, str]:
        return kind_of(type_), translit_key(text)

    def lookup(self, text: str, type_: str = "organization") -> int | None:
        gid = self.by_key.get(self.key_of(text, type_))
        return None if gid is None else self.find(gid)

    def add(self, text: str, type_: str, article_id: str, ref: object, geo: Geo | None = None,
            key: tuple[str, str] | None = None, why: str | None = None) -> int:
        """Add one surface form under ``key`` (its transliteration key by default); returns its group."""
        key = key or self.key_of(text, type_)
        gid = self.by_key.get(key)
        if gid is None:
            gid = len(self.groups)
            self.groups.append(Group())
            self.by_key[key] = gid
        gid = self.find(gid)
        g = self.groups[gid]
        new = text not in g.forms and surface_key(text) not in {surface_key(f) for f in g.forms}
        if g.forms and new:
            g.reasons.append(why or f"'{text}' spelled like '{g.best_form()}' (transliteration key {key[1]!r})")
        elif why and not g.forms:
            g.reasons.append(why)
        g.forms[text] += 1
        g.types[type_] += 1
        g.article_ids.add(article_id)
        g.refs.append(ref)
        if geo is not None and g.geo is None:
            g.geo = geo
        return gid

    def merge(self, keep: int, drop: int, reason: str) -> None:
        keep, drop = self.find(keep), self.find(drop)
        if keep == drop:
            return
        a, b = self.groups[keep], self.groups[drop]
        a.forms.update(b.forms)
        a.types.update(b.types)
        a.article_ids |= b.article_ids
        a.refs.extend(b.refs)
        a.reasons.extend([*b.reasons, reason])
        a.relations.extend(b.relations)
        a.candidates.extend(b.candidates)
        a.adjectives |= b.adjectives
        a.geo = a.geo or b.geo
        a.label = a.label or b.label
        a.scope = a.scope if a.scope == b.scope else None
        b.forms, b.refs, b.relations, b.candidates = Counter(), [], [], []
        self.parent[drop] = keep

    def live(self) -> list[int]:
        return [gid for gid, g in enumerate(self.groups) if g.forms and gid not in self.parent]

    def stories_of(self, gid: int, story_of: Mapping[str, str]) -> set[str]:
        return {story_of[a] for a in self.groups[gid].article_ids if a in story_of}

    def _in_story(self, gid: int, targets: list[int], story_of: Mapping[str, str]) -> int | None:
        """The one target present in every story the acronym is used in, if exactly one is."""
        own = self.stories_of(gid, story_of)
        near = [t for t in targets if own and own <= self.stories_of(self.find(t), story_of)]
        return near[0] if len(near) == 1 else None

    def merge_acronyms(self, story_of: Mapping[str, str] | None = None) -> None:
        """An acronym joins the one group whose name it spells in the corpus, else the one spelled in
        every story it is used in (``story_of``: article id -> story id); other fits stay candidates."""
        by_initials: dict[str, list[int]] = defaultdict(list)
        for gid in self.live():
            for form in {f for f in self.groups[gid].forms if not is_acronym(f)}:
                ini = initials(form)
                if ini and gid not in by_initials[ini]:
                    by_initials[ini].append(gid)
        for gid in self.live():
            g = self.groups[gid]
            acronyms = [f for f in g.forms if is_acronym(f)]
            if not acronyms or len(g.forms) != len(acronyms):
                continue
            acr = clean_name(acronyms[0]).replace(".", "").upper()
            targets = [t for t in by_initials.get(acr, []) if self.find(t) != gid]
            names = {t: clean_name(self.groups[self.find(t)].best_form()) for t in targets}
            near = self._in_story(gid, targets, story_of) if len(targets) > 1 and story_of else None
            if len(targets) == 1:
                self.merge(targets[0], gid, f"acronym: {acr} spells {names[targets[0]]}")
            elif near is not None:
                self.merge(near, gid, f"acronym: {acr} spells {names[near]} (the only expansion in its stories)")
            else:
                g.candidates.extend((t, f"acronym: {acr} could spell {names[t]} ({len(targets)} expansions)") for t in targets)
