"""Per-article extraction of killed, injured, date and city against the Gun Violence Archive record.

Each GVC article belongs to one GVA incident whose structured row (n_killed, n_injured, date,
city_or_county) is the gold. The full :class:`Extractor` runs over the articles (``nlp.pipe`` batches)
and one value per field is derived from its output by these rules:

- killed / injured: the median (lower middle) ``best`` figure among the article's events (an
  article reports one incident; the median resists a background statistic such as "X people shot
  this year"); when no event carries one, the median value among the article's quantities of that
  category whose qualifier bounds the figure from below (exact, at_least, more_than, range). When the article
  mentions a casualty of the other category but never this one, the value is 0 (an article about
  "two people were wounded" says nobody died).
- date: the date of the first event whose date came from the text (not the publication-date
  fallback), else the first day-precision date in the article not after the publication date, else
  the events' publication-date fallback (local news runs the day of the incident or the next).
- city: the location name of the first event whose location came from the text, else the first
  place with role ``event``. A second figure, ``city-town``, scores the alternative rule "the town
  the article names most often" (ties: the first named), to show what the event location could reach.

Printed per article and per incident (the median of its articles' values), with exact-match rate,
MAE, coverage (how often a value is output) and, per incident, how often two of its articles
disagree on killed. Articles whose incident has no GVA row are not scored. The sample is
deterministic: the first N scorable docs by doc_id.

Usage: python bench/gvc_extract.py [DIR] [--n N] [--batch B]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rashomon.records import Article, Extraction

_LOWER_BOUNDED = ("exact", "at_least", "more_than", "range")


@dataclass(slots=True)
class Gold:
    killed: int
    injured: int
    date: str
    city: str


@dataclass(slots=True)
class Pred:
    killed: int | None
    injured: int | None
    date: str | None
    city: str | None
    town: str | None = None


def load_gold(root: Path) -> dict[str, Gold]:
    """GVA rows by incident id; a row with unreadable counts is skipped with a warning."""
    out: dict[str, Gold] = {}
    with open(root / "gvc" / "gva_incidents.csv", encoding="utf-8", newline="") as fh:
        for no, row in enumerate(csv.DictReader(fh), start=2):
            try:
                out[row["incident_id"]] = Gold(int(row["n_killed"]), int(row["n_injured"]), row["date"], row["city_or_county"])
            except (KeyError, ValueError) as exc:
                print(f"gva_incidents.csv line {no}: skipped ({exc})", file=sys.stderr)
    return out


def load_docs(root: Path, gold: dict[str, Gold], n: int) -> list[tuple[Article, str]]:
    """The first ``n`` scorable docs by doc_id (one per doc_id), with their incident id."""
    seen: dict[str, dict] = {}
    with open(root / "gvc" / "docs.jsonl", encoding="utf-8") as fh:
        for no, line in enumerate(fh, start=1):
            try:
                d = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"docs.jsonl line {no}: skipped ({exc})", file=sys.stderr)
                continue
            inc = d.get("incident_id")
            if inc is None or str(inc) not in gold or d["doc_id"] in seen or not d.get("content"):
                continue
            seen[d["doc_id"]] = d
    docs = [seen[k] for k in sorted(seen)][:n]
    return [
        (Article(source=d["doc_id"], text=d["content"], title=d.get("title"), published=d.get("dct")), str(d["incident_id"]))
        for d in docs
    ]


def _count(ex: Extraction, category: str, attr: str) -> int | None:
    """Killed / injured by the rule in the module docstring."""
    best = [getattr(e, attr).best for e in ex.events if getattr(e, attr).best is not None]
    if best:
        return int(statistics.median_low(best))
    qs = [q.value for q in ex.quantities if q.category == category and q.value is not None and q.qualifier in _LOWER_BOUNDED]
    if qs:
        return int(statistics.median_low(qs))
    other = "injured" if category == "killed" else "killed"
    if any(q.category == other for q in ex.quantities):
        return 0
    return None


def _date(ex: Extraction) -> str | None:
    for e in ex.events:
        if e.date is not None and e.date.kind != "published" and e.date.precision == "day":
            return e.date.value
    pub = ex.article.published
    for d in ex.dates:
        if d.precision == "day" and d.value and d.kind != "deadline" and (pub is None or d.value <= pub):
            return d.value
    return next((e.date.value for e in ex.events if e.date is not None and e.date.value), None)


def _town(ex: Extraction) -> str | None:
    """The town-precision place named most often (ties: the first named); else the event rule."""
    towns = [p.name for p in ex.places if p.geo is not None and p.geo.precision == "town"]
    if not towns:
        return _city(ex)
    counts = {t: towns.count(t) for t in towns}
    return max(counts, key=lambda t: (counts[t], -towns.index(t)))


def _city(ex: Extraction) -> str | None:
    for e in ex.events:
        if e.location is not None and (e.location.start or e.location.end):
            return e.location.name
    for p in ex.places:
        if p.role == "event":
            return p.name
    return None


def predict(ex: Extraction) -> Pred:
    return Pred(_count(ex, "killed", "fatalities"), _count(ex, "injured", "injured"), _date(ex), _city(ex), _town(ex))


def _norm_city(s: str | None) -> str:
    s = (s or "").lower().replace("county", "").replace("(", " ").replace(")", " ")
    return " ".join(s.split())


def _median(vals: list) -> object:
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    if isinstance(vals[0], str):
        return statistics.mode(sorted(vals))  # the most frequent (ties: earliest) string
    return int(statistics.median_low(vals))


def score(rows: list[tuple[Pred, Gold]], label: str) -> None:
    """Print one block of figures for a list of (prediction, gold) pairs."""
    n = len(rows)
    print(f"{label}: {n} scored")
    for field in ("killed", "injured"):
        pairs = [(getattr(p, field), getattr(g, field)) for p, g in rows if getattr(p, field) is not None]
        exact = sum(a == b for a, b in pairs) / n if n else 0.0
        mae = sum(abs(a - b) for a, b in pairs) / len(pairs) if pairs else 0.0
        cov = len(pairs) / n if n else 0.0
        prec = sum(a == b for a, b in pairs) / len(pairs) if pairs else 0.0
        print(f"  {field:8s} exact {exact:.3f}  exact-when-output {prec:.3f}  MAE {mae:.2f}  coverage {cov:.3f}")
    dates = [(p.date, g.date) for p, g in rows if p.date is not None]
    print(f"  date     exact {sum(a == b for a, b in dates) / n if n else 0:.3f}  exact-when-output "
          f"{sum(a == b for a, b in dates) / len(dates) if dates else 0:.3f}  coverage {len(dates) / n if n else 0:.3f}")
    for name, attr in (("city", "city"), ("city-town", "town")):
        cities = [(getattr(p, attr), g.city) for p, g in rows if getattr(p, attr) is not None]
        hit = sum(_norm_city(a) == _norm_city(b) for a, b in cities)
        print(f"  {name:9s}exact {hit / n if n else 0:.3f}  exact-when-output {hit / len(cities) if cities else 0:.3f}  "
              f"coverage {len(cities) / n if n else 0:.3f}")


def score_incidents(exs: list[Extraction], docs: list[tuple[Article, str]], gold: dict[str, Gold]) -> None:
    """Per incident through the real reconcile (see ``gvc_incident.py``): with the predicted stories
    ("incident-predicted") and with the gold grouping ("incident"), and how often outlets disagree."""
    import gvc_incident

    groups: dict[str, list[str]] = defaultdict(list)
    for a, inc in docs:
        groups[inc].append(a.id)
    for label, found in (("incident-predicted", gvc_incident.predicted(exs, groups)),
                         ("incident", gvc_incident.gold_grouped(exs, groups))):
        score([(Pred(**gvc_incident.values(found[inc])), gold[inc]) for inc in sorted(groups)], label)  # type: ignore[arg-type]
        multi, disagree = gvc_incident.disagreement(found.values())
        print(f"{label}: incidents with >=2 articles giving killed: {multi}  outlets disagree on killed: {disagree} "
              f"({disagree / multi if multi else 0:.3f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", default=os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench"))
    ap.add_argument("--n", type=int, default=600, help="number of scorable articles (first N by doc_id)")
    ap.add_argument("--batch", type=int, default=32)
    args = ap.parse_args()
    root = Path(args.dir).expanduser()
    gold = load_gold(root)
    docs = load_docs(root, gold, args.n)
    from rashomon.config import Settings
    from rashomon.extract.pipeline import Extractor

    settings = Settings()
    settings.batch_size = args.batch
    extractor = Extractor(settings)
    t0 = time.perf_counter()
    exs = list(extractor.extract([a for a, _ in docs]))
    secs = time.perf_counter() - t0
    preds = [predict(ex) for ex in exs]
    rows = [(p, gold[inc]) for p, (_, inc) in zip(preds, docs)]
    score(rows, "article")
    by_inc: dict[str, list[Pred]] = defaultdict(list)
    for p, (_, inc) in zip(preds, docs):
        by_inc[inc].append(p)
    inc_rows = [
        (Pred(*(_median([getattr(p, f) for p in ps]) for f in ("killed", "injured", "date", "city", "town"))), gold[inc])  # type: ignore[arg-type]
        for inc, ps in sorted(by_inc.items())
    ]
    score(inc_rows, "incident-median")  # the median of the articles' own values, for comparison
    score_incidents(exs, docs, gold)
    print(f"speed: {len(docs) / secs:.1f} articles/s ({len(docs)} articles in {secs:.1f} s)")


if __name__ == "__main__":
    main()
