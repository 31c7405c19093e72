"""ACLED-compatible CSV: one row per incident in ACLED's columns, order and event vocabulary.

Coders load ACLED files with scripts that address columns by name, so the columns are ACLED's own
(codebook 2023/2024) in ACLED's order, followed by rashomon's extra columns. Fatalities follow
ACLED's rule, the most conservative reported figure, and where sources disagree the notes say so as
ACLED's do; the UCDP-style low / best / high are kept in the extra columns. Codes follow the codebook:
time_precision 1 = day, 2 = week (its middle day coded), 3 = month (its middle day coded); geo_precision
1 = the town itself, 2 = part of a district (admin2), 3 = only a province (admin1) named. A date or place
known less precisely gets no code and no coded date or coordinates, since ACLED has no code for it.
Incidents outside ACLED's vocabulary (``acled_sub_event_types`` lexicon) are left out.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rashomon.export.common import (
    CIVILIANS,
    Corpus,
    acled_types,
    conservative,
    country_of,
    event_articles,
    inter_code,
    joined,
    load_corpus,
    number_of_sources,
    reported_range,
    write_csv_rows,
)
from rashomon.export.contract import Record
from rashomon.export.jsonl import RecordSource

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
EXTRA_COLUMNS = ("fatalities_low", "fatalities_best", "fatalities_high", "rashomon_story_id", "number_of_sources")
COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
GEO_PRECISION = {"point": 1, "town": 1, "admin2": 2, "admin1": 3}
OTHER_FIGURES = (("injured", "Injured"), ("captured", "Captured"))


def _middle(low: str | None, high: str | None) -> str | None:
    """The middle day of a week or month, as ACLED codes a date known to that precision."""
    if not low or not high:
        return low or high
    a, b = date.fromisoformat(low[:10]), date.fromisoformat(high[:10])
    return (a + timedelta(days=(b - a).days // 2)).isoformat()


def event_date(event: Record) -> tuple[str | None, int | None, int | None]:
    """(event_date, year, time_precision) from the incident's date."""
    d = event.get("date") or {}
    value = d.get("value") or d.get("low")
    year = int(value[:4]) if value else None
    precision = TIME_PRECISION.get(d.get("precision") or "")
    if precision is None or not value:
        return None, year, None
    coded = value[:10] if precision == 1 else _middle(d.get("low"), d.get("high")) or value[:10]
    return coded, int(coded[:4]), precision


def _figure_note(label: str, span: tuple[int, int] | None, coded: int | None) -> str | None:
    """ACLED's wording for a figure: the range when sources disagree, and the figure coded."""
    if span is None:
        return None
    low, high = span
    if low == high:
        return f"{label}: {low} reported." if label != "Fatalities" else None
    return f"{label}: reports range from {low} to {high}; coded conservatively ({coded if coded is not None else low})."


def notes(event: Record, where: str | None, when: str | None) -> str:
    """A short description of the incident, then every disagreement over its figures."""
    actors = " and ".join(a for a in (event.get("actor1"), event.get("actor2")) if a)
    head = (f"On {when}, " if len(when) == 10 else f"In {when}, ") if when else ""
    what = (event.get("sub_event_type") or event.get("event_type") or "incident").lower()
    text = f"{head}{what}" + (f" involving {actors}" if actors else "") + (f" in {where}" if where else "") + "."
    parts: list[str | None] = [text[0].upper() + text[1:]]
    parts.append(_figure_note("Fatalities", reported_range(event.get("fatalities")),
                              conservative(event)))
    for category, label in OTHER_FIGURES:
        parts.append(_figure_note(label, reported_range(event.get(category)),
                                  conservative(event, category)))
    return " ".join(p for p in parts if p)


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: both actor types, lowest first (13); a lone actor's type times ten."""
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    if not codes or inter1 is None:
        return None
    return codes[0] * 10 + (codes[1] if len(codes) > 1 else 0)


def _place(event: Record) -> dict[str, Any]:
    loc = event.get("location") or {}
    precision = GEO_PRECISION.get(loc.get("precision") or "")
    country, iso = country_of(loc.get("country"))
    coded = precision is not None
    where = ", ".join(p for p in (loc.get("name"), loc.get("admin1") if loc.get("admin1") != loc.get("name") else None,
                                  country) if p) or None
    return {
        "iso": iso, "region": None, "country": country, "admin1": loc.get("admin1"), "admin2": loc.get("admin2"),
        "admin3": None, "location": loc.get("name") if coded else None,
        "latitude": loc.get("lat") if coded else None, "longitude": loc.get("lon") if coded else None,
        "geo_precision": precision, "_where": where,
    }


def acled_row(event: Record, corpus: Corpus, timestamp: int) -> dict[str, Any] | None:
    """One ACLED row, or None for an incident outside ACLED's vocabulary."""
    types = acled_types(event)
    if types is None:
        return None
    event_type, sub_event_type, disorder = types
    when, year, precision = event_date(event)
    inter1 = inter_code(event.get("actor1"), corpus.entity_types)
    inter2 = inter_code(event.get("actor2"), corpus.entity_types)
    place = _place(event)
    figures = event.get("fatalities") or {}
    civilian = event_type == "Violence against civilians" or CIVILIANS in (inter1, inter2)
    row = {
        "event_id_cnty": event["id"], "event_date": when, "year": year, "time_precision": precision,
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub_event_type,
        "actor1": event.get("actor1"), "inter1": inter1, "actor2": event.get("actor2"), "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civilian else None,
        "source": joined(a["outlet"] for a in event_articles(event, corpus)),
        "notes": notes(event, place.pop("_where"), when or (str(year) if year else None)),
        "fatalities": conservative(event), "timestamp": timestamp,
        "fatalities_low": figures.get("low"), "fatalities_best": figures.get("best"),
        "fatalities_high": figures.get("high"), "rashomon_story_id": event.get("story_id"),
        "number_of_sources": number_of_sources(event, corpus),
    }
    row.update(place)
    return row


def acled_rows(corpus: Corpus, timestamp: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """(rows, incidents left out because their type is not ACLED's)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    rows = [acled_row(e, corpus, stamp) for e in corpus.records["events"]]
    kept = [r for r in rows if r is not None]
    return kept, len(rows) - len(kept)


def export_acled(store: RecordSource, out_dir: Path | str, timestamp: int | None = None) -> dict[str, int]:
    """Write ``acled.csv``; returns rows written and incidents left out."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows, skipped = acled_rows(load_corpus(store), timestamp)
    return {"acled": write_csv_rows(out / "acled.csv", COLUMNS, rows), "not ACLED event types": skipped}
