"""Resolved groups into Entity records: the canonical name, a stable id, and links between entities.

Why separate: naming an entity and pointing its refs, relations and candidates at the final ids is
independent of how the groups were formed, and the incremental reconcile reuses the records as built.
"""

from __future__ import annotations

from rashomon.reconcile.entity_groups import Group, Resolver
from rashomon.reconcile.entity_keys import clean_name, is_acronym
from rashomon.reconcile.entity_roles import person_core
from rashomon.records import Entity, stable_id


def canonical(g: Group) -> tuple[str, str]:
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


def build_entities(r: Resolver) -> dict[int, Entity]:
    """One Entity per surviving group (groups that settle on one canonical name are one entity)."""
    by_id: dict[str, Entity] = {}
    of_group: dict[int, Entity] = {}
    for gid in r.live():
        g = r.groups[gid]
        name, type_ = canonical(g)
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


def attach_links(r: Resolver, of_group: dict[int, Entity]) -> None:
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
