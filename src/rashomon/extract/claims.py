"""Attributed claims: who said what, with which act and stance, on the dependency parse.

Why on the parse and not on patterns: the speaker of "said" is its subject wherever it stands
("X said", "said X", "it was claimed by X"), and the content is its clausal complement, which the
parse delimits. Quotes come from :mod:`rashomon.extract.quotes` (layout, not syntax), speakers from
:mod:`rashomon.extract.speakers`. Sentences stating an incident in the outlet's own voice become
``kind="outlet"`` claims so every figure has an owner.

:func:`attributions` returns claims with their character spans (speaker, cue, content pieces) so
benchmarks and the UI can highlight them; the registered stage turns them into :class:`Claim`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

from rashomon.extract.quotes import (
    Quote,
    find_quotes,
    overlapping,
    paragraphs,
    quote_text,
)
from rashomon.extract.sentences import (
    doc_text,
    sentence_char_spans,
    sentence_of,
    sentences,
)
from rashomon.extract.speakers import SpeakerResolver, noun_phrase
from rashomon.lexicon import load_list, load_map
from rashomon.records import Claim, Extraction, QuoteKind, Speaker, Stance
from rashomon.registry import register

_SUBJ = ("nsubj", "nsubjpass", "expl")
_CLAUSE = ("ccomp", "parataxis")
_OBJ_ACTS = frozenset(
    {
        "deny",
        "reject",
        "confirm",
        "admit",
        "accuse",
        "allege",
        "demand",
        "warn",
        "vow",
        "condemn",
        "question",
    }
)
_LABEL_DEPS = ("oprd", "acomp", "advcl", "xcomp", "attr")
_NO_DENIAL_ACTS = frozenset({"vow", "warn", "demand"})  # "vowed no one would be spared" is no denial
_NEG_SUBJ = frozenset({"no", "none", "nobody", "nothing", "neither", "no one", "noone"})
_DATELINE = re.compile(
    r"[A-Z][A-Z .'-]{2,}(?:,[^\n:–—]{0,60}?)?(?:\s*\([^)\n]{1,40}\))?\s*(?::|[-–—]{1,2})\s+"
)
_WH_PRONOUNS = frozenset(
    {"which", "what", "that", "it", "this", "who", "whom", "so", "as"}
)
_TRANSCRIPT = re.compile(
    r"((?:[A-Z][\w.'’&-]*|Mc\w+)(?:\s+(?:[A-Z][\w.'’&-]*|of|the|and|de|al|bin)){0,4})\s*:[ \t]+(\S)"
)
# acts kept as a claim of their own when reported inside another speaker's words ("X said the rebels
# claimed ..."): those that take a side. A nested plain "say", belief or intention stays part of the
# outer claim (measured on PolNeAR train: keeping them all costs more precision than it gains recall)
_NESTED_ACTS = _OBJ_ACTS | {"claim"}
_CUE_MODS = frozenset({"prep", "advmod", "npadvmod", "oprd", "acomp", "agent", "prt"})
_FENCE = frozenset({",", ";", "—", "–", "-"})
_SENT_END = ".!?\"”»…:)'’"


@dataclass(slots=True)
class Attribution:
    """A claim with the character spans it was built from (all offsets into the article text)."""

    speaker: Speaker
    cue: str | None
    cue_span: tuple[int, int] | None
    act: str
    content_spans: list[tuple[int, int]]
    quote: QuoteKind
    sentence_span: tuple[int, int]
    content_text: str = ""
    stance: Stance = "assert"
    hedges: list[str] = field(default_factory=list)
    inherited: bool = False  # speaker and cue taken from an adjacent attribution
    # the cue with its own modifiers ("rejected on Sunday as baseless")
    cue_phrase: tuple[int, int] | None = None

    @property
    def span(self) -> tuple[int, int]:
        """The smallest stretch covering speaker, cue and content.

        Why not the sentence: one sentence often holds two claims ("X said A, but Y said B"), and each
        must point at its own words. Claims with no cue of their own (outlet voice, a quote inheriting
        its speaker) keep their sentence.
        """
        points = [p for s in self.content_spans for p in s]
        if self.cue_span is None or not points:
            points += [self.sentence_span[0], self.sentence_span[1]]
        else:
            points += [self.cue_span[0], self.cue_span[1]]
            if self.cue_phrase is not None:
                points += [self.cue_phrase[0], self.cue_phrase[1]]
        if self.speaker.start is not None and self.speaker.end is not None:
            points += [self.speaker.start, self.speaker.end]
        return min(points), max(points)


# ---- lexicon helpers --------------------------------------------------------------------------
@cache
def _phrase_regex(name: str) -> re.Pattern[str] | None:
    """One case-insensitive, word-bounded alternation of a list lexicon, longest phrases first."""
    words = sorted(load_list(name), key=len, reverse=True)
    if not words:
        return None
    alts = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)


def find_phrases(
    name: str, text: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int, str]]:
    """(start, end, surface) of every phrase of lexicon ``name`` in ``text[start:end]``."""
    rx = _phrase_regex(name)
    if rx is None:
        return []
    end = len(text) if end is None else end
    return [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text, start, end)]


def _act_of(tok: Token) -> str | None:
    verbs = load_map("reporting_verbs")
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX") and not (
        tok.pos_ == "NOUN" and tok.dep_ == "ROOT"
    ):
        return None
    for c in tok.children:  # phrasal cues: "call for", "point out"
        if c.dep_ in ("prt", "prep") and f"{lemma}_{c.lower_}" in verbs:
            return verbs[f"{lemma}_{c.lower_}"]
    return verbs.get(lemma)


# ---- layout: headings and captions ------------------------------------------------------------
def nonprose_lines(text: str) -> list[tuple[int, int]]:
    """Headings and photo captions: short lines without final punctuation, or lines opening like a caption."""
    out = []
    prefixes = tuple(load_list("caption_prefixes"))
    for start, end in paragraphs(text):
        line = text[start:end]
        low = line.lower()
        short = len(line.split()) <= 14 and line[-1] not in _SENT_END
        if short or low.startswith(prefixes):
            out.append((start, end))
    return out


def _in_spans(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


# ---- speaker and content from the parse -------------------------------------------------------
def _same_para(text: str, a: Token, b: Token) -> bool:
    """No line break between two tokens: the parser may run one sentence over a heading."""
    lo, hi = sorted((a.idx, b.idx))
    return "\n" not in text[lo:hi]


def _parallel_cue(tok: Token) -> Token | None:
    """The outer reporting verb that ``tok`` is really coordinated with, if the parser hung it inside content.

    "The army said the video was fake and said none ..." is parsed with the second "said" as a conjunct
    of "was" (inside the first claim's content). A reporting verb conjoined to a content clause of a
    reporting verb of the same form is a second claim of the outer speaker, not reported speech.
    """
    head = tok.head
    if tok.dep_ != "conj" or head.i == tok.i or head.dep_ not in _CLAUSE:
        return None
    outer = head.head
    if outer.i == head.i or _act_of(head) is not None or _act_of(outer) is None:
        return None
    if _act_of(tok) is None or tok.tag_ != outer.tag_:
        return None
    return outer


def _subject(verb: Token, sent_start: int, text: str = "") -> tuple[Token | None, bool]:
    """The speaker token of a reporting verb (climbing conj/xcomp/advcl chains) and whether one is needed."""
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            break
        if not any(c.dep_ in _SUBJ or c.dep_ == "agent" for c in tok.children):
            outer = _parallel_cue(tok)
            if outer is not None:
                tok = outer
                continue
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj, True
        subjects = [c for c in tok.children if c.dep_ == "nsubj"]
        subj = subjects[0] if subjects else None
        if len(subjects) > 1 and subj is not None and subj.lemma_.lower() in load_list("rejection_nouns"):
            subj = subjects[-1]  # "..., a charge the militia rejected" parsed with two subjects
        if subj is not None and text and not _same_para(text, subj, verb):
            break
        if subj is not None:
            if subj.tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
                return tok.head, True
            return subj, True
        passive = next(
            (c for c in tok.children if c.dep_ in ("nsubjpass", "expl")), None
        )
        if passive is not None:  # "it was claimed that ...": agentless, speaker unknown
            return (
                None,
                passive.lower_ != "it",
            )  # "soldiers were asked to ...": no claim
        if tok.dep_ in ("conj", "xcomp", "advcl", "acl") and tok.head.i != tok.i:
            if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
                return tok.head, True
            tok = tok.head
            continue
        break
    prev = verb.doc[verb.i - 1] if verb.i > sent_start else None
    if (
        prev is not None
        and prev.pos_ in ("PROPN", "PRON", "NOUN")
        and prev.dep_ not in ("poss",)
    ):
        return (
            prev,
            True,
        )  # the parser lost the subject: "... of the Post Trump said that ..."
    return None, True


def _content_token(verb: Token, act: str, text: str = "") -> tuple[Token | None, str]:
    """The head of the reported content and how it attaches (clause, object, label, prep)."""
    children = [c for c in verb.children if not text or _same_para(text, c, verb)]
    dobj = next((c for c in children if c.dep_ == "dobj"), None)
    if dobj is not None and _figure_cue(verb, children):
        return dobj, "object"
    if dobj is not None and dobj.tag_ == "WDT" and verb.dep_ == "relcl" and act in _OBJ_ACTS:
        return verb.head, "referent"  # "..., which the army denied": the content is what "which" stands for
    clauses = [c for c in children if c.dep_ in _CLAUSE]
    # content follows the verb; a clause before it counts only when it is no claim of its own
    # ("A says X; B says Y" hangs A's claim on B's verb), unless the verb answers that claim
    # ("X accused Y, an allegation Z rejected")
    for c in sorted(clauses, key=lambda c: (c.i < verb.i, c.i)):
        if c.i > verb.i or act in _OBJ_ACTS or _act_of(c) is None:
            return c, "clause"
    for c in children:
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
            return c, "clause"
    label = next((c for c in children if c.dep_ == "oprd"), None)
    if dobj is None and label is not None:
        return (
            label,
            "object",
        )  # "called the video fake": the parser heads the whole phrase on the label
    if dobj is not None and (
        act in _OBJ_ACTS
        or any(c.dep_ in ("oprd", "advcl") for c in children)
        or verb.lemma_.lower() in load_list("object_cues")
    ):
        return dobj, "object"
    shifted = _shifted_object(children) if act in _OBJ_ACTS else None
    if shifted is not None:
        return shifted, "shifted"
    for c in children:
        if (
            c.dep_ == "prep"
            and c.lower_ in ("of", "about", "for", "against")
            and act in ("warn", "demand", "accuse")
        ):
            return c, "prep"
    for c in (
        children
    ):  # "it was claimed by X that ..." / "said at the time that ...": the parser hangs the clause on a noun
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.i > verb.i):
            for pobj in (g for g in c.children if g.dep_ == "pobj"):
                rel = next(
                    (
                        r
                        for r in pobj.children
                        if r.dep_ == "relcl" and r.left_edge.lower_ == "that"
                    ),
                    None,
                )
                if rel is not None:
                    return rel, "clause"
    if (
        verb.dep_ == "relcl"
        and act in _OBJ_ACTS
        and verb.head.pos_ in ("NOUN", "PROPN")
    ):
        # "an allegation the firm rejected": the content is the referent
        return verb.head, "referent"
    return None, ""


def _figure_cue(verb: Token, children: list[Token]) -> bool:
    """ "put the toll at 25": a phrasal cue with "at" whose object is what the figure is about."""
    phrasal = f"{verb.lemma_.lower()}_at" in load_map("reporting_verbs")
    return phrasal and any(c.dep_ == "prep" and c.lower_ == "at" for c in children)


def _shifted_object(children: list[Token]) -> Token | None:
    """ "dismissed as fake a video ...": the parser reads the object as the label's noun; it is the content."""
    cues = load_list("denial_cues")
    for c in children:
        if c.dep_ != "prep" or c.lower_ != "as":
            continue
        for pobj in (g for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")):
            labels = [g for g in pobj.lefts if g.dep_ == "amod" and (g.lower_ in cues or g.lemma_.lower() in cues)]
            if labels and any(g.dep_ == "det" and g.i > labels[-1].i for g in pobj.lefts):
                return pobj
    return None


def _leading_complementizer(doc: Doc, left: int, right: int) -> bool:
    """Is doc[left] a "that"/"whether" introducing the clause (not a determiner, not the whole content)?"""
    tok = doc[left]
    if tok.lower_ not in ("that", "whether") or left + 1 >= right:
        return False
    if tok.dep_ == "mark" or tok.pos_ == "SCONJ":
        return True
    return tok.dep_ == "dobj" and doc[left + 1].pos_ not in ("NOUN", "ADP", "PUNCT")


def _token_span(doc: Doc, left: int, right: int) -> tuple[int, int]:
    """Char span of doc[left:right] without edge punctuation or a leading complementizer ("that ...")."""
    while left < right - 1 and (
        (doc[left].is_punct and doc[left].text not in '"“„«$')
        or (
            (doc[left].dep_ in ("mark", "advmod") or doc[left].pos_ == "SCONJ")
            and doc[left].lower_ in ("that", "whether")
        )
    ):
        left += 1
    while right - 1 > left and (doc[right - 1].is_punct or doc[right - 1].is_space):
        if _closes_quote(doc, left, right - 1):
            break
        right -= 1
    if right < len(doc) and _closes_quote(doc, left, right):
        right += 1  # the parser hangs the closing mark on the reporting verb
    return doc[left].idx, doc[right - 1].idx + len(doc[right - 1].text)


def _closes_quote(doc: Doc, left: int, last: int) -> bool:
    """Is doc[last] the closing mark of a quote opened inside doc[left:last]? (keeps "... a century" whole)."""
    mark = doc[last].text
    inner = doc[left:last].text
    if mark in "”»":
        return "“" in inner or "«" in inner
    if mark == '"':
        return inner.count('"') % 2 == 1
    return False


def _content_range(verb: Token, head: Token, how: str) -> tuple[int, int]:
    """Token range of the content: the clause subtree; object + its label/complement for objects."""
    left, right = head.left_edge.i, head.right_edge.i + 1
    if how == "object":
        for c in verb.children:
            if (
                c.i > head.i
                and c.dep_ in ("oprd", "advcl", "prep", "acomp", "ccomp")
                and _act_of(c) is None
            ):  # "dismissed X, saying Y": Y is a claim of its own
                right = max(right, c.right_edge.i + 1)
    if how == "prep":
        left = head.i
    if how == "shifted":  # skip the fronted label: "as fake a video" -> "a video"
        left = next(g.i for g in head.lefts if g.dep_ == "det" and g.i > left)
    if how == "referent":
        return _referent_range(verb, head)
    right = min(right, _parallel_cut(head, right), _answer_cut(head, left, right))
    # a clause on the far side of the verb must not absorb the speaker or the verb itself
    if left <= verb.i < right:
        if head.i > verb.i:
            left = verb.i + 1
        else:
            right = verb.i
    return left, right


def _only_joiners(toks: Span) -> bool:
    """Only "and"/"but" and commas or dashes: the seam between two coordinated claims."""
    return all(t.dep_ == "cc" or t.text in _FENCE or t.is_space for t in toks)


def _referent_range(verb: Token, noun: Token) -> tuple[int, int]:
    """What "an allegation X rejected" refers to: the claim it stands beside, else the noun phrase itself.

    "Y accused Z of fraud, an allegation X rejected": the noun is an apposition to Y's claim, whose
    words (up to the comma) are what X rejects.
    """
    outer = noun.head
    wh_reply = verb.dep_ == "relcl" and noun.i + 1 < len(noun.doc) and noun.doc[noun.i + 1].text == ","
    if wh_reply:  # "holding captured troops, which the army denied": the whole claim up to the comma
        noun, outer = verb, noun
    if (wh_reply or noun.dep_ in ("npadvmod", "appos", "advcl")) and outer.i < noun.i:
        # "captured 200 soldiers, a figure X dismissed": climb to the clause another verb reports
        while _act_of(outer) is None and outer.head.i != outer.i and _act_of(outer.head) is None:
            outer = outer.head
        if _act_of(outer) is not None or _act_of(outer.head) is not None:
            right = noun.left_edge.i
            while right > outer.left_edge.i and noun.doc[right - 1].is_punct:
                right -= 1
            return outer.left_edge.i, right
    return noun.left_edge.i, verb.left_edge.i


def _wh_reply(tok: Token) -> bool:
    """ "..., which the army denied": a relative reply with its own speaker after a comma."""
    if tok.dep_ != "relcl" or _act_of(tok) not in _OBJ_ACTS:
        return False
    wh = next((c for c in tok.children if c.dep_ == "dobj" and c.tag_ == "WDT"), None)
    own = any(c.dep_ in _SUBJ for c in tok.children)
    return wh is not None and own and wh.i > 0 and tok.doc[wh.i - 1].text == ","


def _answer_cut(head: Token, left: int, right: int) -> int:
    """Where content ends before a reply set beside it ("..., a figure the army dismissed as ...").

    The reply is a claim of its own (see :func:`_referent_range`), never part of what was claimed.
    """
    for tok in head.subtree:
        if left < tok.i < right and (_wh_reply(tok) or _reply_noun(tok)):
            cut = tok.left_edge.i
            while cut > left + 1 and head.doc[cut - 1].is_punct:
                cut -= 1
            return cut
    return right


def _reply_noun(tok: Token) -> bool:
    """ "a figure the army dismissed": a noun beside a claim whose relative clause answers it."""
    if tok.dep_ not in ("appos", "npadvmod") or tok.pos_ != "NOUN":
        return False
    return any(
        c.dep_ == "relcl" and _act_of(c) in _OBJ_ACTS and any(g.dep_ in _SUBJ for g in c.children)
        for c in tok.children
    )


def _parallel_cut(head: Token, right: int) -> int:
    """Where the content of ``head`` ends before a conjoined reporting verb that starts a claim of its own.

    "said the video showed X and denied that ...": the content stops before "and denied", which
    :func:`_parallel_cue` gives to the same speaker (or its own subject gives to another one).
    """
    for tok in head.subtree:
        if tok.i >= right or tok.dep_ != "conj" or tok.head.i != head.i:
            continue
        own_subject = any(c.dep_ in _SUBJ for c in tok.children)
        if _parallel_cue(tok) is None and not (
            own_subject and _act_of(tok) is not None
        ):
            continue
        start = tok.left_edge.i
        for c in head.children:  # the "and"/"but" (and its comma) before the conjunct
            joiner = c.dep_ == "cc" or c.text in _FENCE
            if joiner and head.i < c.i < start and _only_joiners(head.doc[c.i : start]):
                start = c.i
        return max(start, head.left_edge.i + 1)
    return right


def _namelike(tok: Token) -> bool:
    """A proper name token; transcripts often write speakers in capitals, which the tagger calls nouns."""
    return (
        tok.pos_ == "PROPN"
        or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or (tok.is_upper and tok.is_alpha and len(tok) > 1)
    )


# ---- stance -----------------------------------------------------------------------------------
def _negated(head: Token) -> bool:
    """Content negated at its root: "had not been captured", "none of its soldiers ...", "no one was missing".

    A negated future or modal ("will not stop", "cannot accept") is a vow or a refusal, not a denial.
    """
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.children):
        return False
    for c in head.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ in _SUBJ or c.dep_ == "dobj":
            words = {c.lower_} | {
                d.lower_ for d in c.children if d.dep_ in ("det", "neg")
            }
            if (
                words & _NEG_SUBJ
                or f"{c.lower_} {c.nbor(1).lower_ if c.i + 1 < len(c.doc) else ''}"
                in _NEG_SUBJ
                or negated_quantifier(c)
            ):
                return True
    return False


def negated_quantifier(subj: Token) -> bool:
    """A subject that counts zero of something: "none of our soldiers", "not a single soldier", "not one"."""
    phrase = " ".join(t.lower_ for t in subj.doc[subj.left_edge.i : subj.right_edge.i + 1])
    if phrase == "no one" or phrase.startswith("no one "):
        return False  # the bare pronoun, like "nobody": see negated_quantifiers.txt
    return any(phrase == q or phrase.startswith(q + " ") for q in load_list("negated_quantifiers"))


def _denies_by_quantifier(doc: Doc, spans: list[tuple[int, int]]) -> bool:
    """Content with a main clause whose subject counts zero, in any of its sentences.

    Why: a direct quote of several sentences ("We hold no one. Not one.") is parsed from its first
    sentence only; the zero-count subject may sit in a later one. Clauses under a modal are vows.
    """
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="contract")
        for tok in span if span is not None else ():
            head = tok.head
            if (
                tok.dep_ in _SUBJ
                and head.dep_ in ("ROOT", "ccomp", "parataxis")
                and not any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.children)
                and negated_quantifier(tok)
            ):
                return True
    return False


def _labels_false(verb: Token, head: Token | None) -> bool:
    """ "called the video fake", "dismissed the claims as baseless", "said the reports were false"."""
    cues = load_list("denial_cues")
    scopes = [verb] + ([head] if head is not None else [])
    for scope in scopes:
        for c in scope.children:
            labels = c.dep_ in _LABEL_DEPS or (c.dep_ == "prep" and c.lower_ == "as")
            if labels and any(
                t.lower_ in cues or t.lemma_.lower() in cues for t in c.subtree
            ):
                return True
    return False


def stance_of(act: str, verb: Token | None, head: Token | None, how: str) -> Stance:
    """deny for denial acts, negated content and labels of falsehood; else assert."""
    if act in load_list("denial_acts"):
        return "deny"
    if verb is not None and _labels_false(verb, head if how == "clause" else None):
        return "deny"
    if head is not None and how == "clause" and _negated(head):
        return "deny"
    return "assert"


# ---- the builder ------------------------------------------------------------------------------
class _Builder:
    """Builds the attributions of one article; all state is per article."""

    def __init__(self, ex: Extraction, doc: Doc, text: str) -> None:
        self.ex, self.doc, self.text = ex, doc, text
        self.quotes = find_quotes(self.text)
        self._quote_starts = [q.inner_start for q in self.quotes]
        self.paras = paragraphs(self.text)
        self.nonprose = nonprose_lines(self.text)
        self.speakers = SpeakerResolver(doc, ex)
        self.out: list[Attribution] = []

    def in_quote(self, start: int, end: int) -> Quote | None:
        """The quote whose words contain ``[start, end)`` (quotes are sorted and disjoint)."""
        k = bisect_right(self._quote_starts, start) - 1
        if k >= 0:
            q = self.quotes[k]
            if q.inner_start <= start and end <= q.inner_end:
                return q
        return None

    def run(self) -> list[Attribution]:
        for sent in sentences(self.doc):
            if not sent.text.strip() or _in_spans(
                self.nonprose, sent.start_char, sent.end_char
            ):
                continue
            for tok in sent:
                if tok.lower_ == "according":
                    self._according(tok, sent)
                    continue
                act = _act_of(tok)
                if (
                    act is not None
                    and self.in_quote(tok.idx, tok.idx + len(tok)) is None
                ):
                    self._from_verb(tok, act, sent)
        self._transcript_lines()
        self._attach_orphan_quotes()
        self.out.sort(key=lambda a: a.span)
        return self.out

    # -- verbs --
    def _from_verb(self, verb: Token, act: str, sent: Span) -> None:
        if (
            any(c.dep_ == "neg" for c in verb.children)
            or (
                verb.dep_ == "xcomp"
                and verb.head.lemma_.lower() in load_list("refusal_heads")
            )
            or (verb.tag_ == "VBN" and verb.dep_ == "advcl")
        ):
            return  # "did not say", "declined to confirm", "Asked about it, X said": no claim here
        subj, needed = _subject(verb, sent.start, self.text)
        if (
            subj is not None
            and self.in_quote(subj.idx, subj.idx + len(subj)) is not None
        ):
            return  # attribution nested inside someone's quote belongs to that speaker
        head, how = _content_token(verb, act, self.text)
        spans, kind = self._content(verb, head, how, sent)
        if not spans or (subj is None and needed):
            return
        speaker = self._speaker(subj, verb)
        cue = self._cue(verb)
        stance = stance_of(act, verb, head, how)
        before = len(self.out)
        self._add(speaker, cue, act, spans, kind, sent, stance)
        if len(self.out) > before:
            self.out[-1].cue_phrase = self._cue_phrase(verb, spans)

    def _cue_phrase(
        self, verb: Token, spans: list[tuple[int, int]]
    ) -> tuple[int, int] | None:
        """The cue and the modifiers after it that qualify the act ("dismissed ... as baseless", "on Sunday").

        Why: a claim's span should cover how the speaker put it, but never a second claim's words.
        """
        end = verb.idx + len(verb)
        for c in verb.children:
            if (
                c.i < verb.i
                or c.dep_ not in _CUE_MODS
                or not _same_para(self.text, c, verb)
            ):
                continue
            if any(_act_of(t) is not None for t in c.subtree):
                continue
            last = c.right_edge
            if any(s <= c.idx < e for s, e in spans):
                continue
            end = max(end, last.idx + len(last))
        phrase = self.text[verb.idx : end]
        if end < len(self.text) and self.text[end] in '"”' and (phrase.count('"') % 2 or "“" in phrase):
            end += 1  # 'dismissed as "pure fiction"': the closing mark belongs to the phrase
        return verb.idx, end

    def _speaker(self, subj: Token | None, verb: Token) -> Speaker:
        if subj is None:
            return Speaker(text=None, name=None, kind="unnamed")
        left, right = noun_phrase(subj, stop=verb if subj.head.i == verb.i else None)
        return self.speakers.from_tokens(subj, left, right)

    def _cue(self, verb: Token) -> tuple[str, tuple[int, int]]:
        """The reporting word with its particles/auxiliaries of negation ("did not deny" stays whole)."""
        parts = [verb] + [c for c in verb.children if c.dep_ in ("prt", "neg")]
        parts.sort(key=lambda t: t.i)
        start, end = parts[0].idx, parts[-1].idx + len(parts[-1])
        return self.text[start:end], (start, end)

    def _content(
        self, verb: Token, head: Token | None, how: str, sent: Span
    ) -> tuple[list[tuple[int, int]], QuoteKind]:
        """Content spans and quote kind: the adjacent quote(s), the colon remainder or the parsed clause."""
        near = self._quotes_for(verb, sent)
        replied = self._replied(head) if how == "referent" else None
        if replied is not None:
            return replied
        if head is not None:
            left, right = _content_range(verb, head, how)
            if right > left:
                span = _token_span(self.doc, left, right)
                if how == "clause" and any(
                    q.inner_start <= span[0] + 1 and span[1] - 1 <= q.inner_end
                    for q in near
                ):
                    return [(q.inner_start, q.inner_end) for q in near], "direct"
                partial = overlapping(self.quotes, span[0], span[1])
                return [span], "mixed" if partial else "indirect"
        if near:
            return [(q.inner_start, q.inner_end) for q in near], "direct"
        aside = self._parenthetical(verb, sent)
        if aside:
            partial = overlapping(self.quotes, aside[0][0], aside[-1][1])
            return aside, "mixed" if partial else "indirect"
        colon = self._colon_content(verb, sent)
        if colon is not None:
            return [colon], "indirect"
        return [], "indirect"

    def _replied(self, noun: Token | None) -> tuple[list[tuple[int, int]], QuoteKind] | None:
        """The content of the claim a reply stands beside ("X said A, a claim Y denied"): A, as X's claim has it."""
        if noun is None:
            return None
        pos = noun.idx
        for a in reversed(self.out[-6:]):
            if any(s <= pos < e for s, e in a.content_spans) or any(
                0 <= pos - e <= 3 for _, e in a.content_spans
            ):
                return list(a.content_spans), a.quote
        return None

    def _parenthetical(self, verb: Token, sent: Span) -> list[tuple[int, int]]:
        """ "Acts of protest, X said, are ...": the content is the sentence around the comma-fenced aside."""
        if (
            verb.dep_ not in ("parataxis", "advcl", "ccomp", "conj")
            or verb.head.i == verb.i
        ):
            return []
        lo, hi = verb.left_edge.i, verb.right_edge.i + 1
        doc = self.doc
        fence = (",", "—", "–", ";", ".")
        fenced_left = doc[lo].text in fence or (
            lo > sent.start and doc[lo - 1].text in fence
        )
        fenced_right = (
            hi >= sent.end or doc[hi].text in fence or doc[hi - 1].text in fence
        )
        if not (fenced_left and fenced_right):
            return []  # "... two weeks after the army announced X" is no aside
        before = [t for t in doc[sent.start : lo] if not t.is_space]
        after = [t for t in doc[hi : sent.end] if not t.is_space]
        out = []
        for toks in (before, after):
            words = [t for t in toks if not t.is_punct]
            if len(words) >= 2:
                out.append(_token_span(self.doc, toks[0].i, toks[-1].i + 1))
        return out

    def _quotes_for(self, verb: Token, sent: Span) -> list[Quote]:
        """Quotes this verb introduces: in its sentence, or right after its closing colon."""
        qs = [
            q
            for q in overlapping(self.quotes, sent.start_char, sent.end_char)
            if not q.start <= verb.idx < q.end
        ]
        if qs:
            return qs
        if (
            len([t for t in sent if not t.is_punct]) <= 8
        ):  # a bare "X said." next to a quote
            prev = [
                q
                for q in self.quotes
                if q.end <= sent.start_char and self._gap_ok(q.end, sent.start_char)
            ]
            if prev:
                return [prev[-1]]
        tail = self.text[verb.idx : sent.end_char].rstrip()
        if tail.endswith(":"):
            after = [q for q in self.quotes if q.start >= sent.end_char - 1]
            if after and not self.text[sent.end_char : after[0].start].strip():
                return [after[0]]
        return []

    def _colon_content(self, verb: Token, sent: Span) -> tuple[int, int] | None:
        """``X said: the content`` without marks: the rest of the sentence (or its paragraph) after the colon."""
        for tok in self.doc[verb.i + 1 : min(verb.i + 4, sent.end)]:
            if tok.text == ":":
                start = tok.idx + 1
                end = sent.end_char
                if not self.text[start:end].strip():
                    end = self._paragraph_end(start)
                seg = self.text[start:end]
                lead = len(seg) - len(seg.lstrip())
                trail = len(seg.rstrip())
                if trail > lead:
                    return start + lead, start + trail
            if tok.text not in (",",) and tok.pos_ not in (
                "ADV",
                "ADP",
                "PRON",
                "PROPN",
                "NOUN",
                "DET",
            ):
                break
        return None

    def _paragraph_end(self, pos: int) -> int:
        for start, end in paragraphs(self.text):
            if start > pos:
                return end
        return len(self.text)

    # -- "NAME: words" transcript and interview lines --
    def _transcript_lines(self) -> None:
        """A paragraph opening with a short proper name and a colon is that speaker's words.

        Interviews, debate transcripts and press round-ups write "SPEAKER: text" with no reporting verb.
        The name must hold a proper noun and must not be a known line label ("Update:", "Photo:").
        """
        labels = tuple(load_list("caption_prefixes"))
        for start, end in self.paras:
            m = _TRANSCRIPT.match(self.text, start, end)
            if (
                m is None
                or _in_spans(self.nonprose, start, end)
                or self._dateline(m.span(1))
            ):
                continue
            name_s, name_e = m.span(1)
            if self.text[start:end].lower().startswith(labels):
                continue
            name = self.doc.char_span(name_s, name_e, alignment_mode="expand")
            if name is None or not any(_namelike(t) for t in name):
                continue
            content = self._transcript_content(m.start(2), end)
            if content is None or len(self.text[content[0] : content[1]].split()) < 3:
                continue
            speaker = self.speakers.from_tokens(name.root, name.start, name.end)
            colon = (m.end(1), m.end(1) + self.text[m.end(1) :].index(":") + 1)
            sent = self.doc.char_span(colon[0], colon[1], alignment_mode="expand")
            if sent is None:
                continue
            kind: QuoteKind = "direct" if self._is_quote(content) else "indirect"
            self._add(
                speaker, (":", colon), "say", [content], kind, sentence_of(sent[0]), "assert"
            )

    def _dateline(self, span: tuple[int, int]) -> bool:
        """ "CITY:" opening the story is a dateline, not a speaker: the article's own, a place, or the first prose line."""
        name = self.text[span[0] : span[1]]
        line = self.ex.article.dateline or ""
        if line and name.lower() in line.lower():
            return True
        toks = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        if toks is not None and any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in toks):
            return True
        first = next(
            (p for p in self.paras if not _in_spans(self.nonprose, p[0], p[1])), None
        )
        return first is not None and first[0] == span[0]

    def _transcript_content(self, start: int, end: int) -> tuple[int, int] | None:
        """The words after the colon: the quote there if one opens it, else the rest of the paragraph."""
        q = next((q for q in self.quotes if q.start == start), None)
        if q is not None:
            return q.inner_start, q.inner_end
        seg = self.text[start:end].rstrip()
        return (start, start + len(seg)) if seg else None

    # -- "according to X" --
    def _according(self, tok: Token, sent: Span) -> None:
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        if (
            to is None
            and tok.i + 1 < len(self.doc)
            and self.doc[tok.i + 1].lower_ == "to"
        ):
            to = self.doc[tok.i + 1]
        pobj = (
            next((c for c in to.children if c.dep_ == "pobj"), None)
            if to is not None
            else None
        )
        if to is None or pobj is None or self.in_quote(tok.idx, tok.idx + 1):
            return
        left, right = noun_phrase(pobj)
        speaker = self.speakers.from_tokens(pobj, left, right)
        phrase = (tok.idx, self.doc[right - 1].idx + len(self.doc[right - 1]))
        content = self._rest_of(sent, phrase)
        if content is None:
            return
        cue_span = (tok.idx, to.idx + len(to))
        head = sent.root
        stance: Stance = "deny" if _negated(head) else "assert"
        self._add(
            speaker,
            (self.text[cue_span[0] : cue_span[1]], cue_span),
            "say",
            [content],
            "indirect",
            sent,
            stance,
        )

    def _rest_of(self, sent: Span, phrase: tuple[int, int]) -> tuple[int, int] | None:
        """The sentence minus the "according to X" phrase and its commas."""
        before = self.text[sent.start_char : phrase[0]].strip(" ,;:-–—\n")
        after = self.text[phrase[1] : sent.end_char].strip(" ,;:-–—\n")
        seg = after if len(after) >= len(before) else before
        seg = seg.rstrip(" .;,")
        if len(seg.split()) < 2:
            return None
        base = phrase[1] if seg is after else sent.start_char
        start = self.text.index(seg, base)
        return start, start + len(seg)

    # -- quotes whose attribution is in a neighbouring sentence --
    def _attach_orphan_quotes(self) -> None:
        """A quote no verb claimed gets the speaker of the adjacent attribution.

        ``"..." he said. "..."`` extends that direct claim; ``X said Y. "..."`` (the press convention:
        a quote right after an attribution is the same speaker's) becomes a direct claim of its own.
        """
        for q in self.quotes:
            if _in_spans(self.nonprose, q.start, q.end) or any(
                cs < q.inner_end and q.inner_start < ce
                for a in self.out
                for cs, ce in a.content_spans
            ):
                continue
            target = self._adjacent(q)
            if target is None:
                continue
            if target.quote == "indirect":
                self.out.append(self._inherit(target, q))
            else:
                target.content_spans.append((q.inner_start, q.inner_end))
                target.content_spans.sort()

    def _inherit(self, target: Attribution, q: Quote) -> Attribution:
        return Attribution(
            target.speaker,
            target.cue,
            None,
            target.act,
            [(q.inner_start, q.inner_end)],
            "direct",
            (q.start, q.end),
            inherited=True,
        )

    def _adjacent(self, q: Quote) -> Attribution | None:
        prev = [
            a
            for a in self.out
            if a.span[1] <= q.start and self._gap_ok(a.span[1], q.start)
        ]
        if prev:
            return max(prev, key=lambda a: a.span[1])
        direct = [a for a in self.out if a.quote in ("direct", "mixed")]
        nxt = [
            a for a in direct if a.span[0] >= q.end and self._gap_ok(q.end, a.span[0])
        ]
        return min(nxt, key=lambda a: a.span[0]) if nxt else None

    def _gap_ok(self, start: int, end: int) -> bool:
        gap = self.text[start:end]
        return len(gap) < 40 and not re.search(r"[A-Za-z]{2}", gap)

    # -- emit --
    def _add(
        self,
        speaker: Speaker,
        cue: tuple[str, tuple[int, int]],
        act: str,
        spans: list[tuple[int, int]],
        kind: QuoteKind,
        sent: Span,
        stance: Stance,
    ) -> None:
        if speaker.start is not None and _in_spans(
            self.nonprose, speaker.start, speaker.end or speaker.start
        ):
            return
        anchor = cue[1][0]
        spans = [sp if self._is_quote(sp) else self._clip(sp, anchor) for sp in spans]
        spans = [self._strip_dateline(sp) for sp in spans]
        spans = [sp for sp in spans if sp[1] > sp[0]]
        if not spans or all(self._only_pronouns(sp) for sp in spans):
            return  # "which the army denied", "what it called": the content is elsewhere
        # one claim per content: a second verb over the same words adds nothing
        for a in self.out[
            -12:
        ]:  # claims come in text order: a repeat is among the last few
            reply = a.stance != stance and a.speaker.text != speaker.text  # "a figure the army dismissed"
            if all(
                any(cs <= s and e <= ce for cs, ce in a.content_spans) for s, e in spans
            ) and not reply and not (act in _NESTED_ACTS and self._nested(a, cue[1], spans)):
                return
        sentence = self._clip((sent.start_char, sent.end_char), anchor)
        if stance == "assert" and act not in _NO_DENIAL_ACTS and _denies_by_quantifier(self.doc, spans):
            stance = "deny"
        self.out.append(
            Attribution(
                speaker, cue[0], cue[1], act, spans, kind, sentence, stance=stance
            )
        )

    @staticmethod
    def _nested(
        outer: Attribution, cue: tuple[int, int], spans: list[tuple[int, int]]
    ) -> bool:
        """A reported attribution ("X said Y claimed Z"): its cue sits inside the outer content, before its own.

        Such a claim is kept (Y's claim as reported by X); a second verb over the same words is not.
        """
        if outer.cue_span is None or cue == outer.cue_span:
            return False
        inside = any(cs <= cue[0] and cue[1] <= ce for cs, ce in outer.content_spans)
        return inside and all(cue[1] <= s for s, _ in spans)

    def _strip_dateline(self, span: tuple[int, int]) -> tuple[int, int]:
        """Content never starts with the article's dateline ("CITY, Country, April 4 (Agency) -")."""
        m = _DATELINE.match(self.text, span[0], span[1])
        return (m.end(), span[1]) if m else span

    def _only_pronouns(self, span: tuple[int, int]) -> bool:
        words = re.findall(r"[A-Za-z']+", self.text[span[0] : span[1]])
        return len(words) <= 2 and all(w.lower() in _WH_PRONOUNS for w in words)

    def _is_quote(self, span: tuple[int, int]) -> bool:
        return any(
            q.inner_start == span[0] and q.inner_end == span[1] for q in self.quotes
        )

    def _clip(self, span: tuple[int, int], anchor: int) -> tuple[int, int]:
        """``span`` cut to the paragraph holding ``anchor`` (or the nearest one after it)."""
        for start, end in self.paras:
            if anchor < end:
                lo, hi = max(span[0], start), min(span[1], end)
                return (lo, hi) if hi > lo else span
        return span


def _content_text(text: str, a: Attribution, quotes: list[Quote]) -> str:
    parts = []
    for s, e in a.content_spans:
        q = next((q for q in quotes if q.inner_start == s and q.inner_end == e), None)
        parts.append(
            quote_text(text, q) if q is not None else " ".join(text[s:e].split())
        )
    return " ".join(p for p in parts if p)


# ---- outlet voice ------------------------------------------------------------------------------
def _outlet_claims(
    ex: Extraction, doc: Doc, taken: list[Attribution], b: _Builder
) -> list[Attribution]:
    """Sentences that state an incident fact with no speaker, kept only with a figure or date.

    A sentence the parser ran across a line break is taken piece by piece (one per paragraph) so a
    headline or metadata line glued to it never becomes part of a claim.
    """
    cats = load_list("casualty_categories")
    verbs = load_list("outlet_event_verbs")
    busy = [a.sentence_span for a in taken]
    out: list[Attribution] = []
    for sent in sentences(doc):
        for s, e in _prose_pieces(b, sent.start_char, sent.end_char):
            if any(bs < e and s < be for bs, be in busy) or b.in_quote(s + 1, e - 1):
                continue
            qs = [q for q in ex.quantities if s <= q.start and q.end <= e]
            ds = [d for d in ex.dates if s <= d.start and d.end <= e]
            casualty = any(q.category in cats for q in qs)
            event = any(
                s <= t.idx < e and t.pos_ == "VERB" and t.lemma_.lower() in verbs
                for t in sent
            )
            if not (casualty or ((qs or ds) and event)):
                continue
            speaker = Speaker(text=None, name=None, kind="outlet")
            stance: Stance = "deny" if _negated(sent.root) else "assert"
            out.append(
                Attribution(
                    speaker,
                    None,
                    None,
                    "report",
                    [(s, e)],
                    "none",
                    (s, e),
                    stance=stance,
                )
            )
    return out


def _prose_pieces(b: _Builder, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``[start, end)`` lying in prose paragraphs (no headings, captions, metadata)."""
    out = []
    for ps, pe in b.paras:
        lo, hi = max(start, ps), min(end, pe)
        if hi > lo and not _in_spans(b.nonprose, lo, hi):
            seg = b.text[lo:hi]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg.rstrip())
            if trail > lead:
                out.append((lo + lead, lo + trail))
    return out


# ---- hedges -----------------------------------------------------------------------------------
def _attach_hedges(
    ex: Extraction, doc: Doc, text: str, attrs: list[Attribution]
) -> None:
    """Hedges scope the claims of their sentence; verification caveats also the sentence before."""
    found = find_phrases("hedges", text)
    ex.hedges.extend(h for _, _, h in found)
    late = load_list("late_hedges")
    sents = sentence_char_spans(doc)
    for start, end, phrase in found:
        idx = next((i for i, (s, e) in enumerate(sents) if s <= start < e), None)
        if idx is None:
            continue
        scopes = [sents[idx]]
        if " ".join(phrase.lower().split()) in late and idx > 0:
            scopes.append(sents[idx - 1])
        for a in _hedged(attrs, start, end, scopes):
            if phrase not in a.hedges:
                a.hedges.append(phrase)


def _hedged(
    attrs: list[Attribution], start: int, end: int, scopes: list[tuple[int, int]]
) -> list[Attribution]:
    """The claims a hedge scopes: those whose own words hold it, else every claim of its sentence(s).

    "X reportedly said A, but Y said B" hedges only X's claim; "The video, which could not be verified,
    ..." hedges whatever the sentence claims.
    """
    inside = [a for a in attrs if a.span[0] <= start and end <= a.span[1]]
    if inside:
        return inside
    return [
        a
        for a in attrs
        if any(
            max(a.span[0], a.sentence_span[0]) < se
            and ss < max(a.span[1], a.sentence_span[1])
            for ss, se in scopes
        )
    ]


# ---- public API ------------------------------------------------------------------------------
def attributions(ex: Extraction, doc: Doc) -> list[Attribution]:
    """All attributed and outlet-voice claims of one article, with their character spans."""
    text = doc_text(doc)
    if not text.strip():
        return []
    b = _Builder(ex, doc, text)
    attrs = b.run()
    attrs += _outlet_claims(ex, doc, attrs, b)
    attrs.sort(key=lambda a: a.span)
    for a in attrs:
        a.content_text = _content_text(text, a, b.quotes)
    _attach_hedges(ex, doc, text, attrs)
    return attrs


def to_claim(ex: Extraction, text: str, a: Attribution) -> Claim:
    """An :class:`Attribution` as the shared :class:`Claim` record, with the figures and dates of its content."""
    inside = lambda s, e: any(cs <= s and e <= ce for cs, ce in a.content_spans)
    s0, s1 = a.sentence_span
    return Claim(
        article_id=ex.article.id,
        speaker=a.speaker,
        cue=a.cue,
        act=a.act,
        stance=a.stance,
        content=a.content_text,
        quote=a.quote,
        sentence=" ".join(text[s0:s1].split()),
        span=a.span,
        quantities=sorted(
            (q for q in ex.quantities if inside(q.start, q.end)), key=lambda q: q.start
        ),
        hedges=list(a.hedges),
        dates=sorted(
            (d for d in ex.dates if inside(d.start, d.end)), key=lambda d: d.start
        ),
    )


@register("extract", "claims")
def extract_claims(ex: Extraction, doc: Doc) -> None:
    """Pipeline stage: fill ``ex.claims`` and ``ex.hedges``."""
    attrs = attributions(ex, doc)
    text = doc_text(doc) if attrs else ""
    ex.claims.extend(to_claim(ex, text, a) for a in attrs)
