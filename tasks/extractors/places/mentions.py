"""Place mentions: the model's place entities, demonyms, and proper nouns the gazetteer knows."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.attrs import ENT_IOB, POS
from spacy.parts_of_speech import ADJ, PROPN
from spacy.tokens import Doc, Span

from newsevents.tasks.extractors.places.gazetteer import (
    ADMIN1,
    CONTINENT,
    COUNTRY,
    Entry,
    Gazetteer,
    abbreviation_key,
    fold,
)
from newsevents.tasks.extractors.places.lexicon import PlacesConfig

NAME, DEMONYM = "name", "demonym"
_IOB_OUTSIDE = 2  # spaCy's ENT_IOB code for a token outside every entity
_NOT_PLACE_NAMES = frozenset({"PERSON", "ORG"})
_DETERMINERS = ("the ", "a ", "an ")
_POSSESSIVES = ("'s", "’s", "'", "’")


# ---------------------------------------------------------------- mentions


@dataclass(slots=True)
class PlaceMention:
    """A span that names a place; `key` is the folded name looked up, without type words."""

    start: int
    end: int
    text: str
    key: str
    kind: str = NAME
    type_word: str | None = None  # "admin" or "city"
    label: str | None = None  # the model's label, None for gazetteer matches
    qualifier: str | None = None  # folded name after a comma: "Paris, Texas" -> "texas"
    tokens: tuple[int, int] = (0, 0)  # token span the mention was read from


def _trim(text: str, start: int) -> tuple[int, str]:
    """A span's start and text without a leading article or a trailing possessive."""
    low = text.lower()
    for det in _DETERMINERS:
        if low.startswith(det) and len(text) > len(det):
            start += len(det)
            text = text[len(det) :]
            break
    for pos in _POSSESSIVES:
        if text.endswith(pos) and len(text) > len(pos) + 1:
            text = text[: -len(pos)]
            break
    return start, text


def _type_word(words: Sequence[str], admin: frozenset[str], city: frozenset[str]) -> str | None:
    last = words[-1].lower() if words else ""
    return "admin" if last in admin else "city" if last in city else None


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def find_mentions(
    doc: Doc, gaz: Gazetteer, cfg: PlacesConfig, metonyms: Sequence[tuple[int, int]] = ()
) -> list[PlaceMention]:
    """Place mentions of `doc` in text order (see the module docstring for what counts).

    Reads entity texts and the few proper nouns outside entities, never `Doc.text` (which joins
    every token) nor every token as a Python object: the parse stays the cost that matters.
    """
    m = cfg.mentions
    labels = frozenset(m.labels)
    admin, city = frozenset(m.admin_words), frozenset(m.city_words)
    found: list[PlaceMention] = []
    named_elsewhere: list[Span] = []

    def add(span: Span, label: str, start: int, text: str, parts: bool = True) -> None:
        start, text = _trim(text, start)
        end = start + len(text)
        if not text or _overlaps(metonyms, start, end):
            return
        words = text.split()
        tw = _type_word(words, admin, city)
        if tw and len(words) > 1:  # "Anbar province": look up "Anbar"
            words = words[:-1]
        elif span.end < len(doc):  # "Anbar" + "province"
            tw = _type_word([doc[span.end].text], admin, city)
        key = fold(" ".join(words))
        if text.endswith(".") and abbreviation_key(text) in gaz.names:  # "Calif.", "D.C."
            key = abbreviation_key(text)
        if not key or not any(c.isalpha() for c in key):
            return
        here = {"label": label, "tokens": (span.start, span.end)}
        # "Iraqi", also when tagged GPE; "Canadian" is a demonym before it is Canadian, Texas
        if demonym(gaz, key) and not _salient(gaz, key, m.unlabelled_min_population):
            found.append(PlaceMention(start, end, text, key, DEMONYM, **here))
        elif gaz.candidates(key):
            found.append(PlaceMention(start, end, text, key, NAME, tw, **here))
        else:
            before = len(found)
            if parts and "-" in text:
                # "Russian-European projects", "the DPRK-U.S. summit", "anti-Russian": the parts
                offset = start
                for part in text.split("-"):
                    if _salient(gaz, fold(part), m.unlabelled_min_population) or demonym(gaz, fold(part)):
                        add(span, label, offset, part, parts=False)
                    offset += len(part) + 1
            if len(found) == before and label in labels:  # a place the gazetteer lacks: kept, unresolved
                found.append(PlaceMention(start, end, text, key, NAME, tw, **here))

    for ent in doc.ents:
        if ent.label_ in labels:
            add(ent, ent.label_, ent.start_char, ent.text)
        elif ent.label_ == "NORP":
            key = fold(_trim(ent.text, 0)[1])
            if demonym(gaz, key) or "-" in key:
                add(ent, ent.label_, ent.start_char, ent.text)
        elif ent.label_ in _NOT_PLACE_NAMES:
            named_elsewhere.append(ent)

    # A whole entity the model labelled a person or organisation is still a place when the
    # article names it as a place elsewhere ("the capture of Ramadi" GPE, "Ramadi" PERSON), or
    # is a demonym ("Get daily Slovak news": PERSON); an organisation, also when it is a
    # country, state, capital or large city ("flights between London and Harare": ORG).
    place_keys = {p.key for p in found if p.kind == NAME}
    for ent in named_elsewhere:
        key = fold(_trim(ent.text, 0)[1])
        major = ent.label_ == "ORG" and _salient(gaz, key, m.unlabelled_min_population)
        if key in place_keys or major or demonym(gaz, key):
            add(ent, ent.label_, ent.start_char, ent.text, parts=False)

    found.extend(_unlabelled(doc, gaz, cfg, metonyms, admin, city))
    found.sort(key=lambda p: p.start)
    _attach_qualifiers(doc, found)
    return found


def demonym(gaz: Gazetteer, key: str) -> Entry | None:
    """The country of a demonym, singular or plural ("Iraqi", "Iraqis")."""
    return gaz.demonym(key) or (gaz.demonym(key[:-1]) if key.endswith("s") else None)


def preferred_entries(gaz: Gazetteer, key: str) -> list[Entry]:
    return [e for e, preferred in gaz.candidates(key) if preferred]


def _salient(gaz: Gazetteer, key: str, min_population: int) -> bool:
    return any(
        e.feature_code in (COUNTRY, CONTINENT, ADMIN1) or e.population >= min_population
        for e in preferred_entries(gaz, key)
    )


def _unlabelled(
    doc: Doc,
    gaz: Gazetteer,
    cfg: PlacesConfig,
    metonyms: Sequence[tuple[int, int]],
    admin: frozenset[str],
    city: frozenset[str],
) -> Iterable[PlaceMention]:
    """Proper nouns and adjectives outside every entity: names of salient gazetteer places,
    longest first ("IS fighters entered Anbar province": "Anbar" is left unlabelled), and
    capitalised demonyms ("Salvadoran migrant Alexis Cea")."""
    arr = doc.to_array([POS, ENT_IOB])  # one C-level pass instead of a Token object per word
    outside = arr[:, 1] == _IOB_OUTSIDE
    propn = (arr[:, 0] == PROPN) & outside
    adj = (arr[:, 0] == ADJ) & outside
    m = cfg.mentions
    n = len(doc)
    for i in np.flatnonzero(adj | propn):
        tok = doc[int(i)]
        if tok.text[:1].isupper():
            key = fold(tok.text)
            if demonym(gaz, key) and not gaz.candidates(key):
                end = tok.idx + len(tok.text)
                yield PlaceMention(tok.idx, end, tok.text, key, DEMONYM, tokens=(tok.i, tok.i + 1))
    # runs of proper nouns, each tried longest first from its first token
    starts = np.flatnonzero(propn).tolist()
    pos = 0
    while pos < len(starts):
        i = starts[pos]
        if not doc[i].text[:1].isupper():
            pos += 1
            continue
        j = i
        while j < n and j - i < m.max_name_tokens and propn[j]:
            j += 1
        hit = None
        for k in range(j, i, -1):
            span = doc[i:k]
            if _salient(gaz, fold(span.text), m.unlabelled_min_population):
                hit = span
                break
        if hit is None:
            pos += 1
            continue
        if not _overlaps(metonyms, hit.start_char, hit.end_char):
            nxt = doc[hit.end].text if hit.end < n else ""
            tw = _type_word([nxt], admin, city)
            key = fold(hit.text)
            start, end = hit.start_char, hit.end_char
            yield PlaceMention(start, end, hit.text, key, NAME, tw, tokens=(hit.start, hit.end))
        while pos < len(starts) and starts[pos] < hit.end:
            pos += 1


def _attach_qualifiers(doc: Doc, found: list[PlaceMention]) -> None:
    """ "Paris, Texas": a place followed by a comma and another place is qualified by it."""
    for a, b in itertools.pairwise(found):
        if b.kind == NAME and b.tokens[0] == a.tokens[1] + 1 and doc[a.tokens[1]].text == ",":
            a.qualifier = b.key
