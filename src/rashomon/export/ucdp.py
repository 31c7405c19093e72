"""UCDP-GED-like CSV: one row per incident of organised violence in GED's column names.

GED keeps a low, best and high estimate and the sources behind each event, which is what the
casualty ledger holds, so the columns are GED's (codebook names and codes; identifiers of UCDP's own
conflict and actor lists are left out, since only UCDP can assign them). Codes: where_prec 1 = the
place itself, 3 = a district (admin2), 4 = a province (admin1), 6 = only the country; date_prec
1 = the day, 2 = within a week, 3 = within a month, 4 = within a year, 5 = longer. type_of_violence
1 = state-based, 2 = non-state, 3 = one-sided, decided from the actors' types (None when undecidable).
Deaths are split into deaths_a / deaths_b / deaths_civilians only where the sources' victims decide
it and the parts add up to ``best``; otherwise all are in deaths_unknown, as GED does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rashomon.export.common import (
    CIVILIANS,
    NONSTATE_ARMED,
    STATE,
    Corpus,
    country_of,
    event_articles,
    inter_code,
    joined,
    killed_by_victims,
    load_corpus,
    number_of_sources,
    write_csv_rows,
)
from rashomon.export.contract import Record
from rashomon.export.jsonl import RecordSource
from rashomon.lexicon import load_list

COLUMNS = (
    "id", "relid", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline", "source_original",
    "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "country", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "rashomon_story_id", "rashomon_event_type", "rashomon_sub_event_type",
)
WHERE_PREC = {"point": 1, "town": 1, "admin2": 3, "admin1": 4, "country": 6}
DATE_PREC = {"day": 1, "week": 2, "month": 3, "quarter": 4, "year": 4, "decade": 5}
CIVILIAN_SIDE = "Civilians"  # GED's side_b of one-sided violence


def sides(event: Record, corpus: Corpus) -> tuple[int | None, str | None, str | None, int | None, int | None]:
    """(type_of_violence, side_a, side_b, inter code of a, of b): the state is side A in state-based
    violence and the perpetrator in one-sided violence, whose side B is the civilians."""
    a, b = event.get("actor1"), event.get("actor2")
    ia, ib = inter_code(a, corpus.entity_types), inter_code(b, corpus.entity_types)
    if ib == STATE and ia != STATE:
        a, b, ia, ib = b, a, ib, ia
    if ia == CIVILIANS:
        a, b, ia, ib = b, a, ib, ia
    if event.get("event_type") == "Violence against civilians" or ib == CIVILIANS:
        return 3, a, CIVILIAN_SIDE, ia, CIVILIANS
    if ia == STATE and ib in NONSTATE_ARMED:
        return 1, a, b, ia, ib
    if ia in NONSTATE_ARMED and ib in NONSTATE_ARMED:
        return 2, a, b, ia, ib
    return None, a, b, ia, ib


def _column_for(victims: str, ia: int | None, ib: int | None) -> str:
    """Which deaths column a victim class falls in, given the sides' actor types."""
    if victims == "civilians":
        return "deaths_civilians"
    wanted = {STATE} if victims == "security_forces" else NONSTATE_ARMED if victims == "militants" else set()
    hits = [col for col, code in (("deaths_a", ia), ("deaths_b", ib)) if code in wanted]
    return hits[0] if len(hits) == 1 else "deaths_unknown"


def deaths(event: Record, ia: int | None, ib: int | None) -> dict[str, int | None]:
    """GED's four deaths columns; all in deaths_unknown unless the split is decidable and adds up."""
    best = (event.get("fatalities") or {}).get("best")
    names = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
    if best is None:
        return dict.fromkeys(names)
    cols = dict.fromkeys(names, 0)
    for victims, n in killed_by_victims(event).items():
        cols[_column_for(victims, ia, ib)] += n
    if sum(cols.values()) != best:
        cols = dict.fromkeys(names, 0) | {"deaths_unknown": int(best)}
    return dict(cols)


def _where(event: Record) -> dict[str, Any]:
    loc = event.get("location") or {}
    lat, lon = loc.get("lat"), loc.get("lon")
    return {
        "where_prec": WHERE_PREC.get(loc.get("precision") or ""), "where_coordinates": loc.get("name"),
        "where_description": loc.get("text"), "adm_1": loc.get("admin1"), "adm_2": loc.get("admin2"),
        "latitude": lat, "longitude": lon,
        "geom_wkt": f"POINT ({lon} {lat})" if lat is not None and lon is not None else None,
        "country": country_of(loc.get("country"))[0],
    }


def _when(event: Record) -> dict[str, Any]:
    d = event.get("date") or {}
    start = d.get("low") or d.get("value")
    end = d.get("high") or d.get("value")
    return {"year": int(start[:4]) if start else None, "date_start": start, "date_end": end,
            "date_prec": DATE_PREC.get(d.get("precision") or "") if start else None}


def _sources(event: Record, corpus: Corpus) -> dict[str, Any]:
    arts = event_articles(event, corpus)
    return {
        "number_of_sources": number_of_sources(event, corpus),
        "source_article": joined(a["url"] or a["source"] for a in arts),
        "source_office": joined(a["outlet"] for a in arts),
        "source_date": joined(a["published"] for a in arts),
        "source_headline": joined(a["title"] for a in arts),
        "source_original": joined(r.get("claimant") for r in event.get("ledger") or []
                                  if r.get("claimant") not in (None, "outlet")),
    }


def ged_row(event: Record, number: int, corpus: Corpus) -> dict[str, Any]:
    violence, side_a, side_b, ia, ib = sides(event, corpus)
    figures = event.get("fatalities") or {}
    row: dict[str, Any] = {
        "id": number, "relid": event["id"], "type_of_violence": violence,
        "dyad_name": f"{side_a} - {side_b}" if side_a and side_b else None, "side_a": side_a, "side_b": side_b,
        "best": figures.get("best"), "high": figures.get("high"), "low": figures.get("low"),
        "rashomon_story_id": event.get("story_id"), "rashomon_event_type": event.get("event_type"),
        "rashomon_sub_event_type": event.get("sub_event_type"),
    }
    row.update(_sources(event, corpus), **_where(event), **_when(event), **deaths(event, ia, ib))
    return row


def ged_rows(corpus: Corpus) -> tuple[list[dict[str, Any]], int]:
    """(rows for the incidents of organised violence, incidents left out)."""
    violent = load_list("ucdp_event_types")
    events = [e for e in corpus.records["events"] if (e.get("event_type") or "").lower() in violent]
    rows = [ged_row(e, i, corpus) for i, e in enumerate(events, start=1)]
    return rows, len(corpus.records["events"]) - len(rows)


def export_ucdp(store: RecordSource, out_dir: Path | str) -> dict[str, int]:
    """Write ``ucdp_ged.csv``; returns rows written and incidents left out."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows, skipped = ged_rows(load_corpus(store))
    return {"ucdp_ged": write_csv_rows(out / "ucdp_ged.csv", COLUMNS, rows), "not organised violence": skipped}
