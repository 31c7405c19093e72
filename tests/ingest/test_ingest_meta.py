"""meta.py: dates, datelines, outlets, language, inferred publication dates."""

from __future__ import annotations

import time

import pytest

from rashomon.ingest.meta import (
    byline,
    date_line,
    detect_dateline,
    guess_language,
    infer_published,
    outlet_from_url,
    parse_date,
    unwrap_archive_url,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4 March 2025", "2025-03-04"),
        ("March 4, 2025 10:32 AM", "2025-03-04"),
        ("2025-03-04", "2025-03-04"),
        ("2025-03-04T23:10:00+05:00", "2025-03-04"),
        ("Tue, 04 Mar 2025 10:32:00 GMT", "2025-03-04"),
        ("Sept. 30, 2024", "2024-09-30"),
        ("30/09/2024", "2024-09-30"),
        ("09/30/2024", "2024-09-30"),
        ("04/03/2025", None),  # day/month order unknown: never guessed
        ("31 February 2025", None),
        ("3 March 1850", None),
        ("no date here", None),
        ("", None),
        (1741084800, "2025-03-04"),
        (1741084800000, "2025-03-04"),
        (time.strptime("2025-03-04", "%Y-%m-%d"), "2025-03-04"),
        (None, None),
        (True, None),
    ],
)
def test_parse_date(value: object, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: 4 March 2025", "2025-03-04"),
        ("Updated on March 4, 2025 10:32 AM PST", "2025-03-04"),
        ("March 4, 2025 10:32 AM", "2025-03-04"),
        ("Tuesday, 4 March 2025", "2025-03-04"),
        ("2025-03-04", "2025-03-04"),
        ("Militants attacked the post on 4 March 2025, officials said.", None),
        ('var cookieExpires = "2031-12-31";', None),
        ("Offer expires 4 March 2025", None),
        ("Copyright 4 March 2025", None),
    ],
)
def test_date_line(line: str, expected: str | None) -> None:
    assert date_line(line) == expected


def test_infer_published_reads_only_the_first_lines() -> None:
    assert infer_published("By Jane Doe | 4 March 2025\n\nBody text.") == "2025-03-04"
    body_date = "The attack took place on 3 March 2025, police said.\nMore text."
    assert infer_published(body_date) is None
    late = "\n".join(["Paragraph."] * 10 + ["2025-03-04"])
    assert infer_published(late) is None


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("QUETTA: Security forces said", "QUETTA"),
        ("KHARTOUM, March 3 (Reuters) - A rebel group", "KHARTOUM"),
        ("GENEVA (AP) — The UN said", "GENEVA"),
        ("ISLAMABAD, Pakistan (AP) — Officials", "ISLAMABAD"),
        ("DERA ISMAIL KHAN: Police said", "DERA ISMAIL KHAN"),
        ("The army said: nobody was hurt", None),
        ("Quetta is a city", None),
    ],
)
def test_detect_dateline(text: str, place: str | None) -> None:
    assert detect_dateline(text) == place


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.dawn.com/news/1", "dawn.com"),
        ("https://edition.cnn.com/2025/03/04/x", "cnn.com"),
        ("https://www.bbc.co.uk/news/world", "bbc.co.uk"),
        ("http://localhost:8000/x", None),
        ("", None),
        (None, None),
    ],
)
def test_outlet_from_url(url: str | None, outlet: str | None) -> None:
    assert outlet_from_url(url) == outlet


def test_unwrap_archive_url() -> None:
    wrapped = "http://web.archive.org/web/20151030223013/http://www.wral.com/story/1/"
    assert unwrap_archive_url(wrapped) == "http://www.wral.com/story/1/"
    assert unwrap_archive_url("https://dawn.com/a") == "https://dawn.com/a"


def test_guess_language() -> None:
    assert guess_language("The army said that it had killed the militants in the district on Monday.") == "en"
    assert guess_language("Die Armee sagte am Montag, dass sie die Kämpfer getötet habe und verletzt.") is None
    assert guess_language("الجيش قال إنه قتل المسلحين في المنطقة يوم الاثنين") is None
    assert guess_language("ok") is None


@pytest.mark.parametrize("text", ["UPDATE: Police said", "BREAKING NEWS - A man", "LIVE UPDATES: x", "WATCH: video"])
def test_editorial_labels_are_not_datelines(text: str) -> None:
    assert detect_dateline(text) is None


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("By Jane Doe | Reuters", "Jane Doe"),
        ("BY JANE DOE and John Roe", "JANE DOE and John Roe"),
        ("Written by Ahmed al Sharif", "Ahmed al Sharif"),
        ("By the time police arrived, the gunmen had fled.", None),
        ("By Monday, 40 people had been killed.", None),
        ("Bystanders said", None),
    ],
)
def test_byline(line: str, author: str | None) -> None:
    assert byline(line) == author


def test_outlet_from_a_credit_line() -> None:
    from rashomon.ingest.common import outlet_name

    assert outlet_name("Northern Wire via The Harbour Gazette") == "The Harbour Gazette"  # the carrier
    assert outlet_name("Valley Times Report") == "Valley Times"
    assert outlet_name("Express Monitor Web Desk") == "Express Monitor"
    assert outlet_name("The News Desk") == "The News"  # never down to a bare article
    assert outlet_name("Reuters") == "Reuters"
