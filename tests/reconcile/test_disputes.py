"""Disputes, propositions and casualty ledgers on invented claims: one test per rule of issue 4."""

from __future__ import annotations

import math

from rashomon.reconcile.disputes import find_disputes
from rashomon.reconcile.incidents import merge_events
from rashomon.reconcile.ledger import summarize
from rashomon.reconcile.propositions import figure_propositions, interval
from rashomon.records import (
    Article,
    Claim,
    DateRef,
    Dispute,
    DisputeSide,
    Event,
    Extraction,
    Fatalities,
    Geo,
    Mention,
    Place,
    Quantity,
    Speaker,
    Story,
)

DAY = DateRef("on 3 March", "2025-03-03", "2025-03-03", "2025-03-03", "day", "point")
WEEK = DateRef("this week", "2025-03-01", "2025-03-01", "2025-03-07", "week", "range")


def q(text: str, value: float, qualifier: str = "exact", category: str = "killed", counted: str | None = "soldiers") -> Quantity:
    low = value if qualifier in ("exact", "at_least") else (value + 1 if qualifier == "more_than" else None)
    high = value if qualifier == "exact" else None
    return Quantity(text=text, value=value, low=low, high=high, qualifier=qualifier, counted=counted, category=category)  # type: ignore[arg-type]


def claim(
    ex: Extraction, speaker: str, content: str, quantities: tuple[Quantity, ...] = (), *, stance: str = "assert",
    act: str = "say", cue: str = "said", dates: tuple[DateRef, ...] = (), entity: str | None = None, at: int = 0,
) -> Claim:
    c = Claim(
        article_id=ex.article.id, speaker=Speaker(text=speaker, name=speaker, kind="organization", entity_id=entity),
        cue=cue, act=act, stance=stance, content=content, quote="indirect", sentence=content,  # type: ignore[arg-type]
        span=(at, at + len(content)), quantities=list(quantities), dates=list(dates),
    )
    ex.claims.append(c)
    return c


def article(source: str, outlet: str, published: str = "2025-03-05") -> Extraction:
    return Extraction(article=Article(source=source, text=f"text of {source}", outlet=outlet, published=published))


def disputes(*exs: Extraction):  # type: ignore[no-untyped-def]
    return find_disputes([Story(article_ids=[e.article.id for e in exs], title="t")], list(exs))


def test_six_against_at_least_seven_is_a_numeric_dispute_between_parties() -> None:
    a, b = article("a.txt", "Wire One"), article("b.txt", "Paper Two")
    six = claim(a, "Army", "six soldiers were captured in the ambush", (q("six", 6, category="captured"),))
    seven = claim(b, "Front", "at least seven soldiers were captured in the ambush", (q("at least seven", 7, "at_least", "captured"),))
    [d] = disputes(a, b)
    assert d.kind == "numeric"
    assert d.proposition == "number of security forces captured in the incident itself (no date or period given)"
    assert [s.claim_ids for s in d.sides] == [[six.id], [seven.id]]
    assert {o for s in d.sides for o in s.outlets} == {"Wire One", "Paper Two"}
    assert "cannot overlap" in d.explanation and "\u201cat least seven\u201d" in d.explanation


def test_over_30_and_25_conflict_but_at_least_25_and_30_do_not() -> None:
    assert interval(q("over 30", 30, "more_than")) == (31, math.inf)
    a, b = article("a.txt", "One"), article("b.txt", "Two")
    claim(a, "Police", "gunmen abducted over 30 passengers", (q("over 30", 30, "more_than", "captured", "passengers"),))
    claim(b, "Officials", "gunmen abducted 25 passengers", (q("25", 25, category="captured", counted="passengers"),))
    assert [d.kind for d in disputes(a, b)] == ["numeric"]
    c = article("c.txt", "Three")
    claim(c, "Officials", "gunmen abducted at least 25 passengers", (q("at least 25", 25, "at_least", "captured", "passengers"),))
    assert disputes(a, c) == []


def test_a_day_and_a_week_are_different_scopes_and_the_explanation_says_so() -> None:
    a, b = article("a.txt", "One"), article("b.txt", "Two")
    claim(a, "Army", "it killed at least 40 militants on 3 March", (q("at least 40", 40, "at_least", counted="militants"),), dates=(DAY,))
    claim(b, "Army", "130 militants were killed this week", (q("130", 130, counted="militants"),), dates=(WEEK,))
    assert disputes(a, b) == []
    props = {p.scope.kind: p for p in figure_propositions([*a.claims, *b.claims])}
    assert set(props) == {"day", "period"}
    assert props["period"].set_aside[0][1] == "a different scope (on 3 March 2025)"
    # a real disagreement about the week names the one-day toll as not disputed, and why
    claim(b, "Front", "only 12 of its fighters were killed this week", (q("12", 12, counted="fighters"),), dates=(WEEK,), at=200)
    [d] = disputes(a, b)
    assert d.kind == "numeric" and d.proposition == "number of militants killed over the week"
    assert "\u201cat least 40\u201d counts a different scope (on 3 March 2025)" in d.explanation


def test_killed_is_never_set_against_killed_or_injured() -> None:
    a, b = article("a.txt", "One"), article("b.txt", "Two")
    claim(a, "Police", "12 people were killed in the blast", (q("12", 12, counted="people"),))
    claim(b, "Hospital", "30 people were killed or injured in the blast", (q("30", 30, counted="people"),))
    assert disputes(a, b) == []
    [killed] = [p for p in figure_propositions([*a.claims, *b.claims]) if p.category == "killed"]
    assert killed.set_aside[0][1] == "a different count (killed or injured)"


def test_group_asserts_and_army_denies_without_a_figure_is_a_denial() -> None:
    a, b = article("a.txt", "One"), article("b.txt", "Two")
    held = claim(a, "Front", "its fighters captured seven soldiers near the pass", (q("seven", 7, category="captured"),))
    none = claim(b, "Army", "none of its soldiers had been captured", stance="deny")
    govt = claim(b, "Information Minister", "the video is fake and all our men are accounted for", at=300)
    unrelated = claim(b, "Farmer", "nobody from the government helped the villagers", stance="deny", at=600)
    [d] = [d for d in disputes(a, b) if d.kind != "numeric"]
    assert d.kind == "denial" and d.proposition.startswith("security forces captured")
    sides = {s.stance: set(s.claim_ids) for s in d.sides}
    assert sides["assert"] == {held.id}
    assert sides["deny"] == {none.id, govt.id} and unrelated.id not in sides["deny"]


def test_an_accusation_and_the_accused_rejection_is_a_rebuttal() -> None:
    a, b = article("a.txt", "One"), article("b.txt", "Two")
    acc = claim(a, "Interior Minister", "Eastland of backing the gunmen who attacked the convoy", act="accuse", cue="accused")
    claim(a, "Mayor", "the market will reopen on Monday", at=400)
    rej = claim(b, "Eastland foreign ministry", "the allegations as baseless", stance="deny", act="reject", cue="rejected", at=50)
    claim(b, "Interior Minister", "Eastland of backing the gunmen", act="accuse", cue="accused", at=0)
    [d] = disputes(a, b)
    assert d.kind == "rebuttal"
    assert d.proposition.startswith("Interior Minister accused Eastland of backing the gunmen")
    sides = {s.stance: set(s.claim_ids) for s in d.sides}
    assert acc.id in sides["assert"] and sides["deny"] == {rej.id}


def test_a_denial_of_involvement_answers_claims_naming_the_denier() -> None:
    a = article("a.txt", "One")
    a.mentions = [Mention("Northern Front", 0, 14, "armed_group", entity_id="ent_front"), Mention("NF", 20, 22, "armed_group", entity_id="ent_front")]
    blame = claim(a, "Police", "the NF was behind the kidnapping", entity="ent_police")
    claim(a, "Police", "the road was closed to traffic", entity="ent_police", at=100)
    deny = claim(a, "Northern Front", "any role in the kidnapping", stance="deny", act="deny", cue="denied", entity="ent_front", at=300)
    [d] = disputes(a)
    assert d.kind == "denial"
    assert {s.stance: s.claim_ids for s in d.sides} == {"assert": [blame.id], "deny": [deny.id]}


def test_one_claimant_reported_differently_by_two_outlets_is_an_outlet_dispute() -> None:
    a, b = article("a.txt", "Wire One"), article("b.txt", "Paper Two")
    claim(a, "Front", "it holds six soldiers", (q("six", 6, category="captured"),), entity="ent_front")
    claim(b, "Front", "it holds at least seven soldiers", (q("at least seven", 7, "at_least", "captured"),), entity="ent_front")
    [d] = disputes(a, b)
    assert d.kind == "outlet_numeric"
    assert "same claimant" in d.explanation
    assert [s.outlets for s in d.sides] == [["Wire One"], ["Paper Two"]]


def test_syndicated_copy_is_one_report_not_a_second_side() -> None:
    a, b = article("a.txt", "Wire One"), article("b.txt", "Reprint")
    b.article.duplicate_of = a.article.id
    claim(a, "Front", "it holds six soldiers", (q("six", 6, category="captured"),))
    claim(b, "Front", "it holds six soldiers", (q("six", 6, category="captured"),))
    assert disputes(a, b) == []


def test_ledger_keeps_every_figure_with_claimant_outlet_date_and_rules() -> None:
    a, b = article("a.txt", "Wire One", "2025-03-04"), article("b.txt", "Paper Two", "2025-03-06")
    army = claim(a, "Army", "at least 40 militants were killed", (q("at least 40", 40, "at_least", counted="militants"),))
    front = claim(b, "Front", "only 11 of its fighters were killed", (q("11", 11, counted="fighters"),))
    soldiers = claim(b, "Front", "it killed 9 soldiers", (q("9", 9),), at=100)
    events = [
        Event([a.article.id], "Battles", "Armed clash", fatalities=Fatalities(40, 40, None, [army.id]), sentences=[(0, 1)]),
        Event([b.article.id], "Battles", "Armed clash", fatalities=Fatalities(11, 11, 11, [front.id, soldiers.id]), sentences=[(0, 2)]),
    ]
    by_id = {e.article.id: e for e in (a, b)}
    [incident] = merge_events(Story(article_ids=list(by_id), title="t"), events, by_id)
    # militants: low 11, best 11 (median_low of 11 and 40), high 40; soldiers 9 each: summed over sides
    assert (incident.fatalities.low, incident.fatalities.best, incident.fatalities.high) == (20, 20, 49)
    notes = incident.notes or ""
    assert "at least 40 militants (Army, Wire One, 2025-03-04" in notes and "11 militants (Front, Paper Two, 2025-03-06" in notes
    assert "ACLED 20" in notes and "ACLED = the lowest figure reported" in notes and "best = the median" in notes


def test_summarize_of_nothing_is_unknown_not_zero() -> None:
    fat, note = summarize([])
    assert (fat.low, fat.best, fat.high, note) == (None, None, None, None)


def test_gold_story_scoring_names_misses_false_alarms_and_joined_non_disputes() -> None:
    from rashomon.evaluation import GoldScorer, gold_stories
    from rashomon.records import Reconciled

    text_a = "The Front said it holds six soldiers. The army said 40 militants were killed on Monday."
    text_b = "The Front said it holds at least seven soldiers. The army said 130 militants were killed this week."
    a, b = (Extraction(article=Article(source=s, text=t, outlet=o)) for s, t, o in (("a.txt", text_a, "One"), ("b.txt", text_b, "Two")))
    six = claim(a, "Front", "it holds six soldiers", (q("six", 6, category="captured"),), entity="ent_front", at=0)
    seven = claim(b, "Front", "it holds at least seven soldiers", (q("at least seven", 7, "at_least", "captured"),), entity="ent_front", at=0)
    forty = claim(a, "Army", "40 militants were killed on Monday", (q("40", 40, counted="militants"),), at=text_a.index("40"))
    week = claim(b, "Army", "130 militants were killed this week", (q("130", 130, counted="militants"),), at=text_b.index("130"))
    for c, text in ((six, text_a), (seven, text_b), (forty, text_a), (week, text_b)):
        c.span = (text.index(c.content), text.index(c.content) + len(c.content))
    gold = {
        "stories": [{"id": "S1", "docs": ["a.txt", "b.txt"]}],
        "disputes": [
            {"story": "S1", "kind": "outlet_numeric", "proposition": "captives",
             "anchors": [{"doc": "a.txt", "anchor": "six soldiers"}, {"doc": "b.txt", "anchor": "seven soldiers"}]},
            {"story": "S1", "kind": "denial", "proposition": "never found", "anchors": [{"doc": "a.txt", "anchor": "The army said"}]},
        ],
        "non_disputes": [{"story": "S1", "proposition": "day vs week",
                          "anchors": [{"doc": "a.txt", "anchor": "40 militants"}, {"doc": "b.txt", "anchor": "130 militants"}]}],
    }
    assert [s.article_ids for s in gold_stories(gold, [a, b])] == [[a.article.id, b.article.id]]
    check = GoldScorer(gold, [a, b], Reconciled()).disputes_with_gold_stories()
    assert (check.score.tp_pred, check.score.n_pred, check.score.tp_gold, check.score.n_gold) == (1, 1, 1, 2)
    assert check.misses == ["S1 denial: never found (0 anchor claims found)"] and check.violations == []
    joined = Dispute(story_id="x", kind="numeric", proposition="p", explanation="e",
                     sides=[DisputeSide([forty.id], "assert", 40, [], []), DisputeSide([week.id], "assert", 130, [], [])])
    bad = GoldScorer(gold, [a, b], Reconciled()).dispute_check([joined])
    assert bad.violations and bad.false_alarms == ["numeric: p | e"]


def test_parts_single_victims_vague_counts_and_outlet_narrative_are_not_disputes() -> None:
    a, b = article("a.txt", "One"), article("b.txt", "Two")
    claim(a, "Police", "six people were killed in the shooting", (q("six", 6, counted="people"),))
    claim(b, "Police", "two of them were killed outside the house", (q("two", 2, counted=None),), entity="ent_pd")
    claim(b, "Witness", "two women were also killed near the shop", (q("two", 2, counted="women"),), at=100)
    claim(b, "Sheriff", "one man was killed in the car", (q("one", 1, counted="man"),), at=200)
    claim(b, "Senator", "guns killed tens of thousands of people", (q("tens of thousands", 10000, "at_least", counted="people"),), at=250)
    outlet = Claim(article_id=b.article.id, speaker=Speaker(text=None, name=None, kind="outlet"), cue=None, act="report",
                   stance="assert", content="Three people were killed.", quote="none", sentence="Three people were killed.",
                   span=(300, 325), quantities=[q("Three", 3, counted="people")])
    b.claims.append(outlet)
    assert disputes(a, b) == []
    # the same sources giving a whole toll that cannot be six is a dispute
    claim(b, "Coroner", "nine people were killed in the shooting", (q("nine", 9, counted="people"),), at=400)
    assert [d.kind for d in disputes(a, b)] == ["numeric"]


def test_a_wiki_citation_mark_is_not_a_figure() -> None:
    a, b = article("a.txt", "One"), article("b.txt", "Two")
    claim(a, "Police", "the gunman killed six people", (q("six", 6, counted="people"),))
    c = claim(b, "Therapist", "he had killed six people.[37]", (q("37", 37, counted=None),))
    c.sentence = "They learned that he had killed six people.[37]"
    assert disputes(a, b) == []


# --- where each article of the story stands on the disputed claim (stance detector wired in) -----

LIBRARY = ("The city council approved a new budget for public libraries on Monday, adding funds for longer "
           "opening hours and a children's reading programme, which drew record crowds this spring.")


def _texted(source: str, outlet: str, text: str) -> Extraction:
    return Extraction(article=Article(source=source, text=text, outlet=outlet, published="2025-03-05"))


def _denial_story() -> tuple[list[Extraction], Claim]:
    a = _texted("a.txt", "Wire One", "The Front said its fighters captured seven soldiers near the pass on Sunday.")
    b = _texted("b.txt", "Paper Two", "The army said none of its soldiers had been captured and called the video fake.")
    c = _texted("c.txt", "Paper Three", "The Front said it captured seven soldiers; the army said none had been captured.")
    d = _texted("d.txt", "Paper Four", LIBRARY)
    held = claim(a, "Front", "its fighters captured seven soldiers near the pass", (q("seven", 7, category="captured"),))
    claim(b, "Army", "none of its soldiers had been captured", stance="deny")
    claim(c, "Front", "it captured seven soldiers near the pass", (q("seven", 7, category="captured"),))
    claim(c, "Army", "none of its soldiers had been captured", stance="deny", at=60)
    return [a, b, c, d], held


def test_every_article_of_the_story_gets_its_stance_on_the_disputed_claim() -> None:
    exs, _ = _denial_story()
    [d] = [d for d in disputes(*exs) if d.kind == "denial"]
    by_outlet = {s.outlet: s for s in d.stances}
    assert [s.article_id for s in d.stances] == [ex.article.id for ex in exs]
    assert by_outlet["Wire One"].stance in ("supports", "reports") and by_outlet["Wire One"].sides == [0]
    assert (by_outlet["Paper Two"].stance, by_outlet["Paper Two"].sides, by_outlet["Paper Two"].basis) == ("denies", [1], "claims")
    assert (by_outlet["Paper Three"].stance, by_outlet["Paper Three"].sides) == ("reports", [0, 1])
    four = by_outlet["Paper Four"]
    assert (four.stance, four.basis, four.sides) == ("unrelated", "model", []) and four.confidence is not None
    assert "Of the story's 4 articles" in d.explanation
    assert "1 carries only the denial (Paper Two)" in d.explanation
    assert "1 carries the claim and the denial (Paper Three)" in d.explanation
    assert "1 is about something else" in d.explanation


def test_numeric_dispute_stances_name_the_figure_each_article_gives() -> None:
    a = _texted("a.txt", "Wire One", "The army said six soldiers were captured in the ambush.")
    b = _texted("b.txt", "Paper Two", "The Front said at least seven soldiers were captured in the ambush.")
    c = _texted("c.txt", "Paper Three", LIBRARY)
    claim(a, "Army", "six soldiers were captured in the ambush", (q("six", 6, category="captured"),))
    claim(b, "Front", "at least seven soldiers were captured in the ambush", (q("at least seven", 7, "at_least", "captured"),))
    [d] = disputes(a, b, c)
    assert [(s.outlet, s.sides, s.stance) for s in d.stances] == [
        ("Wire One", [0], "reports"), ("Paper Two", [1], "reports"), ("Paper Three", [], "unrelated")]
    assert "1 gives 6 (Wire One)" in d.explanation and "1 gives 7 or more (Paper Two)" in d.explanation


def test_a_syndicated_copy_gets_no_stance_of_its_own() -> None:
    exs, _ = _denial_story()
    copy = _texted("e.txt", "Reprint", exs[1].article.text)
    copy.article.duplicate_of = exs[1].article.id
    [d] = [d for d in disputes(*exs, copy) if d.kind == "denial"]
    assert copy.article.id not in {s.article_id for s in d.stances} and len(d.stances) == 4


def test_stances_take_one_batched_pass_per_story(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rashomon.reconcile.stance import StanceDetector

    calls: list[int] = []
    real = StanceDetector.probabilities_batch

    def counting(self, pairs):  # type: ignore[no-untyped-def]
        calls.append(len(pairs))
        return real(self, pairs)

    monkeypatch.setattr(StanceDetector, "probabilities_batch", counting)
    exs, _ = _denial_story()
    found = disputes(*exs)
    assert calls == [len(found) * len(exs)]


def test_dispute_stances_survive_the_store_and_validate_against_the_export_schema(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rashomon.export.contract import build_records
    from rashomon.export.validate import validate_record
    from rashomon.records import Reconciled
    from rashomon.store.db import Store

    exs, _ = _denial_story()
    found = disputes(*exs)
    store = Store(f"sqlite:///{tmp_path / 'd.db'}")
    store.add_extractions(exs)
    store.save_reconciled(Reconciled(disputes=found), exs)
    back = store.load_reconciled().disputes
    store.close()
    assert back == found and back[0].stances
    records = build_records(exs, Reconciled(disputes=back))["disputes"]
    for record in records:
        validate_record("disputes", record)
    assert {s["stance"] for r in records for s in r["stances"]} >= {"denies", "unrelated"}


def test_migration_0004_gives_old_disputes_no_stances(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from rashomon.store import db as store_db

    cfg = Config(str(store_db.ALEMBIC_INI))
    cfg.set_main_option("script_location", str(store_db.MIGRATIONS))
    before = ScriptDirectory.from_config(cfg).get_revision("0004").down_revision
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, str(before))
        conn.exec_driver_sql("INSERT INTO disputes (id, seq, story_id, kind, proposition, sides, explanation) "
                             "VALUES ('dsp_old', 0, 'sto_x', 'denial', 'p', '[]', 'e')")
        command.upgrade(cfg, "head")
    engine.dispose()
    with sqlite3.connect(tmp_path / "old.db") as conn:
        assert conn.execute("SELECT stances FROM disputes WHERE id = 'dsp_old'").fetchone() == ("[]",)


# --- figures and denials keyed to the story's incident, never to one retold from another ---------

ABDUCTION = ("Violence against civilians", "Abduction/forced disappearance")


def _told(source: str, published: str, *paragraphs: str) -> Extraction:
    """An article whose every paragraph is one sentence, each with its span."""
    text = "\n\n".join(paragraphs)
    ex = Extraction(article=Article(source=source, text=text, outlet=f"Outlet {source}", published=published))
    at = 0
    for p in paragraphs:
        ex.sentences.append((at, at + len(p)))
        at += len(p) + 2
    return ex


def _town(ex: Extraction, name: str) -> Place:
    at = ex.article.text.index(name)
    place = Place(name, name, at, at + len(name), geo=Geo(precision="town"))
    ex.places.append(place)
    return place


def _happened(ex: Extraction, i: int, kind: tuple[str, str], day: DateRef | None = None, town: str | None = None,
              killed: int | None = None) -> Event:
    ev = Event([ex.article.id], kind[0], kind[1], date=day or DateRef.published(ex.article.published),
               location=_town(ex, town) if town else None, fatalities=Fatalities(killed, killed, killed),
               sentences=[ex.sentences[i]])
    ex.events.append(ev)
    return ev


def _said(ex: Extraction, speaker: str, content: str, *figures: Quantity, stance: str = "assert") -> Claim:
    return claim(ex, speaker, content, figures, stance=stance, at=ex.article.text.index(content))


def test_tolls_of_two_incidents_of_one_story_are_not_set_against_each_other() -> None:
    def story(second_day: str, second_town: str) -> list[Dispute]:
        a = _told("a.txt", "2025-03-03", "Police said 5 people were killed in Rivertown on Monday.")
        _happened(a, 0, ("Violence against civilians", "Attack"), DAY, "Rivertown")
        _said(a, "Police", "5 people were killed in Rivertown on Monday", q("5", 5, counted="people"))
        b = _told("b.txt", second_day, f"Officials said 12 people were killed in {second_town}.")
        _happened(b, 0, ("Violence against civilians", "Attack"), DateRef("", second_day, second_day, second_day, "day", "point"),
                  second_town)
        _said(b, "Officials", f"12 people were killed in {second_town}", q("12", 12, counted="people"))
        return disputes(a, b)

    assert story("2025-03-20", "Hilltown") == []  # two incidents weeks apart: two tolls, no dispute
    [d] = story("2025-03-04", "Rivertown")  # the same incident: the tolls disagree
    assert d.kind == "numeric"


def test_a_toll_retold_from_another_incident_is_no_dispute_of_the_story_but_a_campaign_toll_is() -> None:
    def story(retelling: str) -> list[Dispute]:
        a = _told("a.txt", "2025-04-04", "Gunmen abducted passengers from two buses near Rivertown on Friday.")
        _happened(a, 0, ABDUCTION, DateRef("", "2025-04-04", "2025-04-04", "2025-04-04", "day", "point"), "Rivertown")
        b = _told("b.txt", "2025-04-05", "Police searched the hills around Rivertown for the kidnapped passengers.",
                  f"The group said {retelling} that it had killed over 50 soldiers; the army said it lost nine soldiers {retelling}.")
        _happened(b, 0, ABDUCTION, town="Rivertown")
        _happened(b, 1, ("Battles", "Armed clash"), killed=50)
        _said(b, "Front", f"{retelling} that it had killed over 50 soldiers", q("over 50", 50, "more_than"))
        _said(b, "Army", f"it lost nine soldiers {retelling}", q("nine", 9))
        return disputes(a, b)

    assert story("at the time") == []
    [d] = story("during the operation")  # a campaign's toll spans the story, whichever article tells it
    assert d.kind == "numeric" and "campaign" in d.proposition


def test_a_denial_about_a_village_only_one_article_names_is_not_paired_in_this_story() -> None:
    def story(also_named: bool) -> list[Dispute]:
        a = _told("a.txt", "2025-04-04", "Gunmen abducted 20 passengers near Rivertown on Friday."
                  + (" Stonebridge residents fled." if also_named else ""))
        _happened(a, 0, ABDUCTION, DateRef("", "2025-04-04", "2025-04-04", "2025-04-04", "day", "point"), "Rivertown")
        if also_named:
            _town(a, "Stonebridge")
        b = _told("b.txt", "2025-04-05", "Police searched the hills around Rivertown.",
                  "Its fighters captured seven soldiers near Stonebridge, the group says; none of its soldiers had been "
                  "captured, the army says.")
        _happened(b, 0, ABDUCTION, town="Rivertown")
        _town(b, "Stonebridge")
        _said(b, "Front", "Its fighters captured seven soldiers near Stonebridge", q("seven", 7, category="captured"))
        _said(b, "Army", "none of its soldiers had been captured", stance="deny")
        return [d for d in disputes(a, b) if d.kind == "denial"]

    assert story(also_named=False) == []
    [d] = story(also_named=True)  # a village the story's articles share is the story's own
    assert d.proposition.startswith("security forces captured")
