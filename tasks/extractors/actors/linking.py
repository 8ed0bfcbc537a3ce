"""Linking within one article: bracketed aliases, acronyms, surnames, group nouns to named groups."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from newsevents.tasks.extractors.actors.article import ACRONYM_SKIP, GROUP, ActorDoc, Candidate
from newsevents.tasks.extractors.actors.lexicon import (
    ActorLexicon,
)

# ---------------------------------------------------------------- linking within the article


def link_brackets(cands: list[Candidate], art: ActorDoc) -> list[Candidate]:
    """ "Islamic State (IS)", "the Palestine Liberation Organization [PLO]": the bracketed alias
    is the long form's actor; a bracketed acronym the NER missed becomes a mention."""
    doc = art.doc
    by_start = {c.start: c for c in cands}
    added = []
    for c in cands:
        if c.label == "PERSON" or c.end + 2 >= len(doc) or doc[c.end].text not in ("(", "["):
            continue
        inner = by_start.get(c.end + 1)
        close = inner.end if inner else c.end + 2
        if close >= len(doc) or doc[close].text not in (")", "]"):
            continue
        if inner is None:
            tok = doc[c.end + 1]
            if not (tok.is_upper and tok.is_alpha and 2 <= len(tok) <= 6) or art.consumed[tok.i]:
                continue
            inner = Candidate(tok.i, tok.i + 1, c.label, tok.text)
            added.append(inner)
        if inner.fixed and inner.key != c.key:
            continue
        _adopt(inner, c)
    return sorted(cands + added, key=lambda c: c.start)


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in ACRONYM_SKIP]
    return "".join(w[0] for w in words if w[0].isupper())


def link_acronyms(cands: list[Candidate]) -> None:
    """An all-capitals name equal to the initials of a longer one in the article ("RUSI")."""
    long_forms: dict[str, Candidate] = {}
    for c in cands:
        if c.label in ("ORG", "GPE") and len(c.name.split()) > 1:
            long_forms.setdefault(_initials(c.name), c)
    for c in cands:
        if not c.fixed and c.name.isupper() and 2 <= len(c.name) <= 6 and c.name in long_forms:
            _adopt(c, long_forms[c.name])


def _adopt(c: Candidate, other: Candidate) -> None:
    c.key, c.name, c.actor_type, c.label = other.key, other.name, other.actor_type, other.label
    c.country, c.sector, c.fixed = other.country, other.sector, True
    c.qualifier, c.qualifier_name = other.qualifier, other.qualifier_name


def link_people(cands: list[Candidate], lex: ActorLexicon) -> None:
    """Partial names to the article's full name ("al-Abadi" -> "Haider al-Abadi", also when the NER
    called it an organisation); a lone surname no full name explains to the gazetteer ("Blair")."""
    _people_called_organisations(cands)
    full: dict[str, Candidate] = {}
    uses: Counter[str] = Counter()
    for c in cands:
        if c.actor_type == "PERSON" and " " in c.name:
            full.setdefault(c.name.casefold(), c)
            uses[c.name.casefold()] += 1
    for c in cands:
        if (c.fixed and c.actor_type != "PERSON") or c.actor_type not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        folded = c.name.casefold()
        if c.actor_type == "PERSON" and folded in full:
            continue
        target = _dominant((f for f in full if f.endswith(" " + folded)), uses) or (
            _unique(f for f in full if f.startswith(folded + " ")) if c.actor_type == "PERSON" else None
        )
        if target is not None and full[target] is not c:
            person = full[target]
            c.key, c.name, c.actor_type, c.label = person.key, person.name, "PERSON", "PERSON"
            c.metonym = False
            if person.fixed:
                c.country, c.sector, c.fixed = person.country, person.sector, True
            continue
        # "Trump" alone, which the NER often calls an organisation: the gazetteer's person
        lone = c.actor_type == "PERSON" or (c.actor_type == "ORG" and " " not in c.name)
        if lone and not c.fixed and c.name[:1].isupper() and folded in lex.surname_keys:
            entry = lex.entries[lex.surname_keys[folded]]
            c.key, c.name, c.country, c.sector, c.fixed = (
                entry.key,
                entry.name,
                entry.country,
                entry.sector,
                True,
            )
            c.actor_type = c.label = entry.actor_type


def _people_called_organisations(cands: list[Candidate]) -> None:
    """ "Carly Fiorina" tagged ORG in an article where "Fiorina" is a person: a plain two- or
    three-word name ending in a person's surname is that person's name, not an organisation."""
    surnames = {c.name.split()[-1].casefold() for c in cands if c.actor_type == "PERSON" and c.name}
    for c in cands:
        words = c.name.split()
        if c.actor_type != "ORG" or c.fixed or c.sector or not 2 <= len(words) <= 3:
            continue
        if all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words) and (
            words[-1].casefold() in surnames
        ):
            c.actor_type = c.label = "PERSON"


def _dominant(names: Iterable[str], uses: Counter[str]) -> str | None:
    """The one full name a surname can stand for, or the one used at least twice as often as any
    other ("Fiorina" is Carly Fiorina, named three times, not her husband named once)."""
    names = set(names)
    # "later carly fiorina" (a stray word the NER took in) is a use of "carly fiorina"
    core = {n: min((m for m in names if n == m or n.endswith(" " + m)), key=len) for n in names}
    totals: Counter[str] = Counter()
    for n, c in core.items():
        totals[c] += uses[n]
    ranked = sorted(totals, key=lambda n: -totals[n])
    uses = totals
    if len(ranked) == 1:
        return ranked[0]
    if len(ranked) > 1 and uses[ranked[0]] >= 2 * uses[ranked[1]]:
        return ranked[0]
    return None


def _unique(names: Iterable[str]) -> str | None:
    found = set(names)
    return found.pop() if len(found) == 1 else None


def link_groups(cands: list[Candidate], art: ActorDoc) -> list[Candidate]:
    """A bare group noun is the group of that sector named earlier in the article ("his army" after
    "the Iraqi army"), or for rebels and parties the organisation named earlier ("Islamic State ...
    the militants", "Labour ... the party"). A bare noun of a sector that is no actor on its own
    ("the party" with no party named) is dropped."""
    lex = art.lex
    last_group: dict[str, Candidate] = {}
    last_org: dict[str, Candidate] = {}
    out = []
    for c in cands:
        if c.label == GROUP and c.sector and not (c.country or c.qualifier):
            earlier = last_group.get(c.sector)
            org = last_org.get(c.sector) if c.sector in lex.anaphoric_sectors else None
            pick = max((x for x in (earlier, org) if x is not None), key=lambda x: x.start, default=None)
            if pick is not None and pick is org:
                _adopt(c, pick)
                c.anaphoric = True
            elif pick is not None:
                c.country, c.qualifier, c.qualifier_name = pick.country, pick.qualifier, pick.qualifier_name
                c.anaphoric = True
            elif c.sector not in lex.core_sectors:
                if art.home is None or c.sector in lex.anaphoric_sectors:
                    continue
                c.country = art.home  # "workers" in an American story: American workers
        elif c.label == GROUP and c.sector:
            last_group[c.sector] = c
        elif c.actor_type == "ORG" and c.sector:
            last_org[c.sector] = c
        out.append(c)
    return out


def speaker_before(c: Candidate, cands: list[Candidate], art: ActorDoc) -> Candidate | None:
    """The organisation or government that spoke in the last sentences before an unnamed
    spokesman ("the Pentagon said ... 'To read too much...' said spokesman Colonel Steve Warren")."""
    doc = art.doc
    here = art.sentence_of(c.start)
    for other in reversed(cands):
        if other.start >= c.start:
            continue
        if here - art.sentence_of(other.start) > 2:
            break
        if other.actor_type not in ("ORG", GROUP) and not other.metonym:
            continue
        tok = doc[other.start : other.end].root
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lower_ in art.lex.speech_verbs:
            return other
    return None
