"""The offline map: shipped outlines, auto-zoom to the points, one dot per located place, all inside the view."""

from __future__ import annotations

import gzip
import json
import math
import xml.etree.ElementTree as ET

from rashomon.records import Geo, Place
from rashomon.web.geomap import (
    OUTLINES,
    MapPoint,
    countries,
    fit,
    land_at,
    map_svg,
    place_points,
)

NS = "{http://www.w3.org/2000/svg}"


def _parse(points: list[MapPoint]) -> ET.Element:
    svg = str(map_svg(points))
    assert "url(" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg" and root.get("class") == "map"
    return root


def _places(root: ET.Element) -> list[ET.Element]:
    return [c for c in root.iter(f"{NS}circle") if c.get("class") == "place"]


def _land_titles(root: ET.Element) -> set[str]:
    return {p.findtext(f"{NS}title") or "" for p in root.iter(f"{NS}path") if p.get("class") == "land"}


def test_outlines_ship_small_with_source_and_codes() -> None:
    assert OUTLINES.stat().st_size < 1_000_000
    assert "public domain" in (OUTLINES.parent / "README.md").read_text("utf-8").lower()
    data = json.loads(gzip.decompress(OUTLINES.read_bytes()))
    assert "Natural Earth" in data["source"]
    codes = {c.code for c in countries()}
    assert {"PK", "AF", "SY", "UA", "FR", "SD", "US"} <= codes and len(countries()) > 200


def test_point_in_country() -> None:
    found = land_at(69.3, 30.0)
    assert found is not None and found[0].code == "PK"
    assert land_at(-30.0, 0.0) is None  # mid-Atlantic


def test_one_dot_per_point_all_inside_the_view() -> None:
    points = [MapPoint(33.51, 36.29, "Damascus"), MapPoint(36.2, 37.16, "Aleppo", "mention"),
              MapPoint(31.5, 34.47, "Gaza", "context"), MapPoint(float("nan"), 10.0, "Nowhere"),
              MapPoint(12.0, 200.0, "Off the globe")]
    root = _parse(points)
    dots = _places(root)
    assert len(dots) == 3
    _, _, w, h = (float(v) for v in (root.get("viewBox") or "").split())
    for c in dots:
        assert 10 <= float(c.get("cx", "-1")) <= w - 10 and 10 <= float(c.get("cy", "-1")) <= h - 10
    assert {"Syria", "Israel", "Lebanon"} <= _land_titles(root)
    assert len({c.get("fill") for c in dots}) == 3  # coloured by kind


def test_single_point_zooms_to_its_country() -> None:
    view = fit([MapPoint(33.51, 36.29, "Damascus")])
    west, south, east, north = view.lonlat_box()
    assert west < 36.29 < east and south < 33.51 < north
    assert 5 < east - west < 20  # Syria with some margin, not the world
    root = _parse([MapPoint(33.51, 36.29, "Damascus")])
    assert "Syria" in _land_titles(root) and "France" not in _land_titles(root)


def test_far_apart_points_fit_and_aspect_is_kept() -> None:
    points = [MapPoint(48.85, 2.35, "Paris"), MapPoint(50.45, 30.52, "Kyiv"), MapPoint(31.5, 34.47, "Gaza")]
    root = _parse(points)
    assert len(_places(root)) == 3
    assert {"France", "Ukraine", "Turkey"} <= _land_titles(root)
    assert len(ET.tostring(root)) < 250_000
    view = fit(points)
    dx = math.dist(view.xy(0, 40), view.xy(1, 40))
    dy = math.dist(view.xy(0, 40), view.xy(0, 41))
    assert 0.7 < dx / dy < 0.85  # x shrinks with the cosine of the view's latitude


def test_no_point_gives_a_note() -> None:
    root = _parse([])
    assert not _places(root) and "No located place" in "".join(root.itertext())


def test_labels_are_escaped() -> None:
    svg = str(map_svg([MapPoint(33.5, 36.3, "<script>alert(1)</script>")]))
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def _place(name: str, lat: float | None, lon: float | None, precision: str = "town", role: str = "event") -> Place:
    geo = Geo(lat=lat, lon=lon, country="SY", precision=precision) if lat is not None else None
    return Place(text=name, name=name, start=0, end=len(name), geo=geo, role=role)  # type: ignore[arg-type]


def test_place_points_kinds_dedup_and_coarse_places_dropped() -> None:
    places = [_place("Homs", 34.73, 36.71), _place("Homs", 34.73, 36.71), _place("Idlib", 35.93, 36.63),
              _place("Syria", 35.0, 38.5, "country"), _place("Turkey", 39.0, 35.0, "country", "context"),
              _place("Unplaced", None, None), _place("Border", 36.5, 36.6, role="context")]
    points = place_points(places, ["homs"])
    assert {(p.label, p.kind) for p in points} == {("Homs", "incident"), ("Idlib", "mention"), ("Border", "context")}
    assert all(p.country_code == "SY" for p in points)
    only_coarse = place_points([_place("Syria", 35.0, 38.5, "country")])
    assert [p.label for p in only_coarse] == ["Syria"]
