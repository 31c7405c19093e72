"""Group articles that report the same incident into stories.

Single-pass clustering in publication order: each article is compared only with the stories that
share one of its salient terms (an inverted index) and lie inside the time window, and joins the most
similar one above the threshold, or starts a new story. Cost grows about linearly with the corpus.
Features are TF-IDF weights over content words, with names of people, groups and places counted
more, since two reports of one incident share names more reliably than wording.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.lang.en.stop_words import STOP_WORDS

from rashomon.records import Extraction, Story

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]+")
NAME_WEIGHT = 3.0
TOP_TERMS = 12  # salient terms per article used for candidate lookup


def _terms(ex: Extraction) -> Counter[str]:
    words = _TOKEN.findall(f"{ex.article.title or ''} {ex.article.text}")
    counts: Counter[str] = Counter(
        w.lower().strip("'-") for w in words if len(w) > 2 and w.lower() not in STOP_WORDS
    )
    for m in ex.mentions:
        if m.type != "other":
            counts["#" + m.text.lower()] += NAME_WEIGHT
    for p in ex.places:
        counts["@" + p.name.lower()] += NAME_WEIGHT
    return counts


def _day(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


@dataclass
class _Cluster:
    index: int
    vector: dict[str, float] = field(default_factory=dict)
    members: list[int] = field(default_factory=list)
    first_day: int | None = None
    last_day: int | None = None

    def add(self, i: int, vec: dict[str, float], day: int | None) -> None:
        n = len(self.members)
        for t in set(self.vector) | set(vec):
            self.vector[t] = (self.vector.get(t, 0.0) * n + vec.get(t, 0.0)) / (n + 1)
        self.members.append(i)
        if day is not None:
            self.first_day = day if self.first_day is None else min(self.first_day, day)
            self.last_day = day if self.last_day is None else max(self.last_day, day)

    def within(self, day: int | None, window: int) -> bool:
        if day is None or self.first_day is None or self.last_day is None:
            return True
        return self.first_day - window <= day <= self.last_day + window


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(t, 0.0) for t, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _vectors(exs: Sequence[Extraction]) -> list[dict[str, float]]:
    counts = [_terms(ex) for ex in exs]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(exs)
    vectors = []
    for c in counts:
        vec = {t: (1 + math.log(tf)) * math.log((n + 1) / (df[t] + 0.5)) for t, tf in c.items() if tf > 0}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items() if v > 0})
    return vectors


def _salient(vec: dict[str, float]) -> list[str]:
    return [t for t, _ in sorted(vec.items(), key=lambda kv: -kv[1])[:TOP_TERMS]]


def cluster_stories(
    exs: Sequence[Extraction], threshold: float = 0.18, window_days: int = 10
) -> list[Story]:
    """Stories over the non-duplicate articles; a duplicate joins the story of its original."""
    originals = [ex for ex in exs if ex.article.duplicate_of is None]
    order = sorted(range(len(originals)), key=lambda i: (originals[i].article.published or "", originals[i].article.id))
    vectors = _vectors(originals)
    clusters: list[_Cluster] = []
    postings: dict[str, set[int]] = defaultdict(set)
    for i in order:
        vec, day = vectors[i], _day(originals[i].article.published)
        candidates = {c for t in _salient(vec) for c in postings.get(t, ())}
        best, best_sim = None, threshold
        for c in candidates:
            cl = clusters[c]
            if not cl.within(day, window_days):
                continue
            sim = _cosine(vec, cl.vector)
            if sim >= best_sim:
                best, best_sim = cl, sim
        if best is None:
            best = _Cluster(index=len(clusters))
            clusters.append(best)
        best.add(i, vec, day)
        for t in _salient(vec):
            postings[t].add(best.index)
    by_id = {ex.article.id: ex for ex in exs}
    stories = []
    for cl in clusters:
        ids = [originals[i].article.id for i in cl.members]
        stories.append(Story(article_ids=ids, title=_title([originals[i] for i in cl.members])))
    story_of = {aid: s for s in stories for aid in s.article_ids}
    for ex in exs:
        orig, seen = ex.article.duplicate_of, {ex.article.id}
        while orig is not None and orig not in seen and orig in by_id and by_id[orig].article.duplicate_of:
            seen.add(orig)
            orig = by_id[orig].article.duplicate_of  # a copy of a copy joins the first original
        if orig is not None and orig in story_of:
            story_of[orig].article_ids.append(ex.article.id)
    return stories


def _title(members: Sequence[Extraction]) -> str:
    """The earliest article's title, or its first sentence, as the story's name."""
    first = min(members, key=lambda ex: (ex.article.published or "9999", ex.article.id))
    if first.article.title:
        return first.article.title
    text = first.article.text.strip()
    end = first.sentences[0][1] if first.sentences else min(len(text), 120)
    return text[:end][:160]
