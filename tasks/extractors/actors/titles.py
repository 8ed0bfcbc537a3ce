"""People: the titles and appositions around a name, and the role, sector and country they code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from newsevents.tasks.extractors.actors.article import (
    GROUP,
    SPOKESPEOPLE,
    ActorDoc,
    Candidate,
    canonical_name,
)

# ---------------------------------------------------------------- people: titles and appositions


@dataclass(slots=True)
class _Title:
    roles: list[str] = field(default_factory=list)  # nearest first
    countries: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)  # from modifiers ("rebel leader")
    orgs: list[int] = field(default_factory=list)  # entity indexes
    consumed: list[tuple[int, int]] = field(default_factory=list)


def _title_before(start: int, art: ActorDoc, title: _Title) -> None:
    """Walk left from a name over its title: "US Secretary of State | John Kerry",
    "Pentagon spokesman Colonel | Steve Warren", "Iraqi prime minister | Haider al-Abadi"."""
    doc, lex = art.doc, art.lex
    i = start
    found_title = False
    # What may stand right of a country or organisation word: a title, never the bare name.
    right_is_title = False
    pending: list[tuple[int, int]] = []
    while i > 0:
        j = i - 1
        tok = doc[j]
        if i in art.role_ending:
            s, phrase = art.role_ending[i]
            title.roles.append(phrase)
            pending.append((s, i))
            found_title = right_is_title = True
            i = s
            continue
        if tok.text in lex.honorifics:
            found_title = True
            right_is_title = False
            pending.append((j, i))
            i = j
            continue
        k = art.ent_at[j]
        if k >= 0 and art.ents[k].end == i and right_is_title:
            ent = art.ents[k]
            iso = lex.country_of_modifier(art.ent_texts[k]) if ent.label_ in ("GPE", "NORP") else None
            if iso:
                title.countries.append(iso)
                pending.append((ent.start, ent.end))
                i = ent.start
                continue
            if ent.label_ == "ORG":
                title.orgs.append(k)
                i = ent.start
                continue
            break
        if right_is_title and (iso := lex.country_of_modifier(tok.text)):
            title.countries.append(iso)
            pending.append((j, i))
            i = j
            continue
        if tok.lower_ in lex.title_modifiers:
            if lex.nominals.get(tok.lower_):
                title.sectors.append(lex.nominals[tok.lower_])  # "rebel leader", "army chief"
            pending.append((j, i))
            i = j
            continue
        break
    if found_title:
        title.consumed.extend(pending)


def _np_title(head: Token, art: ActorDoc, title: _Title) -> None:
    """Roles, countries and organisations in a noun phrase describing a person
    ("Iraq's prime minister", "a spokesman for the Pentagon", "expert and adviser to the RUSI")."""
    lex = art.lex
    heads = [head, *head.conjuncts]
    for tok in heads:
        lo = tok.left_edge.i
        for s, e, phrase in art.roles:
            if lo <= s and e <= tok.i + 1 and (s, e) not in title.consumed:
                title.roles.append(phrase)
                title.consumed.append((s, e))
    for i in range(head.left_edge.i, head.i):
        k = art.ent_at[i]
        if k >= 0 and art.ents[k].label_ in ("GPE", "NORP"):
            iso = lex.country_of_modifier(canonical_name(art.ent_texts[k]))
            if iso:
                title.countries.append(iso)
                title.consumed.append((art.ents[k].start, art.ents[k].end))
    for tok in heads:
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "for", "to", "at", "with"):
                continue
            for obj in prep.children:
                k = art.ent_at[obj.i]
                if obj.dep_ != "pobj" or k < 0:
                    continue
                ent = art.ents[k]
                iso = (
                    lex.country_of_modifier(canonical_name(art.ent_texts[k]))
                    if ent.label_ in ("GPE", "NORP")
                    else None
                )
                if iso and prep.lower_ == "of":
                    title.countries.append(iso)
                elif ent.label_ == "ORG":
                    title.orgs.append(k)


def _is_title_head(tok: Token, art: ActorDoc) -> bool:
    return any(art.role_at[t.i] >= 0 for t in (tok, *tok.conjuncts))


def _person_title(cand: Candidate, art: ActorDoc) -> _Title:
    doc = art.doc
    title = _Title()
    _title_before(cand.start, art, title)
    root = doc[cand.start : cand.end].root
    for child in root.children:
        # Only a title describes the person ("X, Iraq's prime minister"; not "Roddick (US), Moya (Spain)").
        if child.dep_ == "appos" and not cand.start <= child.i < cand.end and _is_title_head(child, art):
            _np_title(child, art, title)
    if root.dep_ == "appos" and art.role_at[root.head.i] >= 0:  # "Iraq's prime minister, Haider al-Abadi"
        _np_title(root.head, art, title)
    after = doc[cand.end] if cand.end < len(doc) else None
    if after is not None and after.is_upper and art.role_at[after.i] >= 0:  # "Margaret Moran MP"
        _np_title(after, art, title)
    return title


_STATE_TAG = re.compile(r"\s*[(,]\s*(?:[RDI]\s*[-–]\s*)?([A-Z][A-Za-z]*\.?(?:\s?[A-Z][a-z]*\.)?)\s*[),]")


def us_state_tag(person: Candidate, art: ActorDoc) -> bool:
    """ "Sen. Rand Paul (Ky.)", "Rep. Hakeem Jeffries (D-N.Y.)", "Ted Cruz, R-Texas": the state
    (and party) tag US politicians carry in American news."""
    last = art.doc[person.end - 1]
    start = last.idx + len(last)
    m = _STATE_TAG.match(art.view.text, start)
    if not m or m.group(1) not in art.lex.us_state_abbreviations:
        return False
    span = art.doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
    if span is not None:  # the tag is part of the name's title, not a place actor of its own
        art.consumed[span.start : span.end] = [True] * len(span)
    return True


def code_person(person: Candidate, art: ActorDoc, by_ent: dict[int, Candidate]) -> None:
    """Role, sector and country of a named person from the title around the name."""
    lex = art.lex
    title = _person_title(person, art)
    if us_state_tag(person, art):
        title.countries.append("USA")
    for s, e in title.consumed:
        art.consumed[s:e] = [True] * (e - s)
    person.role = title.roles[0] if title.roles else None
    person.titles = title.roles
    if person.fixed:
        return
    orgs = [by_ent[k] for k in title.orgs if k in by_ent and by_ent[k].actor_type in ("ORG", GROUP)]
    # The nearest title that codes a sector: "spokesman Colonel Steve Warren" is MIL.
    person.sector = next((lex.roles[r] for r in title.roles if lex.roles.get(r)), None)
    person.sector = person.sector or next(iter(title.sectors), None) or (orgs[0].sector if orgs else None)
    person.country = next(iter(title.countries), None) or (orgs[0].country if orgs else None)
    if orgs and title.roles and title.roles[0] in SPOKESPEOPLE:
        person.sector = orgs[0].sector or person.sector  # a spokesman speaks for his organisation
    if orgs:
        person.country = person.country or orgs[0].country
