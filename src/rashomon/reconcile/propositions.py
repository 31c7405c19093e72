"""Propositions: the claims of one story grouped by what they are about, so only like meets like.

A figure proposition is one casualty category (killed, injured, captured, missing) of one side's
people (security forces, militants, civilians) over one scope (a dated day, a campaign, a year...)
and, for a figure of one incident (no wider scope), the story's incident it is about: a toll retold
from another incident is never set against this one's.
Figures of the same category and people but another scope are *set aside* with the reason, because
"at least 40 on 3 March" and "130 in the week-long campaign" can both be true.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from rashomon.lexicon import load_list, load_map
from rashomon.records import Claim, DateRef, Quantity

CASUALTY = ("killed", "injured", "captured", "missing")
COMBINED = "killed or injured"  # a combined count: never compared with either alone
COMBINED_WINDOW = 60  # characters after a figure searched for a combined-count phrase
APPROX_MARGIN = 0.1  # "about 30" covers 27..33
INHERIT_DISTANCE = 400  # characters: a figure with no scope takes its speaker's scope this close before it
INCIDENT_SCOPES = ("incident", "day", "with_perpetrator")  # scopes of one incident: keyed to the incident
Home = Callable[[Claim, Quantity], str | None]  # the incident a figure is about; None: retold background
_WORD = re.compile(r"[a-z]+")


def words(text: str | None) -> list[str]:
    """Lower-case word tokens."""
    return _WORD.findall((text or "").lower())


def interval(q: Quantity) -> tuple[float, float] | None:
    """The values a figure admits, from its qualifier."""
    if q.value is None and q.low is None:
        return None
    v = q.value if q.value is not None else q.low
    assert v is not None
    if q.qualifier == "exact":
        return (v, v)
    if q.qualifier == "range":
        return (q.low if q.low is not None else v, q.high if q.high is not None else v)
    if q.qualifier == "at_least":
        return (q.low if q.low is not None else v, math.inf)
    if q.qualifier == "more_than":
        return (q.low if q.low is not None else math.floor(v) + 1, math.inf)
    if q.qualifier == "at_most":
        return (0, q.high if q.high is not None else v)
    if q.qualifier == "less_than":
        return (0, q.high if q.high is not None else math.ceil(v) - 1)
    return (q.low if q.low is not None else v * (1 - APPROX_MARGIN), q.high if q.high is not None else v * (1 + APPROX_MARGIN))


def category(claim: Claim, q: Quantity) -> str | None:
    """The casualty category a figure counts; "30 killed or injured" is its own category."""
    if q.category not in ("killed", "injured"):
        return q.category
    at = _position(claim, q)
    after = claim.sentence[at : at + len(q.text) + COMBINED_WINDOW] if at >= 0 else ""
    low = f" {' '.join(words(after))} "
    return COMBINED if any(f" {' '.join(words(c))} " in low for c in load_list("combined_casualty_cues")) else q.category


def _position(claim: Claim, q: Quantity) -> int:
    """Where a figure stands in its claim's sentence: the occurrence its counted noun follows
    ("the two knives used to kill the three men": "three" before "men", not "three pistols")."""
    spots = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(q.text)}(?!\w)", claim.sentence)]
    head = words(q.counted)[:1]
    return next((i for i in spots if words(claim.sentence[i + len(q.text) :])[:1] == head), spots[0] if spots else -1)


def is_partial(claim: Claim, q: Quantity) -> bool:
    """A figure that counts part of a larger whole: "four of the five", "two women were also wounded",
    "another three", "the three most seriously injured", "the two people who arrived later". "Of"
    right after the figure, a definite determiner right before it, or a cue among the two words before
    it (not "of": "accused of shooting five people" counts a whole), its counted noun and the three
    words after, decides."""
    at = _position(claim, q)
    if at < 0:
        return False
    cues = load_list("partial_count_cues")
    before = words(claim.sentence[:at])[-2:]
    after = words(claim.sentence[at + len(q.text) :])
    head = len(words(q.counted))
    partitive = after[:1] == ["of"] and after[1:2] not in (["its"], ["their"], ["our"])  # "11 of its fighters" is whole
    definite = bool(before) and before[-1] in load_list("definite_determiners")
    # "of" marks a part only after the figure: before it ("accused of shooting five", "two of five") the
    # figure is the whole
    return bool(partitive or definite or cues & set(before) - {"of"} or cues & set(after[: head + 3]) - {"of"})


def is_reference_mark(claim: Claim, q: Quantity) -> bool:
    """A bracketed number ("killed six people.[37]") is a citation mark copied from a wiki, not a figure."""
    at = claim.sentence.find(f"[{q.text}]")
    return at >= 0 and claim.sentence.find(q.text) == at + 1


def is_vague(q: Quantity) -> bool:
    """"dozens", "tens of thousands": a vague count gives the ledger ACLED's floor (12, 10000) but
    bounds nothing a source could be contradicted on; such figures are never disputed."""
    return any(w in {x for k in load_map("quantity_vague") for x in words(k)} for w in words(q.text)) and not any(
        ch.isdigit() for ch in q.text
    )


def _is_person(word: str) -> bool:
    persons = load_list("casualty_person_nouns")
    return word in load_map("victim_classes") or word in persons or word.rstrip("s") in persons


def victim_class(q: Quantity) -> str | None:
    """Whose people a figure counts (security_forces, militants, civilians, unknown), from the counted
    noun; None when the counted noun is not people at all ("two passenger buses", "3,000 kilogrammes")."""
    counted = words(q.counted)
    if not counted:
        return "unknown"
    if not _is_person(counted[-1]):
        return None
    classes = load_map("victim_classes")
    return next((classes[w] for w in reversed(counted) if classes.get(w, "unknown") != "unknown"), "unknown")


def classes_in(text: str) -> set[str]:
    """Victim classes named anywhere in a text ("none of our soldiers" -> security_forces)."""
    classes = load_map("victim_classes")
    low = text.lower()
    found = {classes[w] for w in words(text) if classes.get(w, "unknown") != "unknown"}
    found |= {c for k, c in classes.items() if " " in k and k in low and c != "unknown"}
    return found


@dataclass(frozen=True, slots=True)
class Scope:
    """The extent a figure covers: kind is day, campaign, period or incident; value dates it."""

    kind: str
    value: str = ""

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.value}" if self.value else self.kind

    def phrase(self) -> str:
        """Plain words for the scope ("on 3 March 2025", "over the whole campaign")."""
        if self.kind == "day":
            return f"on {_human_date(self.value)}" if self.value else "in a single day"
        if self.kind == "campaign":
            return "over the whole operation or campaign"
        if self.kind == "cumulative":
            return "in total so far"
        if self.kind == "with_perpetrator":
            return "counting the attacker among the dead"
        if self.kind == "period":
            if not self.value[:1].isdigit():
                return f"over the {self.value}"
            lo, _, hi = self.value.partition("..")
            if lo[:4] == hi[:4] and lo.endswith("-01-01") and hi.endswith("-12-31"):
                return f"in {lo[:4]}"
            return f"since {_human_date(lo)}" if not hi else f"from {_human_date(lo)} to {_human_date(hi)}"
        return "in the incident itself (no date or period given)"


def _human_date(iso: str) -> str:
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _cue_scope(text: str) -> Scope | None:
    """A scope phrase from the scope_cues lexicon; a day cue ("in a single day") beats a period cue."""
    low = f" {' '.join(words(text))} "
    hits = [label for cue, label in load_map("scope_cues").items() if f" {' '.join(words(cue))} " in low]
    if not hits:
        return None
    label = next((h for h in ("day", "with_perpetrator") if h in hits), hits[0])
    kind, _, value = label.partition(":")
    plain = ("day", "campaign", "cumulative", "with_perpetrator")
    return Scope("campaign" if kind == "period" and value == "campaign" else kind, "" if kind in plain else value)


def _date_scope(dates: Sequence[DateRef]) -> Scope | None:
    """A period date (since, range, week or longer) beats a day: "said on Thursday it had killed ... since"."""
    for d in dates:
        if d.kind == "since" and (d.low or d.value):
            return Scope("period", f"{d.low or d.value}..")
        if (d.kind == "range" or d.precision in ("week", "month", "quarter", "year")) and (d.low or d.value):
            return Scope("period", f"{d.low or d.value}..{d.high or ''}")
    days = [d for d in dates if d.precision == "day" and d.kind in (None, "point") and d.value]
    return Scope("day", days[0].value or "") if days else None


def explicit_scope(claim: Claim) -> Scope | None:
    """The scope a claim's own words give, if any."""
    return _cue_scope(claim.content) or _date_scope(claim.dates)


@dataclass(slots=True)
class Figure:
    """One casualty figure in one claim, with the values it admits."""

    claim: Claim
    quantity: Quantity
    low: float
    high: float
    victims: str
    scope: Scope

    @property
    def claimant(self) -> str:
        return claimant(self.claim)


def claimant(c: Claim) -> str:
    """Who stands behind a claim: the speaker's entity or name; the outlet itself for its own voice."""
    sp = c.speaker
    if sp.kind == "outlet":
        return f"outlet:{c.article_id}"
    return sp.entity_id or (sp.name or sp.text or "unknown").lower()


def claimant_name(c: Claim, outlet: str = "") -> str:
    if c.speaker.kind == "outlet":
        return outlet or "the outlet"
    return c.speaker.name or c.speaker.text or "an unnamed source"


@dataclass(slots=True)
class FigureProposition:
    """Figures about the same thing: one category, one side's people, one scope, one story."""

    category: str
    victims: str
    scope: Scope
    figures: list[Figure]
    set_aside: list[tuple[Figure, str]] = field(default_factory=list)  # same people, why not compared
    incident: str = ""  # the story's incident the figures are about ("" for a wider scope)

    @property
    def text(self) -> str:
        who = "people" if self.victims == "unknown" else self.victims.replace("_", " ")
        return f"{who} {self.category} {self.scope.phrase()}"


def _scoped_claims(claims: Sequence[Claim]) -> dict[str, Scope]:
    """Each claim's scope: its own, or (when it gives none) its speaker's scope just before it in the
    same article ("The militants were killed on 3 March ... Four soldiers were also killed, it said")."""
    out: dict[str, Scope] = {}
    last: dict[tuple[str, str], tuple[int, Scope]] = {}
    for c in sorted(claims, key=lambda c: (c.article_id, c.span[0])):
        key = (c.article_id, claimant(c))
        own = explicit_scope(c)
        prev = last.get(key)
        if own is None and prev is not None and c.span[0] - prev[0] <= INHERIT_DISTANCE:
            own = prev[1]
        out[c.id] = own or Scope("incident")
        if own is not None:
            last[key] = (c.span[1], own)
    return out


Key = tuple[str, str, Scope, str]  # category, victims, scope, incident


def _fold(groups: dict[Key, list[Figure]]) -> None:
    """Undated figures ("in a single day", or no scope at all) join their proposition's one dated day
    when that day is the only other scope; beside a campaign total they stay apart (never guessed)."""
    for key in list(groups):
        cat, who, sc, inc = key
        if sc.kind not in ("incident", "day") or sc.value:
            continue
        others = [k for k in groups if k[:2] == (cat, who) and k[3] == inc and k != key]
        if len(others) == 1 and others[0][2].kind == "day" and others[0][2].value:
            for f in groups.pop(key):
                f.scope = others[0][2]
                groups[others[0]].append(f)


def _heads(figures: list[Figure]) -> list[Figure]:
    """One figure per article and claimant, its largest: the other figures one source gives for the
    same thing are parts of it ("killed six people ... three men were found dead at the flat")."""
    best: dict[tuple[str, str], Figure] = {}
    for f in figures:
        key = (f.claim.article_id, f.claimant)
        if key not in best or (f.low, f.high) > (best[key].low, best[key].high):
            best[key] = f
    return list(best.values())


def _join_unknown(groups: dict[Key, list[Figure]]) -> None:
    """Figures of unnamed people ("over 30 were taken") join the one side counted in the same
    category, scope and incident; beside two sides they stay apart."""
    for key in [k for k in groups if k[1] == "unknown"]:
        known = [k for k in groups if (k[0], k[2], k[3]) == (key[0], key[2], key[3]) and k[1] != "unknown"]
        if len(known) == 1:
            groups[known[0]].extend(groups.pop(key))


def _incident_of(c: Claim, q: Quantity, scope: Scope, home: Home | None) -> str | None:
    """The incident key of a figure: "" over a wider scope (a campaign's toll spans the story), the
    incident ``home`` names (None: retold background), or the story's one incident without ``home``."""
    if scope.kind not in INCIDENT_SCOPES:
        return ""
    return home(c, q) if home else "story"


def figure_propositions(claims: Sequence[Claim], home: Home | None = None) -> list[FigureProposition]:
    """Every casualty figure a source asserts in these claims, grouped into propositions; figures
    that count part of a whole or a single described victim are left to the ledger. ``home`` names the
    incident a figure of one incident is about (None: background an article retells, never compared
    in this story); by default every figure is about the story's one incident. Figures over a wider
    scope (a campaign, a year) are compared across the story."""
    scopes = _scoped_claims(claims)
    groups: dict[Key, list[Figure]] = defaultdict(list)
    for c in claims:
        if c.stance != "assert" or c.speaker.kind == "outlet":
            continue  # an outlet's own narrative figures are mostly parts ("one man was shot in the leg")
        for q in c.quantities:
            cat = category(c, q)
            if cat not in (*CASUALTY, COMBINED) or (iv := interval(q)) is None or (who := victim_class(q)) is None:
                continue
            if is_partial(c, q) or iv == (1, 1) or is_reference_mark(c, q) or is_vague(q):
                continue  # a part, or one victim described ("the boy", "one man was hit")
            if (inc := _incident_of(c, q, scopes[c.id], home)) is None:
                continue  # retold from before the story: another incident's figure
            groups[(cat, who, scopes[c.id], inc)].append(Figure(c, q, iv[0], iv[1], who, scopes[c.id]))
    _fold(groups)
    _join_unknown(groups)
    props = [FigureProposition(cat, who, sc, _heads(figs), incident=inc) for (cat, who, sc, inc), figs in groups.items()]
    for p in props:
        p.set_aside = [(f, why) for o in props if o is not p and (why := _why_apart(p, o)) for f in o.figures]
    return props


def _why_apart(p: FigureProposition, o: FigureProposition) -> str | None:
    """Why figures of ``o`` are not compared with ``p``'s, when a reader might expect them to be."""
    if o.victims != p.victims:
        return None
    if o.category == p.category and o.scope == p.scope:
        return "another incident of the story"
    if o.category == p.category:
        return f"a different scope ({o.scope.phrase()})"
    if COMBINED in (o.category, p.category) and {o.category, p.category} - {COMBINED} <= {"killed", "injured"}:
        return f"a different count ({o.category})"
    return None
