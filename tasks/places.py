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

import functools
import itertools
import math
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from spacy.attrs import ENT_IOB, POS
from spacy.parts_of_speech import ADJ, PROPN
from spacy.tokens import Doc, Span

from tasks.gazetteer import (
    ADMIN1,
    CAPITAL,
    CONTINENT,
    COUNTRY,
    Entry,
    Gazetteer,
    abbreviation_key,
    fold,
    load_gazetteer,
)
from tasks.schema import ActorMention, Place

PLACES_CONFIG = Path(__file__).resolve().parents[1] / "config" / "places.toml"

NAME, DEMONYM = "name", "demonym"
_IOB_OUTSIDE = 2  # spaCy's ENT_IOB code for a token outside every entity
_NOT_PLACE_NAMES = frozenset({"PERSON", "ORG"})
_DETERMINERS = ("the ", "a ", "an ")
_POSSESSIVES = ("'s", "’s", "'", "’")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GazetteerSettings(_Strict):
    min_population: int = Field(ge=500)


class MentionSettings(_Strict):
    labels: list[str] = Field(min_length=1)
    admin_words: list[str]
    city_words: list[str]
    unlabelled_min_population: int = Field(ge=0)
    loc_min_population: int = Field(ge=0)
    max_name_tokens: int = Field(ge=1, le=8)


class Weights(_Strict):
    population: float
    country: float
    continent: float
    admin1: float
    capital: float
    admin1_population: int = Field(gt=0)
    preferred_name: float
    article_country: float
    article_admin1: float
    publisher_country: float
    qualifier: float
    type_word: float
    confident_margin: float = Field(ge=0)


class PlacesConfig(_Strict):
    gazetteer: GazetteerSettings
    mentions: MentionSettings
    weights: Weights
    aliases: dict[str, str]
    demonyms: dict[str, str]

    def gazetteer_aliases(self) -> tuple[tuple[str, str], ...]:
        """Aliases and demonyms in the hashable form the gazetteer cache is keyed by."""
        pairs = [(k, v) for k, v in self.aliases.items()] + [(f"@{k}", v) for k, v in self.demonyms.items()]
        return tuple(sorted(pairs))


@functools.lru_cache(maxsize=2)
def load_places_config(path: Path = PLACES_CONFIG) -> PlacesConfig:
    with open(path, "rb") as fh:
        return PlacesConfig.model_validate(tomllib.load(fh))


def places_gazetteer(cfg: PlacesConfig) -> Gazetteer:
    return load_gazetteer(cfg.gazetteer.min_population, cfg.gazetteer_aliases())


# ---------------------------------------------------------------- mentions


@dataclass(slots=True)
class PlaceMention:
    """A span that names a place; `key` is the folded name looked up, without type words."""

    start: int
    end: int
    text: str
    key: str
    kind: str = NAME
    type_word: str | None = None  # "admin" or "city"
    label: str | None = None  # the model's label, None for gazetteer matches
    qualifier: str | None = None  # folded name after a comma: "Paris, Texas" -> "texas"
    tokens: tuple[int, int] = (0, 0)  # token span the mention was read from


def _trim(text: str, start: int) -> tuple[int, str]:
    """A span's start and text without a leading article or a trailing possessive."""
    low = text.lower()
    for det in _DETERMINERS:
        if low.startswith(det) and len(text) > len(det):
            start += len(det)
            text = text[len(det) :]
            break
    for pos in _POSSESSIVES:
        if text.endswith(pos) and len(text) > len(pos) + 1:
            text = text[: -len(pos)]
            break
    return start, text


def _type_word(words: Sequence[str], admin: frozenset[str], city: frozenset[str]) -> str | None:
    last = words[-1].lower() if words else ""
    return "admin" if last in admin else "city" if last in city else None


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def find_mentions(
    doc: Doc, gaz: Gazetteer, cfg: PlacesConfig, metonyms: Sequence[tuple[int, int]] = ()
) -> list[PlaceMention]:
    """Place mentions of `doc` in text order (see the module docstring for what counts).

    Reads entity texts and the few proper nouns outside entities, never `Doc.text` (which joins
    every token) nor every token as a Python object: the parse stays the cost that matters.
    """
    m = cfg.mentions
    labels = frozenset(m.labels)
    admin, city = frozenset(m.admin_words), frozenset(m.city_words)
    found: list[PlaceMention] = []
    named_elsewhere: list[Span] = []

    def add(span: Span, label: str, start: int, text: str, parts: bool = True) -> None:
        start, text = _trim(text, start)
        end = start + len(text)
        if not text or _overlaps(metonyms, start, end):
            return
        words = text.split()
        tw = _type_word(words, admin, city)
        if tw and len(words) > 1:  # "Anbar province": look up "Anbar"
            words = words[:-1]
        elif span.end < len(doc):  # "Anbar" + "province"
            tw = _type_word([doc[span.end].text], admin, city)
        key = fold(" ".join(words))
        if text.endswith(".") and abbreviation_key(text) in gaz.names:  # "Calif.", "D.C."
            key = abbreviation_key(text)
        if not key or not any(c.isalpha() for c in key):
            return
        here = {"label": label, "tokens": (span.start, span.end)}
        # "Iraqi", also when tagged GPE; "Canadian" is a demonym before it is Canadian, Texas
        if _demonym(gaz, key) and not _salient(gaz, key, m.unlabelled_min_population):
            found.append(PlaceMention(start, end, text, key, DEMONYM, **here))
        elif gaz.candidates(key):
            found.append(PlaceMention(start, end, text, key, NAME, tw, **here))
        else:
            before = len(found)
            if parts and "-" in text:
                # "Russian-European projects", "the DPRK-U.S. summit", "anti-Russian": the parts
                offset = start
                for part in text.split("-"):
                    if _salient(gaz, fold(part), m.unlabelled_min_population) or _demonym(gaz, fold(part)):
                        add(span, label, offset, part, parts=False)
                    offset += len(part) + 1
            if len(found) == before and label in labels:  # a place the gazetteer lacks: kept, unresolved
                found.append(PlaceMention(start, end, text, key, NAME, tw, **here))

    for ent in doc.ents:
        if ent.label_ in labels:
            add(ent, ent.label_, ent.start_char, ent.text)
        elif ent.label_ == "NORP":
            key = fold(_trim(ent.text, 0)[1])
            if _demonym(gaz, key) or "-" in key:
                add(ent, ent.label_, ent.start_char, ent.text)
        elif ent.label_ in _NOT_PLACE_NAMES:
            named_elsewhere.append(ent)

    # A whole entity the model labelled a person or organisation is still a place when the
    # article names it as a place elsewhere ("the capture of Ramadi" GPE, "Ramadi" PERSON), or
    # is a demonym ("Get daily Slovak news": PERSON); an organisation, also when it is a
    # country, state, capital or large city ("flights between London and Harare": ORG).
    place_keys = {p.key for p in found if p.kind == NAME}
    for ent in named_elsewhere:
        key = fold(_trim(ent.text, 0)[1])
        major = ent.label_ == "ORG" and _salient(gaz, key, m.unlabelled_min_population)
        if key in place_keys or major or _demonym(gaz, key):
            add(ent, ent.label_, ent.start_char, ent.text, parts=False)

    found.extend(_unlabelled(doc, gaz, cfg, metonyms, admin, city))
    found.sort(key=lambda p: p.start)
    _attach_qualifiers(doc, found)
    return found


def _demonym(gaz: Gazetteer, key: str) -> Entry | None:
    """The country of a demonym, singular or plural ("Iraqi", "Iraqis")."""
    return gaz.demonym(key) or (gaz.demonym(key[:-1]) if key.endswith("s") else None)


def _preferred(gaz: Gazetteer, key: str) -> list[Entry]:
    return [e for e, preferred in gaz.candidates(key) if preferred]


def _salient(gaz: Gazetteer, key: str, min_population: int) -> bool:
    return any(
        e.feature_code in (COUNTRY, CONTINENT, ADMIN1) or e.population >= min_population
        for e in _preferred(gaz, key)
    )


def _unlabelled(
    doc: Doc,
    gaz: Gazetteer,
    cfg: PlacesConfig,
    metonyms: Sequence[tuple[int, int]],
    admin: frozenset[str],
    city: frozenset[str],
) -> Iterable[PlaceMention]:
    """Proper nouns and adjectives outside every entity: names of salient gazetteer places,
    longest first ("IS fighters entered Anbar province": "Anbar" is left unlabelled), and
    capitalised demonyms ("Salvadoran migrant Alexis Cea")."""
    arr = doc.to_array([POS, ENT_IOB])  # one C-level pass instead of a Token object per word
    outside = arr[:, 1] == _IOB_OUTSIDE
    propn = (arr[:, 0] == PROPN) & outside
    adj = (arr[:, 0] == ADJ) & outside
    m = cfg.mentions
    n = len(doc)
    for i in np.flatnonzero(adj | propn):
        tok = doc[int(i)]
        if tok.text[:1].isupper():
            key = fold(tok.text)
            if _demonym(gaz, key) and not gaz.candidates(key):
                end = tok.idx + len(tok.text)
                yield PlaceMention(tok.idx, end, tok.text, key, DEMONYM, tokens=(tok.i, tok.i + 1))
    # runs of proper nouns, each tried longest first from its first token
    starts = np.flatnonzero(propn).tolist()
    pos = 0
    while pos < len(starts):
        i = starts[pos]
        if not doc[i].text[:1].isupper():
            pos += 1
            continue
        j = i
        while j < n and j - i < m.max_name_tokens and propn[j]:
            j += 1
        hit = None
        for k in range(j, i, -1):
            span = doc[i:k]
            if _salient(gaz, fold(span.text), m.unlabelled_min_population):
                hit = span
                break
        if hit is None:
            pos += 1
            continue
        if not _overlaps(metonyms, hit.start_char, hit.end_char):
            nxt = doc[hit.end].text if hit.end < n else ""
            tw = _type_word([nxt], admin, city)
            key = fold(hit.text)
            start, end = hit.start_char, hit.end_char
            yield PlaceMention(start, end, hit.text, key, NAME, tw, tokens=(hit.start, hit.end))
        while pos < len(starts) and starts[pos] < hit.end:
            pos += 1


def _attach_qualifiers(doc: Doc, found: list[PlaceMention]) -> None:
    """ "Paris, Texas": a place followed by a comma and another place is qualified by it."""
    for a, b in itertools.pairwise(found):
        if b.kind == NAME and b.tokens[0] == a.tokens[1] + 1 and doc[a.tokens[1]].text == ",":
            a.qualifier = b.key


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
        if entry.admin1:  # a town of the state, or the state, that other places lie in
            s += w.article_admin1 * ctx.share(ctx.admin1, entry.admin1)
        if entry.country in ctx.publisher:
            s += w.publisher_country
    return s


def _qualifies(entry: Entry, qualifier: str, gaz: Gazetteer) -> bool:
    """The qualifier names the entry's state ("Paris, Texas", "Austin, Tex.") or country."""
    for e in _preferred(gaz, qualifier):
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
            for e in _preferred(gaz, fold(" ".join(words[i : i + n]))):
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
    by_key: dict[tuple[str, str], list[PlaceMention]] = {}
    for m in found:
        by_key.setdefault((m.kind, m.key), []).append(m)

    chosen: dict[tuple[str, str], Entry | None] = {}
    confident: dict[tuple[str, str], tuple[Entry, int]] = {}
    for (kind, key), ms in by_key.items():
        if kind == DEMONYM:
            e = _demonym(gaz, key)
            chosen[(kind, key)] = e
            if e is not None:
                confident[(kind, key)] = (e, len(ms))
            continue
        ranked = _ranked(ms, gaz, cfg, None)
        margin = ranked[0][0] - ranked[1][0] if len(ranked) > 1 else math.inf
        if ranked and margin >= w.confident_margin:
            confident[(kind, key)] = (ranked[0][1], len(ms))

    publisher_countries = _publisher_countries(publisher, gaz)
    for (kind, key), ms in by_key.items():
        if kind != NAME:
            continue
        # A name is not its own evidence: "Georgia" must not vote for the country Georgia
        # when "Atlanta" and "Savannah" vote for the state.
        countries: Counter[str] = Counter()
        admin1: Counter[str] = Counter()
        for other, (e, n) in confident.items():
            if other != (kind, key) and e.country:
                countries[e.country] += n
                if e.admin1:
                    admin1[e.admin1] += n
        ranked = _ranked(ms, gaz, cfg, _Context(countries, admin1, publisher_countries))
        chosen[(kind, key)] = ranked[0][1] if ranked else None
    return [chosen.get((m.kind, m.key)) for m in found]


# ---------------------------------------------------------------- entry points


def extract_places(doc: Doc, ctx, mentions: Iterable[ActorMention] = ()) -> list[Place]:
    """Places of one article (`ctx` is its `tasks.extract.ArticleContext`), in text order."""
    cfg = load_places_config()
    gaz = places_gazetteer(cfg)
    metonyms = [(m.start, m.end) for m in mentions if m.metonym]
    found = find_mentions(doc, gaz, cfg, metonyms)
    entries = resolve_mentions(found, gaz, cfg, getattr(ctx, "publisher", None))
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
    """The place an article is about: its most mentioned resolved place, demonyms aside; a
    tie goes to the more specific feature (a town before its country), then the earliest.

    Events take this place when their own clause names none.
    """
    counts: Counter[int] = Counter()
    first: dict[int, Place] = {}
    for p in places:
        if p.geonameid is None or p.kind == DEMONYM:
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
