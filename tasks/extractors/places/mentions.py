"""Place mentions: the model's place entities, demonyms, proper nouns the gazetteer knows, and
places inside longer names; minus the names the article gives a person."""

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
    CAPITAL,
    CONTINENT,
    COUNTRY,
    Entry,
    Gazetteer,
    abbreviation_key,
    fold,
)
from newsevents.tasks.extractors.places.lexicon import PlacesConfig

NAME, DEMONYM, IN_NAME = "name", "demonym", "in_name"
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
    kind: str = NAME  # the `places.kind` of the row: name, demonym or in_name
    type_word: str | None = None  # "admin" or "city"
    label: str | None = None  # the model's label, None for gazetteer matches
    qualifier: str | None = None  # folded name after a comma: "Paris, Texas" -> "texas"
    tokens: tuple[int, int] = (0, 0)  # token span the mention was read from
    by_demonym: bool = False  # resolved as a demonym ("Iraqi", also "Syrian" in "Syrian Observatory")
    dateline: bool = False  # opens a dateline ("BEIRUT (AP) -"): where the story was filed

    def __post_init__(self) -> None:
        self.by_demonym = self.by_demonym or self.kind == DEMONYM

    @property
    def lookup(self) -> tuple[str, str, bool]:
        """What the mention is resolved by: every mention with the same lookup gets one place
        ("Suffolk County" and "Suffolk" may be two)."""
        return (DEMONYM if self.by_demonym else NAME, self.key, self.type_word == "admin")


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
    doc: Doc,
    gaz: Gazetteer,
    cfg: PlacesConfig,
    metonyms: Sequence[tuple[int, int]] = (),
    persons: Sequence[tuple[int, int]] = (),
) -> list[PlaceMention]:
    """Place mentions of `doc` in text order (see the module docstring for what counts).

    Reads entity texts and the few proper nouns outside entities, never `Doc.text` (which joins
    every token) nor every token as a Python object: the parse stays the cost that matters.
    """
    m = cfg.mentions
    labels = frozenset(m.labels)
    admin, city = frozenset(m.admin_words), frozenset(m.city_words)
    # "Hanoi (VNA) -": a dateline names where the story was filed, never a government acting
    metonyms = [(s, e) for s, e in metonyms if dateline_end(doc, s) is None]
    found: list[PlaceMention] = []
    named_elsewhere: list[Span] = []
    other_names: list[Span] = []
    in_name_labels = frozenset(m.in_name_labels)
    namesakes = frozenset(fold(w) for w in m.namesake_words)

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
            found.append(PlaceMention(start, end, text, key, DEMONYM, by_demonym=True, **here))
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
            if len(found) == before and label in labels:
                # "Colchester General Hospital": the place its name holds, else kept unresolved
                namesake = fold(words[-1]) in namesakes or (
                    tw is None and fold(text.split()[-1]) in namesakes
                )
                inner = (
                    [] if namesake else list(_inner_places(doc, span, gaz, cfg, frozenset(), demonyms=False))
                )
                found.extend(inner or [PlaceMention(start, end, text, key, NAME, tw, **here)])

    for ent in doc.ents:
        if ent.label_ in labels:
            add(ent, ent.label_, ent.start_char, ent.text)
        elif ent.label_ == "NORP":
            key = fold(_trim(ent.text, 0)[1])
            # "Iraqi", "Russian-European"; and "Punjab" tagged NORP is the division it names
            if demonym(gaz, key) or "-" in key or _salient(gaz, key, 10**12):
                add(ent, ent.label_, ent.start_char, ent.text)
        elif ent.label_ in _NOT_PLACE_NAMES:
            named_elsewhere.append(ent)
        elif ent.label_ in in_name_labels:
            other_names.append(ent)

    # A whole entity the model labelled a person or organisation is still a place when the
    # article names it as a place elsewhere ("the capture of Ramadi" GPE, "Ramadi" PERSON), or
    # is a demonym ("Get daily Slovak news": PERSON); an organisation, also when it is a
    # country, state, capital or large city ("flights between London and Harare": ORG).
    place_keys = frozenset(p.key for p in found if p.kind == NAME)
    for ent in named_elsewhere:
        key = fold(_trim(ent.text, 0)[1])
        major = ent.label_ == "ORG" and _salient(gaz, key, m.unlabelled_min_population)
        # "Tamil Nadu" and "Puducherry" tagged PERSON: a country or division is no one's name
        region = ent.label_ == "PERSON" and _salient(gaz, key, 10**12)
        if key in place_keys or major or region or demonym(gaz, key):
            add(ent, ent.label_, ent.start_char, ent.text, parts=False)
        elif ent.label_ != "PERSON":  # "Washington Post", "Bank of England", "Syrian Observatory"
            found.extend(
                p
                for p in _inner_places(doc, ent, gaz, cfg, place_keys)
                if not _overlaps(metonyms, p.start, p.end)
            )
    for ent in other_names:
        found.extend(
            p
            for p in _inner_places(doc, ent, gaz, cfg, place_keys)
            if not _overlaps(metonyms, p.start, p.end)
        )

    found.extend(_unlabelled(doc, gaz, cfg, metonyms, admin, city))
    found.sort(key=lambda p: p.start)
    _attach_qualifiers(doc, found)
    for p in found:
        p.dateline = p.kind == NAME and dateline_end(doc, p.start) is not None
    return _not_persons(doc, found, cfg, persons)


def demonym(gaz: Gazetteer, key: str) -> Entry | None:
    """The country of a demonym, singular or plural ("Iraqi", "Iraqis")."""
    return gaz.demonym(key) or (gaz.demonym(key[:-1]) if key.endswith("s") else None)


def preferred_entries(gaz: Gazetteer, key: str) -> list[Entry]:
    return [e for e, preferred in gaz.candidates(key) if preferred]


def _salient(gaz: Gazetteer, key: str, min_population: int, capitals: bool = False) -> bool:
    codes = (COUNTRY, CONTINENT, ADMIN1, CAPITAL) if capitals else (COUNTRY, CONTINENT, ADMIN1)
    return any(e.feature_code in codes or e.population >= min_population for e in preferred_entries(gaz, key))


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
                yield PlaceMention(
                    tok.idx, end, tok.text, key, DEMONYM, tokens=(tok.i, tok.i + 1), by_demonym=True
                )
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


def _inner_places(
    doc: Doc, ent: Span, gaz: Gazetteer, cfg: PlacesConfig, place_keys: frozenset[str], demonyms: bool = True
) -> Iterable[PlaceMention]:
    """Places inside a longer name: "Washington" in "The Washington Post", "Texas" in
    "University of Texas", "Syrian" in "Syrian Observatory for Human Rights" (`demonyms`).

    A place opens the name or follows a function word or punctuation ("Bank of England"), so a
    word that only modifies another ("Latin America", "Air France") is left alone, and a longer
    name it starts is not split ("San Marcos" holds no "San"). Only names that stand out count:
    a country, a division, a continent, a capital, a town of `in_name_min_population`, or a place
    the article names elsewhere ("Wells Fargo" holds no Fargo for an article that never names it).
    """
    m = cfg.mentions
    generic = frozenset(cfg.gazetteer.generic_words)
    i = ent.start
    while i < ent.end:
        tok = doc[i]
        opens = i == ent.start or doc[i - 1].is_stop or doc[i - 1].is_punct
        if not opens or not tok.text[:1].isupper() or tok.is_stop:
            i += 1
            continue
        hit = None
        for k in range(min(ent.end, i + m.max_name_tokens), i, -1):
            if k - i == len(ent) or doc[k - 1].is_punct:
                continue
            span = doc[i:k]
            key = fold(span.text)
            if key in generic:
                continue
            nxt = doc[k] if k < ent.end else None
            if nxt is not None and nxt.text[:1].isupper() and gaz.candidates(fold(doc[i : k + 1].text)):
                break  # "San" of "San Marcos"
            if k - i == 1 and demonyms and demonym(gaz, key) and not gaz.candidates(key):
                hit = PlaceMention(span.start_char, span.end_char, span.text, key, IN_NAME, by_demonym=True)
            elif key in place_keys or _salient(gaz, key, m.in_name_min_population, capitals=True):
                hit = PlaceMention(span.start_char, span.end_char, span.text, key, IN_NAME)
            if hit is not None:
                hit.label, hit.tokens = ent.label_, (span.start, span.end)
                break
        if hit is None:
            i += 1
            continue
        yield hit
        i = hit.tokens[1]


def _not_persons(
    doc: Doc, found: list[PlaceMention], cfg: PlacesConfig, persons: Sequence[tuple[int, int]]
) -> list[PlaceMention]:
    """Drop the mentions the article uses as a person's name. A name is a person's across the
    article once it is part of a person's full name ("Georgia Stevens", "Abraham Lincoln"), and
    right there after a title ("Ms Petrova", "President Jackson"); a mention of that name is
    then a place only with evidence of its own: a locative word before it ("flew to Georgia"),
    a qualifier ("Lincoln, Nebraska"), a type word ("Georgia state"), or being the qualifier of
    the place before it ("Atlanta, Georgia")."""
    p = cfg.persons
    titles = frozenset(t.casefold() for t in p.titles)
    locatives = frozenset(w.casefold() for w in p.locative_words)
    particles = frozenset(w.casefold() for w in p.name_particles)
    names: set[str] = set()
    places = {(m.start, m.end) for m in found}
    spans = list(persons) + [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    for start, end in spans:
        if (start, end) in places:  # "Tamil Nadu" tagged PERSON and read as the place it is
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        cut = [t.i for t in span if t.text in _POSSESSIVES]  # "Mississippi State's Roshunda Johnson"
        span = doc[cut[-1] + 1 : span.end] if cut else span
        words = [fold(t.text) for t in span if t.text[:1].isupper() and fold(t.text) not in titles]
        words = [w for w in words if w not in particles and w.isalpha()]
        if len(words) >= 2:  # a full name: its words, and the name itself
            names.update(words)
            names.add(" ".join(words))
    qualifiers = {
        id(b) for a, b in itertools.pairwise(found) if a.qualifier is not None and a.qualifier == b.key
    }
    kept = []
    for m in found:
        if m.by_demonym:
            kept.append(m)
            continue
        first = m.tokens[0]
        before = doc[first - 1].text.casefold().rstrip(".") if first > 0 else ""
        if before in titles and m.kind != IN_NAME:
            continue
        if m.key in names or set(m.key.split()) <= names:
            evidence = before in locatives or m.qualifier or m.type_word or id(m) in qualifiers
            if not evidence:
                continue
        kept.append(m)
    return kept


_DATELINE_MARKS = frozenset({",", "(", "-", "–", "—", ":"})


def dateline_end(doc: Doc, start_char: int) -> int | None:
    """The token index after a place that opens a line and is followed by a dateline mark
    ("BEIRUT (AP) -", "MANILA, Philippines -", "Hanoi (VNA) -"), else None."""
    span = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    if span is None:
        return None
    i = span.start
    if i > 0 and "\n" not in doc[i - 1].text_with_ws and not doc[i - 1].is_space:
        return None
    j = i
    while j < len(doc) and j - i < 4 and doc[j].text[:1].isupper():
        j += 1
    if j == i or j >= len(doc) or doc[j].text not in _DATELINE_MARKS:
        return None
    return j
