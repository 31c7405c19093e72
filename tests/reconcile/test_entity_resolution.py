"""Entity resolution across articles on invented sentences: titles, countries, spokespersons, acronyms."""

from __future__ import annotations

import re

from rashomon.reconcile.entities import resolve_entities
from rashomon.reconcile.entity_countries import Places
from rashomon.reconcile.entity_roles import parse_role
from rashomon.records import (
    Article,
    Claim,
    Entity,
    Extraction,
    Geo,
    Mention,
    Place,
    Speaker,
)
from rashomon.store.convert import entity_from, entity_values


def _find(text: str, surface: str, nth: int = 0) -> int:
    starts = [m.start() for m in re.finditer(re.escape(surface), text)]
    return starts[nth]


def article(text: str, source: str, mentions: list[tuple[str, str]] = (), places: list[tuple[str, str, str]] = (),
            speakers: list[tuple[str, str | None, str]] = ()) -> Extraction:
    """An extraction built by hand: mentions (surface, type), places (surface, country, precision) and
    claims by speakers (text, name, kind), every offset found in ``text`` (first occurrence not yet used)."""
    a = Article(source=source, text=text, title=source)
    ex = Extraction(article=a)
    used: dict[str, int] = {}

    def at(surface: str) -> int:
        n = used.get(surface, 0)
        used[surface] = n + 1
        return _find(text, surface, n)

    ex.sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.]+(?:\.|$)", text)]
    for surface, type_ in mentions:
        s = at(surface)
        ex.mentions.append(Mention(surface, s, s + len(surface), type_))
    for surface, country, precision in places:
        s = at(surface)
        ex.places.append(Place(surface, surface, s, s + len(surface), Geo(country=country, precision=precision)))
    for sp_text, name, kind in speakers:
        s = text.find(sp_text)
        ex.claims.append(Claim(article_id=a.id, speaker=Speaker(sp_text, name, kind, start=s, end=s + len(sp_text)),  # type: ignore[arg-type]
                               cue="said", act="say", stance="assert", content="x", quote="indirect", sentence="x",
                               span=(s, s + len(sp_text))))
    ex.mentions.sort(key=lambda m: m.start)
    return ex


def holder(ents: list[Entity], alias: str) -> Entity:
    return next(e for e in ents if alias in e.aliases)


# ------------------------------------------------------------------------------------------- titles

ROE = "Defence Minister Jane Roe said the strikes would go on. The Defence Minister added that no town was hit."


def test_bare_title_joins_the_person_named_with_it_in_the_article() -> None:
    ex = article(ROE, "a.txt", [("Jane Roe", "person")],
                 speakers=[("Defence Minister Jane Roe", "Jane Roe", "person"), ("The Defence Minister", "Defence Minister", "person")])
    ents = resolve_entities([ex])
    roe = holder(ents, "Jane Roe")
    assert "The Defence Minister" in roe.aliases
    assert any(r.startswith("title: 'The Defence Minister' named as Jane Roe") for r in roe.merge_reasons)
    assert ex.claims[1].speaker.entity_id == roe.id == ex.claims[0].speaker.entity_id


def test_title_unique_in_the_corpus_resolves_in_another_article() -> None:
    a = article(ROE, "a.txt", [("Jane Roe", "person")], speakers=[("Defence Minister Jane Roe", "Jane Roe", "person")])
    b = article("The Defence Minister denied the report.", "b.txt",
                speakers=[("The Defence Minister", "Defence Minister", "person")])
    roe = holder(resolve_entities([a, b]), "Jane Roe")
    assert "The Defence Minister" in roe.aliases
    assert any("only holder of that title in the corpus" in r for r in roe.merge_reasons)


def test_two_ministers_leave_the_minister_a_candidate() -> None:
    text = ("Defence Minister Jane Roe and Interior Minister John Doe met on Monday. "
            "The minister said talks would resume.")
    ex = article(text, "a.txt", [("Jane Roe", "person"), ("John Doe", "person")],
                 speakers=[("The minister", "minister", "person")])
    ents = resolve_entities([ex])
    minister = holder(ents, "The minister")
    assert "Jane Roe" not in minister.aliases and "John Doe" not in minister.aliases
    assert {c["entity_id"] for c in minister.candidates} == {holder(ents, "Jane Roe").id, holder(ents, "John Doe").id}
    assert all("could be" in c["reason"] for c in minister.candidates)


def test_one_word_title_is_never_resolved_across_articles() -> None:
    a = article("Interior Minister John Doe spoke.", "a.txt", [("John Doe", "person")])
    b = article("The minister said nothing.", "b.txt", speakers=[("The minister", "minister", "person")])
    ents = resolve_entities([a, b])
    assert holder(ents, "The minister") is not holder(ents, "John Doe")


def test_role_parsing_keeps_owner_head_and_drops_ranks() -> None:
    role = parse_role("Army chief General")
    assert role is not None and role.words == {"army", "chief"} and role.head == "chief"
    spokes = parse_role("Eastland government spokesman")
    assert spokes is not None and spokes.owner == "Eastland government" and spokes.is_spokesperson


# --------------------------------------------------------------------- possessive and adjectival forms

RURITANIA = ("Ruritania", "Ruritania", "country")


def test_possessive_demonym_and_anaphoric_forms_are_one_military_per_country() -> None:
    a = article("Ruritania's military said it shelled the pass.", "a.txt", [("military", "military")], [RURITANIA])
    b = article("The Ruritanian army denied it.", "b.txt", [("Ruritanian", "other")],
                speakers=[("The Ruritanian army", "Ruritanian", "organization")])
    c = article("Fighting in Ruritania went on. The country's armed forces said the town was taken.", "c.txt",
                [("country's armed forces", "military")], [RURITANIA])
    d = article("In Ruritania and in Ostberg, in Ruritania, the army moved.", "d.txt", [("army", "military")],
                [RURITANIA, ("Ostberg", "Ruritania", "town"), RURITANIA])
    ents = resolve_entities([a, b, c, d])
    army = holder(ents, "military")
    assert {"The Ruritanian army", "country's armed forces", "army"} <= set(army.aliases)
    assert army.type == "military" and army.name == "Ruritania military"
    assert any("demonym: 'Ruritanian' is 'Ruritania' with the suffix -n" in r for r in army.merge_reasons)


def test_armies_of_two_countries_stay_apart() -> None:
    a = article("Ruritania's army and Syldavia's army clashed.", "a.txt", [("army", "military"), ("army", "military")],
                [RURITANIA, ("Syldavia", "Syldavia", "country")])
    ents = resolve_entities([a])
    armies = [e for e in ents if e.type == "military"]
    assert len(armies) == 2
    assert a.mentions[0].entity_id != a.mentions[1].entity_id


def test_unanchored_army_stays_separate_with_candidates() -> None:
    a = article("Ruritania's army said so.", "a.txt", [("army", "military")], [RURITANIA])
    b = article("Ruritania accused Syldavia. Later the army moved in.", "b.txt", [("army", "military")],
                [RURITANIA, ("Syldavia", "Syldavia", "country")])
    ents = resolve_entities([a, b])
    assert a.mentions[0].entity_id != b.mentions[0].entity_id
    loose = next(e for e in ents if e.id == b.mentions[0].entity_id)
    assert [c["entity_id"] for c in loose.candidates] == [a.mentions[0].entity_id]


def test_demonym_table_covers_real_countries() -> None:
    a = article("Pakistan's military said so.", "a.txt", [("military", "military")], [("Pakistan", "PK", "country")])
    b = article("The Pakistani army said so.", "b.txt", speakers=[("The Pakistani army", "Pakistani", "organization")])
    ents = resolve_entities([a, b])
    assert "The Pakistani army" in holder(ents, "military").aliases
    assert Places([a]).demonym("Pakistani") is not None and Places([a]).demonym("Table") is None


# ------------------------------------------------------------------------- spokespersons, media wings

def test_media_wing_in_apposition_is_its_own_entity_speaking_for_the_military() -> None:
    text = "In Ruritania, RMPR, the military's media wing, said the army lost no one."
    ex = article(text, "a.txt", [("RMPR", "organization"), ("military's media wing", "media_wing"), ("army", "military")],
                 [RURITANIA])
    ents = resolve_entities([ex])
    wing, army = holder(ents, "RMPR"), holder(ents, "army")
    assert wing is not army and wing.type == "media_wing"
    assert "military's media wing" in wing.aliases
    assert [(r["type"], r["entity_id"]) for r in wing.relations] == [("speaks_for", army.id)]
    assert "media wing" in wing.relations[0]["reason"]


def test_spokesman_is_a_person_related_to_the_group_not_merged() -> None:
    text = "The Northern Front said it held the pass. Ahmad Rafiq, the group's spokesman, said more would follow."
    ex = article(text, "a.txt", [("Northern Front", "armed_group"), ("Ahmad Rafiq", "person")])
    ents = resolve_entities([ex])
    person, front = holder(ents, "Ahmad Rafiq"), holder(ents, "Northern Front")
    assert person is not front and person.type == "person"
    assert person.relations and person.relations[0]["entity_id"] == front.id and person.relations[0]["type"] == "speaks_for"


# ------------------------------------------------------------------------------------------ acronyms

def test_acronym_with_two_expansions_is_a_candidate_not_a_merge() -> None:
    a = article("National Liberation Front fighters attacked.", "a.txt", [("National Liberation Front", "armed_group")])
    b = article("Northern Lakes Federation officials met.", "b.txt", [("Northern Lakes Federation", "organization")])
    c = article("The NLF said so.", "c.txt", [("NLF", "organization")])
    ents = resolve_entities([a, b, c])
    nlf = holder(ents, "NLF")
    assert nlf.aliases == ["NLF"]
    assert len(nlf.candidates) == 2 and all(c["reason"].startswith("acronym: NLF could spell") for c in nlf.candidates)


def test_acronym_reason_is_readable() -> None:
    a = article("The Kohsar Freedom Army (KFA) said so.", "a.txt", [("Kohsar Freedom Army", "armed_group"), ("KFA", "organization")])
    kfa = holder(resolve_entities([a]), "KFA")
    assert "acronym: KFA spells Kohsar Freedom Army" in kfa.merge_reasons


def test_relations_and_candidates_survive_the_store_row() -> None:
    e = Entity(name="X", type="person", relations=[{"type": "speaks_for", "entity_id": "ent_1", "reason": "r"}],
               candidates=[{"entity_id": "ent_2", "reason": "c"}])

    class Row:
        pass

    row = Row()
    for k, v in entity_values(e).items():
        setattr(row, k, v)
    assert entity_from(row) == e


def test_surname_joins_only_the_full_name_of_its_own_article() -> None:
    a = article("Jane Roe spoke. Roe said more.", "a.txt", [("Jane Roe", "person"), ("Roe", "person")])
    b = article("John Roe spoke. Roe said less.", "b.txt", [("John Roe", "person"), ("Roe", "organization")])
    ents = resolve_entities([a, b])
    assert holder(ents, "Jane Roe") is not holder(ents, "John Roe")
    assert a.mentions[1].entity_id == a.mentions[0].entity_id and b.mentions[1].entity_id == b.mentions[0].entity_id


# ------------------------------------------------------------------ stories, demonyms, speaking countries

def _defence_minister(name: str, source: str) -> Extraction:
    return article(f"Defence Minister {name} said the strikes would go on.", source, [(name, "person")],
                   speakers=[(f"Defence Minister {name}", name, "person")])


def _bare_minister(source: str) -> Extraction:
    return article("The Defence Minister denied the report.", source,
                   speakers=[("The Defence Minister", "Defence Minister", "person")])


def test_title_with_two_holders_in_the_corpus_resolves_within_each_story() -> None:
    a, b = _defence_minister("Jane Roe", "a.txt"), _bare_minister("b.txt")
    c, d = _defence_minister("John Doe", "c.txt"), _bare_minister("d.txt")
    story_of = {a.article.id: "s1", b.article.id: "s1", c.article.id: "s2", d.article.id: "s2"}
    ents = resolve_entities([a, b, c, d], story_of=story_of)
    roe, doe = holder(ents, "Jane Roe"), holder(ents, "John Doe")
    assert b.claims[0].speaker.entity_id == roe.id and d.claims[0].speaker.entity_id == doe.id
    assert any("only holder of that title in its story" in r for r in roe.merge_reasons)


def test_title_with_two_holders_and_no_stories_stays_a_candidate() -> None:
    a, b, c = _defence_minister("Jane Roe", "a.txt"), _bare_minister("b.txt"), _defence_minister("John Doe", "c.txt")
    ents = resolve_entities([a, b, c])
    bare = holder(ents, "The Defence Minister")
    assert "Jane Roe" not in bare.aliases and "John Doe" not in bare.aliases
    assert {x["entity_id"] for x in bare.candidates} == {holder(ents, "Jane Roe").id, holder(ents, "John Doe").id}


def test_short_title_follows_the_fuller_bare_title_of_its_article() -> None:
    a = article("Information Minister Jane Roe spoke.", "a.txt", [("Jane Roe", "person")],
                speakers=[("Information Minister Jane Roe", "Jane Roe", "person")])
    b = article("The Information Minister called it fake. Perhaps, as the minister suggests, it is.", "b.txt",
                speakers=[("The Information Minister", "Information Minister", "person"), ("the minister", "minister", "person")])
    roe = holder(resolve_entities([a, b]), "Jane Roe")
    assert b.claims[1].speaker.entity_id == roe.id and "the minister" in roe.aliases


def test_acronym_takes_the_one_expansion_of_its_story() -> None:
    a = article("National Liberation Front fighters attacked.", "a.txt", [("National Liberation Front", "armed_group")])
    b = article("Northern Lakes Federation officials met.", "b.txt", [("Northern Lakes Federation", "organization")])
    c = article("The NLF said so.", "c.txt", [("NLF", "organization")])
    ents = resolve_entities([a, b, c], story_of={a.article.id: "s1", b.article.id: "s2", c.article.id: "s1"})
    assert "NLF" in holder(ents, "National Liberation Front").aliases
    assert "NLF" not in holder(ents, "Northern Lakes Federation").aliases


def test_lone_demonym_is_an_alias_of_its_country_place() -> None:
    a = article("Ruritania closed the border.", "a.txt", places=[RURITANIA])
    b = article("Commanders operate from Ruritanian territory, officials said.", "b.txt", [("Ruritanian", "other")])
    c = article("Ruritanian refugees crossed at dawn.", "c.txt", places=[("Ruritanian", "Ruritania", "country")])
    c.places[0].geo = None  # an NER guess the gazetteer could not place
    ents = resolve_entities([a, b, c])
    place = holder(ents, "Ruritania")
    assert place.type == "place" and place.name == "Ruritania" and {"Ruritanian"} < set(place.aliases)
    assert b.mentions[0].entity_id == c.places[0].entity_id == a.places[0].entity_id == place.id
    assert any(r.startswith("demonym: 'Ruritanian'") for r in place.merge_reasons)


def test_demonym_without_its_place_in_the_corpus_is_left_alone() -> None:
    a = article("Commanders operate from Ruritanian territory.", "a.txt", [("Ruritanian", "other")])
    # A lone capitalised word typed PERSON may be a surname: it is a demonym only of a country.
    b = article("Fighting near Ostberg went on. Ostbergi spoke.", "b.txt", [("Ostbergi", "person")], [("Ostberg", "Ruritania", "town")])
    ents = resolve_entities([a, b])
    assert holder(ents, "Ruritanian").type != "place"
    assert "Ostbergi" not in holder(ents, "Ostberg").aliases


def test_a_country_speaking_is_its_government() -> None:
    a = article("Ruritania rejected the charge.", "a.txt", places=[RURITANIA], speakers=[("Ruritania", "Ruritania", "organization")])
    b = article("Ruritania's government said so.", "b.txt", [("government", "government")], [RURITANIA])
    ents = resolve_entities([a, b])
    gov = next(e for e in ents if e.id == a.claims[0].speaker.entity_id)
    assert gov.type == "government" and b.mentions[0].entity_id == gov.id
    assert a.places[0].entity_id != gov.id


def test_pronoun_resolved_by_extraction_gets_the_named_entity_without_becoming_an_alias() -> None:
    ex = article("Jane Roe spoke. She said more.", "a.txt", [("Jane Roe", "person")],
                 speakers=[("She", "Jane Roe", "pronoun")])
    roe = holder(resolve_entities([ex]), "Jane Roe")
    assert ex.claims[0].speaker.entity_id == roe.id and "She" not in roe.aliases


def test_director_general_of_an_agency_is_its_chief() -> None:
    a = article("Ostland Media Agency (OMA) Director General Major General Jane Roe spoke.", "a.txt", [("Jane Roe", "person")],
                speakers=[("Ostland Media Agency (OMA) Director General Major General Jane Roe", "Jane Roe", "person")])
    b = article("The OMA chief said the report was false.", "b.txt", speakers=[("The OMA chief", "OMA chief", "person")])
    roe = holder(resolve_entities([a, b]), "Jane Roe")
    assert "The OMA chief" in roe.aliases
    head, chief = parse_role("the agency head"), parse_role("the agency chief")
    assert head is not None and chief is not None and (head.words, head.head) == (chief.words, chief.head)


def test_provincial_government_is_the_government_of_the_province_the_article_is_in() -> None:
    kohsar = ("Kohsar", "Ruritania", "admin1")
    a = article("Kohsar's provincial government said so.", "a.txt", [("provincial government", "government")], [kohsar])
    b = article("The Kohsar government denied it.", "b.txt", [("Kohsar government", "government")], [kohsar])
    c = article("Fighting in Tolvar and Sorbagh went on. The provincial government said the roads were shut.", "c.txt",
                [("provincial government", "government")], [("Tolvar", "Ruritania", "admin2"), ("Sorbagh", "Ruritania", "admin2")])
    for p in c.places:
        p.geo.admin1 = "Kohsar"  # type: ignore[union-attr]
    d = article("In Ostberg, the provincial government met.", "d.txt", [("provincial government", "government")],
                [("Ostberg", "Ruritania", "town")])
    resolve_entities([a, b, c, d])
    assert a.mentions[0].entity_id == b.mentions[0].entity_id == c.mentions[0].entity_id
    assert d.mentions[0].entity_id != a.mentions[0].entity_id  # one place, no province: left unanchored


def test_gold_scorer_names_the_alias_pairs_kept_apart_and_wrongly_joined() -> None:
    from rashomon.evaluation import GoldScorer
    from rashomon.records import Reconciled

    gold = {"entities": [{"name": "Jane Roe", "aliases": ["the minister"]}, {"name": "John Doe", "aliases": []}]}
    ents = [Entity(name="Jane Roe", type="person", aliases=["Jane Roe", "John Doe"]),
            Entity(name="the minister", type="person", aliases=["the minister"])]
    scorer = GoldScorer(gold, [], Reconciled(entities=ents, stories=[], events=[], disputes=[]))
    assert scorer.entity_misses() == ["apart: 'jane roe' / 'the minister'", "joined: 'jane roe' / 'john doe'"]


def test_the_commission_refers_back_to_the_one_commission_named_before_it() -> None:
    text = "The Ostland Human Rights Commission (OHRC) counted the dead. The commission said more had died."
    ex = article(text, "a.txt", [("Ostland Human Rights Commission", "organization"), ("OHRC", "organization")],
                 speakers=[("The commission", "commission", "organization")])
    ohrc = holder(resolve_entities([ex]), "OHRC")
    assert ex.claims[0].speaker.entity_id == ohrc.id and "The commission" in ohrc.aliases
    assert any(r.startswith("head noun: 'The commission'") for r in ohrc.merge_reasons)
    two = article("The Ostland Election Commission and the Ostland Water Commission met. The commission said no.", "b.txt",
                  [("Ostland Election Commission", "organization"), ("Ostland Water Commission", "organization")],
                  speakers=[("The commission", "commission", "organization")])
    ents = resolve_entities([two])
    assert "The commission" not in holder(ents, "Ostland Election Commission").aliases
    assert "The commission" not in holder(ents, "Ostland Water Commission").aliases


def test_extracted_spokesman_of_another_organisation_stays_apart() -> None:
    text = ("The Eastland Army has been no better. Its spokesman, Jane Roe, insists all are safe. "
            "None of this excuses the Northern Front. Its spokesman boasts that the men are well.")
    speakers = [("Its spokesman, Jane Roe", "Jane Roe", "person"), ("Its spokesman", "Jane Roe", "person")]
    ex = article(text, "a.txt", [("Eastland Army", "military"), ("Jane Roe", "person"), ("Northern Front", "armed_group")],
                 speakers=speakers)
    second = text.rfind("Its spokesman")
    ex.claims[1].speaker.start, ex.claims[1].span = second, (second, len(text))
    ents = resolve_entities([ex])
    roe, front = holder(ents, "Jane Roe"), holder(ents, "Northern Front")
    title = next(e for e in ents if e.id == ex.claims[1].speaker.entity_id)
    assert title is not roe and [c["entity_id"] for c in title.candidates] == [roe.id]
    assert [(r["type"], r["entity_id"]) for r in title.relations] == [("speaks_for", front.id)]
    assert ex.claims[0].speaker.entity_id == roe.id and roe.relations[0]["entity_id"] == holder(ents, "Eastland Army").id
