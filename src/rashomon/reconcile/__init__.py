"""Many articles to stories, resolved entities, incidents, disputes and casualty ledgers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from rashomon.config import Settings
from rashomon.reconcile.dedup import mark_duplicates
from rashomon.reconcile.disputes import find_disputes
from rashomon.reconcile.entities import resolve_entities
from rashomon.reconcile.incidents import merge_events, timeline
from rashomon.reconcile.stories import StoryCap, cluster_stories
from rashomon.records import Event, Extraction, Reconciled, Story

# Entity types whose shared presence links two stories (a campaign, the same group).
LINKING_TYPES = ("operation", "armed_group")
MAX_HOLDERS = 50  # an entity held by more stories than this is too common to link them


def related_links(holders: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """Story id -> the stories it shares a linking entity with (``holders``: entity id -> its stories)."""
    related: dict[str, set[str]] = defaultdict(set)
    for members in holders.values():
        if 1 < len(members) <= MAX_HOLDERS:  # an entity in every story links nothing
            for sid in members:
                related[sid] |= members - {sid}
    return related


def link_related(stories: Sequence[Story], by_id: dict[str, Extraction]) -> None:
    """Stories that share a named operation or armed group are related (kept apart, linked)."""
    holders: dict[str, set[str]] = defaultdict(set)
    for s in stories:
        for aid in s.article_ids:
            for m in by_id[aid].mentions:
                if m.type in LINKING_TYPES and m.entity_id:
                    holders[m.entity_id].add(s.id)
    related = related_links(holders)
    for s in stories:  # added to the links clustering found (close but apart)
        s.related_story_ids = sorted(set(s.related_story_ids) | related[s.id])


def derive_story(story: Story, by_id: dict[str, Extraction]) -> list[Event]:
    """A story's incidents and timeline from its members (claims get the story's id); returns the incidents."""
    for aid in story.article_ids:
        for claim in by_id[aid].claims:
            claim.story_id = story.id
    events = [ev for aid in story.article_ids if not by_id[aid].article.duplicate_of for ev in by_id[aid].events]
    merged = merge_events(story, events, by_id)
    story.event_ids = [e.id for e in merged]
    story.timeline = timeline(story, by_id, merged)
    return merged


def reconcile(
    exs: Sequence[Extraction], settings: Settings | None = None, existing: Sequence[Story] | None = None
) -> Reconciled:
    """Derive everything cross-article; fills story ids, entity ids and duplicate_of on ``exs``.

    ``existing`` are the stories of an earlier run: they keep their ids and members, and only
    articles in none of them are clustered (so a story a user bookmarked never moves or renames).
    """
    settings = settings or Settings()
    mark_duplicates([ex.article for ex in exs], settings.near_duplicate_threshold, settings.story_window_days)
    # Stories first (clustering reads no entity ids): a title is then resolved within its story.
    stories = cluster_stories(exs, window_days=settings.story_window_days, existing=existing, cap=StoryCap.of(settings))
    entities = resolve_entities(exs, story_of={aid: s.id for s in stories for aid in s.article_ids})
    by_id = {ex.article.id: ex for ex in exs}
    incidents = [ev for story in stories for ev in derive_story(story, by_id)]
    link_related(stories, by_id)
    disputes = find_disputes(stories, exs)
    return Reconciled(entities=entities, stories=stories, events=incidents, disputes=disputes)
