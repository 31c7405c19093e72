"""The outlet page: what one outlet reports that the other outlets covering the same stories do not (speakers
only it quotes, figures only it gives), the stories only it covers, and how much it hedges and editorialises.

"Other outlets" are articles of a named outlet other than this one (an article of unknown outlet cannot be
said to cover anything). The page is bounded at any store size: the claim-by-claim comparison reads its
COMPARED most recent shared stories and the rates its SAMPLE most recent articles (the page says how many);
which stories it shares and which only it covers are counted from ``story_outlets`` through its indexes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, aliased

from rashomon.store.models import (
    ArticleRow,
    ClaimRow,
    StoryArticleRow,
    StoryOutletRow,
    StoryRow,
)
from rashomon.web.queries import ClaimItem, claim_item, story_in, story_order

COMPARED = 40  # most recent shared stories compared claim by claim
SAMPLE = 1000  # most recent articles the hedging and evaluative rates are measured on
LIMIT = 200  # items per list
FigureKey = tuple[float, str]


@dataclass(slots=True)
class ExclusiveFigure:
    """A figure this outlet gives in a story that no other outlet covering the story gives."""

    text: str  # as written ("at least 12")
    value: float
    counts: str  # what it counts: a casualty category (killed, injured, ...) or the counted noun
    claim: ClaimItem


@dataclass(slots=True)
class OutletPage:
    outlet: str
    articles: int
    claims: int
    stories: int  # stories it covers
    shared_stories: int  # of those, stories another outlet covers too
    compared_stories: int  # the most recent shared stories compared claim by claim (at most COMPARED)
    exclusive: list[ClaimItem]  # claims whose speaker no other outlet quotes in that story
    exclusive_figures: list[ExclusiveFigure]
    only_here: list[tuple[str, str]]  # (id, title) of stories no other outlet covers, newest first
    only_here_count: int
    sampled_articles: int  # its most recent articles the rates are measured on (at most SAMPLE)
    sampled_claims: int
    hedged_claims: int
    evaluative_articles: int
    hedging_rate: float  # share of its claims with verification language
    evaluative_rate: float  # share of its articles with evaluative (editorial) language
    phrases: list[tuple[str, int]]  # evaluative phrases, most frequent first
    recent: list[tuple[str, str | None, str | None, str | None]]  # (article id, title, published, story id)


@dataclass(slots=True)
class _Coverage:
    stories: int  # every story it covers
    shared: int  # of those, stories another outlet covers too
    compared: list[str]  # the most recent shared stories (at most COMPARED)
    only_here: list[tuple[str, str]]  # (id, title) of the most recent stories only it covers (at most LIMIT)


def _coverage(s: Session, outlet: str) -> _Coverage:
    """Its stories, shared or not, from ``story_outlets`` (index lookups; only listed story rows are read)."""
    so, other = StoryOutletRow, aliased(StoryOutletRow)
    mine = select(so.story_id).where(so.outlet == outlet)
    elsewhere = select(other.story_id).where(other.story_id == so.story_id, other.outlet != outlet).exists()
    shared = mine.where(elsewhere)

    def count(stmt: Select[Any]) -> int:
        return int(s.scalar(select(func.count()).select_from(stmt.subquery())) or 0)

    def newest(ids: Select[Any], limit: int) -> Select[str, str]:
        return select(StoryRow.id, StoryRow.title).where(story_in(ids)).order_by(*story_order("newest")).limit(limit)

    compared = [str(i) for i in s.scalars(newest(shared, COMPARED).with_only_columns(StoryRow.id))]
    only = mine.where(~elsewhere)
    return _Coverage(stories=count(mine), shared=count(shared), compared=compared,
                     only_here=[(str(i), str(t)) for i, t in s.execute(newest(only, LIMIT))])


def figure_key(q: Mapping[str, Any]) -> FigureKey | None:
    """What makes two reported figures the same figure: the number and what it counts (its casualty
    category when it has one, else the counted noun or unit). None for a figure without a number."""
    if q.get("value") is None:
        return None
    category = q.get("category")
    counts = category if category and category != "other" else (q.get("counted") or q.get("unit") or "")
    return float(q["value"]), str(counts).lower()


def _keys(quantities: Iterable[Mapping[str, Any]] | None) -> set[FigureKey]:
    return {k for q in quantities or [] if (k := figure_key(q)) is not None}


@dataclass(slots=True)
class _Others:
    """What the other outlets carry in the compared stories: speakers quoted and figures given, per story."""

    speakers: dict[str, set[str]]
    figures: dict[str, set[FigureKey]]
    mine: list[str]  # this outlet's articles in those stories


def _others(s: Session, outlet: str, story_ids: list[str]) -> _Others:
    out = _Others(speakers=defaultdict(set), figures=defaultdict(set), mine=[])
    members = s.execute(select(StoryArticleRow.story_id, ArticleRow.id, ArticleRow.outlet, ArticleRow.quantities)
                        .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
                        .where(StoryArticleRow.story_id.in_(story_ids)))
    other_articles: set[str] = set()
    for sid, aid, art_outlet, quantities in members:
        if art_outlet == outlet:
            out.mine.append(aid)
        elif art_outlet:  # figures in its text, whether or not inside a claim
            other_articles.add(aid)
            out.figures[sid] |= _keys(quantities)
    speakers = select(ClaimRow.story_id, ClaimRow.article_id, ClaimRow.speaker_entity_id).where(
        ClaimRow.story_id.in_(story_ids), ClaimRow.speaker_entity_id.is_not(None))
    for sid, aid, speaker in s.execute(speakers):
        if aid in other_articles:
            out.speakers[str(sid)].add(str(speaker))
    return out


def _exclusive(s: Session, outlet: str, story_ids: list[str]) -> tuple[list[ClaimItem], list[ExclusiveFigure]]:
    """Its claims whose speaker, and its figures that, no other outlet carries in the same story."""
    others = _others(s, outlet, story_ids)
    rank = {sid: i for i, sid in enumerate(story_ids)}
    rows = s.execute(select(ClaimRow, ArticleRow.outlet, ArticleRow.published, StoryRow.title)
                     .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
                     .join(StoryRow, StoryRow.id == ClaimRow.story_id)
                     .where(ClaimRow.article_id.in_(others.mine), ClaimRow.story_id.in_(story_ids)))
    claims: list[ClaimItem] = []
    figures: list[ExclusiveFigure] = []
    seen: set[tuple[str, FigureKey]] = set()
    for c, art_outlet, published, title in sorted(rows, key=lambda r: (rank[str(r[0].story_id)], r[0].article_id,
                                                                       r[0].seq)):
        sid = str(c.story_id)
        item = claim_item(c, art_outlet, published, title)
        if c.speaker_entity_id and c.speaker_entity_id not in others.speakers[sid]:
            claims.append(item)
        for q in c.quantities or []:
            key = figure_key(q)
            if key is not None and key not in others.figures[sid] and (sid, key) not in seen:
                seen.add((sid, key))
                figures.append(ExclusiveFigure(text=str(q.get("text") or ""), value=key[0], counts=key[1],
                                               claim=item))
    return claims[:LIMIT], figures[:LIMIT]


@dataclass(slots=True)
class _Rates:
    articles: int
    claims: int
    hedged: int
    evaluative: int
    phrases: list[tuple[str, int]]


def _rates(s: Session, outlet: str) -> _Rates:
    """Hedging and evaluative language over its SAMPLE most recent articles."""
    recent = (select(ArticleRow.id, ArticleRow.evaluative).where(ArticleRow.outlet == outlet)
              .order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.id).limit(SAMPLE))
    counts: Counter[str] = Counter()
    ids: list[str] = []
    flagged = 0
    for aid, phrases in s.execute(recent):
        ids.append(aid)
        flagged += bool(phrases)
        counts.update(str(p).lower() for p in phrases or [])
    hedged = func.sum(case((func.json_array_length(ClaimRow.hedges) > 0, 1), else_=0))
    n, h = s.execute(select(func.count(), hedged).where(ClaimRow.article_id.in_(ids))).one() if ids else (0, 0)
    return _Rates(articles=len(ids), claims=int(n or 0), hedged=int(h or 0), evaluative=flagged,
                  phrases=sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _recent(s: Session, outlet: str) -> list[tuple[str, str | None, str | None, str | None]]:
    rows = s.execute(select(ArticleRow.id, ArticleRow.title, ArticleRow.published, StoryArticleRow.story_id)
                     .outerjoin(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
                     .where(ArticleRow.outlet == outlet)
                     .order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.id).limit(LIMIT))
    return [(a, t, p, sid) for a, t, p, sid in rows]


def load_outlet(s: Session, outlet: str) -> OutletPage | None:
    """What one outlet reports that others do not, and how much it hedges and editorialises."""
    n_articles = int(s.scalar(select(func.count()).where(ArticleRow.outlet == outlet)) or 0)
    if not n_articles:
        return None
    its = select(ArticleRow.id).where(ArticleRow.outlet == outlet)
    n_claims = int(s.scalar(select(func.count()).where(ClaimRow.article_id.in_(its))) or 0)
    cover = _coverage(s, outlet)
    exclusive, figures = _exclusive(s, outlet, cover.compared) if cover.compared else ([], [])
    rates = _rates(s, outlet)
    return OutletPage(
        outlet=outlet, articles=n_articles, claims=n_claims, stories=cover.stories, shared_stories=cover.shared,
        compared_stories=len(cover.compared), exclusive=exclusive, exclusive_figures=figures,
        only_here=cover.only_here, only_here_count=cover.stories - cover.shared,
        sampled_articles=rates.articles, sampled_claims=rates.claims, hedged_claims=rates.hedged,
        evaluative_articles=rates.evaluative, hedging_rate=rates.hedged / rates.claims if rates.claims else 0.0,
        evaluative_rate=rates.evaluative / rates.articles if rates.articles else 0.0, phrases=rates.phrases,
        recent=_recent(s, outlet))
