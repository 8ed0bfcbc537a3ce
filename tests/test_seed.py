"""The article the project was created from (../shared/data/seed)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import needs_shared
from tests.stages.test_stages import run_stages

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory, cfg, nlp):
    seed = needs_shared("seed")
    root = tmp_path_factory.mktemp("seed")
    run_stages(seed, root, cfg)
    return root


def test_seed_title(seed_out):
    arts = pd.read_parquet(seed_out / "articles")
    assert arts.title.tolist() == ["Daesh destroying Iraq's youngest generation one child soldier at a time"]


@pytest.mark.parametrize("name", ["Haider al-Abadi", "John Kerry"])
def test_seed_people_are_person_actors(seed_out, name):
    actors = pd.read_parquet(seed_out / "actors")
    people = actors[actors.actor_type == "PERSON"]
    assert name in set(people.name)
