"""Actors for the briefing: who is who across outlets (aliases), who speaks for whom, which names might be
the same actor but were left apart, and why names were merged, so an analyst can check each identity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rashomon.records import Entity

NOT_ACTORS = frozenset({"place"})  # places have their own section (incidents); they are not speakers or parties


@dataclass(slots=True)
class LinkView:
    """One link between two actors: 'speaks for X', 'possibly the same as X: reason'."""

    label: str
    target_id: str
    target_name: str
    reason: str
    anchored: bool  # the target has an entry (anchor) in the actors section


@dataclass(slots=True)
class EntityView:
    id: str
    name: str
    type: str
    mentions: int
    articles: int
    aliases: list[str]
    relations: list[LinkView] = field(default_factory=list)
    voiced_by: list[LinkView] = field(default_factory=list)  # spokespeople and media wings speaking for it
    candidates: list[LinkView] = field(default_factory=list)
    merge_reasons: list[str] = field(default_factory=list)


def is_actor(e: Entity) -> bool:
    return e.type not in NOT_ACTORS


def is_named(name: str) -> bool:
    """A proper name ("Ruritania Freedom Army"), not a common noun standing for a party ("soldiers"): named
    actors come first, since those are the ones an analyst tracks across outlets."""
    return name[:1].isupper() or name[:1].isdigit()


def _link(label: str, link: Mapping[str, Any], entities: Mapping[str, Entity], actors: set[str]) -> LinkView:
    target = str(link.get("entity_id") or "")
    ent = entities.get(target)
    return LinkView(label=label, target_id=target, target_name=ent.name if ent else target or "unknown",
                    reason=str(link.get("reason") or ""), anchored=target in actors)


def _relation_label(link: Mapping[str, Any]) -> str:
    return str(link.get("type") or "related to").replace("_", " ")


def entity_views(entities: Sequence[Entity]) -> list[EntityView]:
    """Every actor with its links resolved to names, most-mentioned first."""
    by_id = {e.id: e for e in entities}
    actors = {e.id for e in entities if is_actor(e)}
    voiced: dict[str, list[LinkView]] = defaultdict(list)
    for e in entities:
        for rel in e.relations:
            if rel.get("type") == "speaks_for" and e.id in actors:
                voiced[str(rel.get("entity_id") or "")].append(
                    LinkView(label="voiced by", target_id=e.id, target_name=e.name,
                             reason=str(rel.get("reason") or ""), anchored=True))
    views = [
        EntityView(id=e.id, name=e.name, type=e.type, mentions=e.mentions, articles=len(e.article_ids),
                   aliases=sorted({a for a in e.aliases if a != e.name}, key=str.lower),
                   relations=[_link(_relation_label(r), r, by_id, actors) for r in e.relations],
                   voiced_by=voiced.get(e.id, []),
                   candidates=[_link("possibly the same as", c, by_id, actors) for c in e.candidates],
                   merge_reasons=list(e.merge_reasons))
        for e in entities if e.id in actors
    ]
    return sorted(views, key=lambda v: (not is_named(v.name), -v.mentions, -v.articles, v.name.lower()))


def story_actors(entities: Sequence[Entity], article_ids: Sequence[str], limit: int) -> list[Entity]:
    """The actors most present in one story's articles: its cast, for the story header."""
    mine = set(article_ids)
    seen = [(len(mine.intersection(e.article_ids)), e.mentions, e) for e in entities if is_actor(e)]
    ranked = sorted((t for t in seen if t[0]), key=lambda t: (not is_named(t[2].name), -t[0], -t[1], t[2].name.lower()))
    return [e for _, _, e in ranked[:limit]]
