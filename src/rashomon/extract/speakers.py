"""Who is speaking: turn the subject of a reporting verb into a typed :class:`Speaker`.

Why a separate module: the same speaker logic serves verb claims, "according to X" claims and quotes
whose attribution sits in a neighbouring sentence. Pronouns and bare titles ("he", "the minister")
are resolved against what the article said *before* them, the way a reader resolves them; institutions
speaking through a spokesperson ("the army's spokesman") are credited to the institution.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from rashomon.extract.sentences import sentence_of
from rashomon.lexicon import load_list, load_map
from rashomon.records import Extraction, Mention, Speaker, SpeakerKind

# Entity types (records.ENTITY_TYPES) -> speaker kinds.
_KIND_OF_TYPE: dict[str, SpeakerKind] = {
    "person": "person",
    "armed_group": "group",
    "media_wing": "group",
}
_NER_KIND: dict[str, SpeakerKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "NORP": "group",
    "GPE": "organization",
}
_DETS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_EDGE_PUNCT = frozenset(",;:-–—\"“”'‘’()[]")


def kind_of_type(entity_type: str) -> SpeakerKind:
    """Speaker kind for an entity type: people, groups, and every institution as an organisation."""
    return _KIND_OF_TYPE.get(entity_type, "organization")


def noun_phrase(tok: Token, stop: Token | None = None) -> tuple[int, int]:
    """Token range [i, j) of ``tok``'s full noun phrase, trimmed of edge punctuation and never crossing ``stop``."""
    left, right = tok.left_edge.i, tok.right_edge.i + 1
    if stop is not None:
        if stop.i > tok.i:
            right = min(right, stop.i)
        else:
            left = max(left, stop.i + 1)
    doc = tok.doc
    for i in range(
        tok.i - 1, left - 1, -1
    ):  # never reach back over a line break or a dateline dash
        spaced_dash = doc[i].text in ("-", "–", "—", "--") and bool(doc[i].whitespace_)
        if "\n" in doc[i].text or spaced_dash:
            left = i + 1
            break
    for i in range(tok.i + 1, right):  # nor forward over a line break
        if "\n" in doc[i].text:
            right = i
            break
    while left < right - 1 and doc[left].text in _EDGE_PUNCT:
        left += 1
    while right - 1 > left and doc[right - 1].text in _EDGE_PUNCT:
        right -= 1
    for child in (
        tok.lefts
    ):  # "Addressing reporters, General X ...": a fronted clause is not the name
        if child.pos_ in ("VERB", "AUX") and child.dep_ in (
            "advcl",
            "acl",
            "prep",
            "npadvmod",
        ):
            left = max(left, child.right_edge.i + 1)
    if doc[left].tag_ in (
        "VBG",
        "VBN",
    ):  # "Addressing a press conference, X": cut at the comma
        commas = [i for i in range(left, tok.i) if doc[i].text == ","]
        if commas:
            left = commas[-1] + 1
    while left < right - 1 and doc[left].text in _EDGE_PUNCT:
        left += 1
    # a relative clause, participle or time phrase is description, not the name: cut it
    for child in tok.rights:
        timed = child.dep_ == "prep" and any(
            t.ent_type_ in ("DATE", "TIME") for t in child.subtree
        )
        if (
            child.dep_ in ("relcl", "acl") or timed
        ) and left <= child.left_edge.i < right:
            right = min(right, _trim_back(doc, child.left_edge.i, left))
    if right < len(doc) and doc[right].text == ")" and "(" in doc[left:right].text:
        right += 1  # keep an acronym in brackets whole
    return left, right


def _trim_back(doc: Doc, i: int, floor: int) -> int:
    while i - 1 > floor and doc[i - 1].text in _EDGE_PUNCT:
        i -= 1
    return i


def _strip_det(text: str) -> str:
    words = text.split()
    if len(words) > 1 and words[0].lower() in _DETS:
        words = words[1:]
    return " ".join(words)


_UNTYPED = frozenset({"organization", "other"})  # mention types that are no domain actor
_NOT_INSTITUTIONS = frozenset({"person", "place", "operation", "other"})


@dataclass(slots=True)
class _TitleRef:
    start: int
    title: str
    name: str


@dataclass
class SpeakerResolver:
    """Per-article state: the speakers seen so far and the titles the article gave to named people."""

    doc: Doc
    ex: Extraction
    last_person: str | None = None
    last_person_start: int = -1
    last_org: tuple[str, SpeakerKind] | None = None
    _titles: dict[str, list[_TitleRef]] = field(default_factory=dict)
    _mentions: list[Mention] = field(default_factory=list)
    _mention_starts: list[int] = field(default_factory=list)
    _persons: list[tuple[int, str]] = field(default_factory=list)
    _ents: list[Span] = field(default_factory=list)
    _ent_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._ents = list(self.doc.ents)  # Doc.ents rebuilds its list on every access
        self._ent_starts = [e.start for e in self._ents]
        self._mentions = sorted(self.ex.mentions, key=lambda m: (m.start, -m.end))
        self._mention_starts = [m.start for m in self._mentions]
        self._index_people()

    # ---- article-level indexes -------------------------------------------------------------
    def _person_spans(self) -> list[tuple[int, int, str]]:
        spans = {(m.start, m.end): m.text for m in self._mentions if m.type == "person"}
        for ent in self._ents:
            if ent.label_ == "PERSON":
                spans.setdefault((ent.start_char, ent.end_char), ent.text)
        return sorted((s, e, t) for (s, e), t in spans.items())

    def _index_people(self) -> None:
        """Record each named person and the title the article puts before or beside the name."""
        titles = load_list("speaker_titles")
        for start, end, name in self._person_spans():
            self._persons.append((start, name))
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            for title in self._titles_near(span, titles):
                self._titles.setdefault(title, []).append(_TitleRef(start, title, name))

    def _titles_near(self, span: Span, titles: frozenset[str]) -> set[str]:
        found: set[str] = set()
        doc = self.doc
        for i in range(span.start - 1, max(span.start - 5, -1), -1):
            word = doc[i].text.lower()
            if word in titles:
                found.add(word)
            if doc[i].is_sent_start:
                break
        for tok in span:
            for child in tok.children:
                if child.dep_ == "appos" and child.text.lower() in titles:
                    found.add(child.text.lower())
        return found

    # ---- resolution ---------------------------------------------------------------------------
    def ents_in(self, span: Span) -> list[Span]:
        """NER entities inside the token span (what ``span.ents`` gives, without rebuilding doc.ents)."""
        lo = bisect_right(self._ent_starts, span.start - 1)
        out = []
        for ent in self._ents[lo:]:
            if ent.start >= span.end:
                break
            if ent.end <= span.end:
                out.append(ent)
        return out

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Typed entity mentions lying inside the char range."""
        lo = bisect_right(self._mention_starts, start - 1)
        out = []
        for m in self._mentions[lo:]:
            if m.start >= end:
                break
            if m.end <= end:
                out.append(m)
        return out

    def from_tokens(self, head: Token, left: int, right: int) -> Speaker:
        """The speaker whose noun phrase is doc[left:right] with syntactic head ``head``."""
        left, right = self._whole_names(left, right)
        span = self.doc[left:right]
        start, end = span.start_char, span.end_char
        speaker = self._classify(head, span)
        speaker.start, speaker.end = start, end
        self._remember(speaker)
        return speaker

    def _whole_names(self, left: int, right: int) -> tuple[int, int]:
        """Widen a token range so it never cuts a typed name in half (parses split "Hizb-ut-Tahrir")."""
        if right <= left:
            return left, right
        start, end = self.doc[left].idx, self.doc[right - 1].idx + len(self.doc[right - 1])
        for m in self.mentions_in(max(0, start - 60), end + 60):
            if m.start < end and start < m.end and (m.start < start or m.end > end):
                span = self.doc.char_span(min(start, m.start), max(end, m.end), alignment_mode="expand")
                if span is not None:
                    left, right = span.start, span.end
        return left, right

    def _classify(self, head: Token, span: Span) -> Speaker:
        text = span.text
        low = head.text.lower()
        if head.pos_ == "PRON" or low in load_map("pronoun_speakers"):
            return self._pronoun(text, low, span.start_char)
        known = self._known_surname(span)
        if known is not None:
            return Speaker(text=text, name=known, kind="person")
        institution = self._institution(head)
        if institution is not None:
            return Speaker(text=text, name=institution[0], kind=institution[1])
        if self._indefinite(head) and not any(self._names_head(e, head) for e in self.ents_in(span)):
            return Speaker(text=text, name=None, kind="unnamed")  # "a masked fighter", "one soldier"
        named = self._named(span, head) or self._person_in(span)
        if named is not None:
            return Speaker(text=text, name=named[0], kind=named[1])
        title = self._title(head, span)
        if title is not None:
            return Speaker(text=text, name=title, kind="person")
        if head.lemma_.lower() in load_list("unnamed_speakers") or low in load_list(
            "unnamed_speakers"
        ):
            return Speaker(text=text, name=None, kind="unnamed")
        kind: SpeakerKind = (
            "group"
            if head.lemma_.lower() in load_list("group_nouns")
            or low in load_list("group_nouns")
            else "organization"
        )
        return Speaker(text=text, name=_strip_det(text), kind=kind)

    @staticmethod
    def _indefinite(head: Token) -> bool:
        """ "a fighter", "one soldier": a single unnamed individual, whatever side the noun names."""
        if head.pos_ != "NOUN" or head.tag_ != "NN":
            return False
        return any(
            (c.dep_ == "det" and c.lower_ in ("a", "an", "another"))
            or (c.dep_ == "nummod" and c.lower_ == "one")
            for c in head.children
        )

    def _pronoun(self, text: str, low: str, start: int) -> Speaker:
        ref = load_map("pronoun_speakers").get(low, "person")
        person = self.last_person or self.person_before(start)
        if ref == "person" and person:
            return Speaker(text=text, name=person, kind="person")
        near = self._org_subject_before(start, plural=low != "it") if low in ("it", "they") else None
        if near is not None:
            return Speaker(text=text, name=near[0], kind=near[1])
        if ref != "person" and self.last_org:
            return Speaker(text=text, name=self.last_org[0], kind=self.last_org[1])
        return Speaker(text=text, name=None, kind="pronoun")

    def _org_subject_before(self, start: int, plural: bool) -> tuple[str, SpeakerKind] | None:
        """The nearest institution that is a main-clause subject in this or the previous sentence.

        Why: "it" most often refers to the last organisation doing something ("the army ended an
        offensive in which it said ..."), which need not be the last organisation that spoke.
        """
        tok = self.doc.char_span(start, start + 1, alignment_mode="expand")
        if tok is None:
            return None
        sent = sentence_of(tok[0])
        first = sentence_of(self.doc[sent.start - 1]).start if sent.start > 0 else sent.start
        for m in reversed(self.mentions_in(self.doc[first].idx, start)):
            if m.type in _NOT_INSTITUTIONS:
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or span.root.dep_ not in ("nsubj", "nsubjpass") or span.root.head.dep_ == "relcl":
                continue
            if (span.root.tag_ in ("NNS", "NNPS")) != plural or span[0].tag_ == "PRP$":
                continue  # "it" is no "soldiers"; "its fighters" is not what "it" refers to
            return _strip_det(m.text), kind_of_type(m.type)
        return None

    def _institution(self, head: Token) -> tuple[str, SpeakerKind] | None:
        """ "X's spokesman" / "a spokesperson for X": the institution X speaks."""
        if head.lemma_.lower() not in load_list(
            "spokesperson_nouns"
        ) and head.text.lower() not in load_list("spokesperson_nouns"):
            return None
        phrase = self.doc[head.left_edge.i : head.right_edge.i + 1]
        if self._person_in(phrase) is not None:
            return None  # "the group's spokesman NAME": a named person speaks
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is None:
            prep = next(
                (
                    c
                    for c in head.children
                    if c.dep_ == "prep" and c.lower_ in ("for", "of")
                ),
                None,
            )
            owner = (
                next((c for c in prep.children if c.dep_ == "pobj"), None)
                if prep is not None
                else None
            )
        if owner is None or owner.pos_ == "PRON":
            return None
        left, right = noun_phrase(owner)
        span = self.doc[left:right]
        if right - left and self.doc[right - 1].text in ("'s", "’s", "'"):
            span = self.doc[left : right - 1]
        named = self._named(span, owner)
        kind = named[1] if named and named[1] != "person" else "organization"
        return _strip_det(span.text), kind

    def _named(self, span: Span, head: Token) -> tuple[str, SpeakerKind] | None:
        """A typed mention (or NER entity) that is the phrase's head or names it; people win.

        A name that only modifies the head ("residents of Town", "a diplomat in City") is not the
        speaker, so it must contain the head or hang on it as an apposition/compound.
        """
        doc = self.doc
        titled = self._portfolio_title(head)
        mentions = [
            m
            for m in self.mentions_in(span.start_char, span.end_char)
            if self._names_head(
                doc.char_span(m.start, m.end, alignment_mode="expand"), head
            )
            and not (titled and m.type in _UNTYPED and m.end <= head.idx)  # "the Interior Minister": a title
        ]
        best = sorted(mentions, key=lambda m: (m.type != "person", -(m.end - m.start)))
        if best:
            return best[0].text, kind_of_type(best[0].type)
        ents = sorted(self.ents_in(span), key=lambda e: (e.label_ != "PERSON", -len(e)))
        for ent in ents:
            typed = any(m.type not in _UNTYPED for m in self.mentions_in(ent.start_char, ent.end_char))
            if titled and ent.label_ != "PERSON" and ent.end <= head.i and not typed:
                continue  # a portfolio word before a title ("Interior" in "Interior Minister") names no one
            if ent.label_ in _NER_KIND and self._names_head(ent, head):
                return ent.text, _NER_KIND[ent.label_]
        return None

    @staticmethod
    def _portfolio_title(head: Token) -> bool:
        """A title a name only qualifies ("the Interior Minister"); a spokesman speaks for the name before it."""
        words = {head.lower_, head.lemma_.lower()}
        return bool(words & load_list("speaker_titles")) and not words & load_list("spokesperson_nouns")

    def _known_surname(self, span: Span) -> str | None:
        """A bare surname ("Nadiri") of a person the article named in full before."""
        words = [t.text for t in span if t.pos_ == "PROPN"]
        if len(words) != 1 or len(span) > 2:
            return None
        for start, name in reversed(self._persons):
            parts = name.split()
            if start < span.start_char and len(parts) > 1 and parts[-1] == words[0]:
                return name
        return None

    def _person_in(self, span: Span) -> tuple[str, SpeakerKind] | None:
        """Any named person in the phrase ("the province's spokesman, NAME"): a person speaks."""
        for m in self.mentions_in(span.start_char, span.end_char):
            if m.type == "person":
                return m.text, "person"
        for ent in self.ents_in(span):
            if ent.label_ == "PERSON":
                return ent.text, "person"
        return None

    @staticmethod
    def _names_head(span: Span | None, head: Token) -> bool:
        if span is None:
            return False
        if span.start <= head.i < span.end:
            return True
        tok = span.root
        for _ in range(4):
            if (
                tok.dep_ not in ("appos", "compound", "flat", "npadvmod")
                or tok.head.i == tok.i
            ):
                return False
            tok = tok.head
            if tok.i == head.i:
                return True
        return False

    def _title(self, head: Token, span: Span) -> str | None:
        """ "the minister": the last person the article named with that title, else the title itself."""
        low = head.text.lower()
        titles = load_list("speaker_titles")
        if low not in titles and head.lemma_.lower() not in titles:
            return None
        refs = [r for r in self._titles.get(low, []) if r.start < span.start_char]
        if refs:
            return refs[-1].name
        return _strip_det(span.text)

    def _remember(self, speaker: Speaker) -> None:
        if speaker.name is None:
            return
        if (
            speaker.kind == "person"
            and speaker.text != speaker.name
            and (speaker.text or "").lower() in load_map("pronoun_speakers")
        ):
            return  # a resolved pronoun changes nothing
        if speaker.kind == "person":
            self.last_person = speaker.name
        elif speaker.kind in ("organization", "group"):
            self.last_org = (speaker.name, speaker.kind)

    def person_before(self, start: int) -> str | None:
        """The most recent named person mentioned before ``start`` (fallback for unresolved pronouns)."""
        names = [n for s, n in self._persons if s < start]
        return names[-1] if names else None
