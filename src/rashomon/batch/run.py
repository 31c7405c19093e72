"""The driver of ``rashomon batch``: plan shards, skip finished ones, run the rest on an engine, load
every finished shard into the database as it arrives, then reconcile once.

Loading is idempotent: the store skips stored article ids, and a shard whose ids are all stored is not
even read (the database is asked about one shard's ids at a time, never for every stored id). So a
rerun after a kill loads what the killed run did not, and nothing twice. The driver holds shard
descriptions and one shard's ids, never the corpus: workers stream their shards, and a shard is read
back a batch at a time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rashomon.analyze import Runner, Summary
from rashomon.batch import marker
from rashomon.batch.engine import Engine
from rashomon.batch.shards import Shard, plan
from rashomon.batch.tables import article_ids, read_shard
from rashomon.batch.worker import ShardResult, WorkerSpec, shards_root
from rashomon.config import Settings
from rashomon.store.db import Store


@dataclass
class BatchSummary:
    """Shard counts on top of the analyze summary (whose ``failed`` counts bad records and shards)."""

    shards: int = 0
    done: int = 0
    skipped: int = 0
    failed_shards: int = 0
    workers: set[str] = field(default_factory=set)  # host:pid of every worker that ran a shard
    run: Summary = field(default_factory=Summary)

    @property
    def ok(self) -> bool:
        return self.run.ok

    def lines(self) -> list[str]:
        return [
            f"shards: {self.shards}, done now: {self.done}, finished before: {self.skipped}, failed: {self.failed_shards}",
            *self.run.lines(),
        ]


def load_shard(store: Store, folder: Path, batch_size: int) -> tuple[int, int]:
    """Add a finished shard's articles that are not stored yet; returns (articles in shard, added)."""
    ids = article_ids(folder)
    stored = store.existing_ids(ids)  # one shard's ids, never every stored id
    if stored.issuperset(ids):
        return len(ids), 0
    added = 0
    for batch in read_shard(folder, batch_size):
        added += store.add_extractions([ex for ex in batch if ex.article.id not in stored])
    return len(ids), added


class BatchRun:
    """One ``rashomon batch`` call."""

    def __init__(self, settings: Settings, out: Path, engine: Engine, report: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self.out = out
        self.engine = engine
        self.report = report or (lambda msg: print(msg, file=sys.stderr))
        self.summary = BatchSummary()
        self.config = marker.config_of(settings)

    def run(self, inputs: Iterable[str | Path], shard_records: int = 0, files_per_shard: int = 200) -> BatchSummary:
        shards, errors = plan(inputs, shard_records, files_per_shard)
        for error in errors:
            self._fail(str(error))
        shards_root(self.out).mkdir(parents=True, exist_ok=True)
        self.summary.shards = len(shards)
        runner = Runner(self.settings, report=self.report)
        try:
            todo = self._load_finished(runner.store, shards)
            for result in self.engine.map(WorkerSpec(self.settings, self.out), todo):
                self._finish(runner.store, result)
            runner.reconcile()
            self.summary.run.counts = runner.store.counts()
        finally:
            runner.close()
        return self.summary

    def _load_finished(self, store: Store, shards: list[Shard]) -> list[Shard]:
        """Load the shards a valid marker says are finished; return the others (to be done)."""
        todo = []
        for shard in shards:
            folder = shards_root(self.out) / shard.key
            body = marker.valid(folder, shard, self.config)
            if body is None:
                todo.append(shard)
                continue
            self.summary.skipped += 1
            counts = body.get("counts", {})
            self._load(store, folder, int(counts.get("read", 0)), int(counts.get("errors", 0)), int(counts.get("warnings", 0)))
            if counts.get("errors"):
                self.report(f"shard {shard.key}: {counts['errors']} record error(s) in {folder / 'errors.jsonl'}")
        return todo

    def _finish(self, store: Store, result: ShardResult) -> None:
        self.summary.workers.add(result.worker)
        for message in result.messages:
            self.report(f"error: {message}")
        if not result.ok:
            self.summary.failed_shards += 1
            self.summary.run.failed += 1
            self.summary.run.errors.extend(result.messages)
            return
        self.summary.done += 1
        self.summary.run.errors.extend(result.messages)
        self._load(store, shards_root(self.out) / result.key, result.counts.get("read", 0), result.errors, result.warnings)
        if not self.settings.quiet:
            self.report(f"shard {result.key}: {result.counts.get('articles', 0)} articles, "
                        f"{result.counts.get('claims', 0)} claims, {result.errors} errors, {result.seconds:.1f}s")

    def _load(self, store: Store, folder: Path, read: int, errors: int, warnings: int) -> None:
        """Load a finished shard into the database and add its figures to the summary."""
        run = self.summary.run
        stored, added = load_shard(store, folder, self.settings.batch_size)
        run.read += read
        run.added += added
        run.already_stored += stored - added
        run.failed += errors
        run.warnings += warnings

    def _fail(self, message: str) -> None:
        self.summary.run.failed += 1
        self.summary.run.errors.append(message)
        self.report(f"error: {message}")


def run_batch(inputs: Iterable[str | Path], out: Path, settings: Settings, engine: Engine,
              shard_records: int = 0, files_per_shard: int = 200) -> BatchSummary:
    """Extract ``inputs`` shard by shard on ``engine`` into ``out`` and the settings' database, then reconcile."""
    return BatchRun(settings, out, engine).run(inputs, shard_records, files_per_shard)
