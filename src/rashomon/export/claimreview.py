"""ClaimReview JSON-LD (schema.org) for every attributed claim, the form fact-checkers exchange claims in.

One ClaimReview per claim: ``claimReviewed`` is what was claimed, ``itemReviewed`` the schema.org
``Claim`` with its ``author`` (the speaker, a Person or an Organization), ``datePublished`` (the
article's date, left out when only inferred), its sentence as ``text`` and its ``appearance`` in the
article and in every syndicated copy of it. There is deliberately no ``reviewRating``: rashomon
records who claims what and who denies it; it rates nothing. Unknown values are left out, as JSON-LD
expects, instead of being written as null.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from rashomon.export.common import Corpus, load_corpus
from rashomon.export.contract import Record
from rashomon.export.jsonl import RecordSource

CONTEXT = "https://schema.org"
REVIEWER = {"@type": "Organization", "name": "rashomon (automated claim attribution; no rating)"}
PERSON_KINDS = frozenset({"person", "unnamed", "pronoun"})


def _compact(node: dict[str, Any]) -> dict[str, Any]:
    """Leave out unknown (None) and empty values."""
    return {k: v for k, v in node.items() if v not in (None, "", [])}


def author(speaker: Record) -> dict[str, Any]:
    """The claim's speaker as a schema.org Person or Organization; an unnamed speaker keeps its words."""
    kind = "Person" if speaker.get("kind") in PERSON_KINDS else "Organization"
    return _compact({"@type": kind, "name": speaker.get("name"), "identifier": speaker.get("entity_id"),
                     "description": None if speaker.get("name") else speaker.get("text")})


def _published(article: Record) -> str | None:
    return None if article.get("published_inferred") else article.get("published")


def appearance(article: Record) -> dict[str, Any]:
    """One article the claim appears in, as a schema.org NewsArticle (a CreativeWork)."""
    publisher = {"@type": "Organization", "name": article["outlet"]} if article.get("outlet") else None
    return _compact({"@type": "NewsArticle", "identifier": article["id"], "url": article.get("url"),
                     "headline": article.get("title"), "datePublished": _published(article),
                     "publisher": publisher})


def copies_index(corpus: Corpus) -> dict[str, list[Record]]:
    """Articles grouped by the original they copy (an original under its own id), oldest first."""
    groups: dict[str, list[Record]] = {}
    for a in corpus.records["articles"]:
        groups.setdefault(a.get("duplicate_of") or a["id"], []).append(a)
    for arts in groups.values():
        arts.sort(key=lambda a: (a["published"] is None, a["published"] or "", a["id"]))
    return groups


def _description(claim: Record) -> str | None:
    """The claim's stance and hedges in words, which a fact-checker wants before reading it."""
    parts = ["a denial" if claim.get("stance") == "deny" else None,
             f"hedged: {', '.join(claim['hedges'])}" if claim.get("hedges") else None]
    return "; ".join(p for p in parts if p) or None


def claim_review(claim: Record, corpus: Corpus, copies: dict[str, list[Record]], reviewed_on: str) -> dict[str, Any]:
    """One ClaimReview (without rating) for one claim; ``copies`` from :func:`copies_index`."""
    article = corpus.articles[claim["article_id"]]
    same = copies.get(article.get("duplicate_of") or article["id"]) or [article]
    item = _compact({
        "@type": "Claim", "identifier": claim["id"], "text": claim.get("sentence"),
        "author": author(claim["speaker"]), "datePublished": _published(article),
        "appearance": [appearance(a) for a in same],
        "firstAppearance": appearance(same[0]) if same[0]["published"] or len(same) == 1 else None,
        "description": _description(claim),
    })
    return {"@context": CONTEXT, "@type": "ClaimReview", "identifier": f"review-{claim['id']}",
            "claimReviewed": claim["content"], "datePublished": reviewed_on, "author": REVIEWER,
            "itemReviewed": item}


def claim_reviews(corpus: Corpus, reviewed_on: str | None = None) -> list[dict[str, Any]]:
    day = reviewed_on or date.today().isoformat()
    copies = copies_index(corpus)
    return [claim_review(c, corpus, copies, day) for c in corpus.records["claims"] if c["article_id"] in corpus.articles]


def export_claimreview(store: RecordSource, out_dir: Path | str, reviewed_on: str | None = None) -> dict[str, int]:
    """Write ``claimreview.jsonld`` (a JSON-LD array, one ClaimReview per claim); returns the count."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    reviews = claim_reviews(load_corpus(store), reviewed_on)
    path = out / "claimreview.jsonld"
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(json.dumps(reviews, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return {"claimreview": len(reviews)}
