"""The web app's pages over a store filled by the real pipeline (demo corpus + one hostile article).

Expected stories for every filter are computed here from the stored records in Python, apart from the
app's SQL, so a wrong query fails the test."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webstore import DemoStore

from rashomon.records import Extraction
from rashomon.web import queries
from rashomon.web.app import create_app
from rashomon.web.outlets import FigureKey, figure_key

ROW = re.compile(r'<tr class="story-row[^"]*" data-story-id="([^"]+)"')


def rows(html: str) -> list[str]:
    return ROW.findall(html)


def stories_where(store: DemoStore, keep: Callable[[Extraction], bool]) -> set[str]:
    """Ids of stories holding at least one article whose extraction passes ``keep``."""
    hit = {ex.article.id for ex in store.extractions if keep(ex)}
    return {s.id for s in store.reconciled.stories if hit.intersection(s.article_ids)}


def all_stories(store: DemoStore) -> set[str]:
    return {s.id for s in store.reconciled.stories}


def test_list_shows_every_story_newest_first(client: TestClient, demo_store: DemoStore) -> None:
    html = client.get("/").text
    ids = rows(html)
    assert set(ids) == all_stories(demo_store) and len(ids) == len(set(ids))
    published = {ex.article.id: ex.article.published or "" for ex in demo_store.extractions}
    last = {s.id: max(published.get(a, "") for a in s.article_ids) for s in demo_store.reconciled.stories}
    assert [last[i] for i in ids] == sorted((last[i] for i in ids), reverse=True)


def test_sort_most_disputed_first(client: TestClient, demo_store: DemoStore) -> None:
    disputes: dict[str, int] = {}
    for d in demo_store.reconciled.disputes:
        disputes[d.story_id] = disputes.get(d.story_id, 0) + 1
    ids = rows(client.get("/?sort=disputed").text)
    counts = [disputes.get(i, 0) for i in ids]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0


def _entity(store: DemoStore, kind: Callable[[str], bool], used: Iterable[str | None]) -> tuple[str, str]:
    """(id, name) of the most-mentioned entity of a kind that the extractions link to."""
    linked = {u for u in used if u}
    ents = sorted((e for e in store.reconciled.entities if kind(e.type) and e.id in linked),
                  key=lambda e: -e.mentions)
    return ents[0].id, ents[0].name


@pytest.mark.parametrize("which", ["outlet", "place", "actor", "event_type", "disputed", "from", "to"])
def test_each_filter_keeps_exactly_the_matching_stories(client: TestClient, demo_store: DemoStore, which: str) -> None:
    exs = demo_store.extractions
    if which == "outlet":
        value = "Meridian Wire"
        expected = stories_where(demo_store, lambda ex: ex.article.outlet == value)
    elif which == "place":
        pid, value = _entity(demo_store, lambda t: t == "place", (p.entity_id for ex in exs for p in ex.places))
        expected = stories_where(demo_store, lambda ex: any(p.entity_id == pid for p in ex.places))
    elif which == "actor":
        aid, value = _entity(demo_store, lambda t: t != "place", (m.entity_id for ex in exs for m in ex.mentions))
        expected = stories_where(demo_store, lambda ex: any(m.entity_id == aid for m in ex.mentions)
                                 or any(c.speaker.entity_id == aid for c in ex.claims))
    elif which == "event_type":
        value = "Battles"
        expected = {e.story_id for e in demo_store.reconciled.events if e.event_type == value}
    elif which == "disputed":
        value = "1"
        expected = {d.story_id for d in demo_store.reconciled.disputes}
    elif which == "from":
        value = "2025-04-01"
        expected = stories_where(demo_store, lambda ex: (ex.article.published or "") >= value)
    else:
        value = "2025-03-04"
        expected = stories_where(demo_store, lambda ex: bool(ex.article.published) and ex.article.published[:10] <= value)
    assert expected and expected != all_stories(demo_store), "the demo store must make this filter discriminate"
    got = client.get("/", params={which: value})
    assert got.status_code == 200
    assert set(rows(got.text)) == expected


def test_filters_combine(client: TestClient, demo_store: DemoStore) -> None:
    both = rows(client.get("/", params={"outlet": "Meridian Wire", "from": "2025-04-01"}).text)
    one = set(rows(client.get("/", params={"outlet": "Meridian Wire"}).text))
    other = set(rows(client.get("/", params={"from": "2025-04-01"}).text))
    assert set(both) == one & other


def test_actor_filter_matches_an_alias(client: TestClient, demo_store: DemoStore) -> None:
    ent = next(e for e in sorted(demo_store.reconciled.entities, key=lambda e: -e.mentions)
               if e.type != "place" and any(a != e.name and a.isupper() for a in e.aliases))
    alias = next(a for a in sorted(ent.aliases) if a != ent.name and a.isupper())
    by_name = set(rows(client.get("/", params={"actor": ent.name}).text))
    assert by_name and set(rows(client.get("/", params={"actor": alias}).text)) == by_name


def test_search_finds_words_of_articles_and_of_claims_only(client: TestClient, demo_store: DemoStore) -> None:
    hostile = next(ex for ex in demo_store.extractions if "Quarry" in (ex.article.title or ""))
    story = next(s.id for s in demo_store.reconciled.stories if hostile.article.id in s.article_ids)
    assert rows(client.get("/", params={"q": "quarry"}).text) == [story]
    sentence_word = "ambush"  # in demo claim sentences
    in_claims = stories_where(demo_store, lambda ex: any(sentence_word in c.sentence.lower() for c in ex.claims))
    in_text = stories_where(demo_store, lambda ex: sentence_word in ex.article.text.lower())
    html = client.get("/", params={"q": sentence_word}).text
    assert set(rows(html)) == in_claims | in_text and in_claims
    assert "Claims matching" in html and html.count("<tr class=\"stance-") >= 1
    empty = client.get("/", params={"q": "zzqxwordnotthere"}).text
    assert rows(empty) == [] and "No story matches" in empty


def test_search_reads_a_bounded_number_of_matches(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    full = client.get("/api/search", params={"q": "said"}).json()["stories"]
    assert not full["more"] and full["total"] > 2
    monkeypatch.setattr(queries, "SEARCH_CAP", 1)  # one article from each index: at most two stories
    capped = client.get("/api/search", params={"q": "said"}).json()["stories"]
    assert capped["more"] and 1 <= capped["total"] <= 2 and len(capped["items"]) == capped["total"]
    assert re.search(r"<h1>\d+\+ stories</h1>", client.get("/", params={"q": "said"}).text)


@pytest.mark.parametrize("q", ['"', "AND OR NOT (", "title:x*", "NEAR(a b)", "-", "'; DROP TABLE articles; --"])
def test_search_syntax_is_never_an_error(client: TestClient, q: str) -> None:
    assert client.get("/", params={"q": q}).status_code == 200
    assert client.get("/api/search", params={"q": q}).status_code == 200


def test_pagination_50_per_page_and_links(client: TestClient, demo_store: DemoStore,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert queries.PAGE_SIZE == 50
    monkeypatch.setattr(queries, "PAGE_SIZE", 1)
    first = client.get("/").text
    second = client.get("/?page=2").text
    assert len(rows(first)) == 1 and len(rows(second)) == 1 and rows(first) != rows(second)
    assert 'href="/?page=2" rel="next"' in first and 'rel="prev"' in second
    n = len(all_stories(demo_store))
    assert len(rows(client.get(f"/?page={n + 5}").text)) == 1  # past the end: the last page


def test_pages_walked_from_the_newest_articles_match_the_ranked_list(client: TestClient, demo_store: DemoStore,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ranked = rows(client.get("/").text)  # fewer stories than a page: ranked by the general query
    monkeypatch.setattr(queries, "PAGE_SIZE", 1)  # now each page is found by walking the date index
    walked = [i for n in range(1, len(ranked) + 1) for i in rows(client.get(f"/?page={n}").text)]
    assert walked == ranked


def test_story_page_matrix_links_land_on_sentences(client: TestClient, demo_store: DemoStore) -> None:
    story = max(demo_store.reconciled.stories, key=lambda s: len(s.article_ids))
    html = client.get(f"/stories/{story.id}").text
    matrix = html[html.index('<table class="matrix">'):html.index("</table>", html.index('<table class="matrix">'))]
    cells = re.findall(r'<td class="cell stance-(assert|deny|hedge|mixed)">(.*?)</td>', matrix, re.DOTALL)
    assert len(cells) > 10 and {"assert", "deny"} <= {c[0] for c in cells}
    targets = {t for _, body in cells for t in re.findall(r'href="#(claim-[^"]+)"', body)}
    ids = set(re.findall(r'<mark class="claim[^"]*" id="(claim-[^"]+)"', html))
    assert targets and targets <= ids
    in_story = {c.id for ex in demo_store.extractions if ex.article.id in story.article_ids for c in ex.claims}
    assert {i.removeprefix("claim-") for i in ids} == in_story  # every claim marked once in its article
    assert not {t for t in re.findall(r'href="#([^"]+)"', html) if f'id="{t}"' not in html}


def test_story_page_sections(client: TestClient, demo_store: DemoStore) -> None:
    story = max(demo_store.reconciled.stories, key=lambda s: len(s.article_ids))
    html = client.get(f"/stories/{story.id}").text
    summary = re.search(r'<ol class="summary">(.*?)</ol>', html, re.DOTALL)
    assert summary and 3 <= summary.group(1).count("<li>") <= 5
    assert re.search(r'<svg[^>]*class="timeline"', html) and 'class="timeline-item"' in html
    assert re.search(r'<svg[^>]*class="map"', html) and '<path class="land"' in html and 'class="place"' in html
    assert re.search(r'<td class="fig"><a href="#claim-clm_\w+">', html)  # ledger figures link to their claim
    assert "<q>" in html and '<span class="hedge">' in html and '<span class="evaluative">' in html


def test_actor_page_lists_claims_denials_and_accusations(client: TestClient, demo_store: DemoStore) -> None:
    claims = [c for ex in demo_store.extractions for c in ex.claims]
    by_speaker: dict[str, int] = {}
    for c in claims:
        if c.speaker.entity_id:
            by_speaker[c.speaker.entity_id] = by_speaker.get(c.speaker.entity_id, 0) + 1
    deniers = {c.speaker.entity_id for c in claims if c.stance == "deny" and c.speaker.entity_id}
    actor = max(deniers, key=lambda e: by_speaker[e])
    html = client.get(f"/actors/{actor}").text
    sections = {name: html[html.index(f'<section id="{name}">'):] for name in ("claimed", "denied", "accused")}
    denied = sum(c.stance == "deny" for c in claims if c.speaker.entity_id == actor)
    assert sections["denied"].split("</section>")[0].count('<tr class="stance-deny">') == denied
    assert sections["claimed"].split("</section>")[0].count('<tr class="stance-') == by_speaker[actor] - denied
    assert re.search(r'href="/stories/sty_\w+#claim-clm_\w+"', html)


def test_actor_page_shows_accusations_naming_the_actor(client: TestClient, demo_store: DemoStore) -> None:
    accusing = [(c, ex) for ex in demo_store.extractions for c in ex.claims if c.act == "accuse"]
    named = {m.entity_id for c, ex in accusing for m in ex.mentions
             if m.entity_id and c.span[0] <= m.start and m.end <= c.span[1] and m.entity_id != c.speaker.entity_id}
    assert named
    accused = min(named)
    html = client.get(f"/actors/{accused}").text
    part = html[html.index('<section id="accused">'):].split("</section>")[0]
    assert "accuse" in part and "No accusation" not in part


def _outlet_exclusives(store: DemoStore, outlet: str) -> tuple[set[str], set[tuple[str, FigureKey]]]:
    """Computed here from the records: claims (ids) whose speaker, and figures (story, key) that, no other
    named outlet carries in a story that another outlet covers too."""
    exs = {ex.article.id: ex for ex in store.extractions}
    claims: set[str] = set()
    figures: set[tuple[str, FigureKey]] = set()
    for story in store.reconciled.stories:
        members = [exs[a] for a in story.article_ids if a in exs]
        mine = [ex for ex in members if ex.article.outlet == outlet]
        others = [ex for ex in members if ex.article.outlet and ex.article.outlet != outlet]
        if not mine or not others:
            continue
        speakers = {c.speaker.entity_id for ex in others for c in ex.claims}
        given = {k for ex in others for q in ex.quantities if (k := figure_key(asdict(q)))}
        for c in (c for ex in mine for c in ex.claims):
            if c.speaker.entity_id and c.speaker.entity_id not in speakers:
                claims.add(c.id)
            figures |= {(story.id, k) for q in c.quantities if (k := figure_key(asdict(q))) and k not in given}
    return claims, figures


def test_outlet_page_shows_what_only_it_reports(client: TestClient, demo_store: DemoStore) -> None:
    outlets = sorted({ex.article.outlet for ex in demo_store.extractions if ex.article.outlet})
    expected = {o: _outlet_exclusives(demo_store, o) for o in outlets}
    outlet = next(o for o in outlets if all(expected[o]))  # the demo store must have one with both
    claims, figures = expected[outlet]
    data = client.get(f"/api/outlets/{outlet}").json()
    assert {c["id"] for c in data["exclusive"]} == claims
    assert {(x["claim"]["story_id"], (x["value"], x["counts"])) for x in data["exclusive_figures"]} == figures
    assert len(data["exclusive_figures"]) == len(figures)  # one row per figure and story
    html = client.get(f"/outlets/{outlet}").text
    part = html[html.index('<section id="exclusive-figures">'):].split("</section>")[0]
    assert part.count('<tr class="exclusive-figure') == len(figures)
    assert re.search(r'href="/stories/sty_\w+#claim-clm_\w+"', part)
    shared_everything = next((o for o in outlets if not any(expected[o])), None)
    if shared_everything:
        assert client.get(f"/api/outlets/{shared_everything}").json()["exclusive"] == []


def test_outlet_page_rates_and_exclusive_claims(client: TestClient, demo_store: DemoStore) -> None:
    outlet = "Kohsar Chronicle"
    mine = [ex for ex in demo_store.extractions if ex.article.outlet == outlet]
    claims = [c for ex in mine for c in ex.claims]
    rate = sum(bool(c.hedges) for c in claims) / len(claims)
    html = client.get(f"/outlets/{outlet}").text
    assert f"<b>{100 * rate:.0f}%</b><span>claims hedged</span>" in html
    assert f"<b>{len(mine)}</b><span>articles</span>" in html
    assert '<section id="exclusive">' in html
    opinion = next(ex.article.outlet for ex in demo_store.extractions if ex.evaluative and ex.article.outlet)
    assert '<span class="badge evaluative">shameful × 1</span>' in client.get(f"/outlets/{opinion}").text


@pytest.mark.parametrize("path", ["/stories/sty_missing", "/actors/ent_missing", "/outlets/No Such Outlet",
                                  "/nowhere", "/docs"])
def test_missing_things_are_404_pages(client: TestClient, path: str) -> None:
    got = client.get(path)
    assert got.status_code == 404 and "text/html" in got.headers["content-type"] and "Not found" in got.text


def _hostile_views(client: TestClient, demo_store: DemoStore) -> dict[str, str]:
    ex = next(ex for ex in demo_store.extractions if "Quarry" in (ex.article.title or ""))
    story = next(s.id for s in demo_store.reconciled.stories if ex.article.id in s.article_ids)
    speaker = next((c.speaker.entity_id for c in ex.claims if c.speaker.entity_id), None)
    views = {"list": "/", "search": "/?q=quarry", "story": f"/stories/{story}",
             "outlet": f"/outlets/{ex.article.outlet}", "outlet-filter": "/?outlet=" + str(ex.article.outlet)}
    if speaker:
        views["actor"] = f"/actors/{speaker}"
    return {name: client.get(path).text for name, path in views.items()}


class _Active(HTMLParser):
    """Collects what a browser would run or load: script / img / iframe elements, on* handlers,
    javascript: URLs, and markup that came from the article (a <b> element)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "img", "iframe", "object", "embed"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")

    def handle_data(self, data: str) -> None:
        if self.lasttag == "b" and data == "Wire":
            self.found.append("<b>Wire</b>")


def active(html: str) -> list[str]:
    parser = _Active()
    parser.feed(html)
    return parser.found


def test_hostile_article_is_inert_in_every_view(client: TestClient, demo_store: DemoStore) -> None:
    views = _hostile_views(client, demo_store)
    for name, html in views.items():
        assert active(html) == [], name
    assert "&lt;script&gt;alert(" in views["story"] and "&lt;img src=x onerror=" in views["story"]
    assert "&lt;a href=&#34;javascript:alert(" in views["story"]
    assert "Zyx &lt;b&gt;Wire&lt;/b&gt;" in views["outlet"]
    assert active('<p>x<script>1</script><a href="javascript:1">y</a><b>Wire</b><i onclick="1">z</i></p>') == [
        "script", "a href=javascript:1", "<b>Wire</b>", "i onclick=1"]  # the checker itself sees them


def test_pages_load_nothing_from_elsewhere_and_forbid_inline_script(client: TestClient) -> None:
    got = client.get("/")
    assert "script-src 'self'" in got.headers["content-security-policy"]
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", got.text, re.IGNORECASE)
    assert '<link rel="stylesheet" href="/static/app.css">' in got.text
    assert client.get("/static/app.css").status_code == 200


def test_an_empty_store_says_so(tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "empty.db"))
    try:
        with TestClient(app) as empty:
            assert "holds no stories yet" in empty.get("/").text
            assert empty.get("/api/stories").json()["total"] == 0
    finally:
        app.state.store.close()


def test_where_links_filter_the_list_by_that_place(client: TestClient) -> None:
    html = client.get("/").text
    row = r'<tr class="story-row[^"]*" data-story-id="([^"]+)">.*?<td class="where">(.*?)</td>'
    links = re.findall(row, html, re.DOTALL)
    pairs = [(sid, href) for sid, cell in links for href in re.findall(r'href="([^"]+)"', cell)]
    assert pairs
    for sid, href in pairs:
        assert sid in rows(client.get(href.replace("&amp;", "&")).text), href
