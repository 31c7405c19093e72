"""The full-text index (migration 0006): filled on migrate, kept current by triggers on every insert and
delete, rebuilt when a table rebuild dropped its triggers; user input never reaches FTS5 syntax."""

from __future__ import annotations

from pathlib import Path

import pytest
import rsh_sample as sample  # tests/conftest.py puts tests/export on the path
from sqlalchemy import delete, select

from rashomon.store.db import Store
from rashomon.store.models import ArticleRow
from rashomon.store.search import article_ids_matching, ensure_index, fts_query, terms


def matching(store: Store, q: str) -> set[str]:
    stmt = article_ids_matching(store.engine.dialect.name, q)
    assert stmt is not None
    with store.engine.connect() as conn:
        return set(conn.execute(stmt).scalars())


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(str(tmp_path / "s.db"))
    yield s
    s.close()


def test_inserts_are_searchable_by_text_title_and_claim(store: Store) -> None:
    a, b = sample.extractions()
    store.add_extractions([a, b])
    assert matching(store, "Northtown") == {a.article.id}  # article text
    assert matching(store, "captives") == {b.article.id}  # title only
    assert matching(store, "RIVERFORD soldiers") == {a.article.id, b.article.id}  # every word, any case
    assert matching(store, "Riverford nowhere") == set()


def test_deleted_articles_leave_the_index(store: Store) -> None:
    a, b = sample.extractions()
    store.add_extractions([a, b])
    with store.engine.begin() as conn:
        conn.execute(delete(ArticleRow).where(ArticleRow.id == a.article.id))
    assert matching(store, "Riverford") == {b.article.id}


def test_a_dropped_trigger_is_noticed_and_the_index_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    first = Store(str(path))
    a, b = sample.extractions()
    first.add_extractions([a])
    with first.engine.begin() as conn:  # what a batch table rebuild does to the triggers
        conn.exec_driver_sql("DROP TRIGGER articles_fts_ai")
    first.add_extractions([b])  # not indexed: the trigger is gone
    assert matching(first, "captives") == set()
    first.close()

    again = Store(str(path))
    ensure_index(again.engine)
    assert matching(again, "captives") == {b.article.id}
    with again.engine.connect() as conn:
        assert conn.scalar(select(ArticleRow.id).where(ArticleRow.id == a.article.id))
    again.close()


@pytest.mark.parametrize("q", ['"', 'a" OR "b', "NEAR(x y)", "col:word", "x*", "-", "(", "AND"])
def test_user_input_is_always_quoted(store: Store, q: str) -> None:
    store.add_extractions(sample.extractions())
    assert all(t.isalnum() or "_" in t for t in terms(q))
    if terms(q):
        matching(store, q)  # no FTS5 syntax error, whatever was typed
    assert fts_query(["a", 'b"c']) == '"a" "bc"'
