"""A small, realistic hand-built Extraction/Reconciled set shared by the store, export and report tests.

Invented wording (no real test article): two outlets report a group's video of captured soldiers
with different counts; the army denies any soldier is missing.
"""

from __future__ import annotations

from rashomon.reconcile.ledger import FIGURE_RULES
from rashomon.records import (
    Article,
    Claim,
    DateRef,
    Dispute,
    DisputeSide,
    Entity,
    Event,
    Extraction,
    Fatalities,
    Geo,
    Mention,
    Place,
    Quantity,
    Reconciled,
    Speaker,
    Story,
    TimelineItem,
)

TEXT_A = (
    "NORTHTOWN: The Example Front said on Monday it had captured six soldiers near Riverford, "
    "a video purportedly showed. The army said none of its soldiers had been captured."
)
TEXT_B = (
    "The Example Front claimed at least seven soldiers were taken <script>alert(1)</script> in "
    "Riverford district. The claim could not be independently verified. A shameful attack, the editor wrote."
)


def _quantity(text: str, value: float, qualifier: str, start: int) -> Quantity:
    return Quantity(text=text, value=value, low=value, high=None if qualifier != "exact" else value,
                    qualifier=qualifier, counted="soldiers", unit=None, start=start,
                    end=start + len(text), category="captured")


def _geo() -> Geo:
    return Geo(lat=33.5, lon=70.25, admin1="Province One", admin2="Riverford", country="PK", precision="town")


def extraction_a() -> Extraction:
    art = Article(source="/data/a.html", text=TEXT_A, title="Group says it captured soldiers",
                  url="https://a.example/1", outlet="Outlet A", published="2025-03-03",
                  dateline="NORTHTOWN", language="en", format="html")
    q = _quantity("six soldiers", 6.0, "exact", TEXT_A.index("six"))
    monday = DateRef(text="on Monday", value="2025-03-03", low="2025-03-03", high="2025-03-03",
                     precision="day", kind="point", start=TEXT_A.index("on Monday"), end=TEXT_A.index("on Monday") + 9)
    s1 = (0, TEXT_A.index("The army"))
    s2 = (s1[1], len(TEXT_A))
    c1 = Claim(article_id=art.id, speaker=Speaker(text="The Example Front", name="Example Front", kind="group",
               start=11, end=28), cue="said", act="claim", stance="assert",
               content="it had captured six soldiers near Riverford", quote="indirect",
               sentence=TEXT_A[s1[0]:s1[1]].strip(), span=s1, quantities=[q],
               hedges=["purportedly"], dates=[monday])
    c2 = Claim(article_id=art.id, speaker=Speaker(text="The army", name="army", kind="organization"),
               cue="said", act="deny", stance="deny", content="none of its soldiers had been captured",
               quote="indirect", sentence=TEXT_A[s2[0]:s2[1]].strip(), span=s2)
    place = Place(text="Riverford", name="Riverford", start=TEXT_A.index("Riverford"),
                  end=TEXT_A.index("Riverford") + 9, geo=_geo(), sentence=0)
    ev = Event(article_ids=[art.id], event_type="Battles", sub_event_type="Armed clash", date=monday,
               location=place, actor1="Example Front", actor2="army",
               captured=Fatalities(low=6, best=6, high=6, claim_ids=[c1.id]), claim_ids=[c1.id], sentences=[s1])
    return Extraction(
        article=art,
        mentions=[Mention(text="Example Front", start=15, end=28, type="armed_group", label="ORG", sentence=0),
                  Mention(text="army", start=s2[0] + 4, end=s2[0] + 8, type="military", sentence=1)],
        places=[place], dates=[monday], quantities=[q], claims=[c1, c2], events=[ev],
        hedges=["purportedly"], evaluative=[], sentences=[s1, s2],
    )


def extraction_b() -> Extraction:
    art = Article(source="/data/b.jsonl#2", text=TEXT_B, title="Front claims <b>seven</b> captives",
                  outlet="Outlet <B>", published=None, published_inferred=True, language="en", format="jsonl")
    q = _quantity("at least seven soldiers", 7.0, "at_least", TEXT_B.index("at least"))
    s1 = (0, TEXT_B.index("The claim"))
    c1 = Claim(article_id=art.id, speaker=Speaker(text="The Example Front", name="Example Front", kind="group"),
               cue="claimed", act="claim", stance="assert", content="at least seven soldiers were taken",
               quote="indirect", sentence=TEXT_B[: s1[1]].strip(), span=s1, quantities=[q],
               hedges=["could not be independently verified"])
    return Extraction(article=art, quantities=[q], claims=[c1], hedges=["could not be independently verified"],
                      evaluative=["shameful"], sentences=[s1, (s1[1], len(TEXT_B))])


def _ledger(a: Extraction, b: Extraction) -> list[dict[str, object]]:
    """The incident's ledger entries: each outlet's captured figure with its claimant and date."""
    common = {"category": "captured", "counted": "soldiers", "claimant": "Example Front", "note": None,
              "victims": "security_forces", "in_summary": True}
    return [
        {**common, "value": 6, "low": 6, "high": 6, "qualifier": "exact", "outlet": "Outlet A",
         "article_id": a.article.id, "claim_id": a.claims[0].id, "date": "2025-03-03", "scope": "on 3 March 2025",
         "text": "six soldiers"},
        {**common, "value": 7, "low": 7, "high": None, "qualifier": "at_least", "outlet": "Outlet <B>",
         "article_id": b.article.id, "claim_id": b.claims[0].id, "date": None, "scope": "no period given",
         "text": "at least seven soldiers"},
    ]


def extractions() -> list[Extraction]:
    return [extraction_a(), extraction_b()]


def reconcile(exs: list[Extraction]) -> Reconciled:
    """What a reconcile stage would produce for the two articles; also mutates ``exs`` like reconcile does."""
    a, b = exs
    front = Entity(name="Example Front", type="armed_group", aliases=["Example Front", "The Example Front"],
                   article_ids=[a.article.id, b.article.id], mentions=3, merge_reasons=["exact name"])
    army = Entity(name="Army", type="military", aliases=["army"], article_ids=[a.article.id], mentions=1)
    army.candidates = [{"entity_id": front.id, "reason": "example of a merge too unsure to make"}]
    front.relations = [{"type": "speaks_for", "entity_id": army.id, "reason": "example relation"}]
    town = Entity(name="Riverford", type="place", aliases=["Riverford"], article_ids=[a.article.id],
                  mentions=1, geo=_geo())
    ids = sorted([a.article.id, b.article.id])
    ev = a.events[0]
    incident = Event(article_ids=ids, event_type=ev.event_type, sub_event_type=ev.sub_event_type, date=ev.date,
                     location=ev.location, actor1=front.name, actor2=army.name,
                     captured=Fatalities(low=6, best=6, high=7, claim_ids=[a.claims[0].id, b.claims[0].id]),
                     claim_ids=[a.claims[0].id, b.claims[0].id], sentences=ev.sentences, notes="counts differ",
                     ledger=_ledger(a, b), acled={"captured": 6}, figure_rules=dict(FIGURE_RULES))
    story = Story(article_ids=ids, title="Example Front says it captured soldiers", event_ids=[incident.id],
                  timeline=[TimelineItem(date="2025-03-03", precision="day", text="Video released",
                                         article_id=a.article.id, kind="incident")])
    incident.story_id = story.id
    numeric = Dispute(story_id=story.id, kind="numeric", proposition="How many soldiers were captured",
                      sides=[DisputeSide(claim_ids=[a.claims[0].id], stance="assert", value=6,
                                         article_ids=[a.article.id], outlets=["Outlet A"]),
                             DisputeSide(claim_ids=[b.claims[0].id], stance="assert", value=[7, None],
                                         article_ids=[b.article.id], outlets=[])],
                      explanation="6 (exact) and at least 7 cannot both be true.")
    denial = Dispute(story_id=story.id, kind="denial", proposition="Soldiers were captured",
                     sides=[DisputeSide(claim_ids=[a.claims[0].id], stance="assert", value=None,
                                        article_ids=[a.article.id], outlets=["Outlet A"]),
                            DisputeSide(claim_ids=[a.claims[1].id], stance="deny", value=None,
                                        article_ids=[a.article.id], outlets=["Outlet A"])],
                     explanation="The army denies the group's claim.")
    for ex in exs:
        for c in ex.claims:
            c.story_id = story.id
            c.speaker.entity_id = front.id if c.speaker.name == "Example Front" else army.id
        for m in ex.mentions:
            m.entity_id = front.id if m.type == "armed_group" else army.id
        for p in ex.places:
            p.entity_id = town.id
        for e in ex.events:
            e.story_id = story.id
    return Reconciled(entities=[front, army, town], stories=[story], events=[incident], disputes=[numeric, denial])
