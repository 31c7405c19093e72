"""Store side of the incremental reconcile: which stories a new article can reach, all-or-nothing writes,
and a write computed from a store another run has changed since is refused."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import rsh_sample as sample

from rashomon.reconcile.entities_stored import name_keys
from rashomon.reconcile.entity_keys import translit_key
from rashomon.records import Extraction, Reconciled
from rashomon.store.db import Store
from rashomon.store.incremental import Delta, StaleDelta


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'r.db'}")
    yield s
    s.close()


def _delta(result: Reconciled, exs: list[Extraction]) -> Delta:
    return Delta(stories=result.stories, events=result.events, disputes=result.disputes, entities=result.entities,
                 exs=exs, new_ids=[ex.article.id for ex in exs], entity_keys={e.id: name_keys(e) for e in result.entities})


def test_a_delta_places_new_articles_and_the_window_finds_their_story(store: Store) -> None:
    exs = sample.extractions()  # published 2025-03-03 (A) and undated (B)
    store.add_extractions(exs)
    assert sorted(store.unreconciled_ids()) == sorted(ex.article.id for ex in exs)  # in date order (reconcile chunks)
    result = sample.reconcile(exs)
    store.save_delta(_delta(result, exs))
    assert store.unreconciled_ids() == []
    assert store.load_reconciled() == result
    sid = result.stories[0].id
    assert store.stories_in_window("2025-03-01", "2025-03-05") == {sid}
    assert store.stories_in_window("2025-04-01", "2025-04-05") == set()
    assert store.story_ids_of([exs[1].article.id]) == {sid}
    assert store.load_stories({sid}) == result.stories
    assert set(store.load_entities({e.id for e in result.entities})) == {e.id for e in result.entities}
    front = result.entities[0]
    assert store.entities_by_keys([("actor", translit_key("Example Front")), ("place", "nowhere")]) == {
        ("actor", translit_key("Example Front")): {front.id}}


def test_a_failing_delta_leaves_the_store_as_it_was(store: Store) -> None:
    exs = sample.extractions()
    store.add_extractions(exs)
    result = sample.reconcile(exs)
    broken = copy.deepcopy(result)
    broken.disputes[0].sides = [object()]  # type: ignore[list-item]  # conversion fails after stories were written
    with pytest.raises(TypeError):
        store.save_delta(_delta(broken, exs))
    assert store.load_reconciled() == Reconciled()
    assert sorted(store.unreconciled_ids()) == sorted(ex.article.id for ex in exs)  # in date order (reconcile chunks)
    assert all(c.story_id is None for ex in store.iter_extractions() for c in ex.claims)


def test_a_delta_read_before_another_run_wrote_is_refused(store: Store) -> None:
    exs = sample.extractions()
    store.add_extractions(exs)
    result = sample.reconcile(exs)
    store.save_delta(_delta(result, exs))
    with pytest.raises(StaleDelta):  # the same articles placed again
        store.save_delta(_delta(copy.deepcopy(result), exs))
    story = result.stories[0]
    moved = Delta(stories=[story], base={story.id: story.article_ids[:1]})  # read when it had one member
    with pytest.raises(StaleDelta):
        store.save_delta(moved)
    assert store.load_reconciled() == result


def test_loaded_counts_rebuilt_extractions(store: Store) -> None:
    exs = sample.extractions()
    store.add_extractions(exs)
    store.loaded = 0
    assert [ex.article.id for ex in store.load_extractions([exs[0].article.id, "art_unknown"])] == [exs[0].article.id]
    assert store.loaded == 1


def test_upgrading_to_name_keys_fills_them_for_stored_entities(store: Store) -> None:
    from alembic import command
    from alembic.config import Config

    from rashomon.store import db as store_db

    exs = sample.extractions()
    store.add_extractions(exs)
    result = sample.reconcile(exs)
    store.save_reconciled(result, exs)  # a full save writes no name keys
    key = ("actor", translit_key("Example Front"))
    assert store.entities_by_keys([key]) == {}
    cfg = Config(str(store_db.ALEMBIC_INI))
    cfg.set_main_option("script_location", str(store_db.MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    store_db.migrate(store.engine)
    assert store.entities_by_keys([key]) == {key: {result.entities[0].id}}

