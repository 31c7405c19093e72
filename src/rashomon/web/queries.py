"""SQL behind the web app: one page of stories, one story, one actor, one outlet, read straight from the
store's tables. Nothing loads the whole store: lists are paginated and sorted along an index over the
per-story summary columns (migration 0007: counts, dates, outlets, places kept on the story's row), every
filter goes through an indexed column (entity ids, outlet, publication date, story id) or the full-text
index, and a search ranks a bounded number of matches instead of counting them all."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, cast, func, literal, or_, select
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
    StoryOutletRow,
    StoryRow,
)
from rashomon.store.search import claim_filter, search_hits, terms

PAGE_SIZE = 50
FACETS = 300  # names offered in a filter's suggestions
SORTS = ("newest", "disputed")
PLACES_SHOWN = 3  # incident places named per story in the list
SEARCH_CAP = 1000  # best-ranked matches per full-text index that a search of the list reads
SUMMARY_COLUMNS = ("n_articles", "n_claims", "n_disputes", "n_incidents", "first_published", "last_published",
                   "outlets", "places")


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
    more: bool = False  # a search matched more than it ranked: ``total`` is then a lower bound


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


def story_in(ids: Select[Any]) -> ColumnElement[bool]:
    """``stories.id IN ids`` written so that SQLite walks the sort's covering index (which holds the id) instead
    of looking each id up and reading its wide row to sort it: ``id || ''`` is no index key. Same result on
    every database; the cost stays one index scan however many stories a filter keeps."""
    return StoryRow.id.concat("").in_(ids)


def _conditions(s: Session, f: StoryFilter) -> tuple[list[Any], bool]:
    """WHERE clauses on ``stories`` for ``f``, and whether a search matched more than it ranked."""
    cond: list[Any] = []
    dates = [*([ArticleRow.published >= f.date_from[:10]] if f.date_from else []),
             *([ArticleRow.published < _next_day(f.date_to)] if f.date_to else [])]
    if dates:  # one article inside the whole range, not one after the start and another before the end
        cond.append(story_in(_stories_with_articles(*dates)))
    if f.outlet:
        cond.append(story_in(select(StoryOutletRow.story_id).where(StoryOutletRow.outlet == f.outlet)))
    if f.place:
        arts = select(PlaceRow.article_id).where(PlaceRow.entity_id.in_(_entity_ids(f.place, True)))
        cond.append(story_in(select(StoryArticleRow.story_id).where(StoryArticleRow.article_id.in_(arts))))
    if f.actor:
        ids = _entity_ids(f.actor, False)
        spoken = select(MentionRow.article_id).where(MentionRow.entity_id.in_(ids)).union(
            select(ClaimRow.article_id).where(ClaimRow.speaker_entity_id.in_(ids)))
        cond.append(story_in(select(StoryArticleRow.story_id).where(StoryArticleRow.article_id.in_(spoken))))
    if f.event_type:
        cond.append(story_in(select(EventRow.story_id).where(EventRow.event_type == f.event_type)))
    if f.disputed:
        cond.append(StoryRow.n_disputes > 0)
    hits = search_hits(s, f.q, SEARCH_CAP)
    if hits is not None:
        cond.append(story_in(select(StoryArticleRow.story_id).where(StoryArticleRow.article_id.in_(hits.ids))))
    return cond, bool(hits and hits.more)


def _summary(r: Any) -> StorySummary:
    return StorySummary(id=r.id, title=r.title, articles=int(r.n_articles), disputes=int(r.n_disputes),
                        first=r.first_published, last=r.last_published, claims=int(r.n_claims),
                        incidents=int(r.n_incidents), outlets=[str(o) for o in r.outlets or []],
                        places=[str(p) for p in (r.places or [])[:PLACES_SHOWN]])


def story_order(sort: str) -> list[Any]:
    """Both sorts read the story summary columns backwards along one index (migration 0007)."""
    newest = StoryRow.last_published.desc().nulls_last()
    first = [StoryRow.n_disputes.desc(), newest] if sort == "disputed" else [newest, StoryRow.n_disputes.desc()]
    return [*first, StoryRow.seq.desc()]


def _page_ids(s: Session, cond: list[Any], sort: str, page: int) -> list[tuple[str, int]]:
    """(story id, number of matches) of one page. Ids only, so that the sort's covering index answers it
    without reading story rows; the number of matches is a window count of the same query, so the filters'
    subqueries run once, not once more for a count."""
    total = func.count().over() if cond else literal(0)
    stmt = (select(StoryRow.id, total).where(*cond).order_by(*story_order(sort))
            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return [(str(sid), int(n)) for sid, n in s.execute(stmt)]


def _summaries(s: Session, ids: list[str]) -> list[StorySummary]:
    """The list rows of ``ids``, in that order."""
    cols = (StoryRow.id, StoryRow.title, *(getattr(StoryRow, c) for c in SUMMARY_COLUMNS))
    found = {r.id: _summary(r) for r in s.execute(select(*cols).where(StoryRow.id.in_(ids)))} if ids else {}
    return [found[i] for i in ids if i in found]


def _last_page(total: int) -> int:
    return max(1, math.ceil(total / PAGE_SIZE))


def list_stories(s: Session, f: StoryFilter) -> StoryList:
    """One page of stories matching ``f``, newest (latest article) or most disputed first, read from the
    per-story summary columns. A search ranks at most SEARCH_CAP matches per index; when it had more, the
    total counts only the stories of those and ``more`` says so."""
    cond, more = _conditions(s, f)
    page = max(1, f.page)
    if not cond:  # every story: counted from an index, and the page read along the sort's index
        total = int(s.scalar(select(func.count()).select_from(StoryRow)) or 0)
        page = min(page, _last_page(total))
    ids = _page_ids(s, cond, f.sort, page)
    if cond:
        if not ids and page > 1:  # past the end: count, then serve the last page
            total = int(s.scalar(select(func.count()).select_from(StoryRow).where(*cond)) or 0)
            page = min(page, _last_page(total))
            ids = _page_ids(s, cond, f.sort, page)
        total = ids[0][1] if ids else 0
    return StoryList(items=_summaries(s, [i for i, _ in ids]), total=total, page=page, pages=_last_page(total),
                     page_size=PAGE_SIZE, more=more)


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


def claim_item(c: ClaimRow, outlet: str | None, published: str | None, story_title: str | None) -> ClaimItem:
    speaker = c.speaker or {}
    return ClaimItem(id=c.id, story_id=c.story_id, story_title=story_title, article_id=c.article_id, outlet=outlet,
                     published=published, speaker=speaker.get("name") or speaker.get("text") or "unnamed source",
                     act=c.act, stance=c.stance, content=c.content, sentence=c.sentence, hedges=list(c.hedges or []))


def claim_items(s: Session, stmt: Select[Any]) -> list[ClaimItem]:
    """``stmt`` (a select of ClaimRow) as listed claims, with outlet, date and story title."""
    rows = s.execute(stmt.add_columns(ArticleRow.outlet, ArticleRow.published, StoryRow.title)
                     .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
                     .outerjoin(StoryRow, StoryRow.id == ClaimRow.story_id)).all()
    return [claim_item(c, outlet, published, title) for c, outlet, published, title in rows]


@dataclass(slots=True)
class ActorPage:
    entity: Entity
    claimed: list[ClaimItem]
    denied: list[ClaimItem]
    accused: list[ClaimItem]  # claims by others, naming this actor, that accuse or allege
    stories: list[tuple[str, str]]  # (id, title) of the stories it appears in
    speaks_for: list[Entity]
    limit: int
    claims_total: int = 0  # its claims counted up to ACTOR_CAP + 1: more than ACTOR_CAP when claims_more
    claims_more: bool = False
    articles_total: int = 0  # articles naming it, counted the same way
    articles_more: bool = False
    window: int = 0  # its newest articles that the accusations and stories are drawn from


ACTOR_CAP = 10_000  # an actor's rows counted (and below it sorted); past it the page walks the newest articles
ACTOR_WINDOW = 2_000  # newest articles naming an actor that its accusations and stories are read from
NEWEST = (ArticleRow.published.desc().nulls_last(), ClaimRow.article_id.desc(), ClaimRow.seq)


def _capped_count(s: Session, stmt: Select[Any]) -> int:
    """Rows of ``stmt``, counted no further than ACTOR_CAP + 1: the count costs at most that many index entries."""
    return int(s.scalar(select(func.count()).select_from(stmt.limit(ACTOR_CAP + 1).subquery())) or 0)


def _key(column: Any, many: bool) -> Any:
    """``column`` as a filter key: the column itself, whose index reads every row of the actor (fine for at most
    ACTOR_CAP rows), or, for an actor with more, ``column || ''``, which no index holds, so that the query walks
    the articles' publication-date index newest first and stops once the page is full."""
    return column.concat("") if many else column


def _own_claims(s: Session, entity_id: str, limit: int) -> tuple[list[ClaimItem], int]:
    """The actor's newest ``limit`` claims and how many it has (capped)."""
    n = _capped_count(s, select(ClaimRow.article_id).where(ClaimRow.speaker_entity_id == entity_id))
    speaker = _key(ClaimRow.speaker_entity_id, n > ACTOR_CAP)
    return claim_items(s, select(ClaimRow).where(speaker == entity_id).order_by(*NEWEST).limit(limit)), n


def _newest_articles(s: Session, entity_id: str) -> tuple[list[str], int]:
    """Ids of the newest ACTOR_WINDOW articles naming the actor, and how many name it (capped)."""
    n = _capped_count(s, select(MentionRow.article_id).where(MentionRow.entity_id == entity_id).distinct())
    named = (select(MentionRow.article_id).where(MentionRow.article_id == ArticleRow.id,
                                                 _key(MentionRow.entity_id, n > ACTOR_CAP) == entity_id).exists())
    ids = s.scalars(select(ArticleRow.id).where(named)
                    .order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.id.desc()).limit(ACTOR_WINDOW))
    return [str(i) for i in ids], n


def _accusations(s: Session, entity_id: str, article_ids: list[str], limit: int) -> list[ClaimItem]:
    """Claims in ``article_ids`` by someone else that accuse or allege and name the actor inside their span. The
    mention is looked up by its article (``entity_id || ''`` keeps SQLite off the entity index, which would read
    every mention of a big actor for each claim)."""
    named = (select(MentionRow.article_id)
             .where(MentionRow.article_id == ClaimRow.article_id, MentionRow.entity_id.concat("") == entity_id,
                    MentionRow.start >= ClaimRow.span_start, MentionRow.end <= ClaimRow.span_end).exists())
    stmt = (select(ClaimRow).where(ClaimRow.article_id.in_(article_ids), ClaimRow.act.in_(load_list("accusing_acts")),
                                   named, or_(ClaimRow.speaker_entity_id.is_(None),
                                              ClaimRow.speaker_entity_id != entity_id))
            .order_by(*NEWEST).limit(limit))
    return claim_items(s, stmt)


def _stories_of(s: Session, article_ids: list[str], limit: int) -> list[tuple[str, str]]:
    """(id, title) of the stories holding ``article_ids``, latest first."""
    in_stories = select(StoryArticleRow.story_id).where(StoryArticleRow.article_id.in_(article_ids))
    return _pairs(s.execute(select(StoryRow.id, StoryRow.title).where(StoryRow.id.in_(in_stories))
                            .order_by(*story_order("newest")).limit(limit)))


def load_actor(s: Session, entity_id: str, limit: int = 300) -> ActorPage | None:
    """What one actor said (asserted, denied) and was accused of, newest first, across stories. The work is
    bounded by the page, not by the actor's history (a national army has a claim in most articles of a year):
    its newest ``limit`` claims, accusations and stories read from its newest ACTOR_WINDOW articles, and totals
    counted no further than ACTOR_CAP."""
    row = s.get(EntityRow, entity_id)
    if row is None:
        return None
    entity = convert.entity_from(row)
    own, n_claims = _own_claims(s, entity_id, limit)
    window, n_articles = _newest_articles(s, entity_id)
    targets = [str(r.get("entity_id")) for r in entity.relations if r.get("type") == "speaks_for"]
    return ActorPage(entity=entity, claimed=[c for c in own if c.stance != "deny"],
                     denied=[c for c in own if c.stance == "deny"],
                     accused=_accusations(s, entity_id, window, limit), stories=_stories_of(s, window, limit),
                     speaks_for=_entities(s, targets)[: len(targets)], limit=limit,
                     claims_total=min(n_claims, ACTOR_CAP), claims_more=n_claims > ACTOR_CAP,
                     articles_total=min(n_articles, ACTOR_CAP), articles_more=n_articles > ACTOR_CAP,
                     window=len(window))


def search_claims(s: Session, q: str, limit: int = PAGE_SIZE) -> list[ClaimItem]:
    """Claims whose sentence holds every word of ``q`` (the search page's second list)."""
    words = terms(q)
    if not words:
        return []
    stmt = select(ClaimRow).where(claim_filter(s.get_bind().dialect.name, words, limit)).limit(limit)
    return claim_items(s, stmt)


@dataclass(slots=True)
class SearchResult:
    stories: StoryList
    claims: list[ClaimItem]
