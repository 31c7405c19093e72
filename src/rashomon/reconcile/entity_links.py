"""Links between actors found in one article: titles to named officials, media wings to their names,
spokespersons and wings to the organisation they speak for.

Why: a bare title or "its media wing" only means something against the article it is in (and, for a
title held by one person only, the story or else the corpus). Sure links merge with a reason; unsure ones are candidates.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rashomon.lexicon import load_list
from rashomon.reconcile.entity_countries import ArticleCountries, Places, institution
from rashomon.reconcile.entity_groups import Resolver
from rashomon.reconcile.entity_keys import surface_key
from rashomon.reconcile.entity_roles import Role, covers, possessor_of
from rashomon.records import Extraction, Mention

_APPOSITION = re.compile(r"^[\s,]*(?:the\s+)?$", re.IGNORECASE)
_ORG_TYPES = frozenset({"armed_group", "organization", "military", "media_wing", "international_org"})
MIN_CORPUS_TITLE_WORDS = 2  # "the minister" alone is never resolved across articles


@dataclass(slots=True)
class ArticleView:
    """One article as the linking rules see it: text, sentences, countries, named actors in order."""

    ex: Extraction
    ctx: ArticleCountries
    places: Places
    starts: list[int] = field(default_factory=list)
    known: frozenset[str] = frozenset()
    actors: list[tuple[int, int, str]] = field(default_factory=list)  # (start, group id, type) of named actors

    @classmethod
    def of(cls, ex: Extraction, places: Places) -> ArticleView:
        known = {w for m in ex.mentions if m.type != "person" for w in surface_key(m.text).split()}
        known |= {w for p in ex.places for w in surface_key(p.name).split()}
        return cls(ex, ArticleCountries.of(ex, places), places, [s for s, _ in ex.sentences], frozenset(known))

    @property
    def aid(self) -> str:
        return self.ex.article.id

    @property
    def label(self) -> str:
        a = self.ex.article
        return f"'{a.title}'" if a.title else Path(a.source.split("#")[0]).name + (f"#{a.source.split('#')[1]}" if "#" in a.source else "")

    def sent_start(self, pos: int) -> int:
        i = bisect_right(self.starts, pos) - 1
        return self.starts[i] if i >= 0 else 0

    def institution_of(self, phrase: str, pos: int):
        return institution(phrase, pos, self.sent_start(pos), self.ctx, self.places)


@dataclass(slots=True)
class Titled:
    gid: int
    role: Role
    aid: str


@dataclass(slots=True)
class BareTitle:
    gid: int
    role: Role
    view: ArticleView
    pos: int


def owner_group(r: Resolver, owner: str, view: ArticleView, pos: int) -> int | None:
    """The group an owner phrase names: an institution, the last named organisation ("the group's"),
    the last ministry ("a ministry spokesman") or a name used elsewhere ("KLA")."""
    low = owner.lower()
    inst = view.institution_of(owner, pos)
    if inst and inst.anchor:  # a named institution is an entity even when only its spokesperson is quoted
        why = f"institution: '{owner}' is the {inst.cls} of {inst.anchor[1]} ({inst.reason})"
        gid = r.add(owner, inst.type, view.aid, None, key=("actor", inst.key), why=why)
        r.groups[gid].label = r.groups[gid].label or f"{inst.anchor[1]} {inst.cls}"
        return gid
    generic = {"it", "they"} | {w for g in load_list("group_nouns") for w in g.split()}
    if low in generic or low in {"ministry", "agency", "organisation", "organization"}:
        wanted = {"ministry"} if low == "ministry" else _ORG_TYPES
        before = [gid for start, gid, t in view.actors if start < pos and t in wanted
                  and r.groups[r.find(gid)].types.most_common(1)[0][0] in wanted - {"media_wing"} | {"ministry"} & wanted]
        return r.find(before[-1]) if before else None
    return r.lookup(owner)


def add_speaks_for(r: Resolver, gid: int, owner: str | None, view: ArticleView, pos: int, how: str) -> None:
    """Record that ``gid`` speaks for the owner group (kept as a relation, never merged)."""
    if not owner:
        return
    target = owner_group(r, owner, view, pos)
    if target is not None and target != r.find(gid):
        name = r.groups[target].best_form()
        r.groups[r.find(gid)].relations.append(("speaks_for", target, f"{how}: speaks for '{owner}' = {name} in {view.label}"))


@dataclass(slots=True)
class ExtractedTitle:
    """A spokesperson title ("its spokesman") the speaker extractor resolved to a name, held back until
    it is known whom that name speaks for."""

    person: int
    title: int
    ref: object
    owner: str
    view: ArticleView
    pos: int
    why: str


def settle_extracted_titles(r: Resolver, pending: list[ExtractedTitle]) -> None:
    """Merge each title into its name, unless the title's owner (the group "its" refers back to) is not
    an organisation that person speaks for: then the title stays apart, a candidate of the name."""
    for x in pending:
        target = owner_group(r, x.owner, x.view, x.pos)
        person = r.groups[r.find(x.person)]
        speaks = {r.find(t) for kind, t, _ in person.relations if kind == "speaks_for"}
        if target is None or not speaks or r.find(target) in speaks:
            r.merge(x.person, x.title, x.why)
            continue
        title = r.groups[r.find(x.title)]
        if x.ref in person.refs:
            person.refs.remove(x.ref)
            title.refs.append(x.ref)
        owner = r.groups[r.find(target)].best_form()
        title.candidates.append((r.find(x.person), f"{x.why}; kept apart: it speaks for {owner}, {person.best_form()} does not"))
        add_speaks_for(r, x.title, x.owner, x.view, x.pos, "spokesperson")


def _holders(r: Resolver, b: BareTitle, fitting: list[Titled], same_article: list[BareTitle],
             story_of: Mapping[str, str]) -> tuple[set[int], str | None]:
    """Who may hold a bare title, nearest first: its article (named holders and fuller bare titles
    there, "the minister" after "the Information Minister"), then its story, then the corpus.
    Returns the holders and where they were looked for beyond the article (None: in the article)."""
    local = {r.find(t.gid) for t in fitting if t.aid == b.view.aid}
    local |= {r.find(o.gid) for o in same_article if o.role.words > b.role.words
              and covers(o.role, b.role) and r.find(o.gid) != r.find(b.gid)}
    if local or len(b.role.words) < MIN_CORPUS_TITLE_WORDS:
        return local, None
    story = story_of.get(b.view.aid)
    in_story = {r.find(t.gid) for t in fitting if story is not None and story_of.get(t.aid) == story}
    if in_story:
        return in_story, "its story"
    return {r.find(t.gid) for t in fitting}, "the corpus"


def resolve_titles(r: Resolver, titled: list[Titled], bare: list[BareTitle], story_of: Mapping[str, str] | None = None) -> None:
    """Merge each bare title with the one person holding it in its article, else in its story, else
    in the corpus (``story_of`` maps article id to story id; stories are clustered first)."""
    by_word: dict[str, list[Titled]] = {}  # titles indexed by their words: a bare title only meets fitting ones
    for t in titled:
        for w in t.role.words | ({t.role.owner.lower()} if t.role.owner else set()):
            by_word.setdefault(w, []).append(t)
    by_article: dict[str, list[BareTitle]] = {}
    for b in bare:
        by_article.setdefault(b.view.aid, []).append(b)
    for b in sorted(bare, key=lambda x: -len(x.role.words)):  # fuller titles first: "the minister" may follow one
        fitting = [t for t in by_word.get(b.role.head, []) if covers(t.role, b.role)]
        holders, scope = _holders(r, b, fitting, by_article[b.view.aid], story_of or {})
        names = {g: r.groups[g].best_form() for g in holders}
        where = f"in {scope}" if scope else f"in {b.view.label}"
        if len(holders) == 1:
            (target,) = holders
            how = f"(the only holder of that title {where})" if scope else where
            r.merge(target, b.gid, f"title: '{b.role.text}' named as {names[target]} {how}")
        else:
            r.groups[r.find(b.gid)].candidates.extend(
                (g, f"title: '{b.role.text}' could be {names[g]} ({len(holders)} holders {where})") for g in holders)


def _generic_wing(m: Mention) -> bool:
    words = m.text.replace("’", "'").split()
    return m.type == "media_wing" and all(w.islower() for w in words)


def link_wings(r: Resolver, view: ArticleView, wings: list[tuple[Mention, int]], named: list[tuple[Mention, int]]) -> None:
    """ "its media wing, Amaq" / "ISPR, the military's media wing": the named one is the wing;
    both speak for the possessor."""
    text = view.ex.article.text
    for m, gid in wings:
        if not _generic_wing(m):
            continue
        owner = possessor_of(m.text)
        for n, ngid in named:
            gap = text[n.end : m.start] if n.end <= m.start else text[m.end : n.start]
            if n is not m and len(gap) <= 8 and _APPOSITION.match(gap):
                r.merge(ngid, gid, f"apposition: '{m.text}' is '{n.text}' in {view.label}")
                r.groups[r.find(ngid)].types["media_wing"] += 2
                add_speaks_for(r, ngid, owner, view, m.start, f"media wing '{m.text}'")
                break
        else:
            add_speaks_for(r, gid, owner, view, m.start, f"media wing '{m.text}'")
