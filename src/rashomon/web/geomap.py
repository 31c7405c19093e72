"""Offline SVG map of a story's places: country and province outlines as the base, one dot per located place.

Why: analysts want to see where incidents are, but the briefing and the app must work with nothing
fetched by the browser and no tile server. The outlines (Natural Earth 1:50m countries and 1:10m admin-1
areas, see ``data/geo/README.md`` and ``outlines.py``) ship in the package and are drawn server-side;
province borders only where a country's provinces are wide enough at the view's scale to read, and the
provinces holding incidents are tinted and named. The view is an equirectangular
projection, its x scaled by the cosine of the view's middle latitude (shapes look right at regional
scale), auto-zoomed to the points' bounding box with a margin; a single point zooms to the land it lies
on (its country, or the island or region of it). Outlines are culled to the view, thinned to what a
pixel can show and clipped to the frame, so an SVG stays small. Labels come from articles and are escaped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from rashomon.records import Place
from rashomon.web.outlines import (
    OUTLINES,
    Admin1,
    Box,
    Country,
    Ring,
    admin1_at,
    admin1_index,
    admin1_layer,
    countries,
    inside,
    land_at,
)
from rashomon.web.outlines import bbox as _bbox
from rashomon.web.svg import Boxes, el, num, svg_root, text, text_width, title

__all__ = ["OUTLINES", "MapPoint", "countries", "land_at", "map_svg", "place_points"]

WIDTH, HEIGHT = 720.0, 440.0
MIN_SPAN, MARGIN, SINGLE_SPAN, MAX_COUNTRY_SPAN = 2.5, 0.18, 6.0, 30.0  # degrees; margin: share of span
COLOURS = {"incident": "#c62828", "context": "#8a8f99"}  # any other kind ("mention"): OTHER_COLOUR
COARSE = {"country", "admin1"}  # shown by their outlines once a finer place is on the map
OTHER_COLOUR = "#1f6feb"
LAND, FOCUS_LAND, SEA, BORDER, GRID = "#ecebe4", "#f8f3e3", "#dde9f3", "#a6a196", "#b9c7d6"
ADMIN_BORDER, ADMIN_FOCUS, ADMIN_TEXT = "#bcb5a5", "#f3e7c6", "#6e6757"
MIN_ADMIN_PX = 24.0  # a country's province borders are drawn when its typical province is this many pixels wide


@dataclass(slots=True)
class MapPoint:
    """One located place of a story; ``kind`` picks its colour (incident, context or any other)."""

    lat: float
    lon: float
    label: str
    kind: str = "incident"
    country_code: str | None = None


def _country_box(p: MapPoint) -> tuple[float, float, float, float] | None:
    """A single point's view: the land it lies on (or its country by code), when that is not huge."""
    found = land_at(p.lon, p.lat)
    boxes = [found[0].ring_boxes[found[1]]] if found else []
    if found and found[0].bbox[2] - found[0].bbox[0] <= MAX_COUNTRY_SPAN:
        boxes.insert(0, found[0].bbox)
    # A coastal town the generalised coast leaves at sea still has its province's country.
    code = p.country_code
    if code is None and found is None and (area := admin1_at(p.lon, p.lat)) is not None:
        code = area.country
    if code:
        boxes += [c.bbox for c in countries() if c.code == code.upper()]
    for w, s, e, n in boxes:
        if max(e - w, n - s) <= MAX_COUNTRY_SPAN and w <= p.lon <= e and s <= p.lat <= n:
            return w, s, e, n
    return None


@dataclass(slots=True)
class View:
    """The projection: lon/lat -> SVG x/y for the fitted box."""

    lon0: float
    lat0: float  # the view's top edge
    k: float  # pixels per degree of latitude
    cos: float

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.cos * self.k, (self.lat0 - lat) * self.k

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        return self.lon0 + x / (self.k * self.cos), self.lat0 - y / self.k

    def lonlat_box(self) -> tuple[float, float, float, float]:
        return (self.lon0, self.lat0 - HEIGHT / self.k, self.lon0 + WIDTH / (self.k * self.cos), self.lat0)


def _widen(box: tuple[float, float, float, float], span: float) -> tuple[float, float, float, float]:
    """The box grown about its centre to at least ``span`` degrees each way."""
    w, s, e, n = box
    cx, cy = (w + e) / 2, (s + n) / 2
    return min(w, cx - span / 2), min(s, cy - span / 2), max(e, cx + span / 2), max(n, cy + span / 2)


def fit(points: Sequence[MapPoint]) -> View:
    """The view around the points: their box (or a single place's land) plus a margin, at the SVG's aspect."""
    single = len({(p.lat, p.lon) for p in points}) == 1
    land = _country_box(points[0]) if single else None
    if land is not None:
        box = _widen(land, MIN_SPAN)
    else:
        box = _widen(_bbox([(p.lon, p.lat) for p in points]), SINGLE_SPAN if single else MIN_SPAN)
    w, s, e, n = box
    mx, my = (e - w) * MARGIN, (n - s) * MARGIN
    w, s, e, n = w - mx, max(-85.0, s - my), e + mx, min(85.0, n + my)
    cos = max(0.2, math.cos(math.radians((s + n) / 2)))
    k = min(WIDTH / ((e - w) * cos), HEIGHT / (n - s))
    cx, cy = (w + e) / 2, (s + n) / 2
    return View(lon0=cx - WIDTH / (2 * k * cos), lat0=cy + HEIGHT / (2 * k), k=k, cos=cos)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _path(pts: Ring, view: View, seen: list[tuple[float, float]], closed: bool = True) -> str:
    """'M..L..' (+'Z' when closed) for a ring or line, dropping points closer than a pixel to the last kept one
    (a line keeps its end, where the next border meets it); the kept points inside the frame are added to
    ``seen`` (where the country's name can go when its centre is out of view)."""
    out: list[str] = []
    lon0, lat0, kx, ky = view.lon0, view.lat0, view.k * view.cos, view.k  # view.xy inlined: the hot loop
    lx = ly = math.inf
    end = len(pts) if not closed else -1
    for n, (lon, lat) in enumerate(pts, 1):
        x, y = (lon - lon0) * kx, (lat0 - lat) * ky
        if abs(x - lx) + abs(y - ly) >= 0.8 or n == end:
            out.append(f"{x:.1f},{y:.1f}")  # not svg.num: formatting is most of a map's time
            lx, ly = x, y
            if 0 <= x <= WIDTH and 0 <= y <= HEIGHT:
                seen.append((x, y))
    if len(out) < (3 if closed else 2):
        return ""
    return "M" + "L".join(out) + ("Z" if closed else "")


def _anchor(c: Country, view: View, seen: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """Where the country's name goes: its label point, or the middle of its outline points in view."""
    x, y = view.xy(*c.label)
    if 0 <= x <= WIDTH and 0 <= y <= HEIGHT:
        return x, y
    if len(seen) < 3:
        return None
    x, y = sum(p[0] for p in seen) / len(seen), sum(p[1] for p in seen) / len(seen)
    lon, lat = view.lonlat(x, y)
    return (x, y) if any(inside(lon, lat, r) for r in c.rings) else None


Anchors = list[tuple[Country, tuple[float, float]]]


def _land(view: View, focus: set[str]) -> tuple[str, Anchors, list[tuple[Ring, Box]]]:
    """Country outlines in view (one ``path.land`` each), where each drawn country's name can go, and the
    drawn rings (a border is drawn again over a tinted province)."""
    box = view.lonlat_box()
    parts, anchors, drawn = [], [], []
    for c in countries():
        if not _overlaps(c.bbox, box):
            continue
        seen: list[tuple[float, float]] = []
        rings = [(r, rb, d) for r, rb in zip(c.rings, c.ring_boxes) if _overlaps(rb, box) and (d := _path(r, view, seen))]
        if d := "".join(d for _, _, d in rings):
            fill = FOCUS_LAND if c.name in focus else LAND
            parts.append(el("path", title(c.name), class_="land", d=d, fill=fill, stroke=BORDER,
                            stroke_width="0.8", stroke_linejoin="round", fill_rule="evenodd"))
            drawn += [(r, rb) for r, rb, _ in rings]
            if (at := _anchor(c, view, seen)) is not None:
                anchors.append((c, at))
    return "".join(parts), anchors, drawn


def _admin_borders(view: View, focus: set[str]) -> str:
    """Province / state borders (one thin dashed ``path.admin1``) of the countries in view whose provinces are
    wide enough at this scale (twice as wide for a country holding no point, so a wide view stays readable);
    the coast and international borders are the country layer's."""
    box = view.lonlat_box()
    keys = [k for k, ext in admin1_index().items() if _overlaps(ext.box, box)
            and ext.typical * view.k >= MIN_ADMIN_PX * (1 if k in focus else 2)]
    d = "".join(_path(arc, view, [], closed=False) for k in keys if (layer := admin1_layer(k)) is not None
                for arc, ab in zip(layer.inner, layer.inner_boxes) if _overlaps(ab, box))
    return el("path", class_="admin1", d=d, fill="none", stroke=ADMIN_BORDER, stroke_width="0.7",
              stroke_dasharray="3 2", stroke_linejoin="round") if d else ""


def _focus_areas(points: Sequence[MapPoint]) -> list[tuple[Admin1, list[MapPoint]]]:
    """The admin-1 areas holding the incident points (any point when none is an incident), with their points."""
    chosen = [p for p in points if p.kind == "incident"] or list(points)
    areas: dict[tuple[str, str], tuple[Admin1, list[MapPoint]]] = {}
    for p in chosen:
        if (a := admin1_at(p.lon, p.lat, p.country_code)) is not None:
            areas.setdefault((a.country, a.name), (a, []))[1].append(p)
    return list(areas.values())


def _runs(ring: Ring, box: Box) -> list[Ring]:
    """The stretches of a ring inside ``box`` (with the points either side), as open lines."""
    runs: list[Ring] = []
    cur: list[tuple[float, float]] = []
    pts = ring + ring[:1]
    for i, p in enumerate(pts):
        if box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3]:
            cur += [p] if cur or i == 0 else [pts[i - 1], p]
        elif cur:
            runs.append((*cur, p))
            cur = []
    return [*runs, tuple(cur)] if len(cur) > 1 else runs


def _area_tint(areas: Sequence[tuple[Admin1, list[MapPoint]]], view: View, drawn: Sequence[tuple[Ring, Box]]) -> str:
    """The focus areas, lightly tinted (``path.admin1-focus``) so their extent shows, and the stretches of
    country border they cover drawn again on top (``path.border``)."""
    box = view.lonlat_box()
    out = []
    for a, _ in areas:
        d = "".join(_path(r, view, []) for r, rb in zip(a.rings, a.ring_boxes) if _overlaps(rb, box))
        if d:
            out.append(el("path", title(a.name), class_="admin1-focus", d=d, fill=ADMIN_FOCUS, stroke="none",
                          fill_rule="evenodd"))
    covered = "".join(_path(run, view, [], closed=False) for a, _ in areas for r, rb in drawn
                      if _overlaps(rb, a.bbox) for run in _runs(r, a.bbox)) if out else ""
    if covered:
        out.append(el("path", class_="border", d=covered, fill="none", stroke=BORDER, stroke_width="0.8",
                      stroke_linejoin="round"))
    return "".join(out)


def _area_labels(areas: Sequence[tuple[Admin1, list[MapPoint]]], view: View, boxes: Boxes) -> str:
    """Each focus area's name (``text.admin1-label``), at its label point or else just below or above one of
    its points, where there is room."""
    out = []
    for a, pts in areas:
        if any(p.label.strip().casefold() == a.name.casefold() for p in pts):
            continue  # a city named like its province: the place's own label already says it
        w = text_width(a.name, 10.5)
        spots = [view.xy(*a.label)] + [(x, y + dy) for x, y in (view.xy(p.lon, p.lat) for p in pts) for dy in (24, -20)]
        for x, y in spots:
            if w / 2 <= x <= WIDTH - w / 2 and 14 <= y <= HEIGHT - 14 \
                    and boxes.take((x - w / 2, y - 10, x + w / 2, y + 2)):
                out.append(text(a.name, class_="admin1-label", x=x, y=y, font_size="10.5", font_style="italic",
                                text_anchor="middle", fill=ADMIN_TEXT, stroke=FOCUS_LAND, stroke_width="2.5",
                                paint_order="stroke", stroke_linejoin="round"))
                break
    return "".join(out)


def _step(span: float) -> float:
    return next((s for s in (0.5, 1, 2, 5, 10, 15, 30, 60) if span / s <= 6), 90)


def _graticule(view: View) -> str:
    """Light lon/lat lines with degree labels, so a reader can place an unfamiliar region."""
    w, s, e, n = view.lonlat_box()
    step = _step(max(e - w, n - s))
    parts = []
    for i in range(math.ceil(w / step), math.floor(e / step) + 1):
        x = view.xy(i * step, 0)[0]
        parts.append(el("line", x1=x, x2=x, y1="0", y2=num(HEIGHT), stroke=GRID, stroke_width="0.6"))
        parts.append(text(f"{abs(i * step):g}°{'E' if i >= 0 else 'W'}", x=x + 3, y=HEIGHT - 4, font_size="10",
                          fill="#7d8ea0"))
    for j in range(math.ceil(s / step), math.floor(n / step) + 1):
        y = view.xy(0, j * step)[1]
        parts.append(el("line", x1="0", x2=num(WIDTH), y1=y, y2=y, stroke=GRID, stroke_width="0.6"))
        parts.append(text(f"{abs(j * step):g}°{'N' if j >= 0 else 'S'}", x="3", y=y - 3, font_size="10",
                          fill="#7d8ea0"))
    return el("g", "".join(parts), class_="graticule", stroke_opacity="0.6")


def _point_labels(points: Sequence[MapPoint], view: View, boxes: Boxes) -> str:
    """Each distinct place's name beside its dot: right, left, above or below, whichever is free."""
    out, seen = [], set()
    for p in points:
        key = (p.label, round(p.lat, 3), round(p.lon, 3))
        if key in seen or not p.label.strip():
            continue
        seen.add(key)
        x, y = view.xy(p.lon, p.lat)
        w = text_width(p.label, 12)
        for lx, ly in ((x + 8, y + 4), (x - 8 - w, y + 4), (x - w / 2, y - 9), (x - w / 2, y + 17)):
            if 0 <= lx and lx + w <= WIDTH and 12 <= ly <= HEIGHT and boxes.take((lx, ly - 11, lx + w, ly + 2)):
                out.append(text(p.label, x=lx, y=ly, font_size="12", fill="#1d2330", stroke="#ffffff",
                                stroke_width="3", paint_order="stroke", stroke_linejoin="round"))
                break
    return "".join(out)


def _country_labels(anchors: Sequence[tuple[Country, tuple[float, float]]], boxes: Boxes) -> str:
    """Names of the countries in view (largest first), where no place label is."""
    out = []
    for c, (x, y) in sorted(anchors, key=lambda a: -(a[0].bbox[2] - a[0].bbox[0]) * (a[0].bbox[3] - a[0].bbox[1]))[:12]:
        name = c.name.upper()
        w = text_width(name, 10) * 1.15
        x = min(max(x, w / 2 + 4), WIDTH - w / 2 - 4)
        if 14 <= y <= HEIGHT - 14 and boxes.take((x - w / 2, y - 10, x + w / 2, y + 2)):
            out.append(text(name, x=x, y=y, font_size="10", text_anchor="middle", fill="#8c8677", letter_spacing="1"))
    return el("g", "".join(out), class_="country-labels")


def _scale_bar(view: View) -> str:
    """A kilometre scale bar, bottom right."""
    km_per_px = 111.32 / view.k
    target = km_per_px * WIDTH / 6
    nice = next((v for v in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000) if v >= target * 0.6), 5000)
    px = nice / km_per_px
    x1, y = WIDTH - 14, HEIGHT - 14
    bar = f"M{num(x1 - px)},{num(y - 4)}V{num(y)}H{num(x1)}V{num(y - 4)}"
    return el("g", el("path", d=bar, fill="none", stroke="#1d2330", stroke_width="1.2")
              + text(f"{nice:g} km", x=x1 - px / 2, y=y - 7, font_size="10", text_anchor="middle", fill="#1d2330"),
              class_="scale")


def _dots(points: Sequence[MapPoint], view: View) -> str:
    out = []
    for p in points:
        x, y = view.xy(p.lon, p.lat)
        tip = f"{p.label} ({p.kind}) · {p.lat:.2f}, {p.lon:.2f}"
        out.append(el("circle", title(tip), class_="place", cx=x, cy=y, r="5", fill=COLOURS.get(p.kind, OTHER_COLOUR),
                      stroke="#ffffff", stroke_width="1.5", data_kind=p.kind))
    return "".join(out)


def _valid(p: MapPoint) -> bool:
    return all(isinstance(v, (int, float)) and math.isfinite(v) for v in (p.lat, p.lon)) \
        and -90 <= p.lat <= 90 and -180 <= p.lon <= 180


def map_svg(points: Sequence[MapPoint]) -> Markup:
    """The map SVG (``svg.map``): outlines as ``path.land``, one ``circle.place`` per point with coordinates."""
    pts = [p for p in points if _valid(p)]
    if not pts:
        msg = "No located place."
        body = text(msg, x=12, y=24, font_size="13", fill="#5d6675", font_style="italic")
        return Markup(svg_root(body, WIDTH, 36, "map", msg))
    view = fit(pts)
    areas = _focus_areas(pts)
    hits = [found[0] for p in pts if (found := land_at(p.lon, p.lat))]
    codes = {c.code for c in hits if c.code} | {a.country for a, _ in areas}
    land, anchors, drawn = _land(view, {c.name for c in hits} | {c.name for c in countries() if c.code in codes})
    boxes = Boxes([(x - 5, y - 5, x + 5, y + 5) for x, y in (view.xy(p.lon, p.lat) for p in pts)], pad=1.0)
    # Places first, then their provinces, then countries: the more specific name wins the room.
    labels = _point_labels(pts, view, boxes) + _area_labels(areas, view, boxes)
    # A nested <svg> clips the outlines to the frame without an id or url() reference.
    base = land + _area_tint(areas, view, drawn) + _admin_borders(view, codes) + _graticule(view)
    body = (el("rect", x="0", y="0", width=num(WIDTH), height=num(HEIGHT), fill=SEA, class_="sea")
            + el("svg", base, x="0", y="0", width=num(WIDTH), height=num(HEIGHT), overflow="hidden")
            + _country_labels(anchors, boxes) + _scale_bar(view) + _dots(pts, view) + labels
            + el("rect", x="0.5", y="0.5", width=num(WIDTH - 1), height=num(HEIGHT - 1), fill="none",
                 stroke="#c9ced8"))
    names = sorted({p.label for p in pts})
    return Markup(svg_root(body, WIDTH, HEIGHT, "map", f"Map of {len(pts)} located places: {', '.join(names)[:300]}"))


def _country_code(country: str | None) -> str | None:
    """Geo.country is ISO alpha-2 where known, else a name: only a code is passed on."""
    return country if country and len(country) == 2 and country.isalpha() and country.isupper() else None


def place_points(places: Iterable[Place], incident_places: Iterable[str] = ()) -> list[MapPoint]:
    """One point per distinct located place: "incident" where an incident is placed, "context" for a place
    only named as context ("borders Chad"), "mention" otherwise. Country- and province-wide places are
    left out once a finer place is known, so a country named in passing does not zoom the map out to the
    world."""
    incidents = {name.lower() for name in incident_places}
    points: dict[tuple[str, float, float], tuple[MapPoint, str | None]] = {}
    for p in places:
        g = p.geo
        if g is None or g.lat is None or g.lon is None:
            continue
        key = (p.name.lower(), round(g.lat, 3), round(g.lon, 3))
        kind = "incident" if key[0] in incidents else "context" if p.role == "context" else "mention"
        old = points.get(key)
        if old is None or (old[0].kind != "incident" and kind != "context"):
            points[key] = (MapPoint(g.lat, g.lon, p.name, kind, _country_code(g.country)), g.precision)
    fine = [pt for pt, precision in points.values() if precision not in COARSE]
    return fine or [pt for pt, _ in points.values()]

