"""The main job: ingest -> extract -> store, batch by batch, then reconcile what is new.

Reconciling starts from the stories already stored, so articles added by a later run join them
(or found new ones) without moving the old ones; only the stories they touch are loaded, derived
again and rewritten (``reconcile/incremental.py``), so a run costs what its new articles cost.

Each batch of articles is committed in one transaction together with everything extracted from it,
so an interrupted run leaves only whole articles behind, and the next run skips what is stored and
resumes. Bad input never stops the run: each failure is reported with its file (and line) and
counted in the summary.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from rashomon.config import Settings
from rashomon.ingest import iter_articles
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.records import Article, Extraction

if TYPE_CHECKING:
    from rashomon.extract.pipeline import Extractor

log = logging.getLogger(__name__)
RECONCILE_ATTEMPTS = 3  # runs racing on one store: each retry reads what the others wrote


def extract_isolated(extractor: Extractor, batch: Sequence[Article], fail: Callable[[str], None]) -> list[Extraction]:
    """Extract a batch; if the batch fails, retry one by one so only the bad article is lost (``fail``
    hears why). Shared by ``analyze`` and the shard workers of ``rashomon batch``."""
    try:
        return list(extractor.extract(batch))
    except Exception:  # noqa: BLE001 - isolate the article that breaks extraction
        out = []
        for article in batch:
            try:
                out.extend(extractor.extract([article]))
            except Exception as exc:  # noqa: BLE001
                fail(f"{article.source}: extraction failed: {type(exc).__name__}: {exc}")
        return out


@dataclass
class Summary:
    """What a run did, for the closing lines and the exit code."""

    read: int = 0
    added: int = 0
    already_stored: int = 0
    failed: int = 0
    warnings: int = 0
    errors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def lines(self) -> list[str]:
        c = self.counts
        return [
            f"articles read: {self.read}, added: {self.added}, already stored: {self.already_stored}, "
            f"failed: {self.failed}, warnings: {self.warnings}",
            f"database: {c.get('articles', 0)} articles ({c.get('duplicates', 0)} duplicates), "
            f"{c.get('stories', 0)} stories, {c.get('claims', 0)} claims, {c.get('entities', 0)} entities, "
            f"{c.get('events', 0)} incidents, {c.get('disputes', 0)} disputes",
        ]


class Runner:
    """Holds the store and the (lazily loaded) extractor for one or more analyze calls."""

    def __init__(self, settings: Settings, report: Callable[[str], None] | None = None) -> None:
        from rashomon.extract import gazetteer
        from rashomon.store.db import Store

        self.settings = settings
        self.store = Store(settings.db_url)
        self._extractor = None
        self.report = report or (lambda msg: tqdm.write(msg, file=sys.stderr))
        gazetteer.configure(list(settings.gazetteers))

    @property
    def extractor(self):  # type: ignore[no-untyped-def]
        if self._extractor is None:
            from rashomon.extract.pipeline import Extractor

            self._extractor = Extractor(self.settings)
        return self._extractor

    def _extract(self, batch: Sequence[Article], summary: Summary) -> list[Extraction]:
        return extract_isolated(self.extractor, batch, lambda message: self._fail(summary, message))

    def _fail(self, summary: Summary, message: str) -> None:
        summary.failed += 1
        summary.errors.append(message)
        self.report(f"error: {message}")

    def _flush(self, batch: list[Article], summary: Summary) -> None:
        """Extract and store the articles of ``batch`` the store does not hold yet (asked for these ids
        only, so memory follows the batch, not the store); a record seen twice in a batch counts once."""
        if not batch:
            return
        stored = self.store.existing_ids([a.id for a in batch])
        fresh: dict[str, Article] = {}
        for article in batch:
            if article.id in stored or article.id in fresh:
                summary.already_stored += 1
            else:
                fresh[article.id] = article
        batch.clear()
        if fresh:
            summary.added += self.store.add_extractions(self._extract(list(fresh.values()), summary))

    def ingest(self, paths: Iterable[str | Path], summary: Summary) -> None:
        options = ReadOptions(field_map=dict(self.settings.field_map), fetch=self.settings.fetch)
        self.ingest_items(iter_articles(paths, options), summary)

    def ingest_items(self, stream: Iterable[Article | IngestError], summary: Summary) -> None:
        """Extract and store what a reader yields (``rashomon watch`` passes only a feed's new entries).
        Stored ids are checked a batch at a time (``_flush``): the same record twice in one run is stored once."""
        batch: list[Article] = []
        items = tqdm(stream, desc="articles", unit="art", disable=self.settings.quiet, file=sys.stderr)
        for item in items:
            if isinstance(item, IngestError):
                if item.warning:  # the input was read; this only flags it (e.g. decoded as cp1252)
                    summary.warnings += 1
                    self.report(str(item))
                else:
                    self._fail(summary, str(item))
                continue
            summary.read += 1
            batch.append(item)
            if len(batch) >= self.settings.batch_size:
                self._flush(batch, summary)
        self._flush(batch, summary)

    def reconcile(self) -> None:
        """Fold the articles in no story yet into the stored view, oldest first and ``reconcile_chunk`` at a
        time (each chunk joins the stories the chunks before it made), so memory follows the chunk, not the run."""
        pending = self.store.unreconciled_ids()
        step = max(1, self.settings.reconcile_chunk)
        for i in range(0, len(pending), step):
            self._reconcile_chunk(pending[i : i + step])

    def _reconcile_chunk(self, ids: list[str]) -> None:
        """One incremental reconcile; loads and writes only what ``ids`` touch."""
        from rashomon.reconcile import related_links
        from rashomon.reconcile.incremental import reconcile_new
        from rashomon.store.incremental import StaleDelta

        for attempt in range(RECONCILE_ATTEMPTS):
            if not ids:
                return
            delta = reconcile_new(self.store, self.store.load_extractions(ids), self.settings)
            try:
                self.store.save_delta(delta, relate=related_links)
                return
            except StaleDelta as exc:  # another run wrote first: read again what it left
                if attempt + 1 == RECONCILE_ATTEMPTS:
                    raise
                log.info("reconcile again: %s", exc)
                still = set(self.store.unreconciled_ids())
                ids = [i for i in ids if i in still]

    def run(self, paths: Iterable[str | Path]) -> Summary:
        summary = Summary()
        self.ingest(paths, summary)
        self.reconcile()
        summary.counts = self.store.counts()
        return summary

    def close(self) -> None:
        self.store.close()


def analyze(paths: Iterable[str | Path], settings: Settings | None = None) -> Summary:
    """Ingest, extract and reconcile ``paths`` into the settings' database."""
    runner = Runner(settings or Settings())
    try:
        return runner.run(paths)
    finally:
        runner.close()
