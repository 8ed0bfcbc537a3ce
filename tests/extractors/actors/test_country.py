"""Country and sector from what the text says: titles, party adjectives, state tags, the article's
home country, and weighted evidence that later runs can outvote."""

from __future__ import annotations

import pytest

from newsevents.tasks.extractors.actors import aggregate_actors, extract_mentions
from newsevents.tasks.records import Actor
from newsevents.tasks.store.actors import merge_actors


def coded(nlp, text: str) -> dict[str, tuple]:
    return {m.text: (e.name, e.actor_type, e.country, e.sector) for m, e in extract_mentions(nlp(text), "t")}


@pytest.mark.parametrize(
    "text, mention, country",
    [
        # a party adjective codes the person it qualifies, and is no actor of its own
        ("Republican presidential nominee Donald J. Trumpet spoke in Ohio.", "Donald J. Trumpet", "USA"),
        # state and party tags of American politicians
        ("Rep. Hakeem Jeffries (D-N.Y.) reacted to the news.", "Hakeem Jeffries", "USA"),
        ("Sen. Ted Cruz, R-Texas, spoke first.", "Ted Cruz", "USA"),
        ("Sen. Rand Paul (Ky.) has released a video.", "Rand Paul", "USA"),
        # an organisation owned by a country's name
        ("Romania's Justice Ministry requested his release.", "Justice Ministry", "ROU"),
    ],
)
def test_stated_country(nlp, text, mention, country):
    got = coded(nlp, text)
    assert got[mention][2] == country
    assert "Republican" not in got and "Ky." not in got


def test_a_party_adjective_is_no_actor_but_the_party_noun_is(nlp):
    got = coded(nlp, "The Republican contests were close. The Republicans won.")
    assert "Republican" not in got
    assert got["Republicans"][0] == "Republican Party"


def test_home_country_for_people_and_state_bodies_the_text_ties_to_none(nlp):
    text = (
        "Police in Texas arrested two men on Friday. The governor of Texas praised the police, "
        "and the government in Washington said the U.S. economy grew. Gawker Media was sued by "
        "Terry Bolea. Foreign governments and many governments objected."
    )
    got = coded(nlp, text)
    assert got["Terry Bolea"][2] == "USA"  # a person the text says nothing of: the home country
    assert got["government"][:3] == ("American government", "GROUP", "USA")
    # other countries' bodies, or several countries', are not the home country's
    assert got["Foreign governments"][2] is None and got["many governments"][2] is None


def test_no_home_country_in_an_international_story(nlp):
    got = coded(nlp, "France, Germany and Italy met in Brussels. Pierre Dupont attended.")
    assert got["Pierre Dupont"][2] is None


def test_experts_are_not_given_the_home_country(nlp):
    text = "Iraqi forces fought in Ramadi and Iraqi officials met in Baghdad. Professor John Smith said so."
    assert coded(nlp, text)["John Smith"][2] is None


def test_a_short_form_shares_its_full_names_stated_country(nlp):
    text = (
        "The Russian president, Vladimir V. Putin, praised the candidate. Americans in Ohio and "
        "Texas and Florida cheered. Putin smiled."
    )
    got = coded(nlp, text)
    assert got["Putin"][2] == "RUS"


def test_assumed_country_is_outvoted_by_stated_evidence(nlp):
    a = extract_mentions(nlp("Iraqis in Baghdad and Basra cheered. Sheldon Adelson smiled."), "a")
    b = extract_mentions(nlp("American donor Sheldon Adelson gave money."), "b")
    actor = next(x for x in aggregate_actors(a + b) if x.name == "Sheldon Adelson")
    assert actor.country == "USA" and actor.country_votes == {"IRQ": 1, "USA": 3}


def test_country_is_recomputed_when_a_later_run_brings_more_evidence():
    first = Actor("x", "Sheldon Adelson", "PERSON", "IRQ", None, ["Adelson"], 2, {"IRQ": 2})
    later = Actor("x", "Sheldon Adelson", "PERSON", "USA", None, ["Sheldon Adelson"], 1, {"USA": 3})
    (merged,) = merge_actors([first], [later])
    assert merged.country == "USA" and merged.country_votes == {"IRQ": 2, "USA": 3}
    assert merged.n_mentions == 3 and merged.name == "Sheldon Adelson"
    # a table stored before votes were kept counts its value once
    (old,) = merge_actors([Actor("x", "A", "PERSON", "GBR")], [Actor("x", "A", "PERSON", None)])
    assert old.country == "GBR"
