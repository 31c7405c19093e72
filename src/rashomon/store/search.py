"""Full-text search over article titles and texts and claim sentences, on both databases the store runs on.

SQLite: two FTS5 tables with external content (``articles_fts`` over ``articles``, ``claims_fts`` over
``claims``), kept current by triggers, so the text is stored once and every insert is indexed in the same
transaction. A later migration that rebuilds one of those tables (Alembic's batch mode copies a table)
drops its triggers and may renumber its rows; ``ensure_index`` notices the missing triggers and rebuilds.
PostgreSQL: GIN indexes over ``to_tsvector`` expressions that the queries repeat word for word, so the
planner uses them. User input never reaches either query language unquoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Engine,
    Select,
    and_,
    func,
    literal_column,
    select,
    text,
    union,
)
from sqlalchemy.orm import Session

from rashomon.store.models import ArticleRow, ClaimRow

FTS_TABLES = ("articles_fts", "claims_fts")
_SHADOW = ("", "_data", "_idx", "_docsize", "_config", "_content")
_FTS_SOURCES = {"articles_fts": ("articles", ("title", "text")), "claims_fts": ("claims", ("sentence",))}
_INDEX = {"articles": "articles_fts", "claims": "claims_fts"}  # searched table -> its SQLite FTS5 table
PG_LANGUAGE = "english"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


def is_search_table(name: str | None) -> bool:
    """An FTS5 table or one of its shadow tables: not in the ORM models, so schema comparisons skip it."""
    return any(name == base + suffix for base in FTS_TABLES for suffix in _SHADOW)


def _sqlite_ddl(fts: str) -> list[str]:
    table, cols = _FTS_SOURCES[fts]
    names = ", ".join(cols)
    new = ", ".join(f"new.{c}" for c in cols)
    old = ", ".join(f"old.{c}" for c in cols)
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old});"
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new});"
    return [
        (f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({names}, content='{table}', "
        "tokenize='unicode61 remove_diacritics 2')"),
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {names} ON {table} BEGIN {delete} {insert} END",
    ]


def _pg_ddl() -> list[str]:
    return [
        (f"CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin "
        f"(to_tsvector('{PG_LANGUAGE}', coalesce(title, '') || ' ' || text))"),
        f"CREATE INDEX IF NOT EXISTS ix_claims_search ON claims USING gin (to_tsvector('{PG_LANGUAGE}', sentence))",
    ]


def create_statements(dialect: str) -> list[str]:
    """SQL creating the search tables / indexes and filling them from what is stored (migration 0006)."""
    if dialect == "sqlite":
        return [ddl for fts in FTS_TABLES
                for ddl in [*_sqlite_ddl(fts), f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"]]
    if dialect == "postgresql":
        return _pg_ddl()
    return []


def drop_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [*(f"DROP TRIGGER IF EXISTS {fts}{sfx}" for fts in FTS_TABLES for sfx in ("_ai", "_ad", "_au")),
                *(f"DROP TABLE IF EXISTS {fts}" for fts in FTS_TABLES)]
    if dialect == "postgresql":
        return ["DROP INDEX IF EXISTS ix_articles_search", "DROP INDEX IF EXISTS ix_claims_search"]
    return []


def ensure_index(engine: Engine) -> None:
    """Recreate and rebuild the SQLite index when a table rebuild dropped its triggers (cheap check)."""
    if engine.dialect.name != "sqlite":
        return
    wanted = {f"{fts}{s}" for fts in FTS_TABLES for s in ("_ai", "_ad", "_au")}
    with engine.connect() as conn:
        have = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
    if not wanted <= have:
        with engine.begin() as conn:
            for sql in drop_statements("sqlite") + create_statements("sqlite"):
                conn.exec_driver_sql(sql)


def terms(query: str) -> list[str]:
    """The words of a user's query (punctuation and operators dropped), at most MAX_TERMS."""
    return _WORD.findall(query or "")[:MAX_TERMS]


def fts_query(words: list[str]) -> str:
    """An FTS5 MATCH string: every word quoted (so no word is read as an operator), all required."""
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


def _fts_rowids(fts: str, words: list[str]) -> Select[Any]:
    return select(literal_column("rowid")).select_from(text(fts)).where(literal_column(fts).op("MATCH")(fts_query(words)))


def _pg_document(table: str) -> ColumnElement[Any]:
    """The exact expression the GIN index of ``table`` is built on (the planner matches it word for word)."""
    if table == "articles":
        return func.to_tsvector(PG_LANGUAGE, literal_column("coalesce(articles.title, '') || ' ' || articles.text"))
    return func.to_tsvector(PG_LANGUAGE, ClaimRow.sentence)


def _filter(dialect: str, table: str, words: list[str], cap: int | None = None) -> ColumnElement[bool]:
    """WHERE clause on ``table`` (articles or claims): its indexed text holds every word. On SQLite, ``cap``
    keeps only the best-ranked (BM25) ``cap`` rows; elsewhere the caller limits the rows (see _article_ids)."""
    if dialect == "sqlite":
        hits = _fts_rowids(_INDEX[table], words)
        if cap is not None:
            hits = hits.order_by(literal_column("rank")).limit(cap)
        return literal_column(f"{table}.rowid").in_(hits)
    if dialect == "postgresql":
        return _pg_document(table).op("@@")(func.plainto_tsquery(PG_LANGUAGE, " ".join(words)))
    if table == "articles":
        return and_(*[ArticleRow.text.ilike(f"%{w}%") | ArticleRow.title.ilike(f"%{w}%") for w in words])
    return and_(*[ClaimRow.sentence.ilike(f"%{w}%") for w in words])


def article_filter(dialect: str, words: list[str]) -> ColumnElement[bool]:
    """WHERE clause on ``articles``: title or text holds every word."""
    return _filter(dialect, "articles", words)


def claim_filter(dialect: str, words: list[str], cap: int | None = None) -> ColumnElement[bool]:
    """WHERE clause on ``claims``: the claim's sentence holds every word (the best-ranked ``cap`` on SQLite)."""
    return _filter(dialect, "claims", words, cap)


def _article_ids(dialect: str, table: str, words: list[str], cap: int | None) -> Select[Any]:
    """Ids of articles whose own text (``articles``) or one of whose claims (``claims``) matches; at most
    ``cap`` matching rows read. PostgreSQL takes any ``cap`` of them: ranking would rebuild the text vector of
    every match (the GIN index holds no positions to rank by)."""
    col = ArticleRow.id if table == "articles" else ClaimRow.article_id
    stmt = select(col).where(_filter(dialect, table, words, cap))
    if cap is None or dialect == "sqlite":
        return stmt
    capped = stmt.limit(cap).subquery()
    return select(capped.c[0])


def article_ids_matching(dialect: str, query: str, cap: int | None = None) -> CompoundSelect[tuple[str]] | None:
    """Ids of articles whose title or text, or one of whose claim sentences, holds every word of
    ``query`` (from at most ``cap`` matches per index when given); None when the query has no words."""
    words = terms(query)
    if not words:
        return None
    return union(*(_article_ids(dialect, table, words, cap) for table in _INDEX))


def _more_than(s: Session, table: str, words: list[str], cap: int) -> bool:
    """Whether ``table`` has more than ``cap`` matches (reads at most ``cap`` + 1 of them, unranked)."""
    dialect = s.get_bind().dialect.name
    if dialect == "sqlite":
        probe = _fts_rowids(_INDEX[table], words).limit(cap + 1)
    else:
        model = ArticleRow if table == "articles" else ClaimRow
        probe = select(literal_column("1")).select_from(model).where(_filter(dialect, table, words)).limit(cap + 1)
    return int(s.scalar(select(func.count()).select_from(probe.subquery())) or 0) > cap


@dataclass(slots=True)
class Hits:
    """A bounded search: the matching article ids, and whether some matches were left unread."""

    ids: CompoundSelect[tuple[str]]
    more: bool


def search_hits(s: Session, query: str, cap: int) -> Hits | None:
    """Articles matching ``query`` from the ``cap`` best matches of each index (None: no words to search).
    Bounded so that a common word costs ``cap`` rows, not every article that holds it."""
    words = terms(query)
    ids = article_ids_matching(s.get_bind().dialect.name, query, cap)
    if ids is None:
        return None
    return Hits(ids=ids, more=any(_more_than(s, table, words, cap) for table in _INDEX))
