"""Run pip-audit over requirements/ci.lock and turn its outcome into CI's verdict (used by .ci/audit).

Why a wrapper: pip-audit exits 1 both for "vulnerable" and for "could not reach the vulnerability
service", and exits 0 when it could audit nothing at all. CI must fail on a found vulnerability, must not
fail because a service was down, and must say loudly when nothing was audited.
Run with the interpreter of the throwaway venv that holds pip-audit: python .ci/audit_report.py LOCK
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Known vulnerabilities we accept, each with its reason; passed as --ignore-vuln ID. Empty: none found
# in our pins. Add "ID": "why it does not affect rashomon / why no fixed version can be used" entries.
IGNORED_VULNS: dict[str, str] = {}

# Tried in order: PyPI's per-release advisory data (also checks our hashes), then OSV's.
SERVICES = ("pypi", "osv")
# Signs in pip-audit's output that the service, not our pins, failed.
NETWORK_ERRORS = ("ConnectionError", "ConnectTimeout", "ReadTimeout", "NameResolutionError", "Max retries",
                  "Temporary failure in name resolution", "ServiceError", "503 Server Error", "502 Server Error")


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one pip-audit run means for CI: exit status, and the lines to print."""

    status: int  # 0 pass (maybe with a warning), 1 fail
    audited: bool  # False: the service could not tell us anything; try the next one
    lines: tuple[str, ...]


def _vulnerable(report: dict[str, Any]) -> list[str]:
    """One line per vulnerability found: package, version, id, fixed versions."""
    return [f"{dep['name']} {dep.get('version', '?')}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or []) or 'no release yet'})"
            for dep in report.get("dependencies", []) for v in dep.get("vulns") or []]


def judge(returncode: int, report: dict[str, Any] | None, output: str, service: str) -> Verdict:
    """Classify one run: vulnerabilities fail; an unreachable service or nothing audited only warns."""
    if report is None:
        if any(sign in output for sign in NETWORK_ERRORS):
            return Verdict(0, False, (f"WARNING: vulnerability service '{service}' unreachable; not audited",))
        return Verdict(1, True, (f"pip-audit failed (exit {returncode}) without a report:", output[-2000:]))
    found = _vulnerable(report)
    if found:
        advice = ("Upgrade the pin in constraints.txt and run bash requirements/compile, "
                  "or add a reasoned entry to IGNORED_VULNS in .ci/audit_report.py.")
        return Verdict(1, True, (f"pip-audit ({service}): {len(found)} known vulnerabilities:", *found, advice))
    deps = report.get("dependencies", [])
    skipped = [f"{d['name']}: {d['skip_reason']}" for d in deps if d.get("skip_reason")]
    if deps and len(skipped) == len(deps):
        warning = (f"WARNING: vulnerability service '{service}' answered for none of {len(deps)} packages "
                   "(unreachable or blocked); not audited")
        return Verdict(0, False, (warning,))
    lines = [f"pip-audit ({service}): no known vulnerabilities in {len(deps) - len(skipped)} audited packages"]
    lines += [f"WARNING: not audited: {s}" for s in skipped]
    return Verdict(0, True, tuple(lines))


def run_service(lock: Path, service: str) -> Verdict:
    """One pip-audit run over the hashed lock (pins only, no resolver, no install)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "pip_audit", "--requirement", str(lock), "--require-hashes", "--disable-pip",
               "--vulnerability-service", service, "--timeout", "20", "--progress-spinner", "off",
               "--format", "json", "--output", str(out)]
        cmd += [arg for vuln in IGNORED_VULNS for arg in ("--ignore-vuln", vuln)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        try:
            report = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            report = None
    return judge(proc.returncode, report, proc.stdout + proc.stderr, service)


PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


def pins(lock: Path) -> list[tuple[str, str]]:
    """(name, version) of every ``name==version`` line of a lock."""
    return PIN.findall(lock.read_text(encoding="utf-8"))


def _latest(name: str) -> dict[str, Any] | None:
    """PyPI's project JSON (latest release and its advisories), or None when unreachable."""
    try:
        with urllib.request.urlopen(PROJECT_JSON.format(name=name), timeout=20) as resp:  # noqa: S310 (fixed https URL)
            return json.load(resp)
    except (OSError, ValueError):
        return None


def judge_latest(found: dict[tuple[str, str], dict[str, Any] | None]) -> Verdict:
    """Pins at their latest release are audited with the advisories PyPI lists for that release; older pins
    cannot be (PyPI lists advisories per project only for the latest release) and are named in a warning."""
    answered = {k: v for k, v in found.items() if v is not None}
    if not answered:
        return Verdict(0, False, ("WARNING: PyPI project data unreachable; not audited",))
    vulns, older = [], []
    for (name, version), data in sorted(answered.items()):
        latest = str(data.get("info", {}).get("version", ""))
        if latest != version:
            older.append(f"{name} {version} (latest {latest})")
            continue
        vulns += [f"{name} {version}: {v.get('id')} (fixed in {', '.join(v.get('fixed_in') or []) or 'no release yet'})"
                  for v in data.get("vulnerabilities") or [] if v.get("id") not in IGNORED_VULNS]
    if vulns:
        return Verdict(1, True, (f"PyPI advisories: {len(vulns)} known vulnerabilities:", *vulns))
    lines = [f"PyPI advisories (latest releases): no known vulnerabilities in {len(answered) - len(older)} pins"]
    lines += [f"WARNING: not audited (pin older than the latest release): {o}" for o in older]
    lines += [f"WARNING: not audited (no answer): {n} {v}" for (n, v), d in found.items() if d is None]
    return Verdict(0, True, tuple(lines))


def run_latest(lock: Path) -> Verdict:
    """The fallback when pip-audit's services cannot be reached: PyPI's project JSON, one request a pin."""
    wanted = pins(lock)
    with ThreadPoolExecutor(max_workers=8) as pool:
        data = list(pool.map(_latest, [name for name, _ in wanted]))
    return judge_latest(dict(zip(wanted, data)))


def main(argv: list[str]) -> int:
    """Audit with the first service that answers; warn (exit 0) when none does."""
    lock = Path(argv[0] if argv else "requirements/ci.lock")
    for service in SERVICES:
        verdict = run_service(lock, service)
        print("\n".join(verdict.lines), flush=True)
        if verdict.audited:
            return verdict.status
    verdict = run_latest(lock)
    print("\n".join(verdict.lines), flush=True)
    if verdict.audited:
        return verdict.status
    print("WARNING: dependencies NOT audited: no vulnerability service could be reached (see above)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
