"""SQL behind the web app: one page of stories, one story, one actor, one outlet, read straight from the
store's tables. Nothing loads the whole store: lists are paginated, every filter goes through an indexed
column (entity ids, outlet, publication date, story id) or the full-text index, and counts per story are
computed by the database for the stories on the page only."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, Text, cast, func, or_, select
from sqlalchemy.orm import Session

from rashomon.lexicon import load_list
from rashomon.records import Article, Claim, Dispute, Entity, Event, Place, Story
from rashomon.store import convert
from rashomon.store.models import (
    ArticleRow,
    ClaimRow,
    DisputeRow,
    EntityRow,
    EventRow,
    MentionRow,
    PlaceRow,
    StoryArticleRow,
    StoryRow,
)
from rashomon.store.search import article_ids_matching, claim_filter, terms

PAGE_SIZE = 50
FACETS = 300  # names offered in a filter's suggestions
SORTS = ("newest", "disputed")
PLACES_SHOWN = 3  # incident places named per story in the list
WALK_PAGES = 20  # pages of the unfiltered newest-first list served by walking the date index
EVALUATIVE_SCAN = 5000  # an outlet's most recent articles read for its evaluative phrases


@dataclass(slots=True)
class StoryFilter:
    """The stories list's query parameters, already parsed."""

    q: str = ""
    date_from: str | None = None
    date_to: str | None = None
    place: str | None = None
    actor: str | None = None
    outlet: str | None = None
    event_type: str | None = None
    disputed: bool = False
    sort: str = "newest"
    page: int = 1


@dataclass(slots=True)
class StorySummary:
    id: str
    title: str
    articles: int
    disputes: int
    first: str | None
    last: str | None
    claims: int = 0
    incidents: int = 0
    outlets: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # its incidents' places, most frequent first


@dataclass(slots=True)
class StoryList:
    items: list[StorySummary]
    total: int
    page: int
    pages: int
    page_size: int


@dataclass(slots=True)
class Facets:
    """Values offered by the list's filters (most frequent first)."""

    outlets: list[str]
    event_types: list[str]
    places: list[str]
    actors: list[str]


@dataclass(slots=True)
class StoryRecords:
    """Everything stored about one story, as records."""

    story: Story
    articles: list[Article]
    claims: list[Claim]
    disputes: list[Dispute]
    events: list[Event]
    entities: list[Entity]
    related_titles: dict[str, str]
    evaluative: dict[str, list[str]]  # article id -> flagged phrases
    hedges: dict[str, list[str]]
    sentences: dict[str, list[tuple[int, int]]]
    places: dict[str, list[Place]]  # by article id, for the map


# --- stories list --------------------------------------------------------------------------


def _next_day(iso: str) -> str:
    return (date.fromisoformat(iso[:10]) + timedelta(days=1)).isoformat()


def _stories_with_articles(*where: Any) -> Select[Any]:
    return (select(StoryArticleRow.story_id).join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
            .where(*where))


def _like(text: str) -> str:
    """``text`` matched literally by LIKE (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _entity_ids(name: str, places: bool) -> Select[Any]:
    """Entities called ``name`` (or with that id): places, or actors (everything else)."""
    kind = EntityRow.type == "place" if places else EntityRow.type != "place"
    alias = func.lower(cast(EntityRow.aliases, Text)).like(f"%{_like(json.dumps(name.lower()))}%", escape="\\")
    return select(EntityRow.id).where(kind, or_(EntityRow.id == name, func.lower(EntityRow.name) == name.lower(), alias))


def _conditions(f: StoryFilter, dialect: str) -> list[Any]:
    cond: list[Any] = []
    dates = [*([ArticleRow.published >= f.date_from[:10]] if f.date_from else []),
             *([ArticleRow.published < _next_day(f.date_to)] if f.date_to else [])]
    if dates:  # one article inside the whole range, not one after the start and another before the end
        cond.append(StoryRow.id.in_(_stories_with_articles(*dates)))
    if f.outlet:
        cond.append(StoryRow.id.in_(_stories_with_articles(ArticleRow.outlet == f.outlet)))
    if f.place:
        arts = select(PlaceRow.article_id).where(PlaceRow.entity_id.in_(_entity_ids(f.place, True)))
        cond.append(StoryRow.id.in_(select(StoryArticleRow.story_id).where(StoryArticleRow.article_id.in_(arts))))
    if f.actor:
        ids = _entity_ids(f.actor, False)
        spoken = select(MentionRow.article_id).where(MentionRow.entity_id.in_(ids)).union(
            select(ClaimRow.article_id).where(ClaimRow.speaker_entity_id.in_(ids)))
        cond.append(StoryRow.id.in_(select(StoryArticleRow.story_id).where(StoryArticleRow.article_id.in_(spoken))))
    if f.event_type:
        cond.append(StoryRow.id.in_(select(EventRow.story_id).where(EventRow.event_type == f.event_type)))
    if f.disputed:
        cond.append(StoryRow.id.in_(select(DisputeRow.story_id)))
    hits = article_ids_matching(dialect, f.q)
    if hits is not None:
        cond.append(StoryRow.id.in_(select(StoryArticleRow.story_id).where(StoryArticleRow.article_id.in_(hits))))
    return cond


def list_stories(s: Session, f: StoryFilter) -> StoryList:
    """One page of stories matching ``f``, newest (latest article) or most disputed first."""
    dialect = s.get_bind().dialect.name
    # Correlated per-story aggregates: computed only for the stories the filters keep (indexed by story id).
    members = (select(StoryArticleRow.story_id).join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
               .where(StoryArticleRow.story_id == StoryRow.id))
    last = members.with_only_columns(func.max(ArticleRow.published)).scalar_subquery()
    first = members.with_only_columns(func.min(ArticleRow.published)).scalar_subquery()
    n_art = (select(func.count()).select_from(StoryArticleRow).where(StoryArticleRow.story_id == StoryRow.id)
             .scalar_subquery())
    n_dis = select(func.count()).select_from(DisputeRow).where(DisputeRow.story_id == StoryRow.id).scalar_subquery()
    cond = _conditions(f, dialect)
    base = select(StoryRow.id, StoryRow.title, n_art, n_dis, first, last).where(*cond)
    total = int(s.scalar(select(func.count(StoryRow.id)).where(*cond)) or 0)
    newest = last.desc().nulls_last()
    order = [n_dis.desc(), newest] if f.sort == "disputed" else [newest, n_dis.desc()]
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, f.page), pages)
    walked = _newest_ids(s, (page - 1) * PAGE_SIZE) if f.sort == "newest" and not cond and page <= WALK_PAGES else None
    if walked is not None:  # the default view: one page found from the newest articles, not by ranking every story
        rank = {sid: i for i, sid in enumerate(walked)}
        rows = sorted(s.execute(base.where(StoryRow.id.in_(walked))).all(), key=lambda r: rank[r[0]])
    else:
        rows = list(s.execute(base.order_by(*order, StoryRow.seq).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    items = [StorySummary(id=r[0], title=r[1], articles=int(r[2]), disputes=int(r[3]), first=r[4], last=r[5])
             for r in rows]
    _fill_counts(s, items)
    return StoryList(items=items, total=total, page=page, pages=pages, page_size=PAGE_SIZE)


def _newest_ids(s: Session, offset: int) -> list[str] | None:
    """One page of story ids, newest first, read by walking the publication-date index down from the newest
    article until enough distinct stories are seen (a first page reads a few hundred index entries instead
    of grouping every article). None when dated stories run out before the page is full: the general query
    then places the undated ones."""
    stmt = (select(StoryArticleRow.story_id).join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
            .where(ArticleRow.published.is_not(None)).order_by(ArticleRow.published.desc()))
    seen: dict[str, None] = {}
    for sid in s.scalars(stmt.execution_options(yield_per=500)):
        seen.setdefault(sid)
        if len(seen) >= offset + PAGE_SIZE:
            return list(seen)[offset:]
    return None


def _fill_counts(s: Session, items: Sequence[StorySummary]) -> None:
    """Claims, incidents and outlets for the stories on one page (grouped in SQL, by indexed story id)."""
    by_id = {it.id: it for it in items}
    if not by_id:
        return
    ids = list(by_id)
    for sid, n in s.execute(select(ClaimRow.story_id, func.count()).where(ClaimRow.story_id.in_(ids))
                            .group_by(ClaimRow.story_id)):
        by_id[str(sid)].claims = int(n)
    places: dict[str, Counter[str]] = {}
    for sid, location in s.execute(select(EventRow.story_id, EventRow.location).where(EventRow.story_id.in_(ids))):
        by_id[str(sid)].incidents += 1
        if location and location.get("name"):
            places.setdefault(str(sid), Counter())[str(location["name"])] += 1
    for sid, counts in places.items():
        by_id[sid].places = [name for name, _ in counts.most_common(PLACES_SHOWN)]
    rows = s.execute(select(StoryArticleRow.story_id, ArticleRow.outlet, func.count())
                     .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
                     .where(StoryArticleRow.story_id.in_(ids), ArticleRow.outlet.is_not(None))
                     .group_by(StoryArticleRow.story_id, ArticleRow.outlet))
    for sid, outlet, _n in sorted(rows, key=lambda r: (-r[2], r[1])):
        by_id[sid].outlets.append(str(outlet))


def facets(s: Session) -> Facets:
    """Filter suggestions: outlets and event types present, the most-mentioned places and actors."""
    def entity_names(*where: Any) -> list[str]:
        return list(dict.fromkeys(s.scalars(select(EntityRow.name).where(*where)
                                            .order_by(EntityRow.mentions.desc(), EntityRow.name).limit(FACETS))))

    outlets = s.execute(select(ArticleRow.outlet, func.count()).where(ArticleRow.outlet.is_not(None))
                        .group_by(ArticleRow.outlet).order_by(func.count().desc(), ArticleRow.outlet).limit(FACETS))
    types = s.scalars(select(EventRow.event_type).where(EventRow.event_type.is_not(None)).distinct())
    return Facets(outlets=[str(o) for o, _ in outlets], event_types=sorted(str(t) for t in types),
                  places=entity_names(EntityRow.type == "place"), actors=entity_names(EntityRow.type != "place"))


# --- one story -----------------------------------------------------------------------------


def _entities(s: Session, ids: Iterable[str | None]) -> list[Entity]:
    wanted = {i for i in ids if i}
    if not wanted:
        return []
    rows = list(s.scalars(select(EntityRow).where(EntityRow.id.in_(wanted))))
    linked = {str(r.get("entity_id") or "") for row in rows for r in (row.relations or [])} - wanted - {""}
    if linked:  # whom the story's spokespeople speak for
        rows += list(s.scalars(select(EntityRow).where(EntityRow.id.in_(linked))))
    return [convert.entity_from(r) for r in rows]


def _places(s: Session, article_ids: Sequence[str]) -> dict[str, list[Place]]:
    out: dict[str, list[Place]] = {}
    for row in s.scalars(select(PlaceRow).where(PlaceRow.article_id.in_(article_ids))
                         .order_by(PlaceRow.article_id, PlaceRow.seq)):
        out.setdefault(row.article_id, []).append(convert.place_from(row))
    return out


def load_story(s: Session, story_id: str) -> StoryRecords | None:
    """One story with its articles, claims, incidents, disputes and the entities they name."""
    row = s.get(StoryRow, story_id)
    if row is None:
        return None
    ids = list(s.scalars(select(StoryArticleRow.article_id).where(StoryArticleRow.story_id == story_id)
                         .order_by(StoryArticleRow.position)))
    story = convert.story_from(row, ids)
    arts = {a.id: a for a in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids)))}
    claims = [convert.claim_from(c) for c in s.scalars(select(ClaimRow).where(ClaimRow.article_id.in_(ids))
                                                       .order_by(ClaimRow.article_id, ClaimRow.seq))]
    mentioned = s.scalars(select(MentionRow.entity_id).where(MentionRow.article_id.in_(ids)).distinct())
    related = {sid: title for sid, title in s.execute(
        select(StoryRow.id, StoryRow.title).where(StoryRow.id.in_(story.related_story_ids)))}
    return StoryRecords(
        story=story, articles=[convert.article_from(arts[a]) for a in ids if a in arts], claims=claims,
        disputes=[convert.dispute_from(d) for d in s.scalars(select(DisputeRow).where(DisputeRow.story_id == story_id)
                                                              .order_by(DisputeRow.seq))],
        events=[convert.event_from(e) for e in s.scalars(select(EventRow).where(EventRow.story_id == story_id)
                                                          .order_by(EventRow.seq))],
        entities=_entities(s, [*mentioned, *(c.speaker.entity_id for c in claims)]),
        related_titles=related,
        evaluative={a.id: list(a.evaluative or []) for a in arts.values()},
        hedges={a.id: list(a.hedges or []) for a in arts.values()},
        sentences={a.id: convert.sentences_from(a.sentences) for a in arts.values()},
        places=_places(s, ids),
    )


# --- actors and outlets --------------------------------------------------------------------


@dataclass(slots=True)
class ClaimItem:
    """A claim as listed on actor, outlet and search pages: who, what, where it was published."""

    id: str
    story_id: str | None
    story_title: str | None
    article_id: str
    outlet: str | None
    published: str | None
    speaker: str
    act: str
    stance: str
    content: str
    sentence: str
    hedges: list[str]


def _pairs(rows: Iterable[Any]) -> list[tuple[str, str]]:
    return [(str(a), str(b)) for a, b in rows]


def _claim_items(s: Session, stmt: Select[Any]) -> list[ClaimItem]:
    rows = s.execute(stmt.add_columns(ArticleRow.outlet, ArticleRow.published, StoryRow.title)
                     .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
                     .outerjoin(StoryRow, StoryRow.id == ClaimRow.story_id)).all()
    return [ClaimItem(id=c.id, story_id=c.story_id, story_title=title, article_id=c.article_id, outlet=outlet,
                      published=published, speaker=(c.speaker or {}).get("name") or (c.speaker or {}).get("text")
                      or "unnamed source", act=c.act, stance=c.stance, content=c.content, sentence=c.sentence,
                      hedges=list(c.hedges or [])) for c, outlet, published, title in rows]


@dataclass(slots=True)
class ActorPage:
    entity: Entity
    claimed: list[ClaimItem]
    denied: list[ClaimItem]
    accused: list[ClaimItem]  # claims by others, naming this actor, that accuse or allege
    stories: list[tuple[str, str]]  # (id, title) of the stories it appears in
    speaks_for: list[Entity]
    limit: int


def load_actor(s: Session, entity_id: str, limit: int = 300) -> ActorPage | None:
    """What one actor said (asserted, denied) and was accused of, oldest first, across stories."""
    row = s.get(EntityRow, entity_id)
    if row is None:
        return None
    entity = convert.entity_from(row)
    chrono = (ArticleRow.published.is_(None), ArticleRow.published, ClaimRow.article_id, ClaimRow.seq)
    own = _claim_items(s, select(ClaimRow).where(ClaimRow.speaker_entity_id == entity_id).order_by(*chrono).limit(limit))
    named = (select(MentionRow.article_id)
             .where(MentionRow.entity_id == entity_id, MentionRow.article_id == ClaimRow.article_id,
                    MentionRow.start >= ClaimRow.span_start, MentionRow.end <= ClaimRow.span_end).exists())
    about = (select(ClaimRow).where(ClaimRow.act.in_(load_list("accusing_acts")), named,
                                    or_(ClaimRow.speaker_entity_id.is_(None), ClaimRow.speaker_entity_id != entity_id))
             .order_by(*chrono).limit(limit))
    in_stories = (select(StoryArticleRow.story_id).where(StoryArticleRow.article_id.in_(
        select(MentionRow.article_id).where(MentionRow.entity_id == entity_id))))
    stories = _pairs(s.execute(select(StoryRow.id, StoryRow.title).where(StoryRow.id.in_(in_stories))
                               .order_by(StoryRow.seq).limit(limit)))
    targets = [str(r.get("entity_id")) for r in entity.relations if r.get("type") == "speaks_for"]
    return ActorPage(entity=entity, claimed=[c for c in own if c.stance != "deny"],
                     denied=[c for c in own if c.stance == "deny"], accused=_claim_items(s, about),
                     stories=stories, speaks_for=_entities(s, targets)[: len(targets)], limit=limit)


@dataclass(slots=True)
class OutletPage:
    outlet: str
    articles: int
    claims: int
    hedged_claims: int
    evaluative_articles: int
    phrases: list[tuple[str, int]]  # evaluative phrases, most frequent first
    exclusive: list[ClaimItem]  # claims no other outlet carries (no other outlet quotes that speaker in that story)
    only_here: list[tuple[str, str]]  # stories no other outlet covers
    recent: list[tuple[str, str | None, str | None, str | None]]  # (article id, title, published, story id)
    hedging_rate: float  # share of its claims with verification language
    evaluative_rate: float  # share of its articles with evaluative (editorial) language


def _exclusive_claims(s: Session, outlet: str, limit: int) -> list[ClaimItem]:
    other = ArticleRow.__table__.alias("other_article")
    c2 = ClaimRow.__table__.alias("other_claim")
    carried = (select(c2.c.article_id).join(other, other.c.id == c2.c.article_id)
               .where(c2.c.story_id == ClaimRow.story_id, c2.c.speaker_entity_id == ClaimRow.speaker_entity_id,
                      or_(other.c.outlet.is_(None), other.c.outlet != outlet)).exists())
    stmt = (select(ClaimRow).where(ClaimRow.article_id.in_(select(ArticleRow.id).where(ArticleRow.outlet == outlet)),
                                   ClaimRow.speaker_entity_id.is_not(None), ~carried)
            .order_by(ClaimRow.article_id, ClaimRow.seq).limit(limit))
    return _claim_items(s, stmt)


def _only_here(s: Session, outlet: str, limit: int) -> list[tuple[str, str]]:
    mine = _stories_with_articles(ArticleRow.outlet == outlet)
    others = _stories_with_articles(or_(ArticleRow.outlet.is_(None), ArticleRow.outlet != outlet))
    return _pairs(s.execute(select(StoryRow.id, StoryRow.title).where(StoryRow.id.in_(mine), StoryRow.id.not_in(others))
                            .order_by(StoryRow.seq).limit(limit)))


def _phrases(s: Session, outlet: str, scan: int = EVALUATIVE_SCAN) -> tuple[int, list[tuple[str, int]]]:
    counts: dict[str, int] = {}
    flagged = 0
    for phrases in s.scalars(select(ArticleRow.evaluative).where(ArticleRow.outlet == outlet)
                             .order_by(ArticleRow.published.desc()).limit(scan)):
        flagged += bool(phrases)
        for p in phrases or []:
            counts[str(p).lower()] = counts.get(str(p).lower(), 0) + 1
    return flagged, sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def load_outlet(s: Session, outlet: str, limit: int = 200) -> OutletPage | None:
    """What one outlet reports that others do not, and how much it hedges and editorialises."""
    n_articles = int(s.scalar(select(func.count()).where(ArticleRow.outlet == outlet)) or 0)
    if not n_articles:
        return None
    its = select(ArticleRow.id).where(ArticleRow.outlet == outlet)
    n_claims = int(s.scalar(select(func.count()).where(ClaimRow.article_id.in_(its))) or 0)
    hedged = int(s.scalar(select(func.count()).where(ClaimRow.article_id.in_(its),
                                                     func.json_array_length(ClaimRow.hedges) > 0)) or 0)
    flagged, phrases = _phrases(s, outlet)
    recent = s.execute(select(ArticleRow.id, ArticleRow.title, ArticleRow.published, StoryArticleRow.story_id)
                       .outerjoin(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
                       .where(ArticleRow.outlet == outlet)
                       .order_by(ArticleRow.published.desc().nulls_last()).limit(limit))
    return OutletPage(outlet=outlet, articles=n_articles, claims=n_claims, hedged_claims=hedged,
                      evaluative_articles=flagged, phrases=phrases, exclusive=_exclusive_claims(s, outlet, limit),
                      only_here=_only_here(s, outlet, limit), recent=[(a, t, p, sid) for a, t, p, sid in recent],
                      hedging_rate=hedged / n_claims if n_claims else 0.0,
                      evaluative_rate=flagged / min(n_articles, EVALUATIVE_SCAN))


def search_claims(s: Session, q: str, limit: int = PAGE_SIZE) -> list[ClaimItem]:
    """Claims whose sentence holds every word of ``q`` (the search page's second list)."""
    words = terms(q)
    if not words:
        return []
    stmt = select(ClaimRow).where(claim_filter(s.get_bind().dialect.name, words)).limit(limit)
    return _claim_items(s, stmt)


@dataclass(slots=True)
class SearchResult:
    stories: StoryList
    claims: list[ClaimItem]
