"""Issue 3 follow-up: extraction gaps the dispute and entity work found, one invented snippet each.

Why a separate file: each test names the gap it closes (a casualty idiom, a count inheriting its
context, a zero-count denial, a figure that counts objects, a pronoun, a typed name, a denied event,
a month range), so a regression points at what a user loses. No snippet comes from the demo corpus.
"""

from __future__ import annotations

import pytest

from rashomon.extract.pipeline import Extractor
from rashomon.records import Article, Claim, Extraction, Quantity


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def run(extractor: Extractor, text: str) -> Extraction:
    article = Article(source="followup", text=text, published="2025-06-12")
    return next(iter(extractor.extract([article])))


def figure(ex: Extraction, text: str) -> Quantity:
    found = [q for q in ex.quantities if text in q.text]
    assert found, [(q.text, q.category) for q in ex.quantities]
    return found[0]


def claim_with(ex: Extraction, words: str) -> Claim:
    found = [c for c in ex.claims if words in c.content]
    assert found, [(c.speaker.text, c.content) for c in ex.claims]
    return found[0]


# ---- 1. casualty idioms ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "figure_text", "category"),
    [
        ("Eleven policemen embraced martyrdom in the clash, the statement said.", "Eleven", "killed"),
        ("The navy lost eleven sailors in the raid on the port.", "eleven", "killed"),
        ("Four guards laid down their lives defending the depot.", "Four", "killed"),
        ("Three villagers succumbed to their injuries in hospital on Friday.", "Three", "killed"),
        ("Five workers sustained injuries when the roof collapsed.", "Five", "injured"),
    ],
)
def test_casualty_idioms(extractor: Extractor, text: str, figure_text: str, category: str) -> None:
    assert figure(run(extractor, text), figure_text).category == category


def test_losing_things_is_no_casualty(extractor: Extractor) -> None:
    ex = run(extractor, "The ruling party lost eleven seats in the vote.")
    assert figure(ex, "eleven").category == "other"


# ---- 2. counts that take their category from the capture context --------------------------------
def test_video_showing_people_who_were_captured(extractor: Extractor) -> None:
    ex = run(extractor, "The group released a clip showing at least eight guards who, it said, were captured last week.")
    assert figure(ex, "at least eight").category == "captured"


def test_count_inherits_capture_from_previous_sentence(extractor: Extractor) -> None:
    ex = run(extractor, "The militants said they had abducted the road crew.\n\nThe footage showed eight guards.")
    assert figure(ex, "eight").category == "captured"
    outlet = [c for c in ex.claims if c.speaker.kind == "outlet" and "footage showed" in c.content]
    assert outlet and [q.category for q in outlet[0].quantities] == ["captured"]


@pytest.mark.parametrize(
    ("text", "figure_text"),
    [
        ("Gunmen seized a convoy and took hostages. They took over 40 in total, a guard said.", "over 40"),
        ("The number of pilgrims abducted is unclear. Officials put it at between 15 and 22.", "between 15 and 22"),
    ],
)
def test_bare_counts_in_hostage_context(extractor: Extractor, text: str, figure_text: str) -> None:
    assert figure(run(extractor, text), figure_text).category == "captured"


def test_count_without_casualty_context_stays_other(extractor: Extractor) -> None:
    ex = run(extractor, "The ministry opened a new school. The photo showed eight teachers.")
    assert figure(ex, "eight").category == "other"


# ---- 3. zero-count subjects deny -----------------------------------------------------------------
def test_none_of_and_not_a_single_deny(extractor: Extractor) -> None:
    ex = run(
        extractor,
        'Asked about the footage, Col Amir Hadi said: "I have said it before. Not a single officer is in '
        'their hands."\n\n"None of our officers is missing. Not one," Col Hadi told reporters.',
    )
    assert claim_with(ex, "Not a single officer").stance == "deny"
    assert claim_with(ex, "None of our officers").stance == "deny"


def test_bare_nobody_is_no_denial(extractor: Extractor) -> None:
    ex = run(extractor, 'A village elder said: "The road is closed. Nobody is allowed in or out."')
    assert claim_with(ex, "Nobody is allowed").stance == "assert"


# ---- 4. figures that count no people -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "figure_text"),
    [
        ("Troops recovered 2,000 kilogrammes of explosives and killed nine fighters.", "2,000"),
        ("Gunmen stopped three passenger buses near the pass and abducted 20 people.", "three"),
        ("Police seized 40 rifles in the raid.", "40"),
    ],
)
def test_objects_and_units_are_never_casualties(extractor: Extractor, text: str, figure_text: str) -> None:
    assert figure(run(extractor, text), figure_text).category == "other"


def test_captured_people_still_count(extractor: Extractor) -> None:
    assert figure(run(extractor, "Police seized 12 suspects in the raid."), "12").category == "captured"


def test_citation_mark_is_no_figure(extractor: Extractor) -> None:
    ex = run(extractor, "The strike killed 12 people.[41] The town was evacuated.[42]")
    assert [q.value for q in ex.quantities] == [12.0]


# ---- 5. pronoun speakers -------------------------------------------------------------------------
def test_it_refers_to_the_nearest_institution_subject(extractor: Extractor) -> None:
    ex = run(
        extractor,
        "Police said the coast road was closed. The raid came a week after the navy ended an operation "
        "in which it said it had killed 40 pirates.",
    )
    assert claim_with(ex, "40 pirates").speaker.name == "navy"


# ---- 6. typed names ------------------------------------------------------------------------------
def test_armed_group_names_beat_the_army_head(extractor: Extractor) -> None:
    ex = run(extractor, "The Tolmar Freedom Army and the Vardan Liberation Front claimed the attack.")
    types = {m.text: m.type for m in ex.mentions}
    assert types["Tolmar Freedom Army"] == "armed_group"
    assert types["Vardan Liberation Front"] == "armed_group"


def test_demonym_army_is_a_military_mention(extractor: Extractor) -> None:
    ex = run(extractor, "The Ruritanian army said it had retaken the town.")
    assert ("Ruritanian army", "military") in {(m.text, m.type) for m in ex.mentions}


def test_a_title_is_not_a_name(extractor: Extractor) -> None:
    ex = run(extractor, "The Interior Minister said the attackers had been trained abroad.")
    speaker = claim_with(ex, "trained abroad").speaker
    assert speaker.name == "Interior Minister" and speaker.kind == "person"


# ---- 7. denied events are claims, not events -----------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "The rebels said they had not attacked the clinic.",
        "The group denied carrying out the bombing.",
        "There was no attack on the convoy, the governor said.",
    ],
)
def test_negated_events_are_not_events(extractor: Extractor, text: str) -> None:
    assert run(extractor, text).events == []


def test_asserted_event_still_found(extractor: Extractor) -> None:
    assert run(extractor, "Gunmen attacked the clinic on Monday, killing four people.").events


# ---- 8. month ranges -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Between January and March, 40 people were killed in the district.", "2025-01-01", "2025-03-31"),
        ("From November to February 2024 the roads were shut.", "2023-11-01", "2024-02-29"),
    ],
)
def test_month_ranges(extractor: Extractor, text: str, low: str, high: str) -> None:
    dates = run(extractor, text).dates
    assert [(d.low, d.high, d.precision) for d in dates] == [(low, high, "month")]
