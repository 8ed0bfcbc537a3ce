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
# Adverbs that present an event as someone's claim, not as fact ("allegedly killed by UK troops").
UNCERTAIN_ADVERBS = frozenset({"allegedly", "purportedly", "supposedly", "possibly", "perhaps", "maybe"})
# Verbs and nouns whose complement is wished, weighed or alleged, not done ("mulled over
# resigning", "considering legal action", "requested that Lazar be released", "allegations of
# torture").
IRREALIS_VERBS = frozenset(
    {
        "consider",
        "contemplate",
        "mull",
        "weigh",
        "propose",
        "suggest",
        "recommend",
        "demand",
        "request",
        "urge",
        "want",
        "wish",
        "hope",
        "seek",
        "plan",
        "intend",
        "threaten",
        "expect",
        "fear",
        "insist",
        "ask",
        "call",
        "press",
        "push",
        "lobby",
        "require",
        "favour",
        "favor",
        "envisage",
        "discuss",
        "debate",
        "explore",
        "imagine",
        "refuse",
        "deny",
        "reject",
        "oppose",
        "prevent",
        "avoid",
    }
)
# Adjectives and nouns of capacity: "able to deliver nuclear weapons through dropping bombs".
CAPACITY = frozenset({"able", "capable", "ability", "capacity", "capability", "power", "means"})
# Verbs whose "with"/"of" complement is what someone is alleged to have done ("charged with
# murder", "accused of abuse", "acquitted of murder").
ALLEGING = frozenset({"charge", "accuse", "suspect", "convict", "acquit", "indict", "arrest", "try", "clear"})
IRREALIS_NOUNS = frozenset(
    {
        "allegation",
        "accusation",
        "claim",
        "charge",
        "rumour",
        "rumor",
        "suspicion",
        "possibility",
        "prospect",
        "threat",
        "risk",
        "plan",
        "proposal",
        "idea",
        "call",
        "demand",
        "request",
        "hope",
        "fear",
        "danger",
        "chance",
        "option",
        "suggestion",
        "report",
    }
)


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
    # "has not stepped forward to defend Manafort", "never called a donor to ask for money": the
    # purpose of a verb that did not happen did not happen either.
    a = cand.anchor
    if (
        not cand.replaced
        and a.dep_ in ("xcomp", "advcl")
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in a.children)
    ) and any(c.dep_ == "neg" for c in a.head.children):
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
    # "arms China could use to threaten Taiwan": an infinitive shares its governor's modal
    node = clause[-1]
    while node.dep_ in ("xcomp", "advcl") and any(c.tag_ == "TO" for c in node.children):
        node = node.head
        clause.append(node)
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
    if any(c.dep_ == "advmod" and c.lower_ in UNCERTAIN_ADVERBS for t in clause for c in t.children):
        modes.add(HYPOTHETICAL)
    if not cand.replaced and _irrealis(cand, lex):
        modes.add(HYPOTHETICAL)
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


def _irrealis(cand: Candidate, lex: Lexicon) -> bool:
    """The event is the complement of a verb or noun that wishes, weighs, asks for or alleges it:
    "mulled over resigning", "considering taking legal action", "requested that Lazar be
    released", "wanted Sir Edward's resignation", "allegations of torture"."""
    node = cand.noun if cand.noun is not None and cand.anchor.i == cand.noun.i else cand.anchor
    for _ in range(4):
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ in ("ccomp", "xcomp", "dobj", "pcomp", "pobj", "prep", "oprd", "acl"):
            if is_verb(head) and lex.verb_lemma(head.text) in IRREALIS_VERBS and node.dep_ != "prep":
                return node.dep_ != "ccomp" or any(c.dep_ in ("aux", "auxpass") for c in node.children)
            if head.tag_ in ("NN", "NNS") and lex.noun_lemma(head.lower_) in IRREALIS_NOUNS:
                return True
            if head.lower_ in CAPACITY:
                return True
            alleged = node.dep_ == "pobj" and head.lower_ in ("with", "of", "for") and is_verb(head.head)
            if alleged and lex.verb_lemma(head.head.text) in ALLEGING:
                return True
        elif node.dep_ in ("nsubj", "nsubjpass", "attr", "conj", "appos"):
            pass
        else:
            return False
        if head.dep_ in ("ROOT",) and node.dep_ not in ("prep", "pobj", "pcomp"):
            return False
        node = head
    return False


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
