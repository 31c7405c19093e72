"""iter_articles: folders, sorting, hidden files, missing/unreadable paths, sniffing, URLs, streaming."""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rashomon.ingest import iter_articles, reader_for
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.records import Article


def _split(items: list[Article | IngestError]) -> tuple[list[Article], list[IngestError]]:
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, IngestError)]


def test_whole_fixture_folder(fixtures: Path) -> None:
    items = list(iter_articles([fixtures], ReadOptions(field_map={"story_text": "text"})))
    arts, errs = _split(items)
    formats = {a.format for a in arts}
    assert formats == {"txt", "html", "jsonl", "json", "feed"}
    failed = {Path(e.source).name for e in errs if not e.warning}
    assert {"empty.txt", "binary.txt", "no_article.html", "articles.jsonl", "feed.rss"} <= failed
    assert sum(1 for a in arts if a.format == "txt") == 6
    sources = [str(i.source) for i in items]
    assert sources == sorted(sources, key=lambda s: s.split("#")[0])  # sorted, deterministic


def test_missing_path_and_batch_goes_on(fixtures: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    items = list(iter_articles([missing, fixtures / "plain.txt"], ReadOptions(field_map={})))
    assert isinstance(items[0], IngestError) and items[0].source == str(missing)
    assert "no such file" in items[0].message
    assert isinstance(items[1], Article)


def test_hidden_files_skipped_and_recursion(tmp_path: Path, fixtures: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    shutil.copy(fixtures / "plain.txt", tmp_path / "sub" / "deeper" / "b.txt")
    shutil.copy(fixtures / "plain.txt", tmp_path / "a.txt")
    shutil.copy(fixtures / "plain.txt", tmp_path / ".hidden.txt")
    (tmp_path / ".git").mkdir()
    shutil.copy(fixtures / "plain.txt", tmp_path / ".git" / "c.txt")
    items = list(iter_articles([tmp_path], ReadOptions(field_map={})))
    assert [Path(i.source).name for i in items] == ["a.txt", "b.txt"]


def test_unreadable_file(tmp_path: Path, fixtures: Path) -> None:
    locked = tmp_path / "locked.txt"
    shutil.copy(fixtures / "plain.txt", locked)
    locked.chmod(0)
    try:
        items = list(iter_articles([locked, fixtures / "plain.txt"], ReadOptions(field_map={})))
    finally:
        locked.chmod(0o644)
    assert isinstance(items[-1], Article)
    if os.geteuid() == 0:
        pytest.skip("root can read a chmod 000 file")
    assert isinstance(items[0], IngestError) and items[0].source == str(locked)
    assert "permission denied" in items[0].message


def test_reader_on_a_directory_is_an_error(tmp_path: Path) -> None:
    from rashomon.ingest import read_file

    d = tmp_path / "looks_like.txt"
    d.mkdir()
    (err,) = list(read_file(d, ReadOptions(field_map={})))
    assert isinstance(err, IngestError) and err.source == str(d) and "directory" in err.message


def test_sniffing_unknown_extensions(tmp_path: Path, fixtures: Path, warc_builder: Callable[..., Path]) -> None:
    shutil.copy(fixtures / "feed.rss", tmp_path / "feed_no_ext")
    shutil.copy(fixtures / "article.html", tmp_path / "page.php")
    shutil.copy(fixtures / "header_block.txt", tmp_path / "story")
    warc_builder(tmp_path / "crawl.bin", [("https://x.org/a", (fixtures / "article.html").read_bytes(), "text/html")])
    (tmp_path / "sitemap.xml").write_text("<?xml version='1.0'?><urlset></urlset>", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 10)
    items = list(iter_articles([tmp_path], ReadOptions(field_map={})))
    by_name = {Path(i.source.split("#")[0]).name: i for i in items}
    assert isinstance(by_name["crawl.bin"], Article) and by_name["crawl.bin"].format == "warc"
    assert isinstance(by_name["feed_no_ext"], Article) and by_name["feed_no_ext"].format == "feed"
    assert isinstance(by_name["page.php"], Article) and by_name["page.php"].format == "html"
    assert isinstance(by_name["story"], Article) and by_name["story"].format == "txt"
    assert isinstance(by_name["sitemap.xml"], IngestError) and "unsupported" in by_name["sitemap.xml"].message
    assert isinstance(by_name["photo.jpg"], IngestError) and "binary" in by_name["photo.jpg"].message
    assert reader_for(tmp_path / "x.warc.gz") is not None


def test_streams_lazily(tmp_path: Path, fixtures: Path) -> None:
    for i in range(3):
        shutil.copy(fixtures / "plain.txt", tmp_path / f"{i}.txt")
    it = iter_articles([tmp_path], ReadOptions(field_map={}))
    first = next(it)
    assert isinstance(first, Article)
    (tmp_path / "2.txt").unlink()  # removed after the walk began: reported, not a crash
    rest = list(it)
    assert isinstance(rest[0], Article) and isinstance(rest[1], IngestError)


def test_reader_crash_becomes_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rashomon.ingest as ingest

    def boom(path: Path, options: ReadOptions) -> Iterator[Article]:
        raise RuntimeError("bug")
        yield  # pragma: no cover

    monkeypatch.setitem(ingest.READERS, ".txt", boom)
    p = tmp_path / "a.txt"
    p.write_text("x", encoding="utf-8")
    (err,) = list(iter_articles([p], ReadOptions(field_map={})))
    assert isinstance(err, IngestError) and "RuntimeError" in err.message and err.source == str(p)


# --- URLs, against a local server ----------------------------------------------------------------


@pytest.fixture
def server(fixtures: Path, tmp_path: Path) -> Iterator[str]:
    """A local HTTP server over a copy of the fixtures (tests may add files to it)."""
    root = tmp_path / "www"
    shutil.copytree(fixtures, root)
    handler = lambda *a, **k: _Quiet(*a, directory=str(root), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


def test_feed_url_is_fetched(server: str) -> None:
    items = list(iter_articles([f"{server}/feed.rss"], ReadOptions(field_map={})))
    arts, errs = _split(items)
    assert len(arts) == 2 and arts[0].source == f"{server}/feed.rss#{arts[0].url}" and arts[0].format == "feed"
    assert len(errs) == 1


def test_article_url_needs_fetch(server: str) -> None:
    url = f"{server}/article.html"
    (err,) = list(iter_articles([url], ReadOptions(field_map={})))
    assert isinstance(err, IngestError) and "--fetch" in err.message and err.source == url
    (a,) = list(iter_articles([url], ReadOptions(field_map={}, fetch=True)))
    assert isinstance(a, Article) and a.title == "Ministry rejects accusations" and a.source == url


def test_bad_urls(server: str) -> None:
    items = list(
        iter_articles([f"{server}/missing.rss", "http://127.0.0.1:9/feed.xml"], ReadOptions(field_map={}, fetch=True))
    )
    errs = [i for i in items if isinstance(i, IngestError)]
    assert len(errs) == len(items) == 2
    assert "404" in errs[0].message


def test_size_limit(server: str) -> None:
    from rashomon.ingest.fetch import FetchError, fetch

    with pytest.raises(FetchError, match="larger"):
        fetch(f"{server}/article.html", max_bytes=100, allow_private=True)


def test_feed_entry_links_fetched_only_with_fetch(server: str, tmp_path: Path) -> None:
    feed_xml = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Local</title>"
        f"<item><title>Full story</title><link>{server}/article.html</link>"
        "<pubDate>Wed, 05 Mar 2025 08:00:00 GMT</pubDate><description>Short summary only.</description></item>"
        f"<item><title>Gone</title><link>{server}/gone.html</link>"
        "<description>Summary of a page that is gone.</description></item>"
        "</channel></rss>"
    )
    (tmp_path / "www" / "local.xml").write_text(feed_xml, encoding="utf-8")
    url = f"{server}/local.xml"
    plain = list(iter_articles([url], ReadOptions(field_map={})))
    assert [a.text for a in plain if isinstance(a, Article)] == [
        "Short summary only.",
        "Summary of a page that is gone.",
    ]
    refused = list(iter_articles([url], ReadOptions(field_map={}, fetch=True)))  # links to loopback: SSRF
    assert [i.warning and "private or loopback" in i.message for i in refused if isinstance(i, IngestError)] == [True] * 2
    assert [a.text for a in refused if isinstance(a, Article)] == [a.text for a in plain if isinstance(a, Article)]
    fetched = list(iter_articles([url], ReadOptions(field_map={}, fetch=True, allow_private=True)))
    full, warn, fallback = fetched
    assert isinstance(full, Article) and full.text.startswith("ISLAMABAD: The foreign ministry")
    assert full.published == "2025-03-05" and full.format == "feed"
    assert isinstance(warn, IngestError) and warn.warning and "404" in warn.message
    assert isinstance(fallback, Article) and fallback.text == "Summary of a page that is gone."


def test_permission_error_is_reported_even_as_root(
    tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked.txt"
    shutil.copy(fixtures / "plain.txt", locked)
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    items = list(iter_articles([locked, fixtures / "plain.txt"], ReadOptions(field_map={})))
    assert isinstance(items[0], IngestError) and items[0].source == str(locked)
    assert "permission denied" in items[0].message
    assert isinstance(items[1], Article)
