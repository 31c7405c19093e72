"""Reconcile on hand-built records: duplicates, entity merges, numeric disputes and scope, denials."""

from __future__ import annotations

import math

from rashomon.reconcile import reconcile
from rashomon.reconcile.dedup import mark_duplicates
from rashomon.reconcile.disputes import find_disputes, interval
from rashomon.reconcile.entities import resolve_entities, translit_key
from rashomon.reconcile.stories import cluster_stories
from rashomon.records import (
    Article,
    Claim,
    DateRef,
    Extraction,
    Mention,
    Quantity,
    Speaker,
    Story,
)

WIRE = (
    "Gunmen stormed a checkpoint near the river town early on Tuesday, killing four guards and wounding "
    "eleven others before fleeing into the hills, officials said. The provincial governor ordered an inquiry "
    "and a curfew was imposed across the district while troops searched nearby villages for the attackers."
)


def art(text: str, source: str, published: str | None = "2025-03-04", outlet: str | None = None) -> Article:
    return Article(source=source, text=text, published=published, outlet=outlet)


def q(text: str, value: float, qualifier: str = "exact", category: str = "killed", counted: str = "soldiers") -> Quantity:
    low = value if qualifier in ("exact", "at_least") else (value + 1 if qualifier == "more_than" else None)
    high = value if qualifier == "exact" else None
    return Quantity(text=text, value=value, low=low, high=high, qualifier=qualifier, counted=counted, category=category)  # type: ignore[arg-type]


def claim(aid: str, speaker: str, content: str, quantities=(), stance: str = "assert", act: str = "say", start: int = 0, dates=()) -> Claim:
    return Claim(
        article_id=aid, speaker=Speaker(text=speaker, name=speaker, kind="organization"), cue="said", act=act,
        stance=stance, content=content, quote="indirect", sentence=content, span=(start, start + len(content)),  # type: ignore[arg-type]
        quantities=list(quantities), dates=list(dates),
    )


def test_exact_and_near_duplicates_point_at_the_earliest() -> None:
    a = art(WIRE, "a.txt", "2025-03-04")
    b = art(WIRE.replace("Tuesday", "Tuesday morning"), "b.txt", "2025-03-05")
    c = art(WIRE, "c.txt", "2025-03-06")
    d = art("A completely different article about the harvest festival and rain in the valley this year.", "d.txt")
    assert mark_duplicates([c, b, d, a]) == 2
    assert a.duplicate_of is None and b.duplicate_of == a.id and c.duplicate_of == a.id and d.duplicate_of is None


def test_transliteration_variants_share_a_key_but_different_names_do_not() -> None:
    assert translit_key("Muhammad Khan") == translit_key("Mohammed Khan") == translit_key("Mohammad Khan")
    assert translit_key("Gaddafi") == translit_key("Qaddafi")
    assert translit_key("Muhammad Khan") != translit_key("Mahmood Khan")


def test_acronym_joins_its_only_expansion_and_reasons_are_kept() -> None:
    a = Extraction(article=art("x", "1.txt"), mentions=[Mention("Northern Liberation Front", 0, 25, "armed_group")])
    b = Extraction(article=art("y", "2.txt"), mentions=[Mention("NLF", 0, 3, "armed_group"), Mention("Mohammed Aziz", 5, 18, "person")])
    c = Extraction(article=art("z", "3.txt"), mentions=[Mention("Muhammad Aziz", 0, 13, "person"), Mention("the NLF's", 20, 29, "armed_group")])
    ents = resolve_entities([a, b, c])
    by_alias = {al: e for e in ents for al in e.aliases}
    assert by_alias["NLF"] is by_alias["Northern Liberation Front"]
    assert by_alias["Mohammed Aziz"] is by_alias["Muhammad Aziz"]
    assert by_alias["NLF"] is not by_alias["Muhammad Aziz"]
    assert any("acronym" in r for r in by_alias["NLF"].merge_reasons)
    assert a.mentions[0].entity_id == b.mentions[0].entity_id


def test_interval_from_qualifiers() -> None:
    assert interval(q("six", 6)) == (6, 6)
    assert interval(q("at least seven", 7, "at_least")) == (7, math.inf)
    assert interval(q("over 30", 30, "more_than")) == (31, math.inf)


def _story(*exs: Extraction) -> Story:
    return Story(article_ids=[e.article.id for e in exs], title="t")


def test_non_overlapping_figures_are_a_numeric_dispute() -> None:
    a = Extraction(article=art("x", "a.txt", outlet="One"))
    b = Extraction(article=art("y", "b.txt", outlet="Two"))
    a.claims = [claim(a.article.id, "Army", "six soldiers were captured", [q("six", 6, category="captured")])]
    b.claims = [claim(b.article.id, "Group", "at least seven soldiers were captured", [q("at least seven", 7, "at_least", "captured")])]
    disputes = find_disputes([_story(a, b)], [a, b])
    assert [d.kind for d in disputes] == ["numeric"]
    assert {o for s in disputes[0].sides for o in s.outlets} == {"One", "Two"}


def test_overlapping_figures_and_different_scopes_are_not_disputes() -> None:
    a = Extraction(article=art("x", "a.txt"))
    b = Extraction(article=art("y", "b.txt"))
    day = DateRef("on 3 March", "2025-03-03", "2025-03-03", "2025-03-03", "day", "point")
    week = DateRef("over the week", "2025-02-26", "2025-02-26", "2025-03-04", "week", "range")
    a.claims = [claim(a.article.id, "Army", "killed 40 militants", [q("at least 40", 40, "at_least", counted="militants")], dates=[day])]
    b.claims = [
        claim(b.article.id, "Army", "killed 130 militants", [q("130", 130, counted="militants")], dates=[week]),
        claim(b.article.id, "Army", "killed at least 45 militants", [q("45", 45, "at_least", counted="militants")], dates=[day], start=100),
    ]
    assert find_disputes([_story(a, b)], [a, b]) == []


def test_figures_about_different_sides_are_not_compared() -> None:
    a = Extraction(article=art("x", "a.txt"))
    a.claims = [
        claim(a.article.id, "Army", "killed 40 militants", [q("40", 40, counted="militants")]),
        claim(a.article.id, "Group", "killed over 50 soldiers", [q("over 50", 50, "more_than", counted="soldiers")], start=50),
    ]
    assert find_disputes([_story(a)], [a]) == []


def test_denial_is_paired_with_the_claim_it_denies() -> None:
    a = Extraction(article=art("x", "a.txt", outlet="One"))
    a.claims = [
        claim(a.article.id, "Front", "it had captured seven soldiers in an ambush near the pass", [q("seven", 7, category="captured")]),
        claim(a.article.id, "Army", "none of its soldiers had been captured in the ambush", stance="deny", act="deny", start=200),
        claim(a.article.id, "Mayor", "the new bridge will open to traffic next spring", start=400),
    ]
    disputes = find_disputes([_story(a)], [a])
    assert [d.kind for d in disputes] == ["denial"]
    sides = {s.stance: s.claim_ids for s in disputes[0].sides}
    assert sides["deny"] == [a.claims[1].id] and sides["assert"] == [a.claims[0].id]


def test_stories_separate_unrelated_articles_and_join_copies() -> None:
    fire = "A fire destroyed the central grain market in Marlow district on Monday, traders said, with losses put at millions."
    quake = "An earthquake of magnitude 6.1 struck the northern mountains on Monday, damaging hundreds of homes in remote villages."
    exs = [
        Extraction(article=art(fire, "1.txt")),
        Extraction(article=art(fire.replace("Monday", "Monday night"), "2.txt")),
        Extraction(article=art(quake, "3.txt")),
        Extraction(article=art(quake + " Rescue teams reached the worst-hit villages by evening.", "4.txt")),
    ]
    result = reconcile(exs)
    groups = sorted(sorted(s.article_ids) for s in result.stories)
    assert sorted(len(g) for g in groups) == [2, 2]
    assert exs[1].article.duplicate_of == exs[0].article.id
    story_of = {aid: s.id for s in result.stories for aid in s.article_ids}
    assert story_of[exs[0].article.id] != story_of[exs[2].article.id]
    assert story_of[exs[2].article.id] == story_of[exs[3].article.id]


def test_cluster_stories_respects_the_time_window() -> None:
    text = "Flooding along the Sarn river forced thousands from their homes in low-lying districts, officials said."
    a = Extraction(article=art(text, "1.txt", "2025-01-01"))
    b = Extraction(article=art(text + " More rain is forecast.", "2.txt", "2025-06-01"))
    assert len(cluster_stories([a, b], window_days=10)) == 2


def test_a_negated_statement_on_another_topic_is_not_a_denial() -> None:
    a = Extraction(article=art("x", "a.txt"))
    a.claims = [
        claim(a.article.id, "Witness", "they took over thirty passengers from the two buses on the highway"),
        claim(a.article.id, "Farmer", "nobody from the government helped the passengers or their families", stance="deny", act="say", start=200),
    ]
    assert find_disputes([_story(a)], [a]) == []


def test_a_copy_published_past_the_window_is_a_report_of_its_own() -> None:
    text = "Gunmen attacked a market in the north of the region on Sunday, officials said, and at least ten people were killed. " * 3
    first = Article(source="a", text=text, published="2024-03-01")
    close = Article(source="b", text=text + " More follows.", published="2024-03-05")
    late = Article(source="c", text=text + " Updated.", published="2024-04-20")
    exact_late = Article(source="d", text=text, published="2024-04-22")
    assert mark_duplicates([first, close, late, exact_late], max_days=10) == 2
    assert close.duplicate_of == first.id and late.duplicate_of is None and exact_late.duplicate_of == late.id
    again = [Article(source=a.source, text=a.text, published=a.published) for a in (first, close, late, exact_late)]
    assert mark_duplicates(again) == 3  # unbounded: every copy points at the first carrier
