"""Store: round trips, all-or-nothing batches, idempotence, migrations, concurrent handles."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest
import rsh_sample as sample  # noqa: E402  (tests/conftest.py puts tests/export on the path)
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from rashomon.records import Extraction
from rashomon.store import db as store_db
from rashomon.store.db import Store
from rashomon.store.models import Base
from rashomon.store.search import is_search_table


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'r.db'}")
    yield s
    s.close()


def _sorted(exs: list[Extraction]) -> list[Extraction]:
    return sorted(exs, key=lambda e: e.article.id)


def test_round_trip_is_equal(store: Store) -> None:
    exs = sample.extractions()
    assert store.add_extractions(exs) == 2
    assert list(store.iter_extractions()) == _sorted(exs)


def test_round_trip_after_reconcile(store: Store) -> None:
    exs = sample.extractions()
    store.add_extractions(exs)
    result = sample.reconcile(exs)
    exs[1].article.duplicate_of = exs[0].article.id
    store.save_reconciled(result, exs)
    assert store.load_reconciled() == result
    back = list(store.iter_extractions())
    assert back == _sorted(exs)
    assert all(c.story_id == result.stories[0].id for ex in back for c in ex.claims)
    assert store.counts() == {"articles": 2, "duplicates": 1, "claims": 3, "entities": 3,
                              "stories": 1, "events": 1, "disputes": 2}


def test_save_reconciled_replaces_previous(store: Store) -> None:
    exs = sample.extractions()
    store.add_extractions(exs)
    result = sample.reconcile(exs)
    store.save_reconciled(result, exs)
    result.disputes = result.disputes[:1]
    result.entities = result.entities[:1]
    store.save_reconciled(result, exs)
    assert store.counts()["disputes"] == 1
    assert store.load_reconciled() == result


def test_idempotent_re_add(store: Store) -> None:
    exs = sample.extractions()
    assert store.add_extractions(exs) == 2
    assert store.add_extractions(sample.extractions()) == 0
    assert store.add_extractions([exs[0], copy.deepcopy(exs[0])]) == 0
    assert store.counts()["articles"] == 2
    assert store.counts()["claims"] == 3


def test_repeated_id_in_one_batch_is_stored_once(store: Store) -> None:
    a = sample.extraction_a()
    assert store.add_extractions([a, copy.deepcopy(a)]) == 1


def test_crash_mid_batch_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real_insert = store_db.insert
    calls = {"n": 0}

    def exploding_insert(model):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:  # after articles and mentions went in
            raise RuntimeError("boom")
        return real_insert(model)

    monkeypatch.setattr(store_db, "insert", exploding_insert)
    with pytest.raises(RuntimeError):
        store.add_extractions(sample.extractions())
    monkeypatch.setattr(store_db, "insert", real_insert)
    assert store.counts()["articles"] == 0
    assert store.known_article_ids() == set()
    with sqlite3.connect(store.url.removeprefix("sqlite:///")) as conn:
        assert conn.execute("select count(*) from mentions").fetchone()[0] == 0
    assert store.add_extractions(sample.extractions()) == 2


def test_bad_record_rolls_back_whole_batch(store: Store) -> None:
    good = sample.extraction_a()
    bad = sample.extraction_b()
    bad.claims[0].quantities = [object()]  # not a dataclass: conversion fails mid-batch
    with pytest.raises(TypeError):
        store.add_extractions([good, bad])
    assert store.counts()["articles"] == 0


def test_failed_reconcile_save_keeps_previous(store: Store) -> None:
    exs = sample.extractions()
    store.add_extractions(exs)
    result = sample.reconcile(exs)
    store.save_reconciled(result, exs)
    broken = copy.deepcopy(result)
    broken.disputes[0].sides = [object()]  # type: ignore[list-item]
    with pytest.raises(TypeError):
        store.save_reconciled(broken, exs)
    assert store.load_reconciled() == result


def test_content_hash_index_and_known_ids(store: Store) -> None:
    exs = sample.extractions()
    store.add_extractions(exs)
    assert store.known_article_ids() == {e.article.id for e in exs}
    idx = store.content_hash_index()
    assert idx[exs[0].article.content_hash] == exs[0].article.id
    assert len(idx) == 2


def test_migrations_on_fresh_file_match_models(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    s = Store(str(path))
    with s.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        assert ctx.get_current_revision() is not None
        diffs = compare_metadata(ctx, Base.metadata)
        assert [d for d in diffs if not (d[0] == "remove_table" and is_search_table(d[1].name))] == []
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    s.close()
    again = Store(str(path))  # second open: upgrade is a no-op
    assert again.counts()["articles"] == 0
    again.close()


def test_two_stores_on_one_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    one, two = Store(url), Store(url)
    one.add_extractions([sample.extraction_a()])
    assert two.add_extractions(sample.extractions()) == 1
    assert one.counts()["articles"] == 2
    assert [e.article.id for e in one.iter_extractions()] == [e.article.id for e in two.iter_extractions()]
    one.close()
    two.close()


def test_in_memory_store() -> None:
    s = Store("sqlite://")
    s.add_extractions(sample.extractions())
    assert len(list(s.iter_extractions())) == 2
    s.close()


def test_iter_reads_in_chunks(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_db, "_CHUNK", 1)
    exs = sample.extractions()
    store.add_extractions(exs)
    assert list(store.iter_extractions()) == _sorted(exs)


def test_migration_sql_compiles_for_postgresql(tmp_path: Path) -> None:
    import io

    from alembic import command
    from alembic.config import Config

    buf = io.StringIO()
    cfg = Config(str(store_db.ALEMBIC_INI), output_buffer=buf)
    cfg.set_main_option("script_location", str(store_db.MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", "postgresql://user@localhost/db")
    command.upgrade(cfg, "head", sql=True)
    sql = buf.getvalue()
    assert "CREATE TABLE claims" in sql and "JSON NOT NULL" in sql
    assert "AUTOINCREMENT" not in sql and "PRAGMA" not in sql


def _add_in_child(url: str, which: str, q: object) -> None:
    try:
        s = Store(url)
        exs = sample.extractions() if which == "both" else [sample.extraction_a()]
        q.put(s.add_extractions(exs))  # type: ignore[attr-defined]
        s.close()
    except Exception as exc:  # noqa: BLE001 - report to the parent
        q.put(repr(exc))  # type: ignore[attr-defined]


def test_two_processes_open_and_write_a_fresh_file(tmp_path: Path) -> None:
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    url = f"sqlite:///{tmp_path / 'race.db'}"
    q = ctx.Queue()
    procs = [ctx.Process(target=_add_in_child, args=(url, w, q)) for w in ("both", "one")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    results = sorted(q.get(timeout=5) for _ in procs)
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 2  # every article stored exactly once, whoever won the race
    s = Store(url)
    assert s.counts()["articles"] == 2
    s.close()
