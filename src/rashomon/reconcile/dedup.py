"""Exact and near-duplicate articles (syndicated wire copies, re-ingested files).

Near duplicates are found with MinHash over word shingles and locality-sensitive hashing, so the
cost grows linearly with the number of articles: an article is only compared with the few whose
signatures share a band bucket, never with all others. An incremental reconcile compares each chunk of
new articles with the stored ones of the same weeks, so the same stored texts come back chunk after
chunk: their signatures are kept in a bounded cache keyed by content hash (a signature depends on the
text alone), so each text is shingled about once per run, and memory stays bounded.

A copy must be published within ``max_days`` of its original (callers pass the story window): articles
further apart never share a story, and a text republished weeks later is a new report of its own. Without
the bound, every later copy of a recurring text points at the first carrier and drags its story along,
so that story grows with the corpus.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from datetime import date

import numpy as np

from rashomon.records import Article

_WORD = re.compile(r"\w+", re.UNICODE)
_PRIME = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)


def shingles(text: str, size: int = 4) -> set[int]:
    """64-bit hashes of the word ``size``-grams of ``text`` (lower-cased): stable across runs."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams}


class MinHasher:
    """Fixed-seed MinHash: the same text always gives the same signature."""

    def __init__(self, num_perm: int = 64, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, 1 << 31, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, 1 << 31, size=num_perm, dtype=np.uint64)
        self.num_perm = num_perm

    def signature(self, hashes: set[int]) -> np.ndarray:
        if not hashes:
            return np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        x = np.fromiter(hashes, dtype=np.uint64) & _MASK32  # keep products inside 64 bits
        vals = (np.outer(x, self.a) + self.b) % _PRIME
        return vals.min(axis=0)


class SignatureCache:
    """content hash -> MinHash signature, the ``size`` most recently used (about 1 kB each)."""

    def __init__(self, hasher: MinHasher, size: int = 20_000) -> None:
        self.hasher = hasher
        self.size = size
        self.items: OrderedDict[str, np.ndarray] = OrderedDict()

    def signature(self, key: str, text: str) -> np.ndarray:
        """The signature of ``text``, whose content hash is ``key``."""
        sig = self.items.get(key)
        if sig is None:
            sig = self.items[key] = self.hasher.signature(shingles(text))
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        else:
            self.items.move_to_end(key)
        return sig


_SIGNATURES = SignatureCache(MinHasher(128))  # shared: a signature is a pure function of the text


class DuplicateIndex:
    """Incremental index: ``add`` says whether an article repeats one added before."""

    def __init__(self, threshold: float = 0.7, num_perm: int = 128, bands: int = 32,
                 max_days: int | None = None) -> None:
        self.threshold = threshold
        self.max_days = max_days
        self.days: dict[str, int | None] = {}
        same = num_perm == _SIGNATURES.hasher.num_perm
        self.cache = _SIGNATURES if same else SignatureCache(MinHasher(num_perm), size=0)
        self.rows = num_perm // bands
        self.bands = bands
        self.by_hash: dict[str, str] = {}
        self.signatures: dict[str, np.ndarray] = {}
        self.buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)

    def add(self, article: Article) -> str | None:
        """Index ``article``; return the id of the earlier article it duplicates, or None."""
        digest, day = article.content_hash, publication_day(article.published)
        original = self.by_hash.get(digest)
        if original == article.id:
            return None  # the same record seen twice
        if original is not None and self._close(day, original):
            return original
        self.by_hash[digest] = article.id
        sig = self.cache.signature(digest, article.text)
        best, best_sim = None, self.threshold
        keys = [(b, sig[b * self.rows : (b + 1) * self.rows].tobytes()) for b in range(self.bands)]
        seen: set[str] = set()
        for key in keys:
            for other in self.buckets.get(key, ()):
                if other in seen:
                    continue
                seen.add(other)
                if not self._close(day, other):
                    continue
                sim = float(np.mean(self.signatures[other] == sig))
                if sim >= best_sim:
                    best, best_sim = other, sim
        if best is not None:
            return best  # duplicates are not indexed: every copy points at the first one
        self.signatures[article.id] = sig
        self.days[article.id] = day
        for key in keys:
            self.buckets[key].append(article.id)
        return None

    def _close(self, day: int | None, other: str) -> bool:
        """Whether ``other`` (indexed) was published close enough to ``day`` to be its original."""
        return within_days(day, self.days.get(other), self.max_days)


def publication_day(published: str | None) -> int | None:
    """The ordinal day of an ISO date, None when absent or malformed."""
    try:
        return date.fromisoformat(published[:10]).toordinal() if published else None
    except ValueError:
        return None


def within_days(a: int | None, b: int | None, max_days: int | None) -> bool:
    """Days ``max_days`` apart or closer; an undated side, or no bound, never rules a copy out."""
    return max_days is None or a is None or b is None or abs(a - b) <= max_days


def _order_key(article: Article) -> tuple[str, str]:
    # Earliest publication first, so a syndicated copy points at the earliest carrier.
    return (article.published or "9999-99-99", article.id)


def mark_duplicates(articles: Iterable[Article], threshold: float = 0.7, max_days: int | None = None) -> int:
    """Set ``duplicate_of`` on every article that repeats an earlier one published at most ``max_days``
    before it; return how many did."""
    index = DuplicateIndex(threshold, max_days=max_days)
    count = 0
    for article in sorted(articles, key=_order_key):
        article.duplicate_of = index.add(article)
        count += article.duplicate_of is not None
    return count
