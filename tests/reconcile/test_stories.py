"""Story clustering on invented reports: same incident joined, look-alikes apart, incremental, bounded cost."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from rashomon.extract.pipeline import Extractor
from rashomon.reconcile import stories as st
from rashomon.reconcile import story_features as sf
from rashomon.reconcile.stories import cluster_stories
from rashomon.records import (
    Article,
    DateRef,
    Event,
    Extraction,
    Geo,
    Place,
    Quantity,
    Story,
)

# One incident (a market bombing in Velmora) told by three outlets in their own words.
BOMBING = [
    ("Bomb tears through Velmora market", ("A bomb hidden in a vegetable cart exploded in the crowded main market "
     "of Velmora on Friday morning, killing nine people and wounding twenty, police said. Shopkeepers in Velmora "
     "said the blast shattered windows across the bazaar and set several stalls on fire.")),
    ("Nine dead in Velmora bazaar blast", ("Nine people were killed when an explosive device planted on a cart went "
     "off in the Velmora bazaar, a provincial police spokesman said. Twenty more were hurt. Witnesses described "
     "stalls burning and glass from shop windows covering the market street in Velmora.")),
    ("Velmora market explosion kills nine", ("An explosion ripped through the busy Velmora market, leaving nine dead "
     "and about twenty wounded, according to the district police chief. Traders said the cart bomb went off "
     "between vegetable stalls as the bazaar filled with shoppers.")),
]
# A different incident in the same days: an ambush on a convoy near Drenholt.
AMBUSH = [
    ("Convoy ambushed near Drenholt", ("Fighters ambushed a supply convoy on the mountain road near Drenholt, "
     "seizing three fuel tankers and abducting two drivers, the transport ministry said. The road to Drenholt "
     "was closed while troops searched the ridges.")),
    ("Drivers abducted in Drenholt road ambush", ("Two truck drivers were abducted and three fuel tankers seized "
     "when armed men attacked a convoy on the Drenholt mountain road, officials said, adding that the highway "
     "remained closed as soldiers combed the ridges.")),
]


def ex(title: str, text: str, source: str, published: str | None) -> Extraction:
    return Extraction(article=Article(source=source, text=text, title=title, published=published))


def groups(stories: list[Story], exs: list[Extraction]) -> set[frozenset[str]]:
    name = {e.article.id: e.article.source for e in exs}
    return {frozenset(name[a] for a in s.article_ids) for s in stories}


def small_corpus() -> list[Extraction]:
    out = [ex(t, x, f"bomb{i}.txt", f"2025-05-0{2 + i % 2}") for i, (t, x) in enumerate(BOMBING)]
    out += [ex(t, x, f"ambush{i}.txt", "2025-05-03") for i, (t, x) in enumerate(AMBUSH)]
    return out


def test_small_corpus_joins_each_incident_across_outlets_and_keeps_them_apart() -> None:
    exs = small_corpus()
    assert groups(cluster_stories(exs), exs) == {
        frozenset({"bomb0.txt", "bomb1.txt", "bomb2.txt"}), frozenset({"ambush0.txt", "ambush1.txt"}),
    }


def test_background_table_ships_and_knows_common_words_from_names() -> None:
    n_docs, table = st.background()
    assert n_docs > 1000 and len(table) > 10_000
    idf = st._Idf([Counter({"killed": 1, "velmora": 1}), Counter({"killed": 1, "velmora": 1})])
    assert idf("killed") < idf("velmora")  # same local counts; only the background tells them apart


def town(name: str, lat: float) -> Place:
    return Place(text=name, name=name, start=0, end=len(name), geo=Geo(lat=lat, lon=70.0, admin1="North", precision="town"))


def on(day: str) -> Event:
    return Event(article_ids=[], event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
                 date=DateRef(text=day, value=day, low=day, high=day, precision="day"))


LOOKALIKE = [
    ("Roadside bomb hits police patrol", ("A roadside bomb struck a police patrol in the northern province, killing "
     "four officers and wounding two, the provincial police said. No group claimed the attack on the patrol.")),
    ("Police patrol targeted by roadside bomb", ("Four police officers died when their patrol vehicle hit a roadside "
     "bomb in the north of the province, police officials said, adding that two were wounded. No group has "
     "claimed responsibility for the bombing.")),
]


def test_lookalike_incidents_in_different_towns_and_weeks_stay_apart() -> None:
    a = ex(*LOOKALIKE[0], "a.txt", "2025-06-02")
    b = ex(*LOOKALIKE[1], "b.txt", "2025-06-09")
    a.places, a.events = [town("Harnok", 34.1)], [on("2025-06-01")]
    b.places, b.events = [town("Sulvar", 35.2)], [on("2025-06-08")]
    assert len(cluster_stories([a, b])) == 2
    b.places, b.events = [town("Harnok", 34.1)], [on("2025-06-01")]  # the same town and day: one incident
    assert len(cluster_stories([a, b])) == 1


def test_a_late_follow_up_stating_the_incident_day_joins_its_story() -> None:
    a = ex(*LOOKALIKE[0], "a.txt", "2025-06-02")
    b = ex(*LOOKALIKE[1], "b.txt", "2025-07-21")  # seven weeks later: outside the time window
    a.events = [on("2025-06-01")]
    b.events = [Event(article_ids=[], event_type=None, sub_event_type=None, date=DateRef.published("2025-07-21"))]
    assert len(cluster_stories([a, b])) == 2  # only its publication date: no reason to reach back
    b.events = [on("2025-06-01")]  # the follow-up states the incident's day
    assert len(cluster_stories([a, b])) == 1


def test_an_article_close_to_two_stories_links_them_without_merging() -> None:
    follow = ex("Velmora buries market blast victims as police hunt cart bomber",
                "Hundreds of mourners gathered in Velmora on Monday to bury the nine people killed in last week's market "
                "bombing. Police said they had detained two men over the cart bomb. Separately, the transport ministry "
                "said the Drenholt mountain road had reopened after the convoy ambush and that the two abducted drivers "
                "were still missing.", "follow.txt", "2025-05-06")
    exs = [*small_corpus(), follow]
    stories = cluster_stories(exs)
    assert len(stories) == 2
    bombing = next(s for s in stories if follow.article.id in s.article_ids)
    ambush = next(s for s in stories if s is not bombing)
    assert bombing.related_story_ids == [ambush.id] and ambush.related_story_ids == [bombing.id]
    assert all(s.related_story_ids == [] for s in cluster_stories(small_corpus()))


def test_story_id_comes_from_the_founding_article() -> None:
    exs = small_corpus()
    first = min((e for e in exs if e.article.source.startswith("bomb")), key=lambda e: (e.article.published, e.article.id))
    bombing = next(s for s in cluster_stories(exs) if first.article.id in s.article_ids)
    assert bombing.id == st.stable_id("sty", first.article.id)


def test_new_articles_join_existing_stories_without_moving_old_ones() -> None:
    exs = small_corpus()
    old, new = [e for e in exs if e.article.source != "bomb2.txt"], [e for e in exs if e.article.source == "bomb2.txt"]
    before = cluster_stories(old)
    # A wrongly merged stored story must stay as stored: incremental runs never re-cluster it.
    frozen = [Story(article_ids=[a for s in before for a in s.article_ids], title="stored", id="sty_user_bookmark")]
    after = cluster_stories(old + new, existing=frozen)
    assert [s.id for s in after] == ["sty_user_bookmark"]
    assert after[0].article_ids[: len(frozen[0].article_ids)] == frozen[0].article_ids
    assert new[0].article.id in after[0].article_ids and after[0].title == "stored"


def test_clustering_in_two_halves_keeps_old_stories_and_matches_one_run() -> None:
    exs = small_corpus()
    half = cluster_stories(exs[:3] + exs[3:4])
    both = cluster_stories(exs, existing=half)
    for old in half:
        again = next(s for s in both if s.id == old.id)
        assert again.article_ids[: len(old.article_ids)] == old.article_ids
    assert groups(both, exs) == groups(cluster_stories(exs), exs)


def comparisons_per_article(n: int) -> float:
    vocab = [f"zarvek{c}" for c in "abcdefghijklmnopqrst"]  # every article's salient terms come from 20 words
    exs = [ex(f"Report {i}", " ".join(random.Random(i).sample(vocab, 12)), f"r{i}.txt", "2025-01-05") for i in range(n)]
    stats: Counter[str] = Counter()
    stories = cluster_stories(exs, threshold=1.01, stats=stats)  # nothing joins: every article founds a story
    assert len(stories) == n
    return stats["comparisons"] / n


def test_comparisons_per_article_do_not_grow_with_the_corpus() -> None:
    small, large = comparisons_per_article(300), comparisons_per_article(1200)
    assert 0 < large <= 1.2 * small  # all pairs would make it four times as many


def test_analyzing_a_folder_in_two_runs_never_moves_old_articles(tmp_path: Path) -> None:
    from rashomon.analyze import analyze
    from rashomon.config import Settings
    from rashomon.store.db import Store

    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for i, (title, text) in enumerate(BOMBING + AMBUSH):
        folder = first if i in (0, 3) else second
        (folder / f"r{i}.txt").write_text(f"Title: {title}\nDate: 2025-05-0{2 + i % 2}\n\n{text}\n", encoding="utf-8")
    settings = Settings(db=str(tmp_path / "r.db"), quiet=True)
    analyze([first], settings)
    with Store(settings.db_url) as store:
        before = {s.id: list(s.article_ids) for s in store.load_reconciled().stories}
    analyze([first, second], settings)
    with Store(settings.db_url) as store:
        after = {s.id: list(s.article_ids) for s in store.load_reconciled().stories}
    assert len(before) == 2
    for sid, members in before.items():
        assert after[sid][: len(members)] == members
        assert len(after[sid]) > len(members)  # the later reports of each incident joined it


# Two incidents of one week, one group, one province: a video of captured soldiers and an army offensive.
# They share the group, the province, the town and most of the vocabulary; only what each lead announces
# (people taken vs people killed) and the figures' categories tell them apart.
CAPTIVES = [
    ("Rebels release video of captured soldiers in Zelvan", "2025-09-02", (
        "The Zelvan Liberation Front (ZLF) released a video on Tuesday that it said showed eight soldiers captured "
        "during an ambush on an army convoy near Brissa in Zelvan province, while the army said none of its soldiers "
        "were missing. In the video, the captives sit against a wall and appeal to the government to meet the "
        "group's demands. The ZLF, which has fought the army in Zelvan province for a decade, said the men were "
        "being held in a safe place. The army spokesman called the video propaganda.")),
    ("Army dismisses ZLF hostage video as fake", "2025-09-03", (
        "The army on Wednesday dismissed as fake a video released by the Zelvan Liberation Front that purports to "
        "show eight captive soldiers, saying all of its troops in Zelvan province were accounted for. The ZLF said "
        "its fighters had seized the soldiers in an ambush near Brissa and would hold them until the government "
        "freed its imprisoned members. The army spokesman said the hostages in the video were actors.")),
]
OFFENSIVE = [
    ("Army says 35 ZLF militants killed in Zelvan offensive", "2025-09-02", (
        "The army said on Tuesday it had killed 35 militants of the Zelvan Liberation Front (ZLF) in raids and air "
        "strikes on hideouts in Zelvan province, the heaviest toll since it launched an offensive against the group "
        "last week. Three soldiers were also killed in the fighting near Brissa, the army spokesman said. The ZLF, "
        "which has fought the army in Zelvan province for a decade, said the army was killing civilians.")),
    ("Death toll rises in Zelvan offensive as army presses on", "2025-09-03", (
        "The army said on Wednesday that 52 militants of the Zelvan Liberation Front had been killed since its "
        "offensive in Zelvan province began, after air strikes destroyed more hideouts near Brissa. The army "
        "spokesman said three soldiers had died in the clashes. The ZLF said its fighters had killed dozens of "
        "soldiers and called the army's toll propaganda.")),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def extracted(extractor: Extractor, reports: list[tuple[str, str, str]], prefix: str) -> list[Extraction]:
    arts = [Article(source=f"{prefix}{i}.txt", text=text, title=title, published=day) for i, (title, day, text) in enumerate(reports)]
    return list(extractor.extract(arts))


def test_captives_video_and_offensive_by_one_group_stay_apart(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    exs = extracted(extractor, CAPTIVES, "c") + extracted(extractor, OFFENSIVE, "o")
    assert groups(cluster_stories(exs), exs) == {frozenset({"c0.txt", "c1.txt"}), frozenset({"o0.txt", "o1.txt"})}
    monkeypatch.setattr(sf, "kinds_conflict", lambda *_: False)  # wording alone joins them: the kinds keep them apart
    assert len(cluster_stories(exs)) == 1


def test_one_incident_across_outlets_still_joins_with_extraction(extractor: Extractor) -> None:
    reports = [(t, f"2025-05-0{2 + i % 2}", x) for i, (t, x) in enumerate(BOMBING)]
    exs = extracted(extractor, reports, "bomb") + extracted(extractor, [(t, "2025-05-03", x) for t, x in AMBUSH], "ambush")
    assert groups(cluster_stories(exs), exs) == {
        frozenset({"bomb0.txt", "bomb1.txt", "bomb2.txt"}), frozenset({"ambush0.txt", "ambush1.txt"}),
    }


def figure(category: str, value: float) -> Quantity:
    return Quantity(text=str(value), value=value, low=value, high=value, qualifier="exact", category=category)


def test_incident_kinds_come_from_headline_lead_and_figures() -> None:
    taken = ex("Gunmen abduct 25 bus passengers", "Gunmen stopped two buses and took the passengers hostage.", "t.txt", None)
    taken.quantities = [figure("captured", 25), figure("killed", 1), figure("captured", 25), figure("captured", 3)]
    killed = ex("Nine killed in market blast", "A bomb killed nine people in the market.", "k.txt", None)
    killed.quantities = [figure("killed", 9), figure("injured", 20)]
    opinion = ex("The men in the video deserve better", "There is something shameful about the response.", "o.txt", None)
    assert sf.lead_kinds(taken) == {"capture"} and sf.figure_kinds(taken) == {"capture"}
    assert sf.lead_kinds(killed) == {"harm"} and sf.figure_kinds(killed) == {"harm"}
    assert sf.lead_kinds(opinion) == frozenset() and sf.figure_kinds(opinion) == frozenset()
    story: Counter[str] = Counter()
    sf.tally(story, sf.lead_kinds(killed))
    assert sf.kinds_conflict(sf.lead_kinds(taken), story)
    assert not sf.kinds_conflict(sf.lead_kinds(opinion), story)  # a report that announces no kind fits any story
    sf.tally(story, {"capture"})
    assert not sf.kinds_conflict(sf.lead_kinds(taken), story)  # a story announcing both kinds fits either


def test_a_hostage_killed_is_both_kinds_and_fits_the_kidnapping_story() -> None:
    kidnap = ex("Engineer kidnapped on highway", "Gunmen kidnapped a foreign engineer on the highway.", "a.txt", None)
    death = ex("Kidnapped engineer found dead", "The body of the engineer kidnapped last week was found.", "b.txt", None)
    story: Counter[str] = Counter()
    sf.tally(story, sf.lead_kinds(kidnap))
    assert sf.lead_kinds(death) == {"capture", "harm"} and not sf.kinds_conflict(sf.lead_kinds(death), story)
