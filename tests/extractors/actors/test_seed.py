"""The seed article's actors (../shared/data/seed), as the issue lists them, through the real stages."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import needs_shared
from tests.stages.test_stages import run_stages

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def seed(tmp_path_factory, cfg, nlp):
    root = tmp_path_factory.mktemp("seed_actors")
    run_stages(needs_shared("seed"), root, cfg)
    actors = pd.read_parquet(root / "actors")
    mentions = pd.read_parquet(root / "actor_mentions")
    text = pd.read_parquet(root / "articles").text.iloc[0]
    return actors, mentions, text


def one(actors: pd.DataFrame, alias: str) -> pd.Series:
    rows = actors[actors.aliases.map(lambda a: alias in list(a))]
    assert len(rows) == 1, f"{alias!r} is in {len(rows)} actors: {rows.name.tolist()}"
    return rows.iloc[0]


@pytest.mark.parametrize(
    "alias, name, actor_type, country, sector",
    [
        ("Islamic State", "Islamic State", "ORG", None, "REB"),
        ("Haider al-Abadi", "Haider al-Abadi", "PERSON", "IRQ", "GOV"),
        ("John Kerry", "John Kerry", "PERSON", "USA", "GOV"),
        ("Steve Warren", "Steve Warren", "PERSON", "USA", "MIL"),
        ("Pentagon", "Pentagon", "ORG", "USA", "MIL"),
        ("Iraqi army", "Iraqi military", "GROUP", "IRQ", "MIL"),
        ("Shia militias", "Shia militias", "GROUP", None, "UAF"),
        ("Gareth Stansfield", "Gareth Stansfield", "PERSON", None, "EDU"),
        ("Royal United Services Institute", "Royal United Services Institute", "ORG", None, "EDU"),
    ],
)
def test_seed_actor(seed, alias, name, actor_type, country, sector):
    actors, _, _ = seed
    a = one(actors, alias)
    got = (a["name"], a.actor_type, a.country if pd.notna(a.country) else None, a.sector)
    assert got == (name, actor_type, country, sector)


@pytest.mark.parametrize(
    "name, aliases",
    [
        ("Islamic State", {"Islamic State", "IS", "Daesh"}),
        ("Haider al-Abadi", {"Haider al-Abadi", "al-Abadi"}),
        ("Iraqi military", {"Iraqi army", "Iraqi soldiers", "Iraqi forces", "Iraq army", "Iraqi military"}),
    ],
)
def test_seed_aliases_merge_into_one_actor(seed, name, aliases):
    actors, _, _ = seed
    assert aliases <= set(one(actors, name).aliases)
    assert not actors[actors.name.str.contains("Abadi") & (actors.name != "Haider al-Abadi")].shape[0]


def test_seed_roles_and_metonyms(seed):
    actors, mentions, text = seed
    for m in mentions.itertuples():
        assert text[m.start : m.end] == m.text
    by_text = mentions.groupby("text")
    assert set(by_text.get_group("Washington").metonym) == {True}
    assert set(by_text.get_group("Tehran").metonym) == {True}
    assert set(by_text.get_group("Baghdad").metonym) == {False}
    roles = dict(zip(mentions.text, mentions.role, strict=True))
    assert roles["Haider al-Abadi"] == "prime minister" and roles["Steve Warren"] == "colonel"
    assert roles["John Kerry"] == "secretary of state" and roles["Gareth Stansfield"] == "professor"
    washington = mentions[mentions.text == "Washington"].actor_id.iloc[0]
    assert actors.set_index("actor_id").loc[washington, "country"] == "USA"


def test_seed_byline_is_not_an_actor(seed):
    actors, mentions, _ = seed
    assert not mentions.text.str.contains("David Williams").any()
    assert "David Williams" not in set(actors.name)
