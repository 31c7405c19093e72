"""Per-article events with ACLED types, each built from ONE anchor sentence (or a short run).

Why anchored: tools that assemble an event from the whole article put the actor of one paragraph
with the place of another. Here the type comes from a cue in the anchor sentence, and the place,
date, actors and casualty figures come only from that sentence (or the next one in the same
paragraph when it only adds figures). The article dateline / publication date are a fallback for
place / date, and ``notes`` says so.

Typing (all words in ``data/lexicons/event_*``): cues (``event_cues.tsv``; the longest wording wins and
"seize ... explosive" spans a verb phrase only) give candidate kinds ranked by ``event_priority.tsv``;
context rules (``event_modifiers.tsv``) refine the winner the way ACLED's definitions do (a protest
met with tear gas is a protest with intervention, a defused bomb is disrupted weapons use). A bare
"killed" / "attack" is an armed clash only when organised combatants are named. What the CASE 2021
task defines outside ACLED (disasters, organised crime, diplomacy, claims of responsibility) gets
event_type "Other", so a non-conflict sentence is not forced into a conflict type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from rashomon.extract.sentences import doc_text, sentences
from rashomon.lexicon import load_list, load_map
from rashomon.records import DateRef, Event, Extraction, Fatalities, Place, Quantity
from rashomon.registry import register

_ACTOR_TYPES = ("armed_group", "military", "police", "government", "ministry", "international_org", "organization", "person")
_COMBATANT_TYPES = frozenset({"armed_group", "military", "police"})
_PRECISION_RANK = {"town": 0, "admin2": 1, "admin1": 2, "country": 3, None: 4}
_GAP = "..."  # in a cue: "seize ... explosive" = both words, the second within _PAIR_WINDOW tokens
_PAIR_WINDOW = 8
_GENERIC = "*attack"
_OTHER = "Other"  # event_type of what is not a conflict event (disasters, crime, diplomacy, attribution)
_ATTRIBUTION = "Claim of responsibility"
_OVERTAKES = "Non-state actor overtakes territory"
_REGAINS = ("Battles", "Government regains territory")

Cue = tuple[tuple[str, ...], tuple[str, ...]]  # (words before the gap, words after it; empty if no gap)


def _parse_cue(key: str) -> Cue:
    left, _, right = key.partition(_GAP)
    return tuple(left.split()), tuple(right.split())


@lru_cache(maxsize=1)
def _cues() -> list[tuple[Cue, str]]:
    """Cues, gapped ones first, then longest first: the most specific wording is matched before its parts."""
    cues = [(_parse_cue(k), v) for k, v in load_map("event_cues").items()]
    return sorted(cues, key=lambda c: (not c[0][1], -(len(c[0][0]) + len(c[0][1]))))


@lru_cache(maxsize=1)
def _cue_index() -> dict[str, list[int]]:
    """Cue positions in ``_cues()`` by their first word, so a sentence only tries cues it could match."""
    index: dict[str, list[int]] = {}
    for n, ((left, right), _) in enumerate(_cues()):
        index.setdefault(_bare((left or right)[0]), []).append(n)
    return index


@lru_cache(maxsize=1)
def _modifiers() -> list[tuple[str, Cue, str]]:
    """(chosen sub-type or type, context cue, refined type|sub-type), in file order."""
    out: list[tuple[str, Cue, str]] = []
    for k, v in load_map("event_modifiers").items():
        base, sep, cue = k.partition("|")
        if sep and cue.strip() and "|" in v:
            out.append((base.strip(), _parse_cue(cue), v))
    return out


@lru_cache(maxsize=1)
def _priority() -> dict[str, int]:
    out: dict[str, int] = {}
    for k, v in load_map("event_priority").items():
        try:
            out[k.lower()] = int(v)
        except ValueError:
            continue
    return out


def _prio(value: str) -> int:
    return _priority().get(value.split("|", 1)[-1].lower(), 10)


def _bare(word: str) -> str:
    """A cue word without its part-of-speech tag ("storm/NOUN" -> "storm")."""
    return word.split("/", 1)[0]


def _word_at(token: Sequence[str], word: str) -> bool:
    """A cue word matches the token's lemma or lower form, and its tag when it has one ("storm/NOUN")."""
    bare, _, pos = word.partition("/")
    return bare in token[:2] and (not pos or (len(token) > 2 and token[2].lower() == pos.lower()))


def _seq_at(tokens: Sequence[Sequence[str]], i: int, seq: tuple[str, ...]) -> bool:
    """Whether ``seq`` starts at token ``i``, each word matching the token's lemma or lower form."""
    return i + len(seq) <= len(tokens) and all(_word_at(tokens[i + j], seq[j]) for j in range(len(seq)))


def _passable(token: Sequence[str]) -> bool:
    """Whether a gapped cue may span this token: it stays inside one verb phrase ("seized a quantity of
    explosives"), not across a clause, a comma or a place phrase ("seized the men near the town")."""
    pos = token[2] if len(token) > 2 else ""
    if pos == "ADP":
        return token[1] == "of"
    return pos not in ("PUNCT", "VERB", "AUX", "SCONJ")


def _match(tokens: Sequence[Sequence[str]], cue: Cue, free: Sequence[bool]) -> list[int] | None:
    """Token positions of the first match of ``cue`` on free tokens, or None."""
    left, right = cue
    n = len(tokens)
    for i in range(n - len(left) + 1):
        if not _seq_at(tokens, i, left) or not all(free[i : i + len(left)]):
            continue
        first = list(range(i, i + len(left)))
        if not right:
            return first
        lo = i + len(left)
        for k in range(lo, min(n, lo + _PAIR_WINDOW) - len(right) + 1):
            if _seq_at(tokens, k, right) and all(free[k : k + len(right)]):
                return first + list(range(k, k + len(right)))
            if not _passable(tokens[k]):
                break
    return None


def _tokens(sent: Span) -> list[tuple[str, str, str]]:
    """(lemma, lower form, coarse POS) per token; cue words match either form."""
    return [(t.lemma_.lower(), t.lower_, t.pos_) for t in sent]


@lru_cache(maxsize=1)
def _denial_verbs() -> frozenset[str]:
    acts = load_list("denial_acts")
    return frozenset(v for v, act in load_map("reporting_verbs").items() if act in acts)


def _verb_negated(verb: Token) -> bool:
    """ "had not attacked", "never attacked", or the clause a denial governs ("denied carrying out ...")."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True  # a negated governor ("police do not know why he was shot") leaves the event standing
    cur = verb
    for _ in range(4):
        if cur.dep_ not in ("xcomp", "ccomp", "pcomp") or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.lemma_.lower() in _denial_verbs():
            return True
    return False


def _negated_cue(tok: Token) -> bool:
    """A cue word that names no event: negated, "no attack", or denied ("denied the attack").

    Why: a denial is a claim, not an incident; the event, if any, comes from sentences that assert it.
    """
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in tok.children):
        return True
    if tok.pos_ in ("VERB", "AUX"):
        return _verb_negated(tok)
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB":
        return head.lemma_.lower() in _denial_verbs() or _verb_negated(head)
    return False


def _found(tokens: Sequence[Sequence[str]], blocked: Callable[[], Sequence[bool]] | None = None) -> list[str]:
    """Every cue value in the sentence; a matched word is not matched again by a shorter cue.

    ``blocked`` gives the words that may not match (negated or denied cue words); it is asked only
    once some cue has all its words in the sentence, since it walks the parse around every word.
    """
    free: list[bool] | None = None
    vocab = {w for t in tokens for w in t[:2]}
    index, cues = _cue_index(), _cues()
    found: list[str] = []
    for n in sorted({n for w in vocab for n in index.get(w, ())}):
        cue, value = cues[n]
        if not all(_bare(w) in vocab for part in cue for w in part):
            continue
        if free is None:
            flags = blocked() if blocked is not None else ()
            free = [not b for b in flags] if flags else [True] * len(tokens)
        while (pos := _match(tokens, cue, free)) is not None:
            found.append(value)
            for p in pos:
                free[p] = False
    return found


def _has(tokens: Sequence[Sequence[str]], cue: Cue, vocab: set[str]) -> bool:
    if not all(_bare(w) in vocab for part in cue for w in part):
        return False
    return _match(tokens, cue, [True] * len(tokens)) is not None


def _refine(kind: str, tokens: Sequence[Sequence[str]]) -> str:
    """Apply the first context rule for the chosen kind (protest with intervention, defused bomb, ...)."""
    etype, sub = (x.lower() for x in kind.split("|", 1))
    vocab = {w for t in tokens for w in t[:2]}
    for base, cue, value in _modifiers():
        if base in (etype, sub) and _has(tokens, cue, vocab):
            return value
    return kind


def _words(tokens: Sequence[Sequence[str]], lexicon: str) -> bool:
    words = load_list(lexicon)
    return any(t[0] in words or t[1] in words for t in tokens)


def _territory(kind: str, tokens: Sequence[Sequence[str]], actor_types: Sequence[str] = ()) -> str:
    """A territory taken by state forces alone is the government regaining it (ACLED)."""
    if not kind.endswith("|" + _OVERTAKES):
        return kind
    state = bool({"military", "police"} & set(actor_types)) or _words(tokens, "event_state_forces")
    nonstate = "armed_group" in actor_types or _words(tokens, "event_nonstate_forces")
    return "|".join(_REGAINS) if state and not nonstate else kind


def _generic(tokens: Sequence[Sequence[str]], actor_types: Sequence[str]) -> str:
    """A bare "attack" / "killed": a battle only when organised combatants are named (ACLED's armed
    clash needs two armed sides); otherwise violence against civilians, never a guessed clash."""
    armed_mentions = len({a for a in actor_types if a in _COMBATANT_TYPES}) >= 2
    if armed_mentions or _words(tokens, "event_combatant_words"):
        return "Battles|Armed clash"
    return "Violence against civilians|Attack"


def ranked(sent: Span, actor_types: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Every (event_type, sub_event_type) the sentence's cues support, the most specific first."""
    tokens = _tokens(sent)
    found = _found(tokens, lambda: [_negated_cue(t) for t in sent])
    kinds = sorted({f for f in found if f != _GENERIC}, key=_prio, reverse=True)
    if _words(tokens, "event_negations"):  # "no group has claimed responsibility": nothing was claimed
        kinds = [k for k in kinds if not k.endswith("|" + _ATTRIBUTION)]
    if _GENERIC in found:
        generic = _generic(tokens, actor_types)
        kinds.append(generic)  # after every specific cue: a "protest ... killed" is refined, not a clash
    out: list[tuple[str, str]] = []
    for kind in kinds:
        refined = _territory(_refine(kind, tokens), tokens, actor_types)
        etype, sub = refined.split("|", 1)
        if (etype, sub) not in out:
            out.append((etype, sub))
    return out


def classify(sent: Span, actor_types: Sequence[str] = ()) -> tuple[str, str] | None:
    """(event_type, sub_event_type) for a sentence from its cues, most specific cue first; else None.

    event_type "Other" marks what is not a conflict event (a disaster, organised crime, diplomacy, a
    claim of responsibility), so such a sentence is not forced into a conflict type.
    """
    kinds = ranked(sent, actor_types)
    return kinds[0] if kinds else None


def event_kind(sent: Span, actor_types: Sequence[str] = ()) -> tuple[tuple[str, str], str | None] | None:
    """The kind an event record gets, and a note: a claim of responsibility for an attack is recorded as
    the attack (with the claim noted), since the incident is what an analyst codes."""
    kinds = ranked(sent, actor_types)
    if not kinds:
        return None
    if kinds[0][1] == _ATTRIBUTION:
        conflict = [k for k in kinds[1:] if k[0] != _OTHER]
        if conflict:
            return conflict[0], "responsibility claimed or attributed in the anchor sentence"
    return kinds[0], None


def _within(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _paragraph_break(text: str, a: int, b: int) -> bool:
    return "\n\n" in text[a:b] or "\r\n\r\n" in text[a:b]


def _figures(quantities: list[Quantity], ex: Extraction, category: str) -> Fatalities:
    """Low / best / high from the quantities of one category; best is the most conservative (ACLED)."""
    qs = [q for q in quantities if q.category == category and q.value is not None]
    if not qs:
        return Fatalities()
    lows = [int(q.low if q.low is not None else q.value) for q in qs]  # type: ignore[arg-type]
    highs = [int(q.high if q.high is not None else q.value) for q in qs]  # type: ignore[arg-type]
    claim_ids = [c.id for c in ex.claims for q in qs if c.span[0] <= q.start and q.end <= c.span[1]]
    return Fatalities(low=min(lows), best=min(int(q.value) for q in qs), high=max(highs), claim_ids=sorted(set(claim_ids)))  # type: ignore[arg-type]


def _place(places: list[Place]) -> Place | None:
    event = [p for p in places if p.role == "event"]
    if not event:
        return None
    return min(event, key=lambda p: (_PRECISION_RANK.get(p.geo.precision if p.geo else None, 4), p.start))


def _dateline_place(ex: Extraction) -> Place | None:
    """The dateline city as a place (fallback), resolved by the gazetteer when it can be."""
    line = ex.article.dateline
    if not line:
        return None
    from rashomon.extract import gazetteer

    name = line.split(",")[0].strip(" :-—").title()
    hits = gazetteer.get().lookup(name)
    if not hits:
        return Place(text=line, name=name, start=0, end=0, geo=None, role="event")
    from rashomon.extract.places import _geo

    best = max(hits, key=lambda e: (e.source != "geonames", e.population))
    return Place(text=line, name=best.name, start=0, end=0, geo=_geo(best), role="event")


Run = tuple[list[Span], tuple[str, str], str | None]  # sentences, (type, sub-type), note


def _anchor_runs(ex: Extraction, doc: Doc) -> list[Run]:
    """Anchor sentences with their type, each extended by a following figures-only sentence."""
    sents = sentences(doc)
    runs: list[Run] = []
    i = 0
    while i < len(sents):
        s = sents[i]
        actors = [m.type for m in ex.mentions if s.start_char <= m.start < s.end_char]
        found = event_kind(s, actors)
        if found is None:
            i += 1
            continue
        run = [s]
        if i + 1 < len(sents):
            nxt = sents[i + 1]
            casualty = any(nxt.start_char <= q.start < nxt.end_char and q.category in ("killed", "injured", "captured") for q in ex.quantities)
            if casualty and classify(nxt, ()) is None and not _paragraph_break(doc_text(doc), s.end_char, nxt.start_char):
                run.append(nxt)
                i += 1
        runs.append((run, found[0], found[1]))
        i += 1
    return runs


def _audience(doc: Doc, start: int) -> bool:
    """The mention starting at ``start`` is who a statement was made to ("told Reuters")."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    while tok.dep_ in ("compound", "det", "amod") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in ("dobj", "dative"):
        return tok.head.lemma_.lower() in load_list("event_audience_verbs")
    prep = tok.head
    return (  # "said on Telegram", "told to the UN": the channel or audience of a statement
        tok.dep_ == "pobj"
        and prep.lower_ in ("on", "to", "via", "through")
        and prep.head.lemma_.lower() in load_map("reporting_verbs")
    )


def _statement_place(doc: Doc, start: int) -> bool:
    """Where a statement was made ("told a press conference in Abuja", "said in Kabul"), not the event."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    while tok.dep_ in ("compound", "amod") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ != "pobj" or tok.head.dep_ != "prep":
        return False
    owner = tok.head.head
    if owner.dep_ in ("dobj", "dative", "pobj") and owner.head.pos_ in ("VERB", "ADP"):
        owner = owner.head if owner.dep_ != "pobj" else owner.head.head  # "told a press conference in X"
    return owner.lemma_.lower() in load_map("reporting_verbs")


def _actors(ex: Extraction, run: list[Span], spans: list[tuple[int, int]]) -> list[str]:
    """Actor names of the run: parties, not the people reporting it ("President X condemned the attack").

    A named person or unnamed speaker is never an actor of the event they talk about; an
    institution speaking is one only when the sentence names no other party.
    """
    doc = run[0].doc
    speakers: dict[tuple[int, int], str] = {}
    for c in ex.claims:
        sp = c.speaker
        if sp.kind != "outlet" and sp.start is not None and sp.end is not None and _within(sp.start, sp.end, spans):
            speakers[(sp.start, sp.end)] = sp.kind
    parties: list[str] = []
    voices: list[str] = []
    for m in ex.mentions:
        if not _within(m.start, m.end, spans) or m.type not in _ACTOR_TYPES or _audience(doc, m.start):
            continue
        voice = next((k for (s, e), k in speakers.items() if s <= m.start and m.end <= e), None)
        if voice is None:
            parties.append(m.text)
        elif voice in ("organization", "group") and m.type != "person":
            voices.append(m.text)
    out: list[str] = []
    for name in parties or voices:
        if name not in out:
            out.append(name)
    return out


def _event(ex: Extraction, run: list[Span], kind: tuple[str, str], note: str | None = None) -> Event:
    spans = [(s.start_char, s.end_char) for s in run]
    notes: list[str] = [note] if note else []
    places = [p for p in ex.places if _within(p.start, p.end, spans) and not _statement_place(run[0].doc, p.start)]
    location = _place(places)
    if location is None:
        location = _dateline_place(ex)
        if location is not None:
            notes.append("location from the article dateline")
    dates = [d for d in ex.dates if _within(d.start, d.end, spans) and d.kind not in ("deadline",)]
    date = dates[0] if dates else None
    if date is None:
        date = DateRef.published(ex.article.published)
        if date is not None:
            notes.append("date from the publication date")
    actors = _actors(ex, run, spans)
    qs = [q for q in ex.quantities if _within(q.start, q.end, spans)]
    fat = _figures(qs, ex, "killed")
    inj = _figures(qs, ex, "injured")
    cap = _figures(qs, ex, "captured")
    claim_ids = sorted({c.id for c in ex.claims if any(c.span[0] < e and s < c.span[1] for s, e in spans)})
    return Event(
        article_ids=[ex.article.id],
        event_type=kind[0],
        sub_event_type=kind[1],
        date=date,
        location=location,
        actor1=actors[0] if actors else None,
        actor2=actors[1] if len(actors) > 1 else None,
        fatalities=fat,
        injured=inj,
        captured=cap,
        claim_ids=claim_ids,
        sentences=spans,
        notes="; ".join(notes) or None,
    )


def _merge_figures(a: Fatalities, b: Fatalities) -> Fatalities:
    vals = [f for f in (a, b) if f.best is not None]
    if not vals:
        return a
    return Fatalities(
        low=min(f.low for f in vals if f.low is not None) if any(f.low is not None for f in vals) else None,
        best=min(f.best for f in vals if f.best is not None),
        high=max(f.high for f in vals if f.high is not None) if any(f.high is not None for f in vals) else None,
        claim_ids=sorted(set(a.claim_ids) | set(b.claim_ids)),
    )


def _merge(events: list[Event]) -> list[Event]:
    """One event per (type, sub-type, place, date) in the article."""
    out: dict[tuple[object, ...], Event] = {}
    for e in events:
        key = (e.event_type, e.sub_event_type, e.location.name if e.location else None, e.date.value if e.date else None)
        if key not in out:
            out[key] = e
            continue
        m = out[key]
        m.sentences = sorted(set(m.sentences) | set(e.sentences))
        m.claim_ids = sorted(set(m.claim_ids) | set(e.claim_ids))
        m.fatalities = _merge_figures(m.fatalities, e.fatalities)
        m.injured = _merge_figures(m.injured, e.injured)
        m.captured = _merge_figures(m.captured, e.captured)
        m.actor1 = m.actor1 or e.actor1
        m.actor2 = m.actor2 or e.actor2
    return list(out.values())


def find_events(ex: Extraction, doc: Doc) -> list[Event]:
    """Events of one article, merged by type + place + date."""
    return _merge([_event(ex, run, kind, note) for run, kind, note in _anchor_runs(ex, doc)])


@register("extract", "events")
def extract_events(ex: Extraction, doc: Doc) -> None:
    """Pipeline stage: append the article's events to ``ex.events``."""
    ex.events.extend(find_events(ex, doc))
