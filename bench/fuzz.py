"""Coverage-guided fuzzing (atheris) of every input parser and extractor, one target at a time.

Usage: python bench/fuzz.py [TARGET ...] [--seconds 60 | --runs N] [--record FILE]

Each target is ``bench/fuzz_targets/<target>.py`` (its ``check(data)`` is what the regression test
``tests/fuzz/test_fuzz_regressions.py`` replays). A target runs in a subprocess under libFuzzer for
``--seconds`` (or ``--runs`` inputs), its working corpus kept under ``~/.cache/rashomon-fuzz/<target>/``
and seeded from ``tests/fixtures`` (never from benchmark data). A crash or hang is copied to
``tests/fixtures/fuzz/<target>/`` and the target restarts where it stopped, told to pass over the
bugs already found (one signature per bug), until its time is spent. The table printed at the end
says, per target, the inputs tried, the coverage edges, the bugs found and how many of the kept
inputs pass now (fixed). Needs ``pip install atheris``; the regression test does not.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
TARGETS = REPO / "bench" / "fuzz_targets"
FIXTURES = REPO / "tests" / "fixtures" / "fuzz"
WORK = Path(os.environ.get("RASHOMON_FUZZ_DIR", Path.home() / ".cache" / "rashomon-fuzz"))
MAX_LEN = {
    "extract_quotes": 2048,
    "extract_quantities": 600,
    "extract_dates": 600,
    "extract_article": 800,
}
MAX_RESTARTS = 25
_STAT = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+)", re.MULTILINE)
_UNITS = re.compile(r"stat::number_executed_units:\s*(\d+)")
_ARTIFACT = re.compile(r"Test unit written to (\S+)")
sys.path.insert(0, str(TARGETS))
from _fuzz_common import load_target


@dataclass(slots=True)
class Result:
    """What one target's campaign did."""

    target: str
    seconds: float = 0.0
    runs: int = 0
    edges: int = 0
    features: int = 0
    bugs: list[str] = field(default_factory=list)  # signatures, one per distinct bug
    kept: int = 0  # inputs under tests/fixtures/fuzz/<target>/
    passing: int = 0  # of those, how many the current code handles


def available_targets() -> list[str]:
    return sorted(p.stem for p in TARGETS.glob("*.py") if not p.name.startswith("_"))


def seed_corpus(name: str, corpus: Path) -> None:
    """The target's own seeds (built from tests/fixtures) and the inputs kept from earlier campaigns."""
    corpus.mkdir(parents=True, exist_ok=True)
    seeds = list(load_target(name).seeds())
    kept = sorted((FIXTURES / name).glob("*")) if (FIXTURES / name).is_dir() else []
    for data in seeds + [p.read_bytes() for p in kept]:
        (corpus / f"seed-{hashlib.sha1(data).hexdigest()[:16]}").write_bytes(data)


def fuzz_target(name: str, seconds: int, runs: int | None) -> Result:
    """Run one target until its time (or run count) is spent, restarting after every new bug."""
    result = Result(name)
    work = WORK / name
    corpus, artifacts = work / "corpus", work / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    seed_corpus(name, corpus)
    signatures = work / "signatures.txt"
    signatures.write_text("", encoding="utf-8")
    env = dict(os.environ, RASHOMON_FUZZ_SIGNATURES=str(signatures))
    deadline = time.monotonic() + seconds
    for _ in range(MAX_RESTARTS):
        left = int(deadline - time.monotonic())
        if left < 5 or (runs is not None and result.runs >= runs):
            break
        budget = [f"-runs={runs - result.runs}"] if runs is not None else []
        cmd = [
            sys.executable, str(TARGETS / f"{name}.py"), f"-max_total_time={left}", *budget,
            f"-max_len={MAX_LEN.get(name, 4096)}", "-timeout=10", "-rss_limit_mb=4096",
            "-print_final_stats=1", f"-artifact_prefix={artifacts}/", str(corpus),
        ]  # fmt: skip
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", env=env, check=False)
        result.seconds += time.monotonic() - started
        _add_stats(result, proc.stderr)
        if proc.returncode == 0:
            break
        if not _keep_artifact(name, proc.stderr):
            sys.stderr.write(proc.stderr[-3000:])
            break
    result.bugs = [s for s in signatures.read_text(encoding="utf-8").splitlines() if s.strip()]
    return result


def _add_stats(result: Result, log: str) -> None:
    """Inputs tried (executed units) and coverage of one libFuzzer run."""
    units = _UNITS.findall(log)
    stats = _STAT.findall(log)
    result.runs += int(units[-1]) if units else (int(stats[-1][0]) if stats else 0)
    if stats:
        result.edges = max(result.edges, int(stats[-1][1]))
        result.features = max(result.features, int(stats[-1][2]))


def _keep_artifact(name: str, log: str) -> bool:
    """Copy the crashing (or hanging) input into the fixtures; False when the run left none."""
    found = _ARTIFACT.findall(log)
    if not found or not Path(found[-1]).exists():
        return False
    src = Path(found[-1])
    dest = FIXTURES / name
    dest.mkdir(parents=True, exist_ok=True)
    kind = src.name.split("-", 1)[0]  # crash / timeout / oom
    shutil.copyfile(src, dest / f"{kind}-{hashlib.sha1(src.read_bytes()).hexdigest()[:12]}")
    return True


def replay(result: Result) -> None:
    """How many kept inputs of the target the current code handles (the regression test's check)."""
    folder = FIXTURES / result.target
    files = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    module = load_target(result.target)
    result.kept = len(files)
    result.passing = sum(_passes(module, path.read_bytes()) for path in files)


def _passes(module: ModuleType, data: bytes) -> bool:
    """True when the target's check accepts ``data`` (a kept input that still fails is not fixed)."""
    try:
        module.check(data)
    except Exception:  # noqa: BLE001 - any failure, whatever its kind, means "not fixed"
        return False
    return True


def table(results: list[Result]) -> str:
    """Markdown table of the campaign, as the README shows it."""
    rows = [
        "| target | seconds | inputs tried | coverage edges | bugs found | kept inputs passing now |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows.append(f"| {r.target} | {r.seconds:.0f} | {r.runs:,} | {r.edges} | {len(r.bugs)} | {r.passing}/{r.kept} |")
    total = sum(r.runs for r in results)
    rows.append(f"| **all** | {sum(r.seconds for r in results):.0f} | {total:,} | | "
                f"{sum(len(r.bugs) for r in results)} | |")  # fmt: skip
    bugs = [f"- {r.target}: {b}" for r in results for b in r.bugs]
    return "\n".join(rows + ([""] + ["Bugs (exception and where):"] + bugs if bugs else []))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("targets", nargs="*", help=f"default: all of {', '.join(available_targets())}")
    ap.add_argument("--seconds", type=int, default=60, help="time per target (default 60)")
    ap.add_argument("--runs", type=int, default=None, help="stop a target after this many inputs")
    ap.add_argument("--record", type=Path, default=None, help="also write the table to this file")
    ap.add_argument("--replay-only", action="store_true", help="no fuzzing: replay the kept inputs")
    args = ap.parse_args(argv)
    names = args.targets or available_targets()
    unknown = sorted(set(names) - set(available_targets()))
    if unknown:
        ap.error(f"unknown targets: {', '.join(unknown)}")
    results: list[Result] = []
    for name in names:  # one at a time: the machine is shared
        result = Result(name) if args.replay_only else fuzz_target(name, args.seconds, args.runs)
        replay(result)
        results.append(result)
        print(f"{name}: {result.runs:,} inputs, {len(result.bugs)} bugs, {result.passing}/{result.kept} kept pass",
              flush=True)  # fmt: skip
    out = table(results)
    print(out)
    if args.record:
        args.record.write_text(out + "\n", encoding="utf-8")
    return 0 if all(r.passing == r.kept for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
