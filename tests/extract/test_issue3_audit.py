"""Issue 3 audit: one invented wire-style snippet per capability, run through the real Extractor.

Why a separate file: each test names the issue-3 bullet it checks, so a regression points at the
capability a user loses (a colon quote, an unclosed mark, a pronoun speaker, a vague count ...).
Every snippet is invented for this file; none comes from the demo corpus.
"""

from __future__ import annotations

from typing import Any

import pytest

from rashomon.extract.pipeline import Extractor
from rashomon.records import Article, Claim, Extraction, Quantity


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def run(extractor: Extractor, text: str, published: str | None = "2025-06-12") -> Extraction:
    """Extract one article (12 June 2025 is a Thursday unless the test says otherwise)."""
    article = Article(source="audit", text=text, published=published)
    return next(iter(extractor.extract([article])))


def claims(ex: Extraction) -> list[Claim]:
    return [c for c in ex.claims if c.speaker.kind != "outlet"]


def claim_with(ex: Extraction, words: str) -> Claim:
    """The (non-outlet) claim whose content contains ``words``."""
    found = [c for c in claims(ex) if words in c.content]
    assert found, [(c.speaker.text, c.cue, c.content) for c in ex.claims]
    return found[0]


def quantity(ex: Extraction, text: str) -> Quantity:
    found = [q for q in ex.quantities if text in q.text]
    assert found, [(q.text, q.value) for q in ex.quantities]
    return found[0]


def dump(ex: Extraction) -> list[tuple[Any, ...]]:
    return [(c.speaker.text, c.speaker.name, c.speaker.kind, c.cue, c.act, c.stance, c.quote, c.content) for c in ex.claims]


# ---- quotes: direct, indirect, mixed, colon, unclosed, multi-paragraph ------------------------
def test_direct_quote_with_trailing_cue(extractor: Extractor) -> None:
    ex = run(extractor, '"We will not leave the valley," said Tomas Varga, a commander of the militia.')
    c = claim_with(ex, "We will not leave the valley")
    assert c.quote == "direct" and c.cue == "said"
    assert c.speaker.name is not None and "Varga" in c.speaker.name


def test_indirect_claim_content_without_complementizer(extractor: Extractor) -> None:
    ex = run(extractor, "The interior ministry said that three checkpoints near the border had been reopened.")
    c = claim_with(ex, "three checkpoints")
    assert c.quote == "indirect" and c.act == "say"
    assert not c.content.startswith("that")


def test_mixed_quote(extractor: Extractor) -> None:
    ex = run(
        extractor,
        'The provincial governor said the attackers had "no regard for human life" and vowed to hunt them down.',
    )
    c = claim_with(ex, "no regard for human life")
    assert c.quote == "mixed"


def test_colon_introduced_quote(extractor: Extractor) -> None:
    ex = run(extractor, 'The rebel spokesman Idris Kamara told reporters: "Our fighters control the bridge."')
    c = claim_with(ex, "Our fighters control the bridge")
    assert c.quote == "direct"
    assert c.speaker.name is not None and "Kamara" in c.speaker.name


def test_missing_closing_quote_does_not_lose_the_article(extractor: Extractor) -> None:
    text = (
        '"The camp was shelled at dawn and the clinic is gone, said Amina Yusuf, a nurse.\n\n'
        "The army said on Wednesday that its positions near Kaduna had come under fire.\n\n"
        "Police said 14 people were arrested after the clashes."
    )
    ex = run(extractor, text)
    assert claim_with(ex, "positions near Kaduna")
    assert claim_with(ex, "14 people were arrested")
    assert all("\n" not in c.content for c in claims(ex))


def test_quote_running_over_two_paragraphs(extractor: Extractor) -> None:
    text = (
        'The district commissioner, Paul Otieno, described the night. "They came from the river side and '
        "burned the granaries first.\n\n"
        '"By the time the police arrived, the raiders had driven off the cattle," he said.'
    )
    ex = run(extractor, text)
    c = claim_with(ex, "burned the granaries")
    assert "driven off the cattle" in c.content
    assert c.quote == "direct"
    assert c.speaker.name is not None and "Otieno" in c.speaker.name


def test_photo_caption_is_not_a_speaker(extractor: Extractor) -> None:
    text = (
        "Photo: Displaced families wait for food at a camp outside Goma. (AFP)\n\n"
        "Aid workers said food stocks would run out within a week."
    )
    ex = run(extractor, text)
    for c in ex.claims:
        assert c.speaker.text is None or "Photo" not in c.speaker.text
        assert "Displaced families wait" not in c.content


def test_heading_is_not_a_speaker(extractor: Extractor) -> None:
    text = (
        "Militants say they hold border post\n\n"
        "MOGADISHU: Al-Shabaab fighters said on Tuesday they had captured a police post near Beledweyne."
    )
    ex = run(extractor, text)
    assert all(c.sentence.strip() != "Militants say they hold border post" for c in ex.claims), dump(ex)


# ---- speakers ---------------------------------------------------------------------------------
def test_pronoun_resolves_to_named_person(extractor: Extractor) -> None:
    text = (
        "Colonel Ahmed Rauf said the convoy was ambushed near the river. "
        "He said two drivers were still missing."
    )
    ex = run(extractor, text)
    c = claim_with(ex, "two drivers were still missing")
    assert c.speaker.name is not None and "Rauf" in c.speaker.name


def test_title_resolves_to_named_holder(extractor: Extractor) -> None:
    text = (
        "Defence Minister Khawaja Salim said the operation would continue. "
        "The minister added that no civilians had been harmed."
    )
    ex = run(extractor, text)
    c = claim_with(ex, "civilians had been harmed")
    assert c.speaker.name is not None and "Salim" in c.speaker.name


def test_unnamed_officials(extractor: Extractor) -> None:
    ex = run(extractor, "Security officials said the gunmen fled towards the hills.")
    c = claim_with(ex, "gunmen fled")
    assert c.speaker.kind == "unnamed" and c.speaker.name is None


def test_unnamed_sources(extractor: Extractor) -> None:
    ex = run(extractor, "Sources said at least five soldiers were taken hostage.")
    c = claim_with(ex, "five soldiers")
    assert c.speaker.kind == "unnamed" and c.speaker.name is None


def test_man_in_the_video_is_unnamed(extractor: Extractor) -> None:
    ex = run(extractor, "A man in the video says the soldiers were captured near the dam.")
    c = claim_with(ex, "soldiers were captured")
    assert c.speaker.kind == "unnamed" and c.speaker.name is None


def test_spokesperson_speaks_for_institution(extractor: Extractor) -> None:
    ex = run(extractor, "A spokesman for the Sudanese army said its troops had repelled the attack.")
    c = claim_with(ex, "repelled the attack")
    assert c.speaker.name is not None and "army" in c.speaker.name.lower()
    assert c.speaker.kind != "unnamed"


def test_indefinite_fighter_is_unnamed(extractor: Extractor) -> None:
    ex = run(extractor, 'In a video released on Sunday, a masked fighter says: "We have taken the base."')
    c = claim_with(ex, "We have taken the base")
    assert c.speaker.kind == "unnamed" and c.speaker.name is None


def test_hyphen_linked_group_name_is_one_speaker(extractor: Extractor) -> None:
    ex = run(extractor, "Hizb-ut-Tahrir denied any role in the riots.")
    c = [c for c in claims(ex) if c.act == "deny"]
    assert c and c[0].speaker.name == "Hizb-ut-Tahrir", dump(ex)


def test_media_wing_is_an_organisation(extractor: Extractor) -> None:
    ex = run(extractor, "The group's media wing said in a statement that its fighters had downed a drone.")
    c = claim_with(ex, "downed a drone")
    assert c.speaker.kind in ("organization", "group")


def test_reply_beside_a_claim_is_its_own_denial(extractor: Extractor) -> None:
    ex = run(extractor, 'The rebels said they had captured some 200 soldiers, a figure the army dismissed as "pure fantasy".')
    rebels = claim_with(ex, "captured some 200 soldiers")
    assert rebels.speaker.name == "rebels" and "army" not in rebels.content and rebels.stance == "assert"
    army = [c for c in claims(ex) if c.speaker.name == "army"]
    assert army and army[0].stance == "deny" and "200 soldiers" in army[0].content, dump(ex)


def test_relative_which_reply_is_its_own_denial(extractor: Extractor) -> None:
    ex = run(extractor, "The militia said it had shot down two drones, which the air force denied.")
    militia = claim_with(ex, "shot down two drones")
    assert "air force" not in militia.content and militia.stance == "assert"
    reply = [c for c in claims(ex) if c.speaker.name and "air force" in c.speaker.name]
    assert reply and reply[0].stance == "deny" and "two drones" in reply[0].content, dump(ex)


def test_charge_rejected_in_apposition_keeps_its_speaker(extractor: Extractor) -> None:
    ex = run(extractor, "The ministry accused the militia of looting the depot, a charge the militia rejected.")
    reply = [c for c in claims(ex) if c.act == "reject"]
    assert reply and reply[0].speaker.name == "militia" and reply[0].stance == "deny", dump(ex)


def test_label_fronted_before_object(extractor: Extractor) -> None:
    ex = run(extractor, "The government dismissed as fake a video that purports to show captured pilots.")
    c = claim_with(ex, "a video that purports to show captured pilots")
    assert (c.act, c.stance) == ("reject", "deny")


def test_clause_after_time_phrase_is_content(extractor: Extractor) -> None:
    ex = run(extractor, "The rebels said at the time that they had seized the airport.")
    c = claim_with(ex, "they had seized the airport")
    assert c.speaker.name == "rebels" and not c.content.startswith("that")


def test_figure_put_at(extractor: Extractor) -> None:
    ex = run(extractor, "Hospital officials put the death toll at 17.")
    c = claim_with(ex, "the death toll at 17")
    assert c.speaker.kind == "unnamed" and [q.value for q in c.quantities] == [17]


def test_announced_object_is_content(extractor: Extractor) -> None:
    ex = run(extractor, "The provincial government announced compensation of Rs 5 lakh for each family.")
    c = claim_with(ex, "compensation of Rs 5 lakh")
    assert c.quantities and c.quantities[0].value == 500_000


def test_reply_without_any_reporting_verb_above_terminates(extractor: Extractor) -> None:
    """A reply noun hung on a plain clause (no reporting verb above it) is looked up without looping."""
    ex = run(extractor, "Fighters captured 200 soldiers, a figure the army dismissed.")
    assert all(c.content for c in ex.claims)


def test_accusation_denied_in_apposition(extractor: Extractor) -> None:
    ex = run(extractor, "The government claimed the rebels had used civilians as human shields, an accusation the rebels denied.")
    denial = [c for c in claims(ex) if c.stance == "deny"]
    assert denial and denial[0].speaker.name == "rebels" and "human shields" in denial[0].content, dump(ex)


# ---- stance and acts --------------------------------------------------------------------------
def test_negated_content_is_a_denial(extractor: Extractor) -> None:
    ex = run(extractor, "The army said none of its men were missing after the raid.")
    c = claim_with(ex, "none of its men were missing")
    assert c.stance == "deny"


def test_denied_verb(extractor: Extractor) -> None:
    ex = run(extractor, "The ministry denied that any prisoners had been executed.")
    c = claim_with(ex, "prisoners had been executed")
    assert (c.act, c.stance) == ("deny", "deny")


def test_rejected_the_claims(extractor: Extractor) -> None:
    ex = run(extractor, "The foreign ministry rejected the claims, calling them propaganda.")
    c = [c for c in claims(ex) if c.act == "reject"]
    assert c and c[0].stance == "deny", dump(ex)


def test_dismissed_accusations_as_baseless(extractor: Extractor) -> None:
    ex = run(extractor, "Kabul dismissed the accusations as baseless.")
    cs = [c for c in claims(ex) if c.stance == "deny"]
    assert cs, dump(ex)


def test_called_the_video_fake(extractor: Extractor) -> None:
    ex = run(extractor, "The information minister called the video fake.")
    cs = [c for c in claims(ex) if c.stance == "deny"]
    assert cs, dump(ex)


def test_acts_warn_demand_vow_accuse(extractor: Extractor) -> None:
    text = (
        "The militia warned that it would strike the airport. "
        "The opposition demanded that the talks be suspended. "
        "The president vowed that the attackers would be punished. "
        "The government accused the rebels of shelling the market."
    )
    acts = {c.act for c in claims(run(extractor, text))}
    assert {"warn", "demand", "vow", "accuse"} <= acts


def test_admit_is_an_assertion(extractor: Extractor) -> None:
    ex = run(extractor, "The navy admitted that one of its patrol boats had sunk.")
    c = claim_with(ex, "patrol boats had sunk")
    assert (c.act, c.stance) == ("admit", "assert")


# ---- hedges, outlet voice, evaluative ---------------------------------------------------------
def test_hedge_attached_to_its_claim(extractor: Extractor) -> None:
    ex = run(extractor, "The group said it had reportedly seized two armoured vehicles.")
    c = claim_with(ex, "armoured vehicles")
    assert "reportedly" in c.hedges


def test_verification_caveat_scopes_claim(extractor: Extractor) -> None:
    text = (
        "The insurgents said they had shot down a helicopter near Marib. "
        "The claim could not be independently verified."
    )
    ex = run(extractor, text)
    c = claim_with(ex, "helicopter")
    assert any("independently verified" in h for h in c.hedges)


def test_if_authentic_hedge(extractor: Extractor) -> None:
    text = "The video, if authentic, shows six captured soldiers, a militant commander said."
    ex = run(extractor, text)
    assert any("if authentic" in h for c in ex.claims for h in c.hedges) or "if authentic" in ex.hedges


def test_outlet_voice_claim(extractor: Extractor) -> None:
    ex = run(extractor, "At least 12 people were killed in an air strike on a market in Saada on Monday.")
    outlet = [c for c in ex.claims if c.speaker.kind == "outlet"]
    assert outlet and outlet[0].quantities


def test_evaluative_language_flagged(extractor: Extractor) -> None:
    ex = run(extractor, "This shameful attack on a school shows the callous disregard of the militants.")
    assert {"shameful", "callous"} <= {e.lower() for e in ex.evaluative}


# ---- quantities -------------------------------------------------------------------------------
def test_at_least_and_counted_noun(extractor: Extractor) -> None:
    ex = run(extractor, "At least 23 soldiers were killed in the ambush.")
    q = quantity(ex, "23")
    assert (q.value, q.low, q.qualifier, q.category) == (23, 23, "at_least", "killed")
    assert q.counted and "soldiers" in q.counted


def test_more_than_nearly_and_range(extractor: Extractor) -> None:
    ex = run(
        extractor,
        "More than 40 houses were burned. Nearly 300 families fled. Between 15 and 20 fighters died.",
    )
    assert quantity(ex, "40").qualifier == "more_than"
    assert quantity(ex, "300").qualifier == "approx"
    r = quantity(ex, "15")
    assert (r.low, r.high, r.qualifier) == (15, 20, "range")


def test_number_in_words(extractor: Extractor) -> None:
    ex = run(extractor, "Twenty-five civilians were wounded when the shell hit the bus station.")
    q = quantity(ex, "Twenty-five")
    assert q.value == 25 and q.category == "injured"


def test_vague_counts_acled_rule(extractor: Extractor) -> None:
    """ACLED codes 'dozens' 12, 'tens' 10, 'hundreds' 100; 'several' is the lexicon's own 3."""
    ex = run(
        extractor,
        "Dozens of villagers were abducted. Hundreds of people fled. Several soldiers were wounded.",
    )
    assert quantity(ex, "Dozens").value == 12
    assert quantity(ex, "Hundreds").value == 100
    several = quantity(ex, "Several")
    assert several.value == 3 and several.qualifier == "at_least"


def test_money_rupees_million_and_lakh(extractor: Extractor) -> None:
    ex = run(
        extractor,
        "The government announced Rs 3.5 million for the families and PKR 2 lakh for each injured man.",
    )
    q = quantity(ex, "3.5")
    assert (q.value, q.unit) == (3_500_000, "PKR")
    lakh = quantity(ex, "2 lakh")
    assert lakh.value == 200_000


def test_money_dollar_range_and_crore(extractor: Extractor) -> None:
    ex = run(
        extractor,
        "Smugglers charged $2,000-$3,000 per rifle, and the bounty was raised to Rs 1 crore.",
    )
    r = quantity(ex, "2,000")
    assert (r.low, r.high, r.unit, r.qualifier) == (2000, 3000, "USD", "range")
    assert quantity(ex, "crore").value == 10_000_000


# ---- dates --------------------------------------------------------------------------------------
def test_past_weekday_goes_back(extractor: Extractor) -> None:
    ex = run(extractor, "Gunmen attacked the convoy on Monday, the police said.")
    d = [d for d in ex.dates if d.text.endswith("Monday")]
    assert d and d[0].value == "2025-06-09" and d[0].precision == "day"


def test_future_weekday_goes_forward(extractor: Extractor) -> None:
    ex = run(extractor, "The talks will resume on Monday, the mediators said.")
    d = [d for d in ex.dates if d.text.endswith("Monday")]
    assert d and d[0].value == "2025-06-16"


def test_month_end_mid_year_since_and_alone(extractor: Extractor) -> None:
    text = (
        "The offensive is expected to end by March-end. Fighting has continued since 28 February. "
        "Aid cuts began in mid-2024. In 2024 alone, 500 people were killed."
    )
    ex = run(extractor, text, published="2025-02-10")
    by_text = {d.text: d for d in ex.dates}
    end = next(d for t, d in by_text.items() if "March" in t and "end" in t)
    assert end.value == "2025-03-31"
    since = next(d for t, d in by_text.items() if "28 February" in t)
    assert since.value == "2024-02-28" and since.kind == "since"
    mid = next(d for t, d in by_text.items() if "mid-2024" in t)
    assert mid.low is not None and mid.low.startswith("2024-0")
    alone = next(d for t, d in by_text.items() if "2024" in t and "mid" not in t)
    assert alone.precision == "year"


def test_deadline(extractor: Extractor) -> None:
    ex = run(extractor, "The group set a five-day deadline that expires on April 9.", published="2025-04-04")
    d = [d for d in ex.dates if "April 9" in d.text]
    assert d and d[0].value == "2025-04-09" and d[0].kind == "deadline"


# ---- places -------------------------------------------------------------------------------------
def test_border_countries_are_context(extractor: Extractor) -> None:
    ex = run(extractor, "Fighting broke out in El Fasher. The region borders Chad and Libya.")
    roles = {p.name: p.role for p in ex.places}
    assert roles.get("Chad") == "context" and roles.get("Libya") == "context"
    assert any(p.role == "event" and "Fasher" in p.name for p in ex.places)


def test_place_resolved_with_country_context(extractor: Extractor) -> None:
    text = "Pakistani troops killed four militants in Bannu district on Sunday. Bannu borders Afghanistan."
    ex = run(extractor, text)
    bannu = [p for p in ex.places if p.name == "Bannu"]
    assert bannu and bannu[0].geo is not None and bannu[0].geo.country == "PK"


def test_place_precision_given(extractor: Extractor) -> None:
    ex = run(extractor, "A car bomb exploded in Kirkuk, in northern Iraq.")
    kirkuk = [p for p in ex.places if p.name == "Kirkuk"]
    iraq = [p for p in ex.places if p.name == "Iraq"]
    assert kirkuk and kirkuk[0].geo is not None and kirkuk[0].geo.precision == "town"
    assert iraq and iraq[0].geo is not None and iraq[0].geo.precision == "country"


# ---- entities -----------------------------------------------------------------------------------
def test_entity_types(extractor: Extractor) -> None:
    text = (
        "The Pakistan Army and the police said the Tehreek-e-Taliban Pakistan attacked the post. "
        "The Ministry of Interior and the United Nations condemned the attack during Operation Azm-e-Istehkam Phase II."
    )
    ex = run(extractor, text)
    types = {m.text: m.type for m in ex.mentions}
    assert types.get("Pakistan Army") == "military"
    assert any(t == "armed_group" for n, t in types.items() if "Taliban" in n)
    assert any(t == "ministry" for n, t in types.items() if "Ministry" in n)
    assert any(t == "international_org" for n, t in types.items() if "United Nations" in n)
    assert any(t == "operation" for n, t in types.items() if "Operation" in n)


def test_known_names_typed_despite_trailing_s(extractor: Extractor) -> None:
    """Names ending in "s" (United Nations, Hamas) are looked up whole, not as possessives."""
    ex = run(extractor, "The United Nations said Hamas had released two hostages.")
    types = {m.text: m.type for m in ex.mentions}
    assert types.get("United Nations") == "international_org"
    assert types.get("Hamas") == "armed_group"
    assert not [p for p in ex.places if p.text == "Hamas"]


def test_hyphen_linked_group_name_is_one_mention(extractor: Extractor) -> None:
    ex = run(extractor, "Fighters of Tehreek-e-Taliban Pakistan attacked a police post in Lakki Marwat.")
    m = [m for m in ex.mentions if m.text.startswith("Tehreek")]
    assert m and m[0].text == "Tehreek-e-Taliban Pakistan" and m[0].type == "armed_group"
    pak = [p for p in ex.places if p.text == "Pakistan"]
    assert not pak or pak[0].role == "context"


# ---- events -------------------------------------------------------------------------------------
def test_event_fields_cite_their_sentences(extractor: Extractor) -> None:
    text = "A suicide bomber killed nine soldiers at a checkpoint in Kunduz on Tuesday."
    ex = run(extractor, text)
    assert ex.events, "no event"
    ev = ex.events[0]
    assert ev.event_type == "Explosions/Remote violence"
    assert ev.sub_event_type == "Suicide bomb"
    assert ev.fatalities.best == 9
    assert ev.location is not None and ev.location.name == "Kunduz"
    assert ev.date is not None and ev.date.value == "2025-06-10"
    assert ev.sentences and all(text[s:e].strip() for s, e in ev.sentences)


def test_event_not_assembled_from_unrelated_paragraphs(extractor: Extractor) -> None:
    text = (
        "The prime minister visited Lahore on 2 June to open a hospital.\n\n"
        "Separately, gunmen killed three policemen at a checkpoint in Dera Ismail Khan."
    )
    ex = run(extractor, text)
    attack = [e for e in ex.events if e.fatalities.best == 3]
    assert attack, [(e.event_type, e.fatalities) for e in ex.events]
    ev = attack[0]
    assert ev.location is None or ev.location.name != "Lahore"
    assert ev.date is None or ev.date.value != "2025-06-02"
    para2 = text.index("Separately")
    assert all(s >= para2 for s, _ in ev.sentences)


def test_capture_figures_on_event(extractor: Extractor) -> None:
    ex = run(extractor, "Militants abducted 17 passengers from a bus in Balochistan on Friday.")
    ev = [e for e in ex.events if e.captured.best]
    assert ev and ev[0].captured.best == 17, [(e.sub_event_type, e.captured) for e in ex.events]


def test_speakers_and_audience_are_not_event_actors(extractor: Extractor) -> None:
    ex = run(extractor, "President Adama Kone condemned the attack. Residents told Reuters the shelling lasted hours.")
    actors = {a for e in ex.events for a in (e.actor1, e.actor2) if a}
    assert "Adama Kone" not in actors and "Reuters" not in actors, actors


def test_stormed_is_an_assault_and_a_storm_is_weather(extractor: Extractor) -> None:
    ex = run(extractor, "Around 50 militants stormed the army base, a security official said.")
    assert ex.events and ex.events[0].event_type == "Battles"
    ex = run(extractor, "A tropical storm hit the coast, killing 12 people.")
    assert ex.events and ex.events[0].sub_event_type == "Natural disaster"


def test_statement_place_is_not_the_event_location(extractor: Extractor) -> None:
    text = 'General Musa Dikko told a press conference in Abuja: "We killed over 70 bandits in Zamfara."'
    ex = run(extractor, text)
    located = [e.location.name for e in ex.events if e.location is not None]
    assert located and located[0] == "Zamfara", located


def test_town_naming_local_police_is_an_event_place(extractor: Extractor) -> None:
    ex = run(extractor, "Two men were shot dead near a market, Peshawar police said.")
    pesh = [p for p in ex.places if p.name == "Peshawar"]
    assert pesh and pesh[0].role == "event"
    ex = run(extractor, "The Pakistan Army said two soldiers were killed.")
    assert all(p.role == "context" for p in ex.places if p.name == "Pakistan")
