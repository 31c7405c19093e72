"""SHA-256 of the shipped models' files, checked once per process before a model is loaded.

Why: the spaCy pipeline and the stance network are binary files that decide every claim and stance we
export. A corrupted download, a half-finished copy or a swapped package would change results without a
word, so ``data/model_hashes.json`` records the digest of each file (and the spaCy package's version) and a
load refuses a model that differs, naming the file, both hashes and how to reinstall it.
``RASHOMON_SKIP_MODEL_CHECK=1`` loads anyway, with a logged warning.

After changing a shipped model on purpose (``bench/train_stance.py``, a new spaCy package pin) record the new
digests with ``python -m rashomon.model_hashes --write``; ``python -m rashomon.model_hashes`` checks them.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rashomon.config import SPACY_MODEL

log = logging.getLogger(__name__)

MANIFEST = Path(__file__).resolve().parent / "data" / "model_hashes.json"
SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "models"
SKIP_ENV = "RASHOMON_SKIP_MODEL_CHECK"
STANCE = "stance"
STANCE_FILES = ("stance.npz",)
SHIPPED_MODELS = (SPACY_MODEL, STANCE)

__all__ = ["MANIFEST", "SKIP_ENV", "STANCE", "ModelIntegrityError", "ModelRecord", "ensure_model",
           "file_sha256", "installed_root", "load_manifest", "record_model", "verify", "write_manifest"]


class ModelIntegrityError(RuntimeError):
    """A shipped model file is missing, altered, or the model is another version than the one recorded."""


@dataclass(frozen=True, slots=True)
class ModelRecord:
    """What ``model_hashes.json`` holds for one model: paths relative to the model's folder -> SHA-256."""

    name: str
    version: str | None  # the spaCy package's meta.json version; None for a file shipped inside rashomon
    files: dict[str, str] = field(default_factory=dict)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in large blocks (15 MB of models hash in a few tens of ms)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def installed_root(name: str) -> Path:
    """The folder model ``name`` is loaded from: rashomon's data/models, or the spaCy package's folder."""
    if name == STANCE:
        return SHIPPED_DIR
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModelIntegrityError(f"model package {name!r} is not installed. {_reinstall_hint(name, None)}")
    return Path(spec.origin).resolve().parent


def _package_version(root: Path) -> str | None:
    """The version a spaCy package declares in its meta.json (what spaCy itself reports)."""
    try:
        return str(json.loads((root / "meta.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def _model_files(name: str, root: Path) -> list[str]:
    """Every file a model consists of, as sorted relative POSIX paths (bytecode caches left out)."""
    if name == STANCE:
        return list(STANCE_FILES)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def record_model(name: str, root: Path | None = None) -> ModelRecord:
    """Hash model ``name`` as installed (or the copy at ``root``): what ``--write`` records."""
    root = root or installed_root(name)
    version = None if name == STANCE else _package_version(root)
    return ModelRecord(name, version, {rel: file_sha256(root / rel) for rel in _model_files(name, root)})


def _reinstall_hint(name: str, version: str | None) -> str:
    """How to get a pristine copy back, for the error message."""
    if name == STANCE:
        fix = ("reinstall rashomon (pip install --force-reinstall --no-deps rashomon; in a source checkout, "
               "restore src/rashomon/data/models/ from the repository)")
    else:
        pin = f"=={version}" if version else ""
        fix = f"reinstall the package: pip install --force-reinstall --no-deps '{name.replace('_', '-')}{pin}'"
    return (f"To fix it, {fix}. If you changed the model on purpose, record it with "
            f"'python -m rashomon.model_hashes --write'; {SKIP_ENV}=1 loads it unchecked.")


def _mismatches(record: ModelRecord, root: Path) -> list[str]:
    """One line per recorded file that is missing or differs under ``root``."""
    lines = []
    for rel, expected in sorted(record.files.items()):
        path = root / rel
        actual = file_sha256(path) if path.is_file() else "missing"
        if actual != expected:
            lines.append(f"  {path}\n    expected sha256 {expected}\n    actual   sha256 {actual}")
    return lines


def verify(record: ModelRecord, root: Path) -> None:
    """Raise ModelIntegrityError unless every recorded file under ``root`` has its recorded hash."""
    if record.version is not None:
        found = _package_version(root)
        if found != record.version:
            raise ModelIntegrityError(
                f"model {record.name} at {root} is version {found}, rashomon expects {record.version}. "
                f"{_reinstall_hint(record.name, record.version)}")
    bad = _mismatches(record, root)
    if bad:
        raise ModelIntegrityError(
            f"model {record.name} at {root}: {len(bad)} file(s) differ from the recorded SHA-256 "
            f"({MANIFEST.name}):\n" + "\n".join(bad) + f"\n{_reinstall_hint(record.name, record.version)}")


@cache
def load_manifest(path: Path = MANIFEST) -> dict[str, ModelRecord]:
    """The recorded models by name."""
    raw = json.loads(path.read_text(encoding="utf-8"))["models"]
    return {name: ModelRecord(name, r.get("version"), dict(r["files"])) for name, r in raw.items()}


def _skipped() -> bool:
    """True when the user asked to load models unchecked."""
    return os.environ.get(SKIP_ENV, "").strip().lower() not in ("", "0", "false", "no")


def ensure_model(name: str, root: Path | None = None) -> bool:
    """Check model ``name`` (at ``root``, default where it is installed) once per process.

    Returns True when checked and intact, False when not checked (skipped by the environment, or a model
    rashomon does not ship and so has no record); raises ModelIntegrityError on a mismatch.
    """
    if _skipped():
        log.warning("%s is set: model %s is loaded without checking its files against %s", SKIP_ENV, name,
                    MANIFEST.name)
        return False
    if name not in load_manifest():
        log.debug("model %s is not one rashomon ships; its files are not checked", name)
        return False
    _verify_once(name, str((root or installed_root(name)).resolve()))
    return True


@cache
def _verify_once(name: str, root: str) -> None:
    """Hash a model's files once per process (a failure is not cached, so it is raised again)."""
    verify(load_manifest()[name], Path(root))


def write_manifest(path: Path = MANIFEST, names: Iterable[str] = SHIPPED_MODELS) -> dict[str, ModelRecord]:
    """Record the installed models' digests in ``path`` (sorted, stable JSON for small diffs)."""
    records = {name: record_model(name) for name in names}
    doc = {"about": "SHA-256 of the shipped models' files; regenerate: python -m rashomon.model_hashes --write",
           "models": {n: {"version": r.version, "files": r.files} for n, r in records.items()}}
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    load_manifest.cache_clear()
    _verify_once.cache_clear()
    return records


def _check_all(records: Mapping[str, ModelRecord]) -> int:
    """Verify every recorded model as installed; print one line each. The exit status."""
    status = 0
    for name, record in records.items():
        try:
            verify(record, installed_root(name))
            print(f"ok  {name} ({len(record.files)} files)")
        except ModelIntegrityError as exc:
            print(f"BAD {exc}", file=sys.stderr)
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    """``python -m rashomon.model_hashes [--write]``: check the installed models, or record them."""
    parser = argparse.ArgumentParser(prog="python -m rashomon.model_hashes", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"record the installed models in {MANIFEST}")
    args = parser.parse_args(argv)
    if args.write:
        for name, record in write_manifest().items():
            print(f"recorded {name} {record.version or ''} ({len(record.files)} files) in {MANIFEST}")
        return 0
    return _check_all(load_manifest())


if __name__ == "__main__":
    raise SystemExit(main())
