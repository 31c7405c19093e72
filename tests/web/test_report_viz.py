"""The briefing's timeline chart and map per story, and `rashomon report --pdf` (real headless Chromium)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon.cli import main
from rashomon.records import (
    Article,
    Event,
    Extraction,
    Geo,
    Place,
    Reconciled,
    Story,
    TimelineItem,
)
from rashomon.store.db import Store
from rashomon.web.pdf import find_chromium
from rashomon.web.report import render_report

EVIL = "<script>alert(1)</script>"


def _place(name: str, lat: float, lon: float, precision: str = "town") -> Place:
    return Place(text=name, name=name, start=0, end=len(name), geo=Geo(lat=lat, lon=lon, country="SD", precision=precision))


def _world() -> tuple[list[Extraction], Reconciled]:
    """Two stories: one with three located places (one hostile name) and dated items, one with neither."""
    a = Article(source="/d/1.txt", text="One.", title="Clashes in the west", outlet="Wire One", published="2025-05-02")
    b = Article(source="/d/2.txt", text="Two.", title="More clashes", outlet="Daily Two", published="2025-05-04")
    c = Article(source="/d/3.txt", text="Three.", title="Talks", outlet="Wire One")
    places = [_place("El Fasher", 13.63, 25.35), _place(f"Town {EVIL}", 13.1, 24.9), _place("Sudan", 15.0, 30.0, "country")]
    s1 = Story(article_ids=[a.id, b.id], title="Clashes", timeline=[
        TimelineItem("2025-05-01", "day", "Attack on El Fasher", a.id, "incident"),
        TimelineItem("2025-05", "month", f"Fighting {EVIL}", b.id, "statement"),
        TimelineItem(None, None, "Undated remark", b.id, "statement")])
    s2 = Story(article_ids=[c.id], title="Talks")
    ev = Event(article_ids=[a.id], event_type="Battles", sub_event_type="Armed clash", story_id=s1.id,
               location=places[0])
    exs = [Extraction(article=a, places=places[:2]), Extraction(article=b, places=places[1:]), Extraction(article=c)]
    return exs, Reconciled(stories=[s1, s2], events=[ev])


def _section(html: str, title: str) -> str:
    start = html.index(f"<h2>{title}</h2>")
    end = html.find('<section class="story"', start)
    return html[start:end]


def test_each_story_has_a_timeline_and_a_map() -> None:
    html = render_report(*_world(), {})
    clashes, talks = _section(html, "Clashes"), _section(html, "Talks")
    assert clashes.count('<svg xmlns="http://www.w3.org/2000/svg" class="timeline"') == 1
    assert clashes.count('class="timeline-item"') == 2  # the undated remark is left out
    assert clashes.count('<circle class="place"') == 2  # the country-wide place is shown by its outline
    assert '<path class="land"' in clashes and "2 located places" in clashes
    assert "No place with coordinates." in talks and '<circle class="place"' not in talks
    assert 'class="timeline-item"' not in talks and "No dated items." in talks  # its article is undated


def test_charts_are_well_formed_and_escaped() -> None:
    html = render_report(*_world(), {})
    assert "<script" not in html.lower()
    for svg in re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="(?:timeline|map)".*?</svg>(?=\s*(?:<div|</div>))',
                          html, re.DOTALL):
        root = ET.fromstring(svg)
        assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert "Town &lt;script&gt;" in html and "Fighting &lt;script&gt;" in html
    assert 'fill="#c62828"' in _section(html, "Clashes")  # the incident place is coloured as one


def _store(tmp_path: Path) -> str:
    exs, rec = _world()
    url = f"sqlite:///{tmp_path / 'r.db'}"
    store = Store(url)
    store.add_extractions(exs)
    store.save_reconciled(rec, exs)
    store.close()
    return url


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium installed")
def test_report_pdf(tmp_path: Path) -> None:
    out = tmp_path / "brief" / "b.html"
    result = CliRunner().invoke(main, ["report", "--db", _store(tmp_path), "--out", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = out.with_suffix(".pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) > 0
    assert f"wrote {pdf}" in result.output


def test_report_pdf_without_chromium_names_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASHOMON_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "b.html"
    result = CliRunner().invoke(main, ["report", "--db", _store(tmp_path), "--out", str(out), "--pdf"])
    assert result.exit_code != 0
    assert "apt-get install chromium" in result.output and out.is_file() and not out.with_suffix(".pdf").exists()
