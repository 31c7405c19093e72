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

This module runs the rules across articles; the pass over each article's mentions and speakers is
:mod:`entity_pass`, naming and ids :mod:`entity_build`, and an incremental run joins what it finds to
the stored entities in :mod:`entities_stored`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from rashomon.reconcile.entity_build import attach_links, build_entities
from rashomon.reconcile.entity_keys import (
    clean_name,
    initials,
    is_acronym,
    surface_key,
    translit_key,
)
from rashomon.reconcile.entity_links import (
    add_speaks_for,
    resolve_titles,
    settle_extracted_titles,
)
from rashomon.reconcile.entity_pass import EntityPass
from rashomon.records import Entity, Extraction

__all__ = ["clean_name", "entity_index", "initials", "is_acronym", "resolve_entities", "surface_key", "translit_key"]


def _unanchored_candidates(p: EntityPass) -> None:
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
    return resolve_counted(exs, story_of)[0]


def resolve_counted(exs: Sequence[Extraction], story_of: Mapping[str, str] | None = None) -> tuple[list[Entity], dict[str, Counter[str]]]:
    """:func:`resolve_entities`, with each entity's mentions counted per article (for the incremental run)."""
    p = EntityPass(exs)
    for ex in exs:
        p.add_article(ex)
    p.r.merge_acronyms(story_of)
    resolve_titles(p.r, p.titled, p.bare, story_of)
    for gid, owner, view, pos in p.speakers:
        add_speaks_for(p.r, gid, owner, view, pos, "spokesperson")
    settle_extracted_titles(p.r, p.extracted)
    _unanchored_candidates(p)
    of_group = build_entities(p.r)
    attach_links(p.r, of_group)
    per_article: dict[str, Counter[str]] = defaultdict(Counter)
    for gid, counts in p.r.counts().items():
        if gid in of_group:
            per_article[of_group[gid].id].update(counts)
    return list({e.id: e for e in of_group.values()}.values()), per_article


def entity_index(entities: Iterable[Entity]) -> dict[str, Entity]:
    return {e.id: e for e in entities}
