"""Typed records shared by every stage (ingest -> extract -> reconcile -> store -> export).

Every stage speaks in these records and nothing else, so a stage can be swapped (a future
LLM-backed extractor only has to emit the same records). Offsets (`start`, `end`) are character
offsets into `Article.text`. Unknown values are ``None``, never guessed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Qualifier = Literal["exact", "at_least", "more_than", "at_most", "less_than", "approx", "range"]
Precision = Literal["day", "week", "month", "quarter", "year", "decade", "unknown"]
Stance = Literal["assert", "deny"]
QuoteKind = Literal["direct", "indirect", "mixed", "none"]
SpeakerKind = Literal["person", "organization", "group", "unnamed", "outlet", "pronoun"]

ENTITY_TYPES = (
    "person",
    "armed_group",
    "military",
    "police",
    "government",
    "ministry",
    "media_wing",
    "international_org",
    "organization",
    "place",
    "operation",
    "other",
)


def stable_id(prefix: str, *parts: object) -> str:
    """A short, deterministic id: same inputs always give the same id across runs and machines."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}_{h}"


_WS = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Whitespace-folded, lower-cased text: the basis of exact-duplicate hashes."""
    return _WS.sub(" ", text).strip().lower()


@dataclass(slots=True)
class Article:
    """One news article as ingested, before any extraction."""

    source: str  # path or URL it was read from (with '#N' for records inside a container file)
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None
    published_inferred: bool = False
    dateline: str | None = None
    author: str | None = None
    language: str | None = None
    format: str | None = None  # txt, html, jsonl, json, feed, warc
    duplicate_of: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_id("art", self.source, normalize_text(self.text))

    @property
    def content_hash(self) -> str:
        return hashlib.sha1(normalize_text(self.text).encode("utf-8")).hexdigest()

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class Mention:
    """A surface form of an entity in one article."""

    text: str
    start: int
    end: int
    type: str  # one of ENTITY_TYPES
    label: str | None = None  # the NER label it came from, if any
    sentence: int | None = None  # index of the sentence it is in
    entity_id: str | None = None  # filled by reconcile


@dataclass(slots=True)
class Quantity:
    text: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: Qualifier
    counted: str | None = None  # the counted noun: "soldiers", "people taken hostage"
    unit: str | None = None  # currency code for money, None for counts
    start: int = 0
    end: int = 0
    category: str | None = None  # killed, injured, captured, missing, money, other


@dataclass(slots=True)
class DateRef:
    text: str
    value: str | None  # ISO date of the point (or the start of a range)
    low: str | None
    high: str | None
    precision: Precision
    kind: str | None = None  # point, range, since, until, deadline
    start: int = 0
    end: int = 0

    @classmethod
    def published(cls, iso: str | None) -> DateRef | None:
        """The publication date as a day, the fallback date of an event that states none."""
        return cls(text=iso, value=iso, low=iso, high=iso, precision="day", kind="published") if iso else None


@dataclass(slots=True)
class Geo:
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 where known, else a name
    precision: str | None = None  # point, town, admin2, admin1, country, unknown


@dataclass(slots=True)
class Place:
    text: str
    name: str  # canonical gazetteer name, or the surface form when unresolved
    start: int
    end: int
    geo: Geo | None = None
    role: Literal["event", "context"] = "event"  # "borders Chad and Libya" -> context
    sentence: int | None = None
    entity_id: str | None = None


@dataclass(slots=True)
class Speaker:
    text: str | None
    name: str | None  # None when unnamed ("a man in the video", "officials")
    kind: SpeakerKind
    entity_id: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Claim:
    article_id: str
    speaker: Speaker
    cue: str | None
    act: str  # say, claim, deny, admit, allege, accuse, reject, warn, demand, vow, ...
    stance: Stance
    content: str
    quote: QuoteKind
    sentence: str
    span: tuple[int, int]
    quantities: list[Quantity] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    story_id: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_id("clm", self.article_id, self.span[0], self.span[1], self.content)


@dataclass(slots=True)
class Fatalities:
    low: int | None = None
    best: int | None = None
    high: int | None = None
    claim_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    """An incident as reported by one article (extract) or by several (reconcile).

    Reconcile fills the casualty ledger: ``ledger`` holds every source's figure as a dict with the keys
    ``category`` (killed, injured, captured, missing), ``value``, ``low``, ``high`` (None: open-ended),
    ``qualifier``, ``counted`` (the counted noun), ``claimant`` (speaker name or text, "outlet" for the
    outlet's own voice), ``outlet``, ``article_id``, ``claim_id``, ``date`` (ISO publication date or
    None), ``scope`` (the period covered, in words) and ``note`` (why it is not counted, or None), plus
    ``text``, ``victims`` and ``in_summary``. ``fatalities`` / ``injured`` / ``captured`` are the UCDP
    low / best / high over the counted figures, ``acled`` ACLED's conservative figure per category, and
    ``figure_rules`` the rule behind each summary ("low", "best", "high", "acled", "sources", "sides"),
    so a coder can see how every number was produced without reading code.
    """

    article_ids: list[str]
    event_type: str | None
    sub_event_type: str | None
    date: DateRef | None = None
    location: Place | None = None
    actor1: str | None = None
    actor2: str | None = None
    fatalities: Fatalities = field(default_factory=Fatalities)
    injured: Fatalities = field(default_factory=Fatalities)
    captured: Fatalities = field(default_factory=Fatalities)
    claim_ids: list[str] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # spans every field came from
    story_id: str | None = None
    notes: str | None = None
    ledger: list[dict[str, Any]] = field(default_factory=list)
    acled: dict[str, int] = field(default_factory=dict)
    figure_rules: dict[str, str] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            anchor = self.sentences[0] if self.sentences else (0, 0)
            self.id = stable_id("evt", ",".join(sorted(self.article_ids)), anchor, self.event_type)


@dataclass(slots=True)
class Extraction:
    """Everything the extract stage found in one article."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    evaluative: list[str] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # sentence spans


@dataclass(slots=True)
class Entity:
    """One identity across articles (reconcile)."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    mentions: int = 0
    geo: Geo | None = None
    merge_reasons: list[str] = field(default_factory=list)
    # Links kept apart from merges: {"type": "speaks_for", "entity_id", "reason"} (a spokesperson or media
    # wing and the organisation it speaks for), and {"entity_id", "reason"} for merges too unsure to make.
    relations: list[dict[str, Any]] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_id("ent", self.type, self.name.lower())


@dataclass(slots=True)
class TimelineItem:
    date: str | None
    precision: str | None
    text: str
    article_id: str
    kind: str  # published, incident, statement, deadline


@dataclass(slots=True)
class Story:
    article_ids: list[str]
    title: str
    event_ids: list[str] = field(default_factory=list)
    related_story_ids: list[str] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = stable_id("sty", min(self.article_ids) if self.article_ids else self.title)


@dataclass(slots=True)
class DisputeSide:
    claim_ids: list[str]
    stance: str
    value: Any
    article_ids: list[str]
    outlets: list[str]


@dataclass(slots=True)
class DisputeStance:
    """How one article of a dispute's story stands towards the disputed claim, so a reader sees which
    outlets carry the claim, which deny it and which only relay it or are about something else."""

    article_id: str
    outlet: str | None
    stance: str  # supports, denies, reports, unrelated
    sides: list[int] = field(default_factory=list)  # the dispute's sides whose claims the article carries
    basis: str = "model"  # claims: read from the claims it carries; model: the stance detector's answer
    confidence: float | None = None  # the detector's probability for its answer


@dataclass(slots=True)
class Dispute:
    story_id: str
    kind: str  # numeric, denial, rebuttal, outlet_numeric
    proposition: str
    sides: list[DisputeSide]
    explanation: str
    id: str = ""
    stances: list[DisputeStance] = field(default_factory=list)  # one per original article of the story

    def __post_init__(self) -> None:
        if not self.id:
            keys = sorted(cid for side in self.sides for cid in side.claim_ids)
            self.id = stable_id("dsp", self.story_id, self.kind, ",".join(keys))


def to_dict(record: Any) -> dict[str, Any]:
    """A record as plain JSON-able data (tuples become lists)."""
    return asdict(record)


@dataclass(slots=True)
class Reconciled:
    """What the reconcile stage derives from all stored extractions together.

    Reconcile also fills ``Claim.story_id``, ``Claim.speaker.entity_id``, ``Mention.entity_id``,
    ``Place.entity_id`` and ``Article.duplicate_of`` on the extractions it is given.
    """

    entities: list[Entity] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # incidents across articles
    disputes: list[Dispute] = field(default_factory=list)
