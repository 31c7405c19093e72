"""One shard, start to finish, on whichever worker the engine picked.

The worker reads the shard's records with the ingest readers, extracts them in batches with the same
``Extractor`` and error isolation as ``analyze``, and streams each batch into Parquet files in a
temporary directory. Only when every record is written does it add the ``_SUCCESS`` marker and rename
the directory into place, so a killed worker leaves a temporary directory (removed by the next
attempt) and never a shard that looks finished.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rashomon.analyze import extract_isolated
from rashomon.batch import marker
from rashomon.batch.shards import Shard, read_shard_input
from rashomon.batch.tables import ShardWriter
from rashomon.config import Settings
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.records import Article

ERRORS = "errors.jsonl"
MAX_REPORTED = 20  # error lines a result carries back; the shard's errors.jsonl has them all


@dataclass(slots=True)
class ShardResult:
    """What a worker sends back: small, whatever the shard's size."""

    key: str
    ok: bool
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    messages: list[str] = field(default_factory=list)
    seconds: float = 0.0
    worker: str = ""  # host:pid of the worker that ran it (one model load per worker, many shards)


def shards_root(out: Path) -> Path:
    return out / "shards"


@dataclass(slots=True)
class _Log:
    """The shard's errors file plus the few lines the result carries."""

    fh: IO[str]
    result: ShardResult

    def add(self, source: str, message: str, line: int | None = None, warning: bool = False) -> None:
        self.fh.write(json.dumps({"source": source, "line": line, "message": message, "warning": warning}) + "\n")
        if warning:
            self.result.warnings += 1
            return
        self.result.errors += 1
        if len(self.result.messages) < MAX_REPORTED:
            where = f"{source}:{line}" if line is not None else source
            self.result.messages.append(f"{where}: {message}")


class ShardWorker:
    """Built once per worker process (the spaCy pipeline loads once), then called once per shard."""

    def __init__(self, settings: Settings, out: Path) -> None:
        from rashomon.extract import gazetteer
        from rashomon.extract.pipeline import Extractor

        gazetteer.configure(list(settings.gazetteers))
        self.settings = settings
        self.root = shards_root(out)
        self.config = marker.config_of(settings)
        self.extractor = Extractor(settings)
        self.options = ReadOptions(field_map=dict(settings.field_map), fetch=False)

    def __call__(self, shard: Shard) -> ShardResult:
        started = time.perf_counter()
        result = ShardResult(shard.key, ok=False, worker=f"{socket.gethostname()}:{os.getpid()}")
        tmp = self.root / f".{shard.key}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            self._clear_attempts(shard)
            tmp.mkdir(parents=True)
            self._run(shard, tmp, result)
            result.ok = True
        except Exception as exc:  # noqa: BLE001 - one failing shard never stops the others
            shutil.rmtree(tmp, ignore_errors=True)
            result.messages.append(f"shard {shard.key} failed: {type(exc).__name__}: {exc}")
        result.seconds = time.perf_counter() - started
        return result

    def _clear_attempts(self, shard: Shard) -> None:
        """Remove what killed attempts left: temporary directories and an unfinished shard directory."""
        for stale in self.root.glob(f".{shard.key}.tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        final = self.root / shard.key
        if final.exists() and marker.valid(final, shard, self.config) is None:
            shutil.rmtree(final)

    def _run(self, shard: Shard, tmp: Path, result: ShardResult) -> None:
        stats = marker.stat_inputs(shard)
        writer = ShardWriter(tmp)
        with (tmp / ERRORS).open("w", encoding="utf-8") as fh:
            log = _Log(fh, result)
            try:
                read = self._extract_all(shard, writer, log)
            finally:
                writer.close()
        if marker.stat_inputs(shard) != stats:
            raise RuntimeError("an input changed while it was read; run again")
        result.counts = {"read": read, **writer.counts}
        marker.write(tmp, shard, stats, {**result.counts, "errors": result.errors, "warnings": result.warnings}, self.config)
        _sync(tmp)
        os.replace(tmp, self.root / shard.key)

    def _extract_all(self, shard: Shard, writer: ShardWriter, log: _Log) -> int:
        """Stream records -> batches -> Parquet; memory follows the batch size. Returns records read."""
        seen: set[str] = set()  # the same record twice in a shard is written once, as analyze stores it once
        batch: list[Article] = []
        read = 0
        for item in read_shard_input(shard, self.options):
            if isinstance(item, IngestError):
                log.add(item.source, item.message, item.line, item.warning)
                continue
            read += 1
            if item.id in seen:
                continue
            seen.add(item.id)
            batch.append(item)
            if len(batch) >= self.settings.batch_size:
                self._flush(batch, writer, log)
        self._flush(batch, writer, log)
        return read

    def _flush(self, batch: list[Article], writer: ShardWriter, log: _Log) -> None:
        if batch:
            writer.write(extract_isolated(self.extractor, batch, lambda message: log.add("extract", message)))
            batch.clear()


def _sync(folder: Path) -> None:
    """Flush the shard's files to disk before the rename publishes them (a machine crash must not leave a
    marker in front of files the kernel never wrote)."""
    for path in folder.iterdir():
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    """Picklable recipe for a ShardWorker: engines ship it to each worker process and call it there."""

    settings: Settings
    out: Path

    def __call__(self) -> Any:
        return ShardWorker(self.settings, self.out)
