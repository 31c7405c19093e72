"""The story page's own views, built on the briefing's story view: the five-line summary, the claims matrix
(propositions as rows, outlets as columns, each cell a stance and a figure linking to its sentence), the
articles with everything marked in place, and the points and items for the map and the timeline."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from rashomon.records import Article, Claim
from rashomon.web.fmt import fmt_value, headline
from rashomon.web.highlight import highlight
from rashomon.web.incidents import EventView
from rashomon.web.queries import StoryRecords
from rashomon.web.report import (
    ActorRef,
    DisputeView,
    SpeakerView,
    StoryView,
    TimelineRow,
    _Index,
    _StoryParts,
    story_view,
)

MATRIX_ROWS = 40
UNKNOWN_OUTLET = "unknown outlet"


@dataclass(slots=True)
class CellClaim:
    id: str
    label: str  # the figure, or the speech act when no figure is given
    content: str
    stance: str  # this claim's own: assert, deny or hedge


@dataclass(slots=True)
class MatrixCell:
    stance: str  # assert, deny, hedge (asserted with verification language) or mixed
    claims: list[CellClaim]


@dataclass(slots=True)
class MatrixRow:
    kind: str  # "dispute" (a disputed proposition) or "speaker" (what one speaker says)
    label: str
    detail: str
    cells: list[MatrixCell | None]  # one per source, in the matrix's column order


@dataclass(slots=True)
class Matrix:
    sources: list[str]
    rows: list[MatrixRow]


@dataclass(slots=True)
class StoryDetail:
    """What the API returns for a story: the briefing's story view (less its SVG charts), the five-line
    summary and the claims matrix."""

    id: str
    title: str
    date_range: str
    outlets: list[str]
    summary: list[str]
    matrix: Matrix
    disputes: list[DisputeView]
    events: list[EventView]
    speakers: list[SpeakerView]
    timeline: list[TimelineRow]
    actors: list[ActorRef]
    related: list[ActorRef]
    rules: dict[str, str]
    articles: list[Article]


@dataclass(slots=True)
class ArticleBlock:
    id: str
    title: str
    outlet: str
    published: str | None
    inferred: bool
    copy_of: str | None
    url: str | None
    html: Markup = field(default_factory=Markup)


def _outlet(c: Claim, outlets: dict[str, str]) -> str:
    return outlets.get(c.article_id) or UNKNOWN_OUTLET


def _stance(c: Claim) -> str:
    return "hedge" if c.stance == "assert" and c.hedges else c.stance


def _cell(claims: Sequence[Claim], labels: dict[str, str]) -> MatrixCell:
    stances = {c.stance for c in claims}
    if stances == {"deny"}:
        stance = "deny"
    elif len(stances) > 1:
        stance = "mixed"
    else:
        stance = "hedge" if any(c.hedges for c in claims) else "assert"
    return MatrixCell(stance=stance, claims=[CellClaim(id=c.id, label=labels.get(c.id) or c.act, content=c.content,
                                                       stance=_stance(c)) for c in claims])


def _row(kind: str, label: str, detail: str, claims: Sequence[Claim], sources: list[str],
         outlets: dict[str, str], labels: dict[str, str]) -> MatrixRow:
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_source[_outlet(c, outlets)].append(c)
    return MatrixRow(kind=kind, label=label, detail=detail,
                     cells=[_cell(by_source[s], labels) if by_source.get(s) else None for s in sources])


def claims_matrix(rec: StoryRecords, view: StoryView) -> Matrix:
    """Disputed propositions first (each side's value in its outlets' columns), then each speaker's claims."""
    outlets = {a.id: a.outlet or UNKNOWN_OUTLET for a in rec.articles}
    claims = {c.id: c for c in rec.claims}
    counts = Counter(_outlet(c, outlets) for c in rec.claims)
    sources = sorted({*outlets.values(), *counts}, key=lambda o: (-counts[o], o.lower()))
    rows = []
    for d in rec.disputes:
        labels = {cid: fmt_value(side.value) for side in d.sides if side.value is not None for cid in side.claim_ids}
        members = [claims[cid] for side in d.sides for cid in side.claim_ids if cid in claims]
        rows.append(_row("dispute", d.proposition, d.explanation, members, sources, outlets, labels))
    for sp in view.speakers[: max(0, MATRIX_ROWS - len(rows))]:
        members = [claims[c.id] for c in sp.claims if c.id in claims]
        labels = {c.id: ", ".join(c.figures) for c in sp.claims if c.figures}
        detail = headline(members[0].content, 140) if members else ""
        rows.append(_row("speaker", sp.name, detail, members, sources, outlets, labels))
    return Matrix(sources=sources, rows=rows)


def _agreed(rec: StoryRecords, view: StoryView) -> str:
    """Incidents several articles report alike, or else the accounts most outlets carry."""
    shared = [e for e in view.events if e.sources > 1]
    if shared:
        e = max(shared, key=lambda v: v.sources)
        agreed = [f"{r.best} {r.category}" for r in e.summary if r.low == r.high]
        figures = f"; all agree on {', '.join(agreed)}" if agreed else ""
        return f"Reported alike by {e.sources} articles: {e.kind} in {e.place}, {e.date}{figures}."
    carried = sorted(((len(s.outlets), s.name) for s in view.speakers if len(s.outlets) > 1), reverse=True)
    if carried:
        return "Accounts carried by several outlets: " + ", ".join(f"{n} ({k})" for k, n in carried[:3]) + "."
    return "No account is carried by more than one outlet."


def _disputed(view: StoryView) -> list[str]:
    lines = []
    for d in view.disputes[:2]:
        sides = " vs ".join(f"{s.value if s.value != '—' else s.stance} ({', '.join(s.outlets[:3]) or 'unknown'})"
                            for s in d.sides)
        lines.append(f"Disputed ({d.label}): {d.proposition}: {sides}.")
    if len(view.disputes) > 2:
        lines[-1] += f" And {len(view.disputes) - 2} more disputes below."
    return lines or ["No disagreement between sources was detected."]


def summary_lines(rec: StoryRecords, view: StoryView) -> list[str]:
    """Five lines: coverage, what sources agree on, what is disputed, denials and hedging."""
    n_out = len(view.outlets)
    coverage = (f"{len(view.articles)} articles from {n_out} outlet{'s' if n_out != 1 else ''}, {view.date_range}; "
                f"{len(rec.claims)} claims by {len(view.speakers)} speakers; {len(view.events)} incidents.")
    denials = sum(c.stance == "deny" for c in rec.claims)
    hedged = sum(bool(c.hedges) for c in rec.claims)
    editorial = sum(bool(p) for p in rec.evaluative.values())
    tone = (f"{denials} denial{'s' if denials != 1 else ''}; {hedged} claim{'s' if hedged != 1 else ''} hedged "
            "(unverified, 'purportedly'…); "
            f"{editorial} article{'s' if editorial != 1 else ''} with evaluative language.")
    return [coverage, _agreed(rec, view), *_disputed(view), tone][:5]


def article_blocks(rec: StoryRecords) -> list[ArticleBlock]:
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for c in rec.claims:
        by_article[c.article_id].append(c)
    return [ArticleBlock(id=a.id, title=headline(a.title), outlet=a.outlet or UNKNOWN_OUTLET, published=a.published,
                         inferred=a.published_inferred, copy_of=a.duplicate_of, url=a.url,
                         html=highlight(a.text, by_article[a.id], rec.sentences.get(a.id, []),
                                        rec.hedges.get(a.id, []), rec.evaluative.get(a.id, [])))
            for a in rec.articles]


def build_view(rec: StoryRecords) -> StoryView:
    """The briefing's story view (with its timeline and map) over this story's records only."""
    idx = _Index(articles={a.id: a for a in rec.articles}, claims={c.id: c for c in rec.claims},
                 entities={e.id: e for e in rec.entities}, places=rec.places)
    parts = _StoryParts(claims=list(rec.claims), disputes=list(rec.disputes), events=list(rec.events))
    titles = {k: headline(v) for k, v in rec.related_titles.items()}
    return story_view(rec.story, parts, idx, titles)


def story_detail(rec: StoryRecords, view: StoryView) -> StoryDetail:
    return StoryDetail(id=view.id, title=view.title, date_range=view.date_range, outlets=view.outlets,
                       summary=summary_lines(rec, view), matrix=claims_matrix(rec, view), disputes=view.disputes,
                       events=view.events, speakers=view.speakers, timeline=view.timeline, actors=view.actors,
                       related=view.related, rules=view.rules, articles=view.articles)
