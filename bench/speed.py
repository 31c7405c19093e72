"""Words per second of the whole per-article extraction next to the bare spaCy parse of the same texts.

The parse is the floor; the target is an extraction that costs at most 1.5 times the parse.
Usage: python bench/speed.py [DIR] [--n N]   (N GVC articles, default 300)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from rashomon.extract.pipeline import Extractor
from rashomon.records import Article


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", nargs="?", default=os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench"))
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    articles = []
    with open(Path(args.dir).expanduser() / "gvc" / "docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("content"):
                articles.append(Article(source=d["doc_id"], text=d["content"], published=d.get("dct")))
            if len(articles) >= args.n:
                break
    words = sum(a.word_count for a in articles)
    extractor = Extractor()  # loads the model and the gazetteer once, outside the timings
    extractor.extract_doc(articles[0], extractor.nlp(articles[0].text))
    t0 = time.perf_counter()
    for _ in extractor.nlp.pipe((a.text for a in articles), batch_size=32):
        pass
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in extractor.extract(articles):
        pass
    full = time.perf_counter() - t0
    print(f"{len(articles)} GVC articles, {words} words")
    print(f"bare spaCy parse   {words / parse:>9,.0f} words/s  ({parse:.1f} s)")
    print(f"full extraction    {words / full:>9,.0f} words/s  ({full:.1f} s)")
    print(f"ratio extraction/parse: {full / parse:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
