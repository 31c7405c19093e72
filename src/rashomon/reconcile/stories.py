"""Group articles that report the same incident into stories.

Single-pass clustering in publication order: each article is compared only with the recent stories
that share one of its salient terms (an inverted index with bounded postings) and lie inside the time
window, and joins the most similar one above the threshold, or founds a new story. Cost grows about
linearly with the corpus, and new articles join stored stories without moving the old ones.

Features are TF-IDF weights over content words, with names of people, groups and places counted more,
since two reports of one incident share names more reliably than wording, and the headline and lead
counted more, since they state the incident while the rest of the text gives background. Document frequencies blend
the corpus's own with a background table shipped in ``data/`` (built by ``bench/build_background_df.py``),
so a folder of ten articles still knows that "killed" is common and a town's name is not. When the
extractor ran, incompatible incident places and dates keep look-alike incidents apart (the same kind of
attack in another town a week later) and a shared casualty figure pulls reports together. The kind of
incident a report announces (people taken vs killed; ``story_features``) keeps apart two incidents of
one group in one region: a lead and figures that both announce another kind rule a match out, one of
them costs a little. A report stating a story's incident day is a follow-up and may come weeks later.
Softer place and date rewards, and a penalty for other people named up front, were measured on GVC and
ECB+ and did not help, so there are none.
An article that comes close to other stories than its own links them as related.
A story is capped (``StoryCap``: articles, span of days): a full story takes no new report, and one
that would join it founds a continuation story, related to it, so no story grows with the corpus and
an incremental run never reloads a conflict's whole history (issue 6).
"""

from __future__ import annotations

import gzip
import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from rashomon.config import STORY_MAX_ARTICLES, STORY_MAX_SPAN_DAYS, Settings
from rashomon.reconcile.story_features import (
    DATE_SLACK_DAYS,
    Kinds,
    KindTally,
    incident_days,
    incident_towns,
    near_days,
    ordinal_day,
)
from rashomon.records import Extraction, Story, stable_id

BACKGROUND_PATH = Path(__file__).resolve().parents[1] / "data" / "background_df.tsv.gz"
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]+")
NAME_WEIGHT = 3
TITLE_WEIGHT = 2  # a headline word counts as much as two body words
LEAD_WORDS = 25  # the lead states the incident: its words count as headline words
LEAD_WEIGHT = 1
TOP_TERMS = 12  # salient terms per article used for candidate lookup
MAX_POSTINGS = 40  # stories kept per term in the index (the most recent): bounds candidates per article
THRESHOLD = 0.18
RELATED_SHARE = 0.6  # a story this close to an article (as a share of the threshold) is related to its story
BACKGROUND_DOCS = 1000.0  # how many of this corpus's documents the background table is worth
FIGURE_BONUS = 0.04  # both give the same killed / injured / captured figure
VETO_CONFLICTS = 2  # incompatible signals (other incident towns; incident dates apart; kinds) that rule a match out
DAY_DECAY = 0.02  # similarity lost per day between an article and its story's span, beyond the slack
FOLLOW_UP_DAYS = 120  # a report stating a story's incident day may come this late (trials, funerals, anniversaries)
KIND_PENALTY = 0.08  # per kind conflict: the lead, or the figures, announce another kind of incident (taken vs killed)
FIGURE_CATEGORIES = frozenset({"killed", "injured", "captured"})


def content_words(text: str) -> list[str]:
    """Lower-cased content words, the unit of both the features and the background table."""
    words = (w.lower().strip("'-") for w in _TOKEN.findall(text))
    return [w for w in words if len(w) > 2 and w not in STOP_WORDS]


@lru_cache(maxsize=1)
def background() -> tuple[int, dict[str, int]]:
    """(documents, term -> document frequency) of the shipped background table; empty if absent."""
    if not BACKGROUND_PATH.exists():
        return 0, {}
    table: dict[str, int] = {}
    n_docs = 0
    with gzip.open(BACKGROUND_PATH, "rt", encoding="utf-8") as fh:
        for line in fh:
            term, _, count = line.rstrip("\n").partition("\t")
            if term == "#docs":
                n_docs = int(count)
            elif count:
                table[term] = int(count)
    return n_docs, table


class _Idf:
    """IDF with the background table as a prior worth BACKGROUND_DOCS documents.

On ten articles the prior says which words are common in news at all; on thousands the corpus's own
frequencies dominate, and a name that every article of a small folder shares still weighs less
than one that two of them share.
"""

    def __init__(self, counts: Iterable[Counter[str]]) -> None:
        self.bg_docs, self.bg = background()
        self.local: Counter[str] = Counter()
        self.memo: dict[str, float] = {}
        self.n = 0
        for c in counts:
            self.local.update(c.keys())
            self.n += 1

    def _bg_df(self, term: str) -> int:
        if term[0] in "#@":  # a name: as common as its rarest word
            words = content_words(term[1:])
            return min((self.bg.get(w, 0) for w in words), default=0)
        return self.bg.get(term, 0)

    def __call__(self, term: str) -> float:
        if term not in self.memo:
            prior = BACKGROUND_DOCS * self._bg_df(term) / self.bg_docs if self.bg_docs else 0.0
            weight = BACKGROUND_DOCS if self.bg_docs else 0.0
            self.memo[term] = math.log((weight + self.n + 1) / (prior + self.local[term] + 0.5))
        return self.memo[term]


def _terms(ex: Extraction) -> Counter[str]:
    words = content_words(ex.article.text)
    counts: Counter[str] = Counter(words)
    for w in content_words(ex.article.title or "") + words[:LEAD_WORDS] * LEAD_WEIGHT:
        counts[w] += TITLE_WEIGHT
    for m in ex.mentions:
        if m.type != "other":
            counts["#" + m.text.lower()] += NAME_WEIGHT
    for p in ex.places:
        counts["@" + p.name.lower()] += NAME_WEIGHT
    return counts


def _weights(counts: Counter[str], idf: _Idf) -> dict[str, float]:
    vec = {t: (1 + math.log(tf)) * idf(t) for t, tf in counts.items() if tf >= 1}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items() if v > 0}


@dataclass(frozen=True, slots=True)
class StoryCap:
    """How large a story may grow: past it, the next report of its incident starts a continuation story."""

    articles: int = STORY_MAX_ARTICLES
    span_days: int = STORY_MAX_SPAN_DAYS

    @classmethod
    def of(cls, settings: Settings) -> StoryCap:
        return cls(settings.story_max_articles, settings.story_max_span_days)


@dataclass(slots=True)
class _Doc:
    """One article's clustering features."""

    vector: dict[str, float]
    day: int | None
    towns: frozenset[str]
    incident_days: frozenset[int]
    figures: frozenset[tuple[str, float]]
    stated_days: frozenset[int] = frozenset()  # incident days the text states (not the publication fallback)
    kinds: Kinds = field(default_factory=Kinds)


def _doc(ex: Extraction, counts: Counter[str], idf: _Idf) -> _Doc:
    figures = frozenset(
        (q.category, q.value) for q in ex.quantities if q.category in FIGURE_CATEGORIES and q.value is not None
    )
    return _Doc(_weights(counts, idf), ordinal_day(ex.article.published), incident_towns(ex), incident_days(ex),
                figures, incident_days(ex, stated_only=True), Kinds.of(ex))


@dataclass
class _Cluster:
    """A story being built: the sum of its members' vectors (cosine needs no division) and their signals."""

    id: str
    index: int
    title: str | None = None
    members: list[str] = field(default_factory=list)
    vector: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    first_day: int | None = None
    last_day: int | None = None
    towns: set[str] = field(default_factory=set)
    incident_days: set[int] = field(default_factory=set)
    stated_days: set[int] = field(default_factory=set)
    figures: set[tuple[str, float]] = field(default_factory=set)
    kinds: KindTally = field(default_factory=KindTally)  # members announcing each incident kind
    related: set[str] = field(default_factory=set)  # ids of stories an article was close to

    def add(self, doc: _Doc, article_id: str) -> None:
        self.norm2 += 2 * _dot(doc.vector, self.vector) + sum(v * v for v in doc.vector.values())
        for t, v in doc.vector.items():
            self.vector[t] = self.vector.get(t, 0.0) + v
        self.members.append(article_id)
        if doc.day is not None:
            self.first_day = doc.day if self.first_day is None else min(self.first_day, doc.day)
            self.last_day = doc.day if self.last_day is None else max(self.last_day, doc.day)
        self.towns |= doc.towns
        self.incident_days |= doc.incident_days
        self.stated_days |= doc.stated_days
        self.figures |= doc.figures
        self.kinds.add(doc.kinds)

    def takes(self, doc: _Doc, cap: StoryCap) -> bool:
        """Room for ``doc``: under the article cap, and its day within the span cap; past the span only
        a follow-up (within FOLLOW_UP_DAYS) stating an incident day of the story's first ``span_days``
        (the trial of that attack), never a day the story reached by chaining report to report."""
        if len(self.members) >= cap.articles:
            return False
        if doc.day is None or self.first_day is None or self.last_day is None:
            return True
        span = max(self.last_day, doc.day) - min(self.first_day, doc.day)
        if span <= cap.span_days:
            return True
        early = [d for d in self.stated_days if d <= self.first_day + cap.span_days]
        return span <= max(cap.span_days, FOLLOW_UP_DAYS) and near_days(doc.stated_days, early)

    def within(self, day: int | None, window: int) -> bool:
        if day is None or self.first_day is None or self.last_day is None:
            return True
        return self.first_day - window <= day <= self.last_day + window

    def gap(self, day: int | None) -> int:
        """Days between ``day`` and the story's span (0 inside it or when either is undated)."""
        if day is None or self.first_day is None or self.last_day is None:
            return 0
        return max(self.first_day - day, day - self.last_day, 0)

    def similarity(self, doc: _Doc) -> float:
        """Cosine to the centroid, plus a shared casualty figure, minus another kind of incident and
        the days between them (none for a follow-up that states the story's incident day).

        Another incident town, an incident date far apart, another kind of incident announced by both
        lead and figures: two of these mean another incident, no match however alike the wording (a
        single conflict is too often extraction noise).
        """
        if not self.norm2 or self._conflicts(doc) >= VETO_CONFLICTS:
            return 0.0
        sim = _dot(doc.vector, self.vector) / math.sqrt(self.norm2)
        if doc.figures & self.figures:
            sim += FIGURE_BONUS
        sim -= KIND_PENALTY * self.kinds.conflicts(doc.kinds)
        if self.recalls(doc):
            return sim
        return sim - DAY_DECAY * max(0, self.gap(doc.day) - DATE_SLACK_DAYS)

    def recalls(self, doc: _Doc) -> bool:
        """The report states an incident day the story's reports state too: a follow-up, however late."""
        return near_days(doc.stated_days, self.stated_days)

    def _conflicts(self, doc: _Doc) -> int:
        towns = bool(doc.towns and self.towns and not doc.towns & self.towns)
        days = bool(doc.incident_days and self.incident_days and not near_days(doc.incident_days, self.incident_days))
        kinds = self.kinds.conflicts(doc.kinds)
        return towns + days + (kinds if kinds == 2 else 0)  # one kind signal alone is too often noise


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _salient(vec: dict[str, float]) -> list[str]:
    return [t for t, _ in sorted(vec.items(), key=lambda kv: -kv[1])[:TOP_TERMS]]


class _Index:
    """Term -> the most recent stories holding it as a salient term; lookups stay bounded."""

    def __init__(self) -> None:
        self.postings: dict[str, deque[int]] = defaultdict(lambda: deque(maxlen=MAX_POSTINGS))

    def add(self, terms: Iterable[str], cluster: int) -> None:
        for t in terms:
            posting = self.postings[t]
            if cluster in posting:
                posting.remove(cluster)
            posting.append(cluster)

    def candidates(self, terms: Iterable[str]) -> set[int]:
        return {c for t in terms for c in self.postings.get(t, ())}


def _order_key(ex: Extraction) -> tuple[bool, str, str]:
    """Publication order, undated articles last: dated ones found the stories, undated ones then join."""
    return ex.article.published is None, ex.article.published or "", ex.article.id


def cluster_stories(
    exs: Sequence[Extraction],
    threshold: float = THRESHOLD,
    window_days: int = 10,
    existing: Sequence[Story] | None = None,
    stats: Counter[str] | None = None,
    cap: StoryCap | None = None,
) -> list[Story]:
    """Stories over the non-duplicate articles; a duplicate joins the story of its original.

    ``existing`` stories (from an earlier run) keep their ids and members; only articles in none of
    them are assigned, to an existing story or a new one. Their duplicates need not be in ``exs``
    (a copy adds nothing to a story's features): an incremental run loads them only for stories that change. A story's id comes from its founding
    article, so it never changes when later articles join. ``stats`` counts "comparisons". A story
    at its ``cap`` takes no new original; the report founds a continuation story related to it.
    """
    stats = stats if stats is not None else Counter()
    cap = cap or StoryCap()
    by_id = {ex.article.id: ex for ex in exs}
    stored = {aid for s in existing or () for aid in s.article_ids}
    originals = sorted((ex for ex in exs if ex.article.duplicate_of is None), key=_order_key)
    counts = [_terms(ex) for ex in originals]
    idf = _Idf(counts)
    docs = {ex.article.id: _doc(ex, c, idf) for ex, c in zip(originals, counts)}
    clusters, index = _seed(existing or (), docs, by_id)
    for ex in originals:
        aid = ex.article.id
        if aid in stored:
            continue
        doc, terms = docs[aid], _salient(docs[aid].vector)
        scored = _score(doc, [clusters[c] for c in sorted(index.candidates(terms))], window_days, stats)
        best = max((cs for cs in scored if cs[0].takes(doc, cap)), key=lambda cs: cs[1], default=None)
        if best is None or best[1] < threshold:
            clusters.append(_Cluster(id=stable_id("sty", aid), index=len(clusters)))
            best = (clusters[-1], 1.0)
        best[0].add(doc, aid)
        index.add(terms, best[0].index)
        _relate(best[0], [cl for cl, sim in scored if sim >= RELATED_SHARE * threshold])
    stories = [Story(article_ids=cl.members, title=cl.title or _title([by_id[a] for a in cl.members if a in by_id]), id=cl.id,
                     related_story_ids=sorted(cl.related)) for cl in clusters if cl.members]
    _attach_duplicates(stories, exs, by_id, stored)
    return stories


def _seed(existing: Sequence[Story], docs: dict[str, _Doc], by_id: dict[str, Extraction]) -> tuple[list[_Cluster], _Index]:
    """Clusters and index entries for the stored stories, members as stored."""
    clusters: list[_Cluster] = []
    index = _Index()
    for story in existing:
        cl = _Cluster(id=story.id, index=len(clusters), title=story.title, related=set(story.related_story_ids))
        for aid in story.article_ids:
            if aid in docs:
                cl.add(docs[aid], aid)
            else:
                cl.members.append(aid)  # a stored duplicate stays where it is (the caller may not load it)
        clusters.append(cl)
        index.add({t for aid in cl.members if aid in docs for t in _salient(docs[aid].vector)}, cl.index)
    return clusters, index


def _score(doc: _Doc, candidates: Sequence[_Cluster], window_days: int, stats: Counter[str]) -> list[tuple[_Cluster, float]]:
    """Each candidate story inside the time window with its similarity to ``doc``."""
    scored = []
    for cl in candidates:
        if cl.within(doc.day, window_days) or (cl.within(doc.day, FOLLOW_UP_DAYS) and cl.recalls(doc)):
            stats["comparisons"] += 1
            scored.append((cl, cl.similarity(doc)))
    return scored


def _relate(home: _Cluster, near: Sequence[_Cluster]) -> None:
    """An article close to stories other than its own links them (a follow-up, the same campaign)."""
    for cl in near:
        if cl is not home:
            home.related.add(cl.id)
            cl.related.add(home.id)


def _attach_duplicates(stories: Sequence[Story], exs: Sequence[Extraction], by_id: dict[str, Extraction], stored: set[str]) -> None:
    """A copy joins the story of the first original it copies (a copy of a copy too)."""
    story_of = {aid: s for s in stories for aid in s.article_ids}
    for ex in exs:
        orig, seen = ex.article.duplicate_of, {ex.article.id}
        if orig is None or ex.article.id in stored:
            continue
        while orig not in seen and orig in by_id and by_id[orig].article.duplicate_of:
            seen.add(orig)
            orig = by_id[orig].article.duplicate_of  # type: ignore[assignment]
        if orig in story_of:
            story_of[orig].article_ids.append(ex.article.id)


def _title(members: Sequence[Extraction]) -> str:
    """The earliest article's title, or its first sentence, as the story's name."""
    if not members:
        return ""
    first = min(members, key=lambda ex: (ex.article.published or "9999", ex.article.id))
    if first.article.title:
        return first.article.title
    text = first.article.text.strip()
    end = first.sentences[0][1] if first.sentences else min(len(text), 120)
    return text[:end][:160]
