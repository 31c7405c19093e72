"""Consistency check of a store: every invariant the writers promise, each as one set-based query.

Why: a run may be killed at any point (SIGKILL, power loss, an OOM killer) and the store must still be
whole afterwards: every article once, nothing derived pointing at something that is not there, the
search index and the story summaries in step with the rows they index. ``check`` states those promises
as SQL the database answers itself (joins and NOT EXISTS over indexed keys, one query per invariant, no
Python loop over rows), so it runs on SQLite and PostgreSQL and stays cheap at 100,000 articles.

Articles that are stored but in no story yet are reported too: a run killed between storing and
reconciling leaves them, and the next ``analyze`` (or ``batch``) picks them up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, text

from rashomon.config import Settings
from rashomon.store.db import Store
from rashomon.store.search import FTS_TABLES

LIMIT = 100  # rows reported per invariant: a systematic fault is named, not listed 100,000 times


@dataclass(slots=True, frozen=True)
class Problem:
    """One broken invariant on one row: ``table`` and ``id`` name the row, ``what`` says what is wrong."""

    table: str
    id: str
    what: str

    def __str__(self) -> str:
        return f"{self.table} {self.id}: {self.what}"


@dataclass(slots=True, frozen=True)
class Invariant:
    """A query returning ``(id, detail)`` of the rows of ``table`` that break it; ``what`` describes them."""

    table: str
    what: str
    sql: str


# --- JSON references: (owner, referenced id) pairs, written per dialect ------------------------------


def _array(expr: str) -> str:
    """``expr`` as a JSON array (PostgreSQL errors on expanding a JSON null or scalar)."""
    return f"(CASE WHEN json_typeof(CAST({expr} AS json)) = 'array' THEN CAST({expr} AS json) ELSE '[]'::json END)"


def json_refs(dialect: str, table: str, owner: str, column: str, key: str | None = None, nested: bool = False) -> str:
    """SELECT (owner, ref) for each id a JSON column holds: a flat array of ids (no ``key``), an array of
    objects with the id under ``key``, or (``nested``) objects with an array of ids under ``key``."""
    if dialect == "postgresql":
        if key is None:
            return f"SELECT t.{owner} AS owner, j.value AS ref FROM {table} t, json_array_elements_text({_array('t.' + column)}) AS j(value)"
        if not nested:
            return f"SELECT t.{owner} AS owner, j.value ->> '{key}' AS ref FROM {table} t, json_array_elements({_array('t.' + column)}) AS j(value)"
        inner = _array(f"j.value -> '{key}'")
        return (f"SELECT t.{owner} AS owner, k.value AS ref FROM {table} t, json_array_elements({_array('t.' + column)}) "
                f"AS j(value), json_array_elements_text({inner}) AS k(value)")
    if key is None:
        return f"SELECT t.{owner} AS owner, j.value AS ref FROM {table} t, json_each(t.{column}) j"
    if not nested:
        return f"SELECT t.{owner} AS owner, json_extract(j.value, '$.{key}') AS ref FROM {table} t, json_each(t.{column}) j"
    return f"SELECT t.{owner} AS owner, k.value AS ref FROM {table} t, json_each(t.{column}) j, json_each(j.value, '$.{key}') k"


def _missing(pairs: str, target: str, column: str = "id") -> str:
    """Pairs whose referenced id is not a row of ``target``."""
    return (f"SELECT p.owner, p.ref FROM ({pairs}) p WHERE p.ref IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {target} x WHERE x.{column} = p.ref)")


# --- the invariants ------------------------------------------------------------------------------------

ROW_KEY = "t.article_id || '#' || t.seq"  # the id of a per-article row: article id and position
PER_ARTICLE = ("mentions", "places", "claims", "article_events")


def _orphans() -> Iterator[Invariant]:
    """Per-article rows and story members pointing at rows that are not there."""
    for table in PER_ARTICLE:
        yield Invariant(table, "its article is missing", f"SELECT {ROW_KEY}, t.article_id FROM {table} t "
                        "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.article_id)")
    yield Invariant("story_articles", "member article is missing", "SELECT t.story_id, t.article_id FROM story_articles t "
                    "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.article_id)")
    for table in ("story_articles", "story_outlets"):
        yield Invariant(table, "its story is missing", f"SELECT t.story_id, t.story_id FROM {table} t "
                        "WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = t.story_id)")
    for table, key_expr in (("claims", ROW_KEY), ("article_events", ROW_KEY), ("events", "t.id"), ("disputes", "t.id")):
        yield Invariant(table, "points at a missing story", f"SELECT {key_expr}, t.story_id FROM {table} t "
                        "WHERE t.story_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = t.story_id)")
    yield Invariant("entity_keys", "its entity is missing", "SELECT t.kind || ':' || t.key, t.entity_id FROM entity_keys t "
                    "WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = t.entity_id)")


def _days_apart(dialect: str, a: str, b: str) -> str:
    """SQL for the days between two articles' publication dates (ISO strings)."""
    if dialect == "postgresql":
        return f"ABS(CAST(SUBSTR({a}.published, 1, 10) AS DATE) - CAST(SUBSTR({b}.published, 1, 10) AS DATE))"
    return f"ABS(JULIANDAY(SUBSTR({a}.published, 1, 10)) - JULIANDAY(SUBSTR({b}.published, 1, 10)))"


def _articles(dialect: str, window: int) -> Iterator[Invariant]:
    """Each article once, in one story, its exact copies marked as copies (a text republished past the story
    window is a report of its own: see reconcile/dedup.py)."""
    member = "SELECT article_id FROM story_articles"
    yield Invariant("articles", "stored more than once", "SELECT id, COUNT(*) FROM articles GROUP BY id HAVING COUNT(*) > 1")
    yield Invariant("articles", "same text as another original published within the story window, not marked "
                    "duplicate_of (detail: the first)",
                    "SELECT b.id, a.id FROM articles a JOIN articles b ON b.content_hash = a.content_hash AND a.id < b.id "
                    f"WHERE a.duplicate_of IS NULL AND b.duplicate_of IS NULL AND a.id IN ({member}) AND b.id IN ({member}) "
                    f"AND (a.published IS NULL OR b.published IS NULL OR {_days_apart(dialect, 'a', 'b')} <= {int(window)})")
    yield Invariant("articles", "duplicate_of names a missing article", "SELECT t.id, t.duplicate_of FROM articles t "
                    "WHERE t.duplicate_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.duplicate_of)")
    yield Invariant("articles", "in no story yet (a run stopped before reconciling: run analyze again)",
                    f"SELECT t.id, t.published FROM articles t WHERE t.id NOT IN ({member})")
    yield Invariant("story_articles", "article is in more than one story (detail: how many memberships)",
                    "SELECT article_id, COUNT(*) FROM story_articles GROUP BY article_id HAVING COUNT(*) > 1")
    yield Invariant("stories", "has no articles", "SELECT t.id, t.title FROM stories t "
                    "WHERE NOT EXISTS (SELECT 1 FROM story_articles m WHERE m.story_id = t.id)")
    # reconcile sets every claim's story; a per-article event's story may stay unset (None), never differ
    for table, unset in (("claims", "t.story_id IS NULL OR "), ("article_events", "")):
        yield Invariant(table, "story_id is not the story of its article (detail: that story)",
                        f"SELECT {ROW_KEY}, m.story_id FROM {table} t JOIN story_articles m ON m.article_id = t.article_id "
                        f"WHERE {unset}t.story_id <> m.story_id")


_JSON_REFS: tuple[tuple[str, str, str | None, bool, str, str, str], ...] = (
    # table, column, key, nested, target table, target column, what
    ("events", "article_ids", None, False, "articles", "id", "names a missing article"),
    ("events", "claim_ids", None, False, "claims", "id", "names a missing claim"),
    ("stories", "event_ids", None, False, "events", "id", "names a missing incident"),
    ("stories", "related_story_ids", None, False, "stories", "id", "names a missing related story"),
    ("stories", "timeline", "article_id", False, "articles", "id", "timeline names a missing article"),
    ("disputes", "sides", "claim_ids", True, "claims", "id", "a side names a missing claim"),
    ("disputes", "sides", "article_ids", True, "articles", "id", "a side names a missing article"),
    ("disputes", "stances", "article_id", False, "articles", "id", "a stance names a missing article"),
    ("entities", "article_ids", None, False, "articles", "id", "names a missing article"),
)


def _references(dialect: str) -> Iterator[Invariant]:
    """Ids held in JSON columns and entity links that name rows which are not there."""
    for table, column, key, nested, target, tcol, what in _JSON_REFS:
        yield Invariant(table, f"{column}: {what}", _missing(json_refs(dialect, table, "id", column, key, nested), target, tcol))
    for table, column in (("mentions", "entity_id"), ("places", "entity_id"), ("claims", "speaker_entity_id")):
        yield Invariant(table, f"{column} names a missing entity", f"SELECT {ROW_KEY}, t.{column} FROM {table} t "
                        f"WHERE t.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = t.{column})")


_MEMBER_FIGURES = ("SELECT m.story_id AS sid, COUNT(*) AS n, MIN(a.published) AS first, MAX(a.published) AS last "
                   "FROM story_articles m JOIN articles a ON a.id = m.article_id GROUP BY m.story_id")


def _grouped(table: str) -> str:
    return f"SELECT story_id AS sid, COUNT(*) AS n FROM {table} WHERE story_id IS NOT NULL GROUP BY story_id"


def _summaries(dialect: str) -> Iterator[Invariant]:
    """The story summary columns (store/summary.py) against the rows they summarise."""
    differs = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    yield Invariant("stories", "summary (articles, first / last published) differs from its members",
                    f"SELECT s.id, s.n_articles FROM stories s LEFT JOIN ({_MEMBER_FIGURES}) f ON f.sid = s.id "
                    f"WHERE s.n_articles <> COALESCE(f.n, 0) OR s.first_published {differs} f.first "
                    f"OR s.last_published {differs} f.last")
    for column, table in (("n_claims", "claims"), ("n_disputes", "disputes"), ("n_incidents", "events")):
        yield Invariant("stories", f"{column} differs from its {table}",
                        f"SELECT s.id, s.{column} FROM stories s LEFT JOIN ({_grouped(table)}) g ON g.sid = s.id "
                        f"WHERE s.{column} <> COALESCE(g.n, 0)")
    computed = ("SELECT m.story_id, a.outlet, COUNT(*) AS n FROM story_articles m JOIN articles a ON a.id = m.article_id "
                "WHERE a.outlet IS NOT NULL GROUP BY m.story_id, a.outlet")
    stored = "SELECT story_id, outlet, articles FROM story_outlets"
    yield Invariant("story_outlets", "outlet counts differ from the story's members (detail: outlet)",
                    f"SELECT d.story_id, d.outlet FROM ({computed} EXCEPT {stored}) d UNION "
                    f"SELECT e.story_id, e.outlet FROM ({stored} EXCEPT {computed}) e")


def _sqlite_search() -> Iterator[Invariant]:
    """FTS5 rows (one docsize row per indexed row) against the rows they index, both ways."""
    for fts, table in zip(FTS_TABLES, ("articles", "claims"), strict=True):
        yield Invariant(table, f"not in the search index {fts}", f"SELECT t.rowid, t.rowid FROM {table} t "
                        f"WHERE NOT EXISTS (SELECT 1 FROM {fts}_docsize d WHERE d.id = t.rowid)")
        yield Invariant(fts, f"indexes a row {table} does not hold", f"SELECT d.id, d.id FROM {fts}_docsize d "
                        f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.rowid = d.id)")


def invariants(dialect: str) -> list[Invariant]:
    """Every invariant the store keeps, as queries for ``dialect``."""
    out = [*_articles(dialect, Settings().story_window_days), *_orphans(), *_references(dialect), *_summaries(dialect)]
    if dialect == "sqlite":
        out += _sqlite_search()
    return out


# --- search index objects (triggers, GIN indexes) ------------------------------------------------------

_SQLITE_OBJECTS = ("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')", tuple(
    name for fts in FTS_TABLES for name in (fts, f"{fts}_ai", f"{fts}_ad", f"{fts}_au")))
_PG_OBJECTS = ("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()", ("ix_articles_search", "ix_claims_search"))


def _search_objects(conn: Connection) -> list[Problem]:
    """The triggers (SQLite) or GIN indexes (PostgreSQL) that keep search current must exist."""
    found = {"sqlite": _SQLITE_OBJECTS, "postgresql": _PG_OBJECTS}.get(conn.dialect.name)
    if found is None:
        return []
    query, wanted = found
    have = set(conn.exec_driver_sql(query).scalars())
    return [Problem("search", name, "missing: the search index is not kept current") for name in wanted if name not in have]


def _run(conn: Connection, inv: Invariant, limit: int) -> list[Problem]:
    rows = conn.execute(text(f"SELECT * FROM ({inv.sql}) q LIMIT {int(limit)}"))
    return [Problem(inv.table, str(row[0]), f"{inv.what} ({row[1]})" if row[1] is not None else inv.what) for row in rows]


def check_connection(conn: Connection, limit: int = LIMIT) -> list[Problem]:
    """Every broken invariant as ``conn`` sees the store (inside its open transaction, if any)."""
    problems = _search_objects(conn)
    for inv in invariants(conn.dialect.name):
        problems += _run(conn, inv, limit)
    return problems


def check(store: Store, limit: int = LIMIT) -> list[Problem]:
    """Every broken invariant of ``store`` (at most ``limit`` rows each), read in one snapshot."""
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return check_connection(conn, limit)
