"""The real ``rashomon serve`` (uvicorn in a subprocess, loopback) answering readers while ``rashomon analyze``
writes into the same store: no 5xx, every story a list names can be opened with all its articles, reads never
wait on the writer for long (p99 < 2 s), on SQLite (WAL: readers never block the writer or each other) and
on PostgreSQL."""

from __future__ import annotations

import json
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from rashomon.cli import DEMO_DIR
from rashomon.config import Settings
from rashomon.store.db import Store
from rashomon.store.integrity import check

pytestmark = pytest.mark.slow

READERS = 3
P99_BOUND = 2.0  # seconds
PAUSE = 0.3  # between a reader's rounds: the 2 shared cores must still run the writer
SEARCHES = ("army", "video captives", "militants killed")
CLI = [sys.executable, "-m", "rashomon.cli"]


@dataclass
class Reads:
    """What the readers saw: (path, status, seconds) per request, and stories' sizes as listed."""

    done: threading.Event = field(default_factory=threading.Event)
    log: list[tuple[str, int, float]] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    stories_seen: set[int] = field(default_factory=set)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(base: str, path: str, reads: Reads) -> Any:
    """GET ``path``, logging status and time; JSON bodies are decoded (None for HTML or an error)."""
    t0, status, body = time.monotonic(), 0, b""
    try:
        with urllib.request.urlopen(base + path, timeout=60) as resp:
            status, body = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        status = exc.code
    reads.log.append((path, status, time.monotonic() - t0))
    if status != 200:
        reads.faults.append(f"{path}: HTTP {status}")
        return None
    return json.loads(body) if path.startswith("/api/") else None


def _story(base: str, listed: dict[str, Any], reads: Reads) -> None:
    """A listed story opens, as JSON and as a page, with at least the articles the list counted (stories
    only grow) and each of them once."""
    detail = _get(base, f"/api/stories/{listed['id']}", reads)
    _get(base, f"/stories/{listed['id']}", reads)
    if detail is None:
        return
    ids = [a["id"] for a in detail["articles"]]
    if len(ids) < listed["articles"] or len(ids) != len(set(ids)):
        reads.faults.append(f"story {listed['id']}: listed {listed['articles']} articles, page has {ids}")


def _reader(base: str, reads: Reads, offset: int) -> None:
    """Lists, searches and opens stories in a loop until the writer is done, then once more."""
    i = offset
    while True:
        last = reads.done.is_set()
        listing = _get(base, "/api/stories" + ("?sort=disputed" if i % 2 else ""), reads) or {"items": []}
        reads.stories_seen.add(len(listing["items"]))
        _get(base, "/api/search?" + urllib.parse.urlencode({"q": SEARCHES[i % len(SEARCHES)]}), reads)
        _get(base, "/?" + urllib.parse.urlencode({"q": SEARCHES[i % len(SEARCHES)]}), reads)
        for item in listing["items"][:3]:
            _story(base, item, reads)
        i += 1
        if last:
            return
        time.sleep(PAUSE)


def _wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "rashomon serve exited"
        try:
            with urllib.request.urlopen(base + "/api/stories", timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError("rashomon serve did not come up")


@pytest.fixture()
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(database, base URL) of a live ``rashomon serve`` over an empty, migrated store."""
    db = request.getfixturevalue("pg_url") if request.param == "postgresql" else str(tmp_path / "web.db")
    Store(Settings(db=db).db_url).close()
    port = _free_port()
    proc = subprocess.Popen([*CLI, "serve", "--db", db, "--port", str(port), "--rate-limit", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, proc)
        yield db, base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _write(db: str, tmp_path: Path) -> None:
    """Two analyze runs: the demo folder, then the wire copies that join its stories (stories rewritten
    while they are read)."""
    corpus = DEMO_DIR / "corpus"
    folder = tmp_path / "first"
    folder.mkdir()
    for f in corpus.iterdir():
        if f.suffix in {".txt", ".html"}:
            (folder / f.name).write_bytes(f.read_bytes())
    for inputs in ([folder], [corpus / "feed.jsonl"]):
        run = subprocess.run([*CLI, "analyze", *map(str, inputs), "--db", db, "--batch-size", "2", "--quiet"],
                             check=False, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-3000:]


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_readers_while_analyze_writes(server: tuple[str, str], tmp_path: Path) -> None:
    db, base = server
    reads = Reads()
    threads = [threading.Thread(target=_reader, args=(base, reads, n), daemon=True) for n in range(READERS)]
    for t in threads:
        t.start()
    try:
        _write(db, tmp_path)
    finally:
        reads.done.set()
        for t in threads:
            t.join(timeout=120)
    times = sorted(seconds for _, _, seconds in reads.log)
    p99 = times[int(0.99 * (len(times) - 1))]
    print(f"\n{len(times)} reads while analyze wrote: p50 {statistics.median(times) * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms; stories seen {sorted(reads.stories_seen)}")
    assert reads.faults == []
    assert len(times) >= 30 and len(reads.stories_seen) >= 2  # the readers saw the store change under them
    assert p99 < P99_BOUND
    with Store(Settings(db=db).db_url) as store:
        assert check(store) == []


def test_sqlite_store_is_in_wal_mode(tmp_path: Path) -> None:
    """WAL is what lets the web app read while analyze writes; it is set on the file, for every process."""
    db = tmp_path / "wal.db"
    Store(str(db)).close()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
