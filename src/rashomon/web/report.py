"""The analyst's briefing: one self-contained, offline HTML file readable in five minutes.

Stories come most-disputed first; each shows who said what (grouped by speaker, stance
colour-coded, with figures, hedges and outlet), where sources disagree and the incidents with
their casualty ranges. Everything article-borne is escaped by jinja2's autoescape; the file has
no scripts and loads nothing from the network.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from rashomon.records import (
    Article,
    Claim,
    Dispute,
    Entity,
    Event,
    Extraction,
    Fatalities,
    Quantity,
    Reconciled,
    Story,
    TimelineItem,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"

_QUALIFIER_WORDS = {"exact": "", "at_least": "at least", "more_than": "more than", "at_most": "at most",
                    "less_than": "fewer than", "approx": "about", "range": ""}


class ReportSource(Protocol):
    def counts(self) -> dict[str, int]: ...
    def iter_extractions(self) -> Iterable[Extraction]: ...
    def load_reconciled(self) -> Reconciled: ...


# --- view models ---------------------------------------------------------------------------


@dataclass(slots=True)
class ClaimView:
    content: str
    stance: str
    act: str
    cue: str | None
    quote: str
    figures: list[str]
    hedges: list[str]
    outlet: str
    published: str | None
    sentence: str
    copy: bool  # from a syndicated copy of another article


@dataclass(slots=True)
class SpeakerView:
    name: str
    kind: str
    claims: list[ClaimView] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return sorted({c.outlet for c in self.claims})

    @property
    def denies(self) -> int:
        return sum(c.stance == "deny" for c in self.claims)


@dataclass(slots=True)
class SideView:
    stance: str
    value: str
    outlets: list[str]
    claims: list[str]


@dataclass(slots=True)
class DisputeView:
    kind: str
    proposition: str
    explanation: str
    sides: list[SideView]


@dataclass(slots=True)
class EventView:
    kind: str
    date: str
    place: str
    actors: str
    figures: list[tuple[str, str]]  # (what, "low / best / high")
    sources: int
    notes: str | None


@dataclass(slots=True)
class StoryView:
    id: str
    title: str
    outlets: list[str]
    date_range: str
    articles: list[Article]
    timeline: list[TimelineItem]
    speakers: list[SpeakerView]
    disputes: list[DisputeView]
    events: list[EventView]

    @property
    def n_claims(self) -> int:
        return sum(len(s.claims) for s in self.speakers)


@dataclass(slots=True)
class OutletView:
    outlet: str
    articles: int
    phrases: list[tuple[str, int]]


# --- formatting ----------------------------------------------------------------------------


def fmt_number(value: Any) -> str:
    if value is None:
        return "?"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def fmt_quantity(q: Quantity) -> str:
    """'at least 7 soldiers' from the normalised quantity (the surface text is kept in the sentence)."""
    if q.qualifier == "range" or (q.value is None and (q.low is not None or q.high is not None)):
        number = f"{fmt_number(q.low)}–{fmt_number(q.high)}"
    else:
        number = fmt_number(q.value)
    words = [_QUALIFIER_WORDS.get(q.qualifier, q.qualifier), q.unit or "", number, q.counted or ""]
    return " ".join(w for w in words if w)


def fmt_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return "–".join(fmt_number(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {fmt_number(v)}" for k, v in value.items() if v is not None)
    return fmt_number(value)


def fmt_figures(f: Fatalities) -> str | None:
    if f.low is None and f.best is None and f.high is None:
        return None
    return f"{fmt_number(f.low)} / {fmt_number(f.best)} / {fmt_number(f.high)}"


# --- building the views --------------------------------------------------------------------


@dataclass(slots=True)
class _Index:
    """Lookups shared by every story view."""

    articles: dict[str, Article]
    claims: dict[str, Claim]
    entities: dict[str, Entity]

    def outlet(self, article_id: str) -> str:
        a = self.articles.get(article_id)
        return (a.outlet if a and a.outlet else None) or "unknown outlet"

    def speaker_label(self, c: Claim) -> tuple[str, str, str]:
        """(group key, display name, kind) for a claim's speaker."""
        sp = c.speaker
        ent = self.entities.get(sp.entity_id or "")
        name = ent.name if ent else sp.name or sp.text or "unnamed source"
        if ent is None and sp.name is None:
            name = f"{sp.text or 'unnamed source'} (unnamed)"
        return (sp.entity_id or name.lower()), name, sp.kind


def claim_view(c: Claim, idx: _Index) -> ClaimView:
    a = idx.articles.get(c.article_id)
    return ClaimView(content=c.content, stance=c.stance, act=c.act, cue=c.cue, quote=c.quote,
                     figures=[fmt_quantity(q) for q in c.quantities], hedges=list(c.hedges),
                     outlet=idx.outlet(c.article_id), published=a.published if a else None,
                     sentence=c.sentence, copy=bool(a and a.duplicate_of))


def speaker_views(claims: Sequence[Claim], idx: _Index) -> list[SpeakerView]:
    groups: dict[str, SpeakerView] = {}
    for c in claims:
        key, name, kind = idx.speaker_label(c)
        groups.setdefault(key, SpeakerView(name=name, kind=kind)).claims.append(claim_view(c, idx))
    return sorted(groups.values(), key=lambda s: (-len(s.claims), s.name.lower()))


def dispute_view(d: Dispute, idx: _Index) -> DisputeView:
    sides = []
    for side in d.sides:
        article_ids = side.article_ids or [idx.claims[c].article_id for c in side.claim_ids if c in idx.claims]
        outlets = side.outlets or sorted({idx.outlet(a) for a in article_ids})
        claims = [f"{idx.speaker_label(idx.claims[c])[1]}: {idx.claims[c].content}"
                  for c in side.claim_ids if c in idx.claims]
        sides.append(SideView(stance=side.stance, value=fmt_value(side.value), outlets=list(outlets), claims=claims))
    return DisputeView(kind=d.kind, proposition=d.proposition, explanation=d.explanation, sides=sides)


def event_view(e: Event) -> EventView:
    date = (e.date.value or e.date.text) if e.date else None
    place = e.location.name if e.location else None
    if e.location and e.location.geo and e.location.geo.admin1:
        place = f"{place}, {e.location.geo.admin1}"
    figures = [(what, text) for what, f in (("killed", e.fatalities), ("injured", e.injured),
                                            ("captured", e.captured)) if (text := fmt_figures(f))]
    kind = " · ".join(k for k in (e.event_type, e.sub_event_type) if k) or "unclassified"
    actors = " vs ".join(a for a in (e.actor1, e.actor2) if a) or "actors unknown"
    return EventView(kind=kind, date=date or "date unknown", place=place or "place unknown", actors=actors,
                     figures=figures, sources=len(e.article_ids), notes=e.notes)


def headline(title: str | None, limit: int = 160) -> str:
    """First non-empty line of a title, shortened: some sources glue byline and lede onto the title."""
    line = next((ln.strip() for ln in (title or "").splitlines() if ln.strip()), "")
    if not line:
        return "(untitled)"
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def bare_address(address: str | None) -> str:
    """A source address without its scheme: it names the source without making the file link out."""
    text = (address or "").strip()
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", text, flags=re.I) or "—"


def _date_range(articles: Sequence[Article], timeline: Sequence[TimelineItem]) -> str:
    """Publication dates span the story; day-precise timeline dates stand in when none is known."""
    dates = sorted({a.published[:10] for a in articles if a.published}) or sorted(
        {t.date[:10] for t in timeline if t.date and t.precision == "day"})
    if not dates:
        return "undated"
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} → {dates[-1]}"


def _timeline(story: Story, articles: Sequence[Article]) -> list[TimelineItem]:
    items = list(story.timeline) or [
        TimelineItem(date=a.published, precision="day" if a.published else None,
                     text=f"{a.outlet or 'unknown outlet'}: {headline(a.title)}", article_id=a.id, kind="published")
        for a in articles
    ]
    return sorted(items, key=lambda t: (t.date is None, t.date or ""))


def story_view(story: Story, claims: Sequence[Claim], disputes: Sequence[Dispute], events: Sequence[Event],
               idx: _Index) -> StoryView:
    articles = [idx.articles[a] for a in story.article_ids if a in idx.articles]
    outlets = sorted({a.outlet or "unknown outlet" for a in articles})
    return StoryView(id=story.id, title=headline(story.title), outlets=outlets,
                     date_range=_date_range(articles, story.timeline), articles=articles,
                     timeline=_timeline(story, articles), speakers=speaker_views(claims, idx),
                     disputes=[dispute_view(d, idx) for d in disputes], events=[event_view(e) for e in events])


def _ungrouped_stories(exs: Sequence[Extraction], grouped: set[str]) -> list[Story]:
    """Articles no story holds (e.g. before reconcile) each get a story of their own, so nothing is hidden."""
    return [Story(article_ids=[ex.article.id], title=ex.article.title or ex.article.source)
            for ex in exs if ex.article.id not in grouped]


def story_views(exs: Sequence[Extraction], rec: Reconciled) -> list[StoryView]:
    idx = _Index(articles={ex.article.id: ex.article for ex in exs},
                 claims={c.id: c for ex in exs for c in ex.claims},
                 entities={e.id: e for e in rec.entities})
    stories = list(rec.stories)
    stories += _ungrouped_stories(exs, {a for s in stories for a in s.article_ids})
    story_of = {a: s.id for s in stories for a in s.article_ids}
    claims: dict[str, list[Claim]] = defaultdict(list)
    for c in idx.claims.values():
        claims[c.story_id or story_of.get(c.article_id, "")].append(c)
    disputes: dict[str, list[Dispute]] = defaultdict(list)
    for d in rec.disputes:
        disputes[d.story_id].append(d)
    events: dict[str, list[Event]] = defaultdict(list)
    for e in rec.events or [e for ex in exs for e in ex.events]:
        events[e.story_id or story_of.get(e.article_ids[0] if e.article_ids else "", "")].append(e)
    known = {s.id for s in stories}
    orphans = {k for k in (*claims, *disputes, *events) if k not in known}
    if orphans:  # records pointing at a story reconcile did not save: shown, not dropped
        stories.append(Story(article_ids=[], title="Not assigned to a stored story", id="unassigned"))
        for key in orphans:
            claims["unassigned"] += claims.pop(key, [])
            disputes["unassigned"] += disputes.pop(key, [])
            events["unassigned"] += events.pop(key, [])
    views = [story_view(s, claims[s.id], disputes[s.id], events[s.id], idx) for s in stories]
    return sorted(views, key=lambda v: (-len(v.disputes), -len(v.articles), -v.n_claims, v.title.lower()))


def outlet_views(exs: Sequence[Extraction]) -> list[OutletView]:
    """Evaluative (editorial) language per outlet, so opinion is seen apart from reporting."""
    phrases: dict[str, Counter[str]] = defaultdict(Counter)
    articles: Counter[str] = Counter()
    for ex in exs:
        if ex.evaluative:
            outlet = ex.article.outlet or "unknown outlet"
            articles[outlet] += 1
            phrases[outlet].update(p.lower() for p in ex.evaluative)
    return [OutletView(outlet=o, articles=articles[o], phrases=phrases[o].most_common())
            for o in sorted(phrases, key=lambda o: (-sum(phrases[o].values()), o.lower()))]


# --- rendering -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["headline"] = headline
    env.filters["bare_address"] = bare_address
    return env


def render_report(exs: Sequence[Extraction], rec: Reconciled, counts: dict[str, int]) -> str:
    """The report HTML for already-loaded records (``write_report`` reads them from a store)."""
    return _env().get_template("report.html.j2").render(
        counts=counts, stories=story_views(exs, rec), outlets=outlet_views(exs),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_report(store: ReportSource, out: Path) -> None:
    """Write the HTML briefing for everything in ``store`` to ``out``."""
    exs = list(store.iter_extractions())
    html = render_report(exs, store.load_reconciled(), store.counts())
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
