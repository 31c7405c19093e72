"""Incidents of a story (issue 4): what several outlets report as one incident folds into one, even where
one outlet's place or day is coarser; what an article retells from before the story (an earlier attack,
a campaign, another story's toll) is noted on the story's incident, never listed as one of its own.
Invented places, outlets and wording."""

from __future__ import annotations

from rashomon.reconcile.incidents import merge_events
from rashomon.records import (
    Article,
    DateRef,
    Event,
    Extraction,
    Fatalities,
    Geo,
    Place,
    Quantity,
    Story,
)

ABDUCTION = ("Violence against civilians", "Abduction/forced disappearance")
ATTACK = ("Violence against civilians", "Attack")
CLASH = ("Battles", "Armed clash")
ARREST = ("Strategic developments", "Arrests")


def _article(name: str, published: str | None, *paragraphs: str, dateline: str | None = None) -> Extraction:
    """An article whose every paragraph is one sentence, each with its span."""
    text = "\n\n".join(paragraphs)
    ex = Extraction(article=Article(source=f"{name}.txt", text=text, outlet=f"Outlet {name}", published=published,
                                    dateline=dateline))
    at = 0
    for p in paragraphs:
        ex.sentences.append((at, at + len(p)))
        at += len(p) + 2
    return ex


def _day(iso: str, kind: str = "point", precision: str = "day", high: str | None = None) -> DateRef:
    return DateRef(iso, iso, iso, high or iso, precision, kind)  # type: ignore[arg-type]


def _town(ex: Extraction, name: str, precision: str = "town") -> Place:
    """A place the article names (at its first occurrence, so it is the event's own, not a dateline)."""
    at = ex.article.text.find(name)
    return Place(name, name, at, at + len(name), geo=Geo(admin1="Province One", precision=precision))


def _event(ex: Extraction, i: int, kind: tuple[str, str], date: DateRef | None = None, place: Place | None = None,
           killed: int | None = None, captured: int | None = None) -> Event:
    """An event anchored in the article's ``i``-th sentence, dated by publication unless ``date`` says."""
    ev = Event([ex.article.id], kind[0], kind[1], date=date or DateRef.published(ex.article.published), location=place,
               fatalities=Fatalities(killed, killed, killed), captured=Fatalities(captured, captured, captured),
               sentences=[ex.sentences[i]])
    ex.events.append(ev)
    return ev


def _figure(ex: Extraction, phrase: str, value: int, category: str) -> None:
    at = ex.article.text.index(phrase)
    number, _, counted = phrase.partition(" ")
    ex.quantities.append(Quantity(number, value, value, value, "exact", counted=counted, start=at, end=at + len(number),
                                  category=category))


def _incidents(*exs: Extraction) -> list[Event]:
    by_id = {ex.article.id: ex for ex in exs}
    return merge_events(Story(article_ids=list(by_id), title="t"), [e for ex in exs for e in ex.events], by_id)


def _kidnapping(name: str = "a", published: str = "2031-05-03") -> Extraction:
    ex = _article(name, published, "Gunmen abducted 20 passengers from a bus near Rivertown on Friday.")
    _figure(ex, "20 passengers", 20, "captured")
    _event(ex, 0, ABDUCTION, _day("2031-05-02"), _town(ex, "Rivertown"), captured=20)
    return ex


def test_an_earlier_attack_an_article_retells_is_noted_not_an_incident_of_the_story() -> None:
    a = _article("a", "2031-05-03", "Gunmen abducted 20 passengers from a bus near Rivertown on Friday.",
                 "In March 2030 gunmen killed 12 people near Hilltown.")
    _figure(a, "20 passengers", 20, "captured")
    _figure(a, "12 people", 12, "killed")
    _event(a, 0, ABDUCTION, _day("2031-05-02"), _town(a, "Rivertown"), captured=20)
    _event(a, 1, ATTACK, _day("2030-03-01", "range", "month", "2030-03-31"), _town(a, "Hilltown"), killed=12)
    b = _article("b", "2031-05-04", "Twenty bus passengers were kidnapped near Rivertown, police said.")
    _event(b, 0, ABDUCTION, place=_town(b, "Rivertown"))
    [inc] = _incidents(a, b)
    assert inc.article_ids == sorted([a.article.id, b.article.id]) and inc.captured.best == 20
    assert inc.fatalities.best is None and not [r for r in inc.ledger if r["category"] == "killed"]
    assert inc.notes is not None and "not incidents of this story" in inc.notes and "Hilltown" in inc.notes


def test_a_story_of_one_article_keeps_the_incident_a_follow_up_report_retells() -> None:
    ex = _article("s", "2031-06-10", "A man was sentenced on Monday for a shooting.",
                  "On 3 March 2031 he shot four people in Rivertown.")
    _figure(ex, "four people", 4, "injured")
    _event(ex, 0, ARREST, _day("2031-06-09"))
    _event(ex, 1, ATTACK, _day("2031-03-03"), _town(ex, "Rivertown"))
    incidents = _incidents(ex)
    assert any(e.date is not None and e.date.value == "2031-03-03" and e.injured.best == 4 for e in incidents)


def test_outlets_with_a_coarser_place_a_dateline_or_a_later_statement_day_report_one_incident() -> None:
    a = _kidnapping("a")
    b = _article("b", "2031-05-04", "The governor of Province One said on Sunday the kidnappers would be found.")
    _event(b, 0, ABDUCTION, _day("2031-05-04"), _town(b, "Province One", "admin1"))
    c = _article("c", "2031-05-04", "CAPITAL CITY: Relatives of the kidnapped passengers gathered outside the ministry.",
                 dateline="CAPITAL CITY")
    _event(c, 0, ABDUCTION, place=Place("CAPITAL CITY", "Capital City", 0, 0, geo=Geo(precision="town")))
    d = _article("d", None, "Farfield traders closed their shops after the abduction.")
    _event(d, 0, ABDUCTION, date=None, place=_town(d, "Farfield"))
    [inc] = _incidents(a, b, c, d)
    assert inc.article_ids == sorted(ex.article.id for ex in (a, b, c, d))
    assert inc.date is not None and inc.date.value == "2031-05-02"
    later = _article("e", "2031-05-21", "Gunmen abducted nine farmers near Rivertown on Tuesday.")
    _event(later, 0, ABDUCTION, _day("2031-05-20"), _town(later, "Rivertown"))
    assert len(_incidents(a, b, later)) == 2  # a kidnapping weeks later is another incident


def test_a_toll_of_another_type_retold_in_passing_is_no_part_of_the_story() -> None:
    a, b = _kidnapping("a"), _kidnapping("b", "2031-05-04")
    c = _article("c", "2031-05-05", "Families of the abducted passengers waited near Rivertown.",
                 "The army says it killed 30 militants in its offensive and lost two soldiers.")
    _figure(c, "30 militants", 30, "killed")
    _figure(c, "two soldiers", 2, "killed")
    _event(c, 0, ABDUCTION, place=_town(c, "Rivertown"))
    _event(c, 1, CLASH, killed=30)  # no day, no place of its own
    [inc] = _incidents(a, b, c)
    assert inc.event_type == ABDUCTION[0] and inc.fatalities.best is None
    assert inc.notes is not None and "Armed clash" in inc.notes


def test_a_retelling_worded_so_is_background_though_it_names_a_place() -> None:
    a = _kidnapping("a")
    b = _article("b", "2031-05-04", "Police searched the hills east of Rivertown for the kidnapped passengers.",
                 "The same gang held 15 travellers near Hilltown in the past.")
    _figure(b, "15 travellers", 15, "captured")
    _event(b, 0, ABDUCTION, place=_town(b, "Rivertown"))
    _event(b, 1, ABDUCTION, place=_town(b, "Hilltown"), captured=15)
    [inc] = _incidents(a, b)
    assert inc.captured.best == 20 and "15" not in [r["text"] for r in inc.ledger]


def test_a_mention_with_no_day_and_no_figure_is_the_main_incident_or_background() -> None:
    a = _kidnapping("a")
    b = _article("b", "2031-05-04", "Twenty passengers were kidnapped near Rivertown on Friday.",
                 "The UN office in Capital City condemned the abduction.",
                 "Soldiers in Farfield held a parade.")
    _event(b, 0, ABDUCTION, _day("2031-05-02"), _town(b, "Rivertown"))
    condemned = _event(b, 1, ABDUCTION, place=_town(b, "Capital City"))
    _event(b, 2, CLASH, place=_town(b, "Farfield"))
    [inc] = _incidents(a, b)
    assert condemned.sentences[0] in inc.sentences
    assert inc.notes is not None and "Armed clash in Farfield" in inc.notes


def test_another_articles_event_on_the_day_and_place_of_a_main_incidents_event_joins_that_incident() -> None:
    a = _article("a", "2031-05-03", "Troops fought rebels at Townville on Friday, and at a checkpoint in Hilltown.")
    _event(a, 0, CLASH, _day("2031-05-02"), _town(a, "Townville"))
    a.events.append(Event([a.article.id], *CLASH, date=_day("2031-05-02"), location=_town(a, "Hilltown"),
                          sentences=[a.sentences[0]]))
    b = _article("b", "2031-05-05", "The army said on Sunday the fighting in Townville was over.",
                 "On Friday soldiers came under fire at the Hilltown checkpoint.")
    _event(b, 0, CLASH, _day("2031-05-04"), _town(b, "Townville"))
    _event(b, 1, CLASH, _day("2031-05-02"), _town(b, "Hilltown"))
    [inc] = _incidents(a, b)
    assert inc.article_ids == sorted([a.article.id, b.article.id])
    c = _article("c", "2031-05-05", "The army said on Sunday the fighting in Townville was over.",
                 "On Thursday soldiers came under fire at a checkpoint in Farfield.")
    _event(c, 0, CLASH, _day("2031-05-04"), _town(c, "Townville"))
    _event(c, 1, CLASH, _day("2031-05-01"), _town(c, "Farfield"))
    assert len(_incidents(a, c)) == 2  # another place on another day is another incident


def test_a_toll_the_main_event_takes_only_from_a_retelling_sentence_is_not_the_incidents() -> None:
    a = _kidnapping("a")
    b = _article("b", "2031-05-04", "Gunmen abducted 20 passengers near Rivertown on Friday. It came a month after a "
                 "week-long offensive in which the army killed 130 militants.")
    first = b.article.text.index(" It came") + 1
    b.sentences = [(0, first - 1), (first, len(b.article.text))]
    _figure(b, "130 militants", 130, "killed")
    ev = _event(b, 0, ABDUCTION, _day("2031-05-02"), _town(b, "Rivertown"), killed=130)
    ev.sentences = list(b.sentences)  # the extractor tied the next sentence, and its toll, to the event
    [inc] = _incidents(a, b)
    assert inc.fatalities.best is None and b.events[0].fatalities.best == 130  # the extraction is left as it was
