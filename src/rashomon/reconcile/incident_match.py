"""When events of a story can be one incident, and which date and place an incident takes.

Dates agree when either side is undated (or dated only by publication), when two days lie within
``DATE_SLACK_DAYS``, or when vaguer dates are the same; places agree when either side is unplaced or
unresolved, when the names match, or when one place lies inside the other. An incident takes a day
its text states over the publication date and the most precise resolved place of its events.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from rashomon.records import DateRef, Event, Place

DATE_SLACK_DAYS = 1
REPORT_SLACK_DAYS = 3  # articles' main events: a stated day may be the day of a statement about it


def day(iso: str | None) -> int | None:
    try:
        return date.fromisoformat(iso[:10]).toordinal() if iso else None
    except ValueError:
        return None


def compatible(a: Event, b: Event) -> bool:
    if a.event_type != b.event_type:
        return False
    la = a.location.name.lower() if a.location else None
    lb = b.location.name.lower() if b.location else None
    if la and lb and la != lb:
        return False
    da, db = day(a.date.value if a.date else None), day(b.date.value if b.date else None)
    return da is None or db is None or abs(da - db) <= DATE_SLACK_DAYS


def stated(d: DateRef | None) -> tuple[str, str] | None:
    """A date as the text states it (precision, value); None when undated or only the publication
    date stands in for it."""
    if d is None or not d.value or d.kind == "published":
        return None
    return d.precision or "", d.value


def same_time(a: Event, b: Event) -> bool:
    return same_when(a.date, b.date)


def same_when(a: DateRef | None, b: DateRef | None, slack: int = DATE_SLACK_DAYS) -> bool:
    """Undated on either side, days at most ``slack`` apart, or the same vaguer date."""
    sa, sb = stated(a), stated(b)
    if sa is None or sb is None:
        return True
    if sa[0] == sb[0] == "day":
        da, db = day(sa[1]), day(sb[1])
        return da is not None and db is not None and abs(da - db) <= slack
    return sa == sb


def same_days(a: Event, b: Event) -> bool:
    """Two articles' main events may be one incident in time (``REPORT_SLACK_DAYS`` between days)."""
    return same_when(a.date, b.date, REPORT_SLACK_DAYS)


def place_names(p: Place) -> set[str]:
    """A place's name and the areas holding it ("Wisconsin" holds a town in it)."""
    geo = [p.geo.admin1, p.geo.admin2, p.geo.country] if p.geo else []
    return {n.lower() for n in [p.name, *geo] if n}


def same_place(a: Event, b: Event) -> bool:
    """Unplaced or unresolved on either side, the same name, or one place inside the other."""
    if a.location is None or b.location is None or a.location.geo is None or b.location.geo is None:
        return True
    na, nb = a.location.name.lower(), b.location.name.lower()
    return na == nb or na in place_names(b.location) or nb in place_names(a.location)


PRECISION_RANK: dict[str | None, int] = {"point": 0, "town": 1, "admin2": 2, "admin1": 3, "country": 4}
TOWN = PRECISION_RANK["town"]


def incident_date(g: Sequence[Event], fallback: Sequence[DateRef] = (), latest: str | None = None) -> DateRef | None:
    """A day the text gives beats the publication-date fallback; any day beats a vaguer date. Events
    dated by publication alone take the first day their articles state (``fallback``). A stated day
    after the last of the articles' publication dates (``latest``) is a deadline or a misread date, not
    when a reported incident happened."""
    days = [e.date for e in g if e.date and e.date.precision == "day" and e.date.value]
    stated = [d for d in days if d.kind != "published" and not (latest and d.value and d.value[:10] > latest[:10])]
    dated = stated or list(fallback[:1]) or days or [e.date for e in g if e.date]
    return dated[0] if dated else None


def incident_location(g: Sequence[Event], fallback: Sequence[Place] = (), heads: int = 0) -> Place | None:
    """Where an incident happened. Candidates: the resolved places of the articles' main events (the
    first ``heads`` of ``g``), else of all its events, and the towns the articles name as where it
    happened (``fallback``). The one named most often wins (one stray place an event was tied to does
    not outvote the town every article names), then the most precise; a district or province gives way
    to the town inside it that the articles name (ACLED codes the most specific location). Without a
    resolved place: the first named, else the event place the articles name most often."""
    votes = Counter(p.name.lower() for p in [*(e.location for e in g if e.location), *fallback])

    def rank(p: Place) -> tuple[int, int]:
        return -votes[p.name.lower()], _precision(p)

    resolved = [e.location for e in g[:heads] if e.location and e.location.geo]
    resolved = resolved or [e.location for e in g if e.location and e.location.geo]
    resolved += [p for p in fallback if _precision(p) <= TOWN]
    if resolved:
        best = min(resolved, key=rank)
        inside = [p for p in resolved if _precision(p) <= TOWN < _precision(best) and best.name.lower() in place_names(p)]
        return min(inside, key=rank) if inside else best
    named = next((e.location for e in g if e.location), None)
    return named or min(fallback, key=rank, default=None)


def _precision(p: Place) -> int:
    return PRECISION_RANK.get(p.geo.precision if p.geo else None, len(PRECISION_RANK))
