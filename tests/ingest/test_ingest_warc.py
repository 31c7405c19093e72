"""warc.py: HTML response records to Articles; truncated archives are reported after what was read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rashomon.ingest import warc
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.records import Article

NO_DATE_PAGE = (
    b"<html><head><title>Shelling</title></head><body><article><p>"
    + b"Shelling hit the northern district overnight, residents and local officials said on Tuesday. " * 3
    + b"</p></article></body></html>"
)


def _pages(fixtures: Path) -> list[tuple[str, bytes, str]]:
    page = (fixtures / "article.html").read_bytes()
    return [
        ("https://www.example-post.com/a/1", page, "text/html; charset=utf-8"),
        ("https://www.example-post.com/logo.png", b"\x89PNG\r\n", "image/png"),
        ("https://www.example.net/a/2", NO_DATE_PAGE, "text/html"),
        ("https://www.example-post.com/a/3", page, "text/html"),
    ]


@pytest.mark.parametrize("gz", [True, False])
def test_warc_records(fixtures: Path, tmp_path: Path, warc_builder: Callable[..., Path], gz: bool) -> None:
    path = warc_builder(tmp_path / ("a.warc.gz" if gz else "a.warc"), _pages(fixtures), gz=gz)
    items = list(warc.read(path, ReadOptions(field_map={})))
    assert all(isinstance(i, Article) for i in items)
    arts = [i for i in items if isinstance(i, Article)]
    assert [a.source for a in arts] == [f"{path}#2", f"{path}#4", f"{path}#5"]  # request/png skipped
    first, second, _ = arts
    assert first.url == "https://www.example-post.com/a/1" and first.format == "warc"
    assert first.published == "2025-03-05" and not first.published_inferred
    assert second.outlet == "example.net"
    assert second.published == "2025-03-09" and second.published_inferred  # WARC-Date


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc(fixtures: Path, tmp_path: Path, warc_builder: Callable[..., Path], gz: bool) -> None:
    good = warc_builder(tmp_path / ("g.warc.gz" if gz else "g.warc"), _pages(fixtures), gz=gz)
    data = good.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(data[: len(data) - len(data) // 8])  # the last record is damaged
    items = list(warc.read(cut, ReadOptions(field_map={})))
    arts = [i for i in items if isinstance(i, Article)]
    assert [a.source for a in arts] == [f"{cut}#2", f"{cut}#4"]
    err = items[-1]
    assert isinstance(err, IngestError) and err.source == str(cut) and err.line == 5
    assert "truncated" in err.message


def test_every_cut_point_is_reported_or_complete(
    fixtures: Path, tmp_path: Path, warc_builder: Callable[..., Path]
) -> None:
    data = warc_builder(tmp_path / "g.warc", _pages(fixtures)[:2], gz=False).read_bytes()
    cut = tmp_path / "cut.warc"
    for n in range(40, len(data) - 8, 97):
        cut.write_bytes(data[:n])
        items = list(warc.read(cut, ReadOptions(field_map={})))  # never raises
        assert all(isinstance(i, Article | IngestError) for i in items)


def test_not_a_warc(tmp_path: Path) -> None:
    p = tmp_path / "x.warc"
    p.write_bytes(b"hello, this is not an archive\n")
    (err,) = list(warc.read(p, ReadOptions(field_map={})))
    assert isinstance(err, IngestError) and err.line == 1 and err.source == str(p)
