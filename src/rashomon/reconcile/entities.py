"""One identity per actor across articles.

Mentions are merged by a normalised key that folds case, leading articles, possessives, diacritics
and transliteration variation (Muhammad / Mohammad / Mohammed, Gaddafi / Qaddafi); acronyms join the
one expansion they spell; a bare surname joins the full name used in the same article. State
institutions named by common nouns ("the army", "Ruritania's military", "the Ruritanian army", "the
country's armed forces") become one entity per country (:mod:`entity_countries`); bare titles ("the
Defence Minister") join the one person named with that title (:mod:`entity_roles`); media wings in
apposition join their name, and spokespersons and wings get a ``speaks_for`` relation to their
organisation (:mod:`entity_links`). A demonym standing alone ("Syldavian territory") is an alias of its
country's place entity; a country speaking is its government; "the commission" is the one commission
named before it. Stories are clustered first, so a title or acronym ambiguous in the corpus resolves to
its one holder in the story. Every merge records why; what fits several candidates stays separate and
lists them as ``candidates``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rashomon.extract.entities import canonical_operation
from rashomon.lexicon import load_map
from rashomon.reconcile.entity_countries import Places, institution_at
from rashomon.reconcile.entity_groups import Group, Resolver
from rashomon.reconcile.entity_keys import (
    clean_name,
    initials,
    is_acronym,
    surface_key,
    translit_key,
)
from rashomon.reconcile.entity_links import (
    ArticleView,
    BareTitle,
    ExtractedTitle,
    Titled,
    add_speaks_for,
    link_wings,
    resolve_titles,
    settle_extracted_titles,
)
from rashomon.reconcile.entity_roles import (
    is_bare_title,
    parse_role,
    person_core,
    title_after,
    title_before,
)
from rashomon.records import (
    Claim,
    Entity,
    Extraction,
    Mention,
    Place,
    Speaker,
    stable_id,
)

__all__ = ["clean_name", "entity_index", "initials", "is_acronym", "resolve_entities", "surface_key", "translit_key"]

_NEXT_WORDS = re.compile(r"^ ([a-z]+(?: [a-z]+)?)")
_SKIP_SPEAKERS = frozenset({"unnamed", "outlet"})


def _surname_links(ex: Extraction) -> dict[str, str]:
    """Bare surnames in one article -> the full name that ends with them, when exactly one does."""
    persons = {person_core(m.text) for m in ex.mentions if m.type == "person"}
    full = [p for p in persons if len(p.split()) >= 2]
    # NER often types a lone surname ORG ("Nadiri said"); one capitalised word that is no acronym qualifies.
    singles = persons | {m.text for m in ex.mentions if m.type == "organization" and m.text.istitle() and not is_acronym(m.text)}
    links = {}
    for p in singles:
        if len(p.split()) == 1:
            fits = [f for f in full if f.split()[-1].lower() == p.lower()]
            if len(fits) == 1:
                links[p] = fits[0]
    return links


class _Pass:
    """Adds one corpus's mentions, places and speakers to the resolver, collecting titles and wings."""

    def __init__(self, exs: Sequence[Extraction]) -> None:
        self.r = Resolver()
        self.places = Places(exs)
        self.titled: list[Titled] = []
        self.bare: list[BareTitle] = []
        self.speakers: list[tuple[int, str, ArticleView, int]] = []  # spokesperson gid, owner, view, pos
        self.extracted: list[ExtractedTitle] = []
        self.loose: dict[str, tuple[str, set[str]]] = {}  # article id + class -> (class, countries the article names)

    def institution_key(self, view: ArticleView, text: str, pos: int) -> tuple[tuple[str, str], str, str, str | None] | None:
        """(key, type, reason, label) when the phrase is a state institution; per article when unanchored."""
        inst = institution_at(view.ex.article.text, text, pos, view.sent_start(pos), view.ctx, self.places)
        if inst is None:
            return None
        if inst.anchor is None:
            seen = {a for _, a in view.ctx.refs} | {a for p in view.ex.places if (a := self.places.country(p))}
            self.loose.setdefault(view.aid + inst.cls, (inst.cls, {k for k, _ in seen}))
            return ("actor", f"inst|?|{inst.cls}|{view.aid}"), inst.type, f"institution: '{text}' ({inst.reason})", None
        why = f"institution: '{text}' is the {inst.cls} of {inst.anchor[1]} ({inst.reason}, {view.label})"
        return ("actor", inst.key), inst.type, why, f"{inst.anchor[1]} {inst.cls}"

    def add_institution(self, view: ArticleView, text: str, pos: int, ref: object, form: str | None = None) -> int | None:
        """The institution ``text`` names, recorded under ``form`` (the text itself by default)."""
        found = self.institution_key(view, text, pos)
        if found is None:
            return None
        key, type_, why, label = found
        gid = self.r.add(form or text, type_, view.aid, ref, key=key, why=why)
        g = self.r.groups[gid]
        g.label = g.label or label or clean_name(text)
        g.scope = None if label else view.aid
        return gid

    def demonym_institution(self, view: ArticleView, m: Mention) -> int | None:
        """A demonym followed by an institution noun ("Ruritanian" + " army")."""
        nxt = _NEXT_WORDS.match(view.ex.article.text[m.end : m.end + 40])
        if not nxt or not self.places.demonym(m.text):
            return None
        words = nxt.group(1).split()
        for k in range(len(words), 0, -1):
            gid = self.add_institution(view, f"{m.text} {' '.join(words[:k])}", m.start, m)
            if gid is not None:
                return gid
        return None

    def demonym_place(self, aid: str, text: str, ref: Mention | Place, countries_only: bool) -> int | None:
        """A demonym standing alone ("Syldavian territory") is an adjective: an alias of the place entity of
        its country (when the corpus names that place), never an actor or a place of its own."""
        hit = self.places.adjective_of(text, countries_only)
        if hit is None:
            return None
        (_, label), why = hit
        gid = self.r.add(text, "place", aid, ref, key=self.r.key_of(label, "place"), why=why)
        self.r.groups[gid].adjectives.add(text)
        return gid

    def add_mention(self, view: ArticleView, m: Mention, links: dict[str, str]) -> int:
        aid, text = view.aid, view.ex.article.text
        gid = None if m.type == "person" else self.add_institution(view, m.text, m.start, m)
        gid = gid if gid is not None else self.demonym_institution(view, m)
        if gid is not None:
            return gid
        if m.type == "media_wing" and m.text.islower():
            return self.r.add(m.text, m.type, aid, m, key=("actor", f"wing|{aid}|{surface_key(m.text)}"))
        if m.type == "operation":  # phase variants are one campaign ("Operation X II", "Operation X 2.0")
            op = canonical_operation(m.text)
            why = f"operation: '{m.text}' is a variant of {op}"
            return self.r.add(m.text, m.type, aid, m, key=("actor", f"op|{translit_key(op)}"), why=why)
        core = person_core(m.text) if m.type == "person" else m.text
        if core not in links and (gid := self.demonym_place(aid, m.text, m, m.type == "person")) is not None:
            return gid  # a lone "Syldavian" typed PERSON is a demonym only when it names a country
        if m.type in ("person", "organization") and core in links:  # keyed by the full name: "Obama" joins this article's Obama only
            why = f"surname: '{m.text}' is the surname of '{links[core]}' in {view.label}"
            return self.r.add(m.text, "person", aid, m, key=self.r.key_of(links[core], "person"), why=why)
        gid = self.r.add(m.text, m.type, aid, m, key=self.r.key_of(core, m.type),
                         why=f"rank: '{m.text}' is {core}" if core != m.text else None)
        if m.type == "person":
            title = title_before(text, m.start, view.sent_start(m.start), view.known) if len(m.text.split()) >= 2 else None
            title = title or title_after(text, m.end, view.known)
            if title:
                self.note_title(view, gid, title, m.start)
        return gid

    def note_title(self, view: ArticleView, gid: int, title: str, pos: int) -> None:
        role = parse_role(title)
        if role:
            self.titled.append(Titled(gid, role, view.aid))
            if role.is_spokesperson and role.owner:
                self.speakers.append((gid, role.owner, view, pos))

    def add_speaker(self, view: ArticleView, c: Claim) -> None:
        sp: Speaker = c.speaker
        if sp.kind in _SKIP_SPEAKERS or not sp.name:
            return
        text = (sp.text or sp.name).strip()
        pos = sp.start if sp.start is not None else c.span[0]
        if sp.kind == "pronoun" and self.add_resolved_pronoun(sp, sp.name):
            return
        if is_bare_title(text, view.known) and sp.name.lower() in text.lower() and self.add_bare_title(view, sp, text, pos):
            return
        gid = self.speaker_group(view, sp, sp.name, text, pos)
        if text != sp.name and text.lower() not in load_map("pronoun_speakers"):
            if is_bare_title(text, view.known):
                tg = self.r.add(text, "person", view.aid, None, key=("actor", f"title|{view.aid}|{text.lower()}"))
                why = f"title: '{text}' resolved to {sp.name} by the speaker extractor in {view.label}"
                role = parse_role(text)
                if role and role.is_spokesperson and role.owner:  # checked once speaks_for is known
                    self.extracted.append(ExtractedTitle(gid, tg, sp, role.owner, view, pos, why))
                else:
                    self.r.merge(gid, tg, why)
            elif clean_name(text).endswith(sp.name):
                self.r.groups[self.r.find(gid)].forms[text] += 1
                prefix = text[: len(text) - len(sp.name)].strip(" ,")
                if sp.kind == "person" and prefix:
                    self.note_title(view, gid, prefix, pos)

    def speaker_group(self, view: ArticleView, sp: Speaker, name: str, text: str, pos: int) -> int:
        """The group a named speaker joins: an institution, a country's government, the named actor a
        bare head noun refers back to, else the group of its own name."""
        gid = self.add_institution(view, text, pos, sp)
        if gid is None:
            gid = self.add_institution(view, name, pos, sp)
        if gid is None and (anchor := self.places.place(name)) and anchor[0].startswith("cc:"):
            # A country speaking ("Syldavia rejected the charge") is its government.
            gid = self.add_institution(view, f"{name} government", pos, sp, form=name)
        if gid is None:
            gid = self.head_noun_antecedent(view, sp, name, text, pos)
        if gid is None:
            type_ = "person" if sp.kind == "person" else "organization"
            core = person_core(name) if type_ == "person" else name
            gid = self.r.add(name, type_, view.aid, sp, key=self.r.key_of(core, type_))
        return gid

    def head_noun_antecedent(self, view: ArticleView, sp: Speaker, noun: str, text: str, pos: int) -> int | None:
        """ "The commission said" after "the Ruritania Human Rights Commission": the one named actor before
        it in the article whose name ends in that noun (the text holds nothing but an article and the noun)."""
        if not noun.isalpha() or not noun.islower() or clean_name(text).lower() != noun:
            return None
        fits = {self.r.find(g) for start, g, _ in view.actors if start < pos
                and any(len(f.split()) >= 2 and f.split()[-1].lower() == noun for f in self.r.groups[self.r.find(g)].forms)}
        if len(fits) != 1:
            return None
        (gid,) = fits
        g = self.r.groups[gid]
        g.refs.append(sp)
        g.article_ids.add(view.aid)
        g.reasons.append(f"head noun: '{text}' is {clean_name(g.best_form())}, the one named before it in {view.label}")
        return gid

    def add_resolved_pronoun(self, sp: Speaker, name: str) -> bool:
        """ "he said" resolved by extraction to a name: the speaker is that name's entity, the pronoun no alias."""
        gid = self.r.lookup(person_core(name), "person")
        if gid is not None:
            self.r.groups[gid].refs.append(sp)
        return gid is not None

    def add_bare_title(self, view: ArticleView, sp: Speaker, text: str, pos: int) -> bool:
        """A title standing for a person, resolved later against named holders; False if no role is read."""
        role = parse_role(text)
        if role is None:
            return False
        key = ("actor", f"title|{view.aid}|{' '.join(sorted(role.words))}")
        gid = self.r.add(text, "person", view.aid, sp, key=key)
        self.r.groups[gid].scope = view.aid
        self.bare.append(BareTitle(gid, role, view, pos))
        if role.is_spokesperson and role.owner:
            self.speakers.append((gid, role.owner, view, pos))
        return True

    def add_article(self, ex: Extraction) -> None:
        view = ArticleView.of(ex, self.places)
        links = _surname_links(ex)
        wings: list[tuple[Mention, int]] = []
        named: list[tuple[Mention, int]] = []
        for m in ex.mentions:
            if m.type == "place":
                continue
            gid = self.add_mention(view, m, links)
            (wings if m.type == "media_wing" and m.text.islower() else named).append((m, gid))
            if m.type != "person" and m.text[:1].isupper():
                view.actors.append((m.start, gid, m.type))
        for p in ex.places:
            if p.geo is not None or self.demonym_place(ex.article.id, p.text, p, False) is None:
                self.r.add(p.name, "place", ex.article.id, p, p.geo)
        for c in ex.claims:
            self.add_speaker(view, c)
        link_wings(self.r, view, wings, [(m, g) for m, g in named if m.type not in ("person", "place")])


def _canonical(g: Group) -> tuple[str, str]:
    type_ = g.types.most_common(1)[0][0]
    names = [f for f in g.forms if not is_acronym(f) and f not in g.adjectives] or list(g.forms)
    if g.label:
        # A proper name is title-cased throughout ("Ruritania Army"); "Ruritanian army" is a description.
        named = [f for f in names if len(f.split()) >= 2 and "'" not in f and "’" not in f
                 and f.split()[0].lower() != "the" and all(w[:1].isupper() for w in f.split() if w != "of")]
        return (clean_name(max(named, key=lambda f: (g.forms[f], len(f)))) if named else g.label), type_
    if type_ == "person":  # the fullest proper name, titles dropped: "Barack Obama", not the surname "Obama"
        proper = [person_core(f) for f in names if "," not in f and "'" not in f and "’" not in f
                  and all(w[:1].isupper() for w in f.split())]
        if proper:
            return max(proper, key=lambda f: (min(len(f.split()), 4), g.forms[f], len(f))), type_
    # The most frequent full form; ties go to the longer (more complete) name.
    return clean_name(max(names, key=lambda f: (g.forms[f], len(f)))), type_


def _entities(r: Resolver) -> dict[int, Entity]:
    """One Entity per surviving group (groups that settle on one canonical name are one entity)."""
    by_id: dict[str, Entity] = {}
    of_group: dict[int, Entity] = {}
    for gid in r.live():
        g = r.groups[gid]
        name, type_ = _canonical(g)
        ent = Entity(name=name, type=type_, aliases=sorted(g.forms), article_ids=sorted(g.article_ids),
                     mentions=sum(g.forms.values()), geo=g.geo if type_ == "place" else None, merge_reasons=g.reasons,
                     id=stable_id("ent", type_, name.lower(), g.scope) if g.scope else "")
        if ent.id in by_id:
            prev = by_id[ent.id]
            prev.aliases = sorted({*prev.aliases, *ent.aliases})
            prev.article_ids = sorted({*prev.article_ids, *ent.article_ids})
            prev.mentions += ent.mentions
            prev.merge_reasons += [*ent.merge_reasons, f"same canonical name '{ent.name}'"]
            ent = prev
        by_id[ent.id] = ent
        of_group[gid] = ent
        for ref in g.refs:
            if ref is not None:
                ref.entity_id = ent.id  # type: ignore[attr-defined]
    return of_group


def _attach_links(r: Resolver, of_group: dict[int, Entity]) -> None:
    """Relations and candidates, pointed at the entities their groups ended in (self-links dropped)."""
    for gid, ent in of_group.items():
        g = r.groups[gid]
        for type_, target, reason in g.relations:
            other = of_group.get(r.find(target))
            if other is not None and other.id != ent.id and all(x["entity_id"] != other.id or x["type"] != type_ for x in ent.relations):
                ent.relations.append({"type": type_, "entity_id": other.id, "reason": reason})
        for target, reason in g.candidates:
            other = of_group.get(r.find(target))
            if other is not None and other.id != ent.id and all(x["entity_id"] != other.id for x in ent.candidates):
                ent.candidates.append({"entity_id": other.id, "reason": reason})


def _unanchored_candidates(p: _Pass) -> None:
    """An institution whose country could not be told lists that institution of each country its article names."""
    for key, gid in p.r.by_key.items():
        parts = key[1].split("|")
        if parts[0] != "inst" or parts[1] != "?":
            continue
        cls, countries = p.loose.get(parts[3] + parts[2], (parts[2], set()))
        g = p.r.groups[p.r.find(gid)]
        for c in sorted(countries):
            t = p.r.by_key.get(("actor", f"inst|{c}|{cls}"))
            if t is not None:
                label = p.r.groups[p.r.find(t)].label
                why = f"institution: '{g.best_form()}' could be {label}; its article names several countries"
                g.candidates.append((t, why))


def resolve_entities(exs: Sequence[Extraction], story_of: Mapping[str, str] | None = None) -> list[Entity]:
    """Entities for all mentions, places and named speakers; fills their ``entity_id``.

    ``story_of`` (article id -> story id) lets a title or acronym ambiguous in the corpus resolve to
    the one holder in its story."""
    p = _Pass(exs)
    for ex in exs:
        p.add_article(ex)
    p.r.merge_acronyms(story_of)
    resolve_titles(p.r, p.titled, p.bare, story_of)
    for gid, owner, view, pos in p.speakers:
        add_speaks_for(p.r, gid, owner, view, pos, "spokesperson")
    settle_extracted_titles(p.r, p.extracted)
    _unanchored_candidates(p)
    of_group = _entities(p.r)
    _attach_links(p.r, of_group)
    return list({e.id: e for e in of_group.values()}.values())


def entity_index(entities: Iterable[Entity]) -> dict[str, Entity]:
    return {e.id: e for e in entities}
