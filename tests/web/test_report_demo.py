"""The briefing over the real pipeline's output (the bundled demo corpus, analysed for real, nothing mocked):
the cross-outlet sections are present, every in-page link lands, and the file stays self-contained."""

from __future__ import annotations

import re

import pytest

from rashomon.config import Settings
from rashomon.store.db import Store
from rashomon.web.report import write_report


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory, demo_settings: Settings) -> str:
    out = tmp_path_factory.mktemp("h9demo")
    store = Store(demo_settings.db_url)
    try:
        write_report(store, out / "report.html")
    finally:
        store.close()
    return (out / "report.html").read_text("utf-8")


def test_actors_section_shows_aliases_and_who_speaks_for_whom(html: str) -> None:
    actors = html[html.index('<section class="story" id="actors"'):]
    assert re.search(r'speaks for <a href="#ent_\w+">', actors)
    assert re.search(r'voiced by <a href="#ent_\w+">', actors)
    assert re.search(r"<summary>\d+ reasons?</summary>", actors)  # merge reasons behind a details element


def test_incidents_show_ledgers_with_summaries(html: str) -> None:
    assert html.count('<div class="incident"') >= 3
    assert "<th>Claimant</th>" in html and "<th>Outlet</th>" in html
    assert re.search(r'<td class="fig"><a href="#clm_\w+">(at least |more than |about )?\d', html)
    assert re.search(r'<th title="[^"]+">ACLED</th>', html)  # the rule behind ACLED's figure


def test_disputes_show_sides_with_sentences(html: str) -> None:
    assert html.count('class="dispute"') >= 2
    assert re.search(r'<span class="badge disputed" title="[^"]+">(figures|between outlets|denial|rebuttal)<', html)
    assert re.search(r'<span class="sentence">[^<]{20,}</span>', html)


def test_stories_link_related_stories_and_every_anchor_exists(html: str) -> None:
    assert "<b>Related stories</b>" in html
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert len(targets) > 20
    assert not {t for t in targets if f'id="{t}"' not in html}


def test_demo_report_stays_self_contained(html: str) -> None:
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", html, re.IGNORECASE)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html, re.IGNORECASE)


def test_every_demo_story_has_a_map_of_its_places_and_a_timeline(html: str) -> None:
    stories = html.split('<section class="story" id="sty_')[1:]
    assert len(stories) >= 2
    for story in stories:
        assert story.count('<circle class="place"') >= 3  # the gazetteer places every demo story
        assert '<path class="land"' in story
        assert story.count('class="timeline-item"') >= 10
