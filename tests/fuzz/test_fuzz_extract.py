"""Property-based fuzzing of the extractors: quote splitting, quantity parsing and date parsing.

Each property builds text from a small grammar (number words, ranges, qualifiers, vague counts,
relative dates, unbalanced quote marks), then hands it to the fuzz target's own ``check`` (no crash,
no exception an extractor only logged, sane records) and, where the grammar fixes the answer,
asserts the answer too. spaCy-backed properties use few examples and the one loaded pipeline.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fuzz_support import SENTENCE, fuzz_settings, mutated, target
from hypothesis import assume, given
from hypothesis import strategies as st

from rashomon.extract.dates import parse_dates
from rashomon.extract.quantities import parse_number, parse_quantities
from rashomon.lexicon import load_map

QUOTE_TEXT = st.text(alphabet="ab \"“”„«»‘’'`\n.,:", max_size=200)
UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = [
    "",
    "",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
]


def spell(n: int) -> str:
    """English words for 0 <= n < 1,000,000 ("one hundred and twenty-five thousand ..."), as news writes them."""
    if n < 10:
        return UNITS[n]
    if n < 20:
        return TEENS[n - 10]
    if n < 100:
        return TENS[n // 10] + (f"-{UNITS[n % 10]}" if n % 10 else "")
    if n < 1000:
        return f"{UNITS[n // 100]} hundred" + (f" and {spell(n % 100)}" if n % 100 else "")
    return f"{spell(n // 1000)} thousand" + (f" {spell(n % 1000)}" if n % 1000 else "")


def figure(n: int, style: str) -> str:
    return {"digits": str(n), "commas": f"{n:,}", "words": spell(n)}[style]


@fuzz_settings(300)
@given(
    st.one_of(
        QUOTE_TEXT,
        QUOTE_TEXT.map(str.encode).flatmap(mutated).map(lambda b: b.decode("utf-8", "replace")),
    )
)
def test_quote_splitting_never_raises_and_spans_are_sane(text: str) -> None:
    target("extract_quotes").check(text.encode("utf-8", "surrogatepass"))


@fuzz_settings(200)
@given(st.integers(0, 999_999), st.sampled_from(["digits", "commas", "words"]))
def test_numbers_in_digits_and_words_read_back(n: int, style: str) -> None:
    assert parse_number(figure(n, style)) == n


@fuzz_settings(100)
@given(st.text(max_size=60))
def test_parse_number_never_raises_and_is_finite(text: str) -> None:
    target("extract_quantities")._number(text)


def test_scale_words_never_overflow() -> None:
    """ "hundred" repeated multiplies: past ~150 of them the value is infinite, not a figure."""
    assert parse_number(" ".join(["hundred"] * 200)) is None


QUALIFIERS = sorted(load_map("quantity_qualifiers"))
NOUNS = st.sampled_from(["people", "soldiers", "militants", "civilians", "houses"])
VERBS = st.sampled_from(["were killed", "were wounded", "were taken hostage", "fled", "were destroyed"])


@st.composite
def figure_sentences(draw: st.DrawFn) -> tuple[str, int, int | None]:
    """ "[qualifier] N [to M] nouns verb." -> (sentence, N, M)."""
    n = draw(st.integers(0, 5000))
    style = draw(st.sampled_from(["digits", "commas", "words"]))
    high = draw(st.none() | st.integers(n + 1, n + 5000))
    words = figure(n, style)
    if high is not None:
        words = f"{words} to {figure(high, style)}"
    elif draw(st.booleans()):
        words = f"{draw(st.sampled_from(QUALIFIERS))} {words}"
    return f"{words.capitalize()} {draw(NOUNS)} {draw(VERBS)}.", n, high


@fuzz_settings(25)
@given(figure_sentences())
def test_quantity_records_keep_their_rules(nlp: Any, case: tuple[str, int, int | None]) -> None:
    text, n, high = case
    quantities = parse_quantities(nlp(text))
    for q in quantities:
        target("extract_quantities").check_quantity(text, q)
    if high is not None:  # a range written out is read as one, never scaled ("2 to 3 million" is)
        assert any(q.low == n and q.high == high for q in quantities), (
            text,
            quantities,
        )


@fuzz_settings(25)
@given(
    st.lists(
        st.one_of(
            SENTENCE,
            st.sampled_from(
                [
                    "Dozens of people were killed.",
                    "Tens of thousands fled.",
                    "Hundreds were wounded.",
                    "Between 999 and 1 million people were displaced.",
                    "Fewer than 0 people died.",
                    "Over 1.5 million.",
                    "Rs 3.5 million and $2,000-$3,000.",
                    "2 lakh rupees.",
                    "12%",
                    "Less than zero casualties.",
                ]
            ),
        ),
        min_size=1,
        max_size=4,
    )
    .map(" ".join)
    .map(str.encode)
    .flatmap(mutated)
)
def test_quantity_extractor_never_raises_on_mutated_text(nlp: Any, data: bytes) -> None:
    target("extract_quantities").check(data)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
ANCHORS = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
RELATIVE = st.sampled_from([
    "yesterday", "last Friday", "next week", "three days ago", "over the past two weeks", "within 48 hours",
    "mid-2024", "March-end", "since 28 February", "in 2024 alone", "a deadline that expires on April 9",
    "early March", "between January and March", "the 1990s", "on Monday", "last month", "this year",
])  # fmt: skip


@fuzz_settings(25)
@given(
    ANCHORS,
    st.lists(st.one_of(RELATIVE, SENTENCE), min_size=1, max_size=4).map(" ".join),
)
def test_relative_dates_resolve_to_valid_dates(nlp: Any, anchor: date, text: str) -> None:
    for d in parse_dates(nlp(text), anchor):
        target("extract_dates").check_date(text, d)


@fuzz_settings(25)
@given(ANCHORS, st.integers(1, 31), st.sampled_from(MONTHS))
def test_day_month_lands_within_a_year_of_the_anchor(nlp: Any, anchor: date, day: int, month: str) -> None:
    text = f"Militants were killed on {day} {month}, the army said."
    found = [d for d in parse_dates(nlp(text), anchor) if month in d.text]
    m = MONTHS.index(month) + 1
    assume(day <= 28 or any(d.value for d in found))  # 31 April names no day
    assert len(found) == 1 and found[0].value is not None, found
    value = date.fromisoformat(found[0].value)
    assert (value.month, value.day) == (m, day) and abs((value - anchor).days) <= 366


@fuzz_settings(25)
@given(ANCHORS, st.integers(1, 30))
def test_days_ago_counts_back_from_the_anchor(nlp: Any, anchor: date, n: int) -> None:
    text = f"The attack took place {n} days ago."
    found = [d for d in parse_dates(nlp(text), anchor) if "ago" in d.text]
    assert [d.value for d in found] == [(anchor - timedelta(days=n)).isoformat()]


@fuzz_settings(30)
@given(
    st.binary(min_size=2, max_size=2),
    st.lists(RELATIVE, min_size=1, max_size=3).map(" ".join),
)
def test_dates_survive_any_anchor(nlp: Any, head: bytes, text: str) -> None:
    """Anchors at the ends of the calendar (year 1, year 9999) never crash a resolver."""
    target("extract_dates").check(head + text.encode())


@fuzz_settings(20)
@given(
    st.integers(1, 999),
    st.integers(1, 999),
    st.sampled_from(["thousand", "million", "billion"]),
)
def test_scaled_range_is_never_read_above_its_upper_end(nlp: Any, low: int, high: int, scale: str) -> None:
    """ "2 to 3 million" scales both ends; "999 to 1 million" must not become 999 million."""
    factor = {"thousand": 1e3, "million": 1e6, "billion": 1e9}[scale]
    text = f"Between {low} and {high} {scale} people were displaced."
    found = [q for q in parse_quantities(nlp(text)) if q.high == high * factor]
    assert len(found) == 1 and found[0].low in (low, low * factor), (text, found)
    low_read, high_read = found[0].low, found[0].high
    assert low_read is not None and high_read is not None and low_read <= high_read


QUOTED = st.sampled_from([
    '"We hold no one," the spokesman said.', "“They took six soldiers,” a man in the video says.",
    "The ministry said: “None are missing.", '"Unbalanced', "«Nous»", "”stray closer", "He said ''fake''.",
    "At least 40 militants were killed on 3 March.", "since 28 February", "KHARTOUM: ",
])  # fmt: skip


@fuzz_settings(10)
@given(st.lists(st.one_of(QUOTED, SENTENCE), min_size=1, max_size=6).map(" ".join))
def test_whole_article_extraction_never_raises(extractor: Any, text: str) -> None:
    """Every stage on one article: quotes with missing or stray marks never break claims, figures or dates."""
    target("extract_article").check((4000).to_bytes(2, "big") + text.encode())
