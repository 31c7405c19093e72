"""The casualty ledger as data (issue 4): every figure with its claimant, outlet and date, UCDP low / best /
high and ACLED's figure with their rules, syndicated copies counted once. Invented figures and wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.reconcile.incidents import merge_events
from rashomon.reconcile.ledger import FIGURE_RULES
from rashomon.records import (
    Article,
    Claim,
    DateRef,
    Event,
    Extraction,
    Fatalities,
    Geo,
    Place,
    Quantity,
    Speaker,
    Story,
)

LEDGER_KEYS = {"category", "value", "low", "high", "qualifier", "counted", "claimant", "outlet", "article_id",
               "claim_id", "date", "scope", "note"}
WEEK = DateRef("this week", "2031-05-01", "2031-05-01", "2031-05-07", "week", "range")


def _article(name: str, outlet: str, text: str, published: str = "2031-05-03") -> Extraction:
    return Extraction(article=Article(source=f"{name}.txt", text=text, outlet=outlet, published=published),
                      sentences=[(0, len(text))])


def _figure(ex: Extraction, phrase: str, value: float, qualifier: str = "exact", category: str = "killed") -> Quantity:
    """A figure at its place in the article text (the first occurrence of ``phrase``)."""
    at = ex.article.text.index(phrase)
    number, _, counted = phrase.rpartition(" ")
    low = {"more_than": value + 1, "approx": None}.get(qualifier, value)
    high = value if qualifier == "exact" else None
    q = Quantity(text=number, value=value, low=low, high=high, qualifier=qualifier,  # type: ignore[arg-type]
                 counted=counted, start=at, end=at + len(number), category=category)
    ex.quantities.append(q)
    return q


def _claim(ex: Extraction, speaker: str, qs: list[Quantity], dates: tuple[DateRef, ...] = ()) -> Claim:
    """A claim over the whole (one-sentence) article, by ``speaker``, holding ``qs``."""
    text = ex.article.text
    c = Claim(article_id=ex.article.id, speaker=Speaker(text=speaker, name=speaker, kind="organization"), cue="said",
              act="say", stance="assert", content=text, quote="indirect", sentence=text, span=(0, len(text)),
              quantities=list(qs), dates=list(dates))
    ex.claims.append(c)
    return c


def _event(ex: Extraction) -> Event:
    ev = Event([ex.article.id], "Battles", "Armed clash", sentences=[(0, len(ex.article.text))])
    ex.events.append(ev)
    return ev


def _incident(*exs: Extraction) -> Event:
    by_id = {ex.article.id: ex for ex in exs}
    events = [ev for ex in exs for ev in ex.events]
    [incident] = merge_events(Story(article_ids=list(by_id), title="t"), events, by_id)
    return incident


def test_low_best_high_and_acled_with_their_rules() -> None:
    a = _article("a", "Wire One", "The army said at least 40 militants were killed in the raid.")
    b = _article("b", "Paper Two", "Officials said about 30 militants were killed in the raid.", "2031-05-04")
    c = _article("c", "Radio Three", "A commander said 35 militants were killed in the raid.", "2031-05-05")
    _claim(a, "Army", [_figure(a, "40 militants", 40, "at_least")])
    _claim(b, "Officials", [_figure(b, "30 militants", 30, "approx")])
    _claim(c, "Commander", [_figure(c, "35 militants", 35)])
    for ex in (a, b, c):
        _event(ex)
    inc = _incident(a, b, c)
    # low: "about 30" admits 27; best: median of 40, 30, 35; high: "at least 40" counts as 40; ACLED: 30
    assert (inc.fatalities.low, inc.fatalities.best, inc.fatalities.high) == (27, 35, 40)
    assert inc.acled == {"killed": 30}
    assert inc.figure_rules == FIGURE_RULES
    assert {"low", "best", "high", "acled"} <= set(inc.figure_rules)
    assert "UCDP best" in inc.figure_rules["best"] and "ACLED" in inc.figure_rules["acled"]
    assert len(inc.fatalities.claim_ids) == 3 and len(inc.ledger) == 3
    assert "40 militants (Army, Wire One, 2031-05-03" in (inc.notes or "") and "ACLED 30" in (inc.notes or "")


def test_entries_carry_claimant_outlet_date_and_every_key() -> None:
    a = _article("a", "Wire One", "The army said at least 40 militants were killed in the raid.")
    claim = _claim(a, "Army", [_figure(a, "40 militants", 40, "at_least")])
    _event(a)
    [entry] = _incident(a).ledger
    assert LEDGER_KEYS <= set(entry)
    assert entry["category"] == "killed" and entry["value"] == 40 and entry["low"] == 40 and entry["high"] is None
    assert entry["qualifier"] == "at_least" and entry["counted"] == "militants"
    assert (entry["claimant"], entry["outlet"], entry["date"]) == ("Army", "Wire One", "2031-05-03")
    assert (entry["article_id"], entry["claim_id"], entry["note"]) == (a.article.id, claim.id, None)


def test_injured_and_captured_get_the_same_summaries() -> None:
    a = _article("a", "Wire One", "Police said 12 people were wounded and six soldiers abducted.")
    b = _article("b", "Paper Two", "Police said 20 people were wounded and eight soldiers abducted.")
    for ex, hurt, taken in ((a, 12, 6), (b, 20, 8)):
        _claim(ex, "Police", [_figure(ex, f"{hurt} people", hurt, category="injured"),
                              _figure(ex, f"{'six' if taken == 6 else 'eight'} soldiers", taken, category="captured")])
        _event(ex)
    inc = _incident(a, b)
    assert (inc.injured.low, inc.injured.best, inc.injured.high) == (12, 12, 20)
    assert (inc.captured.low, inc.captured.best, inc.captured.high) == (6, 6, 8)
    assert inc.acled == {"injured": 12, "captured": 6}
    assert inc.fatalities.best is None and "killed" not in inc.acled
    assert sorted(e["category"] for e in inc.ledger) == ["captured", "captured", "injured", "injured"]


def test_a_figure_in_the_outlets_own_narrative_is_claimed_by_the_outlet() -> None:
    a = _article("a", "Wire One", "Three soldiers were killed near the border post.")
    _figure(a, "Three soldiers", 3)
    _event(a)
    [entry] = _incident(a).ledger
    assert (entry["claimant"], entry["claim_id"], entry["outlet"]) == ("outlet", None, "Wire One")


@pytest.mark.parametrize("flag_duplicate", [True, False])
def test_a_syndicated_copy_is_listed_but_counted_once(flag_duplicate: bool) -> None:
    text = "The ministry said 10 civilians were killed in the shelling."
    a, copy = _article("a", "Wire One", text), _article("copy", "Reprint", text)
    c = _article("c", "Paper Two", "The group said 20 civilians were killed in the shelling.")
    d = _article("d", "Radio Three", "Medics said 30 civilians were killed in the shelling.")
    if flag_duplicate:
        copy.article.duplicate_of = a.article.id  # dedup found it; else the same sentence and figure tell
    for ex, speaker, n in ((a, "Ministry", 10), (copy, "Ministry", 10), (c, "Group", 20), (d, "Medics", 30)):
        _claim(ex, speaker, [_figure(ex, f"{n} civilians", n)])
        _event(ex)
    inc = _incident(a, copy, c, d)
    assert len(inc.ledger) == 4
    [copied] = [e for e in inc.ledger if e["article_id"] == copy.article.id]
    assert "syndicated copy of " + a.article.id in copied["note"] and copied["in_summary"] is False
    assert inc.fatalities.best == 20  # median of 10, 20, 30; counting the copy would give 10
    assert inc.acled == {"killed": 10}


def test_figures_for_another_period_and_parts_are_listed_not_counted() -> None:
    a = _article("a", "Wire One", "The army said 130 militants were killed this week.")
    b = _article("b", "Paper Two", "The army said 40 militants were killed, among them 4 militants commanders.")
    _claim(a, "Army", [_figure(a, "130 militants", 130)], dates=(WEEK,))
    _claim(b, "Army", [_figure(b, "40 militants", 40), _figure(b, "4 militants", 4)])
    for ex in (a, b):
        _event(ex)
    inc = _incident(a, b)
    notes = {e["value"]: e["note"] for e in inc.ledger}
    assert notes[130].startswith("covers another period") and notes[40] is None
    assert notes[4] == "part of the same source's larger figure (40)"
    assert (inc.fatalities.low, inc.fatalities.best, inc.fatalities.high) == (40, 40, 40)


def test_sides_are_added_and_unnamed_people_join_the_one_side() -> None:
    a = _article("a", "Wire One", "The army said 11 militants and 3 soldiers were killed.")
    b = _article("b", "Paper Two", "The group said 5 men were killed.")
    _claim(a, "Army", [_figure(a, "11 militants", 11), _figure(a, "3 soldiers", 3)])
    _claim(b, "Group", [_figure(b, "5 men", 5)])
    for ex in (a, b):
        _event(ex)
    inc = _incident(a, b)
    assert inc.fatalities.best == 14  # two sides added; "5 men" beside them is no larger total
    assert inc.fatalities.low == 14 and inc.acled == {"killed": 14}
    c = _article("c", "Wire One", "The army said 11 militants were killed.")
    d = _article("d", "Paper Two", "The group said 15 men were killed.")
    _claim(c, "Army", [_figure(c, "11 militants", 11)])
    _claim(d, "Group", [_figure(d, "15 men", 15)])
    for ex in (c, d):
        _event(ex)
    one_side = _incident(c, d)
    assert (one_side.fatalities.low, one_side.fatalities.best, one_side.fatalities.high) == (11, 11, 15)


def test_without_articles_the_figures_come_from_the_events_and_the_ledger_is_empty() -> None:
    events = [Event(["x"], "Battles", "Armed clash", fatalities=Fatalities(4, 4, 4)),
              Event(["y"], "Battles", "Armed clash", fatalities=Fatalities(6, 6, 9))]
    [inc] = merge_events(Story(article_ids=["x", "y"], title="t"), events)
    assert (inc.fatalities.low, inc.fatalities.best, inc.fatalities.high) == (4, 4, 9)
    assert inc.ledger == [] and inc.acled == {"killed": 4}


def test_ledger_survives_the_store_round_trip(tmp_path: Path) -> None:
    from rashomon.records import Reconciled
    from rashomon.store.db import Store

    a = _article("a", "Wire One", "The army said at least 40 militants were killed in the raid.")
    _claim(a, "Army", [_figure(a, "40 militants", 40, "at_least")])
    _event(a)
    inc = _incident(a)
    store = Store(f"sqlite:///{tmp_path / 'l.db'}")
    store.add_extractions([a])
    store.save_reconciled(Reconciled(events=[inc]), [a])
    [back] = store.load_reconciled().events
    store.close()
    assert back.ledger == inc.ledger and back.acled == inc.acled and back.figure_rules == inc.figure_rules
    assert back.ledger[0]["high"] is None and back == inc


def test_migration_0003_gives_old_rows_an_empty_ledger(tmp_path: Path) -> None:
    import sqlite3

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from rashomon.store import db as store_db

    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = Config(str(store_db.ALEMBIC_INI))
    cfg.set_main_option("script_location", str(store_db.MIGRATIONS))
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.exec_driver_sql(
            "INSERT INTO events (id, seq, article_ids, fatalities, injured, captured, claim_ids, sentences) "
            "VALUES ('evt_old', 0, '[]', '{}', '{}', '{}', '[]', '[]')")
        command.upgrade(cfg, "head")
    engine.dispose()
    with sqlite3.connect(tmp_path / "old.db") as conn:
        row = conn.execute("SELECT ledger, acled, figure_rules FROM events WHERE id = 'evt_old'").fetchone()
    assert row == ("[]", "{}", "{}")


def test_incident_takes_the_stated_day_and_a_resolved_place() -> None:
    from rashomon.records import Geo, Place

    published = DateRef("2031-05-04", "2031-05-04", "2031-05-04", "2031-05-04", "day", "published")
    stated = DateRef("on Friday", "2031-05-03", "2031-05-03", "2031-05-03", "day", "point")
    province = Place("Province One", "Province One", 0, 1, geo=Geo(precision="admin1"))
    town = Place("Rivertown", "Rivertown", 0, 1, geo=Geo(precision="town"))
    events = [Event(["x"], "Battles", "Armed clash", date=published, location=province),
              Event(["y"], "Battles", "Armed clash", date=stated)]
    [inc] = merge_events(Story(article_ids=["x", "y"], title="t"), events)
    assert inc.date == stated and inc.location == province
    bare = Place("Rivertown", "Rivertown", 0, 1)  # the same town, unresolved in one article
    events = [Event(["x"], "Battles", "Armed clash", location=bare), Event(["z"], "Battles", "Armed clash", location=town)]
    [inc] = merge_events(Story(article_ids=["x", "z"], title="t"), events)
    assert inc.location == town


# --- one article's events and figures around its main incident ----------------------------------

MONDAY = DateRef("on Monday", "2031-05-01", "2031-05-01", "2031-05-01", "day", "point")
PUBLISHED = DateRef("2031-05-03", "2031-05-03", "2031-05-03", "2031-05-03", "day", "published")


def _story_article(*sentences: str) -> Extraction:
    """An article of several sentences, each with its span."""
    ex = _article("s", "Paper One", " ".join(sentences))
    ex.sentences, at = [], 0
    for s in sentences:
        ex.sentences.append((at, at + len(s)))
        at += len(s) + 1
    return ex


def _dated(ex: Extraction, phrase: str, ref: DateRef) -> DateRef:
    at = ex.article.text.index(phrase)
    d = DateRef(phrase, ref.value, ref.low, ref.high, ref.precision, ref.kind, at, at + len(phrase))
    ex.dates.append(d)
    return d


def _sentence_event(ex: Extraction, i: int, kind: tuple[str, str], date: DateRef, place: str | None = None) -> Event:
    from rashomon.records import Geo, Place

    loc = Place(place, place, 0, 1, geo=Geo(precision="town")) if place else None
    ev = Event([ex.article.id], kind[0], kind[1], date=date, location=loc, sentences=[ex.sentences[i]])
    ex.events.append(ev)
    return ev


def _merged(ex: Extraction) -> list[Event]:
    return merge_events(Story(article_ids=[ex.article.id], title="t"), ex.events, {ex.article.id: ex})


def test_two_events_of_one_article_fold_into_its_main_incident() -> None:
    ex = _story_article("Gunmen attacked a market in Townville on Monday.", "Three people were killed, police said.")
    _figure(ex, "Three people", 3)
    _sentence_event(ex, 0, ("Violence against civilians", "Attack"), _dated(ex, "on Monday", MONDAY), "Townville")
    _sentence_event(ex, 1, ("Battles", "Armed clash"), PUBLISHED)
    [inc] = _merged(ex)
    assert inc.fatalities.best == 3 and inc.date is not None and inc.date.value == "2031-05-01"
    assert inc.location is not None and inc.location.name == "Townville"


def test_figures_outside_event_sentences_join_unless_dated_otherwise() -> None:
    ex = _story_article("Gunmen attacked a market in Townville on Monday.", "Four people were killed and two wounded.",
                        "On 10 March, 12 people were killed in a similar attack.")
    _figure(ex, "Four people", 4)
    _figure(ex, "two wounded", 2, category="injured")
    _figure(ex, "12 people", 12)
    _dated(ex, "On 10 March", DateRef("", "2031-03-10", "2031-03-10", "2031-03-10", "day", "point"))
    _sentence_event(ex, 0, ("Violence against civilians", "Attack"), _dated(ex, "on Monday", MONDAY), "Townville")
    [inc] = _merged(ex)
    assert (inc.fatalities.best, inc.injured.best) == (4, 2)
    assert [r["text"] for r in inc.ledger if r["category"] == "killed"] == ["Four"]


def test_an_article_with_figures_but_no_event_still_reports_an_incident() -> None:
    ex = _story_article("Five people were killed in Townville on Monday.")
    _figure(ex, "Five people", 5)
    _dated(ex, "on Monday", MONDAY)
    [inc] = _merged(ex)
    assert inc.event_type is None and inc.fatalities.best == 5 and inc.date is not None and inc.date.value == "2031-05-01"


def test_a_later_arrest_stays_a_separate_incident() -> None:
    ex = _story_article("Gunmen killed five people in Townville on Monday.", "Police arrested two suspects on Friday.")
    _figure(ex, "five people", 5)
    friday = _dated(ex, "on Friday", DateRef("", "2031-05-05", "2031-05-05", "2031-05-05", "day", "point"))
    _sentence_event(ex, 0, ("Violence against civilians", "Attack"), _dated(ex, "on Monday", MONDAY), "Townville")
    _sentence_event(ex, 1, ("Strategic developments", "Arrests"), friday)
    attack, arrest = sorted(_merged(ex), key=lambda e: e.date.value if e.date and e.date.value else "")
    assert attack.fatalities.best == 5 and attack.sub_event_type == "Attack"
    assert arrest.sub_event_type == "Arrests" and arrest.fatalities.best is None and not arrest.ledger


def test_another_place_in_the_article_stays_apart_and_coordinates_are_no_count() -> None:
    ex = _story_article("Two people were killed in Townville.", "In Hilltown 21 people were wounded.",
                        "The scene lies at 41.454397 -81.764533.")
    _figure(ex, "Two people", 2)
    _figure(ex, "21 people", 21, category="injured")
    _figure(ex, "41.454397 -81.764533", 41.454397, category="injured")
    _sentence_event(ex, 0, ("Violence against civilians", "Attack"), PUBLISHED, "Townville")
    _sentence_event(ex, 1, ("Violence against civilians", "Attack"), PUBLISHED, "Hilltown")
    main = next(e for e in _merged(ex) if e.location is not None and e.location.name == "Townville")
    assert main.fatalities.best == 2 and main.injured.best is None


def test_main_incidents_of_two_articles_merge_whatever_type_they_were_given() -> None:
    a = _story_article("Two people were killed in Townville on Monday.")
    b = _article("b", "Paper Two", "A shootout in Townville left two dead.", "2031-05-02")
    _figure(a, "Two people", 2)
    _figure(b, "two dead", 2)
    _sentence_event(a, 0, ("Violence against civilians", "Attack"), _dated(a, "on Monday", MONDAY), "Townville")
    b.events.append(Event([b.article.id], "Battles", "Armed clash", date=PUBLISHED,
                          location=a.events[0].location, sentences=[(0, len(b.article.text))]))
    [inc] = merge_events(Story(article_ids=[a.article.id, b.article.id], title="t"), a.events + b.events,
                         {a.article.id: a, b.article.id: b})
    assert inc.article_ids == sorted([a.article.id, b.article.id]) and inc.fatalities.best == 2


def test_of_before_a_figure_marks_no_part() -> None:
    from rashomon.reconcile.propositions import is_partial

    ex = _article("p", "Paper One", "Police said the man was accused of shooting five people.")
    q = _figure(ex, "five people", 5)
    assert not is_partial(_claim(ex, "Police", [q]), q)
    ex = _article("q", "Paper One", "Police said four of the victims died.")
    q = _figure(ex, "four of", 4)
    assert is_partial(_claim(ex, "Police", [q]), q)


# --- where and when an incident happened, from what its articles say ----------------------------


def _town(name: str, precision: str = "town", admin2: str | None = None) -> Place:
    return Place(name, name, 0, 1, geo=Geo(admin1="Province One", admin2=admin2, precision=precision))


def test_the_town_the_articles_name_most_beats_one_stray_event_place() -> None:
    ex = _story_article("Gunmen opened fire in Townville on Monday, killing two.", "Townville police said a man from "
                        "Farfield was held.", "Residents of Townville said shots rang out for an hour.")
    _figure(ex, "killing two", 2)
    ev = _sentence_event(ex, 0, ("Violence against civilians", "Attack"), _dated(ex, "on Monday", MONDAY), "Farfield")
    ex.places = [_town("Townville"), _town("Farfield"), _town("Townville"), _town("Townville")]
    [inc] = _merged(ex)
    assert ev.location is not None and ev.location.name == "Farfield"
    assert inc.location is not None and inc.location.name == "Townville"


def test_a_district_gives_way_to_the_town_inside_it_that_the_article_names() -> None:
    ex = _story_article("Militants attacked a checkpoint near the town of Hillbrook in Stone district on Monday.")
    _sentence_event(ex, 0, ("Battles", "Armed clash"), _dated(ex, "on Monday", MONDAY))
    ex.events[0].location = _town("Stone", "admin2", admin2="Stone")
    ex.places = [_town("Stone", "admin2", admin2="Stone"), _town("Hillbrook", admin2="Stone"), _town("Capital City")]
    [inc] = _merged(ex)
    assert inc.location is not None and inc.location.name == "Hillbrook"


def test_a_story_with_no_event_or_figure_reports_one_incident_where_its_articles_say() -> None:
    a = _story_article("A shooting outside a bar in Townville on Monday left residents shaken.")
    _dated(a, "on Monday", MONDAY)
    a.places = [_town("Townville")]
    b = _article("b", "Paper Two", "Townville mourns after the shooting.", "2031-05-02")
    b.places = [_town("Townville")]
    story = Story(article_ids=[a.article.id, b.article.id], title="t")
    [inc] = merge_events(story, [], {a.article.id: a, b.article.id: b})
    assert inc.event_type is None and inc.article_ids == sorted([a.article.id, b.article.id])
    assert inc.date is not None and inc.date.value == MONDAY.value
    assert inc.location is not None and inc.location.name == "Townville"
    assert inc.notes is not None and "no event recognised" in inc.notes
    silent = _article("c", "Paper Three", "An opinion on the state of things.")
    assert merge_events(Story(article_ids=[silent.article.id], title="t"), [], {silent.article.id: silent}) == []


def test_a_copy_whose_original_is_in_another_story_reports_the_incident_and_its_figures_count() -> None:
    original = _article("o", "Wire One", "Three people were killed in a shooting in Townville on Monday.")
    copy = _article("c", "Reprint", original.article.text)
    copy.article.duplicate_of = original.article.id
    _figure(copy, "Three people", 3)
    ev = _sentence_event(copy, 0, ("Violence against civilians", "Attack"), _dated(copy, "on Monday", MONDAY), "Townville")
    story = Story(article_ids=[copy.article.id], title="t")  # the original was clustered elsewhere
    by_id = {original.article.id: original, copy.article.id: copy}
    [inc] = merge_events(story, [], by_id)  # callers leave copies' events out
    assert inc.article_ids == [copy.article.id] and inc.location == ev.location
    assert inc.fatalities.best == 3 and all(r["in_summary"] for r in inc.ledger)
    together = Story(article_ids=[original.article.id, copy.article.id], title="t")
    assert merge_events(together, [], by_id) == []  # beside its original a copy is no report of its own


def test_a_day_after_publication_or_without_a_value_does_not_date_the_incident() -> None:
    ex = _story_article("Gunmen killed two people in Townville on Monday, police said on 20 June.")
    _figure(ex, "two people", 2)
    _dated(ex, "on Monday", MONDAY)
    misread = _dated(ex, "on 20 June", DateRef("", "2031-06-20", "2031-06-20", "2031-06-20", "day", "point"))
    _sentence_event(ex, 0, ("Violence against civilians", "Attack"), misread, "Townville")
    assert ex.article.published is not None and misread.value is not None and misread.value > ex.article.published
    [inc] = _merged(ex)
    assert inc.date is not None and inc.date.value == MONDAY.value
    undated = _article("u", "Paper Two", "Gunmen killed two people in Townville on Monday.", published=None)  # type: ignore[arg-type]
    undated.events.append(Event([undated.article.id], "Battles", "Armed clash", date=DateRef("on Monday", None, None, None, "day")))
    ex.events[0].date = MONDAY
    story = Story(article_ids=[undated.article.id, ex.article.id], title="t")
    [inc] = merge_events(story, [*undated.events, *ex.events], {undated.article.id: undated, ex.article.id: ex})
    assert inc.date is not None and inc.date.value == MONDAY.value


def test_outlets_naming_different_towns_for_the_same_day_give_one_ledger_and_a_retold_toll_stays_out() -> None:
    a = _story_article("Gunmen killed three people at a market in Townville on Monday.")
    _figure(a, "three people", 3)
    _sentence_event(a, 0, ("Violence against civilians", "Attack"), _dated(a, "on Monday", MONDAY), "Townville")
    b = _article("b", "Paper Two", "Four people died when gunmen raided the Farfield market on Monday.\n\n"
                 "At the time of a similar raid 20 people were killed.", "2031-05-02")
    b.sentences = [(0, b.article.text.index("\n")), (b.article.text.index("At"), len(b.article.text))]
    _figure(b, "Four people", 4)
    _figure(b, "20 people", 20)
    _sentence_event(b, 0, ("Violence against civilians", "Attack"), _dated(b, "on Monday", MONDAY), "Farfield")
    _sentence_event(b, 1, ("Violence against civilians", "Attack"), PUBLISHED)
    [inc] = merge_events(Story(article_ids=[a.article.id, b.article.id], title="t"), a.events + b.events,
                         {a.article.id: a, b.article.id: b})
    assert sorted(r["text"] for r in inc.ledger if r["in_summary"]) == ["Four", "three"]
    assert (inc.fatalities.low, inc.fatalities.high) == (3, 4) and "20" not in [r["text"] for r in inc.ledger]
