"""Entities resolved over the touched stories, joined to the entities already stored.

Why: an incremental run resolves only the articles of the stories that changed, so each entity it
finds is a part of something the store may already hold. Each found entity keeps a stored id when
(1) its mentions from stored articles carried that id before (the most frequent one wins), else
(2) its own id is stored (same type and canonical name), else (3) its canonical name or a proper-name
alias has the transliteration key of exactly one stored entity of its kind. Entities confined to one
article ("the minister" there) only keep an id through (1) or (2). A stored entity's counts lose what
the re-resolved articles gave it before and gain what they give now, so untouched entities keep their
ids, rows and counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from rashomon.reconcile.entity_groups import kind_of
from rashomon.reconcile.entity_keys import translit_key
from rashomon.records import Entity, Extraction, stable_id

T = TypeVar("T")


class _Ref(Protocol):
    entity_id: str | None


def refs(ex: Extraction) -> Iterator[_Ref]:
    """Everything in an article that resolution points at an entity."""
    yield from ex.mentions
    yield from ex.places
    for c in ex.claims:
        yield c.speaker


def _proper(form: str) -> bool:
    words = form.split()
    return bool(words) and words[0].lower() != "the" and all(w[:1].isupper() for w in words if w.isalpha())


def _scoped(e: Entity) -> bool:
    """An entity confined to one article has an id that is not its plain name's id."""
    return e.id != stable_id("ent", e.type, e.name.lower())


def name_keys(e: Entity) -> set[tuple[str, str]]:
    """(kind, transliteration key) of an entity's canonical name and proper-name aliases; none when
    it is confined to one article (its forms are common nouns: "the minister")."""
    if _scoped(e):
        return set()
    return {(kind_of(e.type), translit_key(n)) for n in [e.name, *e.aliases] if _proper(n)}


@dataclass(slots=True)
class NameIndex:
    """(kind, transliteration key) -> the stored entities with that key (those looked up, see ``name_keys``)."""

    keys: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def match(self, e: Entity) -> str | None:
        """The one stored entity ``e``'s proper names spell, if exactly one."""
        hits = {eid for k in name_keys(e) for eid in self.keys.get(k, ())}
        return next(iter(hits)) if len(hits) == 1 else None


@dataclass(slots=True)
class Previous:
    """Which stored entity each ref of the re-resolved stored articles pointed at before (then cleared)."""

    pairs: list[tuple[_Ref, str]] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, exs: Sequence[Extraction]) -> Previous:
        prev = cls(articles={ex.article.id for ex in exs})
        prev.pairs = [(r, r.entity_id) for ex in exs for r in refs(ex) if r.entity_id]
        for r, _ in prev.pairs:  # resolution sets what it resolves; a ref it skips must not keep a stale id
            r.entity_id = None
        return prev

    def counts(self) -> Counter[str]:
        return Counter(eid for _, eid in self.pairs)

    def votes(self) -> dict[str, Counter[str]]:
        """New entity id -> the stored ids its refs had (call after resolution)."""
        out: dict[str, Counter[str]] = defaultdict(Counter)
        for ref, old in self.pairs:
            if ref.entity_id:
                out[ref.entity_id][old] += 1
        return out


def _targets(found: Sequence[Entity], prev: Previous, stored: Mapping[str, Entity], index: NameIndex) -> dict[str, str]:
    """Found entity id -> the id it is stored under (its own when new)."""
    votes = prev.votes()
    out = {}
    for e in found:
        voted = [eid for eid, _ in votes.get(e.id, Counter()).most_common() if eid in stored]
        out[e.id] = voted[0] if voted else e.id if e.id in stored else index.match(e) or e.id
    return out


def _first(items: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    """Items in order, the first of each key kept (the fresh resolution's reason before the stored one)."""
    seen: set[Hashable] = set()
    out = []
    for x in items:
        if key(x) not in seen:
            seen.add(key(x))
            out.append(x)
    return out


def _links(items: Iterable[dict[str, str]], remap: Mapping[str, str], own: str, key: Sequence[str]) -> list[dict[str, str]]:
    """Relations or candidates pointed at the kept ids; self-links dropped, one per ``key``."""
    moved = ({**x, "entity_id": remap.get(x["entity_id"], x["entity_id"])} for x in items)
    return _first((x for x in moved if x["entity_id"] != own), key=lambda x: tuple(x[k] for k in key))


def _combine(target: str, base: Entity | None, parts: Sequence[Entity], prev: Previous, taken: int,
             remap: Mapping[str, str]) -> Entity:
    """The stored entity ``base`` less what the re-resolved articles gave it (``taken`` mentions), plus ``parts``."""
    kept = set(base.article_ids) - prev.articles if base else set()
    rest = max(0, base.mentions - taken) if base and kept else 0  # what the untouched articles gave it
    fresh = sum(e.mentions for e in parts)
    # Named as the side that saw more of it says (the id stays); a bookmarked entity never moves.
    head = base if base and (rest > fresh or not parts) else max(parts, key=lambda e: e.mentions)
    every = [*parts, *([base] if base else [])]
    return Entity(
        name=head.name, type=head.type, id=target,
        aliases=sorted({a for e in every for a in e.aliases}),
        article_ids=sorted(kept | {a for e in parts for a in e.article_ids}),
        mentions=rest + fresh,
        geo=head.geo or next((e.geo for e in parts if e.geo), None),
        merge_reasons=_first((r for e in every[::-1] for r in e.merge_reasons), key=lambda r: r),
        relations=_links((x for e in every for x in e.relations), remap, target, ("type", "entity_id")),
        candidates=_links((x for e in every for x in e.candidates), remap, target, ("entity_id",)),
    )


def _given(counts: Mapping[str, Counter[str]], eid: str, articles: set[str]) -> int:
    """Mentions ``articles`` give entity ``eid`` (per-article counts of the resolution)."""
    per = counts.get(eid, Counter())
    return sum(n for a, n in per.items() if a in articles)


@dataclass(slots=True)
class Joined:
    """What to write: changed entities, stored ids left with no article, and new name keys per entity."""

    entities: list[Entity]
    dropped: list[str]
    keys: dict[str, set[tuple[str, str]]]


def join_stored(found: Sequence[Entity], exs: Sequence[Extraction], prev: Previous,
                stored: Mapping[str, Entity], index: NameIndex, counts: Mapping[str, Counter[str]] | None = None) -> Joined:
    """Found entities joined to stored ones; points the refs of ``exs`` at the ids kept.

    ``stored`` holds every stored entity a found one may join or the re-resolved articles named;
    ``counts`` (found id -> mentions per article) say what the re-resolved stored articles give each
    found entity now, taken as what they gave it before (else the refs that pointed at it are counted).
    Keys come from the found entities as resolved (a kept id no longer says whether it is scoped)."""
    remap = _targets(found, prev, stored, index)
    for ex in exs:
        for r in refs(ex):
            if r.entity_id in remap:
                r.entity_id = remap[r.entity_id]
    parts: dict[str, list[Entity]] = defaultdict(list)
    for e in found:
        parts[remap[e.id]].append(e)
    before = prev.counts()
    for t, ps in parts.items() if counts is not None else ():  # replaces the refs' estimate
        before[t] = sum(_given(counts or {}, e.id, prev.articles) for e in ps)
    out = [_combine(t, stored.get(t), ps, prev, before[t], remap) for t, ps in parts.items()]
    dropped = []
    for eid in sorted(set(before) - set(parts)):  # stored entities the re-resolved articles no longer name
        if eid in stored:
            left = _combine(eid, stored[eid], [], prev, before[eid], remap) if set(stored[eid].article_ids) - prev.articles else None
            (out.append(left) if left else dropped.append(eid))
    return Joined(out, dropped, {t: {k for e in ps for k in name_keys(e)} for t, ps in parts.items()})
