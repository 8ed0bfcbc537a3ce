from __future__ import annotations

import pytest

from tasks.actors import (
    actor_id_for,
    actor_key,
    aggregate_actors,
    canonical_name,
    extract_mentions,
    merge_actors,
)
from tasks.schema import Actor


@pytest.mark.parametrize(
    "text, expected",
    [
        ("al-Abadi's", "al-Abadi"),
        ("al-Abadi’s", "al-Abadi"),
        ("the Pentagon", "Pentagon"),
        ("  John   Kerry ", "John Kerry"),
    ],
)
def test_canonical_name(text, expected):
    assert canonical_name(text) == expected


def test_actor_id_is_derived_from_key_not_order():
    assert actor_id_for(actor_key("PERSON", "John Kerry")) == actor_id_for(actor_key("PERSON", "JOHN KERRY"))
    assert actor_id_for(actor_key("PERSON", "Kerry")) != actor_id_for(actor_key("ORG", "Kerry"))


def test_mentions_and_aggregation_on_parsed_text(nlp):
    doc = nlp("John Kerry met NATO officials in Brussels. Kerry's aides said NATO would meet again.")
    named = list(extract_mentions(doc, "art1"))
    texts = [m.text for m, _ in named]
    assert "John Kerry" in texts and "Brussels" in texts
    for m, _ in named:
        assert doc.text[m.start : m.end] == m.text  # offsets index the text exactly
        assert not m.text.endswith("'s")
    actors = {a.name: a for a in aggregate_actors(named)}
    assert actors["NATO"].n_mentions == 2


def test_merge_keeps_stored_name_and_accumulates_aliases():
    old = [Actor("id1", "Islamic State", "ORG", "XXX", None, ["Islamic State"], 3)]
    new = [
        Actor("id1", "IS", "ORG", None, "REB", ["IS", "Daesh"], 2),
        Actor("id2", "NATO", "ORG", None, None, ["NATO"], 1),
    ]
    merged = {a.actor_id: a for a in merge_actors(old, new)}
    a = merged["id1"]
    assert a.name == "Islamic State" and a.country == "XXX" and a.sector == "REB"
    assert a.aliases == ["Daesh", "IS", "Islamic State"] and a.n_mentions == 5
    assert merged["id2"].n_mentions == 1
