"""Reads and writes of the incremental reconcile: only the stories new articles can touch.

Why separate from :mod:`db`: a later run must cost what its new articles cost, not what the store
holds. These queries find the stored stories a new article could join (by date, through indexed
membership rows) and write back only the stories that changed, their incidents and disputes, and
the entities whose articles changed; every other row is left as it is (same row, same id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from rashomon.records import Dispute, Entity, Event, Extraction, Story
from rashomon.store import convert, summary
from rashomon.store.models import (
    ArticleRow,
    DisputeRow,
    EntityKeyRow,
    EntityRow,
    EventRow,
    MentionRow,
    StoryArticleRow,
    StoryRow,
)

# holders (entity id -> story ids holding it) -> story id -> stories it is related to
Relate = Callable[[Mapping[str, set[str]]], Mapping[str, set[str]]]
_IN = 500  # ids per IN (...) clause: portable below every backend's parameter limit


@dataclass(slots=True)
class Delta:
    """What one incremental reconcile changed, written in one transaction by :func:`write_delta`."""

    stories: list[Story] = field(default_factory=list)  # new, or stored with new members: rewritten whole
    events: list[Event] = field(default_factory=list)  # every incident of those stories
    disputes: list[Dispute] = field(default_factory=list)  # every dispute of those stories
    entities: list[Entity] = field(default_factory=list)  # new or changed entities (upserted)
    entity_keys: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # their (kind, name key)s to add
    dropped_entities: list[str] = field(default_factory=list)  # stored entities left with no article
    exs: list[Extraction] = field(default_factory=list)  # articles whose links (story, entity, copy) to write
    related: dict[str, list[str]] = field(default_factory=dict)  # other stored stories: new related ids
    link_types: tuple[str, ...] = ()  # mention types whose entities link stories (see ``relate``)
    max_holders: int = 0  # an entity in more stories than this links none (``relate`` ignores it): not all read
    new_ids: list[str] = field(default_factory=list)  # the articles this delta places (in no story when read)
    base: dict[str, list[str]] = field(default_factory=dict)  # stored stories it changes: members when read


class StaleDelta(RuntimeError):
    """Another run placed these articles or changed these stories since they were read: reconcile again."""


def chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    items = list(ids)
    for i in range(0, len(items), _IN):
        yield items[i : i + _IN]


def unreconciled_ids(s: Session) -> list[str]:
    """Articles in no story yet: the new ones (and any a killed run left unassigned), oldest first, so
    a run reconciled in chunks compares each chunk with the stories of its own weeks only."""
    member = select(StoryArticleRow.article_id)
    rows = select(ArticleRow.id).where(ArticleRow.id.not_in(member))
    return list(s.scalars(rows.order_by(ArticleRow.published, ArticleRow.id)))


def stories_in_window(s: Session, low: str, high: str) -> set[str]:
    """Stories with a dated original published in [low, high] (ISO days), and stories with no date.

    A story's articles lie within the story window of each other, so a story whose span overlaps a
    window around a day has a member inside it; both lookups go through the index on ``published``."""
    a, sa = ArticleRow, StoryArticleRow
    end = (date.fromisoformat(high) + timedelta(days=1)).isoformat() if high else high
    dated = (select(sa.story_id).join(a, a.id == sa.article_id)
             .where(a.duplicate_of.is_(None), a.published >= low, a.published < end).distinct())
    undated = (select(sa.story_id).join(a, a.id == sa.article_id)
               .where(a.duplicate_of.is_(None), a.published.is_(None)).distinct())
    maybe = set(s.scalars(undated))
    has_date = {sid for part in chunks(maybe) for sid in s.scalars(
        select(sa.story_id).join(a, a.id == sa.article_id)
        .where(sa.story_id.in_(part), a.duplicate_of.is_(None), a.published.is_not(None)).distinct())}
    return set(s.scalars(dated)) | (maybe - has_date)


def story_ids_of(s: Session, article_ids: Collection[str]) -> set[str]:
    out: set[str] = set()
    for part in chunks(article_ids):
        out |= set(s.scalars(select(StoryArticleRow.story_id).where(StoryArticleRow.article_id.in_(part))))
    return out


def originals_among(s: Session, article_ids: Collection[str]) -> set[str]:
    """Which of ``article_ids`` are originals (no copy of another article)."""
    a = ArticleRow
    return {i for part in chunks(sorted(article_ids)) for i in s.scalars(
        select(a.id).where(a.id.in_(part), a.duplicate_of.is_(None)))}


def load_stories(s: Session, ids: Collection[str]) -> list[Story]:
    """The stored stories ``ids`` with their members in stored order, in stored story order."""
    members: dict[str, list[str]] = defaultdict(list)
    rows: list[StoryRow] = []
    for part in chunks(sorted(ids)):
        q = select(StoryArticleRow).where(StoryArticleRow.story_id.in_(part))
        for m in s.scalars(q.order_by(StoryArticleRow.story_id, StoryArticleRow.position)):
            members[m.story_id].append(m.article_id)
        rows += s.scalars(select(StoryRow).where(StoryRow.id.in_(part)))
    return [convert.story_from(r, members.get(r.id, [])) for r in sorted(rows, key=lambda r: r.seq)]


def originals_by_hash(s: Session, hashes: Collection[str]) -> dict[str, list[tuple[str, str | None]]]:
    """content hash -> the reconciled originals with that text, (id, published) in id order (new articles
    are in no story yet; a text republished past the story window is an original again, so there may be several)."""
    out: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for part in chunks(hashes):
        q = (select(ArticleRow.content_hash, ArticleRow.id, ArticleRow.published)
             .where(ArticleRow.content_hash.in_(part), ArticleRow.duplicate_of.is_(None),
                    ArticleRow.id.in_(select(StoryArticleRow.article_id)))
             .order_by(ArticleRow.id))
        for digest, aid, published in s.execute(q):
            out[digest].append((aid, published))
    return dict(out)


def entities_by_keys(s: Session, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
    """(kind, name key) -> the stored entities with that key, for the keys asked (an indexed lookup)."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for kind in {k for k, _ in keys}:
        for part in chunks(sorted({key for k, key in keys if k == kind})):
            q = select(EntityKeyRow.key, EntityKeyRow.entity_id).where(EntityKeyRow.kind == kind, EntityKeyRow.key.in_(part))
            for key, eid in s.execute(q):
                out[(kind, key)].add(eid)
    return dict(out)


def load_entities(s: Session, ids: Collection[str]) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for part in chunks(ids):
        out.update({r.id: convert.entity_from(r) for r in s.scalars(select(EntityRow).where(EntityRow.id.in_(part)))})
    return out


def _next_seq(s: Session, model: Any) -> int:
    return int(s.scalar(select(func.max(model.seq))) or -1) + 1


def _update_by_id(s: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """UPDATE rows in place by id (the row keeps its identity); ``rows`` are column values."""
    if not rows:
        return
    t: Table = model.__table__
    cols = [c for c in rows[0] if c != "id"]
    stmt = update(t).where(t.c.id == bindparam("b_id")).values({c: bindparam(f"b_{c}") for c in cols})
    s.connection().execute(stmt, [{f"b_{k}": v for k, v in r.items()} for r in rows])


def _upsert(s: Session, model: Any, rows: list[dict[str, Any]], stored: set[str]) -> None:
    """Stored ids are updated in place; new ones are inserted after the last row (``seq``)."""
    seq = _next_seq(s, model)
    _update_by_id(s, model, [r for r in rows if r["id"] in stored])
    fresh = [{**r, "seq": seq + i} for i, r in enumerate(r for r in rows if r["id"] not in stored)]
    if fresh:
        s.execute(insert(model), fresh)


def _stored_ids(s: Session, model: Any, ids: Collection[str]) -> set[str]:
    return {i for part in chunks(ids) for i in s.scalars(select(model.id).where(model.id.in_(part)))}


def _write_stories(s: Session, d: Delta) -> None:
    """Touched stories: row updated in place (or added), members, incidents and disputes replaced."""
    ids = [st.id for st in d.stories]
    for part in chunks(ids):
        for owned in (EventRow, DisputeRow, StoryArticleRow):
            s.execute(delete(owned).where(owned.story_id.in_(part)))
    _upsert(s, StoryRow, [convert.story_values(st) for st in d.stories], _stored_ids(s, StoryRow, ids))
    members = [{"story_id": st.id, "position": i, "article_id": a} for st in d.stories for i, a in enumerate(st.article_ids)]
    for model, rows in ((StoryArticleRow, members),
                        (EventRow, [{**convert.event_values(e), "seq": i} for i, e in enumerate(d.events, _next_seq(s, EventRow))]),
                        (DisputeRow, [{**convert.dispute_values(x), "seq": i} for i, x in enumerate(d.disputes, _next_seq(s, DisputeRow))])):
        if rows:
            s.execute(insert(model), rows)


def _write_entities(s: Session, d: Delta) -> None:
    """Changed entities upserted, their new name keys added (names only accumulate); dropped ones
    deleted with their keys."""
    ids = [e.id for e in d.entities]
    for part in chunks(d.dropped_entities):
        s.execute(delete(EntityKeyRow).where(EntityKeyRow.entity_id.in_(part)))
        s.execute(delete(EntityRow).where(EntityRow.id.in_(part)))
    _upsert(s, EntityRow, [convert.entity_values(e) for e in d.entities], _stored_ids(s, EntityRow, ids))
    have = {(k, key, eid) for part in chunks(ids) for k, key, eid in s.execute(
        select(EntityKeyRow.kind, EntityKeyRow.key, EntityKeyRow.entity_id).where(EntityKeyRow.entity_id.in_(part)))}
    keys = [{"kind": k, "key": key, "entity_id": eid} for eid in ids for k, key in sorted(d.entity_keys.get(eid, ()))
            if (k, key, eid) not in have]
    if keys:
        s.execute(insert(EntityKeyRow), keys)


def _add_related(s: Session, extra: Mapping[str, Iterable[str]]) -> None:
    """Add related story ids to stored stories; a story whose set does not grow is not written."""
    rows = []
    for part in chunks(extra):
        for sid, have in s.execute(select(StoryRow.id, StoryRow.related_story_ids).where(StoryRow.id.in_(part))):
            grown = sorted(set(have or []) | set(extra[sid]))
            if grown != sorted(have or []):
                rows.append({"id": sid, "related_story_ids": grown})
    _update_by_id(s, StoryRow, rows)


def _holders(s: Session, story_ids: Collection[str], types: tuple[str, ...], most: int = 0) -> dict[str, set[str]]:
    """Entity id -> the stories holding it, for the linking entities mentioned in ``story_ids``; with
    ``most``, at most ``most + 1`` stories each: enough to tell a too-common entity (one named in every
    story of a long conflict) without reading all its stories, so the cost does not grow with the store."""
    m, sa = MentionRow, StoryArticleRow
    ents: set[str] = set()
    for part in chunks(story_ids):
        q = (select(m.entity_id).join(sa, sa.article_id == m.article_id)
             .where(sa.story_id.in_(part), m.type.in_(types), m.entity_id.is_not(None)).distinct())
        ents |= set(s.scalars(q))
    out: dict[str, set[str]] = defaultdict(set)
    for eid in sorted(ents):
        q = (select(sa.story_id).join(m, sa.article_id == m.article_id)
             .where(m.entity_id == eid, m.type.in_(types)).distinct())
        out[eid] = set(s.scalars(q.limit(most + 1) if most else q))
    return out


def _summarised(d: Delta) -> set[str]:
    """Stories whose summary ``d`` changes: those it rewrites, and those its articles' claims now name."""
    return {st.id for st in d.stories} | {c.story_id for ex in d.exs for c in ex.claims if c.story_id}


def _check_current(s: Session, d: Delta) -> None:
    """Raise StaleDelta unless the store still is what ``d`` was computed from (checked inside the write lock)."""
    if story_ids_of(s, d.new_ids):
        raise StaleDelta("articles of this run were placed in stories by another run")
    now = {st.id: st.article_ids for st in load_stories(s, d.base)}
    if now != d.base:
        raise StaleDelta("stories this run changes were changed by another run")


def write_delta(s: Session, d: Delta, write_links: Callable[[Session, list[Extraction]], None],
                relate: Relate | None = None) -> None:
    """Write ``d`` inside the caller's transaction; ``relate`` then links stories sharing an entity."""
    _check_current(s, d)
    _write_entities(s, d)
    write_links(s, d.exs)
    _write_stories(s, d)
    summary.refresh(s.connection(), _summarised(d))
    _add_related(s, d.related)
    if relate is not None and d.link_types and d.stories:
        _add_related(s, relate(_holders(s, [st.id for st in d.stories], d.link_types, d.max_holders)))
