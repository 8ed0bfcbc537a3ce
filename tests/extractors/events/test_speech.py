"""Statements that are events: accusations, praise, denials and requests read from the claims."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsevents.tasks.extractors.article import extract_docs
from newsevents.tasks.records import ArticleContext

PUB = datetime(2016, 5, 12, tzinfo=UTC)


def events_of(nlp, text: str):
    doc = nlp(text)
    return extract_docs([(doc, ArticleContext("t", PUB))]).events


@pytest.mark.parametrize(
    "text, etype, source, target",
    [
        # a copular judgment of an actor inside a reported statement
        ('"I think that Ted Cruz is a man who is lost," said Senator Lindsey Graham.', "ACCUSE", "Graham", "Cruz"),  # noqa: E501
        ('"Hillary Clinton is a liar," Donald Trump said on Tuesday.', "ACCUSE", "Trump", "Clinton"),
        ('"Bernie Sanders is an outstanding candidate," Senator Jeff Merkley said.', "SUPPORT", "Merkley", "Sanders"),  # noqa: E501
        # an excess faults ("too friendly"); the target is the subject, not a name inside it
        ("Senator Ann Lee said Governor Tom Hall was too friendly with the banks to be trusted.", "ACCUSE", "Lee", "Hall"),  # noqa: E501
        ('"Tom Hall has betrayed his own voters," Ann Lee wrote.', "ACCUSE", "Lee", "Tom Hall"),
        # the doer of a subject clause is judged by what it did
        ('Senator Ann Lee said the way Governor Tom Hall handled the floods was a "shambles".', "ACCUSE", "Lee", "Hall"),  # noqa: E501
        # a denial
        ('"It\'s nonsense," Vladimir Putin said of the allegations.', "REJECT", "Putin", None),
        # what someone should do
        ('"The killer should be in prison," Rep. Hakeem Jeffries said.', "REQUEST", "Jeffries", None),
        ("The deputy minister said the United States should reduce its patrols in the region.", "REQUEST", "minister", "United States"),  # noqa: E501
    ],
)  # fmt: skip
def test_statement_is_an_event(nlp, text, etype, source, target):
    evs = [e for e in events_of(nlp, text) if e.event_type == etype]
    assert evs, [(e.event_type, e.trigger) for e in events_of(nlp, text)]
    ev = evs[0]
    assert source in (ev.source_text or "")
    if target is None:
        assert ev.target_text is None
    else:
        assert target in (ev.target_text or "")


@pytest.mark.parametrize(
    "text",
    [
        # "said" alone is no event
        '"We will hold the meeting in March," the party chairman said.',
        # a judgment of a thing, not of an actor
        '"The economy is in a terrible state," the minister said.',
        # a forecast, not a request
        '"The economies of the region should emerge with minimal damage," the bank\'s report said.',
        # a judgment of the past, not a request
        '"I should have known better," Smith said.',
        # the writer\'s own opinion: no one is reported to say it
        "Senator Cruz is a man who is lost.",
        # what a predicate's prepositional phrase names is not what it says of the subject
        "The mayor said Chicago is safe thanks to years of anti-terrorism work by the police.",
        # a condemning word about people deep inside the subject judges them, not the place named
        '"The thugs who attacked the marchers in San Jose were criminals," the mayor said.',
        # a report of what someone suffered accuses no one of it
        "Two protesters were killed on Friday, officials said.",
        # whoever a relative clause describes is no one named
        '"Soldiers who commit rape will be shot," the president warned.',
    ],
)
def test_statement_is_no_event(nlp, text):
    assert not [e for e in events_of(nlp, text) if e.event_type in ("ACCUSE", "SUPPORT", "REJECT", "REQUEST")]


def test_first_person_in_a_quote_is_the_speaker(nlp):
    text = 'Dennis Prager said: "I devoted many hours to criticizing Donald Trump."'
    ev = next(e for e in events_of(nlp, text) if e.event_type == "ACCUSE")
    doc = nlp(text)
    from newsevents.tasks.extractors.actors import extract_mentions

    prager = next(m.actor_id for m, _ in extract_mentions(doc, "t") if "Prager" in m.text)
    assert ev.source_actor_id == prager


@pytest.mark.parametrize(
    "text, etype, source, target",
    [
        ("Senator Jane Smith called Governor Tom Brown a pathological liar.", "ACCUSE", "Smith", "Brown"),
        ("He annoyed critics by calling President Tom Brown an ignorant baboon.", "ACCUSE", "He", "Brown"),
        ("Senator Jane Smith described Governor Tom Brown as a disgrace.", "ACCUSE", "Smith", "Brown"),
        ("Senator Jane Smith called Governor Tom Brown an outstanding leader.", "SUPPORT", "Smith", "Brown"),
    ],
)
def test_a_judging_name_is_an_event(nlp, text, etype, source, target):
    ev = next(e for e in events_of(nlp, text) if e.event_type == etype)
    assert source in ev.source_text and target in ev.target_text


@pytest.mark.parametrize(
    "text",
    [
        "Senator Jane Smith called the meeting a success.",  # a thing, not an actor
        "Senator Jane Smith called Governor Tom Brown a former farmer.",  # a description, no judgment
        "Senator Jane Smith did not call Governor Tom Brown a liar.",
    ],
)
def test_names_that_judge_no_actor_are_no_event(nlp, text):
    assert not [e for e in events_of(nlp, text) if e.event_type in ("ACCUSE", "SUPPORT")]
