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
