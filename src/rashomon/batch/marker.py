"""The ``_SUCCESS`` marker: a shard is finished exactly when its directory holds a valid one.

The marker is written inside the temporary directory before the directory is renamed into place, so
a shard directory either has it or was left by something else (an older tool, a hand copy) and is
redone. It records the counts, the inputs' size, mtime and SHA-256 (not for line ranges of one large
file), and the extraction settings: a rerun trusts a shard only while its inputs and settings are
unchanged (a file that was only touched keeps its shard when its hash still matches).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rashomon import __version__
from rashomon.batch.shards import Shard
from rashomon.config import Settings

MARKER = "_SUCCESS"


@dataclass(frozen=True, slots=True)
class InputStat:
    path: str
    size: int
    mtime_ns: int


def stat_inputs(shard: Shard) -> list[InputStat]:
    """Size and mtime of the shard's inputs (raises OSError when one is gone)."""
    out = []
    for name in shard.files:
        st = Path(name).stat()
        out.append(InputStat(name, st.st_size, st.st_mtime_ns))
    return out


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def config_of(settings: Settings) -> dict[str, Any]:
    """What the shard's content depends on besides its inputs."""
    return {
        "spacy_model": settings.spacy_model,
        "extract_stages": list(settings.extract_stages),
        "field_map": dict(sorted(settings.field_map.items())),
        "gazetteers": [str(g) for g in settings.gazetteers],
    }


def write(folder: Path, shard: Shard, stats: list[InputStat], counts: dict[str, int], config: dict[str, Any]) -> None:
    # A line range of a large file skips the hash: every range would read the whole file again.
    inputs = [{**asdict(s), "sha256": None if shard.ranged else sha256(s.path)} for s in stats]
    body = {"key": shard.key, "range": [shard.start, shard.stop] if shard.ranged else None,
            "inputs": inputs, "counts": counts, "config": config, "rashomon": __version__}
    (folder / MARKER).write_text(json.dumps(body, indent=1), encoding="utf-8")


def read(folder: Path) -> dict[str, Any] | None:
    try:
        body = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def valid(folder: Path, shard: Shard, config: dict[str, Any]) -> dict[str, Any] | None:
    """The marker of a finished shard whose inputs and settings are unchanged; None: redo the shard."""
    body = read(folder)
    if body is None or body.get("key") != shard.key or body.get("config") != config:
        return None
    recorded = body.get("inputs") or []
    if [r.get("path") for r in recorded] != list(shard.files):
        return None
    try:
        current = stat_inputs(shard)
    except OSError:
        return None
    for rec, now in zip(recorded, current):
        if rec.get("size") != now.size:
            return None
        if rec.get("mtime_ns") != now.mtime_ns and (rec.get("sha256") is None or rec["sha256"] != sha256(now.path)):
            return None
    return body
