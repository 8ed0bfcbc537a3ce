"""Places: every place mention of an article, geocoded offline against a GeoNames index.

Mentions are the model's GPE/LOC/FAC entities, demonyms among its NORP entities ("Iraqi" ->
Iraq), names it mislabelled as a person or organisation when the same article also uses them as
a place ("Ramadi" tagged PERSON once), and proper nouns it missed that the gazetteer knows
("Anbar"). A name inside a longer person or organisation name ("Washington Post", "Jordan
Henderson") is not a place, nor is a mention the actors step flagged as a government metonym
("Washington said").

Disambiguation scores each candidate by population and feature type (a country or capital
beats a village of the same name), how it is named, and the article: the country and US state
of its other, confidently resolved places, the publisher's country, a qualifier ("Paris,
Texas") and a type word ("Anbar province"). One sense per discourse: every mention of a name
in an article gets the same place. A mention that resolves to nothing is kept, with null
coordinates, and never stops the others.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from newsevents.tasks.extractors.places.gazetteer import (
    ADMIN1,
    CAPITAL,
    CONTINENT,
    COUNTRY,
    Entry,
    Gazetteer,
    fold,
)
from newsevents.tasks.extractors.places.lexicon import (
    PlacesConfig,
    Weights,
    load_places_config,
    places_gazetteer,
)
from newsevents.tasks.extractors.places.mentions import (
    DEMONYM,
    IN_NAME,
    NAME,
    PlaceMention,
    demonym,
    find_mentions,
    preferred_entries,
)
from newsevents.tasks.records import ActorMention, ArticleContext, Place

# ---------------------------------------------------------------- resolution


@dataclass(slots=True)
class _Context:
    countries: Counter[str]
    admin1: Counter[str]
    publisher: frozenset[str]

    def share(self, counter: Counter[str], value: str | None) -> float:
        total = sum(counter.values())
        return counter[value] / total if value and total else 0.0


def _score(
    entry: Entry, preferred: bool, mention: PlaceMention, gaz: Gazetteer, w: Weights, ctx: _Context | None
) -> float:
    code = entry.feature_code
    # US states carry no population in the data and weigh as `admin1_population`; other divisions
    # weigh the inhabitants of their places (Ghana's small Savannah region does not outweigh
    # Savannah, Georgia).
    population = entry.population or (w.admin1_population if code == ADMIN1 else 0)
    s = w.population * math.log10(population + 1)
    s += {COUNTRY: w.country, CONTINENT: w.continent, ADMIN1: w.admin1, CAPITAL: w.capital}.get(code, 0.0)
    s += w.preferred_name if preferred else 0.0
    if mention.type_word:
        s += w.type_word
    if mention.qualifier and _qualifies(entry, mention.qualifier, gaz):
        s += w.qualifier
    if ctx is not None:
        s += w.article_country * ctx.share(ctx.countries, entry.country)
        if entry.admin1:  # a town of the division, or the division, that other places lie in
            s += w.article_admin1 * ctx.share(ctx.admin1, f"{entry.country}/{entry.admin1}")
        if entry.country in ctx.publisher:
            s += w.publisher_country
    return s


def _qualifies(entry: Entry, qualifier: str, gaz: Gazetteer) -> bool:
    """The qualifier names the entry's state ("Paris, Texas", "Austin, Tex.") or country."""
    for e in preferred_entries(gaz, qualifier):
        if e.feature_code == ADMIN1 and entry.admin1 == e.name and entry.geonameid != e.geonameid:
            return True
        if e.feature_code == COUNTRY and entry.country == e.country and entry.feature_code != COUNTRY:
            return True
    return False


_ABBREVIATED_CITY = 1_000_000  # "NYC", "KL": only a large city is known by its initials


def _ranked(
    key_mentions: list[PlaceMention], gaz: Gazetteer, cfg: PlacesConfig, ctx: _Context | None
) -> list[tuple[float, Entry]]:
    """Candidates of one name, best first, scored for its best-informed mention."""
    w = cfg.weights
    best: dict[int, tuple[float, Entry]] = {}
    for mention in key_mentions:
        letters = [c for c in mention.text if c.isalpha()]
        abbreviation = len(letters) <= 3 and all(c.isupper() for c in letters)
        for entry, preferred in gaz.candidates(mention.key):
            # "the Middle East" (LOC) is not Middle East, Maryland
            small = entry.feature_class == "P" and entry.population < cfg.mentions.loc_min_population
            if mention.label == "LOC" and small:
                continue
            # "US" is not the French village Us: an abbreviation names no small place
            if abbreviation and entry.feature_class == "P" and entry.population < _ABBREVIATED_CITY:
                continue
            # "Anbar province" is not the Turkish village Ambar (alternate name "Anbar")
            if mention.type_word and (mention.type_word == "admin") != (entry.feature_class == "A"):
                continue
            s = _score(entry, preferred, mention, gaz, w, ctx)
            if entry.geonameid not in best or s > best[entry.geonameid][0]:
                best[entry.geonameid] = (s, entry)
    return sorted(best.values(), key=lambda t: (-t[0], -t[1].population, t[1].geonameid))


_PUBLISHER_CITY = 500_000  # "Chicago Tribune", not "Daily Mail" (Mail is not a city)


def _publisher_countries(publisher: str | None, gaz: Gazetteer) -> frozenset[str]:
    """Countries named in the publisher's name, by any of its words or word pairs."""
    if not publisher:
        return frozenset()
    words = publisher.split()
    found = set()
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            for e in preferred_entries(gaz, fold(" ".join(words[i : i + n]))):
                if e.feature_code in (COUNTRY, CAPITAL, ADMIN1) or e.population >= _PUBLISHER_CITY:
                    found.add(e.country)
    found.discard(None)
    return frozenset(found)


def resolve_mentions(
    found: Sequence[PlaceMention], gaz: Gazetteer, cfg: PlacesConfig, publisher: str | None = None
) -> list[Entry | None]:
    """The gazetteer entry of each mention (None when nothing fits), in two passes: the first
    without context gives the article's countries and states from its confident choices, the
    second scores every candidate with them."""
    w = cfg.weights
    by_key: dict[tuple[str, str, bool], list[PlaceMention]] = {}
    for m in found:
        by_key.setdefault(m.lookup, []).append(m)

    chosen: dict[tuple[str, str, bool], Entry | None] = {}
    confident: dict[tuple[str, str, bool], tuple[Entry, float]] = {}
    for lookup, ms in by_key.items():
        kind, key, _ = lookup
        # A place inside a name ("Washington Post") says little about where the story is; a
        # dateline ("BEIRUT (AP) -") says where it was filed, and counts as several mentions.
        votes = sum(w.dateline if m.dateline else 1 for m in ms if m.kind != IN_NAME)
        if kind == DEMONYM:
            e = demonym(gaz, key)
            chosen[lookup] = e
            if e is not None and votes:
                confident[lookup] = (e, votes)
            continue
        ranked = _ranked(ms, gaz, cfg, None)
        margin = ranked[0][0] - ranked[1][0] if len(ranked) > 1 else math.inf
        if ranked and margin >= w.confident_margin and votes:
            confident[lookup] = (ranked[0][1], votes)

    publisher_countries = _publisher_countries(publisher, gaz)
    for lookup, ms in by_key.items():
        if lookup[0] != NAME:
            continue
        # A name is not its own evidence: "Georgia" must not vote for the country Georgia
        # when "Atlanta" and "Savannah" vote for the state.
        countries: Counter[str] = Counter()  # of weights: a dateline counts `dateline` times
        admin1: Counter[str] = Counter()
        for other, (e, n) in confident.items():
            if other[:2] != lookup[:2] and e.country:
                countries[e.country] += n
                if e.admin1:
                    admin1[f"{e.country}/{e.admin1}"] += n
        ranked = _ranked(ms, gaz, cfg, _Context(countries, admin1, publisher_countries))
        chosen[lookup] = ranked[0][1] if ranked else None
    return [chosen.get(m.lookup) for m in found]


# ---------------------------------------------------------------- entry points


def extract_places(
    doc: Doc, ctx: ArticleContext, mentions: Iterable[ActorMention] = (), cfg: PlacesConfig | None = None
) -> list[Place]:
    """Places of one article in text order; `cfg` is the places lexicon (default: configured)."""
    cfg = cfg or load_places_config()
    gaz = places_gazetteer(cfg)
    metonyms = [(m.start, m.end) for m in mentions if m.metonym]
    persons = [(m.start, m.end) for m in mentions if m.label == "PERSON"]
    found = find_mentions(doc, gaz, cfg, metonyms, persons)
    entries = resolve_mentions(found, gaz, cfg, ctx.publisher)
    places = []
    for m, e in zip(found, entries, strict=True):
        place = Place(ctx.article_id, m.text, m.start, m.end, kind=m.kind)
        if e is not None:
            place.geonameid = e.geonameid
            place.latitude = e.latitude
            place.longitude = e.longitude
            place.country = e.country
            place.feature_class = e.feature_class
            place.admin1 = e.admin1
        places.append(place)
    return places


_SPECIFICITY = {"P": 2, "A": 1, "L": 0}


def focal_place(places: Sequence[Place]) -> Place | None:
    """The place an article is about: its most mentioned resolved place, demonyms and places
    inside names aside; a
    tie goes to the more specific feature (a town before its country), then the earliest.

    Events take this place when their own clause names none.
    """
    counts: Counter[int] = Counter()
    first: dict[int, Place] = {}
    for p in places:
        if p.geonameid is None or p.kind != NAME:
            continue
        counts[p.geonameid] += 1
        first.setdefault(p.geonameid, p)
    if not counts:
        return None
    gid = max(
        counts,
        key=lambda g: (counts[g], _SPECIFICITY.get(first[g].feature_class or "", 0), -first[g].start),
    )
    return first[gid]
