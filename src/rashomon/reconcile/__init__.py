"""Many articles to stories, resolved entities, incidents, disputes and casualty ledgers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from rashomon.config import Settings
from rashomon.reconcile.dedup import mark_duplicates
from rashomon.reconcile.disputes import find_disputes
from rashomon.reconcile.entities import resolve_entities
from rashomon.reconcile.incidents import merge_events, timeline
from rashomon.reconcile.stories import cluster_stories
from rashomon.records import Extraction, Reconciled, Story

# Entity types whose shared presence links two stories (a campaign, the same group).
LINKING_TYPES = ("operation", "armed_group")


def link_related(stories: Sequence[Story], by_id: dict[str, Extraction]) -> None:
    """Stories that share a named operation or armed group are related (kept apart, linked)."""
    holders: dict[str, set[int]] = defaultdict(set)
    for i, s in enumerate(stories):
        for aid in s.article_ids:
            for m in by_id[aid].mentions:
                if m.type in LINKING_TYPES and m.entity_id:
                    holders[m.entity_id].add(i)
    related: dict[int, set[int]] = defaultdict(set)
    for members in holders.values():
        if 1 < len(members) <= 50:  # an entity in every story links nothing
            for i in members:
                related[i] |= members - {i}
    for i, s in enumerate(stories):  # added to the links clustering found (close but apart)
        s.related_story_ids = sorted(set(s.related_story_ids) | {stories[j].id for j in related[i]})


def reconcile(
    exs: Sequence[Extraction], settings: Settings | None = None, existing: Sequence[Story] | None = None
) -> Reconciled:
    """Derive everything cross-article; fills story ids, entity ids and duplicate_of on ``exs``.

    ``existing`` are the stories of an earlier run: they keep their ids and members, and only
    articles in none of them are clustered (so a story a user bookmarked never moves or renames).
    """
    settings = settings or Settings()
    mark_duplicates([ex.article for ex in exs], settings.near_duplicate_threshold)
    # Stories first (clustering reads no entity ids): a title is then resolved within its story.
    stories = cluster_stories(exs, window_days=settings.story_window_days, existing=existing)
    entities = resolve_entities(exs, story_of={aid: s.id for s in stories for aid in s.article_ids})
    by_id = {ex.article.id: ex for ex in exs}
    incidents = []
    for story in stories:
        for aid in story.article_ids:
            for claim in by_id[aid].claims:
                claim.story_id = story.id
        events = [ev for aid in story.article_ids if not by_id[aid].article.duplicate_of for ev in by_id[aid].events]
        merged = merge_events(story, events, by_id)
        story.event_ids = [e.id for e in merged]
        story.timeline = timeline(story, by_id, merged)
        incidents.extend(merged)
    link_related(stories, by_id)
    disputes = find_disputes(stories, exs)
    return Reconciled(entities=entities, stories=stories, events=incidents, disputes=disputes)
