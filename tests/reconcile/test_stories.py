"""Story clustering on invented reports: same incident joined, look-alikes apart, incremental, bounded cost."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from rashomon.reconcile import stories as st
from rashomon.reconcile.stories import cluster_stories
from rashomon.records import Article, DateRef, Event, Extraction, Geo, Place, Story

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
