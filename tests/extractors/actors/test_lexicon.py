"""The actor lexicon (config/lexicons/actors.toml + country packages) and the entity ruler it feeds."""

from __future__ import annotations

import pycountry
import pytest

from newsevents.tasks.extractors.actors.article import SECTOR_NOUNS
from newsevents.tasks.extractors.actors.lexicon import load_lexicon, plural_of
from newsevents.tasks.extractors.actors.ruler import RULER_NAME

LEX = load_lexicon()
ISO3 = {c.alpha_3 for c in pycountry.countries} | {"XKX"}


@pytest.mark.parametrize(
    "demonym, plural",
    [("Iraqi", "Iraqis"), ("American", "Americans"), ("Filipino", "Filipinos"), ("British", None)],
)
def test_plural_of_demonyms(demonym, plural):
    assert plural_of(demonym) == plural


@pytest.mark.parametrize(
    "table, text, iso3",
    [
        ("country_names", "us", "USA"),
        ("country_names", "u.s.", "USA"),
        ("country_names", "united states", "USA"),
        ("country_names", "britain", "GBR"),
        ("country_names", "netherlands", "NLD"),
        ("country_names", "russian federation", "RUS"),
        ("demonyms", "iraqi", "IRQ"),
        ("demonyms", "indian", "IND"),  # not the British Indian Ocean Territory: the more populous wins
        ("demonyms", "french", "FRA"),
        ("demonyms", "american", "USA"),
        ("people", "iraqis", "IRQ"),
        ("people", "britons", "GBR"),
        ("capitals", "washington", "USA"),
        ("capitals", "tehran", "IRN"),
        ("capitals", "baghdad", "IRQ"),
        ("cities", "ramadi", "IRQ"),
        ("cities", "mosul", "IRQ"),
        ("regions", "scotland", "GBR"),
    ],
)
def test_country_tables(table, text, iso3):
    assert getattr(LEX, table)[text] == iso3


def test_codes_and_one_word_alternates_are_not_country_names():
    # countryinfo lists "IS" for Iceland and "Island" among its spellings: both would tag prose.
    assert "is" not in LEX.country_names and "island" not in LEX.country_names


def test_gazetteer_entries_are_well_formed():
    for entry in LEX.entries.values():
        assert entry.actor_type in {"PERSON", "ORG", "NORP", "GPE"}, entry.name
        assert entry.country is None or entry.country in ISO3, entry.name
        assert entry.sector is None or entry.sector in SECTOR_NOUNS, entry.name
        assert entry.name in entry.aliases
    for table in (LEX.roles, LEX.nominals):
        assert {s for s in table.values() if s} <= set(SECTOR_NOUNS)
    assert set(LEX.org_heads.values()) <= set(SECTOR_NOUNS)
    assert all(
        iso in ISO3 for iso in [*LEX.country_names.values(), *LEX.demonyms.values(), *LEX.capitals.values()]
    )


def test_ruler_runs_after_the_ner_once(nlp):
    assert nlp.pipe_names[-1] == RULER_NAME
    assert nlp.pipe_names.index(RULER_NAME) > nlp.pipe_names.index("ner")
    assert nlp.pipe_names.count(RULER_NAME) == 1


@pytest.mark.parametrize(
    "text, entity, label, key",
    [
        ("Daesh destroying Iraq's youngest generation.", "Daesh", "ORG", "NAME:islamic state"),
        ("An IS statement said it had purged the city.", "IS", "ORG", "NAME:islamic state"),
        ("Hezbollah fighters crossed the border.", "Hezbollah", "ORG", "NAME:hezbollah"),
        ("Shia militias gathered at a base.", "Shia", "NORP", ""),
        ("Christian Aid said the appeal raised millions.", "Christian Aid", None, ""),
        ("Uzbekistan finally opened the bridge.", "Uzbekistan", "GPE", ""),
    ],
)
def test_ruler_tags_gazetteer_aliases(nlp, text, entity, label, key):
    ents = {e.text: e for e in nlp(text).ents}
    assert entity in ents, list(ents)
    if label:
        assert ents[entity].label_ == label
    assert ents[entity].ent_id_ == key or not key
