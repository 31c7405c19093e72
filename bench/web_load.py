"""Page-load benchmark of the web app over a synthetic store of N articles (default 100,000).

Why synthetic: the figure the README quotes is "how fast is the app on a laptop with 100,000 articles",
and no corpus of that size may ship in the repo. The bundled demo corpus is analysed for real once, then
its rows are cloned in bulk with new ids and shifted dates straight into SQLite (every row of every
table but the entities, so actors recur across stories as they do in real coverage); a few copies of
the largest story are merged into one 50-article story for the story-page timing. The full-text index
is rebuilt once at the end (the project's own DDL). Then the real app (``create_app``) is started under
uvicorn on loopback and each route is fetched ``--repeats`` times after one warm-up; p50 / p95 printed.

    python bench/web_load.py                          # 100,000 articles (several GB in a temp dir)
    python bench/web_load.py --n 5000 --repeats 5     # quick
    python bench/web_load.py --db /tmp/big.db         # time an existing synthetic store again
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from rashomon.analyze import analyze
from rashomon.cli import DEMO_DIR
from rashomon.config import Settings
from rashomon.store.search import create_statements, drop_statements, is_search_table
from rashomon.store.summary import refresh

ID = re.compile(r"\b(?:art|clm|evt|sty|dsp)_[0-9a-f]{16}\b")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
SKIP_TABLES = {"entities", "alembic_version"}  # entities are shared by every copy, like real recurring actors
VERBATIM = {("articles", "text")}  # article text is copied as is (its dates are words, not ISO)
BIG_STORY = 50  # articles in the merged story whose page is timed


def build_base(workdir: Path) -> Path:
    """The demo corpus analysed for real: the rows every copy is made from."""
    db = workdir / "base.db"
    settings = Settings(db=str(db), gazetteers=(DEMO_DIR / "gazetteer.tsv",), quiet=True)
    analyze([DEMO_DIR / "corpus"], settings)
    return db


@dataclass(slots=True)
class Copy:
    """How one copy rewrites values: id suffix, date shift, and the story merged into the big one."""

    k: int
    shift: timedelta
    merged: str | None  # the base story id whose copy joins the big story, or None

    def ident(self, m: re.Match[str]) -> str:
        token = m.group(0)
        return f"{token}_big" if token == self.merged else f"{token}_{self.k}"

    def iso(self, m: re.Match[str]) -> str:
        try:
            return (date(int(m.group(1)), int(m.group(2)), int(m.group(3))) + self.shift).isoformat()
        except (ValueError, OverflowError):
            return m.group(0)

    def value(self, v: Any) -> Any:
        if not isinstance(v, str):
            return v
        return ISO_DATE.sub(self.iso, ID.sub(self.ident, v))


@dataclass(slots=True)
class Table:
    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    rewrite: list[bool]  # per column: does any value hold an id or a date?
    stride: dict[int, int]  # column index -> offset per copy (seq / position numbers)

    def copied(self, c: Copy) -> Iterator[tuple[Any, ...]]:
        for row in self.rows:
            yield tuple(v + c.k * self.stride[i] if i in self.stride else c.value(v) if self.rewrite[i] else v
                        for i, v in enumerate(row))


def read_tables(conn: sqlite3.Connection) -> list[Table]:
    """Every table to clone, with what each column needs rewritten."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    tables = []
    for name in names:
        if name in SKIP_TABLES or is_search_table(name) or name.startswith("sqlite_"):
            continue
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
        quoted = ", ".join(f'"{c}"' for c in cols)
        rows = conn.execute(f'SELECT {quoted} FROM "{name}"').fetchall()
        rewrite = [(name, c) not in VERBATIM and any(isinstance(r[i], str) and (ID.search(r[i]) or ISO_DATE.search(r[i]))
                                                      for r in rows) for i, c in enumerate(cols)]
        per_article = "article_id" in cols
        stride = {i: max((r[i] for r in rows), default=0) + 1 for i, c in enumerate(cols)
                  if c == "position" or (c == "seq" and not per_article)}
        tables.append(Table(name, cols, rows, rewrite, stride))
    return tables


def _largest_story(conn: sqlite3.Connection) -> tuple[str, int]:
    sid, n = conn.execute("SELECT story_id, count(*) FROM story_articles GROUP BY story_id "
                          "ORDER BY count(*) DESC LIMIT 1").fetchone()
    return str(sid), int(n)


def clone(base: Path, out: Path, n_articles: int, progress: Callable[[str], None] = print) -> str:
    """Copy ``base`` to ``out`` and grow it to about ``n_articles``; returns the big story's id."""
    shutil.copyfile(base, out)
    conn = sqlite3.connect(out)
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;")
    for sql in drop_statements("sqlite"):  # index once at the end, not row by row
        conn.execute(sql)
    tables = read_tables(conn)
    per_copy = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    story, story_n = _largest_story(conn)
    merge = max(1, -(-BIG_STORY // story_n))
    copies = max(merge + 1, round(n_articles / per_copy))
    start = time.perf_counter()
    for k in range(1, copies):
        c = Copy(k=k, shift=timedelta(days=(k * 3) % 1460), merged=story if k <= merge else None)
        for t in tables:
            marks = ", ".join("?" * len(t.columns))
            conn.executemany(f'INSERT OR IGNORE INTO "{t.name}" VALUES ({marks})', t.copied(c))
        if k % 500 == 0:
            conn.commit()
            progress(f"  {k * per_copy:,} articles ({time.perf_counter() - start:.0f} s)")
    conn.commit()
    t0 = time.perf_counter()
    for sql in create_statements("sqlite"):
        conn.execute(sql)
    conn.commit()
    conn.close()
    progress(f"  full-text index rebuilt in {time.perf_counter() - t0:.0f} s")
    merged = f"{story}_big"
    resummarise(out, [merged])  # its rows came from several copies: the copied summary counts one
    return merged


def resummarise(db: Path, story_ids: list[str]) -> None:
    """Recompute the stored story summaries of ``story_ids`` (the project's own code), then ANALYZE."""
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.begin() as conn:
            refresh(conn, story_ids)
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


@dataclass(slots=True)
class Running:
    url: str
    stop: Callable[[], None]


def serve(db_url: str) -> Running:
    """The real app under uvicorn on a free loopback port, in a background thread."""
    import uvicorn

    from rashomon.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db_url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 60
    while not server.started and time.time() < deadline:
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return Running(url=f"http://127.0.0.1:{port}", stop=stop)


def fetch(url: str) -> tuple[int, int, float]:
    """(status, bytes, seconds) of one GET."""
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=300) as r:
            body = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    return status, len(body), time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def _top_speaker(conn: sqlite3.Connection) -> str:
    """The actor with the most claims: every copy shares it, so its history grows with the store (as a
    national army's does over a year of coverage) and its page shows whether the work is bounded by the page."""
    return str(conn.execute("SELECT speaker_entity_id FROM claims WHERE speaker_entity_id IS NOT NULL "
                            "GROUP BY speaker_entity_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0])


def routes(conn: sqlite3.Connection, big_story: str) -> list[tuple[str, str]]:
    """The timed pages, with filter values taken from the store so every filter matches something."""
    outlet = conn.execute("SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet "
                          "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    lo, hi = conn.execute("SELECT min(published), max(published) FROM articles").fetchone()
    mid = (date.fromisoformat(lo[:10]) + (date.fromisoformat(hi[:10]) - date.fromisoformat(lo[:10])) / 2)
    word = "hostage"
    actor = _top_speaker(conn)
    q = urllib.parse.urlencode
    return [
        ("stories list", "/"),
        ("stories list, page 50", "/?" + q({"page": 50})),
        ("most disputed", "/?" + q({"sort": "disputed"})),
        ("filtered list", "/?" + q({"from": mid.isoformat(), "to": (mid + timedelta(days=90)).isoformat(),
                                    "outlet": outlet, "disputed": 1})),
        ("search", "/?" + q({"q": word})),
        ("search API", "/api/search?" + q({"q": word})),
        (f"story page ({BIG_STORY} articles)", f"/stories/{big_story}"),
        ("story API", f"/api/stories/{big_story}"),
        ("outlet page (largest outlet)", "/outlets/" + urllib.parse.quote(outlet, safe="")),
        ("actor page (top speaker)", "/actors/" + urllib.parse.quote(actor, safe="")),
        ("actor API", "/api/actors/" + urllib.parse.quote(actor, safe="")),
    ]


def time_routes(base_url: str, todo: list[tuple[str, str]], repeats: int) -> list[tuple[str, int, int, float, float]]:
    rows = []
    for name, path in todo:
        status, size, _ = fetch(base_url + path)  # warm-up: caches, compiled templates
        times = [fetch(base_url + path)[2] for _ in range(repeats)]
        rows.append((name, status, size, percentile(times, 0.5), percentile(times, 0.95)))
        print(f"  {name:<28} {status:>4} {size / 1e3:>9.0f} kB  p50 {rows[-1][3] * 1e3:>8.0f} ms  "
              f"p95 {rows[-1][4] * 1e3:>8.0f} ms", flush=True)
    return rows


def markdown(rows: list[tuple[str, int, int, float, float]], articles: int, repeats: int) -> str:
    """The timings as the Markdown table the README quotes."""
    lines = [f"Page loads over {articles:,} articles ({repeats} requests per page after a warm-up):", "",
             "| page | size | p50 | p95 |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {size / 1e3:.0f} kB | {p50 * 1e3:.0f} ms | {p95 * 1e3:.0f} ms |"
              for name, _status, size, p50, p95 in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="articles in the synthetic store")
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--db", type=Path, help="an existing synthetic store (skips building)")
    ap.add_argument("--workdir", type=Path, help="where to build (default: a temp dir, removed after)")
    args = ap.parse_args()
    tmp = None if args.workdir or args.db else tempfile.TemporaryDirectory(prefix="rashomon-webload-")
    work = Path(tmp.name) if tmp else (args.workdir or args.db.parent)
    work.mkdir(parents=True, exist_ok=True)
    try:
        db = args.db
        if db is None:
            t0 = time.perf_counter()
            db = work / f"web_{args.n}.db"
            big = clone(build_base(work), db, args.n)
            print(f"built {db} in {time.perf_counter() - t0:.0f} s ({db.stat().st_size / 1e9:.2f} GB)")
        conn = sqlite3.connect(db)
        n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        stories = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
        big = conn.execute("SELECT id FROM stories WHERE id LIKE '%\\_big' ESCAPE '\\' LIMIT 1").fetchone()[0]
        size = conn.execute("SELECT count(*) FROM story_articles WHERE story_id = ?", (big,)).fetchone()[0]
        print(f"store: {n:,} articles, {stories:,} stories; timed story {big} has {size} articles")
        todo = routes(conn, big)
        conn.close()
        t0 = time.perf_counter()
        app = serve(f"sqlite:///{db}")
        print(f"app started in {time.perf_counter() - t0:.1f} s; {args.repeats} requests per route after a warm-up")
        try:
            rows = time_routes(app.url, todo, args.repeats)
        finally:
            app.stop()
        print(markdown(rows, n, args.repeats))
    finally:
        if tmp:
            tmp.cleanup()


if __name__ == "__main__":
    main()
