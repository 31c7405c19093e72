"""Per-incident figures on GVC through the real reconcile (used by ``gvc_extract.py``).

Two groupings of the sample's articles: *gold* (the articles of one GVA incident form one story)
and *predicted* (the stories :func:`cluster_stories` finds after :func:`mark_duplicates`, with the
settings ``reconcile`` uses). Within a story, :func:`merge_events` builds the incidents with their casualty ledgers; the
incident scored against a GVA record is the one reporting most of that record's articles (ties:
most casualty summaries, most counted figures, located, then the earliest date). Its values:

- killed / injured: the ledger's ``best`` (UCDP best over one figure per source); 0 when the
  incident's ledger counts the other category but not this one ("two people were wounded");
- date: the incident's date; city: its location name.

Outlets disagree on an incident when two of its articles give different counted figures (killed, and
injured apart). ``gvc_extract.py`` prints these figures beside the per-article ones; run alone:

Usage: python bench/gvc_incident.py [DIR] [--n N]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rashomon.config import Settings
from rashomon.reconcile.dedup import mark_duplicates
from rashomon.reconcile.incidents import merge_events
from rashomon.reconcile.stories import cluster_stories
from rashomon.records import Event, Extraction, Story

Values = dict[str, object]  # killed, injured, date, city


def _counted(ev: Event, category: str) -> list[dict[str, object]]:
    return [r for r in ev.ledger if r["category"] == category and r.get("in_summary")]


def main_incident(incidents: Sequence[Event], article_ids: Iterable[str],
                  by_id: Mapping[str, Extraction] | None = None) -> Event | None:
    """The incident reporting most of a record's articles (ties: most counted figures, earliest); a
    syndicated copy reports what its original does (incidents list originals only)."""
    wanted = set(article_ids)
    wanted |= {o for a in wanted if by_id and a in by_id and (o := by_id[a].article.duplicate_of)}
    hits = [e for e in incidents if wanted & set(e.article_ids)]
    if not hits:
        return None
    return min(hits, key=lambda e: (-len(wanted & set(e.article_ids)), -_figure_count(e), e.location is None,
                                    e.date.value if e.date and e.date.value else "9999"))


def _figure_count(ev: Event) -> int:
    """How many casualty summaries an incident has (killed, injured, captured) and counted figures."""
    summaries = sum(f.best is not None for f in (ev.fatalities, ev.injured, ev.captured))
    return summaries * 100 + len([r for r in ev.ledger if r.get("in_summary")])


def _count(ev: Event, category: str, other: str) -> int | None:
    figure = ev.fatalities if category == "killed" else ev.injured
    if figure.best is not None:
        return figure.best
    return 0 if _counted(ev, other) else None


def values(ev: Event | None) -> Values:
    """The scored values of one incident (all None without one)."""
    if ev is None:
        return {"killed": None, "injured": None, "date": None, "city": None, "town": None}
    city = ev.location.name if ev.location else None
    return {"killed": _count(ev, "killed", "injured"), "injured": _count(ev, "injured", "killed"),
            "date": ev.date.value if ev.date else None, "city": city, "town": city}


def _incidents(story: Story, by_id: Mapping[str, Extraction]) -> list[Event]:
    """A story's incidents as reconcile builds them (duplicates' events left out)."""
    events = [ev for aid in story.article_ids if not by_id[aid].article.duplicate_of for ev in by_id[aid].events]
    return merge_events(story, events, by_id)


def gold_grouped(exs: Sequence[Extraction], groups: Mapping[str, list[str]]) -> dict[str, Event | None]:
    """Each record's incident when its articles form one story."""
    by_id = {ex.article.id: ex for ex in exs}
    return {inc: main_incident(_incidents(Story(sorted(aids), inc), by_id), aids) for inc, aids in groups.items()}


def incidents_per_record(exs: Sequence[Extraction], groups: Mapping[str, list[str]]) -> tuple[int, float]:
    """(records told by two or more articles, the mean number of incidents their story yields): one
    incident told by several outlets should fold into one."""
    by_id = {ex.article.id: ex for ex in exs}
    counts = [len(_incidents(Story(sorted(aids), inc), by_id)) for inc, aids in groups.items() if len(aids) > 1]
    return len(counts), sum(counts) / len(counts) if counts else 0.0


def predicted(exs: Sequence[Extraction], groups: Mapping[str, list[str]]) -> dict[str, Event | None]:
    """Each record's incident among those of the stories clustered as reconcile does (marks duplicates)."""
    settings = Settings()
    mark_duplicates([ex.article for ex in exs], settings.near_duplicate_threshold, settings.story_window_days)
    by_id = {ex.article.id: ex for ex in exs}
    stories = cluster_stories(exs, window_days=settings.story_window_days)
    incidents = [ev for s in stories for ev in _incidents(s, by_id)]
    return {inc: main_incident(incidents, aids, by_id) for inc, aids in groups.items()}


def disagreement(incidents: Iterable[Event | None], category: str = "killed") -> tuple[int, int]:
    """(incidents with >= 2 articles giving a counted figure of ``category``, those whose articles disagree)."""
    multi = disagree = 0
    for ev in incidents:
        if ev is None:
            continue
        per_article: dict[str, set[object]] = {}
        for r in _counted(ev, category):
            per_article.setdefault(str(r["article_id"]), set()).add(r["value"])
        if len(per_article) >= 2:
            multi += 1
            disagree += len(set().union(*per_article.values())) > 1
    return multi, disagree


def print_disagreement(label: str, incidents: Mapping[str, Event | None]) -> None:
    """How often the articles of one incident disagree with each other, per casualty category."""
    for category in ("killed", "injured"):
        multi, disagree = disagreement(incidents.values(), category)
        print(f"{label}: outlets disagree on {category} in {disagree} of {multi} incidents where >= 2 articles "
              f"give a counted figure ({disagree / multi if multi else 0:.3f})")


def main() -> None:
    """Extract the first N scorable GVC articles and score their incidents through reconcile only (the
    per-article and naive per-incident median figures are ``gvc_extract.py``'s)."""
    import argparse
    import os
    from collections import defaultdict
    from pathlib import Path

    import gvc_extract

    from rashomon.extract.pipeline import Extractor

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", default=os.environ.get("RASHOMON_BENCH_DIR", "~/.cache/rashomon-bench"))
    ap.add_argument("--n", type=int, default=600, help="number of scorable articles (first N by doc_id)")
    args = ap.parse_args()
    root = Path(args.dir).expanduser()
    gold = gvc_extract.load_gold(root)
    docs = gvc_extract.load_docs(root, gold, args.n)
    exs = list(Extractor(Settings()).extract([a for a, _ in docs]))
    groups: dict[str, list[str]] = defaultdict(list)
    for a, inc in docs:
        groups[inc].append(a.id)
    for label, found in (("incident-predicted", predicted(exs, groups)), ("incident", gold_grouped(exs, groups))):
        gvc_extract.score([(gvc_extract.Pred(**values(found[inc])), gold[inc]) for inc in sorted(groups)], label)  # type: ignore[arg-type]
        print_disagreement(label, found)
    multi, mean = incidents_per_record(exs, groups)
    print(f"incident: {multi} records told by >= 2 articles yield {mean:.2f} incidents each (1.00 = all folded)")


if __name__ == "__main__":
    main()
