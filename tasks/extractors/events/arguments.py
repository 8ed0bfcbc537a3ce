"""Who did it to whom: argument phrases read off the dependency parse and linked to actors.

`ArticleView` holds one Doc with its actor mentions and places and answers what the event
rules ask: which noun is a verb's subject or object (through passives, coordination, control
and the small model's frequent misparses), what phrase that noun heads, which actor mention
covers it, and what a pronoun stands for. Pure functions over spaCy tokens; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from newsevents.tasks.extractors.events.lexicon import Lexicon
from newsevents.tasks.extractors.events.syntax import (
    SUBJ,
    TARGET_PREPS,
    grammatical_subject,
    is_passive,
    is_temporal,
    is_verb,
    prep_objects,
    through_object,
)

MAX_ARGS = 4
MAX_PHRASE_TOKENS = 12


@dataclass(slots=True)
class Arg:
    text: str
    start: int
    end: int
    actor_id: str | None
    head: Token


# "fighting on the Eritrean side", "on behalf of": whom one acts with or for, never against.
ALLIED = frozenset({"side", "sides", "behalf"})


@dataclass(slots=True)
class Roles:
    sources: list[Token]
    targets: list[Token]
    objects: list[Token]
    passive: bool


def verb_roles(v: Token, lex: Lexicon) -> Roles:
    """Source, target and object (for rule conditions) of verb `v`."""
    passive = is_passive(v)
    subj = grammatical_subject(v)
    base = lex.verb_lemma(v.text)
    objects = [c for c in v.children if c.dep_ in ("dobj", "obj")]
    if not objects and not passive:
        # "arrested and beat six MPs": the object of the last conjunct serves them all.
        for c in v.conjuncts:
            if c.i > v.i and is_verb(c) and not any(x.dep_ in SUBJ for x in c.children):
                objects = [x for x in c.children if x.dep_ == "dobj"]
                if objects:
                    break
    objects = [x for o in objects for x in (o, *(c for c in o.conjuncts if c.i > o.i and c.ent_iob_ != "I"))]
    if passive:
        sources = [o for w, o in prep_objects(v, ("by",))]
        patient = [subj] if subj is not None else []
        targets, objects = patient, patient
    else:
        sources = [subj] if subj is not None else []
        targets = list(objects)
    if base in lex.reversed:
        givers = [o for w, o in prep_objects(v, ("from", "by"))]
        if not givers:
            # "received ministers from the government", the "from" hung on the object
            givers = [o for obj in objects for w, o in prep_objects(obj, ("from",))]
        targets = [s for s in ([subj] if subj is not None else [])]
        sources = givers
    elif base in lex.frames.transfer:
        recipients = [o for w, o in prep_objects(v, ("to", "for")) if not is_temporal(o)]
        if not recipients:
            # "give permission to Russia": the recipient hangs on the object
            recipients = [o for obj in objects for w, o in prep_objects(obj, ("to",)) if not is_temporal(o)]
        targets = recipients
    elif base in lex.frames.instrument:
        # "fired anti-aircraft batteries at Russia", "a mortar bomb was fired at it": the
        # object (or passive subject) is the weapon.
        targets = [
            o
            for w, o in prep_objects(v, ("at", "on", "upon", "into", "against", "toward", "towards"))
            if not is_temporal(o)
        ]
    # "presented evidence against Russia", "imposed sanctions on Iran": the object's own target.
    targets = [through_object(t) for t in targets]
    if not targets:
        targets = [
            o
            for w, o in prep_objects(v, TARGET_PREPS)
            if not is_temporal(o) and o.tag_ != "VBG" and o.lower_ not in ALLIED
        ][:2]
        if not objects:
            objects = list(targets)
    return Roles(sources, targets, objects, passive)
