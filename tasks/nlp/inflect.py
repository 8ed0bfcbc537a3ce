"""English inflection for lexicon words: every extractor matches surface forms, not lemmas.

The parse carries no lemmas (the lemmatizer is disabled for speed), so a lexicon's base forms are
expanded once into the forms a text may use. Over-generation is harmless (no text says "sayed"),
so both the plain and the doubled final consonant are produced ("admitted", "visited") instead of
guessing the stress. One copy for every lexicon: the three that existed disagreed ("agreing",
"vetos").
"""

from __future__ import annotations

from collections.abc import Iterable

_VOWELS = "aeiou"


def _may_double(base: str) -> bool:
    """A final consonant after one short vowel may double before -ed/-ing ("ban" -> "banned")."""
    return (
        len(base) >= 3 and base[-1] not in _VOWELS + "wxy" and base[-2] in _VOWELS and base[-3] not in _VOWELS
    )


def verb_forms(base: str, irregular: Iterable[str] = ()) -> set[str]:
    """The base, third person, past and -ing forms of a verb (lower case), plus `irregular`."""
    b = base.lower()
    forms = {b, *(f.lower() for f in irregular)}
    consonant_y = b.endswith("y") and b[-2:-1] not in _VOWELS
    if b.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(b + "es")  # "vetoes", "pushes"
    elif consonant_y:
        forms.add(b[:-1] + "ies")
    else:
        forms.add(b + "s")
    if b.endswith("ie"):
        forms.add(b[:-2] + "ying")  # "dying", "tying"
    elif b.endswith("e") and not b.endswith(("ee", "ye", "oe")):
        forms.add(b[:-1] + "ing")
    else:
        forms.add(b + "ing")  # "agreeing", "freeing", "vetoing"
    if b.endswith("e"):
        forms.add(b + "d")
    elif consonant_y:
        forms.add(b[:-1] + "ied")
    else:
        forms.add(b + "ed")
    if _may_double(b):
        forms.update({b + b[-1] + "ed", b + b[-1] + "ing"})
    if b.endswith("c"):
        forms.update({b + "ked", b + "king"})  # "panicked"
    return forms


def noun_forms(base: str) -> set[str]:
    """A noun and its plural(s), lower case ("spokesman" -> "spokesmen" and "spokesmans" is never
    written, so only the first matters)."""
    b = base.lower()
    forms = {b}
    if b.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(b + "es")
    elif b.endswith("y") and len(b) > 1 and b[-2] not in _VOWELS:
        forms.add(b[:-1] + "ies")
    elif b.endswith("man"):
        forms.update({b[:-3] + "men", b + "s"})
    elif b.endswith("fe"):
        forms.update({b[:-2] + "ves", b + "s"})
    else:
        forms.add(b + "s")
    return forms
