"""Actors: the mentions of one parsed Doc -> typed, country- and sector-coded canonical actors.

A mention comes from a named entity (spaCy NER plus the gazetteer ruler, actors.lexicon)
or from a group noun ("Iraqi soldiers", "police", "Shia militias"). Each is resolved to an actor
key that does not depend on the article or run order, so ids are stable everywhere:

    NAME:<full name>        people and organisations ("Haider al-Abadi", "Islamic State"): one
                            namespace, since the NER swaps the two; titles, honorifics and
                            possessives stripped; gazetteer actors by their canonical name
    NORP:<name>             religious, ethnic and political groups ("Shia", "Kurds")
    GPE:<ISO3>              a country, however written ("US", "Britain", "British"), and a capital
                            standing for its government ("Washington said")
    GPE:<name>              other places, with the country they lie in
    NORP:<ISO3>             a country's people ("Iraqis")
    GROUP:<ISO3|--->:<group>:<sector>   an unnamed collective actor coded like PETRARCH
                            ("Iraqi soldiers", "the Iraqi army" -> GROUP:IRQ::MIL)

Within one article, surnames link to the full name ("al-Abadi" -> "Haider al-Abadi"), bracketed
aliases and acronyms to their long form, bare group nouns to the group named earlier ("his army"
after "the Iraqi army"), and an unnamed spokesman to the organisation that spoke before him.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc

from newsevents.tasks.extractors.actors.article import (
    ASSUMED,
    GROUP,
    SPOKESPEOPLE,
    STATED,
    ActorDoc,
    ActorEvidence,
    Candidate,
    actor_id_for,
    canonical_name,
    group_key,
    group_name,
)
from newsevents.tasks.extractors.actors.groups import group_candidates
from newsevents.tasks.extractors.actors.lexicon import (
    ActorLexicon,
    actor_key,
    load_lexicon,
)
from newsevents.tasks.extractors.actors.linking import (
    link_acronyms,
    link_brackets,
    link_groups,
    link_people,
    speaker_before,
)
from newsevents.tasks.extractors.actors.names import resolve_entity
from newsevents.tasks.extractors.actors.titles import code_person
from newsevents.tasks.records import ActorMention

# ---------------------------------------------------------------- the extractor


def extract_mentions(
    doc: Doc, article_id: str, authors: Sequence[str] = (), lex: ActorLexicon | None = None
) -> list[tuple[ActorMention, ActorEvidence]]:
    """Every actor mention in `doc` with what it says about its actor, in text order.

    `authors` are the byline names: the writer of the story is not one of its actors. `lex` is
    the actor lexicon (default: the configured one).
    """
    lex = lex or load_lexicon()
    art = ActorDoc(doc, lex)
    labels = _article_labels(art)
    cands: list[Candidate] = []
    by_ent: dict[int, Candidate] = {}
    for k, ent in enumerate(art.ents):
        if art.boilerplate and art.in_boilerplate(ent):
            continue
        cand = resolve_entity(ent, labels[k], art)
        if cand is None or (cand.actor_type == "PERSON" and _is_author(cand.name, authors)):
            continue
        cand.ent = k
        cands.append(cand)
        by_ent[k] = cand
    people = [c for c in cands if c.actor_type == "PERSON"]
    for person in people:
        code_person(person, art, by_ent)
    cands = [c for c in cands if not any(art.consumed[c.start : c.end])]
    art.home = home_country(cands)
    for person in people:
        if not person.fixed and person.country is None and SPOKESPEOPLE.intersection(person.titles):
            speaker = speaker_before(person, cands, art)
            if speaker is not None:
                person.sector = person.sector or speaker.sector
                person.country = person.country or speaker.country
    groups = group_candidates(art, people)
    cands = [c for c in cands if not any(art.consumed[c.start : c.end])]
    cands = sorted(cands + groups, key=lambda c: c.start)
    cands = link_brackets(cands, art)
    link_acronyms(cands)
    link_people(cands, lex)
    cands = link_groups(cands, art)
    if art.home == "USA":
        _us_states_not_countries(cands, lex)
    assume_home_country(cands, art.home)
    return [_finish(c, article_id, art) for c in cands]


# A country is an article's home when it has at least this many place-like mentions and at least
# this share of all of them ("the article is about one country's politics").
HOME_MIN_MENTIONS, HOME_MIN_SHARE = 2, 0.5
# People whose role says nothing of their country: experts, journalists, aid and UN staff are
# quoted in a country's story from anywhere ("Gareth Stansfield, professor at Exeter").
# Think tanks, NGOs and international bodies likewise; a country's media and firms are its own.
_TRAVELLING = {
    "PERSON": frozenset({"EDU", "MED", "NGO", "IGO", "HLH", "BUS", "REL"}),
    "ORG": frozenset({"EDU", "NGO", "IGO", "HLH", "REL"}),
}
# Groups that belong to the home country when the text names none ("the government", "police").
_HOME_GROUPS = frozenset({"GOV", "LEG", "JUD", "COP", "MIL", "PTY", "SPY", "OPP"})


def home_country(cands: Sequence[Candidate]) -> str | None:
    """The country an article is about, from its places and peoples (country names, capitals,
    regions, cities, demonyms, "Iraqis") and the national actors the gazetteer knows (parties,
    leaders): the dominant one, or None for an international story."""
    votes: Counter[str] = Counter()
    for c in cands:
        place_like = c.actor_type in ("GPE", "NORP") and not c.qualifier
        national = c.fixed and c.actor_type in ("PERSON", "ORG")
        if c.country and (place_like or national):
            votes[c.country] += 1
    if not votes:
        return None
    iso, n = votes.most_common(1)[0]
    return iso if n >= HOME_MIN_MENTIONS and n >= HOME_MIN_SHARE * sum(votes.values()) else None


def _us_states_not_countries(cands: Sequence[Candidate], lex: ActorLexicon) -> None:
    """In an American story "Georgia" is the state, not the country (same name, other kind)."""
    for c in cands:
        folded = c.name.casefold()
        if c.actor_type == "GPE" and c.key == f"GPE:{c.country}" and lex.cities.get(folded) == "USA":
            c.key, c.country, c.metonym, c.fixed = f"GPE:{folded}", "USA", False, False


def assume_home_country(cands: Sequence[Candidate], home: str | None) -> None:
    """Give the home country to actors the text ties to none: people and organisations (as weak
    evidence, outvoted by what other mentions state), and unnamed state bodies ("the government",
    "police"), whose identity is that country's."""
    # A surname or short form shares what its full name's mentions state ("Putin" after "the
    # Russian president, Vladimir V. Putin"), before any assumption.
    stated: dict[str, str] = {}
    for c in cands:
        if c.country and c.actor_type in ("PERSON", "ORG"):
            stated.setdefault(_identity(c), c.country)
    for c in cands:
        if not c.country and c.actor_type in ("PERSON", "ORG") and _identity(c) in stated:
            c.country = stated[_identity(c)]
    if home is None:
        return
    for c in cands:
        if c.country or c.fixed or c.anaphoric or c.refers_to is not None:
            continue
        if c.actor_type in ("ORG", "PERSON") and c.sector not in _TRAVELLING.get(c.actor_type, ()):
            c.country, c.assumed_country = home, True
        elif c.actor_type == GROUP and not c.qualifier and c.key is None and c.sector in _HOME_GROUPS:
            c.country = home


def _identity(c: Candidate) -> str:
    return c.key or actor_key(c.actor_type or c.label, c.name)


def _article_labels(art: ActorDoc) -> list[str]:
    """One label per surface form within an article: the NER reads "Ramadi" as a place seven
    times and as a person once; gazetteer entities keep theirs."""
    names = [canonical_name(text).casefold() for text in art.ent_texts]
    votes: dict[str, Counter[str]] = {}
    for ent, name in zip(art.ents, names, strict=True):
        if not ent.ent_id_:
            votes.setdefault(name, Counter())[ent.label_] += 1
    labels = []
    for ent, name in zip(art.ents, names, strict=True):
        counts = votes.get(name)
        if ent.ent_id_ or not counts or len(counts) == 1 or ent.label_ == "NORP":
            labels.append(ent.label_)
        else:
            best = counts.most_common()
            top = [lab for lab, n in best if n == best[0][1]]
            labels.append(ent.label_ if ent.label_ in top else top[0])
    return labels


def _is_author(name: str, authors: Sequence[str]) -> bool:
    folded = name.casefold()
    for author in authors:
        a = author.casefold()
        if folded == a or (" " not in folded and a.split() and a.split()[-1] == folded):
            return True
    return False


def _finish(c: Candidate, article_id: str, art: ActorDoc) -> tuple[ActorMention, ActorEvidence]:
    doc, lex = art.doc, art.lex
    if c.refers_to is not None:
        holder = c.refers_to
        c.key, c.name = holder.key or actor_key("PERSON", holder.name), holder.name
        c.country, c.sector = c.country or holder.country, c.sector or holder.sector
    actor_type = c.actor_type or c.label
    if c.key is None:
        if actor_type == GROUP:
            c.key = group_key(c.country, c.qualifier, c.sector or "")
            local = (c.qualifier or "").startswith("@")
            c.name = group_name(c.country, c.qualifier_name, c.sector or "", lex, local)
        else:
            c.key = actor_key(actor_type, c.name)
    last = doc[c.end - 1]
    start, end = doc[c.start].idx, last.idx + len(last)
    mention = ActorMention(
        article_id=article_id,
        actor_id=actor_id_for(c.key),
        text=art.chars(c.start, c.end),
        start=start,
        end=end,
        label=actor_type,
        role=c.role,
        metonym=c.metonym,
    )
    # A bare group noun's alias is the noun ("officials"), not the adjectives around it ("grubby").
    bare = actor_type == GROUP and not (c.country or c.qualifier)
    alias_text = c.role if bare else None
    weight = ASSUMED if c.assumed_country else STATED
    evidence = ActorEvidence(c.name, actor_type, c.country, c.sector, not c.anaphoric, alias_text, weight)
    return mention, evidence
