"""Who did it to whom: argument phrases read off the dependency parse and linked to actors.

`ArticleView` holds one Doc with its actor mentions and places and answers what the event
rules ask: which noun is a verb's subject or object (through passives, coordination, control
and the small model's frequent misparses), what phrase that noun heads, which actor mention
covers it, and what a pronoun stands for. Pure functions over spaCy tokens; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span, Token

from tasks.event_lexicon import Lexicon
from tasks.places import focal_place
from tasks.schema import ActorMention, Place

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
PERSON_PRONOUNS = frozenset({"he", "him", "she", "her"})
PLURAL_PRONOUNS = frozenset({"they", "them"})
THING_PRONOUNS = frozenset({"it"})
PRONOUNS = PERSON_PRONOUNS | PLURAL_PRONOUNS | THING_PRONOUNS
RELATIVE = frozenset({"who", "which", "that", "whom"})
LIST_GLUE = frozenset({",", "and", "or", "&", "the", "both", "as", "well", "also", "plus"})
MAX_ARGS = 4
MAX_PHRASE_TOKENS = 12


@dataclass(slots=True)
class Arg:
    text: str
    start: int
    end: int
    actor_id: str | None
    head: Token


@dataclass(slots=True)
class Roles:
    sources: list[Token]
    targets: list[Token]
    objects: list[Token]
    passive: bool


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


class ArticleView:
    """One Doc with its mentions and places, and the lookups the rules share."""

    def __init__(self, doc: Doc, ctx, mentions: list[ActorMention], places: list[Place], lex: Lexicon):
        self.doc = doc
        self.ctx = ctx
        self._date_ents: list[Span] | None = None
        self.lex = lex
        self.published: date | None = as_date(ctx.published_at)
        self.mention_at: dict[int, ActorMention] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span:
                self.mention_at.setdefault(tok.i, m)
        self.place_at: dict[int, Place] = {}
        for p in places:
            if p.kind == "demonym":
                continue  # "Iraqi" places an actor, not an event
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span:
                self.place_at.setdefault(tok.i, p)
        # the article's focal place as the places extractor defines it (demonyms aside)
        self.focal = focal_place(places)
        # Token.sent walks the Doc from its start on every call, and Doc.sents builds every
        # Span; sentence boundaries are read once as an array and Spans made on demand.
        starts = np.flatnonzero(doc.to_array(SENT_START) == 1) if len(doc) else np.array([], dtype=np.int64)
        if not len(starts) or starts[0] != 0:
            starts = np.concatenate([[0], starts])
        self._starts = starts
        self._ends = np.concatenate([starts[1:], [len(doc)]])
        self._sent_of = np.searchsorted(starts, np.arange(len(doc)), side="right") - 1
        self._sent_spans: dict[int, Span] = {}
        self._nominal = self._nominal_coreference()
        self._antecedents: dict[int, Token | None] = {}

    def slice(self, start: int, end: int) -> str:
        """The text between two token boundaries (Doc.text would join the whole Doc)."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span.text if span is not None else ""

    def date_entities(self, sent: Span) -> list[Span]:
        """DATE/TIME entities of `sent` (Span.ents rebuilds all the Doc's entities per call)."""
        if self._date_ents is None:
            self._date_ents = [e for e in self.doc.ents if e.label_ in ("DATE", "TIME")]
        return [e for e in self._date_ents if sent.start <= e.start < sent.end]

    def sent_id(self, t: Token) -> int:
        return int(self._sent_of[t.i])

    def sent(self, t: Token) -> Span:
        return self.sent_at(int(self._sent_of[t.i]))

    def sent_at(self, k: int) -> Span:
        span = self._sent_spans.get(k)
        if span is None:
            span = self._sent_spans[k] = self.doc[int(self._starts[k]) : int(self._ends[k])]
        return span

    # ------------------------------------------------------------ word classes

    def in_class(self, name: str, t: Token) -> bool:
        """Whether `t` (or the noun a partitive points to) belongs to the lexicon class `name`."""
        for h in semantic_heads(t):
            if name == "actor":
                if h.i in self.mention_at:
                    return True
                continue
            if name == "place":
                if h.ent_type_ in ("GPE", "LOC", "FAC") or h.i in self.place_at:
                    m = self.mention_at.get(h.i)
                    if m is None or not (m.label in ("GPE",) and h.dep_ in SUBJ):
                        return True
                continue
            if name == "person":
                if h.ent_type_ == "PERSON" or self.lex.in_class("person", h.lower_):
                    return True
                continue
            if self.lex.in_class(name, h.lower_):
                return True
            if h.i > 0 and self.lex.in_class(name, f"{h.doc[h.i - 1].lower_} {h.lower_}"):
                return True
        return False

    # ------------------------------------------------------------ arguments

    def resolve(self, t: Token) -> Token:
        """A relative or personal pronoun -> the noun it stands for (itself when unknown)."""
        if t.lower_ in RELATIVE and t.head.dep_ == "relcl" and t.head.head.i != t.i:
            return t.head.head
        if t.lower_ in PRONOUNS:
            ante = self.antecedent(t)
            if ante is not None:
                return ante
        return t

    def antecedent(self, p: Token) -> Token | None:
        if p.i in self._antecedents:
            return self._antecedents[p.i]
        self._antecedents[p.i] = None  # guards against cycles
        found = self._find_antecedent(p)
        self._antecedents[p.i] = found
        return found

    def _agrees(self, cand: Token, p: Token) -> bool:
        if cand.lower_ in PRONOUNS or cand.lower_ in RELATIVE or cand.pos_ == "PRON":
            return False
        m = self.mention_at.get(cand.i)
        word = p.lower_
        if word in PERSON_PRONOUNS:
            if m is not None:
                return m.label == "PERSON"
            return cand.tag_ in ("NN", "NNP") and (
                self.lex.in_class("official", cand.lower_) or self.lex.in_class("person", cand.lower_)
            )
        if word in PLURAL_PRONOUNS:
            if any(c.dep_ == "conj" for c in cand.children):
                return True  # "Obama and Putin said they will attack"
            if m is not None:
                return m.label in ("NORP", "ORG", "GPE") or cand.tag_ in ("NNS", "NNPS")
            return cand.tag_ in ("NNS", "NNPS") or cand.lower_ in PARTITIVE
        if m is not None:
            return m.label in ("ORG", "GPE", "NORP") and cand.tag_ not in ("NNS", "NNPS")
        return cand.tag_ in ("NN", "NNP")

    def _find_antecedent(self, p: Token) -> Token | None:
        # The subject of a governing clause in the same sentence ("after they forced ..."
        # inside "IS fighters carried out ... after they forced ...").
        for a in p.ancestors:
            if is_verb(a):
                s = grammatical_subject(a, resolve=False)
                if s is not None and s.i < p.i and s.i != p.i and self._agrees(s, p):
                    return s
        # Else the nearest noun before it in the sentence that could be its subject.
        sent = self.sent(p)
        before = list(reversed(sent[: p.i - sent.start]))
        roles = SUBJ | PASS_SUBJ | {"poss", "dobj", "conj", "appos"}
        if p.lower_ in PLURAL_PRONOUNS:
            # a plural noun ("the extremists") before a name that only might be plural
            for tok in before:
                if tok.dep_ in roles and tok.tag_ in ("NNS", "NNPS") and self._agrees(tok, p):
                    return tok
        for tok in before:
            if tok.dep_ in roles and self._agrees(tok, p):
                return tok
        # Else the main subjects of the previous sentences, nearest first.
        idx = int(self._sent_of[p.i])
        for k in range(idx - 1, max(-1, idx - 4), -1):
            sent = self.sent_at(k)
            for s in _sentence_subjects(sent):
                if self._agrees(s, p):
                    return s
                if s.lower_ in PRONOUNS and s.lower_ == p.lower_:
                    ante = self.antecedent(s)
                    if ante is not None:
                        return ante
        return None

    def _nominal_coreference(self) -> dict[str, str]:
        """Common nouns an actor names elsewhere in the article ("IS militants" -> "the
        militants" is IS), kept only when one actor claims the noun."""
        seen: dict[str, set[str]] = {}
        for i, m in self.mention_at.items():
            if m.label not in ("ORG", "NORP", "GPE"):
                continue
            tok = self.doc[i]
            head = tok.head
            if (
                tok.dep_ in ("compound", "amod", "nmod", "poss")
                and head.tag_ in ("NN", "NNS")
                and head.i not in self.mention_at
            ):
                seen.setdefault(self.lex.noun_lemma(head.lower_), set()).add(m.actor_id)
        return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}

    def arguments(self, head: Token) -> list[Arg]:
        """The argument phrase(s) at `head`, one per coordinated actor."""
        h = self.resolve(head)
        listed = self._mention_list(h)
        if listed:
            return [Arg(m.text, m.start, m.end, m.actor_id, tok) for m, tok in listed][:MAX_ARGS]
        own = self.mention_at.get(h.i)
        heads = [h]
        for c in h.conjuncts:
            if (
                c.i > h.i
                and c.tag_.startswith(("NN", "PRP"))
                and (own is None or self.mention_at.get(c.i) is not own)
            ):
                heads.append(c)
        out: list[Arg] = []
        for x in heads:
            start, end = self._phrase(x)
            text = self.slice(start, end)
            actors = self._actors_for(x)
            if actors:
                out.extend(Arg(text, start, end, a, x) for a in actors)
            else:
                out.append(Arg(text, start, end, None, x))
        return out[:MAX_ARGS]

    def _mention_list(self, x: Token) -> list[tuple[ActorMention, Token]]:
        """A phrase that is only a list of actors ("The US, Russia, and Switzerland"), however
        the parser attached its parts: one argument per actor."""
        lo, hi = x.left_edge.i, x.right_edge.i
        if hi - lo > 24:
            return []
        found: list[tuple[ActorMention, Token]] = []
        for i in range(lo, hi + 1):
            t = self.doc[i]
            m = self.mention_at.get(i)
            if m is not None:
                if not found or found[-1][0] is not m:
                    found.append((m, t))
            elif t.lower_ not in LIST_GLUE:
                return []
        own = self.mention_at.get(x.i)
        mods = [(m, t) for m, t in found if m is not own]
        if own is not None and len(mods) >= 2 and all(_modifies(t, x) for _, t in mods):
            # "French and German activists": one actor per coordinated modifier, not the bare
            # noun they share as a third.
            return mods
        return found if len(found) >= 2 else []

    def _phrase(self, x: Token) -> tuple[int, int]:
        left = x.left_edge
        if x.i - left.i >= MAX_PHRASE_TOKENS:
            left = self.doc[x.i - MAX_PHRASE_TOKENS + 1]
        while left.i < x.i and (left.is_punct or left.dep_ in ("cc", "prep", "mark")):
            left = self.doc[left.i + 1]
        right = x
        for c in x.rights:
            if c.dep_ in ("conj", "cc", "appos", "punct") or is_temporal(c):
                break
            if c.dep_ in ("compound", "flat", "nummod") or c.i in self.mention_at:
                right = c.right_edge
        if x.lower_ in PARTITIVE:
            for _, o in prep_objects(x, ("of",)):
                right = max(right, o.right_edge, key=lambda t: t.i)
        # An all-capitals acronym just before the phrase that the tagger took for a verb ("IS
        # fighters carried out mass executions" is parsed as "IS" + "fighters").
        prev = self.doc[left.i - 1] if left.i > 0 else None
        if (
            prev is not None
            and prev.is_alpha
            and prev.is_upper
            and len(prev) >= 2
            and prev.pos_ in ("AUX", "VERB")
            and x.tag_.startswith("NN")
        ):
            left = prev
        return left.idx, right.idx + len(right)

    def _actors_for(self, x: Token) -> list[str]:
        """Actor ids for a phrase headed by `x`: the mention at the head, else at its direct
        modifiers (coordinated ones each), else deeper modifiers, apposition, "of" objects."""
        m = self.mention_at.get(x.i)
        if m is not None:
            return [m.actor_id]
        for c in x.rights:
            # "the Somali militant group al-Shabab": the name after the noun beats its modifiers
            if c.dep_ in ("appos", "compound", "npadvmod", "flat", "nmod") and c.i in self.mention_at:
                m = self.mention_at[c.i]
                if m.label == "ORG":
                    return [m.actor_id]
        direct = [c for c in x.lefts if c.dep_ in PREMOD]
        ids = _unique(
            self.mention_at[t.i].actor_id for c in direct for t in (c, *c.conjuncts) if t.i in self.mention_at
        )
        if ids:
            return ids
        deeper = [t for c in direct for t in c.subtree if t.i in self.mention_at and not is_verb(t.head)]
        if deeper:
            return [self.mention_at[max(deeper, key=lambda t: t.i).i].actor_id]
        for c in x.rights:
            if c.dep_ == "appos":
                m = self.mention_at.get(c.i)
                if m is not None:
                    return [m.actor_id]
        for _, o in prep_objects(x, ("of",)):
            m = self.mention_at.get(o.i)
            if m is not None:
                return [m.actor_id]
            inner = [t for t in o.lefts if t.i in self.mention_at]
            if inner:
                return [self.mention_at[inner[-1].i].actor_id]
        # "a court in Guyana", "troops from Chad": an institution belongs where it sits.
        if self.lex.in_class("institution", x.lower_):
            for _, o in prep_objects(x, ("in", "from")):
                m = self.mention_at.get(o.i)
                if m is not None and m.label == "GPE":
                    return [m.actor_id]
        # "IS fighters" misparsed: an adjacent mention just before the phrase modifies it.
        left = x.left_edge
        if left.i > 0 and (left.i - 1) in self.mention_at and x.tag_.startswith("NN"):
            prev = self.doc[left.i - 1]
            if prev.head.i != x.i and not prev.is_punct and prev.dep_ not in ("nsubj", "dobj", "pobj"):
                return [self.mention_at[left.i - 1].actor_id]
        if x.tag_ in ("NN", "NNS"):
            aid = self._nominal.get(self.lex.noun_lemma(x.lower_))
            if aid is not None:
                return [aid]
        return []


def _modifies(t: Token, x: Token) -> bool:
    """Whether `t` sits before `x` and reaches it through pre-modifiers and their conjuncts."""
    for _ in range(6):
        if t.i >= x.i or (t.dep_ not in PREMOD and t.dep_ not in ("conj", "compound", "amod")):
            return False
        t = t.head
        if t.i == x.i:
            return True
    return False


def _unique(items: Iterable[str]) -> list[str]:
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


def _sentence_subjects(sent: Span) -> list[Token]:
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
        targets = [o for w, o in prep_objects(v, TARGET_PREPS) if not is_temporal(o) and o.tag_ != "VBG"][:2]
        if not objects:
            objects = list(targets)
    return Roles(sources, targets, objects, passive)


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
