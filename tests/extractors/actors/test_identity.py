"""One actor per real-world entity: short forms, homonyms, junk, sub-national bodies."""

from __future__ import annotations

from newsevents.tasks.extractors.actors import extract_mentions
from newsevents.tasks.extractors.actors.article import ActorEvidence
from newsevents.tasks.extractors.actors.identity import (
    FullName,
    apply_short_forms,
    short_form_map,
    surname_prior,
)
from newsevents.tasks.extractors.article import extract_docs
from newsevents.tasks.records import Actor, ActorMention, ArticleContext
from newsevents.tasks.store.actors import suspected_duplicates


def _m(aid, name, typ="PERSON"):
    return ActorMention("a", aid, name, 0, len(name), typ), ActorEvidence(name, typ)


def test_a_lone_surname_joins_the_full_name_it_mostly_stands_for():
    named = [_m("hc", "Hillary Clinton")] * 4 + [_m("bc", "Bill Clinton")] + [_m("c", "Clinton")]
    mapping = short_form_map(named)
    assert mapping == {"c": FullName("hc", "Hillary Clinton", 4)}
    remapped = apply_short_forms(named, mapping)
    assert remapped[-1][0].actor_id == "hc" and remapped[-1][0].text == "Clinton"


def test_no_join_when_two_people_share_the_surname_evenly():
    named = [_m("gb", "George W. Bush")] * 3 + [_m("jb", "Jeb Bush")] * 3 + [_m("b", "Bush")]
    assert short_form_map(named) == {}


def test_the_stored_corpus_tells_who_a_surname_stands_for():
    prior = surname_prior([Actor("pm", "Paul Manafort", "PERSON", n_mentions=40)])
    assert short_form_map([_m("m", "Manafort", "ORG")], prior) == {"m": FullName("pm", "Paul Manafort", 40)}
    # an organisation by its own words stays one
    org = (ActorMention("a", "ford", "Ford", 0, 4, "ORG"), ActorEvidence("Ford", "ORG", sector="BUS"))
    prior = surname_prior([Actor("gf", "Gerald Ford", "PERSON", n_mentions=40)])
    assert short_form_map([org], prior) == {}


def test_events_and_claims_follow_the_joined_ids(nlp):
    docs = [
        "Senator Bernie Sanders criticised the plan. Bernie Sanders spoke in Iowa. Bernie Sanders won.",
        "Mr. Sanders accused the bank of fraud in Iowa.",
    ]
    out = extract_docs([(nlp(t), ArticleContext(f"a{i}")) for i, t in enumerate(docs)])
    sanders = {a.actor_id for a in out.actors if a.name == "Bernie Sanders"}
    assert len(sanders) == 1 and not [a for a in out.actors if a.name == "Sanders"]
    accuse = [e for e in out.events if e.event_type == "ACCUSE" and e.article_id == "a1"]
    assert accuse and accuse[0].source_actor_id in sanders


def test_junk_names_are_no_actors(nlp):
    names = {e.name for _, e in extract_mentions(nlp("The polls closed at 10:00 GMT on Monday."), "t")}
    assert "GMT" not in names
    got = {m.text: e.name for m, e in extract_mentions(nlp("Rodney DavisRep said the plan was wrong."), "t")}
    assert got.get("Rodney DavisRep") == "Rodney Davis"


def test_platforms_and_broadcasters_are_organisations(nlp):
    got = {
        m.text: (e.actor_type, e.country)
        for m, e in extract_mentions(nlp("Twitter and RT reported it."), "t")
    }
    assert got["Twitter"] == ("ORG", "USA") and got["RT"] == ("ORG", "RUS")


def test_a_us_state_is_not_the_country_of_the_same_name_in_an_american_story(nlp):
    got = {
        m.text: e.country
        for m, e in extract_mentions(nlp("Trump won Georgia, Texas and Ohio in the U.S."), "t")
    }
    assert got["Georgia"] == "USA"
    got = {
        m.text: e.country
        for m, e in extract_mentions(nlp("Russia and Georgia clashed over South Ossetia."), "t")
    }
    assert got["Georgia"] == "GEO"


def test_state_and_city_bodies_are_not_the_countrys(nlp):
    text = "The Texas governor said the U.S. government was wrong. Chicago police arrested him."
    got = {m.text: e.name for m, e in extract_mentions(nlp(text), "t")}
    assert got["Texas governor"] == "Texas government"
    assert got["U.S. government"] == "American government"
    assert got["Chicago police"] == "Chicago police"


def test_top_actors_flags_surnames_aliases_and_acronyms():
    actors = [
        Actor("1", "Donald Trump", "PERSON", aliases=["Donald Trump"]),
        Actor("2", "Trump", "ORG", aliases=["Trump"]),
        Actor("3", "Federal Bureau of Investigation", "ORG", aliases=[]),
        Actor("4", "FBI", "ORG", aliases=[]),
        Actor("5", "government", "GROUP", aliases=["government"]),
        Actor("6", "British government", "GROUP", aliases=["government"]),
    ]
    pairs = {(a.actor_id, b.actor_id) for a, b in suspected_duplicates(actors)}
    assert pairs == {("1", "2"), ("3", "4")}
