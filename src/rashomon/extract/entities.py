"""Domain-typed mentions: who and what an article talks about, typed for conflict reporting.

General NER says ORG for an army, an insurgent group and a ministry alike; analysts need to tell
them apart (who is a belligerent, who is an official voice). So NER spans are retyped with lexicons
of cue words inside the name ("Liberation Army", "Ministry of"), unnamed actors are taken from noun
chunks headed by actor nouns ("the army", "security forces", "the country's military"), and named
operations are found by pattern with their phase variants folded by :func:`canonical_operation`.
All word lists live in ``data/lexicons/entity_*``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.tokens import Doc, Span

from rashomon.extract.sentences import doc_text, sentence_index
from rashomon.lexicon import load_list, load_map
from rashomon.records import Extraction, Mention
from rashomon.registry import register

# spaCy labels worth a mention, with the type they have when no cue says otherwise.
_NER_DEFAULT = {
    "PERSON": "person",
    "ORG": "organization",
    "NORP": "other",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "other",
    "PRODUCT": "other",
}
_LEADING_DROP = frozenset({"the", "a", "an"})
_ROMAN_OR_NUM = r"(?:[IVX]+|\d+(?:\.\d+)?)"


# ---------------------------------------------------------------------------- lexicons


@lru_cache(maxsize=1)
def _heads() -> dict[str, str]:
    return load_map("entity_heads")


@lru_cache(maxsize=1)
def _name_cues() -> list[tuple[tuple[str, ...], str]]:
    """Cue phrases as word tuples, longest first, so the most specific cue wins."""
    cues = [(tuple(k.split()), v) for k, v in load_map("entity_name_cues").items()]
    return sorted(cues, key=lambda kv: -len(kv[0]))


@lru_cache(maxsize=1)
def _titles() -> list[tuple[str, ...]]:
    return sorted((tuple(t.replace(".", "").split()) for t in load_list("entity_titles")), key=lambda t: -len(t))


@lru_cache(maxsize=1)
def _ordinals() -> dict[str, str]:
    return load_map("entity_ordinals")


@lru_cache(maxsize=1)
def _operation_re() -> re.Pattern[str]:
    """``Operation X [Y] [Phase II | 2.0 | II]`` and ``the second phase of Operation X``."""
    words = sorted(load_list("entity_operation_words"), key=len, reverse=True) or ["operation"]
    opener = "|".join(re.escape(w.capitalize()) for w in words)  # named operations are capitalised
    ordinals = [re.escape(o) for o in _ordinals() if not re.fullmatch(r"[ivx]+", o)]
    phase_before = rf"(?:(?i:the\s+)?(?i:{'|'.join(ordinals)})\s+(?i:phase)\s+of\s+)?" if ordinals else ""
    phase_after = rf"(?:\s+(?:[Pp]hase\s+{_ROMAN_OR_NUM}|{_ROMAN_OR_NUM})\b)?"
    name = r"[A-Z][\w'’]*(?:(?:[ -](?:e|ul|al|bin|ibn|of|the))?[ -][A-Z][\w'’]*){0,4}"
    return re.compile(rf"{phase_before}\b(?:{opener})\.?\s+{name}{phase_after}")


@lru_cache(maxsize=1)
def _compound_re() -> re.Pattern[str]:
    """``Tehreek-e-Taliban``: capitalised words joined by a linking particle are one name."""
    joins = "|".join(re.escape(w) for w in sorted(load_list("entity_name_connectors"), key=len, reverse=True)) or "e"
    return re.compile(rf"\b[A-Z][\w'’]+(?:-(?:{joins})-[A-Z][\w'’]+)+")


# ---------------------------------------------------------------------------- public helpers


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s]+", text.lower().replace(".", "").strip()) if w]


def type_of_name(text: str, label: str | None = None) -> str:
    """The domain type of a proper name: known names first, then the longest cue word inside it."""
    clean = " ".join(_words(_strip_article(text)))
    known = load_map("entity_names").get(re.sub(r"['’]s?$", "", clean).strip())
    if known and (len(clean) > 4 or text.strip().isupper()):
        return known
    words = [w.strip("'’\"()") for w in clean.replace("’s", "").replace("'s", "").split()]
    parts = [p for w in words for p in w.split("-") if p]  # "tehreek-e-taliban" holds the cue "taliban"
    present = _word_runs(words) | _word_runs(parts)
    for cue, type_ in _name_cues():
        if cue in present:
            # "X Media" is a media wing only as the last word; elsewhere "media" is an ordinary word.
            if cue == ("media",) and words[-1] != "media":
                continue
            if type_ == "military" and set(words) & load_list("armed_group_name_words"):
                return "armed_group"  # "X Freedom Army": the name's own words beat the bare head
            return type_
    return _NER_DEFAULT.get(label or "", "organization")


def _word_runs(words: list[str]) -> set[tuple[str, ...]]:
    """Every run of consecutive words as long as some cue: one set lookup per cue instead of a scan."""
    return {tuple(words[i : i + n]) for n in _cue_lengths() for i in range(len(words) - n + 1)}


@lru_cache(maxsize=1)
def _cue_lengths() -> frozenset[int]:
    return frozenset(len(cue) for cue, _ in _name_cues())


def canonical_operation(text: str) -> str:
    """One name for every phase variant: "the second phase of Operation X" / "Operation X Phase II" /
    "Operation X 2.0" -> "Operation X", so reconcile can merge them."""
    t = " ".join(text.split())
    t = re.sub(r"^(?i:the\s+)?\w+\s+(?i:phase)\s+of\s+", "", t)
    t = re.sub(rf"\s+(?i:phase)\s+{_ROMAN_OR_NUM}$", "", t)
    t = re.sub(r"\s+(?:[IVX]+|\d+(?:\.\d+)?)$", "", t)
    t = re.sub(r"^(?i:op)\.?\s+", "Operation ", t)
    t = re.sub(r"^(?i:operation)\s+", "Operation ", t)
    return t.strip()


def operation_phase(text: str) -> int | None:
    """The phase number a variant names (2 for "Phase II", "2.0", "the second phase of"), if any."""
    t = " ".join(text.split())
    m = re.match(r"^(?i:the\s+)?(\w+)\s+(?i:phase)\s+of\s+", t)
    if m:
        val = _ordinals().get(m.group(1).lower())
        return int(val) if val else None
    m = re.search(rf"\s(?i:phase\s+)?({_ROMAN_OR_NUM})$", t)
    if not m:
        return None
    token = m.group(1)
    if token.replace(".", "").isdigit():
        return int(float(token))
    val = _ordinals().get(token.lower())
    return int(val) if val else None


def split_title(text: str) -> tuple[str | None, str]:
    """("Interior Minister", "X") for "Interior Minister X"; (None, text) when no title leads."""
    tokens = text.split()
    keys = [t.replace(".", "").lower() for t in tokens]
    for title in _titles():
        n = len(title)
        if n < len(tokens) and tuple(keys[:n]) == title:
            return " ".join(tokens[:n]), " ".join(tokens[n:])
    return None, text.strip()


def _strip_article(text: str) -> str:
    parts = text.split(maxsplit=1)
    if len(parts) == 2 and parts[0].lower() in _LEADING_DROP:
        return parts[1]
    return text


# ---------------------------------------------------------------------------- candidates


def _operation_spans(doc: Doc) -> Iterator[tuple[int, int, str, str | None]]:
    for m in _operation_re().finditer(doc_text(doc)):
        yield m.start(), m.end(), "operation", None


def _compound_spans(doc: Doc) -> Iterator[tuple[int, int, str, str | None]]:
    """Hyphen-linked names NER splits ("Tehreek-e-Taliban Pakistan"), with the named words right after."""
    for m in _compound_re().finditer(doc_text(doc)):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        end = span.end
        while end < len(doc) and doc[end].is_title and doc[end].ent_type_ and doc[end - 1].whitespace_ == " ":
            end += 1
        text = doc[span.start : end].text
        yield span.start_char, doc[end - 1].idx + len(doc[end - 1]), type_of_name(text, "ORG"), "ORG"


def _modifies_actor(ent: Span) -> bool:
    """A demonym that modifies an actor noun ("the Ruritanian army"): the actor phrase is the mention."""
    root = ent.root
    heads = _heads()
    return (
        ent.label_ == "NORP"
        and root.dep_ in ("amod", "compound", "nmod")
        and root.head.i == ent.end
        and (root.head.lemma_.lower() in heads or root.head.lower_ in heads)
    )


def _ner_spans(doc: Doc) -> Iterator[tuple[int, int, str, str | None]]:
    for ent in doc.ents:
        if ent.label_ not in _NER_DEFAULT or _modifies_actor(ent):
            continue
        span = _trim(ent)
        if span is None:
            continue
        if ent.label_ == "PERSON":
            type_ = "person" if type_of_name(span.text, "ORG") in ("organization", "other") else type_of_name(span.text, "ORG")
        else:
            type_ = type_of_name(span.text, ent.label_)
        yield span.start_char, span.end_char, type_, ent.label_


def _trim(span: Span) -> Span | None:
    """The span without a leading article or trailing possessive ("the Army's" -> "Army")."""
    start, end = span.start, span.end
    while start < end and span.doc[start].lower_ in _LEADING_DROP:
        start += 1
    while end > start and span.doc[end - 1].tag_ == "POS" or (end > start and span.doc[end - 1].is_punct):
        end -= 1
    return span.doc[start:end] if end > start else None


def _chunk_spans(doc: Doc) -> Iterator[tuple[int, int, str, str | None]]:
    """Unnamed actors: noun chunks headed by an actor noun ("the army", "security forces")."""
    heads = _heads()
    try:
        chunks: Iterable[Span] = doc.noun_chunks
        chunks = list(chunks)
    except ValueError:  # no parser in the pipeline
        return
    for chunk in chunks:
        root = chunk.root
        two = f"{doc[root.i - 1].lower_} {root.lower_}" if root.i > chunk.start else ""
        type_ = heads.get(two) or heads.get(root.lemma_.lower()) or heads.get(root.lower_)
        if type_ is None:
            continue
        start = chunk.start
        # Drop articles and counts: "the 12 militants" -> "militants" (the figure is a quantity, not a name).
        while start < root.i and (doc[start].lower_ in _LEADING_DROP or doc[start].like_num or doc[start].dep_ in ("nummod", "quantmod", "advmod") or doc[start].pos_ in ("ADP", "ADV", "NUM")):
            start += 1
        # "Ministry of Interior" / "Ministry of X" keep their complement.
        end = root.i + 1
        if root.lower_ == "ministry" and end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].is_title:
            end += 2
            while end < len(doc) and doc[end].is_title:
                end += 1
        yield doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), type_, None


def _pick(cands: Iterable[tuple[int, int, str, str | None]], taken: list[tuple[int, int]]) -> Iterator[tuple[int, int, str, str | None]]:
    """Candidates that overlap nothing already taken, longest first."""
    for start, end, type_, label in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        if end <= start or any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        yield start, end, type_, label


def find_mentions(doc: Doc) -> list[Mention]:
    """Non-overlapping typed mentions: operations first, then NER names, then unnamed actor phrases."""
    sent_of = sentence_index(doc)
    text = doc_text(doc)
    char_to_tok = {t.idx: t.i for t in doc}
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    for source in (_operation_spans(doc), _compound_spans(doc), _ner_spans(doc), _chunk_spans(doc)):
        for start, end, type_, label in _pick(source, taken):
            tok = char_to_tok.get(start)
            if tok is None:
                span = doc.char_span(start, end, alignment_mode="expand")
                tok = span.start if span is not None else None
            sentence = sent_of[tok] if tok is not None and tok < len(sent_of) else None
            out.append(Mention(text=text[start:end], start=start, end=end, type=type_, label=label, sentence=sentence))
    out.sort(key=lambda m: m.start)
    return out


@register("extract", "entities")
def extract_entities(ex: Extraction, doc: Doc) -> None:
    """Pipeline stage: append the article's typed mentions to ``ex.mentions``."""
    ex.mentions.extend(find_mentions(doc))
