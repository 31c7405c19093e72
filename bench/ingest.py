"""Ingest throughput: articles per second of ``iter_articles`` for every input format.

Usage: python bench/ingest.py [DIR] [--n N]

DIR is the unpacked benchmark root (default $RASHOMON_BENCH_DIR or ~/.cache/rashomon-bench). The first
N (default 1000) GVC documents with text (DIR/gvc/docs.jsonl) are written into a temporary folder as
.txt files (with a header block), .html pages, one .jsonl file, one RSS file and one .warc.gz; each
is then read back with ``iter_articles`` and timed. The temporary copies are deleted afterwards, so
no benchmark text ever lands in the repository. Also checks that every format yields N articles.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from rashomon.ingest import iter_articles
from rashomon.ingest.base import IngestError, ReadOptions


def load_docs(root: Path, n: int) -> list[dict[str, Any]]:
    """The first ``n`` GVC documents that have text."""
    docs: list[dict[str, Any]] = []
    with (root / "gvc" / "docs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            if (doc.get("content") or "").strip():
                docs.append(doc)
                if len(docs) >= n:
                    break
    return docs


def _page(doc: dict[str, Any]) -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in doc["content"].split("\n") if p.strip())
    title = html.escape(doc.get("title") or "")
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{doc.get("dct") or ""}">'
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>\n{paras}</article>"
        "<footer>Contact us</footer></body></html>"
    )


def write_txt(docs: list[dict[str, Any]], out: Path) -> Path:
    folder = out / "txt"
    folder.mkdir()
    for i, d in enumerate(docs):
        header = f"Title: {d.get('title') or ''}\nDate: {d.get('dct') or ''}\nURL: {d.get('uri') or ''}\n\n"
        (folder / f"{i:06d}.txt").write_text(header + d["content"], encoding="utf-8")
    return folder


def write_html(docs: list[dict[str, Any]], out: Path) -> Path:
    folder = out / "html"
    folder.mkdir()
    for i, d in enumerate(docs):
        (folder / f"{i:06d}.html").write_text(_page(d), encoding="utf-8")
    return folder


def write_jsonl(docs: list[dict[str, Any]], out: Path) -> Path:
    path = out / "docs.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d) + "\n")
    return path


def write_rss(docs: list[dict[str, Any]], out: Path) -> Path:
    items = []
    for d in docs:
        when = _rfc822(d.get("dct"))
        items.append(
            f"<item><title>{html.escape(d.get('title') or '')}</title><link>{html.escape(d.get('uri') or '')}</link>"
            f"<pubDate>{when}</pubDate><description>{html.escape(d['content'])}</description></item>"
        )
    path = out / "feed.rss"
    body = "".join(items)
    path.write_text(
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Bench</title>{body}</channel></rss>",
        encoding="utf-8",
    )
    return path


def _rfc822(day: str | None) -> str:
    try:
        return format_datetime(datetime.strptime(day or "", "%Y-%m-%d").replace(tzinfo=UTC))
    except ValueError:
        return ""


def write_warc(docs: list[dict[str, Any]], out: Path) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = out / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, d in enumerate(docs):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            url = d.get("uri") or f"https://example.org/{i}"
            payload = io.BytesIO(_page(d).encode("utf-8"))
            writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=http))
    return path


WRITERS: dict[str, Callable[[list[dict[str, Any]], Path], Path]] = {
    "txt": write_txt,
    "html": write_html,
    "jsonl": write_jsonl,
    "feed": write_rss,
    "warc": write_warc,
}


def time_read(path: Path) -> tuple[int, int, float]:
    """Articles, errors and seconds for one full pass of ``iter_articles`` over ``path``."""
    start = time.perf_counter()
    arts = errs = 0
    for item in iter_articles([path], ReadOptions(field_map={})):
        if isinstance(item, IngestError):
            errs += 1
        else:
            arts += 1
    return arts, errs, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", nargs="?", default=os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench"))
    ap.add_argument("--n", type=int, default=1000, help="documents per format (default 1000)")
    args = ap.parse_args(argv)
    root = Path(args.dir).expanduser()
    if not (root / "gvc" / "docs.jsonl").is_file():
        print(f"no GVC data under {root} (run shared/benchmarks/unpack)", file=sys.stderr)
        return 2
    docs = load_docs(root, args.n)
    print(f"{len(docs)} GVC documents per format")
    print(f"{'format':<8}{'articles':>10}{'errors':>8}{'seconds':>10}{'articles/s':>12}")
    with tempfile.TemporaryDirectory(prefix="rashomon-bench-ingest-") as tmp:
        for name, writer in WRITERS.items():
            path = writer(docs, Path(tmp))
            arts, errs, secs = time_read(path)
            rate = arts / secs if secs else float("inf")
            print(f"{name:<8}{arts:>10}{errs:>8}{secs:>10.2f}{rate:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
