"""``rashomon batch`` on the local engine: same extractions as ``analyze``, Parquet shards that hold
exactly what the database holds, restarts that skip finished shards and redo the rest."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from batch_corpus import extractions

from rashomon.batch import make_engine, run_batch
from rashomon.batch.marker import MARKER
from rashomon.config import Settings

FILES_PER_SHARD = 5


def _run(corpus: list[Path], tmp: Path, workers: int = 1, **kw: Any) -> Any:
    settings = Settings(db=str(tmp / "batch.db"), quiet=True)
    return run_batch(corpus, tmp / "out", settings, make_engine("local", workers), files_per_shard=FILES_PER_SHARD, **kw)


def _parquet_ids(out: Path) -> list[str]:
    return [i for f in sorted((out / "shards").glob("*/articles.parquet")) for i in pq.read_table(f).column("id").to_pylist()]


def test_same_extractions_as_analyze(corpus: list[Path], reference: dict[str, Any], tmp_path: Path) -> None:
    summary = _run(corpus, tmp_path)
    assert summary.ok, summary.run.errors
    assert summary.shards == 3 + 3 and summary.done == summary.shards  # 13 docs in 3 groups + 3 container files
    assert extractions(str(tmp_path / "batch.db")) == reference
    ids = _parquet_ids(tmp_path / "out")
    assert sorted(ids) == sorted(reference) and len(ids) == len(set(ids))
    claims = sum(pq.read_table(f).num_rows for f in (tmp_path / "out" / "shards").glob("*/claims.parquet"))
    assert claims == sum(len(ex["claims"]) for ex in reference.values()) > 0
    assert summary.run.counts["stories"] > 0  # reconciled once at the end


def test_rerun_skips_finished_and_redoes_half_done(corpus: list[Path], tmp_path: Path) -> None:
    first = _run(corpus, tmp_path)
    shards = tmp_path / "out" / "shards"
    half_done = min(shards.iterdir())
    (half_done / MARKER).unlink()  # as if killed after the rename (cannot happen) or copied by hand
    (half_done / "leftover").write_text("x")
    (shards / f".{half_done.name}.tmp-1-dead").mkdir()  # a killed attempt's temporary directory
    again = _run(corpus, tmp_path)
    assert (again.done, again.skipped) == (1, first.shards - 1)
    assert (half_done / MARKER).exists() and not (half_done / "leftover").exists()
    assert not list(shards.glob(".*"))
    assert again.run.added == 0 and again.run.already_stored == first.run.added


def test_changed_input_redoes_its_shard(corpus: list[Path], tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    wire = inputs / "wire.jsonl"
    lines = corpus[1].read_text(encoding="utf-8").splitlines()
    wire.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    first = run_batch([wire], tmp_path / "out", Settings(db=str(tmp_path / "b.db"), quiet=True), make_engine("local"))
    os.utime(wire)  # touched only: the hash still matches, the shard stands
    touched = run_batch([wire], tmp_path / "out", Settings(db=str(tmp_path / "b.db"), quiet=True), make_engine("local"))
    wire.write_text("\n".join(lines) + "\n", encoding="utf-8")
    grown = run_batch([wire], tmp_path / "out", Settings(db=str(tmp_path / "b.db"), quiet=True), make_engine("local"))
    assert (first.done, touched.skipped, grown.done) == (1, 1, 1)
    assert (first.run.added, grown.run.added, grown.run.already_stored) == (2, 1, 2)


def test_jsonl_split_into_line_ranges(corpus: list[Path], reference: dict[str, Any], tmp_path: Path) -> None:
    wire = corpus[1]
    summary = run_batch([wire], tmp_path / "out", Settings(db=str(tmp_path / "b.db"), quiet=True),
                        make_engine("local"), shard_records=2)
    assert summary.shards == 2 and summary.ok
    got = extractions(str(tmp_path / "b.db"))
    assert got == {k: v for k, v in reference.items() if v["article"]["source"].startswith(str(wire))} and len(got) == 3
    assert all(s["sha256"] is None for f in (tmp_path / "out" / "shards").glob(f"*/{MARKER}")
               for s in json.loads(f.read_text())["inputs"])  # ranges never hash the whole file
    copy = tmp_path / "wire.jsonl"
    copy.write_bytes(wire.read_bytes())
    settings = Settings(db=str(tmp_path / "c.db"), quiet=True)
    run_batch([copy], tmp_path / "out2", settings, make_engine("local"), shard_records=2)
    os.utime(copy, ns=(1, 1))  # no hash to vouch for a touched file: its ranges are redone
    again = run_batch([copy], tmp_path / "out2", settings, make_engine("local"), shard_records=2)
    assert (again.done, again.skipped, again.run.added) == (2, 0, 0)


def test_bad_records_are_reported_per_shard(tmp_path: Path, corpus: list[Path]) -> None:
    bad = tmp_path / "bad.jsonl"
    good = corpus[1].read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(good + "\n{not json\n" + '{"title": "no text"}\n', encoding="utf-8")
    summary = run_batch([bad, corpus[1], tmp_path / "missing.jsonl"], tmp_path / "out",
                        Settings(db=str(tmp_path / "b.db"), quiet=True), make_engine("local"))
    assert not summary.ok and summary.done == 2 and summary.run.added == 4
    assert summary.run.failed == 3  # two bad lines and the missing input
    errors = [json.loads(line) for f in (tmp_path / "out" / "shards").glob("bad.jsonl-*/errors.jsonl")
              for line in f.read_text().splitlines()]
    assert sorted(e["line"] for e in errors) == [2, 3]


def test_failing_shard_does_not_stop_the_others(tmp_path: Path, corpus: list[Path]) -> None:
    from rashomon.batch.shards import Shard
    from rashomon.batch.worker import WorkerSpec

    spec = WorkerSpec(Settings(db=str(tmp_path / "b.db"), quiet=True), tmp_path / "out")
    (tmp_path / "out" / "shards").mkdir(parents=True)
    gone = Shard("gone", (str(tmp_path / "deleted-after-planning.jsonl"),))
    results = {r.key: r for r in make_engine("local").map(spec, [gone, Shard("wire", (str(corpus[1]),))])}
    assert not results["gone"].ok and "FileNotFoundError" in results["gone"].messages[0]
    assert results["wire"].ok and results["wire"].counts["articles"] == 3
    assert not (tmp_path / "out" / "shards" / "gone").exists()


@pytest.mark.slow
def test_two_local_workers(corpus: list[Path], reference: dict[str, Any], tmp_path: Path) -> None:
    summary = _run(corpus, tmp_path, workers=2)
    assert summary.ok and summary.done == summary.shards
    assert 1 <= len(summary.workers) <= 2 and str(os.getpid()) not in {w.split(":")[1] for w in summary.workers}
    assert extractions(str(tmp_path / "batch.db")) == reference


def _explode(ex: Any, doc: Any) -> None:
    """A stage that breaks on one article, as a buggy extractor would."""
    if "KABOOM" in ex.article.text:
        raise ValueError("stage bug")


def test_an_article_that_breaks_extraction_is_lost_alone(tmp_path: Path) -> None:
    from rashomon.config import DEFAULT_EXTRACT_STAGES
    from rashomon.registry import register

    register("extract", "test_explode")(_explode)
    texts = ["Officials said 3 people were killed.", "KABOOM said the army.", "The group said it holds 7 captives."]
    wire = tmp_path / "w.jsonl"
    wire.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    settings = Settings(db=str(tmp_path / "b.db"), quiet=True, extract_stages=(*DEFAULT_EXTRACT_STAGES, "test_explode"))
    summary = run_batch([wire], tmp_path / "out", settings, make_engine("local"))
    assert (summary.done, summary.run.added, summary.run.failed) == (1, 2, 1)
    errors = [json.loads(line) for line in next((tmp_path / "out" / "shards").glob("*/errors.jsonl")).read_text().splitlines()]
    assert len(errors) == 1 and "extraction failed: ValueError: stage bug" in errors[0]["message"]
    assert f"{wire}#2" in errors[0]["message"]


def test_cli_exit_code_and_summary(corpus: list[Path], tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rashomon.cli import main

    args = ["batch", str(corpus[1]), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "b.db"), "--quiet"]
    ok = CliRunner().invoke(main, args)
    assert ok.exit_code == 0, ok.output
    assert "shards: 1, done now: 1, finished before: 0, failed: 0" in ok.output and "added: 3" in ok.output
    bad = CliRunner().invoke(main, [*args, str(tmp_path / "missing.jsonl")])
    assert bad.exit_code == 1 and "finished before: 1" in bad.output
