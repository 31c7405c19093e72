"""Denials and rebuttals: which assertions each denial answers, grouped into contested propositions.

A denial is paired by the first rule that applies, from the most to the least specific:
- figure: a denial that repeats a casualty figure answers every assertion of an overlapping figure
  of the same category and side;
- responsibility: a denial of involvement ("denied any role") answers claims that name the denier
  with a word of responsibility ("the KLA was behind the attack");
- casualty: a negated casualty statement ("none of its soldiers had been captured", "all our men are
  accounted for") answers assertions of the same category about the same side's people;
- reference: a rejection with no content of its own ("rejected the claim", "denies the charge")
  answers the nearest accusation or claim by someone else in the same article;
- content: an explicit denial answers assertions that share its specific words.
A negated statement that none of these rules pairs ("nobody helped us") is not a denial of anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rashomon.lexicon import load_list, load_map
from rashomon.reconcile.propositions import (
    CASUALTY,
    Scope,
    claimant,
    classes_in,
    explicit_scope,
    interval,
    victim_class,
    words,
)
from rashomon.records import Claim

REFERENCE_DISTANCE = 600  # characters between a bare rejection and the claim it refers to
NEGATION_REACH = 7  # words after "none of" / "not a single" within which the casualty word must come
CONTENT_SHARE = 0.6  # share of the shorter claim's specific words an explicit denial must repeat
STEM = 6  # words compared by their first letters, so "abducted" meets "abduction"
ACCUSATORY = frozenset({"accuse", "allege", "blame"})
CLAIMING = ACCUSATORY | {"claim"}
AGENT_ENDINGS = ("er", "ers", "or", "ors")  # "kidnappers", "captors" name the perpetrators, not what was done
FAMILY = {"killed": "killed", "injured": "injured", "captured": "captured", "missing": "captured"}


@dataclass(slots=True)
class Contest:
    """Assertions and the denials that answer them: one contested proposition."""

    asserts: list[Claim]
    denials: list[Claim]
    rule: str  # figure, responsibility, casualty, reference, content
    key: tuple[str, ...] = ()  # ("casualty", categories..., sides...): such contests merge by key

    @property
    def kind(self) -> str:
        """A rebuttal answers an accusation ("accused X of", "rejected the allegations"); anything
        else denied is a denial, whoever denies it (the accused party or its government)."""
        nouns = load_list("accusation_nouns")
        accused = any(set(words(d.sentence)) & nouns for d in self.denials)
        return "rebuttal" if accused or any(a.act in ACCUSATORY for a in self.asserts) else "denial"


def families(c: Claim) -> set[str]:
    """Casualty categories a claim speaks of, from its figures and its words ("captured", "custody")."""
    found = {FAMILY[q.category] for q in c.quantities if q.category in FAMILY}
    return found | {f for w in words(c.content) if (f := _family_of(w))}


def _family_of(word: str) -> str | None:
    """The casualty family a word names ("captured", "abduction", "custody"); not people nouns
    ("hostages" names the people, not what was done) nor perpetrators ("kidnappers")."""
    if word in load_map("victim_classes"):
        return None
    terms = {**load_map("casualty_terms"), **load_map("dispute_casualty_terms")}
    if word in terms:
        return FAMILY.get(terms[word])
    if word.endswith(AGENT_ENDINGS):
        return None
    cat = next((v for k, v in terms.items() if " " not in k and len(k) >= 4 and word.startswith(k)), None)
    return FAMILY.get(cat or "")


def _victims(c: Claim) -> set[str]:
    """Whose people a claim's casualties are: its figures' counted nouns, else any people it names."""
    counted = {v for q in c.quantities if q.category in CASUALTY and (v := victim_class(q)) not in (None, "unknown")}
    return counted or classes_in(c.content)


def _has_phrase(text: str, phrases: Sequence[str]) -> bool:
    low = f" {' '.join(words(text))} "
    return any(f" {' '.join(words(p))} " in low for p in phrases)


def negated(c: Claim) -> bool:
    """Denies something: a deny stance, a denial word ("propaganda", "baseless") or negated content."""
    if c.speaker.kind == "outlet":  # the outlet's own narrative is reporting, not a party's denial
        return False
    if c.stance == "deny":
        return True
    if c.act in CLAIMING:  # "blamed Syldavia, which rejected the allegations as baseless" still accuses
        return False
    ws = set(words(c.content))
    return bool(ws & load_list("denial_cues")) or _has_phrase(c.content, list(load_map("negated_content")))


def _negates_casualty(c: Claim, phrase: str, category: str) -> bool:
    """A negation phrase denies a casualty when it names one ("accounted for") or when a casualty
    word follows it closely ("none of its soldiers had been captured", not "no one answered")."""
    toks, ph = words(c.content), words(phrase)
    starts = [i for i in range(len(toks)) if toks[i : i + len(ph)] == ph]
    if not starts or category in FAMILY:
        return bool(starts)
    return any(_family_of(w) for i in starts for w in toks[i : i + NEGATION_REACH])


def _denied_families(c: Claim) -> set[str]:
    """Categories a denial denies wholesale. Killed and injured need negated content ("not a single
    soldier was killed"): a rejection that mentions the dead ("17 nationals were among the militants
    killed") denies something else about them, not the toll; captivity is denied either way."""
    negations = load_map("negated_content")
    blanket = any(_negates_casualty(c, p, cat) for p, cat in negations.items())
    fams = {f for f in families(c) if blanket or f == "captured"}
    for phrase, cat in negations.items():
        if cat in FAMILY and _has_phrase(c.content, [phrase]):
            fams.add(FAMILY[cat])
    explicit = c.stance == "deny" or c.act in load_list("denial_acts") or set(words(c.content)) & load_list("denial_cues")
    return fams if blanket or explicit else set()


def _specific(c: Claim) -> set[str]:
    """Content words that say what a claim is about, beyond casualty and people words."""
    generic = load_list("dispute_stopwords") | load_list("denial_cues") | load_list("rejection_nouns") | set(load_map("victim_classes"))
    out = {w[:STEM] for w in words(c.content) if len(w) > 2 and w not in generic}
    return out - {k[:STEM] for k in load_map("casualty_terms")}


def _is_reference(d: Claim) -> bool:
    """A rejection that only names what it rejects ("the claim", "the allegations as baseless")."""
    named = set(words(d.content)) & (load_list("rejection_nouns") | load_list("denial_cues"))
    return d.act in load_list("denial_acts") and bool(named) and not _specific(d)


def _mentions(text: str, forms: set[str]) -> bool:
    low = f" {' '.join(words(text))} "
    return any(f" {' '.join(words(f))} " in low for f in forms if len(f) >= 3 or (len(f) == 2 and f.isupper()))


class DenialPairer:
    """Pairs each denial of a story with the assertions it answers."""

    def __init__(self, claims: Sequence[Claim], forms: Mapping[str, set[str]]) -> None:
        self.claims = sorted(claims, key=lambda c: (c.article_id, c.span[0]))
        self.forms = forms  # entity id -> surface forms, to see who a claim names
        self.asserts = [c for c in self.claims if c.speaker.kind != "outlet" and not negated(c)]

    def _others(self, d: Claim) -> list[Claim]:
        return [a for a in self.asserts if claimant(a) != claimant(d)]

    def figure(self, d: Claim) -> list[Claim]:
        """A denial that repeats a casualty figure ("a figure the military dismissed as fiction")
        answers every assertion of that figure: same category and side, overlapping values."""
        denied = [(q.category, v, iv) for q in d.quantities if q.category in CASUALTY
                  and (v := victim_class(q)) not in (None, "unknown") and (iv := interval(q))]
        return [
            a for a in self._others(d)
            if any(q.category == cat and victim_class(q) == v and (iv2 := interval(q)) and iv2[0] <= iv[1] and iv[0] <= iv2[1]
                   for q in a.quantities for cat, v, iv in denied)
        ]

    def casualty(self, d: Claim) -> list[Claim]:
        fams, who = _denied_families(d), self._denied_victims(d)
        if not fams or not who:
            return []
        return [a for a in self._others(d) if families(a) & fams and _victims(a) & who]

    def _denied_victims(self, d: Claim) -> set[str]:
        """Whose people a denial speaks of; "all our men are accounted for" means the one side the
        story's assertions of that category name, when they name exactly one."""
        who = _victims(d)
        fixed = [p for p, cat in load_map("negated_content").items() if cat in FAMILY and _has_phrase(d.content, [p])]
        if who or not fixed:
            return who  # only a phrase that names the casualty ("accounted for") may borrow the side
        fams = _denied_families(d)
        named = {v for a in self._others(d) if families(a) & fams for v in _victims(a)}
        return named if len(named) == 1 else set()

    def responsibility(self, d: Claim) -> list[Claim]:
        cues = sorted(load_list("responsibility_cues"))
        forms = set(self.forms.get(d.speaker.entity_id or "", set())) | {f for f in (d.speaker.name, d.speaker.text) if f}
        if not _has_phrase(d.content, cues) or (d.stance != "deny" and d.act not in load_list("denial_acts")):
            return []  # "all personnel involved ... accounted for" denies no involvement
        return [a for a in self._others(d) if _has_phrase(a.content, cues) and _mentions(a.content, forms)]

    def reference(self, d: Claim) -> list[Claim]:
        before = [
            a for a in self._others(d)
            if a.article_id == d.article_id and (a.span[0] < d.span[0] or a.sentence == d.sentence)
        ]
        claiming = [a for a in before if a.act in CLAIMING]
        near = [a for a in before if abs(a.span[0] - d.span[0]) <= REFERENCE_DISTANCE]
        pool = claiming or near
        return [min(pool, key=lambda a: abs(a.span[0] - d.span[0]))] if pool else []

    def content(self, d: Claim) -> list[Claim]:
        """Assertions repeating the denial's specific words, and its numbers if it gives any."""
        mine, numbers = _specific(d), {q.value for q in d.quantities if q.value is not None}
        out = []
        for a in self._others(d):
            if numbers and not numbers & {q.value for q in a.quantities}:
                continue
            theirs = _specific(a)
            shared, shorter = len(mine & theirs), min(len(mine), len(theirs))
            if shared >= 2 and (shared == shorter or shared >= CONTENT_SHARE * shorter):
                out.append(a)
        return out

    def contests(self) -> list[Contest]:
        """One contest per denial, by the first rule that pairs it; explicit denials only for content."""
        out = []
        for d in (c for c in self.claims if negated(c)):
            for rule in ("figure", "responsibility", "casualty", "reference", "content"):
                if rule == "content" and d.act not in load_list("denial_acts"):
                    break
                if rule == "reference" and not _is_reference(d):
                    continue
                targets = getattr(self, rule)(d)
                if targets:
                    key = (rule, *sorted(_denied_families(d)), *sorted(self._denied_victims(d))) if rule == "casualty" else ()
                    contest = Contest(targets, [d], rule, key)
                    contest.asserts = self._same_accusations(targets, contest.kind == "rebuttal")
                    out.append(contest)
                    break
        return merge_contests(out)

    def _same_accusations(self, targets: list[Claim], rebutted: bool = False) -> list[Claim]:
        """An accusation stands with the other accusations of the same matter in every outlet
        ("accused Syldavia of backing the gunmen" / "... of backing the kidnappers"); a statement
        rebutted as an allegation ("an allegation Syldavia has denied") counts as one."""
        out = list(targets)
        for t in (t for t in targets if rebutted or t.act in ACCUSATORY):
            mine = _specific(t)
            out += [a for a in self.asserts if a.act in ACCUSATORY and a not in out and _same_matter(t, a, mine)]
        return out


def _same_matter(t: Claim, a: Claim, mine: set[str]) -> bool:
    """The same accuser sharing a specific word, or anyone sharing two and half of the shorter claim's."""
    theirs = _specific(a)
    shared = len(mine & theirs)
    if claimant(a) == claimant(t):
        return shared >= 1
    return shared >= 2 and shared >= 0.5 * min(len(mine), len(theirs))


def merge_contests(contests: list[Contest]) -> list[Contest]:
    """Contests that answer a common assertion, or deny the same casualty proposition, are one."""
    merged: list[Contest] = []
    for c in contests:
        ids = {a.id for a in c.asserts}
        home = next(
            (m for m in merged if (c.key and m.key == c.key) or ids & {a.id for a in m.asserts}),
            None,
        )
        if home is None:
            merged.append(Contest(list(c.asserts), list(c.denials), c.rule, c.key))
            continue
        if c.key and not home.key:  # a casualty proposition names the merged contest best
            home.rule, home.key = c.rule, c.key
        home.asserts += [a for a in c.asserts if a.id not in {x.id for x in home.asserts}]
        home.denials += [d for d in c.denials if d.id not in {x.id for x in home.denials}]
    return merged


def contest_text(contest: Contest, names: Mapping[str, str]) -> str:
    """Plain words for what is contested: "security forces captured on 1 March 2025", "over 50
    security forces killed", or the lead assertion with its speaker ("Jane Roe accused ...")."""
    if contest.rule == "casualty" and contest.key:
        fams = [k for k in contest.key[1:] if k in FAMILY.values()]
        who = " and ".join(k.replace("_", " ") for k in contest.key[1:] if k not in FAMILY.values())
        return f"{who} {min(fams)}{_usual_day(contest.asserts)}"
    figures = [q for d in contest.denials for q in d.quantities if q.category in CASUALTY]
    if contest.rule == "figure" and figures:
        q = figures[0]
        return f"{q.text} {(victim_class(q) or 'people').replace('_', ' ')} {q.category}"
    lead = min(contest.asserts, key=lambda a: (a.act not in ACCUSATORY, a.speaker.name is None))
    who = names.get(lead.id) or lead.speaker.name or lead.speaker.text or "a source"
    return f"{who} {lead.cue or 'said'} {short(lead.content)}"


def _usual_day(claims: Sequence[Claim]) -> str:
    """The day most assertions give, when at least two agree on it and no other day is as common."""
    days = Counter(s.value for a in claims if (s := explicit_scope(a)) and s.kind == "day" and s.value)
    top = days.most_common(2)
    if not top or top[0][1] < 2 or (len(top) > 1 and top[1][1] == top[0][1]):
        return ""
    return f" {Scope('day', top[0][0]).phrase()}"


def short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"
