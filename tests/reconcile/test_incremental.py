"""Incremental reconcile: corpus A analyzed, then corpus B added, compared with one run over A+B.

A is the demo corpus's first two stories, B its third story, its feed and invented articles (a
syndicated copy of an A article and a new incident). A second store also holds
invented older reports (months before, each its own story) to show that the second run loads the
same extractions however much is stored, and that what it does not touch is not rewritten.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rashomon.analyze import Runner, Summary
from rashomon.cli import DEMO_DIR
from rashomon.config import Settings
from rashomon.reconcile import reconcile
from rashomon.reconcile.entities import resolve_entities
from rashomon.reconcile.entities_stored import (
    NameIndex,
    Previous,
    join_stored,
    name_keys,
)
from rashomon.reconcile.incremental import day_ranges, reconcile_new
from rashomon.records import (
    Article,
    Entity,
    Extraction,
    Mention,
    Reconciled,
    Story,
    to_dict,
)
from rashomon.store.db import Store

CORPUS = DEMO_DIR / "corpus"
# A new incident in invented places, told by two outlets, after the demo's stories.
NEW_INCIDENT = [
    ("Dam guards killed in Orvikstad night raid", "2025-04-20", (
        "ORVIKSTAD: Armed men stormed the Orvikstad dam control station before dawn on Sunday, killing four guards "
        "and setting the turbine hall on fire, the regional water authority said. Engineers shut the sluice gates.")),
    ("Four guards dead after raid on Orvikstad dam", "2025-04-20", (
        "Four security guards were killed when gunmen raided the control station of the Orvikstad dam early on "
        "Sunday, the regional water authority said, adding that the turbine hall burned for hours.")),
]
# Older reports, each its own incident: months apart, so no later article is ever compared with them.
OLDER_TOWNS = ["Brenvarra", "Castelmoor", "Dunhallow", "Eskerby", "Fennick", "Gravenholt"]


def _older(i: int, town: str) -> tuple[str, str, str]:
    text = (f"{town.upper()}: Unknown attackers set fire to the grain depot of {town} on Tuesday, the district "
            f"administration of {town} said, and {i + 2} watchmen were injured. Farmers in {town} fear shortages.")
    return f"Grain depot burned in {town}", f"2024-{i + 1:02d}-12", text


def _write(folder: Path, items: list[tuple[str, str, str]], stem: str) -> None:
    folder.mkdir(exist_ok=True)
    for i, (title, day, text) in enumerate(items):
        (folder / f"{stem}{i}.txt").write_text(f"Title: {title}\nDate: {day}\n\n{text}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("incremental")
    a, b, older = root / "A", root / "B", root / "older"
    a.mkdir()
    b.mkdir()
    for f in CORPUS.iterdir():
        (a if f.name.startswith(("s1_", "s2_")) else b).joinpath(f.name).write_bytes(f.read_bytes())
    # A syndicated copy of a stored report, a day later (so a full run also keeps the stored one as original).
    copied = (CORPUS / "s2_agp_forty_militants.txt").read_text(encoding="utf-8")
    (b / "syndicated_copy.txt").write_text(f"Outlet: Invented Wire\nDate: 2025-03-04\n\n{copied}", encoding="utf-8")
    _write(b, [(t, d, x) for t, d, x in NEW_INCIDENT], "orvik")
    _write(older, [_older(i, t) for i, t in enumerate(OLDER_TOWNS)], "older")
    return {"A": a, "B": b, "older": older, "root": root}


def _settings(db: Path) -> Settings:
    return Settings(db=str(db), gazetteers=(DEMO_DIR / "gazetteer.tsv",), quiet=True)


def _analyze(db: Path, *paths: Path) -> int:
    """Ingest ``paths`` and reconcile; returns how many stored extractions the reconcile loaded."""
    runner = Runner(_settings(db))
    try:
        runner.ingest(paths, Summary())
        runner.store.loaded = 0
        runner.reconcile()
        return runner.store.loaded
    finally:
        runner.close()


def _state(db: Path) -> tuple[Reconciled, list[Extraction]]:
    with Store(_settings(db).db_url) as store:
        return store.load_reconciled(), list(store.iter_extractions())


def _audit(db: Path) -> None:
    """Triggers that record every rewrite of a reconciled row (the test's witness, not the product's)."""
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE audit (tbl TEXT, id TEXT)")
    for table, key in (("events", "story_id"), ("disputes", "story_id"), ("story_articles", "story_id"), ("entities", "id")):
        for op in ("UPDATE", "DELETE"):
            con.execute(f"CREATE TRIGGER audit_{table}_{op} AFTER {op} ON {table} "
                        f"BEGIN INSERT INTO audit VALUES ('{table}', OLD.{key}); END")
    # A story row may only gain related ids unless the story changed.
    con.execute("CREATE TRIGGER audit_stories AFTER UPDATE OF title, event_ids, timeline ON stories "
                "BEGIN INSERT INTO audit VALUES ('stories', OLD.id); END")
    con.execute("CREATE TRIGGER audit_stories_del AFTER DELETE ON stories BEGIN INSERT INTO audit VALUES ('stories', OLD.id); END")
    con.commit()
    con.close()


def _audited(db: Path) -> set[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return set(con.execute("SELECT tbl, id FROM audit"))
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(corpora: dict[str, Path]) -> dict[str, object]:
    root = corpora["root"]
    scratch, small, large = root / "scratch.db", root / "small.db", root / "large.db"
    _analyze(scratch, corpora["A"], corpora["B"])
    _analyze(small, corpora["A"])
    after_a = _state(small)
    _analyze(large, corpora["older"], corpora["A"])
    large_before = _state(large)
    _audit(large)
    return {
        "scratch": _state(scratch), "after_a": after_a, "large_before": large_before,
        "loaded_small": _analyze(small, corpora["B"]), "small": _state(small),
        "loaded_large": _analyze(large, corpora["B"]), "large": _state(large), "audit": _audited(large),
    }


def _members(r: Reconciled) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in r.stories}


def _disputes(r: Reconciled) -> dict[str, tuple]:  # type: ignore[type-arg]
    """Disputes by id: what is disputed and by whom (stances in article order, which is a story's own)."""
    return {d.id: (d.kind, d.proposition, [to_dict(s) for s in d.sides],
                   sorted((s.article_id, s.stance, tuple(s.sides)) for s in d.stances)) for d in r.disputes}


def _mention_ids(exs: list[Extraction]) -> dict[tuple[str, int], str | None]:
    return {(ex.article.id, i): m.entity_id for ex in exs for i, m in enumerate(ex.mentions)}


def test_adding_b_gives_the_stories_incidents_and_disputes_of_one_run_over_a_and_b(runs: dict) -> None:
    (scratch, _), (small, _) = runs["scratch"], runs["small"]
    assert _members(small) == _members(scratch)
    assert len(small.stories) >= 4  # the demo's stories plus the invented incident
    assert {e.id: to_dict(e) for e in small.events} == {e.id: to_dict(e) for e in scratch.events}
    assert small.disputes and _disputes(small) == _disputes(scratch)


def test_a_new_copy_of_a_stored_report_is_its_duplicate(runs: dict) -> None:
    by_outlet = {ex.article.outlet: ex.article for ex in runs["small"][1]}
    assert by_outlet["Invented Wire"].duplicate_of == by_outlet["AGP"].id
    assert by_outlet["AGP"].duplicate_of is None


def test_old_entities_keep_their_ids_and_new_mentions_resolve_like_a_full_run(runs: dict) -> None:
    (before, old_exs), (small, exs), (_, scratch_exs) = runs["after_a"], runs["small"], runs["scratch"]
    old_ids = {e.id for e in before.entities}
    assert old_ids <= {e.id for e in small.entities}
    kept, now, full = _mention_ids(old_exs), _mention_ids(exs), _mention_ids(scratch_exs)
    assert all(now[k] == v for k, v in kept.items())
    new_keys = set(now) - set(kept)
    assert new_keys
    # A new mention gets the id a full run gives it, or the stored id of the entity it joined.
    assert all(now[k] == full[k] or now[k] in old_ids for k in new_keys)
    assert sum(now[k] == full[k] for k in new_keys) >= 0.9 * len(new_keys)
    # An entity both runs call by one id covers the same articles, names and mention count.
    scratch = {e.id: e for e in runs["scratch"][0].entities}
    same = [(e, scratch[e.id]) for e in small.entities if e.id in scratch]
    assert len(same) >= 0.9 * len(scratch)
    assert all((a.article_ids, a.aliases, a.mentions) == (b.article_ids, b.aliases, b.mentions) for a, b in same)


def test_second_run_loads_the_same_extractions_however_much_is_stored(runs: dict) -> None:
    small_a = len(runs["after_a"][1])
    large_a = len(runs["large_before"][1])
    assert large_a == small_a + len(OLDER_TOWNS)
    assert runs["loaded_small"] == runs["loaded_large"]
    new = len(runs["small"][1]) - small_a
    assert new < runs["loaded_large"] < len(runs["large"][1])  # the new articles and the stories they join only


def test_untouched_stories_and_entities_are_not_rewritten(runs: dict) -> None:
    (before, before_exs), (after, _), audit = runs["large_before"], runs["large"], runs["audit"]
    members = {s.id: s.article_ids for s in after.stories}
    untouched = {s.id for s in before.stories if members[s.id] == s.article_ids}
    touched = {s.id for s in before.stories} - untouched
    older = {ex.article.id for ex in before_exs if ex.article.published and ex.article.published < "2025"}
    older_stories = {s.id for s in before.stories if set(s.article_ids) <= older}
    assert len(older_stories) == len(OLDER_TOWNS) and older_stories <= untouched
    assert touched and {sid for tbl, sid in audit if tbl == "story_articles"} == touched  # the test can see writes
    assert not {sid for tbl, sid in audit if tbl != "entities"} & untouched
    older_entities = {e.id for e in before.entities if set(e.article_ids) <= older}
    assert older_entities and not {eid for tbl, eid in audit if tbl == "entities"} & older_entities
    same = {s.id: to_dict(s) for s in before.stories if s.id in older_stories}
    assert same == {s.id: to_dict(s) for s in after.stories if s.id in older_stories}


def test_day_ranges_stay_apart_for_a_sparse_backfill() -> None:
    from datetime import date

    days = [date(2024, 1, 1), date(2024, 1, 5), date(2025, 6, 1)]
    assert day_ranges(days, 3) == [("2023-12-29", "2024-01-08"), ("2025-05-29", "2025-06-04")]


class _Empty:
    """An empty store, for the first run."""

    def stories_in_window(self, low: str, high: str) -> set[str]:
        return set()

    def originals_by_hash(self, hashes: object) -> dict[str, list[tuple[str, str | None]]]:
        return {}

    def story_ids_of(self, article_ids: object) -> set[str]:
        return set()

    def load_stories(self, ids: object) -> list[Story]:
        return []

    def originals_among(self, article_ids: object) -> set[str]:
        return set()

    def load_extractions(self, ids: object) -> list[Extraction]:
        return []

    def entities_by_keys(self, keys: object) -> dict:  # type: ignore[type-arg]
        return {}

    def load_entities(self, ids: object) -> dict:  # type: ignore[type-arg]
        return {}


def _invented() -> list[Extraction]:
    items = [*NEW_INCIDENT, *(_older(i, t) for i, t in enumerate(OLDER_TOWNS[:2]))]
    return [Extraction(article=Article(source=f"n{i}.txt", text=x, title=t, published=d)) for i, (t, d, x) in enumerate(items)]


def test_a_first_run_is_the_full_reconcile() -> None:
    full = reconcile(_invented(), Settings())
    delta = reconcile_new(_Empty(), _invented(), Settings())
    assert [to_dict(s) for s in delta.stories] == [to_dict(s) for s in full.stories]
    assert [to_dict(e) for e in delta.events] == [to_dict(e) for e in full.events]
    assert [to_dict(e) for e in delta.entities] == [to_dict(e) for e in full.entities]
    assert not delta.dropped_entities and not delta.related


def test_a_new_spelling_joins_the_stored_entity_it_spells_and_keeps_its_id() -> None:
    stored = Entity(name="Mohammad Qarani", type="person", aliases=["Mohammad Qarani"], article_ids=["art_old"], mentions=3)
    army = Entity(name="Ruritania Army", type="military", aliases=["Ruritania Army"], article_ids=["art_old"], mentions=2)
    ex = Extraction(article=Article(source="new.txt", text="Muhammad Qarani said the column withdrew.", id="art_new"),
                    mentions=[Mention(text="Muhammad Qarani", start=0, end=15, type="person")])
    index = NameIndex({k: {e.id} for e in (stored, army) for k in name_keys(e)})
    joined = join_stored(resolve_entities([ex]), [ex], Previous.of([]), {stored.id: stored}, index)
    [person] = joined.entities
    assert person.id == stored.id and ex.mentions[0].entity_id == stored.id
    assert person.article_ids == ["art_new", "art_old"] and person.mentions == 4
    assert "Muhammad Qarani" in person.aliases and not joined.dropped
