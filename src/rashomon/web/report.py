"""The analyst's briefing: one self-contained, offline HTML file readable in five minutes.

Stories come most-disputed first; each names its actors and related stories, then shows where sources
disagree (each side's value, outlets and claim sentences side by side), a map of its located places, the
incidents with every source's casualty figure (the ledger) beside UCDP low / best / high and ACLED's
figure, who said what (grouped by speaker, stance colour-coded), its timeline (an SVG chart and a table)
and articles. An actors section lists every actor's aliases, who speaks for whom and names that may be
the same actor. Long lists are capped behind "show more" elements. Everything article-borne is escaped
by jinja2's autoescape (the charts escape their own SVG); the file has no scripts and loads nothing from
the network. View models live here; incidents, actors, charts and formatting in sibling modules.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from rashomon.records import (
    Article,
    Claim,
    Dispute,
    Entity,
    Event,
    Extraction,
    Place,
    Reconciled,
    Story,
    TimelineItem,
)
from rashomon.web.charts import timeline_svg
from rashomon.web.entities import entity_views, is_actor, story_actors
from rashomon.web.fmt import bare_address, fmt_date, fmt_quantity, fmt_value, headline
from rashomon.web.geomap import map_svg, place_points
from rashomon.web.incidents import EventView, event_views, figure_rules

__all__ = ["bare_address", "fmt_quantity", "headline", "render_report", "story_views", "write_report"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
STORY_ACTORS = 8  # actors named in a story's header; the actors section has them all
# Items shown before a "show more" element, so a store of thousands of claims still reads (and renders) fast.
LIMITS = {"speakers": 12, "claims": 4, "side_claims": 3, "disputes": 12, "incidents": 8, "ledger": 10,
          "timeline": 15, "articles": 15, "actors": 25, "aliases": 12}

# What each dispute kind means, for the badge and the legend ("outlet_numeric" reads "between outlets").
DISPUTE_KINDS = {
    "numeric": ("figures", "figures for the same thing that cannot both be true"),
    "outlet_numeric": ("between outlets", "outlets report the same claimant's figure differently"),
    "denial": ("denial", "a claim and its denial"),
    "rebuttal": ("rebuttal", "an accusation and its rebuttal"),
}


class ReportSource(Protocol):
    def counts(self) -> dict[str, int]: ...
    def iter_extractions(self) -> Iterable[Extraction]: ...
    def load_reconciled(self) -> Reconciled: ...


# --- view models ---------------------------------------------------------------------------


@dataclass(slots=True)
class ClaimView:
    id: str
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
class ActorRef:
    """A name that links to its entry in the actors section when it has one."""

    name: str
    id: str | None = None


@dataclass(slots=True)
class SpeakerView:
    name: str
    kind: str
    actor: str | None = None  # entity id with an entry in the actors section
    speaks_for: list[ActorRef] = field(default_factory=list)
    claims: list[ClaimView] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return sorted({c.outlet for c in self.claims})

    @property
    def denies(self) -> int:
        return sum(c.stance == "deny" for c in self.claims)


@dataclass(slots=True)
class SideClaimView:
    """One claim on a side of a dispute: who, through which outlet, in which sentence."""

    id: str
    speaker: ActorRef
    act: str
    outlet: str
    published: str | None
    sentence: str


@dataclass(slots=True)
class SideView:
    stance: str
    value: str
    outlets: list[str]
    claims: list[SideClaimView]


@dataclass(slots=True)
class DisputeView:
    id: str
    kind: str
    label: str
    meaning: str
    proposition: str
    explanation: str
    sides: list[SideView]


@dataclass(slots=True)
class TimelineRow:
    date: str | None
    precision: str | None
    kind: str
    text: str
    outlet: str


@dataclass(slots=True)
class StoryView:
    id: str
    title: str
    outlets: list[str]
    date_range: str
    articles: list[Article]
    timeline: list[TimelineRow]
    speakers: list[SpeakerView]
    disputes: list[DisputeView]
    events: list[EventView]
    actors: list[ActorRef] = field(default_factory=list)
    related: list[ActorRef] = field(default_factory=list)  # related stories (id, title), linked in the page
    rules: dict[str, str] = field(default_factory=dict)  # how its incidents' casualty summaries were produced
    timeline_chart: Markup = field(default_factory=Markup)  # SVG (charts.timeline_svg)
    map_chart: Markup = field(default_factory=Markup)  # SVG (geomap.map_svg)
    n_places: int = 0  # located places on the map

    @property
    def n_claims(self) -> int:
        return sum(len(s.claims) for s in self.speakers)


@dataclass(slots=True)
class OutletView:
    outlet: str
    articles: int
    phrases: list[tuple[str, int]]


# --- building the views --------------------------------------------------------------------


@dataclass(slots=True)
class _Index:
    """Lookups shared by every story view."""

    articles: dict[str, Article]
    claims: dict[str, Claim]
    entities: dict[str, Entity]
    places: dict[str, list[Place]] = field(default_factory=dict)  # by article id

    def outlet(self, article_id: str) -> str:
        a = self.articles.get(article_id)
        return (a.outlet if a and a.outlet else None) or "unknown outlet"

    def actor(self, entity_id: str | None) -> str | None:
        """The id of an entry in the actors section, if this entity has one."""
        ent = self.entities.get(entity_id or "")
        return ent.id if ent is not None and is_actor(ent) else None

    def speaker_label(self, c: Claim) -> tuple[str, str, str]:
        """(group key, display name, kind) for a claim's speaker."""
        sp = c.speaker
        ent = self.entities.get(sp.entity_id or "")
        name = ent.name if ent else sp.name or sp.text or "unnamed source"
        if ent is None and sp.name is None:
            name = f"{sp.text or 'unnamed source'} (unnamed)"
        return (sp.entity_id or name.lower()), name, sp.kind

    def speaker_ref(self, c: Claim) -> ActorRef:
        return ActorRef(name=self.speaker_label(c)[1], id=self.actor(c.speaker.entity_id))

    def speaks_for(self, entity_id: str | None) -> list[ActorRef]:
        """Whom a spokesperson or media wing speaks for, so a quote is read as its organisation's."""
        ent = self.entities.get(entity_id or "")
        rels = ent.relations if ent else []
        return [ActorRef(name=target.name, id=self.actor(target.id)) for r in rels if r.get("type") == "speaks_for"
                and (target := self.entities.get(str(r.get("entity_id") or ""))) is not None]


def claim_view(c: Claim, idx: _Index) -> ClaimView:
    a = idx.articles.get(c.article_id)
    return ClaimView(id=c.id, content=c.content, stance=c.stance, act=c.act, cue=c.cue, quote=c.quote,
                     figures=[fmt_quantity(q) for q in c.quantities], hedges=list(c.hedges),
                     outlet=idx.outlet(c.article_id), published=a.published if a else None,
                     sentence=c.sentence, copy=bool(a and a.duplicate_of))


def speaker_views(claims: Sequence[Claim], idx: _Index) -> list[SpeakerView]:
    groups: dict[str, SpeakerView] = {}
    for c in claims:
        key, name, kind = idx.speaker_label(c)
        if key not in groups:
            groups[key] = SpeakerView(name=name, kind=kind, actor=idx.actor(c.speaker.entity_id),
                                      speaks_for=idx.speaks_for(c.speaker.entity_id))
        groups[key].claims.append(claim_view(c, idx))
    for sp in groups.values():  # originals before syndicated copies, then in publication order
        sp.claims.sort(key=lambda v: (v.copy, v.published is None, v.published or ""))
    return sorted(groups.values(), key=lambda s: (-len(s.claims), s.name.lower()))


def _side_claim(c: Claim, idx: _Index) -> SideClaimView:
    a = idx.articles.get(c.article_id)
    return SideClaimView(id=c.id, speaker=idx.speaker_ref(c), act=c.act, outlet=idx.outlet(c.article_id),
                         published=a.published if a else None, sentence=c.sentence or c.content)


def dispute_view(d: Dispute, idx: _Index) -> DisputeView:
    sides = []
    for side in d.sides:
        claims = [idx.claims[c] for c in side.claim_ids if c in idx.claims]
        article_ids = side.article_ids or [c.article_id for c in claims]
        outlets = side.outlets or sorted({idx.outlet(a) for a in article_ids})
        sides.append(SideView(stance=side.stance, value=fmt_value(side.value), outlets=list(outlets),
                              claims=[_side_claim(c, idx) for c in claims]))
    label, meaning = DISPUTE_KINDS.get(d.kind, (d.kind.replace("_", " "), ""))
    return DisputeView(id=d.id, kind=d.kind, label=label, meaning=meaning, proposition=d.proposition,
                       explanation=d.explanation, sides=sides)


def _date_range(articles: Sequence[Article], timeline: Sequence[TimelineItem]) -> str:
    """Publication dates span the story; day-precise timeline dates stand in when none is known."""
    dates = sorted({a.published[:10] for a in articles if a.published}) or sorted(
        {t.date[:10] for t in timeline if t.date and t.precision == "day"})
    if not dates:
        return "undated"
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} → {dates[-1]}"


def _timeline_items(story: Story, articles: Sequence[Article]) -> list[TimelineItem]:
    """The story's timeline, or its articles' publication dates when reconcile built none."""
    return list(story.timeline) or [
        TimelineItem(date=a.published, precision="day" if a.published else None,
                     text=f"{a.outlet or 'unknown outlet'}: {headline(a.title)}", article_id=a.id, kind="published")
        for a in articles
    ]


def _timeline(items: Sequence[TimelineItem], idx: _Index) -> list[TimelineRow]:
    rows = [TimelineRow(date=t.date, precision=t.precision, kind=t.kind, text=t.text, outlet=idx.outlet(t.article_id))
            for t in items]
    return sorted(rows, key=lambda t: (t.date is None, t.date or ""))


@dataclass(slots=True)
class _StoryParts:
    """What belongs to one story, gathered before its view is built."""

    claims: list[Claim] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def story_view(story: Story, parts: _StoryParts, idx: _Index, titles: dict[str, str]) -> StoryView:
    articles = [idx.articles[a] for a in story.article_ids if a in idx.articles]
    outlets = sorted({a.outlet or "unknown outlet" for a in articles})
    cast = story_actors(list(idx.entities.values()), story.article_ids, STORY_ACTORS)
    related = [ActorRef(name=titles[r], id=r) for r in story.related_story_ids if r in titles and r != story.id]
    events = event_views(parts.events)
    for row in (r for e in events for r in e.ledger if r.claim_id not in idx.claims):
        row.claim_id = ""  # a figure whose claim is not stored is shown, but not linked to nothing
    items = _timeline_items(story, articles)
    points = place_points((p for a in story.article_ids for p in idx.places.get(a, [])),
                          (e.location.name for e in parts.events if e.location is not None))
    return StoryView(id=story.id, title=headline(story.title), outlets=outlets,
                     date_range=_date_range(articles, story.timeline), articles=articles,
                     timeline=_timeline(items, idx), speakers=speaker_views(parts.claims, idx),
                     disputes=[dispute_view(d, idx) for d in parts.disputes], events=events,
                     actors=[ActorRef(name=e.name, id=e.id) for e in cast], related=related, rules=figure_rules(events),
                     timeline_chart=timeline_svg(items, {a.id: idx.outlet(a.id) for a in articles}),
                     map_chart=map_svg(points), n_places=len(points))


def _ungrouped_stories(exs: Sequence[Extraction], grouped: set[str]) -> list[Story]:
    """Articles no story holds (e.g. before reconcile) each get a story of their own, so nothing is hidden."""
    return [Story(article_ids=[ex.article.id], title=ex.article.title or ex.article.source)
            for ex in exs if ex.article.id not in grouped]


def _parts(exs: Sequence[Extraction], rec: Reconciled, idx: _Index, stories: list[Story]) -> dict[str, _StoryParts]:
    """Claims, disputes and incidents per story id; records pointing at a story reconcile did not save
    go to an 'unassigned' story (appended to ``stories``): shown, not dropped."""
    story_of = {a: s.id for s in stories for a in s.article_ids}
    parts: dict[str, _StoryParts] = defaultdict(_StoryParts)
    for c in idx.claims.values():
        parts[c.story_id or story_of.get(c.article_id, "")].claims.append(c)
    for d in rec.disputes:
        parts[d.story_id].disputes.append(d)
    for e in rec.events or [e for ex in exs for e in ex.events]:
        parts[e.story_id or story_of.get(e.article_ids[0] if e.article_ids else "", "")].events.append(e)
    known = {s.id for s in stories}
    orphans = [k for k in parts if k not in known]
    if orphans:
        stories.append(Story(article_ids=[], title="Not assigned to a stored story", id="unassigned"))
        into = parts["unassigned"]
        for key in (k for k in orphans if k != "unassigned"):
            part = parts.pop(key)
            into.claims += part.claims
            into.disputes += part.disputes
            into.events += part.events
    return parts


def story_views(exs: Sequence[Extraction], rec: Reconciled) -> list[StoryView]:
    """Every story (articles no story holds get their own), most disputed first."""
    idx = _Index(articles={ex.article.id: ex.article for ex in exs},
                 claims={c.id: c for ex in exs for c in ex.claims},
                 entities={e.id: e for e in rec.entities},
                 places={ex.article.id: ex.places for ex in exs})
    stories = list(rec.stories)
    stories += _ungrouped_stories(exs, {a for s in stories for a in s.article_ids})
    parts = _parts(exs, rec, idx, stories)
    titles = {s.id: headline(s.title) for s in stories}
    views = [story_view(s, parts.get(s.id) or _StoryParts(), idx, titles) for s in stories]
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
    env.filters["date"] = fmt_date
    return env


def render_report(exs: Sequence[Extraction], rec: Reconciled, counts: dict[str, int]) -> str:
    """The report HTML for already-loaded records (``write_report`` reads them from a store)."""
    return _env().get_template("report.html.j2").render(
        counts=counts, stories=story_views(exs, rec), outlets=outlet_views(exs), actors=entity_views(rec.entities),
        dispute_kinds=DISPUTE_KINDS, limits=LIMITS,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_report(store: ReportSource, out: Path) -> None:
    """Write the HTML briefing for everything in ``store`` to ``out``."""
    exs = list(store.iter_extractions())
    html = render_report(exs, store.load_reconciled(), store.counts())
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
