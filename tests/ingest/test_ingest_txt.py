"""txt.py: header styles, datelines, decoding, and the binary/empty errors."""

from __future__ import annotations

from pathlib import Path

from rashomon.ingest import txt
from rashomon.ingest.base import IngestError, ReadOptions
from rashomon.records import Article


def _read(path: Path) -> list[Article | IngestError]:
    return list(txt.read(path, ReadOptions(field_map={})))


def _one_article(path: Path) -> Article:
    items = [i for i in _read(path) if isinstance(i, Article)]
    assert len(items) == 1
    return items[0]


def test_key_value_header_is_parsed_and_removed(fixtures: Path) -> None:
    a = _one_article(fixtures / "header_block.txt")
    assert a.title == "Army says dozens of militants killed in raids"
    assert a.outlet == "Example Times"
    assert a.published == "2025-03-04" and not a.published_inferred
    assert a.author == "Jane Doe"
    assert a.url == "https://www.example-times.com/world/raids-123"
    assert a.dateline == "QUETTA"
    assert a.text.startswith("QUETTA: Security forces")  # the dateline stays in the text
    assert "Title:" not in a.text and "Source:" not in a.text
    assert a.format == "txt" and a.language == "en"


def test_headline_then_date_and_byline(fixtures: Path) -> None:
    a = _one_article(fixtures / "headline_date.txt")
    assert a.title == "Rebels say they hold captured soldiers"
    assert a.published == "2025-03-04"
    assert a.author == "John Roe"
    assert a.dateline == "KHARTOUM"
    assert a.text.startswith("KHARTOUM, March 3 (Reuters) - A rebel group")
    assert "10:32" not in a.text


def test_date_line_alone(fixtures: Path) -> None:
    a = _one_article(fixtures / "date_only.txt")
    assert a.published == "2025-03-04" and a.title is None
    assert a.dateline == "GENEVA"
    assert a.text.startswith("GENEVA (AP)")


def test_plain_text_has_no_header(fixtures: Path) -> None:
    a = _one_article(fixtures / "plain.txt")
    assert a.title is None and a.published is None and a.dateline is None
    assert a.text.startswith("Officials said the convoy")
    assert a.text.endswith("independently verified.")


def test_first_line_is_not_a_header_without_a_date_or_byline(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Short opening line\n\nSecond paragraph of the story.\n", encoding="utf-8")
    a = _one_article(p)
    assert a.title is None
    assert a.text.startswith("Short opening line")


def test_key_block_with_unknown_key_is_body(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("QUETTA: Gunmen attacked a bus.\n\nPolice said two died.\n", encoding="utf-8")
    a = _one_article(p)
    assert a.text.startswith("QUETTA: Gunmen") and a.title is None and a.dateline == "QUETTA"


def test_bom_is_dropped(fixtures: Path) -> None:
    a = _one_article(fixtures / "bom.txt")
    assert a.title == "BOM file" and a.published == "2025-03-07"
    assert not a.text.startswith("\ufeff")


def test_cp1252_is_decoded_and_flagged(fixtures: Path) -> None:
    items = _read(fixtures / "cp1252.txt")
    warnings = [i for i in items if isinstance(i, IngestError)]
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) == 1 and len(warnings) == 1
    assert warnings[0].warning and "cp1252" in warnings[0].message
    assert str(fixtures / "cp1252.txt") in str(warnings[0])
    assert "\u201cfake\u201d" in articles[0].text and "caf\u00e9" in articles[0].text


def test_written_cp1252_bytes(tmp_path: Path) -> None:
    p = tmp_path / "w.txt"
    p.write_bytes(b"The spokesman said the report was \x93baseless\x94 and \x96 he added \x96 untrue.\n")
    a = _one_article(p)
    assert "\u201cbaseless\u201d" in a.text and "\u2013" in a.text


def test_binary_file_is_an_error(fixtures: Path) -> None:
    items = _read(fixtures / "binary.txt")
    assert len(items) == 1 and isinstance(items[0], IngestError)
    assert "binary" in items[0].message and items[0].source.endswith("binary.txt")


def test_empty_file_is_an_error(fixtures: Path, tmp_path: Path) -> None:
    for p in (fixtures / "empty.txt", tmp_path / "zero.txt"):
        p.touch()
        items = _read(p)
        assert len(items) == 1 and isinstance(items[0], IngestError)
        assert items[0].message == "empty file" and items[0].source == str(p)


def test_no_date_in_body_is_taken(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Militants attacked the post on 4 March 2025, officials said.\n", encoding="utf-8")
    a = _one_article(p)
    assert a.published is None


def test_byline_date_line_after_title_header(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Talks stall\nBy Jane Doe | 4 March 2025\n\nNegotiators left the venue.\n", encoding="utf-8")
    a = _one_article(p)
    assert (a.title, a.author, a.published) == ("Talks stall", "Jane Doe", "2025-03-04")
    assert a.text == "Negotiators left the venue."


def _parse(text: str) -> Article:
    from rashomon.ingest.txt import parse_text

    return parse_text(text, "mem")


def test_section_label_headline_and_byline() -> None:
    a = _parse("ANALYSIS\nWhy the truce failed\nBy Maria Lopez\n\nThe truce lasted nine days.\n")
    assert (a.title, a.author) == ("Why the truce failed", "Maria Lopez")
    assert a.text == "The truce lasted nine days."


def test_credit_and_updated_date_line() -> None:
    a = _parse("Ports reopen after strike\nNorth Wire via The Harbour Gazette | Updated June 2, 2024\n\nBody.\n")
    assert a.title == "Ports reopen after strike"
    assert a.outlet == "The Harbour Gazette" and a.published == "2024-06-02"
    assert a.text == "Body."


def test_agency_line_with_time_and_mixed_case_dateline() -> None:
    a = _parse(
        "Clashes on the border\nXYZ - Example Press Agency - 9 July 2023 - 14:20 GMT\n\n"
        "Kabul (XYZ) - Fighting broke out.\n"
    )
    assert (a.title, a.outlet, a.published) == ("Clashes on the border", "XYZ", "2023-07-09")
    assert a.dateline == "Kabul" and a.text.startswith("Kabul (XYZ) - Fighting")


def test_place_date_line_stays_in_text() -> None:
    a = _parse("Families flee shelling\n\nBy Omar Haddad | The Valley Times\nMOSUL, 6 May 2024\n\nFamilies left.\n")
    assert (a.title, a.author, a.outlet, a.published) == (
        "Families flee shelling",
        "Omar Haddad",
        "The Valley Times",
        "2024-05-06",
    )
    assert a.dateline == "MOSUL" and a.text.startswith("MOSUL, 6 May 2024\n\nFamilies left.")


def test_headline_credit_then_dateline_body() -> None:
    a = _parse("Ministry denies report\n\nThe Evening Star\n\nTRIPOLI: The ministry denied the report.\n")
    assert (a.title, a.outlet, a.dateline) == ("Ministry denies report", "The Evening Star", "TRIPOLI")
    assert a.text.startswith("TRIPOLI: The ministry")


def test_headline_then_dateline_body() -> None:
    a = _parse("Convoy attacked near border\n\nGAO: Gunmen attacked a convoy.\n")
    assert a.title == "Convoy attacked near border" and a.text == "GAO: Gunmen attacked a convoy."


def test_short_first_paragraph_is_not_a_title_without_evidence() -> None:
    a = _parse("Officials Said Nothing\n\nThe Evening Star\n\nLater they spoke to reporters.\n")
    assert a.title is None and a.outlet is None and a.text.startswith("Officials Said Nothing")


def test_publication_date_preferred_over_update() -> None:
    a = _parse("Talks collapse\nUpdated: 9 May 2024 | Published: 7 May 2024\n\nBody.\n")
    assert a.published == "2024-05-07"
    b = _parse("Talks collapse\nUpdated: 9 May 2024\n\nBody.\n")
    assert b.published == "2024-05-09"
    c = _parse("Updated: 9 May 2024\nDate: 7 May 2024\n\nBody.\n")
    assert c.published == "2024-05-07"
