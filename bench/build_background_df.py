"""Build the background document-frequency table that story clustering blends with its corpus's own.

A user's first folder may hold ten articles; IDF computed over ten documents cannot tell a rare name
from a common word. This script counts, over the unpacked benchmark news texts (GVC, ECB+, FNC-1,
PolNeAR, CASE 2021; no labels are read), in how many documents each content word occurs, keeps the
most frequent terms and writes ``src/rashomon/data/background_df.tsv.gz`` (first line: the number of
documents). Same input, same file: terms are sorted by count, then alphabetically, and gzip's mtime is 0.

Usage: python bench/build_background_df.py [DIR] [--top 50000] [--min-df 3]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from rashomon.reconcile.stories import BACKGROUND_PATH, content_words


def _jsonl(path: Path, *fields: str) -> Iterator[str]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            yield " ".join(str(d.get(f) or "") for f in fields)


def _csv(path: Path, column: str, delimiter: str = ",") -> Iterator[str]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=delimiter):
            yield row.get(column) or ""


def texts(root: Path) -> Iterator[str]:
    """Every benchmark news text once (FNC-1 bodies are listed once per body id)."""
    yield from _jsonl(root / "gvc" / "docs.jsonl", "title", "content")
    yield from _jsonl(root / "ecbplus" / "docs.jsonl", "text")
    for name in ("train_bodies.csv", "competition_test_bodies.csv"):
        yield from _csv(root / "fnc1" / name, "articleBody")
    for path in sorted((root / "polnear" / "data").glob("*/text/*.txt")):
        yield path.read_text(encoding="utf-8", errors="replace")
    yield from _csv(root / "case2021" / "test_set_final_release_with_labels.tsv", "EventSnippet", "\t")


def build(root: Path, top: int, min_df: int) -> tuple[int, list[tuple[str, int]]]:
    df: Counter[str] = Counter()
    seen: set[str] = set()
    for text in texts(root):
        key = " ".join(text.split())
        if not key or key in seen:  # GVC and FNC-1 repeat some texts
            continue
        seen.add(key)
        df.update(set(content_words(text)))
    rows = sorted(((t, n) for t, n in df.items() if n >= min_df), key=lambda kv: (-kv[1], kv[0]))[:top]
    return len(seen), rows


def write(path: Path, n_docs: int, rows: list[tuple[str, int]]) -> None:
    buf = io.StringIO()
    buf.write(f"#docs\t{n_docs}\n")
    for term, n in rows:
        buf.write(f"{term}\t{n}\n")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", nargs="?", default=os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench"))
    parser.add_argument("--top", type=int, default=50_000)
    parser.add_argument("--min-df", type=int, default=3)
    args = parser.parse_args()
    n_docs, rows = build(Path(args.dir).expanduser(), args.top, args.min_df)
    write(BACKGROUND_PATH, n_docs, rows)
    print(f"{n_docs} documents, {len(rows)} terms -> {BACKGROUND_PATH} ({BACKGROUND_PATH.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
