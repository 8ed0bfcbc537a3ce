"""Dependency-parse helpers the event rules share: word classes, prepositional objects, subjects,
voice. Pure functions of spaCy tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from spacy.tokens import Span, Token

# Dependency labels of a verb's subject, object and of a noun's pre-modifiers.
SUBJ = frozenset({"nsubj", "csubj"})
PASS_SUBJ = frozenset({"nsubjpass", "csubjpass"})
PREMOD = frozenset({"compound", "amod", "nmod", "poss", "npadvmod", "nummod"})
CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "conj", "advcl", "parataxis"})
# Prepositions whose object is the event's target when there is no direct object.
TARGET_PREPS = frozenset({"with", "against", "at", "on", "upon", "to", "towards", "toward", "into", "onto"})
TEMPORAL = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "PERCENT", "MONEY", "ORDINAL"})
PARTITIVE = frozenset(
    {"thousands", "hundreds", "dozens", "scores", "tens", "millions", "some", "many", "several", "most",
     "group", "groups", "number", "band", "handful", "majority", "contingent", "unit", "units", "crowd",
     "crowds", "members", "member", "one", "two", "three", "four", "five", "all", "both", "none", "each",
     "part", "rest", "bunch", "wave", "column", "convoy", "squad"}
)  # fmt: skip
PERSON_PRONOUNS = frozenset({"he", "him", "she", "her", "his", "himself", "herself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "themselves"})
THING_PRONOUNS = frozenset({"it", "its"})
# First persons inside a quotation are its speaker ("'I devoted many hours to criticizing Trump'").
FIRST_PERSON = frozenset({"i", "me", "my", "myself", "we", "us", "our", "ourselves"})
PRONOUNS = PERSON_PRONOUNS | PLURAL_PRONOUNS | THING_PRONOUNS
RELATIVE = frozenset({"who", "which", "that", "whom"})
LIST_GLUE = frozenset({",", "and", "or", "&", "the", "both", "as", "well", "also", "plus"})


def is_verb(t: Token) -> bool:
    return t.tag_.startswith("VB")


def is_noun(t: Token) -> bool:
    return t.tag_ in ("NN", "NNS") or (t.tag_ == "VBG" and t.dep_ in ("nsubj", "dobj", "pobj", "nsubjpass"))


def pobjs(prep: Token) -> list[Token]:
    out = []
    for c in prep.children:
        if c.dep_ in ("pobj", "pcomp"):
            out.append(c)
            out.extend(x for x in c.conjuncts if x.i > c.i)
    return out


def prep_objects(t: Token, words: Iterable[str] | None = None) -> Iterator[tuple[str, Token]]:
    """(preposition, object) pairs of `t`'s prepositional children (and "by" agents)."""
    allowed = None if words is None else set(words)
    for c in t.children:
        if c.dep_ in ("prep", "agent", "dative") and c.tag_ in ("IN", "TO", "RP"):
            word = c.lower_
            if allowed is None or word in allowed:
                for o in pobjs(c):
                    yield word, o
        elif c.dep_ == "dative" and c.tag_.startswith(("NN", "PRP")) and (allowed is None or "to" in allowed):
            yield "to", c


def is_temporal(t: Token) -> bool:
    return t.ent_type_ in TEMPORAL or t.lower_ in (
        "morning", "night", "evening", "afternoon", "day", "week", "weekend", "month", "year", "time",
        "hour", "hours", "days", "weeks", "months", "years", "today", "yesterday", "tonight",
    )  # fmt: skip


def modifies(t: Token, x: Token) -> bool:
    """Whether `t` sits before `x` and reaches it through pre-modifiers and their conjuncts."""
    for _ in range(6):
        if t.i >= x.i or (t.dep_ not in PREMOD and t.dep_ not in ("conj", "compound", "amod")):
            return False
        t = t.head
        if t.i == x.i:
            return True
    return False


def unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def semantic_heads(t: Token) -> list[Token]:
    """`t`, and for a partitive ("thousands of protesters") the noun after "of"."""
    out = [t]
    cur = t
    for _ in range(3):
        if cur.lower_ not in PARTITIVE:
            break
        nxt = next((o for w, o in prep_objects(cur, ("of",))), None)
        if nxt is None:
            break
        out.append(nxt)
        cur = nxt
    return out


def sentence_subjects(sent: Span) -> list[Token]:
    root = sent.root
    first = [c for c in root.children if c.dep_ in SUBJ | PASS_SUBJ]
    rest = [t for t in sent if t.dep_ in SUBJ | PASS_SUBJ and t not in first]
    return first + sorted(rest, key=lambda t: -t.i)


def grammatical_subject(v: Token, *, resolve: bool = True, depth: int = 0) -> Token | None:
    """The subject (or passive subject) of verb `v`, inherited through coordination, control,
    participles and reduced relatives when `v` has none of its own."""
    for c in v.children:
        if c.dep_ in SUBJ or c.dep_ in PASS_SUBJ:
            if resolve and c.lower_ in RELATIVE and v.dep_ == "relcl":
                return v.head
            return c
    if depth > 4:
        return None
    head = v.head
    if head.i == v.i:
        return None
    dep = v.dep_
    if dep == "conj" and is_verb(head):
        return grammatical_subject(head, resolve=resolve, depth=depth + 1)
    if dep == "xcomp":
        obj = next((c for c in head.children if c.dep_ == "dobj"), None)
        if obj is not None:
            return obj
        return (
            grammatical_subject(head, resolve=resolve, depth=depth + 1)
            if is_verb(head) or head.pos_ == "ADJ"
            else None
        )
    if dep in ("acl", "relcl") and head.tag_.startswith(("NN", "PRP")):
        # "a position to launch strikes": an infinitival relative says nothing of who acts.
        if any(c.dep_ == "aux" and c.tag_ == "TO" for c in v.children):
            return None
        return head
    if dep == "advcl" and v.tag_ in ("VBG", "VBN") and is_verb(head):
        return grammatical_subject(head, resolve=resolve, depth=depth + 1)
    if dep == "pcomp" and head.head.i != head.i and is_verb(head.head):
        # "jailed a student for helping militants": the object of the governing verb acted.
        obj = next((c for c in head.head.children if c.dep_ == "dobj"), None)
        if obj is not None and head.lower_ in ("for", "over", "after"):
            return obj
        return grammatical_subject(head.head, resolve=resolve, depth=depth + 1)
    if dep == "acomp" and is_verb(head):
        return grammatical_subject(head, resolve=resolve, depth=depth + 1)
    return None


BE_FORMS = frozenset({"be", "is", "are", "was", "were", "been", "being", "'s", "'re"})


def is_passive(v: Token) -> bool:
    if any(c.dep_ in PASS_SUBJ or c.dep_ == "auxpass" for c in v.children):
        return True
    # "his army was overrun" parsed with an active subject and "was" as a plain auxiliary.
    if v.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in BE_FORMS for c in v.children):
        return True
    if v.tag_ == "VBN" and v.dep_ in ("acl",):
        return True
    if (
        v.tag_ == "VBN"
        and v.dep_ == "conj"
        and is_passive(v.head)
        and not any(c.dep_ in SUBJ for c in v.children)
    ):
        return True
    return any(c.dep_ == "agent" for c in v.children)


def through_object(t: Token) -> Token:
    if t.tag_ in ("NN", "NNS") and t.ent_type_ == "":
        for _, o in prep_objects(t, ("against", "on", "upon")):
            if not is_temporal(o):
                return o
    return t


def as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None
