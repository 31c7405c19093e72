"""Fuzz target: one whole article through every extract stage (mentions, quotes and claims, figures,
dates, places, events), as ``rashomon analyze`` runs them: nothing may raise, and every claim, figure
and date must point inside the text."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fuzz_common import check_span, fuzz_main, text_of
from extract_dates import anchor_of_bytes, check_date
from extract_quantities import check_quantity

from rashomon.records import Article

MAX_CHARS = 800


@lru_cache(maxsize=1)
def _extractor() -> Any:
    from rashomon.extract.pipeline import Extractor

    return Extractor()


def check(data: bytes) -> None:
    """The stages in their configured order on one article whose first two bytes pick its date."""
    anchor = anchor_of_bytes(data[:2])
    text = text_of(data[2:])[:MAX_CHARS]
    if not text.strip():
        return  # ingest never yields an article without text
    extractor = _extractor()
    article = Article(source="fuzz", text=text, published=anchor.isoformat() if anchor else None)
    ex = extractor.extract_doc(article, extractor.nlp(text))
    for claim in ex.claims:
        check_span(text, *claim.span)
    for q in ex.quantities:
        check_quantity(text, q)
    for d in ex.dates:
        check_date(text, d)


def seeds() -> Iterator[bytes]:
    head = (4000).to_bytes(2, "big")
    yield (
        head
        + (
            b'QUETTA: The army said on Monday it had killed at least 40 militants. "We hold no one," the group\'s '
            b"spokesman said, rejecting the claims as baseless. Police said dozens were wounded since 28 February."
        )
    )
    yield (
        head
        + "“They took six soldiers,” a man in the video says.\n\nThe ministry denied it: “None are missing.".encode()
    )


if __name__ == "__main__":
    fuzz_main(check, needs_nlp=True)
