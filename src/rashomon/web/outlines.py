"""The shipped outlines (countries, admin-1 provinces and states), decoded lazily, and point-in-area look-ups.

Why: the offline map draws them and names the province an incident lies in, with no GIS stack and nothing
fetched at run time. Both layers are Natural Earth (public domain), built by ``bench/build_outlines.py``
(see ``data/geo/README.md``). The admin-1 layer is large, so it is decoded one country at a time, on first
use, and cached for the process: a map only pays for the countries in its view.
"""

from __future__ import annotations

import gzip
import json
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

__all__ = ["ADMIN1", "OUTLINES", "Admin1", "Admin1Layer", "Area", "Country", "Extent", "admin1_at", "admin1_index",
           "admin1_layer", "countries", "inside", "land_at"]

GEO = Path(__file__).resolve().parents[1] / "data" / "geo"
OUTLINES = GEO / "countries-50m.json.gz"
ADMIN1 = GEO / "admin1-10m.json.gz"

Ring = tuple[tuple[float, float], ...]
Box = tuple[float, float, float, float]  # west, south, east, north


@dataclass(slots=True, frozen=True)
class Area:
    """A named outline: its rings, their boxes (to skip most point-in-polygon tests) and a label point."""

    code: str | None  # Country: ISO 3166-1 alpha-2; Admin1: ISO 3166-2 where Natural Earth has one
    name: str
    bbox: Box
    label: tuple[float, float]
    rings: tuple[Ring, ...]
    ring_boxes: tuple[Box, ...]


@dataclass(slots=True, frozen=True)
class Country(Area):
    """A country (Natural Earth 1:50m)."""


@dataclass(slots=True, frozen=True)
class Admin1(Area):
    """A first-level area (province, state, region); ``country`` is its ISO alpha-2 code where it has one."""

    country: str


@dataclass(slots=True, frozen=True)
class Admin1Layer:
    """One country's areas and the borders between them (arcs two of its areas share: what the map draws)."""

    country: str
    areas: tuple[Admin1, ...]
    inner: tuple[Ring, ...]
    inner_boxes: tuple[Box, ...]


@dataclass(slots=True, frozen=True)
class Extent:
    """What a view needs to know of a country's admin-1 layer before decoding it."""

    box: Box
    typical: float  # median side of its areas' boxes, degrees: tells when its borders would be clutter


def bbox(pts: Sequence[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def contains(box: Box, lon: float, lat: float) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def inside(lon: float, lat: float, ring: Ring) -> bool:
    """Even-odd point-in-polygon test."""
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def _in_rings(lon: float, lat: float, rings: Sequence[Ring], boxes: Sequence[Box]) -> int | None:
    """Index of the first ring (bbox-prefiltered) holding the point."""
    return next((i for i, (b, r) in enumerate(zip(boxes, rings)) if contains(b, lon, lat) and inside(lon, lat, r)),
                None)


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """The country outlines, decoded once per process."""
    data = json.loads(gzip.decompress(OUTLINES.read_bytes()))
    out = []
    for c in data["countries"]:
        rings = tuple(tuple((r[i] / 100, r[i + 1] / 100) for i in range(0, len(r), 2)) for r in c["rings"])
        out.append(Country(code=c["code"], name=c["name"] or "", bbox=tuple(c["bbox"]), label=tuple(c["label"]),
                           rings=rings, ring_boxes=tuple(bbox(r) for r in rings)))
    return tuple(out)


@lru_cache(maxsize=4096)
def land_at(lon: float, lat: float) -> tuple[Country, int] | None:
    """The country and ring (index) a point lies on, if any (cached: a map asks for each point several times)."""
    for c in countries():
        if contains(c.bbox, lon, lat) and (i := _in_rings(lon, lat, c.rings, c.ring_boxes)) is not None:
            return c, i
    return None


@lru_cache(maxsize=1)
def _admin1_data() -> tuple[int, dict[str, Any]]:
    """(quantum, per-country raw layers) of the admin-1 file, parsed once; areas are decoded per country."""
    data = json.loads(gzip.decompress(ADMIN1.read_bytes()))
    quantum = int(data["unit"].split("1/")[1].split()[0])
    return quantum, data["countries"]


@lru_cache(maxsize=1)
def admin1_index() -> dict[str, Extent]:
    """Each country's admin-1 extent, to cull a view before decoding anything."""
    out = {}
    for key, raw in _admin1_data()[1].items():
        boxes = [a["bbox"] for a in raw["areas"]]
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        out[key] = Extent(box, statistics.median(((b[2] - b[0]) * (b[3] - b[1])) ** 0.5 for b in boxes))
    return out


def _decode_arc(text: str, quantum: int) -> Ring:
    """"x0,y0,dx,dy,..." integers -> lon/lat points."""
    flat = [int(v) for v in text.split(",")]
    x = y = 0
    pts = []
    for i in range(0, len(flat), 2):
        x, y = x + flat[i], y + flat[i + 1]
        pts.append((x / quantum, y / quantum))
    return tuple(pts)


def _stitch(refs: list[int], arcs: Sequence[Ring]) -> Ring:
    """A ring from arc ids (``~i`` = arc i reversed); each arc after the first starts where the last ended."""
    out: list[tuple[float, float]] = []
    for r in refs:
        pts = arcs[r] if r >= 0 else arcs[~r][::-1]
        out.extend(pts[1:] if out else pts)
    return tuple(out)


@cache
def admin1_layer(key: str) -> Admin1Layer | None:
    """One country's decoded admin-1 layer (None when the file has none for it)."""
    quantum, layers = _admin1_data()
    raw = layers.get(key)
    if raw is None:
        return None
    arcs = [_decode_arc(a, quantum) for a in raw["arcs"]]
    areas = []
    for a in raw["areas"]:
        rings = tuple(_stitch(refs, arcs) for refs in a["rings"])
        areas.append(Admin1(code=a["code"], name=a["name"], country=key, bbox=tuple(a["bbox"]),
                            label=tuple(a["label"]), rings=rings, ring_boxes=tuple(bbox(r) for r in rings)))
    uses = Counter(r if r >= 0 else ~r for a in raw["areas"] for refs in a["rings"] for r in refs)
    inner = tuple(arcs[i] for i, n in sorted(uses.items()) if n >= 2)
    return Admin1Layer(country=key, areas=tuple(areas), inner=inner, inner_boxes=tuple(bbox(r) for r in inner))


NEAR = 0.15  # degrees (~15 km): a coastal town a generalised coastline leaves in the sea still gets its area


def _area_in(layer: Admin1Layer, lon: float, lat: float) -> Admin1 | None:
    for a in layer.areas:
        if contains(a.bbox, lon, lat) and _in_rings(lon, lat, a.rings, a.ring_boxes) is not None:
            return a
    return None


def _grow(box: Box, by: float) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def _gap2(lon: float, lat: float, ring: Ring) -> float:
    """Squared distance (degrees) from the point to the ring's outline."""
    best = float("inf")
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        dx, dy = x1 - x0, y1 - y0
        t = max(0.0, min(1.0, ((lon - x0) * dx + (lat - y0) * dy) / (dx * dx + dy * dy))) if dx or dy else 0.0
        best = min(best, (lon - x0 - t * dx) ** 2 + (lat - y0 - t * dy) ** 2)
    return best


def _nearest(layers: Sequence[Admin1Layer], lon: float, lat: float) -> Admin1 | None:
    """The area whose outline passes closest to the point, within NEAR."""
    best, found = NEAR * NEAR, None
    for layer in layers:
        for a in layer.areas:
            for b, r in zip(a.ring_boxes, a.rings):
                if contains(_grow(b, NEAR), lon, lat) and (d := _gap2(lon, lat, r)) < best:
                    best, found = d, a
    return found


@lru_cache(maxsize=4096)
def admin1_at(lon: float, lat: float, country: str | None = None) -> Admin1 | None:
    """The admin-1 area a point lies in, searched first in ``country`` (ISO alpha-2), then in the country whose
    outline holds the point, then in any country whose extent holds it; else the nearest area within NEAR."""
    found = land_at(lon, lat)
    first = [k for k in (country and country.upper(), found[0].code if found else None) if k]
    rest = [k for k, ext in admin1_index().items() if k not in first and contains(_grow(ext.box, NEAR), lon, lat)]
    layers = [layer for key in dict.fromkeys(first + rest) if (layer := admin1_layer(key)) is not None]
    hit = next((a for layer in layers if (a := _area_in(layer, lon, lat)) is not None), None)
    return hit or _nearest(layers, lon, lat)
