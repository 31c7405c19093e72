"""Exact and near-duplicate articles (syndicated wire copies, re-ingested files).

Near duplicates are found with MinHash over word shingles and locality-sensitive hashing, so the
cost grows linearly with the number of articles: an article is only compared with the few whose
signatures share a band bucket, never with all others.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable

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


class DuplicateIndex:
    """Incremental index: ``add`` says whether an article repeats one added before."""

    def __init__(self, threshold: float = 0.7, num_perm: int = 128, bands: int = 32) -> None:
        self.threshold = threshold
        self.hasher = MinHasher(num_perm)
        self.rows = num_perm // bands
        self.bands = bands
        self.by_hash: dict[str, str] = {}
        self.signatures: dict[str, np.ndarray] = {}
        self.buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)

    def add(self, article: Article) -> str | None:
        """Index ``article``; return the id of the earlier article it duplicates, or None."""
        original = self.by_hash.get(article.content_hash)
        if original is not None:
            return original if original != article.id else None  # the same record seen twice
        self.by_hash[article.content_hash] = article.id
        sig = self.hasher.signature(shingles(article.text))
        best, best_sim = None, self.threshold
        keys = [(b, sig[b * self.rows : (b + 1) * self.rows].tobytes()) for b in range(self.bands)]
        seen: set[str] = set()
        for key in keys:
            for other in self.buckets.get(key, ()):
                if other in seen:
                    continue
                seen.add(other)
                sim = float(np.mean(self.signatures[other] == sig))
                if sim >= best_sim:
                    best, best_sim = other, sim
        if best is not None:
            return best  # duplicates are not indexed: every copy points at the first one
        self.signatures[article.id] = sig
        for key in keys:
            self.buckets[key].append(article.id)
        return None


def _order_key(article: Article) -> tuple[str, str]:
    # Earliest publication first, so a syndicated copy points at the earliest carrier.
    return (article.published or "9999-99-99", article.id)


def mark_duplicates(articles: Iterable[Article], threshold: float = 0.7) -> int:
    """Set ``duplicate_of`` on every article that repeats an earlier one; return how many did."""
    index = DuplicateIndex(threshold)
    count = 0
    for article in sorted(articles, key=_order_key):
        article.duplicate_of = index.add(article)
        count += article.duplicate_of is not None
    return count
