"""Figures in an article: counts, casualty tolls, money and percentages, as :class:`Quantity` records.

Numbers are found with patterns over the text (so "$2,000-$3,000" or "Rs 3.5 million" are read whole,
however the tokenizer splits them) and interpreted with the dependency parse of the given Doc (what is
counted, which verb governs it). All vocabularies live in ``data/lexicons/quantity_*`` and
``casualty_*`` files.

How ``low`` / ``high`` follow from the qualifier (``value`` is always the figure as written):

- ``exact`` 6 -> low 6, high 6
- ``at_least`` 7 -> low 7, high None; vague counts ("dozens" = 12, ACLED's rule) are ``at_least``
- ``more_than`` 30 -> low 31 for whole counts (low 30 for money, percentages and fractions), high None
- ``at_most`` 10 -> low None, high 10
- ``less_than`` 10 -> low None, high 9 for whole counts (10 otherwise)
- ``approx`` 100 ("about", "some") -> low None, high None: a rounded figure bounds nothing
- ``approx`` with "nearly" / "almost" / "close to" -> low None, high = value (the figure is not reached)
- ``range`` 20-30 -> low 20, high 30, value = low (the conservative figure, as ACLED codes it)
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rashomon.extract.casualty_context import (
    checked_category,
    inherited_category,
    person_verb_category,
)
from rashomon.extract.sentences import doc_text
from rashomon.lexicon import load_list, load_map
from rashomon.records import Extraction, Quantity
from rashomon.registry import register

log = logging.getLogger(__name__)

_DIGITS = r"\d{1,3}(?:,\d{2,3})*,\d{3}(?:\.\d+)?|\d+(?:\.\d+)?"
_DASH = r"\s*(?:-|–|—|to)\s*"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_BEFORE = re.compile(rf"(?i)\b(?:{_MONTHS})\.?\s*$")
_MONTH_AFTER = re.compile(rf"(?i)^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTHS})\b")
_ORDINAL_AFTER = re.compile(r"(?i)^(?:st|nd|rd|th)\b")
_PERCENT_AFTER = re.compile(r"(?i)\s*(?:%|per\s*cent\b|pc\b|percentage points?\b)")
_PHONE = re.compile(
    r"(?<![\w,.])\d{3,5}-\d{6,8}(?![\w,])|(?<![\w,.])\+?\(?\d{2,5}\)?(?:[\s-]\d{2,8}){2,}(?![\w,])|(?<![\w,.])0\d{9,11}(?![\w,])"
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


@lru_cache(maxsize=1)
def _number_words() -> dict[str, float]:
    return _float_map("quantity_number_words")


@lru_cache(maxsize=1)
def _multipliers() -> dict[str, float]:
    return _float_map("quantity_multipliers")


@lru_cache(maxsize=1)
def _vague() -> dict[str, float]:
    return _float_map("quantity_vague")


def _float_map(name: str) -> dict[str, float]:
    """A lexicon whose values are numbers; a bad value is logged and skipped, never fatal."""
    out: dict[str, float] = {}
    for key, raw in load_map(name).items():
        try:
            out[key] = float(raw)
        except ValueError:
            log.warning("lexicon %s: value %r for %r is not a number", name, raw, key)
    return out


def _alternation(words: list[str]) -> str:
    """Regex alternation of phrases, longest first so "tens of thousands" beats "tens"."""
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts) or r"(?!x)x"


@lru_cache(maxsize=1)
def _core_re() -> re.Pattern[str]:
    """One number core: digits, spelled-out number words, or a vague count."""
    words = [w for w in _number_words() if " " not in w]
    scale = [w for w, v in _multipliers().items() if v >= 100 and len(w) > 2]
    unit = _alternation(words + scale)
    spelled = rf"(?:an?\s+(?:dozen|score|hundred|thousand)|(?:{unit}))(?:(?:\s+and\s+|[\s-]+)(?:{unit}))*"
    vague = _alternation(list(_vague()))
    glued = r"(?=(?:bn|mn|mln|m|k)?(?!\w))"  # "5m", "3bn" keep their scale word
    return re.compile(
        rf"(?i)(?<![\w.])(?:(?P<vague>{vague})(?!\w)|(?P<digits>{_DIGITS}){glued}|(?P<words>{spelled})(?!\w))"
    )


@lru_cache(maxsize=1)
def _mult_re() -> re.Pattern[str]:
    """A scale word after a number; "m" and "k" only when glued to the digits ("3m", "5k")."""
    spaced = [w for w in _multipliers() if len(w) > 1]
    return re.compile(rf"(?i)(?:\s*(?P<m>{_alternation(spaced)})|(?P<g>[mk]))(?![\w])")


@lru_cache(maxsize=1)
def _currency() -> dict[str, str]:
    return load_map("quantity_currencies")


@lru_cache(maxsize=1)
def _cur_before_re() -> re.Pattern[str]:
    return re.compile(
        rf"(?i)(?:^|(?<=[^\w$]))(?P<c>{_alternation(list(_currency()))})\s*$"
    )


@lru_cache(maxsize=1)
def _cur_after_re() -> re.Pattern[str]:
    return re.compile(rf"(?i)\s*(?P<c>{_alternation(list(_currency()))})(?![\w])")


def _qual_map(name: str) -> dict[str, str]:
    return load_map(name)


@lru_cache(maxsize=1)
def _qual_before_re() -> re.Pattern[str]:
    return re.compile(
        rf"(?i)(?:^|\W)(?P<q>{_alternation(list(_qual_map('quantity_qualifiers')))})\s+$"
    )


@lru_cache(maxsize=1)
def _qual_after_re() -> re.Pattern[str]:
    return re.compile(
        rf"(?i)(?:\s+|-)(?P<q>{_alternation(list(_qual_map('quantity_post_qualifiers')))})\b|\+"
    )


@lru_cache(maxsize=1)
def _skip_before_re() -> re.Pattern[str]:
    return re.compile(
        rf"(?i)(?:^|\W)(?:{_alternation(list(load_list('quantity_skip_before')))})\s*$"
    )


@lru_cache(maxsize=1)
def _skip_after_re() -> re.Pattern[str]:
    words = _alternation(list(load_list("quantity_skip_after")))
    return re.compile(rf"(?i)^(?:[\s-]*(?:{words})(?![\w])|\s*[:h]\d\d\b)")


@lru_cache(maxsize=1)
def _casualty_terms() -> dict[str, str]:
    return load_map("casualty_terms")


# ---------------------------------------------------------------- number values


def parse_number(text: str) -> float | None:
    """The value of one number core ("1,200", "3.5", "twenty-five", "one hundred and two", "dozens")."""
    t = " ".join(text.lower().replace("-", " ").split())
    vague = _vague().get(t)
    if vague is not None:
        return vague
    if t and (t[0].isdigit()):
        try:
            v = float(t.replace(",", ""))
        except ValueError:
            return None
        return v if math.isfinite(v) else None
    value = _parse_words(t)
    return value if value is None or math.isfinite(value) else None  # "hundred hundred ..." overflows


def _parse_words(t: str) -> float | None:
    """Spelled-out numbers: units and tens add up, "hundred" multiplies, bigger scales close a group."""
    words, mults = _number_words(), _multipliers()
    if t in words:
        return words[t]
    total, group, seen = 0.0, 0.0, False
    for w in t.split():
        if w in ("and", "a", "an"):
            continue
        if w in words:
            group += words[w]
        elif w in mults:
            group = (group or 1.0) * mults[w]
            if mults[w] >= 1000:
                total, group = total + group, 0.0
        else:
            return None
        seen = True
    return total + group if seen else None


# ---------------------------------------------------------------- surface scan


@dataclass(slots=True)
class _Raw:
    """A number expression found in the text, before the parse is consulted."""

    start: int
    end: int
    value: float
    high: float | None  # second figure of a range
    unit: str | None
    qualifier: str  # includes the internal "approx_upper"
    vague: bool
    word_core: str
    core_end: int  # end of the (last) numeric core, for token lookup
    first_end: int  # end of the first numeric core (a range has two)


def _apply_mult(text: str, pos: int, value: float) -> tuple[float, int]:
    m = _mult_re().match(text, pos) if pos < len(text) else None
    if not m:
        return value, pos
    word = (m.group("m") or m.group("g") or "").lower()
    factor = _multipliers().get(word)
    if factor is None:
        return value, pos
    return value * factor, m.end()


def _scan(text: str) -> list[_Raw]:
    """Every number expression in ``text`` with its unit, qualifier and range partner."""
    phones = [(m.start(), m.end()) for m in _PHONE.finditer(text)]
    out: list[_Raw] = []
    core = _core_re()
    pos = 0
    while True:
        m = core.search(text, pos)
        if not m:
            break
        pos = m.end()
        if any(a <= m.start() < b for a, b in phones):
            continue
        raw = _expand(text, m)
        if raw is None:
            continue
        out.append(raw)
        pos = max(pos, raw.end)
    return out


def _expand(text: str, m: re.Match[str]) -> _Raw | None:
    """Grow a number core into a full expression (currency, scale, range, qualifiers) or reject it."""
    value = parse_number(m.group(0))
    if value is None:
        return None
    start, end = m.start(), m.end()
    vague = m.group("vague") is not None
    value, end = _apply_mult(text, end, value)
    if not math.isfinite(value):
        return None  # a scale word on a 300-digit number: no figure a reader could use
    first_end = end
    unit: str | None = None
    cb = _cur_before_re().search(text, max(0, start - 16), start)
    if cb and m.group("digits"):
        unit, start = _currency()[_norm(cb.group("c"))], cb.start("c")
    high, core_end = None, end
    rng = re.compile(_DASH).match(text, end)
    between = re.search(r"(?i)\bbetween\s+$", text[max(0, start - 12) : start])
    if between:
        rng = re.compile(r"(?i)\s+and\s+").match(text, end) or rng
    if rng and not vague:
        high, end2, unit2 = _range_partner(text, rng.end(), m)
        if high is not None:
            if (
                value < high
                and m.group("digits")
                and "." not in m.group(0)
                and high >= 1000
                and value < 1000
                and value * (scale := _scale_of(text, rng.end())) <= high
            ):
                value = value * scale  # "2 to 3 million"; never "999 to 1 million" -> 999 million
            if high >= value:
                end, core_end, unit = end2, end2, unit or unit2
            else:
                high = None
    ca = _cur_after_re().match(text, end)
    if ca and unit is None and not vague:
        unit, end = _currency()[_norm(ca.group("c"))], ca.end()
    pct = _PERCENT_AFTER.match(text, end)
    if pct and unit is None:
        unit, end = "%", pct.end()
    qualifier = "range" if high is not None else "exact"
    if qualifier == "exact":
        qualifier, start, end = _qualify(text, start, end, vague)
    elif between:
        start = between.start() + max(0, start - 12)
    return _Raw(
        start, end, value, high, unit, qualifier, vague, m.group(0), core_end, first_end
    )


def _scale_of(text: str, pos: int) -> float:
    """The scale word that closes a range ("2 to 3 million" scales both ends)."""
    m = _core_re().match(text, pos)
    if not m:
        return 1.0
    mm = _mult_re().match(text, m.end())
    if not mm:
        return 1.0
    return _multipliers().get((mm.group("m") or mm.group("g") or "").lower(), 1.0)


def _range_partner(
    text: str, pos: int, first: re.Match[str]
) -> tuple[float | None, int, str | None]:
    """The second figure of "20-30", "$2,000-$3,000", "between 20 and 30"."""
    unit = None
    cb = re.compile(rf"(?i)(?P<c>{_alternation(list(_currency()))})\s*").match(
        text, pos
    )
    if cb and not cb.group("c").isalpha():
        unit, pos = _currency()[_norm(cb.group("c"))], cb.end()
    m = _core_re().match(text, pos)
    if (
        not m
        or m.group("vague")
        or bool(m.group("digits")) != bool(first.group("digits"))
    ):
        return None, pos, None
    v = parse_number(m.group(0))
    if v is None:
        return None, pos, None
    v, end = _apply_mult(text, m.end(), v)
    if not math.isfinite(v):
        return None, pos, None
    return v, end, unit


def _qualify(text: str, start: int, end: int, vague: bool) -> tuple[str, int, int]:
    """The qualifier written before (or after) the figure, widening the span to include it."""
    if vague:
        return "at_least", start, end
    q = _qual_before_re().search(text, max(0, start - 24), start)
    if q:
        return _qual_map("quantity_qualifiers")[_norm(q.group("q"))], q.start("q"), end
    qa = _qual_after_re().match(text, end)
    if qa:
        word = qa.group("q")
        return (
            (
                _qual_map("quantity_post_qualifiers")[_norm(word)]
                if word
                else "at_least"
            ),
            start,
            qa.end(),
        )
    return "exact", start, end


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


# ---------------------------------------------------------------- filters


def _is_label(text: str, raw: _Raw, m_digits: bool) -> bool:
    """Dates, times, years, ages, ordinals, model names and labels are not figures."""
    before, after = (
        text[max(0, raw.start - 30) : raw.start],
        text[raw.core_end : raw.core_end + 20],
    )
    if raw.unit is not None and raw.unit != "%":
        return False
    if _MONTH_AFTER.match(after) or _ORDINAL_AFTER.match(after):
        return True
    if _MONTH_BEFORE.search(before) and (
        raw.value > 31 or not re.match(r"\s+[a-z]+s\b", after)
    ):
        return True  # "March 3" is a date; "In March 15 soldiers died" is a count
    if _skip_before_re().search(before) or _skip_after_re().match(after):
        return True
    if before.endswith("[") and after.startswith("]"):
        return True  # a citation mark: "... 12 people.[41]"
    if m_digits and (
        re.search(r"[\w/:#-]$", before)
        and not re.search(r"(?i)(?:^|\s)(?:between|from|to)$", before)
    ):
        return True  # F-16, COVID-19, 10:30, 3/4
    if re.match(r"^[/:]\d|^-[A-Za-z]|^\.\d", after):
        return True
    if (
        raw.value < 130
        and re.search(r"[A-Z][a-z]+,\s*$", before)
        and re.match(r"^\s*[,)]", after)
    ):
        return True  # "Ahmed, 25," age apposition
    return False


# ---------------------------------------------------------------- parse-based reading


_NOUNS = frozenset({"NOUN", "PROPN"})


def _anchor_token(doc: Any, start: int, end: int) -> Any | None:
    """The last token of a numeric core: the one the parse attaches to the counted noun."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span[-1]


def _counted_noun(tok: Any) -> Any | None:
    """The noun the figure counts: its head via nummod/quantmod, or the object of "of" ("dozens of people")."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objs = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in _NOUNS]
            if objs:
                return objs[0]
    cur = tok
    for _ in range(3):
        if (
            cur.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod")
            and cur.head.i > cur.i
        ):
            cur = cur.head
            if (
                cur.pos_ in _NOUNS
                and cur.tag_ != "CD"
                and cur.lower_ not in _multipliers()
            ):
                return cur
        else:
            break
    return None


def _participle(noun: Any) -> list[Any]:
    """A passive participle right after the noun, with its bare complement ("taken hostage")."""
    doc = noun.doc
    if noun.i + 1 >= len(doc):
        return []
    nxt = doc[noun.i + 1]
    if nxt.tag_ != "VBN" or not (nxt.head == noun or noun.head == nxt):
        return []
    toks = [nxt]
    for c in nxt.rights:
        if (
            c.i == toks[-1].i + 1
            and c.dep_ in ("dobj", "oprd", "acomp", "prt", "attr", "advmod")
            and c.pos_ != "PRON"
        ):
            toks.append(c)
        else:
            break
    return toks


def _counted_phrase(anchor: Any, noun: Any) -> tuple[str, list[Any]]:
    """Modifiers between the figure and the noun, the noun, and a trailing participle phrase."""
    doc = noun.doc
    first = noun.i
    if noun.i > anchor.i:
        j = noun.i - 1
        while (
            j > anchor.i
            and doc[j].dep_ in ("compound", "amod", "nmod", "punct")
            and doc[j].pos_ != "NUM"
        ):
            j -= 1
        first = j + 1
        while first < noun.i and doc[first].is_punct:
            first += 1
    toks = list(doc[first : noun.i + 1]) + _participle(noun)
    text = doc[toks[0].i : toks[-1].i + 1].text
    return text, toks


def _verb_of(tok: Any) -> Any | None:
    """The nearest verb governing the figure (or its noun)."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX") or cur.tag_ == "VBN":
            return cur
        if cur.head == cur:
            return None
        cur = cur.head
    return None


def _context_terms(
    anchor: Any, noun: Any | None, counted: list[Any]
) -> tuple[list[str], list[str]]:
    """Lemmas that name what the figure counts: (counted phrase and its modifiers, governing context)."""
    core = [
        t
        for t in counted
        if noun is None or t == noun or t.i > noun.i or t.dep_ == "amod"
    ]
    own = [t.lemma_.lower() for t in core] + [t.lower_ for t in core]
    for c in anchor.children:
        if c.dep_ in ("amod", "acomp", "oprd", "advmod", "appos"):
            own += [c.lemma_.lower(), c.lower_]
    doc = anchor.doc
    nxt = anchor.i + 1
    if noun is None and nxt < len(doc) and doc[nxt].pos_ in ("ADJ", "VERB", "NOUN"):
        own += [doc[nxt].lemma_.lower(), doc[nxt].lower_]  # "40 dead", "12 wounded"
    base = noun if noun is not None else anchor
    ctx: list[str] = []
    if base.dep_ == "pobj" and base.head.head.pos_ in _NOUNS:  # "a death toll of 40"
        holder = base.head.head
        ctx += [t.lemma_.lower() for t in holder.subtree if t.i <= holder.i]
    verb = _verb_of(base)
    if verb is not None:
        ctx += [verb.lemma_.lower(), verb.lower_]
        for c in verb.children:
            if c.dep_ == "conj" and c.pos_ == "VERB":  # "were shot and killed"
                ctx += [c.lemma_.lower(), c.lower_]
            bare_adj = c.dep_ == "advcl" and c.pos_ == "ADJ"  # "held 3 workers captive"
            if (
                c.dep_ in ("prt", "acomp", "oprd", "xcomp", "dobj", "advmod", "attr")
                or bare_adj
            ) and c != base:
                ctx += [c.lemma_.lower(), c.lower_]
        if verb.lemma_.lower() in load_list("casualty_link_verbs"):
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    ctx += [t.lemma_.lower() for t in c.subtree]
    return own, ctx


def _category_of(terms: list[str]) -> str | None:
    """The casualty category named by the terms: multi-word entries need all their words present."""
    table = _casualty_terms()
    present = set(terms)
    for key in sorted(table, key=lambda k: -len(k.split())):
        words = key.split()
        if all(w in present for w in words):
            return table[key]
    return None


# ---------------------------------------------------------------- records


def _bounds(raw: _Raw) -> tuple[float | None, float | None, str]:
    """low / high / public qualifier, by the rule in the module docstring."""
    v, q = raw.value, raw.qualifier
    whole = raw.unit is None and float(v).is_integer()
    if q == "exact":
        return v, v, q
    if q == "at_least":
        return v, None, q
    if q == "more_than":
        return (v + 1 if whole else v), None, q
    if q == "at_most":
        return None, v, q
    if q == "less_than":
        return None, (max(v - 1, 0.0) if whole else v), q  # "fewer than 0" bounds nothing below zero
    if q == "approx_upper":
        return None, v, "approx"
    if q == "range":
        return v, raw.high, q
    return None, None, "approx"


def _proper_label(doc: Any, raw: _Raw, anchor: Any) -> bool:
    """A bare number right after a name is part of the name ("Operation X 2.0", "Boeing 737")."""
    span = doc.char_span(raw.start, raw.end, alignment_mode="expand")
    if (
        span is None
        or span.start == 0
        or raw.unit is not None
        or raw.qualifier != "exact"
    ):
        return False
    prev = doc[span.start - 1]
    counts_next = anchor.dep_ == "nummod" and anchor.head.i == span.end
    return prev.pos_ == "PROPN" and prev.text[:1].isupper() and not counts_next


def _to_quantity(doc: Any, raw: _Raw) -> Quantity | None:
    """Interpret one surface figure with the parse; None when it is a label, a year or a pronoun 'one'."""
    text = doc_text(doc)
    is_digits = bool(re.match(r"\d", raw.word_core))
    if _is_label(text, raw, is_digits):
        return None
    anchor = _anchor_token(doc, raw.start, raw.core_end)
    if anchor is None:
        return None
    if _proper_label(doc, raw, anchor):
        return None
    core = raw.word_core.lower()
    if (
        is_digits
        and _YEAR.match(raw.word_core)
        and raw.unit is None
        and raw.high is None
    ):
        if not (anchor.dep_ == "nummod" and anchor.head.tag_ == "NNS"):
            return None
    if (
        core in ("one", "a score")
        and anchor.dep_ != "nummod"
        and raw.qualifier == "exact"
    ):
        return None  # "one of them", "no one"
    noun = _counted_noun(anchor)
    if noun is None and raw.high is not None:
        first = _anchor_token(doc, raw.start, raw.first_end)
        noun = _counted_noun(first) if first is not None else None
    if noun is not None and noun.lower_ in load_list("quantity_label_nouns"):
        return None  # "3150 Robinson Road"
    if noun is not None and (
        _norm(noun.text) in _currency() or raw.unit == "%" or noun.idx < raw.end
        or "\n\n" in text[raw.end : noun.idx]  # a parse that runs across a paragraph break
    ):
        noun = None
    counted: str | None = None
    toks: list[Any] = []
    if noun is not None:
        counted, toks = _counted_phrase(anchor, noun)
    low, high, qualifier = _bounds(raw)
    if raw.unit == "%":
        category: str | None = "other"
    elif raw.unit is not None:
        category = "money"
    elif noun is not None and noun.lower_ in load_list("quantity_time_nouns"):
        category = "other"  # "one day", "three rounds": not a count of people
    elif (noun is None or noun.pos_ == "PROPN") and _bare_code(raw):
        category = "other"  # "3007 N. Main St.", a bare "3007": an address or code, not a toll
    else:
        category = _casualty_category(anchor, noun, toks)
    return Quantity(
        text=text[raw.start : raw.end],
        value=_clean(raw.value),
        low=_clean(low),
        high=_clean(high),
        qualifier=qualifier,  # type: ignore[arg-type]
        counted=counted,
        unit=raw.unit,
        start=raw.start,
        end=raw.end,
        category=category,
    )


def _casualty_category(anchor: Any, noun: Any | None, toks: list[Any]) -> str:
    """The category named around the figure, checked against what it counts, else inherited from context."""
    own, ctx = _context_terms(anchor, noun, toks)
    found = _category_of(own) or _category_of(ctx) or person_verb_category(noun, ctx)
    if found is None:
        found = inherited_category(anchor, noun, _verb_of(noun if noun is not None else anchor), _casualty_terms())
    return checked_category(found or "other", noun)


def _bare_code(raw: _Raw) -> bool:
    """Four or more digits with no thousands separator or scale word: news writes counts as "3,007"."""
    core = raw.word_core
    return core.isdigit() and len(core) >= 4 and raw.value == float(core) and raw.high is None


def _clean(v: float | None) -> float | None:
    """Round away float noise from multipliers ("3.5 million" -> 3500000.0)."""
    if v is None:
        return None
    r = round(v, 6)
    return float(int(r)) if r.is_integer() and abs(r) < 1e15 else r


def parse_quantities(doc: Any) -> list[Quantity]:
    """Every figure in the Doc, in text order. Never raises on odd text: a bad figure is skipped."""
    out: list[Quantity] = []
    try:
        raws = _scan(doc_text(doc))
    except Exception:
        log.exception("quantity scan failed")
        return out
    for raw in raws:
        try:
            q = _to_quantity(doc, raw)
        except Exception:
            log.exception("quantity at %d-%d skipped", raw.start, raw.end)
            continue
        if q is not None:
            out.append(q)
    try:
        singles = singular_victims(doc, [(q.start, q.end) for q in out])
    except Exception:
        log.exception("singular victims skipped")
        singles = []
    out.extend(_drop_covered(out, singles))
    out.sort(key=lambda q: q.start)
    return out


# ---------------------------------------------------------------- singular victims


@lru_cache(maxsize=1)
def _singular_terms() -> dict[str, str]:
    return {**_casualty_terms(), **load_map("casualty_singular_verbs")}


_CATEGORY_ORDER = ("killed", "injured", "shot", "captured", "missing")


def _victim_head(noun: Any) -> bool:
    """A singular person noun with "a" / "an" / "another" ("a 25-year-old man", "a security guard")."""
    if noun.pos_ == "PRON":
        return noun.lower_ in load_list("casualty_person_nouns") and noun.dep_ in ("nsubj", "nsubjpass")
    if noun.pos_ not in _NOUNS or noun.tag_ in ("NNS", "NNPS"):
        return False
    if noun.ent_type_ == "PERSON":
        return noun.ent_iob_ != "B" or not (noun.i + 1 < len(noun.doc) and noun.doc[noun.i + 1].ent_iob_ == "I")
    nouns = load_list("casualty_person_nouns")
    name = noun.lower_
    prev = noun.doc[noun.i - 1].lower_ if noun.i > 0 else ""
    if name not in nouns and f"{prev} {name}" not in nouns:
        return False
    dets = load_list("casualty_singular_determiners")
    return any(c.dep_ == "det" and c.lower_ in dets for c in noun.children)


def _victim_verb(noun: Any) -> Any | None:
    """The verb that makes the noun a victim: passive subject, subject of "die", object, or a relative clause."""
    for c in noun.children:
        if c.dep_ == "relcl" and any(g.dep_ == "nsubjpass" for g in c.children):
            return c  # "a man who was shot"
        if c.dep_ == "acl" and c.tag_ == "VBN":
            return c  # "a man shot in the head"
    head = noun.head
    if noun.dep_ == "nsubjpass":
        return head
    if noun.dep_ == "nsubj" and head.lemma_.lower() in load_list("casualty_intransitive_verbs"):
        return head
    if noun.dep_ == "dobj" and head.pos_ == "VERB":
        return head
    return None


def _singular_category(verb: Any) -> str | None:
    """The category named by the verb, its conjoined verbs and their complements; killed wins."""
    if any(c.dep_ == "neg" for c in verb.children):
        return None
    toks = [verb] + [c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "ADJ")]
    words: list[str] = []
    for t in toks:
        words += [t.lemma_.lower(), t.lower_]
        for c in t.children:
            if c.dep_ in ("acomp", "oprd", "advmod", "xcomp", "prt", "attr", "dobj"):
                words += [c.lemma_.lower(), c.lower_]
    table = _singular_terms()
    found = {table[w] for w in words if w in table}
    return next((cat for cat in _CATEGORY_ORDER if cat in found), None)


def _victim_start(noun: Any) -> int:
    """First token of the victim phrase: the determiner, or the first token of a person's name."""
    if noun.ent_type_ == "PERSON":
        i = noun.i
        while i > 0 and noun.doc[i].ent_iob_ == "I":
            i -= 1
        return i
    det = next((c for c in noun.children if c.dep_ == "det"), noun)
    return det.i


def _victim_group(noun: Any) -> list[Any]:
    """The noun and singular person nouns conjoined with it ("a man and a woman")."""
    group = [noun]
    for c in noun.children:
        if c.dep_ == "conj" and _victim_head(c):
            group.append(c)
    return group


def singular_victims(doc: Any, taken: list[tuple[int, int]]) -> list[Quantity]:
    """Casualties counted without digits: "a man was shot and killed" -> killed 1 (exact).

    Conjoined victims count together ("a man and a woman were wounded" -> 2). Nouns inside a
    figure already read (``taken``) are skipped, so "one person" is never counted twice.
    """
    out: list[Quantity] = []
    seen: set[int] = set()
    for noun in doc:
        if noun.i in seen or not _victim_head(noun):
            continue
        if any(a <= noun.idx < b for a, b in taken):
            continue
        verb = _victim_verb(noun)
        category = _singular_category(verb) if verb is not None else None
        if category is None:
            continue
        group = _victim_group(noun)
        seen.update(t.i for t in group)
        first = _victim_start(noun)
        span = doc[first : group[-1].i + 1]
        out.append(Quantity(
            text=span.text, value=float(len(group)), low=float(len(group)), high=float(len(group)),
            qualifier="exact", counted=noun.text if len(group) == 1 else span.text, unit=None,
            start=span.start_char, end=span.end_char, category=category,
        ))
    return out


def _drop_covered(found: list[Quantity], singles: list[Quantity]) -> list[Quantity]:
    """Singular victims of a category the article gives a written figure for are already counted.

    One only said to be "shot" counts as injured, unless the article reports a death: then the one
    shot is most often the one who died, and counting both would add a wounded victim who is not.
    """
    written = {q.category for q in found if q.category in _CATEGORY_ORDER}
    deaths = "killed" in written or any(q.category == "killed" for q in singles)
    out: list[Quantity] = []
    for q in singles:
        if q.category == "shot":
            if deaths:
                continue
            q.category = "injured"
        if q.category not in written:
            out.append(q)
    return out


@register("extract", "quantities")
def extract_quantities(ex: Extraction, doc: Any) -> None:
    """Pipeline stage: append every figure of the article to ``ex.quantities``."""
    ex.quantities.extend(parse_quantities(doc))
