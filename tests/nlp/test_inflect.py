"""The one English inflector every lexicon is expanded with."""

from __future__ import annotations

import pytest

from newsevents.tasks.nlp.inflect import noun_forms, verb_forms


@pytest.mark.parametrize(
    "base, irregular, forms",
    [
        ("say", ["said"], {"says", "said", "saying"}),
        ("urge", [], {"urges", "urged", "urging"}),
        ("deny", [], {"denies", "denied", "denying"}),
        ("press", [], {"presses", "pressed", "pressing"}),
        ("ban", [], {"bans", "banned", "banning"}),
        ("back", [], {"backs", "backed", "backing"}),
        ("admit", [], {"admits", "admitted", "admitting"}),
        ("attack", [], {"attacks", "attacked", "attacking"}),
        ("seize", [], {"seizes", "seized", "seizing"}),
        ("strike", ["struck", "stricken"], {"strikes", "struck", "striking"}),
        # The forms the actors lexicon's copy got wrong ("agreing", "freing", "vetos"):
        ("agree", [], {"agrees", "agreed", "agreeing"}),
        ("free", [], {"frees", "freed", "freeing"}),
        ("veto", [], {"vetoes", "vetoed", "vetoing"}),
        ("die", [], {"dies", "died", "dying"}),
        ("tie", [], {"ties", "tied", "tying"}),
        ("panic", [], {"panics", "panicked", "panicking"}),
    ],
)
def test_verb_forms(base, irregular, forms):
    assert forms <= verb_forms(base, irregular)


@pytest.mark.parametrize("wrong", ["agreing", "freing", "vetos", "dieing"])
def test_no_misspelt_forms(wrong):
    base = {"agreing": "agree", "freing": "free", "vetos": "veto", "dieing": "die"}[wrong]
    assert wrong not in verb_forms(base)


@pytest.mark.parametrize(
    "base, plural",
    [("protest", "protests"), ("militia", "militias"), ("gunman", "gunmen"), ("party", "parties"),
     ("spokesman", "spokesmen"), ("witness", "witnesses")],
)  # fmt: skip
def test_noun_forms(base, plural):
    assert plural in noun_forms(base)
