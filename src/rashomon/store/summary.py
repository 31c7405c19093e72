"""Per-story summary columns (migration 0007): article, claim, incident and dispute counts, first and last
publication date, outlets and incident places, written on the story's row.

Why: the stories list sorts every story by its newest article or its dispute count and shows these figures
for each row; computing them per request means grouping every article, claim and dispute in the store
(seconds at 100,000 articles). Stored on the row, the list is one indexed scan. They are recomputed from
the stored rows for the stories a save touched (``refresh``), inside the save's transaction, so they never
disagree with the rows they summarise.

Which outlets cover a story is also kept as rows (``story_outlets``), so that an outlet's stories, and
those only it covers, are index lookups. The tables are named here with lightweight ``sa.table`` clauses, not the ORM models, so that migration
0007 can run this before later migrations add columns the models will have by then.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, bindparam, func, select

PLACES_KEPT = 3  # incident places kept per story (most frequent first)
_IN = 500  # ids per IN (...) clause: portable below every backend's parameter limit

_stories = sa.table("stories", sa.column("id"), sa.column("n_articles"), sa.column("n_claims"),
                    sa.column("n_disputes"), sa.column("n_incidents"), sa.column("first_published"),
                    sa.column("last_published"), sa.column("outlets", sa.JSON), sa.column("places", sa.JSON))
_story_outlets = sa.table("story_outlets", sa.column("story_id"), sa.column("outlet"), sa.column("articles"))
_members = sa.table("story_articles", sa.column("story_id"), sa.column("article_id"))
_articles = sa.table("articles", sa.column("id"), sa.column("published"), sa.column("outlet"))
_claims = sa.table("claims", sa.column("story_id"))
_disputes = sa.table("disputes", sa.column("story_id"))
_events = sa.table("events", sa.column("story_id"), sa.column("location", sa.JSON))

COLUMNS = ("n_articles", "n_claims", "n_disputes", "n_incidents", "first_published", "last_published",
           "outlets", "places")


@dataclass(slots=True)
class Summary:
    """One story's summary, as written to its row."""

    n_articles: int = 0
    n_claims: int = 0
    n_disputes: int = 0
    n_incidents: int = 0
    first_published: str | None = None
    last_published: str | None = None
    outlets: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)

    def values(self) -> dict[str, Any]:
        """Column values; outlets and places most frequent first, ties by name."""
        def ranked(c: Counter[str]) -> list[str]:
            return [k for k, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]

        return {"n_articles": self.n_articles, "n_claims": self.n_claims, "n_disputes": self.n_disputes,
                "n_incidents": self.n_incidents, "first_published": self.first_published,
                "last_published": self.last_published, "outlets": ranked(self.outlets),
                "places": ranked(self.places)[:PLACES_KEPT]}


def _chunks(ids: Collection[str] | None) -> Iterator[list[str] | None]:
    """Parts of ``ids`` small enough for one IN clause; None (= every story) once when ``ids`` is None."""
    if ids is None:
        yield None
        return
    items = sorted(set(ids))
    for i in range(0, len(items), _IN):
        yield items[i : i + _IN]


def _within(col: Any, part: list[str] | None) -> list[Any]:
    return [] if part is None else [col.in_(part)]


def _count(conn: Connection, table: Any, part: list[str] | None) -> Iterable[tuple[str, int]]:
    sid = table.c.story_id
    return conn.execute(select(sid, func.count()).where(sid.is_not(None), *_within(sid, part)).group_by(sid))


def _compute(conn: Connection, part: list[str] | None) -> dict[str, Summary]:
    """Summaries of the stories in ``part`` (every story when None), each from grouped queries."""
    out: dict[str, Summary] = defaultdict(Summary)
    m, a = _members.c, _articles.c
    joined = select(m.story_id).join(_articles, a.id == m.article_id).where(*_within(m.story_id, part))
    dates = joined.add_columns(func.count(), func.min(a.published), func.max(a.published)).group_by(m.story_id)
    for sid, n, first, last in conn.execute(dates):
        out[sid].n_articles, out[sid].first_published, out[sid].last_published = int(n), first, last
    outlets = joined.add_columns(a.outlet, func.count()).where(a.outlet.is_not(None)).group_by(m.story_id, a.outlet)
    for sid, outlet, n in conn.execute(outlets):
        out[sid].outlets[str(outlet)] = int(n)
    for sid, n in _count(conn, _claims, part):
        out[sid].n_claims = int(n)
    for sid, n in _count(conn, _disputes, part):
        out[sid].n_disputes = int(n)
    e = _events.c
    for sid, location in conn.execute(select(e.story_id, e.location).where(e.story_id.is_not(None),
                                                                            *_within(e.story_id, part))):
        out[sid].n_incidents += 1
        if isinstance(location, dict) and location.get("name"):
            out[sid].places[str(location["name"])] += 1
    return out


def _write_outlets(conn: Connection, part: list[str] | None, found: dict[str, Summary]) -> None:
    """Replace the ``story_outlets`` rows of the stories in ``part`` (every story when None)."""
    conn.execute(sa.delete(_story_outlets).where(*_within(_story_outlets.c.story_id, part)))
    rows = [{"story_id": sid, "outlet": outlet, "articles": n} for sid, summary in found.items()
            for outlet, n in summary.outlets.items()]
    if rows:
        conn.execute(sa.insert(_story_outlets), rows)


def refresh(conn: Connection, story_ids: Collection[str] | None = None) -> int:
    """Recompute and write the summaries of ``story_ids`` (every story when None), with their
    ``story_outlets`` rows; returns story rows written. Runs in the caller's transaction: a save and its
    summaries commit together."""
    written = 0
    stmt = (sa.update(_stories).where(_stories.c.id == bindparam("b_id"))
            .values({c: bindparam(f"b_{c}") for c in COLUMNS}))
    for part in _chunks(story_ids):
        ids = part if part is not None else list(conn.execute(select(_stories.c.id)).scalars())
        found = _compute(conn, part)
        rows = [{"b_id": sid, **{f"b_{k}": v for k, v in found.get(sid, Summary()).values().items()}} for sid in ids]
        if rows:
            conn.execute(stmt, rows)
            written += len(rows)
        _write_outlets(conn, part, {sid: found[sid] for sid in ids if sid in found})
    return written
