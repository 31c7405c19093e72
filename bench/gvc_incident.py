"""Per-incident figures on GVC through the real reconcile (used by ``gvc_extract.py``).

Two groupings of the sample's articles: *gold* (the articles of one GVA incident form one story)
and *predicted* (the stories :func:`cluster_stories` finds after :func:`mark_duplicates`, with the
settings ``reconcile`` uses). Within a story, :func:`merge_events` builds the incidents with their casualty ledgers; the
incident scored against a GVA record is the one reporting most of that record's articles (ties:
most casualty summaries, most counted figures, located, then the earliest date). Its values:

- killed / injured: the ledger's ``best`` (UCDP best over one figure per source); 0 when the
  incident's ledger counts the other category but not this one ("two people were wounded");
- date: the incident's date; city: its location name.

Outlets disagree on an incident when two of its articles give different counted killed figures.
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


def main_incident(incidents: Sequence[Event], article_ids: Iterable[str]) -> Event | None:
    """The incident reporting most of a record's articles (ties: most counted figures, earliest)."""
    wanted = set(article_ids)
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


def predicted(exs: Sequence[Extraction], groups: Mapping[str, list[str]]) -> dict[str, Event | None]:
    """Each record's incident among those of the stories clustered as reconcile does (marks duplicates)."""
    settings = Settings()
    mark_duplicates([ex.article for ex in exs], settings.near_duplicate_threshold)
    by_id = {ex.article.id: ex for ex in exs}
    stories = cluster_stories(exs, window_days=settings.story_window_days)
    incidents = [ev for s in stories for ev in _incidents(s, by_id)]
    return {inc: main_incident(incidents, aids) for inc, aids in groups.items()}


def disagreement(incidents: Iterable[Event | None]) -> tuple[int, int]:
    """(incidents with >= 2 articles giving a counted killed figure, those whose articles disagree)."""
    multi = disagree = 0
    for ev in incidents:
        if ev is None:
            continue
        per_article: dict[str, set[object]] = {}
        for r in _counted(ev, "killed"):
            per_article.setdefault(str(r["article_id"]), set()).add(r["value"])
        if len(per_article) >= 2:
            multi += 1
            disagree += len(set().union(*per_article.values())) > 1
    return multi, disagree
