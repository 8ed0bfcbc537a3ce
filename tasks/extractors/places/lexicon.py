"""The places lexicon (config/lexicons/places.toml): mention rules, disambiguation weights, aliases."""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import Field

from newsevents.tasks.config import StrictModel, default_lexicons, load_toml_as
from newsevents.tasks.extractors.places.gazetteer import (
    Gazetteer,
    load_gazetteer,
)


class GazetteerSettings(StrictModel):
    min_population: int = Field(ge=500)
    # GeoNames' country points; a relative path resolves against the places lexicon's folder.
    country_points: Path
    generic_words: list[str]


class MentionSettings(StrictModel):
    labels: list[str] = Field(min_length=1)
    admin_words: list[str]
    city_words: list[str]
    unlabelled_min_population: int = Field(ge=0)
    loc_min_population: int = Field(ge=0)
    max_name_tokens: int = Field(ge=1, le=8)
    in_name_labels: list[str]
    in_name_min_population: int = Field(ge=0)
    namesake_words: list[str]


class PersonSettings(StrictModel):
    titles: list[str]
    locative_words: list[str]
    name_particles: list[str]


class Weights(StrictModel):
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
    dateline: float = Field(ge=0)
    type_word: float
    confident_margin: float = Field(ge=0)


class PlacesConfig(StrictModel):
    gazetteer: GazetteerSettings
    mentions: MentionSettings
    persons: PersonSettings
    weights: Weights
    aliases: dict[str, str]
    demonyms: dict[str, str]

    def gazetteer_aliases(self) -> tuple[tuple[str, str], ...]:
        """Aliases and demonyms in the hashable form the gazetteer cache is keyed by."""
        pairs = [(k, v) for k, v in self.aliases.items()] + [(f"@{k}", v) for k, v in self.demonyms.items()]
        return tuple(sorted(pairs))


def load_places_config(path: str | Path | None = None) -> PlacesConfig:
    """The places lexicon at `path` (default: the configured one), read once per process."""
    return _load_places_config(Path(path) if path is not None else default_lexicons().places)


@functools.lru_cache(maxsize=4)
def _load_places_config(path: Path) -> PlacesConfig:
    cfg = load_toml_as(path, PlacesConfig)
    points = (path.parent / cfg.gazetteer.country_points).resolve()
    if not points.is_file():
        raise ValueError(f"{path}: [gazetteer] country_points: no file {points}")
    return cfg.model_copy(update={"gazetteer": cfg.gazetteer.model_copy(update={"country_points": points})})


def places_gazetteer(cfg: PlacesConfig) -> Gazetteer:
    g = cfg.gazetteer
    generic = tuple(sorted(w.casefold() for w in g.generic_words))
    return load_gazetteer(g.min_population, cfg.gazetteer_aliases(), g.country_points, generic)
