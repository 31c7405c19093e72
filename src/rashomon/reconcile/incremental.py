"""Reconcile only what new articles change: cost follows the new articles, not the store.

New articles are compared with the stored stories whose dates lie within the story window of
theirs (and with the stories of stored originals they copy word for word); only those stories'
articles are loaded. Stories keep their ids and members (see :func:`cluster_stories`); a story
that gains an article, or a new one, is *touched*: its entities are resolved again and joined to
the stored ones (:mod:`entities_stored`), its incidents, timeline and disputes derived again.
Everything else stays as stored. A first run (nothing stored) is exactly :func:`reconcile`.

Undated new articles are compared with the stories near the dated new articles and with undated
stories only, so their cost stays bounded too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Protocol

from rashomon.config import Settings
from rashomon.reconcile import LINKING_TYPES, MAX_HOLDERS, derive_story
from rashomon.reconcile.dedup import mark_duplicates, publication_day, within_days
from rashomon.reconcile.disputes import find_disputes
from rashomon.reconcile.entities import resolve_counted
from rashomon.reconcile.entities_stored import (
    Joined,
    NameIndex,
    Previous,
    join_stored,
    name_keys,
)
from rashomon.reconcile.stories import StoryCap, cluster_stories
from rashomon.records import Entity, Extraction, Story
from rashomon.store.incremental import Delta


class StoredView(Protocol):
    """What the incremental reconcile reads from the store (``rashomon.store.db.Store``)."""

    def stories_in_window(self, low: str, high: str) -> set[str]: ...
    def originals_by_hash(self, hashes: Collection[str]) -> dict[str, list[tuple[str, str | None]]]: ...
    def story_ids_of(self, article_ids: Collection[str]) -> set[str]: ...
    def load_stories(self, ids: Collection[str]) -> list[Story]: ...
    def originals_among(self, article_ids: Collection[str]) -> set[str]: ...
    def load_extractions(self, ids: Collection[str]) -> list[Extraction]: ...
    def entities_by_keys(self, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], set[str]]: ...
    def load_entities(self, ids: Collection[str]) -> dict[str, Entity]: ...


def day_ranges(days: Iterable[date], window: int) -> list[tuple[str, str]]:
    """Disjoint ISO day ranges covering ``window`` days around each day (a backfill of years stays sparse)."""
    out: list[list[date]] = []
    for d in sorted(set(days)):
        lo, hi = d - timedelta(days=window), d + timedelta(days=window)
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo.isoformat(), hi.isoformat()) for lo, hi in out]


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def context_story_ids(store: StoredView, new: Sequence[Extraction], window: int) -> tuple[set[str], dict[str, str]]:
    """(stored stories new articles may join, new article id -> the stored original it repeats word for word,
    published within ``window`` days of it) for ``new``."""
    days = [d for ex in new if (d := _day(ex.article.published)) is not None]
    ids: set[str] = set()
    for low, high in day_ranges(days, window) or [("", "")]:
        ids |= store.stories_in_window(low, high)  # ("", "") finds the undated stories only
    found = store.originals_by_hash({ex.article.content_hash for ex in new})
    originals = {ex.article.id: aid for ex in new if (aid := _close_original(ex, found, window)) is not None}
    return ids | store.story_ids_of(set(originals.values())), originals


def _close_original(ex: Extraction, found: Mapping[str, list[tuple[str, str | None]]], window: int) -> str | None:
    """The first stored original with ``ex``'s text published within ``window`` days of it (see dedup)."""
    day = publication_day(ex.article.published)
    return next((aid for aid, published in found.get(ex.article.content_hash, ())
                 if within_days(day, publication_day(published), window)), None)


def mark_new_duplicates(old: Sequence[Extraction], new: Sequence[Extraction], originals: Mapping[str, str],
                        threshold: float, window: int) -> None:
    """Copies among the new articles, of each other or of the loaded stored ones; stored marks never change."""
    kept = {ex.article.id: ex.article.duplicate_of for ex in old}
    mark_duplicates([ex.article for ex in [*old, *new]], threshold, window)
    for ex in old:
        ex.article.duplicate_of = kept[ex.article.id]
    for ex in new if originals else ():
        if ex.article.duplicate_of is None and ex.article.id in originals:
            ex.article.duplicate_of = originals[ex.article.id]


def _changed(clustered: Sequence[Story], stored: Sequence[Story]) -> tuple[list[Story], dict[str, list[str]]]:
    """(stories new or with new members, other stored stories whose related ids clustering grew)."""
    before = {s.id: s for s in stored}
    touched = [s for s in clustered if s.id not in before or s.article_ids != before[s.id].article_ids]
    ids = {s.id for s in touched}
    related = {s.id: s.related_story_ids for s in clustered if s.id in before and s.id not in ids
               and set(s.related_story_ids) != set(before[s.id].related_story_ids)}
    return touched, related


def _entities(store: StoredView, members: Sequence[Extraction], new_ids: set[str],
              story_of: Mapping[str, str]) -> Joined:
    """Entities of the touched stories joined to the stored ones (see :mod:`entities_stored`)."""
    prev = Previous.of([ex for ex in members if ex.article.id not in new_ids])
    found, counts = resolve_counted(members, story_of=story_of)
    keys = {k for e in found for k in name_keys(e)}
    index = NameIndex(store.entities_by_keys(keys) if keys else {})
    wanted = set(prev.counts()) | {e.id for e in found} | {m for e in found if (m := index.match(e))}
    return join_stored(found, members, prev, store.load_entities(wanted), index, counts)


def _with_copies(store: StoredView, exs: list[Extraction], touched: Sequence[Story]) -> list[Extraction]:
    """``exs`` plus the stored copies in ``touched`` stories (the context loaded originals only), by article id."""
    have = {ex.article.id for ex in exs}
    missing = {aid for s in touched for aid in s.article_ids if aid not in have}
    return sorted([*exs, *store.load_extractions(missing)], key=lambda ex: ex.article.id) if missing else exs


def _links(ex: Extraction) -> tuple[object, ...]:
    """The links reconcile sets on an article (what ``Store._update_links`` writes), to tell which changed."""
    return (ex.article.duplicate_of, [(c.story_id, c.speaker.entity_id) for c in ex.claims],
            [m.entity_id for m in ex.mentions], [p.entity_id for p in ex.places],
            [(e.story_id, e.location.entity_id if e.location else None) for e in ex.events])


def reconcile_new(store: StoredView, new: Sequence[Extraction], settings: Settings | None = None) -> Delta:
    """What ``new`` (extractions in no story yet) change in the stored reconciled view; fills their links.

    Of the context stories only the originals are loaded (a copy adds nothing to clustering or to
    duplicate detection: it is not indexed); the copies are loaded for the stories that change."""
    settings = settings or Settings()
    window = settings.story_window_days
    ids, originals = context_story_ids(store, new, window)
    stored = store.load_stories(ids)
    old = store.load_extractions(store.originals_among({a for s in stored for a in s.article_ids}))
    mark_new_duplicates(old, new, originals, settings.near_duplicate_threshold, window)
    exs = sorted([*old, *new], key=lambda ex: ex.article.id)
    clustered = cluster_stories(exs, window_days=window, existing=stored, cap=StoryCap.of(settings))
    touched, related = _changed(clustered, stored)
    exs = _with_copies(store, exs, touched)
    new_ids = {ex.article.id for ex in new}
    read = {ex.article.id: _links(ex) for ex in exs if ex.article.id not in new_ids}  # as stored
    by_id = {ex.article.id: ex for ex in exs}
    story_of = {aid: s.id for s in touched for aid in s.article_ids}
    members = [ex for ex in exs if ex.article.id in story_of]  # in store (article id) order, as a full run reads them
    joined = _entities(store, members, new_ids, story_of)
    incidents = [ev for s in touched for ev in derive_story(s, by_id)]
    orphans = [ex for ex in new if ex.article.id not in story_of]  # a copy whose original is in no story
    changed = {s.id for s in touched}
    base = {s.id: list(s.article_ids) for s in stored if s.id in changed}  # clustering left ``stored`` as read
    return Delta(stories=touched, events=incidents, disputes=find_disputes(touched, members), entities=joined.entities,
                 dropped_entities=joined.dropped, entity_keys=joined.keys, related=related,
                 exs=[*(ex for ex in members if ex.article.id in new_ids or _links(ex) != read[ex.article.id]), *orphans],
                 link_types=LINKING_TYPES, max_holders=MAX_HOLDERS, new_ids=[ex.article.id for ex in new], base=base)
