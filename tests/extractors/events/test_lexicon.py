"""The trigger lexicon: inflection, rule syntax and the shipped config/lexicons/events.toml."""

from __future__ import annotations

import pytest

from newsevents.tasks.extractors.events.lexicon import (
    PLOVER_TYPES,
    LexiconError,
    load_lexicon,
    parse_rule,
)


def test_parse_rule():
    rule = parse_rule("ASSAULT/firearms if object:weapon, prep:at|on", {"weapon": frozenset({"rocket"})})
    assert (rule.event_type, rule.mode) == ("ASSAULT", "firearms")
    assert [c.kind for c in rule.conditions] == ["object", "prep"]
    assert rule.conditions[1].values == {"at", "on"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("FIGHT", "not a PLOVER event type"),
        ("ASSAULT if colour:red", "unknown condition"),
        ("ASSAULT if object:spaceship", "unknown class"),
    ],
)
def test_bad_rules_are_refused(text, message):
    with pytest.raises(LexiconError, match=message):
        parse_rule(text, {})


def test_shipped_lexicon_loads_and_looks_up_by_surface_form():
    lex = load_lexicon()
    assert lex.verb_lemma("struck") == "strike"
    assert lex.verb_lemma("seized") == "seize"
    assert lex.noun_lemma("executions") == "execution"
    assert lex.in_class("armed", "militias")
    types = {r.event_type for entries in lex.verbs.values() for _, rules in entries for r in rules}
    types |= {r.event_type for entries in lex.nouns.values() for e in entries for r in e.rules}
    assert types == PLOVER_TYPES  # every type can be produced
    assert load_lexicon() is lex  # parsed once per process
