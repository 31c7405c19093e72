"""The briefing's cross-outlet sections: actors and their links, casualty ledgers, disputes side by side,
related stories; hostile text escaped everywhere; long lists capped behind "show more"."""

from __future__ import annotations

import re
import time
from pathlib import Path

from rashomon.records import (
    Article,
    Claim,
    Dispute,
    DisputeSide,
    Entity,
    Event,
    Extraction,
    Fatalities,
    Reconciled,
    Speaker,
    Story,
    TimelineItem,
)
from rashomon.store.db import Store
from rashomon.web.fmt import fmt_date, fmt_figure, split_notes
from rashomon.web.incidents import ledger_rows
from rashomon.web.report import LIMITS, render_report, write_report

EVIL = "<script>alert(1)</script>"


def _article(n: int, title: str = "Report", outlet: str = "Wire One") -> Article:
    return Article(source=f"/data/{n}.txt", text=f"Text {n}.", title=title, outlet=outlet, published="2025-05-0" + str(n % 9 + 1))


def _claim(art: Article, n: int, content: str = "a claim", entity_id: str | None = None, stance: str = "assert") -> Claim:
    return Claim(article_id=art.id, speaker=Speaker(text="Spokesman", name="Spokesman", kind="person", entity_id=entity_id),
                 cue="said", act="say" if stance == "assert" else "deny", stance=stance,  # type: ignore[arg-type]
                 content=content, quote="indirect", sentence=f"Sentence {n}: {content}.", span=(n, n + 1))


def _ledger_entry(claim: Claim, art: Article, **over: object) -> dict[str, object]:
    entry: dict[str, object] = {"category": "killed", "value": 7, "low": 7, "high": None, "qualifier": "at_least",
                                "counted": "soldiers", "claimant": "Spokesman", "outlet": art.outlet,
                                "article_id": art.id, "claim_id": claim.id, "date": art.published,
                                "scope": "on 3 May 2025", "note": None, "in_summary": True}
    entry.update(over)
    return entry


def _world(text: str = "plain") -> tuple[list[Extraction], Reconciled]:
    """Two related stories; every article-borne string carries ``text`` (hostile input in the escaping test)."""
    a, b, c = _article(1, f"Title {text}", f"Outlet {text}"), _article(2), _article(3, "Other story")
    group = Entity(name=f"Group {text}", type="armed_group", aliases=[f"The Group {text}", "TG"],
                   article_ids=[a.id, b.id], mentions=5, merge_reasons=[f"acronym {text}"])
    army = Entity(name="Army", type="military", aliases=["the army"], article_ids=[a.id], mentions=3)
    wing = Entity(name=f"Wing {text}", type="media_wing", article_ids=[a.id], mentions=2,
                  relations=[{"type": "speaks_for", "entity_id": group.id, "reason": f"media wing {text}"}])
    army.candidates = [{"entity_id": "ent_elsewhere", "reason": f"same initials {text}"}]
    town = Entity(name="Town", type="place", article_ids=[a.id], mentions=1)
    c1 = _claim(a, 1, f"seven soldiers killed {text}", wing.id)
    c2 = _claim(b, 2, "no soldier was killed", army.id, stance="deny")
    c3 = _claim(c, 3, "talks resume")
    s1 = Story(article_ids=[a.id, b.id], title=f"Story {text}",
               timeline=[TimelineItem("2025-05-02", "day", f"Clash {text}", a.id, "incident")])
    s2 = Story(article_ids=[c.id], title="Second story")
    s1.related_story_ids, s2.related_story_ids = [s2.id], [s1.id]
    for cl, st in ((c1, s1), (c2, s1), (c3, s2)):
        cl.story_id = st.id
    ledger = [_ledger_entry(c1, a, claimant=f"Spokesman {text}", scope=f"day {text}"),
              _ledger_entry(c2, b, value=5, low=5, high=5, qualifier="exact", claimant="outlet",
                            note=f"covers another period {text}", in_summary=False),
              _ledger_entry(c1, a, claim_id="clm_not_stored", category="captured")]
    incident = Event(article_ids=[a.id, b.id], event_type="Battles", sub_event_type="Armed clash", story_id=s1.id,
                     fatalities=Fatalities(low=7, best=7, high=7, claim_ids=[c1.id]), ledger=ledger,
                     acled={"killed": 7}, figure_rules={"low": f"lowest {text}", "acled": "most conservative"},
                     notes=f"note one {text}; note two (a; b)")
    side = DisputeSide(claim_ids=[c1.id], stance="assert", value=7, article_ids=[a.id], outlets=[])
    denial = DisputeSide(claim_ids=[c2.id], stance="deny", value=None, article_ids=[b.id], outlets=[])
    disputes = [Dispute(story_id=s1.id, kind="outlet_numeric", proposition=f"How many killed {text}",
                        sides=[side, denial], explanation=f"outlets differ {text}")]
    exs = [Extraction(article=a, claims=[c1]), Extraction(article=b, claims=[c2]), Extraction(article=c, claims=[c3])]
    return exs, Reconciled(entities=[group, army, wing, town], stories=[s1, s2], events=[incident], disputes=disputes)


def test_hostile_text_is_escaped_in_every_new_section() -> None:
    html = render_report(*_world(EVIL), {})
    assert "<script" not in html.lower()
    escaped = html.count("&lt;script&gt;alert(1)&lt;/script&gt;")
    # title, outlet, entity names / aliases / merge reason / relation reason / candidate reason, claim content and
    # sentence, ledger claimant and scope and note, figure rule, notes, proposition, explanation, timeline
    assert escaped >= 15, escaped


def test_actors_with_aliases_relations_candidates_and_merge_reasons() -> None:
    html = render_report(*_world(), {})
    actors = html[html.index('id="actors"'):]
    assert "Group plain" in actors and "TG; The Group plain" in actors
    assert re.search(r'speaks for <a href="#ent_\w+">Group plain</a>', actors)  # ISPR-style relation, linked
    assert re.search(r'voiced by <a href="#ent_\w+">Wing plain</a>', actors)  # and its inverse on the group
    assert "possibly the same as ent_elsewhere" in actors and "same initials plain" in actors
    assert "acronym plain" in actors  # merge reason, in a details element
    assert ">Town<" not in actors  # places are not actors
    story = html[html.index('<section class="story" id="sty_'):html.index('id="actors"')]
    assert "speaks for <a href=" in story  # the speaker's heading says whom it speaks for


def test_ledger_summary_rules_and_uncounted_figures() -> None:
    html = render_report(*_world(), {})
    assert "at least 7</a>" in html and "the outlet itself" in html
    assert 'class="uncounted"' in html and "not counted: covers another period plain" in html
    assert re.search(r'<th title="lowest plain">low</th>', html) and "<b>ACLED</b> = most conservative" in html
    assert "<li>note two (a; b)</li>" in html  # notes split, brackets kept whole


def test_dispute_sides_show_kind_sentences_and_outlets() -> None:
    html = render_report(*_world(), {})
    dispute = html[html.index('class="dispute"'):]
    dispute = dispute[: dispute.index('class="explain"')]
    assert ">between outlets<" in dispute and "How many killed plain" in dispute
    assert "Sentence 1: seven soldiers killed plain." in dispute and "Sentence 2: no soldier was killed." in dispute
    assert "Outlet plain" in dispute and "Wire One" in dispute  # outlets filled from the claims' articles
    assert dispute.index('class="side assert"') < dispute.index('class="side deny"')


def test_related_stories_link_within_the_page() -> None:
    html = render_report(*_world(), {})
    related = re.findall(r'<b>Related stories</b><a href="#(sty_\w+)">', html)
    assert len(related) == 2 and all(f'id="{sid}"' in html for sid in related)
    internal = set(re.findall(r'href="#([^"]+)"', html))
    missing = {i for i in internal if f'id="{i}"' not in html}
    assert not missing, missing  # every in-page link has its target


def test_long_lists_are_capped_behind_show_more() -> None:
    art = _article(1)
    n = 3000
    claims = [_claim(art, i, f"claim number {i}") for i in range(n)]
    exs = [Extraction(article=art, claims=claims)]
    start = time.perf_counter()
    html = render_report(exs, Reconciled(), {})
    assert time.perf_counter() - start < 20
    assert f"show {n - LIMITS['claims']} more claims" in html
    assert html.count('<li class="assert" id="clm_') == n  # nothing dropped: the rest sit in the details element


def test_empty_database_renders(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    out = tmp_path / "empty.html"
    write_report(store, out)
    store.close()
    html = out.read_text("utf-8")
    assert "The store holds no articles yet." in html and "No actor resolved yet." in html


def test_ledger_rows_read_partial_entries() -> None:
    rows = ledger_rows([{"category": "injured", "value": None, "low": 3, "high": 5, "qualifier": "range"},
                        {"category": "killed", "value": 500, "qualifier": "approx", "claimant": "outlet"}, "junk"])  # type: ignore[list-item]
    assert [(r.category, r.figure, r.claimant, r.outlet) for r in rows] == [
        ("killed", "about 500", "the outlet itself", "unknown outlet"),
        ("injured", "3–5", "unnamed source", "unknown outlet")]


def test_formatting_helpers() -> None:
    assert fmt_figure(7, 7, None, "at_least") == "at least 7"
    assert fmt_figure(None, 12, float("inf"), "range") == "12–?"
    assert split_notes("a; b (c; d); e") == ["a", "b (c; d)", "e"]
    assert split_notes(None) == []
    assert [fmt_date("2024-01-01", p) for p in ("year", "month", "day", None)] == ["2024", "2024-01", "2024-01-01",
                                                                                    "2024-01-01"]
    assert fmt_date("2025-02-24", "week") == "week of 2025-02-24" and fmt_date(None, None) == "undated"
