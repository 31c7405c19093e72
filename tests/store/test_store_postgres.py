"""The same store on PostgreSQL (portable models). Runs only when RASHOMON_TEST_PG_URL names a
scratch database, e.g. postgresql+psycopg://postgres@127.0.0.1:54329/postgres — it is wiped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from rashomon.store.db import Store

PG_URL = os.environ.get("RASHOMON_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="set RASHOMON_TEST_PG_URL to test on PostgreSQL")


import rsh_sample as sample  # noqa: E402  (tests/conftest.py puts tests/export on the path)


@pytest.fixture()
def pg_store() -> Store:
    assert PG_URL
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    s = Store(PG_URL)
    yield s
    s.close()


def test_pg_round_trip(pg_store: Store) -> None:
    exs = sample.extractions()
    assert pg_store.add_extractions(exs) == 2
    result = sample.reconcile(exs)
    pg_store.save_reconciled(result, exs)
    assert list(pg_store.iter_extractions()) == sorted(exs, key=lambda e: e.article.id)
    assert pg_store.load_reconciled() == result
    assert pg_store.add_extractions(exs) == 0
    again = Store(PG_URL or "")  # second open: migrations are a no-op
    assert again.counts() == pg_store.counts()
    again.close()


def test_pg_rollback(pg_store: Store) -> None:
    bad = sample.extraction_b()
    bad.claims[0].quantities = [object()]
    with pytest.raises(TypeError):
        pg_store.add_extractions([sample.extraction_a(), bad])
    assert pg_store.counts()["articles"] == 0
