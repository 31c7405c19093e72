"""html.py: article text and metadata via trafilatura; pages without an article are errors."""

from __future__ import annotations

from pathlib import Path

from rashomon.ingest import html
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.records import Article


def test_article_page(fixtures: Path) -> None:
    items = list(html.read(fixtures / "article.html", ReadOptions(field_map={})))
    assert len(items) == 1
    a = items[0]
    assert isinstance(a, Article)
    assert a.title == "Ministry rejects accusations"
    assert a.outlet == "Example Post"
    assert a.published == "2025-03-05" and not a.published_inferred  # not the script's expiry date
    assert a.url == "https://www.example-post.com/news/ministry-rejects"
    assert a.dateline == "ISLAMABAD"
    assert a.text.startswith("ISLAMABAD: The foreign ministry")
    assert "Home" not in a.text and "Copyright" not in a.text
    assert a.format == "html" and a.language == "en"


def test_page_without_article_text(fixtures: Path) -> None:
    items = list(html.read(fixtures / "no_article.html", ReadOptions(field_map={})))
    assert len(items) == 1 and isinstance(items[0], IngestError)
    assert items[0].message == "no article text found"
    assert items[0].source.endswith("no_article.html")


def test_outlet_falls_back_to_domain_and_date_to_fallback() -> None:
    page = (
        "<html><head><title>Clashes</title></head><body><article><p>"
        + "Fighting continued in the east of the country for a second day, residents said on the phone. " * 3
        + "</p></article></body></html>"
    )
    item = html.article_from_html(page, "mem", url="https://www.example.co.uk/a", fallback_date="2025-01-02")
    assert isinstance(item, Article)
    assert item.outlet == "example.co.uk"
    assert item.published == "2025-01-02" and item.published_inferred


def test_garbage_bytes_are_no_article() -> None:
    item = html.article_from_html(b"\x00\x01\x02 not html", "mem")
    assert isinstance(item, IngestError)


def test_strip_tags() -> None:
    assert html.strip_tags("<p>One &amp; two</p><p>Three<br>four</p><script>x()</script>") == "One & two\nThree\nfour"


def test_no_date_from_scripts_or_expiry_strings() -> None:
    page = (
        "<html><head><title>Clashes</title>"
        '<script>var cfg = {"expires": "2030-01-01", "built": "2024-12-31"};</script></head><body><article><p>'
        + "Fighting continued in the east of the country for a second day, residents said on the phone. " * 3
        + "</p><p>Cookie consent expires 1 January 2031.</p></article></body></html>"
    )
    item = html.article_from_html(page, "mem")
    assert isinstance(item, Article) and item.published is None and not item.published_inferred
