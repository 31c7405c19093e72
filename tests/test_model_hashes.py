"""The shipped models are checked against model_hashes.json: intact copies load, altered ones are refused."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from rashomon import model_hashes
from rashomon.config import SPACY_MODEL
from rashomon.model_hashes import (
    MANIFEST,
    SKIP_ENV,
    STANCE,
    ModelIntegrityError,
    ensure_model,
    file_sha256,
    installed_root,
    load_manifest,
    verify,
    write_manifest,
)
from rashomon.reconcile import stance

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = f"{SPACY_MODEL}-{load_manifest()[SPACY_MODEL].version}/ner/model"


@pytest.fixture(autouse=True)
def _checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with the check on, whatever the developer's shell says."""
    monkeypatch.delenv(SKIP_ENV, raising=False)


@pytest.fixture()
def spacy_copy(tmp_path: Path) -> Path:
    """A private copy of the installed spaCy package, safe to damage."""
    return Path(shutil.copytree(installed_root(SPACY_MODEL), tmp_path / SPACY_MODEL,
                                ignore=shutil.ignore_patterns("__pycache__")))


def _flip_byte(path: Path, offset: int = 1000) -> None:
    """Change one byte in the middle of a file (same size: a size check alone would not see it)."""
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_installed_models_pass() -> None:
    assert ensure_model(SPACY_MODEL) is True
    assert ensure_model(STANCE) is True


def test_manifest_covers_the_models_as_installed(tmp_path: Path) -> None:
    """The committed JSON is what --write produces now: every file recorded, none stale."""
    write_manifest(tmp_path / "model_hashes.json")
    assert (tmp_path / "model_hashes.json").read_text(encoding="utf-8") == MANIFEST.read_text(encoding="utf-8")
    data = WEIGHTS.split("/")[0]
    assert {"meta.json", f"{data}/config.cfg", f"{data}/meta.json", f"{data}/tok2vec/model", WEIGHTS} <= set(
        load_manifest()[SPACY_MODEL].files)
    assert load_manifest()[STANCE].files == {"stance.npz": file_sha256(stance.MODEL_PATH)}


def test_recorded_version_is_the_pinned_package() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pinned = {canonicalize_name(r.name): r.specifier for r in map(Requirement, deps)}
    assert str(pinned[canonicalize_name(SPACY_MODEL)]) == f"=={load_manifest()[SPACY_MODEL].version}"


def test_an_untouched_copy_passes(spacy_copy: Path) -> None:
    assert ensure_model(SPACY_MODEL, root=spacy_copy) is True


def test_altered_weights_are_refused_with_file_hashes_and_fix(spacy_copy: Path) -> None:
    target = spacy_copy / WEIGHTS
    expected = load_manifest()[SPACY_MODEL].files[WEIGHTS]
    _flip_byte(target)
    with pytest.raises(ModelIntegrityError) as err:
        ensure_model(SPACY_MODEL, root=spacy_copy)
    message = str(err.value)
    assert str(target) in message
    assert expected in message and file_sha256(target) in message
    assert "pip install --force-reinstall" in message and SKIP_ENV in message
    assert message.count("expected sha256") == 1  # only the altered file is named


def test_a_missing_file_is_refused(spacy_copy: Path) -> None:
    (spacy_copy / WEIGHTS).unlink()
    with pytest.raises(ModelIntegrityError, match="actual   sha256 missing"):
        verify(load_manifest()[SPACY_MODEL], spacy_copy)


def test_another_package_version_is_refused(spacy_copy: Path) -> None:
    meta = spacy_copy / "meta.json"
    recorded = load_manifest()[SPACY_MODEL].version
    meta.write_text(meta.read_text(encoding="utf-8").replace(f'"version":"{recorded}"', '"version":"0.0.1"')
                    .replace(f'"version": "{recorded}"', '"version": "0.0.1"'), encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match=r"version 0\.0\.1, rashomon expects"):
        verify(load_manifest()[SPACY_MODEL], spacy_copy)


def test_altered_stance_model_is_refused_by_the_stance_loader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stance loader checks the shipped file; here the 'shipped' folder is a damaged copy."""
    shutil.copy(stance.MODEL_PATH, tmp_path / "stance.npz")
    _flip_byte(tmp_path / "stance.npz", offset=5000)
    monkeypatch.setattr(model_hashes, "SHIPPED_DIR", tmp_path)
    with pytest.raises(ModelIntegrityError, match="stance.npz"):
        stance._load.__wrapped__(str(stance.MODEL_PATH))


def test_a_model_of_your_own_is_not_checked(tmp_path: Path) -> None:
    assert ensure_model(str(tmp_path / "my_pipeline")) is False


def test_skip_env_loads_unchecked_with_a_warning(spacy_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    _flip_byte(spacy_copy / WEIGHTS)
    monkeypatch.setenv(SKIP_ENV, "1")
    with caplog.at_level(logging.WARNING, logger="rashomon.model_hashes"):
        assert ensure_model(SPACY_MODEL, root=spacy_copy) is False
    assert SKIP_ENV in caplog.text
    monkeypatch.setenv(SKIP_ENV, "0")
    with pytest.raises(ModelIntegrityError):
        ensure_model(SPACY_MODEL, root=spacy_copy)


def test_checking_both_models_is_cheap() -> None:
    """About 15 MB; ~0.05 s on the 2-core machine. The bound leaves room for a loaded machine."""
    records = load_manifest()
    start = time.perf_counter()
    for name in (SPACY_MODEL, STANCE):
        verify(records[name], installed_root(name))
    assert time.perf_counter() - start < 1.0


def _load_nlp_in_a_process(packages: Path, skip: bool) -> subprocess.CompletedProcess[str]:
    """load_nlp in a fresh interpreter that finds the package copy under ``packages`` first."""
    env = {k: v for k, v in os.environ.items() if k != SKIP_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(packages), env.get("PYTHONPATH", "")])
    if skip:
        env[SKIP_ENV] = "1"
    code = (f"from rashomon.extract.pipeline import load_nlp; nlp = load_nlp({SPACY_MODEL!r}); "
            "print([t.pos_ for t in nlp('The army denied it.')])")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300,
                          check=False)


@pytest.mark.slow
def test_load_nlp_refuses_an_altered_package_and_skip_env_loads_it(tmp_path: Path) -> None:
    """End to end: spaCy would import the damaged package copy; load_nlp stops first, unless told to skip."""
    copy = Path(shutil.copytree(installed_root(SPACY_MODEL), tmp_path / "site" / SPACY_MODEL,
                                ignore=shutil.ignore_patterns("__pycache__")))
    readme = next(copy.glob("*/README.md"))  # harmless to spaCy, so the skipped load still works
    readme.write_text(readme.read_text(encoding="utf-8") + "\nchanged\n", encoding="utf-8")
    refused = _load_nlp_in_a_process(tmp_path / "site", skip=False)
    assert refused.returncode != 0
    assert "ModelIntegrityError" in refused.stderr and str(readme) in refused.stderr
    loaded = _load_nlp_in_a_process(tmp_path / "site", skip=True)
    assert loaded.returncode == 0, loaded.stderr
    assert "VERB" in loaded.stdout and SKIP_ENV in loaded.stderr
