"""The web app under concurrent clients while an ingest writes to the same store (issue 7, "Load").

Why: a newsroom runs ``rashomon analyze`` (or ``watch``) on the database its analysts are browsing. This
measures what they see meanwhile: the real ``rashomon serve`` runs as a subprocess on a free loopback port
over a store of ``--n`` articles (cloned in bulk by bench/web_load.py; ``--db`` reuses one), and ``wrk``
(``.ci/wrk`` installs Debian's) sends ``-c`` connections from ``-t`` threads through a URL mix read from the
store (stories list pages and sorts, place / actor / outlet / date / event-type filters, searches, story,
actor and outlet pages, ``/api/...``, the CSS; bench/wrk/mix.lua rotates through it and prints JSON).

Scenarios: ``idle`` (wrk alone for ``-d`` seconds), then ``during ingest`` (``rashomon analyze`` of ``--m``
GVC / ECB+ texts from the benchmark dir into the same store; wrk runs from its start until it exits), and
the same ingest alone on a snapshot of the store taken before, for its articles/s without web load.
Errors = non-2xx responses + socket errors (connect, read, write, timeout after ``--timeout``).

    python bench/load.py                                 # 10,000 articles, 16 connections, 30 s, 300 texts
    python bench/load.py --n 2000 -d 10 --m 40           # quick
    python bench/load.py --db /tmp/web_100000.db         # a store built before (bench/web_load.py --workdir)

Latency is wrk's: from writing a request to reading its response, open loop per connection (a slow
response delays that connection's next request, so p99 under overload is understated, not inflated).

Measured (2 CPU cores shared with other engineers' jobs; wrk -c 16 -t 2, 30 s idle; 300 GVC / ECB+ texts):
10,000 articles (store built in 18 s, 0.35 GB; load average 2.2 before, 7.7 after): idle 26.5 req/s,
p50 / p90 / p99 535 / 1081 / 1802 ms, 0 errors; during the ingest 22.6 req/s, 630 / 1303 / 2060 ms, 0 errors;
ingest 8.07 art/s alone, 2.75 under web load. 100,000 articles (built in 476 s, 3.56 GB; load average 7-19):
idle 3.3 req/s, p50 / p99 1.9 / 24.6 s, 0 errors; during the ingest 4.0 req/s, 1.6 / 25.2 s, 186 timeouts
(> 30 s) of 6,414 = 2.9%, no 5xx; ingest 1.18 art/s alone, 0.19 under load. Slowest route there: actor
pages (1.3-9.3 s each: the clones share their entities, so a top actor has ~100k claims).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import web_load

from rashomon.web.queries import PAGE_SIZE

LUA = Path(__file__).resolve().parent / "wrk" / "mix.lua"
MARK = "WRK_JSON "
SOCKET_ERRORS = ("connect", "read", "write", "timeout")
WORD = re.compile(r"[A-Za-z]{5,}")
# How often each kind of request occurs in the mix (per 100): browsing dominates, the API is a minority.
WEIGHTS = {"list": 18, "filter": 16, "search": 10, "story": 20, "actor": 5, "outlet": 4,
           "api list": 7, "api story": 10, "api other": 5, "static": 5}


def bench_root() -> Path:
    return Path(os.environ.get("RASHOMON_BENCH_DIR") or Path.home() / ".cache" / "rashomon-bench")


def wrk_path() -> str | None:
    """The wrk binary, or None (``bash .ci/wrk`` installs it on Debian)."""
    return shutil.which("wrk")


# ---------------------------------------------------------------- the URL mix, read from the store


@dataclass(slots=True)
class StoreValues:
    """Values the mix's URLs are built from, so every id, name and filter exists in the store."""

    stories: list[str]
    pages: int
    places: list[str]
    actors: list[tuple[str, str]]  # (id, name)
    outlets: list[str]
    event_types: list[str]
    first: date
    last: date
    words: list[str]


def _column(conn: sqlite3.Connection, sql: str, *args: object) -> list[str]:
    return [str(r[0]) for r in conn.execute(sql, args) if r[0] is not None]


def _day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value[:10]) if value else default
    except ValueError:
        return default


def store_values(db: Path, sample: int = 300, seed: int = 7) -> StoreValues:
    """Up to ``sample`` stories (a seeded draw: the same mix on every run over a store) and the most
    mentioned places, actors and outlets of the store."""
    conn = sqlite3.connect(db)
    try:
        stories = conn.execute("SELECT id, title FROM stories ORDER BY seq").fetchall()
        drawn = random.Random(seed).sample(stories, min(sample, len(stories)))
        lo, hi = conn.execute("SELECT min(published), max(published) FROM articles").fetchone()
        actors = [(str(i), str(n)) for i, n in conn.execute(
            "SELECT id, name FROM entities WHERE type != 'place' ORDER BY mentions DESC, id LIMIT ?", (sample,))]
        return StoreValues(
            stories=[str(i) for i, _ in drawn],
            pages=max(1, -(-len(stories) // PAGE_SIZE)),
            places=_column(conn, "SELECT name FROM entities WHERE type = 'place' ORDER BY mentions DESC, id LIMIT ?",
                           sample),
            actors=actors,
            outlets=_column(conn, "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet "
                                  "ORDER BY count(*) DESC, outlet LIMIT ?", sample),
            event_types=_column(conn, "SELECT DISTINCT event_type FROM events WHERE event_type IS NOT NULL "
                                      "ORDER BY event_type"),
            first=_day(lo, date.today()), last=_day(hi, date.today()),
            words=sorted({w.lower() for _, t in drawn for w in WORD.findall(t or "")}),
        )
    finally:
        conn.close()


def _q(**params: object) -> str:
    return urllib.parse.urlencode(params)


def _path(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


def _window(v: StoreValues, rng: random.Random) -> tuple[str, str]:
    span = max(1, (v.last - v.first).days)
    start = v.first + timedelta(days=rng.randrange(span))
    return start.isoformat(), (start + timedelta(days=rng.choice((7, 30, 90)))).isoformat()


def _list(v: StoreValues, rng: random.Random) -> str:
    page = rng.choice((1, 1, 2, 3, rng.randint(1, v.pages)))
    sort = rng.choice(("newest", "newest", "disputed"))
    return "/?" + _q(sort=sort, page=page) if page > 1 or sort != "newest" else "/"


def _filter(v: StoreValues, rng: random.Random) -> str:
    options: list[dict[str, object]] = [{"disputed": 1}]
    options += [{"place": rng.choice(v.places)}] if v.places else []
    options += [{"actor": rng.choice(v.actors)[1]}] if v.actors else []
    options += [{"outlet": rng.choice(v.outlets)}] if v.outlets else []
    options += [{"event_type": rng.choice(v.event_types)}] if v.event_types else []
    frm, to = _window(v, rng)
    options.append({"from": frm, "to": to})
    params = rng.choice(options)
    if rng.random() < 0.3:  # a second filter on top, as people narrow down
        params = {**rng.choice(options), **params}
    return "/?" + urllib.parse.urlencode(params)


def _search(v: StoreValues, rng: random.Random) -> str:
    words = v.words or ["attack"]
    q = " ".join(rng.sample(words, k=min(len(words), rng.choice((1, 1, 2)))))
    return ("/api/search?" if rng.random() < 0.3 else "/?") + _q(q=q)


def _api_other(v: StoreValues, rng: random.Random) -> str:
    choices = [f"/api/actors/{_path(rng.choice(v.actors)[0])}"] if v.actors else []
    choices += [f"/api/outlets/{_path(rng.choice(v.outlets))}"] if v.outlets else []
    return rng.choice(choices or ["/api/stories"])


MAKERS: dict[str, Callable[[StoreValues, random.Random], str]] = {
    "list": _list,
    "filter": _filter,
    "search": _search,
    "story": lambda v, rng: f"/stories/{_path(rng.choice(v.stories))}",
    "actor": lambda v, rng: f"/actors/{_path(rng.choice(v.actors)[0])}",
    "outlet": lambda v, rng: f"/outlets/{_path(rng.choice(v.outlets))}",
    "api list": lambda v, rng: "/api/stories" + ("?" + _q(page=rng.randint(2, v.pages)) if v.pages > 1 and rng.random() < 0.5 else ""),
    "api story": lambda v, rng: f"/api/stories/{_path(rng.choice(v.stories))}",
    "api other": _api_other,
    "static": lambda v, rng: "/static/app.css",
}


def url_mix(v: StoreValues, n: int = 1000, seed: int = 7) -> list[tuple[str, str]]:
    """``n`` (kind, path) requests drawn by WEIGHTS; kinds the store cannot fill (no actors...) are left out."""
    rng = random.Random(seed)
    present = {"story": bool(v.stories), "api story": bool(v.stories), "actor": bool(v.actors),
               "outlet": bool(v.outlets)}
    kinds = [k for k in WEIGHTS if present.get(k, True)]
    drawn = rng.choices(kinds, weights=[WEIGHTS[k] for k in kinds], k=n)
    return [(k, MAKERS[k](v, rng)) for k in drawn]


# ---------------------------------------------------------------- wrk


@dataclass(slots=True)
class WrkResult:
    """What one wrk run measured (latencies in seconds)."""

    requests: int
    seconds: float
    status: dict[str, int]
    socket: dict[str, int]
    p50: float
    p90: float
    p99: float
    max: float

    @property
    def errors(self) -> int:
        """Non-2xx responses plus socket errors: every request a user would see fail."""
        return sum(n for k, n in self.status.items() if k != "2xx") + sum(self.socket.values())

    @property
    def error_rate(self) -> float:
        return self.errors / max(1, self.requests + self.socket["connect"])

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_wrk(output: str) -> WrkResult:
    """The JSON line bench/wrk/mix.lua's done() prints."""
    line = next((ln for ln in output.splitlines() if ln.startswith(MARK)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no {MARK.strip()} line:\n{output[-2000:]}")
    d = json.loads(line[len(MARK):])
    lat = d["latency_us"]
    return WrkResult(requests=d["requests"], seconds=d["duration_us"] / 1e6, status=d["status"],
                     socket={k: d["errors"][k] for k in SOCKET_ERRORS}, p50=lat["p50"] / 1e6,
                     p90=lat["p90"] / 1e6, p99=lat["p99"] / 1e6, max=lat["max"] / 1e6)


@dataclass(slots=True)
class Load:
    """How hard wrk pushes."""

    connections: int = 16
    threads: int = 2
    duration: float = 30.0
    timeout: float = 30.0

    def command(self, wrk: str, url: str, paths: Path, duration: float | None = None) -> list[str]:
        seconds = max(1, round(duration if duration is not None else self.duration))
        return [wrk, "--latency", "-c", str(self.connections), "-t", str(min(self.threads, self.connections)),
                "-d", f"{seconds}s", "--timeout", f"{max(1, round(self.timeout))}s", "-s", str(LUA), url, "--",
                str(paths)]


def write_paths(mix: Sequence[tuple[str, str]], out: Path) -> Path:
    """The request paths, one a line, for mix.lua."""
    out.write_text("".join(p + "\n" for _, p in mix), encoding="utf-8")
    return out


def run_wrk(wrk: str, url: str, paths: Path, load: Load) -> WrkResult:
    """One wrk run of ``load.duration`` seconds."""
    done = subprocess.run(load.command(wrk, url, paths), check=False, capture_output=True, text=True,
                          timeout=load.duration + load.timeout + 60)
    return parse_wrk(done.stdout + done.stderr)


def wrk_while(wrk: str, url: str, paths: Path, load: Load, writer: subprocess.Popen[bytes], cap: float) -> WrkResult:
    """wrk from now until ``writer`` exits (at most ``cap`` seconds): SIGINT makes wrk stop and report."""
    proc = subprocess.Popen(load.command(wrk, url, paths, duration=cap), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        writer.wait(timeout=cap)
    except subprocess.TimeoutExpired:
        pass
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=load.timeout + 60)
    return parse_wrk(out)


# ---------------------------------------------------------------- the server and the ingest


def rashomon() -> list[str]:
    """The ``rashomon`` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("rashomon")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from rashomon.cli import main; main()"]


@lru_cache(maxsize=1)
def serve_options() -> tuple[str, ...]:
    """Extra ``rashomon serve`` options for a load test: the per-client rate limit off (wrk is one client
    address making thousands of requests), where the CLI has one."""
    help_text = subprocess.run([*rashomon(), "serve", "--help"], check=False, capture_output=True, text=True).stdout
    return ("--rate-limit", "0") if "--rate-limit" in help_text else ()


def serve_env() -> dict[str, str]:
    """This environment without RASHOMON_TOKEN: a token set there would make loopback requests need it."""
    return {k: v for k, v in os.environ.items() if k != "RASHOMON_TOKEN"}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/static/app.css", timeout=5) as r:
            return bool(r.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def serving(db: Path, ready_s: float = 300) -> Iterator[str]:
    """``rashomon serve`` over ``db`` on a free loopback port, as a subprocess; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen([*rashomon(), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port),
                             *serve_options()], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=serve_env())
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_s
        while not _up(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"rashomon serve did not start: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ingest_corpus(root: Path, m: int, out: Path) -> Path:
    """``m`` benchmark texts (GVC and ECB+ alternating, those present) as one JSON Lines file, outside the repo."""
    sources = [iter(_docs(root / "gvc" / "docs.jsonl", "content")), iter(_docs(root / "ecbplus" / "docs.jsonl", "text"))]
    rows: list[dict[str, object]] = []
    while len(rows) < m and sources:
        for it in list(sources):
            row = next(it, None)
            if row is None:
                sources.remove(it)
            elif len(rows) < m:
                rows.append(row)
    if not rows:
        raise SystemExit(f"no GVC or ECB+ texts under {root} (run ../shared/benchmarks/unpack)")
    out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return out


def _docs(path: Path, text_key: str) -> Iterator[dict[str, object]]:
    if not path.exists():
        return
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            text = d.get(text_key)
            if isinstance(text, str) and text.strip() and text not in seen:
                seen.add(text)
                yield {"text": text, "title": d.get("title"), "published": d.get("dct"), "url": d.get("uri")}


@dataclass(slots=True)
class Ingest:
    """One ``rashomon analyze`` run: articles it stored and its wall time (model loading included)."""

    added: int
    seconds: float
    rc: int
    output: str = field(repr=False, default="")

    @property
    def rate(self) -> float:
        return self.added / self.seconds if self.seconds else 0.0

    @property
    def note(self) -> str:
        return "" if self.rc == 0 else f" (stopped or failed: rc {self.rc})"


@dataclass(slots=True)
class Analyzing:
    """A running ``rashomon analyze``; its output goes to a file (a pipe nobody reads could block it)."""

    proc: subprocess.Popen[bytes]
    log: Path
    db: Path
    before: int  # articles in the store when it started
    started: float


def count_articles(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def start_analyze(db: Path, inputs: Sequence[Path], log: Path) -> Analyzing:
    before = count_articles(db)
    with log.open("wb") as fh:
        proc = subprocess.Popen([*rashomon(), "analyze", *map(str, inputs), "--db", str(db), "--quiet"],
                                stdout=fh, stderr=subprocess.STDOUT)
    return Analyzing(proc, log, db, before, time.perf_counter())


def finish_analyze(run: Analyzing, timeout: float | None = None) -> Ingest:
    """Waits for the ingest; one still running after ``timeout`` seconds is stopped and counted as far as it
    got (analyze commits a batch at a time, so the store holds every finished batch)."""
    try:
        run.proc.wait(timeout)
    except subprocess.TimeoutExpired:
        run.proc.terminate()
        run.proc.wait()
    seconds = time.perf_counter() - run.started
    out = run.log.read_text(encoding="utf-8", errors="replace")
    return Ingest(count_articles(run.db) - run.before, seconds, run.proc.returncode, out)


def snapshot(db: Path, out: Path) -> Path:
    """A consistent copy of a SQLite store (the backup API: safe with WAL and readers)."""
    src, dst = sqlite3.connect(db), sqlite3.connect(out)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return out


def remove_store(db: Path) -> None:
    """A SQLite file and its WAL companions."""
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------- report


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def table(rows: Sequence[tuple[str, WrkResult, Ingest | None]]) -> str:
    """The Markdown table of the scenarios (latency in ms)."""
    lines = ["| scenario | requests | req/s | errors | error rate | p50 | p90 | p99 | max | ingest art/s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r, ing in rows:
        lines.append(f"| {name} | {r.requests:,} | {r.rate:.1f} | {r.errors} | {100 * r.error_rate:.2f}% | "
                     f"{r.p50 * 1e3:.0f} ms | {r.p90 * 1e3:.0f} ms | {r.p99 * 1e3:.0f} ms | {r.max * 1e3:.0f} ms | "
                     f"{f'{ing.rate:.2f}{ing.note}' if ing else '-'} |")
    return "\n".join(lines)


def detail(name: str, r: WrkResult) -> str:
    status = ", ".join(f"{k} {v}" for k, v in r.status.items())
    socket = ", ".join(f"{k} {v}" for k, v in r.socket.items())
    return f"  {name}: {r.seconds:.1f} s; responses {status}; socket errors {socket}"


def mix_summary(mix: Sequence[tuple[str, str]]) -> str:
    counts: dict[str, int] = {}
    for kind, _ in mix:
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{k} {n}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))


# ---------------------------------------------------------------- main


def build_store(n: int, work: Path) -> Path:
    """A synthetic store of about ``n`` articles (bench/web_load.py's clone of the analysed demo corpus)."""
    t0 = time.perf_counter()
    db = work / f"web_{n}.db"
    web_load.clone(web_load.build_base(work), db, n)
    print(f"built {db} in {time.perf_counter() - t0:.0f} s ({db.stat().st_size / 1e9:.2f} GB)", flush=True)
    return db


def run_scenarios(db: Path, work: Path, args: argparse.Namespace, wrk: str) -> None:
    """Idle load, the ingest alone on a snapshot, then load during the same ingest on the store itself."""
    values = store_values(db)
    mix = url_mix(values)
    paths = write_paths(mix, work / "paths.txt")
    print(f"URL mix ({len(mix)} paths, rotated): {mix_summary(mix)}")
    corpus = ingest_corpus(args.bench, args.m, work / "ingest.jsonl")
    before = snapshot(db, work / "before-ingest.db")
    load = Load(args.connections, args.threads, args.duration, args.timeout)
    print(f"load: wrk -c {load.connections} -t {load.threads} -d {load.duration:.0f}s --timeout "
          f"{load.timeout:.0f}s; serve options: {' '.join(serve_options()) or '(none)'}", flush=True)
    rows: list[tuple[str, WrkResult, Ingest | None]] = []
    with serving(db) as url:
        print(f"load average before: {load_average()}", flush=True)
        rows.append(("idle", run_wrk(wrk, url, paths, load), None))
        print(detail("idle", rows[-1][1]), flush=True)
        alone = finish_analyze(start_analyze(before, [corpus], work / "analyze-alone.log"), args.max_ingest_s)
        remove_store(before)
        print(f"  ingest alone: {alone.added} articles in {alone.seconds:.1f} s = {alone.rate:.2f} art/s "
              f"{alone.note}", flush=True)
        ingest = start_analyze(db, [corpus], work / "analyze-loaded.log")
        loaded = wrk_while(wrk, url, paths, load, ingest.proc, args.max_ingest_s)
        under = finish_analyze(ingest, timeout=1)  # wrk waited for it up to the same cap
        rows.append((f"during ingest of {args.m}", loaded, under))
        print(detail(rows[-1][0], loaded), flush=True)
        print(f"  ingest under load: {under.added} articles in {under.seconds:.1f} s = {under.rate:.2f} art/s "
              f"{under.note}", flush=True)
        print(f"load average after: {load_average()}")
    print()
    print(f"Machine: {os.cpu_count()} CPU cores shared with other work; server, wrk and analyze on the same cores.")
    print(table(rows))
    print(f"\ningest articles/s (wall time of `rashomon analyze`, model loading included): "
          f"alone {alone.rate:.2f}, under web load {under.rate:.2f}")
    if under.rc or alone.rc:
        print(f"analyze failed:\n{under.output[-2000:]}\n{alone.output[-2000:]}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="articles in the synthetic store")
    ap.add_argument("--db", type=Path, help="an existing store to load (SQLite; it grows by the ingest)")
    ap.add_argument("--workdir", type=Path, help="where to build and keep files (default: a temp dir, removed after)")
    ap.add_argument("--m", type=int, default=300, help="benchmark texts the concurrent `rashomon analyze` ingests")
    ap.add_argument("--bench", type=Path, default=bench_root(), help="unpacked benchmark root (GVC, ECB+)")
    ap.add_argument("-c", "--connections", type=int, default=16)
    ap.add_argument("-t", "--threads", type=int, default=2)
    ap.add_argument("-d", "--duration", type=float, default=30.0, help="seconds of the idle run")
    ap.add_argument("--timeout", type=float, default=30.0, help="a response slower than this is a socket error")
    ap.add_argument("--max-ingest-s", type=float, default=900.0,
                    help="seconds an ingest may run; one still running then is stopped and counted so far")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    wrk = wrk_path()
    if wrk is None:
        raise SystemExit("wrk not found: run `bash .ci/wrk` (installs Debian's wrk) first")
    tmp = None if args.workdir else tempfile.TemporaryDirectory(prefix="rashomon-load-")
    work = Path(tmp.name) if tmp else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    try:
        db = args.db or build_store(args.n, work)
        conn = sqlite3.connect(db)
        n, stories = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "stories"))
        conn.close()
        print(f"store: {db} with {n:,} articles, {stories:,} stories", flush=True)
        run_scenarios(db, work, args, wrk)
    finally:
        if tmp:
            tmp.cleanup()


if __name__ == "__main__":
    main()
