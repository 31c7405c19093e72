"""feed.py: RSS and Atom entries to Articles; entries without text are errors naming the entry."""

from __future__ import annotations

from pathlib import Path

from rashomon.ingest import feed
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.records import Article


def test_rss(fixtures: Path) -> None:
    path = fixtures / "feed.rss"
    items = list(feed.read(path, ReadOptions(field_map={})))
    assert [type(i).__name__ for i in items] == ["Article", "IngestError", "Article"]
    first, err, third = items
    assert isinstance(first, Article) and isinstance(err, IngestError) and isinstance(third, Article)
    assert first.source == f"{path}#https://www.example-wire.com/world/drone-strike-1" and first.format == "feed"
    assert first.title == "Drone strike hits depot"
    assert first.url == "https://www.example-wire.com/world/drone-strike-1"
    assert first.published == "2025-03-03"
    assert first.outlet == "Example Wire"
    assert first.text == "A drone strike hit a fuel depot on Monday, officials said.\nNo casualties were reported."
    assert err.line == 2 and err.source == str(path) and "--fetch" in err.message
    assert third.published == "2025-03-05"


def test_atom(fixtures: Path) -> None:
    (a,) = list(feed.read(fixtures / "feed.atom", ReadOptions(field_map={})))
    assert isinstance(a, Article)
    assert a.outlet == "Example Observer" and a.published == "2025-03-06"
    assert a.text.startswith("The ceasefire held") and "<p>" not in a.text


def test_not_a_feed(tmp_path: Path) -> None:
    p = tmp_path / "x.rss"
    p.write_text("this is not xml at all", encoding="utf-8")
    (err,) = list(feed.read(p, ReadOptions(field_map={})))
    assert isinstance(err, IngestError) and err.source == str(p)


def test_outlet_from_link_when_feed_has_no_title(tmp_path: Path) -> None:
    p = tmp_path / "x.rss"
    p.write_text(
        "<rss version='2.0'><channel><link>https://www.example.org/</link>"
        "<item><title>T</title><description>Officials said the road was closed.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    (a,) = list(feed.read(p, ReadOptions(field_map={})))
    assert isinstance(a, Article) and a.outlet == "example.org" and a.published is None


def test_entry_ids_do_not_depend_on_position(fixtures: Path, tmp_path: Path) -> None:
    """A feed that gains an item at the top gives its older entries the same article ids (no re-ingest)."""
    xml = (fixtures / "feed.rss").read_text(encoding="utf-8")
    path = tmp_path / "feed.rss"
    path.write_text(xml, encoding="utf-8")
    before = {a.url: a.id for a in feed.read(path, ReadOptions(field_map={})) if isinstance(a, Article)}
    item = "<item><title>New</title><guid>urn:x:1</guid><description>A new report.</description></item>"
    path.write_text(xml.replace("<item>", item + "<item>", 1), encoding="utf-8")
    new, *old = [a for a in feed.read(path, ReadOptions(field_map={})) if isinstance(a, Article)]
    assert new.source == f"{path}#urn:x:1" and len(before) == len(old) == 2
    assert {a.url: a.id for a in old} == before
