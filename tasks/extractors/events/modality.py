"""Whether the text presents an event as fact: negation, and the hypothetical, future and
reported modes of its clause.
"""

from __future__ import annotations

from spacy.tokens import Token

from newsevents.tasks.extractors.events.arguments import SUBJ, is_verb
from newsevents.tasks.extractors.events.lexicon import (
    Lexicon,
)
from newsevents.tasks.extractors.events.syntax import CLAUSE_LINKS, PASS_SUBJ
from newsevents.tasks.extractors.events.triggers import FUTURE, HYPOTHETICAL, REPORTED, Candidate

HYPOTHETICAL_MARKS = frozenset({"if", "unless", "whether"})


# ---------------------------------------------------------------- modality, negation, dates, places


def negated(cand: Candidate, fr) -> bool:
    if cand.replaced and cand.frame is not None:
        nodes = [cand.frame]
    else:
        nodes = [cand.anchor, *cand.tokens]
        if cand.frame is not None:
            nodes.append(cand.frame)
    for t in nodes:
        for c in t.children:
            if c.dep_ == "neg":
                return True
    n = cand.noun
    if n is not None:
        for c in n.children:
            if c.dep_ == "det" and c.lower_ in ("no",):
                return True
        if n.dep_ == "pobj" and n.head.lower_ == "without":
            return True
    return False


def aux_modes(cand: Candidate, lex: Lexicon) -> set[str]:
    fr = lex.frames
    modes = set(cand.aux)
    a = cand.anchor
    clause = [a] if cand.frame is None else [a, cand.frame]
    for t in clause:
        for c in t.children:
            if c.dep_ in ("aux", "auxpass") and c.tag_ == "MD":
                word = c.lower_
                if word in fr.hypothetical_modals:
                    modes.add(HYPOTHETICAL)
                elif word in fr.future_modals:
                    modes.add(FUTURE)
            if c.dep_ in SUBJ | PASS_SUBJ:
                for d in c.children:
                    if d.dep_ in ("det", "amod") and d.lower_ in fr.hypothetical_modifiers:
                        modes.add(HYPOTHETICAL)
        if t.lower_ == "going" or any(c.lower_ == "going" and c.dep_ == "aux" for c in t.children):
            modes.add(FUTURE)
    n = cand.noun
    if n is not None:
        for c in n.children:
            if c.dep_ in ("det", "amod", "compound") and c.lower_ in fr.hypothetical_modifiers:
                modes.add(HYPOTHETICAL)
            elif c.dep_ in ("amod", "compound", "det") and c.lower_ in fr.future_modifiers:
                modes.add(FUTURE)
    top = cand.frame or a
    for anc in [top, *top.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in anc.children):
            modes.add(HYPOTHETICAL)
            break
        if anc.dep_ not in CLAUSE_LINKS:
            break
    if _reported(a, lex):
        modes.add(REPORTED)
    return modes


def _reported(t: Token, lex: Lexicon) -> bool:
    fr = lex.frames
    node = t
    for _ in range(6):
        for c in node.children:
            # "Gunmen attacked the bank, police said": a reporting clause after the event
            if (
                c.dep_ in ("parataxis", "ccomp", "advcl")
                and is_verb(c)
                and lex.verb_lemma(c.text) in fr.reporting
                and (c.i > t.i or c.dep_ == "parataxis")
            ):
                return True
            if c.dep_ == "prep" and c.lower_ == "according":
                return True
        head = node.head
        if head.i == node.i:
            return False
        if (
            is_verb(head)
            and lex.verb_lemma(head.text) in fr.reporting
            and node.dep_ in ("ccomp", "xcomp", "conj")
        ):
            return True
        if node.dep_ not in CLAUSE_LINKS and node.dep_ not in ("relcl", "acl"):
            return False
        node = head
    return False
