"""One article as the event rules see it: its Doc with actor mentions and places by token,
pronoun antecedents and the nouns an actor names elsewhere.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date

from spacy.tokens import Doc, Span, Token

from newsevents.tasks.extractors.events.arguments import MAX_ARGS, MAX_PHRASE_TOKENS, Arg
from newsevents.tasks.extractors.events.lexicon import Lexicon
from newsevents.tasks.extractors.events.syntax import (
    FIRST_PERSON,
    LIST_GLUE,
    PARTITIVE,
    PASS_SUBJ,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    PREMOD,
    PRONOUNS,
    RELATIVE,
    SUBJ,
    as_date,
    grammatical_subject,
    is_temporal,
    is_verb,
    modifies,
    prep_objects,
    semantic_heads,
    sentence_subjects,
    unique,
)
from newsevents.tasks.extractors.places.resolve import focal_place
from newsevents.tasks.nlp.view import doc_view
from newsevents.tasks.records import ActorMention, Claim, Place

# Entity types whose words are names, never members of a common-noun class.
NAMED_THINGS = frozenset({"ORG", "PERSON", "WORK_OF_ART", "PRODUCT", "NORP", "EVENT", "LAW", "FAC"})


class ArticleView:
    """One Doc with its mentions and places, and the lookups the rules share."""

    def __init__(
        self,
        doc: Doc,
        ctx,
        mentions: list[ActorMention],
        places: list[Place],
        lex: Lexicon,
        claims: Iterable[Claim] = (),
    ):
        self.doc = doc
        self.dateline: tuple[int, Place] | None = None  # (end of the lead sentence, its place)
        self.dateline_end = -1  # where the dateline's header ("WASHINGTON (AP) —") ends
        # Statements with a speaker, by content span: first persons inside are the speaker.
        self._quoted = sorted(
            (c.content_start, c.content_end, c) for c in claims if c.speaker and c.kind != "indirect"
        )
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
        # Sentence bounds as arrays, shared with the other extractors (Token.sent walks the Doc).
        self._view = doc_view(doc)
        self._sent_of = self._view.sent_of
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
        return self._view.sentence(k)

    # ------------------------------------------------------------ word classes

    def in_class(self, name: str, t: Token) -> bool:
        """Whether `t` (or the noun a partitive points to) belongs to the lexicon class `name`."""
        if name == "clause":
            return t.dep_ in ("ccomp", "csubj")
        for h in semantic_heads(t):
            if h.ent_type_ in NAMED_THINGS and name not in ("place", "actor", "person", "named", "pronoun"):
                continue  # "launched Black Girls Rock!": a name is no weapon or rock
            if name == "pronoun":
                if h.tag_ == "PRP" and h.lower_ not in ("i", "me", "we", "us", "you"):
                    return True
                continue
            if name == "actor":
                if h.i in self.mention_at or h.lower_ in PERSON_PRONOUNS | PLURAL_PRONOUNS:
                    return True
                continue
            if name == "place":
                if h.ent_type_ in ("GPE", "LOC", "FAC") or h.i in self.place_at:
                    m = self.mention_at.get(h.i)
                    if m is None or not (m.label in ("GPE",) and h.dep_ in SUBJ):
                        return True
                continue
            if name == "named":
                m = self.mention_at.get(h.i)
                person = (m.label == "PERSON") if m is not None else h.ent_type_ == "PERSON"
                if person and h.pos_ == "PROPN":  # a name, not "hoodlums" the NER called a person
                    return True
                continue
            if name == "person":
                if h.ent_type_ == "PERSON" or h.lower_ in PERSON_PRONOUNS:
                    return True
                if self.lex.in_class("person", h.lower_):
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
            for s in sentence_subjects(sent):
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

    def actor_in(self, a: Arg) -> Arg | None:
        """The argument as an actor: itself when it names one (a linked mention, a person or group
        noun, a pronoun, a number of people), else the actor its phrase is about ("a plea by Lord
        Falconer", "Mr. Trump's veracity", "every facet of Donald Trump's life"), else None."""
        h = a.head
        if a.actor_id or h.like_num or h.lower_ in PERSON_PRONOUNS | PLURAL_PRONOUNS:
            return a
        if any(self.lex.in_class(c, h.lower_) for c in ("person", "people", "official", "armed", "crowd")):
            return a
        best = None
        for t in h.subtree:
            if t.i == h.i or t.dep_ in ("relcl", "acl") or t.i not in self.mention_at:
                continue
            if t.dep_ in ("poss", "pobj", "compound", "appos") and (best is None or t.i < best.i):
                best = t
        if best is None:
            return None
        m = self.mention_at[best.i]
        return Arg(m.text, m.start, m.end, m.actor_id, best)

    def speaker_of(self, t: Token) -> Claim | None:
        """The claim whose quoted words hold `t`, when it has a speaker."""
        k = bisect.bisect_right(self._quoted, (t.idx, float("inf"))) - 1
        while k >= 0:
            start, end, claim = self._quoted[k]
            if start <= t.idx < end:
                return claim
            if end <= t.idx and start < t.idx - 5000:
                break
            k -= 1
        return None

    def arguments(self, head: Token) -> list[Arg]:
        """The argument phrase(s) at `head`, one per coordinated actor."""
        if head.lower_ in FIRST_PERSON:
            claim = self.speaker_of(head)
            if claim is not None and claim.speaker_actor_id:
                return [Arg(head.text, head.idx, head.idx + len(head), claim.speaker_actor_id, head)]
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
        if own is not None and len(mods) >= 2 and all(modifies(t, x) for _, t in mods):
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
        ids = unique(
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
