"""The hashed locks, constraints.txt, pyproject.toml, CI and the README tell the same story.

Why: a dependency added to pyproject but not to the lock breaks the clean-machine install only in CI;
a lock line without a hash lets pip take any file; constraints.txt drifting from the lock means the user
install and the tested install differ; and the audit wrapper must fail on a vulnerability but not on a
network outage.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
REQS = ROOT / "requirements"
LOCKS = sorted(REQS.glob("*.lock"))
CI_LOCK = REQS / "ci.lock"
CI_EXTRAS = ("test", "postgres", "train", "distributed")
NOT_IN_CI = ("fuzz",)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


def _entries(path: Path) -> list[str]:
    """Requirement entries of a requirements file, continuation lines joined, comments dropped."""
    text = "\n".join(line.split(" #")[0] if not line.lstrip().startswith("#") else ""
                     for line in path.read_text(encoding="utf-8").splitlines())
    return [e.strip() for e in text.replace("\\\n", " ").splitlines() if e.strip()]


def _pins(path: Path) -> dict[str, str]:
    """Canonical name -> pinned version of every entry."""
    pins: dict[str, str] = {}
    for entry in _entries(path):
        match = PIN.match(entry)
        assert match, f"{path.name}: not an exact pin: {entry[:80]}"
        pins[canonicalize_name(match.group(1))] = match.group(3)
    return pins


def _extras(*extras: str) -> list[Requirement]:
    """The requirements of pyproject's optional ``extras``."""
    optional = PYPROJECT["project"]["optional-dependencies"]
    return [Requirement(r) for extra in extras for r in optional[extra]]


def _requirements(*extras: str) -> list[Requirement]:
    """pyproject's runtime dependencies plus those of ``extras``."""
    return [Requirement(r) for r in PYPROJECT["project"]["dependencies"]] + _extras(*extras)


def test_there_are_locks_for_ci_and_its_tools() -> None:
    assert {p.name for p in LOCKS} >= {"ci.lock", "audit.lock", "pip.lock", "uv.lock"}


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_every_lock_entry_is_pinned_with_sha256_hashes(lock: Path) -> None:
    entries = _entries(lock)
    assert entries
    for entry in entries:
        assert PIN.match(entry), f"{lock.name}: not an exact pin: {entry[:80]}"
        assert HASH.search(entry), f"{lock.name}: no --hash=sha256: for {entry.split()[0]}"
        assert all(HASH.fullmatch(tok) for tok in entry.split() if tok.startswith("--hash")), entry[:80]


def test_every_dependency_ci_installs_is_locked_at_an_allowed_version() -> None:
    locked = _pins(CI_LOCK)
    for req in _requirements(*CI_EXTRAS):
        name = canonicalize_name(req.name)
        assert name in locked, f"{req} is in pyproject.toml but not in requirements/ci.lock: bash requirements/compile"
        assert Version(locked[name]) in req.specifier, f"ci.lock pins {name}=={locked[name]}, pyproject says {req}"


def test_the_build_backend_is_locked_for_the_no_isolation_install() -> None:
    locked = _pins(CI_LOCK)
    for req in map(Requirement, PYPROJECT["build-system"]["requires"]):
        assert Version(locked[canonicalize_name(req.name)]) in req.specifier


def test_extras_ci_does_not_install_stay_out_of_the_ci_lock_but_are_pinned() -> None:
    locked, constrained = _pins(CI_LOCK), _pins(ROOT / "constraints.txt")
    assert set(PYPROJECT["project"]["optional-dependencies"]) == set(CI_EXTRAS) | set(NOT_IN_CI)
    for req in _extras(*NOT_IN_CI):
        name = canonicalize_name(req.name)
        assert name not in locked
        assert Version(constrained[name]) in req.specifier


def test_constraints_and_ci_lock_agree() -> None:
    locked, constrained = _pins(CI_LOCK), _pins(ROOT / "constraints.txt")
    assert {n: v for n, v in locked.items() if constrained.get(n) != v} == {}
    assert set(constrained) - set(locked) <= {canonicalize_name(r.name) for r in _extras(*NOT_IN_CI)}


def test_compile_script_locks_exactly_the_ci_extras() -> None:
    script = (REQS / "compile").read_text(encoding="utf-8")
    ci_line = next(line for line in script.replace("\\\n", " ").splitlines() if "ci.lock" in line and "compile " in line)
    assert sorted(re.findall(r"--extra (\w+)", ci_line)) == sorted(CI_EXTRAS)
    assert "--generate-hashes" in ci_line and "-c constraints.txt" in ci_line


def test_ci_runs_the_readme_test_command_and_the_audit() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    command = run[run.index("# The README's test command:") + 1]
    assert f"\n{command}\n" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert command.startswith("pip install --require-hashes -r requirements/ci.lock && ")
    assert "--no-deps -e ." in command
    assert "bash .ci/audit" in run
    assert "python -m pip install --quiet --require-hashes -r requirements/pip.lock" in run


@cache
def _audit_module() -> ModuleType:
    """.ci/audit_report.py, which is a script, not part of the package (registered: its dataclass needs that)."""
    spec = importlib.util.spec_from_file_location("rashomon_ci_audit_report", ROOT / ".ci" / "audit_report.py")
    assert spec and spec.loader
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_audit_fails_on_a_vulnerability() -> None:
    audit = _audit_module()
    report = {"dependencies": [{"name": "six", "version": "1.17.0", "vulns": []},
                               {"name": "urllib3", "version": "2.8.0",
                                "vulns": [{"id": "GHSA-aaaa-bbbb-cccc", "fix_versions": ["2.8.1"]}]}]}
    verdict = audit.judge(1, report, "", "pypi")
    assert verdict.status == 1 and verdict.audited
    assert any("urllib3 2.8.0: GHSA-aaaa-bbbb-cccc (fixed in 2.8.1)" in line for line in verdict.lines)


def test_audit_passes_a_clean_report_and_names_skipped_packages() -> None:
    audit = _audit_module()
    report = {"dependencies": [{"name": "six", "version": "1.17.0", "vulns": []},
                               {"name": "local-thing", "skip_reason": "not on PyPI"}]}
    verdict = audit.judge(0, report, "", "pypi")
    assert (verdict.status, verdict.audited) == (0, True)
    assert any(line.startswith("WARNING: not audited: local-thing") for line in verdict.lines)


@pytest.mark.parametrize("report, output", [
    (None, "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev'): Max retries exceeded"),
    ({"dependencies": [{"name": "six", "skip_reason": "Dependency not found on PyPI"}]}, ""),
])
def test_audit_only_warns_when_no_service_answers(report: dict[str, object] | None, output: str) -> None:
    verdict = _audit_module().judge(1 if report is None else 0, report, output, "osv")
    assert (verdict.status, verdict.audited) == (0, False)
    assert verdict.lines[0].startswith("WARNING:")


def test_audit_fails_when_pip_audit_breaks_for_another_reason() -> None:
    verdict = _audit_module().judge(2, None, "error: unrecognized arguments: --bogus", "pypi")
    assert (verdict.status, verdict.audited) == (1, True)


def test_every_accepted_vulnerability_says_why() -> None:
    for vuln, reason in _audit_module().IGNORED_VULNS.items():
        assert re.fullmatch(r"(GHSA|PYSEC|CVE|OSV)-[\w-]+", vuln) and len(reason.split()) >= 5, (vuln, reason)


def _project(latest: str, *vulns: str) -> dict[str, object]:
    return {"info": {"version": latest}, "vulnerabilities": [{"id": v, "fixed_in": ["9.9"]} for v in vulns]}


def test_fallback_audit_fails_on_an_advisory_for_a_pinned_latest_release() -> None:
    verdict = _audit_module().judge_latest({("six", "1.17.0"): _project("1.17.0"),
                                            ("urllib3", "2.8.0"): _project("2.8.0", "GHSA-aaaa-bbbb-cccc")})
    assert (verdict.status, verdict.audited) == (1, True)
    assert any("urllib3 2.8.0: GHSA-aaaa-bbbb-cccc" in line for line in verdict.lines)


def test_fallback_audit_names_pins_it_cannot_audit() -> None:
    verdict = _audit_module().judge_latest({("six", "1.17.0"): _project("1.17.0"),
                                            ("numpy", "2.4.6"): _project("2.5.5", "GHSA-only-latest"),
                                            ("gone", "1.0"): None})
    assert (verdict.status, verdict.audited) == (0, True)
    assert "no known vulnerabilities in 1 pins" in verdict.lines[0]
    assert any("older than the latest release): numpy 2.4.6 (latest 2.5.5)" in line for line in verdict.lines)
    assert any("no answer): gone 1.0" in line for line in verdict.lines)


def test_fallback_audit_only_warns_when_pypi_is_unreachable() -> None:
    verdict = _audit_module().judge_latest({("six", "1.17.0"): None})
    assert (verdict.status, verdict.audited) == (0, False)


def test_fallback_audit_reads_every_pin_of_the_lock() -> None:
    pins = dict(_audit_module().pins(ROOT / "requirements" / "ci.lock"))
    lock = (ROOT / "requirements" / "ci.lock").read_text(encoding="utf-8")
    pinned = [line for line in lock.splitlines() if line[:1].isalpha() and "==" in line]
    assert len(pins) == len(pinned) and pins.get("spacy", "").startswith("3.8")
