"""Write the six contract files as JSON Lines, every record validated before it is written.

Files are written to temporary names and renamed only when every record passed, so a failed
export never leaves a half-written contract file behind.
"""

from __future__ import annotations

import json
import os
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, Protocol

from rashomon.export.contract import KINDS, iter_records
from rashomon.export.validate import validate_record
from rashomon.records import Extraction, Reconciled


class RecordSource(Protocol):
    """What the exporters need from a store."""

    def iter_extractions(self) -> Any: ...
    def load_reconciled(self) -> Reconciled: ...


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


def export_jsonl(store: RecordSource, out_dir: Path | str) -> dict[str, int]:
    """Write ``<kind>.jsonl`` for every contract kind; returns records written per kind."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    finals = {k: out / f"{k}.jsonl" for k in KINDS}
    counts = {k: 0 for k in KINDS}
    try:
        with ExitStack() as stack:
            files: dict[str, IO[str]] = {
                k: stack.enter_context(_tmp(p).open("w", encoding="utf-8", newline="\n")) for k, p in finals.items()
            }
            exs: Any = store.iter_extractions()
            for kind, record in iter_records(exs, store.load_reconciled()):
                validate_record(kind, record)
                files[kind].write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
                counts[kind] += 1
    except BaseException:
        for p in finals.values():
            _tmp(p).unlink(missing_ok=True)
        raise
    for p in finals.values():
        os.replace(_tmp(p), p)
    return counts


def records_of(exs: list[Extraction], rec: Reconciled) -> RecordSource:
    """Wrap in-memory records as a RecordSource (export without a database)."""

    class _Mem:
        def iter_extractions(self) -> Any:
            return iter(exs)

        def load_reconciled(self) -> Reconciled:
            return rec

    return _Mem()
