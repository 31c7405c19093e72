"""``check`` finds each broken invariant, names the table, and finds nothing in a store the writers made;
``rashomon check`` prints the problems and exits 1. Stores are broken here with raw SQL, as a crash or a
careless hand edit would leave them (SQLite foreign keys off, so orphans can exist)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import rsh_sample as sample
from click.testing import CliRunner

from rashomon.cli import main
from rashomon.store.db import Store
from rashomon.store.integrity import Problem, check, check_connection

# (what a crash or a hand edit did, the table that must be named, words of the problem)
PORTABLE = [
    ("UPDATE claims SET story_id = 'sty_gone' WHERE seq = 0", "claims", "missing story"),
    ("UPDATE stories SET n_articles = n_articles + 1", "stories", "summary"),
    ("UPDATE stories SET n_disputes = 0", "stories", "n_disputes"),
    ("DELETE FROM story_outlets", "story_outlets", "outlet counts"),
    ("DELETE FROM claims", "events", "missing claim"),
    ("DELETE FROM claims", "disputes", "missing claim"),
    ("INSERT INTO story_articles SELECT story_id, position + 100, article_id FROM story_articles",
     "story_articles", "more than one story"),
    ("DELETE FROM entities", "mentions", "missing entity"),
    ("UPDATE articles SET content_hash = 'same'", "articles", "not marked duplicate_of"),
    ("DELETE FROM story_articles WHERE position = 0", "articles", "in no story"),
    ("UPDATE stories SET related_story_ids = '[\"sty_gone\"]'", "stories", "missing related story"),
    ("UPDATE stories SET timeline = '[{\"article_id\": \"art_gone\"}]'", "stories", "timeline names a missing article"),
    ("UPDATE disputes SET stances = '[{\"article_id\": \"art_gone\"}]'", "disputes", "stance names a missing article"),
    ("UPDATE disputes SET sides = '[{\"claim_ids\": [], \"article_ids\": [\"art_gone\"]}]'", "disputes", "side names a missing article"),
    ("UPDATE articles SET duplicate_of = 'art_gone'", "articles", "duplicate_of names a missing article"),
    ("UPDATE events SET story_id = 'sty_gone'", "events", "missing story"),
]
SQLITE_ONLY = [  # foreign keys (enforced on PostgreSQL) would cascade or refuse these
    ("DELETE FROM stories", "story_articles", "its story is missing"),
    ("DELETE FROM articles WHERE id = (SELECT MIN(id) FROM articles)", "claims", "its article is missing"),
    ("DELETE FROM articles WHERE id = (SELECT MIN(id) FROM articles)", "story_articles", "member article is missing"),
    ("DELETE FROM articles WHERE id = (SELECT MIN(id) FROM articles)", "events", "names a missing article"),
    ("DROP TRIGGER articles_fts_ai", "search", "missing"),
    ("DELETE FROM claims_fts_docsize", "claims", "not in the search index"),
    ("INSERT INTO articles_fts_docsize (id, sz) VALUES (999999, x'00')", "articles_fts", "does not hold"),
]


def _fill(store: Store) -> None:
    exs = sample.extractions()
    store.add_extractions(exs)
    store.save_reconciled(sample.reconcile(exs), exs)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store made by the writers (migrations run once); each test breaks its own copy."""
    path = tmp_path_factory.mktemp("integrity") / "template.db"
    with Store(str(path)) as store:
        _fill(store)
    return path


@pytest.fixture()
def sqlite_db(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    shutil.copyfile(template, path)  # closed: the WAL was checkpointed into the file
    return path


def _break_sqlite(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(sql)
    conn.commit()
    conn.close()


def _named(problems: list[Problem], table: str, words: str) -> bool:
    return any(p.table == table and words in p.what for p in problems)


def test_a_store_the_writers_made_is_consistent(sqlite_db: Path) -> None:
    with Store(str(sqlite_db)) as store:
        assert check(store) == []


@pytest.mark.parametrize(("sql", "table", "words"), PORTABLE + SQLITE_ONLY)
def test_each_broken_invariant_is_found(sqlite_db: Path, sql: str, table: str, words: str) -> None:
    _break_sqlite(sqlite_db, sql)
    with Store(str(sqlite_db)) as store:
        problems = check(store)
    assert _named(problems, table, words), [str(p) for p in problems]


def test_problems_per_invariant_are_capped(sqlite_db: Path) -> None:
    _break_sqlite(sqlite_db, "DELETE FROM entities")
    with Store(str(sqlite_db)) as store:
        assert len([p for p in check(store, limit=1) if p.table == "mentions"]) == 1
        assert len([p for p in check(store) if p.table == "mentions"]) > 1


def test_cli_check_exit_codes(sqlite_db: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["check", "--db", str(sqlite_db)])
    assert ok.exit_code == 0 and "store consistent: 2 articles, 1 stories" in ok.output
    _break_sqlite(sqlite_db, "UPDATE claims SET story_id = 'sty_gone'")
    bad = runner.invoke(main, ["check", "--db", str(sqlite_db)])
    assert bad.exit_code == 1 and "claims art_" in bad.output and "sty_gone" in bad.output
    missing = runner.invoke(main, ["check", "--db", str(sqlite_db.parent / "typo.db")])
    assert missing.exit_code != 0 and not (sqlite_db.parent / "typo.db").exists()


def test_postgresql(pg_url: str) -> None:
    """The dialect's own SQL (JSON expansion, IS DISTINCT FROM, GIN indexes) on a real server; each
    corruption is made and checked inside one transaction, then rolled back."""
    from sqlalchemy import text

    with Store(pg_url) as store:
        _fill(store)
        assert check(store) == []
        for sql, table, words in PORTABLE:
            with store.engine.connect() as conn:
                trans = conn.begin()
                conn.execute(text(sql))
                found = check_connection(conn)
                trans.rollback()
            assert _named(found, table, words), (sql, [str(p) for p in found])
        assert check(store) == []
