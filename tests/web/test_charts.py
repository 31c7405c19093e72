"""The timeline SVG: well-formed, one mark per dated item, periods drawn as periods, labels apart, escaped."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from rashomon.records import TimelineItem
from rashomon.web.charts import LEFT, RIGHT, WIDTH, timeline_svg

NS = "{http://www.w3.org/2000/svg}"


def _item(d: str | None, kind: str = "incident", text: str = "Clash in town", precision: str | None = "day",
          article: str = "art_1") -> TimelineItem:
    return TimelineItem(date=d, precision=precision, text=text, article_id=article, kind=kind)


def _parse(items: list[TimelineItem], sources: dict[str, str] | None = None) -> ET.Element:
    root = ET.fromstring(str(timeline_svg(items, sources)))
    assert root.tag == f"{NS}svg" and root.get("class") == "timeline"
    return root


def _items(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("class") == "timeline-item"]


def test_empty_and_undated_give_a_note_not_marks() -> None:
    for items in ([], [_item(None), _item("not a date")]):
        root = _parse(items)
        assert not _items(root)
        assert "No dated items" in "".join(root.itertext())


def test_one_item_per_dated_item_and_undated_skipped() -> None:
    items = [_item("2025-03-03"), _item(None), _item("2025-03-05", "statement"), _item("2025-03-09", "deadline")]
    root = _parse(items)
    assert len(_items(root)) == 3
    assert [g.get("data-kind") for g in _items(root)] == ["incident", "statement", "deadline"]


def test_single_item_has_an_axis_with_ticks() -> None:
    root = _parse([_item("2025-03-03")])
    assert len(_items(root)) == 1
    axis = next(g for g in root.iter(f"{NS}g") if g.get("class") == "axis")
    assert len(list(axis.iter(f"{NS}text"))) >= 2


def test_two_hundred_items_render_fast_inside_the_plot() -> None:
    start = date(2025, 1, 1)
    kinds = ("incident", "statement", "deadline", "published")
    items = [_item((start + timedelta(days=i % 60)).isoformat(), kinds[i % 4], f"Item number {i}") for i in range(200)]
    t0 = time.perf_counter()
    root = _parse(items)
    assert time.perf_counter() - t0 < 1.0
    assert len(_items(root)) == 200
    for c in root.iter(f"{NS}circle"):
        assert LEFT - 0.1 <= float(c.get("cx", "nan")) <= WIDTH - RIGHT + 0.1


def _label_boxes(root: ET.Element) -> list[tuple[float, float, float, float]]:
    boxes = []
    for g in _items(root):
        for t in g.iter(f"{NS}text"):
            x, y, w = float(t.get("x", "0")), float(t.get("y", "0")), len(t.text or "") * 11 * 0.56
            boxes.append((x, y - 11, x + w, y))
    return boxes


def test_labels_never_overlap_and_are_truncated() -> None:
    items = [_item("2025-03-03", "statement", f"A rather long statement number {i} that goes on and on") for i in range(12)]
    root = _parse(items)
    boxes = _label_boxes(root)
    assert 1 <= len(boxes) < 12  # three rows fit, the rest keep only their tooltip
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert all(len(t.text or "") <= 34 for t in root.iter(f"{NS}text"))
    assert all(g.find(f"{NS}title") is not None for g in _items(root))  # the full text stays in the tooltip


def test_periods_are_bars_and_distant_items_are_pinned_with_their_date() -> None:
    items = [_item("2025-03-01"), _item("2025-03-20"), _item("2025-03-01", precision="month", text="In March"),
             _item("2019-01-01", precision="year", text="Since 2019")]
    root = _parse(items)
    by_text = {g.findtext(f"{NS}title"): g for g in _items(root)}
    month = next(g for t, g in by_text.items() if "In March" in (t or ""))
    rect = month.find(f"{NS}rect")
    assert rect is not None and float(rect.get("width", "0")) > 300  # the whole month, not 1 March
    old = next(g for t, g in by_text.items() if "Since 2019" in (t or ""))
    assert old.find(f"{NS}path") is not None and old.find(f"{NS}circle") is None  # pinned to the edge
    assert "2019" in "".join(old.itertext())
    days = [g for t, g in by_text.items() if "Clash" in (t or "")]
    assert all(g.find(f"{NS}circle") is not None for g in days)


def test_kinds_are_coloured_apart_and_tooltips_name_the_source() -> None:
    items = [_item("2025-03-03", "incident", article="a1"), _item("2025-03-04", "statement", article="a2")]
    root = _parse(items, {"a1": "Wire One", "a2": "Daily Two"})
    fills = {g.get("data-kind"): g.find(f"{NS}circle").get("fill") for g in _items(root)}  # type: ignore[union-attr]
    assert fills["incident"] != fills["statement"]
    titles = [g.findtext(f"{NS}title") or "" for g in _items(root)]
    assert "source: Wire One" in titles[0] and "source: Daily Two" in titles[1]
    assert "2025-03-03" in titles[0]


def test_hostile_text_is_escaped() -> None:
    evil = '<script>alert(1)</script> onerror="x" javascript:alert(2)'
    svg = str(timeline_svg([_item("2025-03-03", text=evil, article="a1")], {"a1": "<b>Outlet</b>"}))
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script") or e.tag.endswith("b")]
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;Outlet" in svg
    assert not [k for e in root.iter() for k in e.attrib if k.lower().startswith("on")]  # no event handler
