"""The first pass of entity resolution: every mention, place and named speaker of a corpus into groups.

Why separate: reading one article's actors (institutions, demonyms, operations, surnames, titles,
spokespersons, pronoun and head-noun speakers) is the long part of resolution; the rules that later
join groups across articles (acronyms, titles, spokespersons) and the building of entities live in
:mod:`entities` and :mod:`entity_build`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from rashomon.extract.entities import canonical_operation
from rashomon.lexicon import load_map
from rashomon.reconcile.entity_countries import Places, institution_at
from rashomon.reconcile.entity_groups import Resolver
from rashomon.reconcile.entity_keys import (
    clean_name,
    is_acronym,
    surface_key,
    translit_key,
)
from rashomon.reconcile.entity_links import (
    ArticleView,
    BareTitle,
    ExtractedTitle,
    Titled,
    link_wings,
)
from rashomon.reconcile.entity_roles import (
    is_bare_title,
    parse_role,
    person_core,
    title_after,
    title_before,
)
from rashomon.records import Claim, Extraction, Geo, Mention, Place, Speaker

_NEXT_WORDS = re.compile(r"^ ([a-z]+(?: [a-z]+)?)")
_SKIP_SPEAKERS = frozenset({"unnamed", "outlet"})


class CountingResolver(Resolver):
    """A Resolver that also counts every form it adds per article: what each article gave an entity,
    which an incremental run takes off a stored entity when it reads those articles again."""

    def __init__(self) -> None:
        super().__init__()
        self.per_article: dict[int, Counter[str]] = defaultdict(Counter)

    def add(self, text: str, type_: str, article_id: str, ref: object, geo: Geo | None = None,
            key: tuple[str, str] | None = None, why: str | None = None) -> int:
        gid = super().add(text, type_, article_id, ref, geo, key, why)
        self.per_article[gid][article_id] += 1
        return gid

    def note_form(self, gid: int, text: str, article_id: str) -> None:
        """One more use of ``text`` for a group already holding the article's reference."""
        self.groups[self.find(gid)].forms[text] += 1
        self.per_article[gid][article_id] += 1

    def counts(self) -> dict[int, Counter[str]]:
        """Surviving group -> forms per article (what merged into it included)."""
        out: dict[int, Counter[str]] = defaultdict(Counter)
        for gid, c in self.per_article.items():
            out[self.find(gid)].update(c)
        return out


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


class EntityPass:
    """Adds one corpus's mentions, places and speakers to the resolver, collecting titles and wings."""

    def __init__(self, exs: Sequence[Extraction]) -> None:
        self.r = CountingResolver()
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
                self.r.note_form(gid, text, view.aid)
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
