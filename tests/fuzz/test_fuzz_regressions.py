"""Every input the fuzzers found (``tests/fixtures/fuzz/<target>/``) replayed through its target's
``check``, the code the atheris harness runs; atheris itself is not needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_support import REPO, TARGETS, target

FOUND = REPO / "tests" / "fixtures" / "fuzz"
CASES = sorted(p for p in FOUND.glob("*/*") if p.is_file())


def test_every_fixture_folder_is_a_target() -> None:
    targets = {p.stem for p in TARGETS.glob("*.py") if not p.name.startswith("_")}
    folders = {p.name for p in FOUND.iterdir() if p.is_dir()}
    assert folders <= targets, folders - targets
    assert CASES, "the fuzzers' findings are kept here"


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_found_input_is_handled(path: Path) -> None:
    target(path.parent.name).check(path.read_bytes())
