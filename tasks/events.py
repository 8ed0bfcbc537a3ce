"""Events: PLOVER-typed who-did-what-to-whom over one parsed Doc, with date, place and mode.

`extract_events(doc, ctx, mentions, places)` finds triggers from the lexicon in
config/events.toml (verbs, verb + object idioms, event nouns and the light verbs that carry
them: "carried out mass executions"), reads source and target off the dependency parse
(active, passive "by", "forced X into retreat", coordination "US and British activists"),
links each argument to the actor mention covering its head or modifiers, and resolves the
clause's date against publication and its place against the article's `places`.

Negation (documented in docs/datasets.md): a negated event is not emitted; a negated
cooperative event ("said he would not provide support") is emitted as the REJECT it is.
Requested, threatened, refused and prevented events are not emitted as happened events: the
request, threat or rejection is. Future, hypothetical, historical and reported events are
emitted and flagged in `aux_mode`.

The parse is that of a small model and is often wrong about exactly the words news uses
("IS fighters" tagged as the verb "is"); the rules read it defensively and fall back to
the nearest sensible reading rather than to nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from tasks.event_arguments import (
    CLAUSE_LINKS,
    MAX_ARGS,
    PASS_SUBJ,
    PREMOD,
    SUBJ,
    TARGET_PREPS,
    ArticleView,
    Roles,
    grammatical_subject,
    is_noun,
    is_temporal,
    is_verb,
    pobjs,
    prep_objects,
    verb_roles,
)
from tasks.event_dates import DAY, MONTH, PUBLICATION, WEEK, YEAR, ResolvedDate, resolve_date
from tasks.event_lexicon import CONFLICTUAL, COOPERATIVE, Condition, Lexicon, Rule, load_lexicon
from tasks.schema import ActorMention, Event, Place

# Prepositions that place an event ("in Ramadi", "near the border").
PLACE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "into", "on", "from",
     "off", "along", "within", "towards", "toward", "over", "through", "between", "beyond", "by"}
)  # fmt: skip
NOT_EVENT_ENTITIES = frozenset(
    {"ORG", "PERSON", "WORK_OF_ART", "LAW", "PRODUCT", "FAC", "NORP", "GPE", "LOC"}
)
HYPOTHETICAL_MARKS = frozenset({"if", "unless", "whether"})
SYMMETRIC = frozenset({"CONSULT", "COOPERATE"})
HYPOTHETICAL, FUTURE, HISTORICAL, REPORTED = "hypothetical", "future", "historical", "reported"
CLAUSE, ARTICLE = "clause", "article"


@dataclass(slots=True)
class _Candidate:
    event_type: str
    mode: str | None
    tokens: list[Token]
    anchor: Token
    sources: list[Token] = field(default_factory=list)
    targets: list[Token] = field(default_factory=list)
    noun: Token | None = None
    aux: set[str] = field(default_factory=set)
    negated: bool = False
    frame: Token | None = None
    # The event is the frame's own (a request, threat, intention): only the frame verb's
    # negation counts ("ordered his forces not to retreat" is a request, not a negated one).
    replaced: bool = False
    # The word the lexicon matched (a verb, or a noun trigger's head).
    head_token: Token | None = None
    # Inferred from a participant noun ("the protesters"), kept only when the sentence names
    # no such event itself.
    implied: bool = False


# ---------------------------------------------------------------- rule matching


def _holds(
    cond: Condition, art: ArticleView, *, subjects, objects, modifiers, preps, heads, has_object
) -> bool:
    if cond.kind == "no-object":
        ok = not has_object
    elif cond.kind == "prep":
        ok = bool(cond.values & preps)
    elif cond.kind == "head":
        ok = bool(cond.values & heads)
    else:
        pool = {"subject": subjects, "object": objects, "modifier": modifiers}[cond.kind]
        ok = any(art.in_class(name, t) for t in pool for name in cond.values)
    return ok != cond.negate


def _first_rule(rules: tuple[Rule, ...], art: ArticleView, **ctx) -> Rule | None:
    for rule in rules:
        if all(_holds(c, art, **ctx) for c in rule.conditions):
            return rule
    return None


class _Extractor:
    def __init__(self, art: ArticleView):
        self.art = art
        self.lex = art.lex
        self.fr = art.lex.frames

    # ------------------------------------------------------------ verbs

    def verb_candidate(self, v: Token) -> _Candidate | None:
        lex = self.lex
        if v.dep_ in ("amod", "compound") or (v.ent_type_ in NOT_EVENT_ENTITIES and v.ent_iob_ != ""):
            return None
        base = lex.verb_lemma(v.text)
        if base not in lex.verb_triggers:
            return None
        if v.dep_ == "acl" and v.tag_ == "VBN" and base in self.fr.descriptive:
            return None
        roles = verb_roles(v, lex)
        ctx = self._verb_context(v, roles, base)
        # verb + preposition + noun idioms ("took to the streets"), then verb + object ("opened fire")
        for word, o in prep_objects(v):
            rules = lex.verb_prep_objects.get((base, word, lex.noun_lemma(o.lower_)))
            if rules:
                # "took to the streets of Lagos": the noun is part of the idiom, not a target
                roles.targets = [t for t in roles.targets if t.i != o.i and t not in o.subtree]
                return self._verb_match(v, rules, [v, o], roles, ctx)
        for o in roles.objects + [c for c in v.children if c.dep_ == "dobj"]:
            rules = lex.verb_objects.get((base, lex.noun_lemma(o.lower_)))
            if rules:
                # The object belongs to the idiom ("issued arrest warrants for two men"): the
                # target is in a prepositional phrase of the verb or of that object.
                roles.targets = [
                    t
                    for w, t in [
                        *prep_objects(v, TARGET_PREPS | {"for"}),
                        *prep_objects(o, TARGET_PREPS | {"for"}),
                    ]
                    if not is_temporal(t)
                    and not (w in ("to", "into", "at", "onto") and self.art.in_class("place", t))
                ][:2]
                return self._verb_match(v, rules, [v, o], roles, ctx)
        entries = lex.verbs.get(base)
        if not entries:
            return None
        for particle, rules in entries:
            tokens = [v]
            if particle is not None:
                part = self._particle(v, particle)
                if part is None:
                    continue
                tokens.append(part)
                if part.dep_ in ("prep",) and not roles.targets:
                    roles.targets = pobjs(part)[:2]
                    ctx["objects"] = roles.targets
            cand = self._verb_match(v, rules, tokens, roles, ctx)
            if cand is not None or particle is None:
                return cand
        return None

    def _particle(self, v: Token, particle: str) -> Token | None:
        words = particle.split()
        for c in v.children:
            if c.lower_ == words[0] and c.dep_ in ("prt", "prep", "advmod", "acomp", "dobj", "oprd", "agent"):
                return c
        nxt = v.doc[v.i + 1] if v.i + 1 < len(v.doc) else None
        if nxt is not None and nxt.lower_ == words[0]:
            return nxt
        return None

    def _verb_context(self, v: Token, roles: Roles, base: str) -> dict:
        subjects = [self.art.resolve(s) for s in roles.sources] if not roles.passive else list(roles.sources)
        if base in self.lex.reversed:
            subjects = list(roles.sources)
        return {
            "subjects": subjects,
            "objects": list(roles.objects),
            "modifiers": [],
            "preps": {c.lower_ for c in v.children if c.dep_ in ("prep", "agent", "dative")},
            "heads": set(),
            "has_object": any(c.dep_ == "dobj" for c in v.children),
        }

    def _verb_match(self, v, rules, tokens, roles: Roles, ctx) -> _Candidate | None:
        rule = _first_rule(rules, self.art, **ctx)
        if rule is None:
            return None
        if rule.event_type == "ASSAULT" and self._accidental(v, roles):
            return None
        return _Candidate(
            rule.event_type,
            rule.mode,
            tokens,
            v,
            sources=list(roles.sources),
            targets=list(roles.targets),
            head_token=v,
        )

    def _accidental(self, v: Token, roles: Roles) -> bool:
        """'killed in a road accident', 'a flood killed 20': no one's attack."""
        pool = list(roles.sources) + [
            o for w, o in prep_objects(v, ("in", "by", "from", "during", "after", "as"))
        ]
        pool += [c for c in v.children if c.dep_ in SUBJ]
        return any(self.art.in_class("accident", t) for t in pool)

    # ------------------------------------------------------------ nouns

    def noun_candidate(self, n: Token) -> _Candidate | None:
        lex = self.lex
        if n.dep_ == "compound" or n.ent_type_ in NOT_EVENT_ENTITIES:
            return None
        doc = n.doc
        hyphen: list[Token] = []
        if n.i >= 2 and doc[n.i - 1].text == "-" and not doc[n.i - 1].whitespace_:
            # "sit-in", "counter-attack": the tokenizer splits at the hyphen
            form = f"{doc[n.i - 2].lower_}-{n.lower_}"
            if lex.noun_lemma(form) in lex.nouns:
                hyphen = [doc[n.i - 2], doc[n.i - 1]]
        form = f"{hyphen[0].lower_}-{n.lower_}" if hyphen else n.lower_
        entries = lex.nouns.get(lex.noun_lemma(form))
        if not entries:
            return None
        governor = _noun_governor(n)
        gbase = lex.verb_lemma(governor.text) if governor is not None and is_verb(governor) else None
        heads = set()
        if gbase:
            heads.add(gbase)
            for c in governor.children:
                if c.dep_ in ("prt",):
                    heads.add(c.lower_)
        if n.dep_ == "pobj":
            heads.add(n.head.lower_)
        elif n.head.i != n.i and n.head.tag_.startswith("NN"):
            heads.add(lex.noun_lemma(n.head.lower_))
        modifiers = [c for c in n.lefts if c.dep_ in ("compound", "amod", "nmod", "poss")]
        sources, pairs = self._noun_roles(n)
        objects = [o for w, o in pairs]
        agentive = lex.in_class("participant", n.lower_)
        if agentive:
            # "police dispersed the demonstrators": the people are the protest's actors.
            sources, pairs, objects = [n], [], []
        ctx = {
            "subjects": [self.art.resolve(s) for s in sources],
            "objects": objects,
            "modifiers": modifiers,
            "preps": {c.lower_ for c in n.children if c.dep_ == "prep"},
            "heads": heads,
            "has_object": bool(objects),
        }
        for entry in entries:
            tokens = [*hyphen, n]
            if entry.before:
                k = len(entry.before)
                if n.i < k:
                    continue
                prev = [doc[n.i - k + j] for j in range(k)]
                if [lex.noun_lemma(t.lower_) for t in prev] != list(entry.before) and [
                    t.lower_ for t in prev
                ] != list(entry.before):
                    continue
                tokens = [*prev, n]
            elif entry.of is not None:
                inner = [o for w, o in prep_objects(n, ("of",)) if lex.noun_lemma(o.lower_) == entry.of]
                if not inner:
                    continue
                tokens = [n, inner[0]]
            rule = _first_rule(entry.rules, self.art, **ctx)
            if rule is None:
                continue
            # "an attack on the embassy" names a target; "a summit on the unrest" a topic.
            targets = [
                o
                for w, o in pairs
                if w in ("of", "with", "against")
                or (w == "to" and rule.event_type != "CONSULT")
                or rule.event_type in CONFLICTUAL
            ]
            if agentive:
                cand = _Candidate(rule.event_type, rule.mode, tokens, governor or n, [n], [], noun=n)
                cand.implied = True
            else:
                cand = self._noun_event(n, rule, tokens, governor, sources, targets)
                if cand.anchor.i == n.i and not cand.sources and not cand.targets and not _has_clause(n):
                    # "preparations for the genocide", "a pause in the bombing": a bare event
                    # noun inside another noun phrase names no event of its own here
                    return None
            cand.head_token = n
            return cand
        return None

    def _noun_roles(self, n: Token) -> tuple[list[Token], list[tuple[str, Token]]]:
        """Source and (preposition, target) pairs a noun carries itself: "IS's capture of
        Ramadi", "US air strikes", "an attack by gunmen on the embassy", "talks with Iran"."""
        sources: list[Token] = []
        targets: list[tuple[str, Token]] = []
        for c in n.lefts:
            if c.dep_ == "poss" or (c.dep_ in ("amod", "compound", "nmod") and c.i in self.art.mention_at):
                sources.append(c)
        for word, o in prep_objects(n):
            if word in ("by", "from"):
                sources.append(o)
            elif word == "of" and not is_temporal(o):
                targets.append((word, o))
            elif (word in TARGET_PREPS or word == "between") and not is_temporal(o):
                # "a visit to Beirut" goes somewhere; "talks with Iran" are held with someone
                if word in ("to", "into", "at", "onto") and self.art.in_class("place", o):
                    continue
                targets.append((word, o))
        return sources, targets[:2]

    def _noun_event(
        self, n: Token, rule: Rule, tokens, governor: Token | None, sources, targets
    ) -> _Candidate:
        lex = self.lex
        anchor = governor if governor is not None else n
        cand = _Candidate(rule.event_type, rule.mode, tokens, anchor, list(sources), list(targets), noun=n)
        if n.dep_ == "pobj" and n.head.lower_ == "for" and n.head.head.lower_ in ("responsibility", "credit"):
            # "al-Shabab is claiming responsibility for a deadly attack": the claimant did it.
            resp = n.head.head
            if resp.head.i != resp.i and is_verb(resp.head) and not cand.sources:
                subj = grammatical_subject(resp.head)
                cand.sources = [subj] if subj is not None else []
                cand.anchor = resp.head
            return cand
        if governor is None or not is_verb(governor):
            return cand
        gbase = lex.verb_lemma(governor.text)
        groles = verb_roles(governor, lex)
        if n.dep_ in ("dobj", "attr", "oprd") or (n.dep_ == "nsubjpass" and groles.passive):
            light = gbase in lex.light or gbase in lex.occurrence
            if gbase in lex.reversed:
                # "Obama faces pressure from Congress": the subject undergoes the event.
                subj = grammatical_subject(governor)
                cand.targets = cand.targets or ([subj] if subj is not None else [])
                cand.tokens = [governor, *tokens]
            elif light:
                # "IS fighters carried out mass executions", "rallies were held", "launched strikes against"
                if not cand.sources:
                    cand.sources = [s for s in groles.sources if s.i != n.i]
                if not cand.targets:
                    cand.targets = [
                        o
                        for w, o in prep_objects(governor, TARGET_PREPS)
                        if not is_temporal(o) and o.i != n.i
                    ][:2]
                cand.tokens = [governor, *tokens]
        elif n.dep_ in SUBJ and (gbase in lex.occurrence or gbase in lex.light):
            # "clashes erupted", "the attack killed five": the clause is the event's.
            if not cand.targets and gbase in ("kill", "wound", "injure", "target", "hit"):
                cand.targets = [c for c in governor.children if c.dep_ == "dobj"][:2]
        elif n.dep_ == "pobj":
            prep = n.head
            pv = prep.head
            if is_verb(pv):
                pbase = lex.verb_lemma(pv.text)
                proles = verb_roles(pv, lex)
                if prep.lower_ == "under" and pbase in lex.reversed | {"come", "be"}:
                    subj = grammatical_subject(pv)
                    cand.targets = cand.targets or ([subj] if subj is not None else [])
                elif prep.lower_ in ("into", "to") and pbase in self.fr.cause:
                    # "forced the Iraqi army into a humiliating retreat"
                    if not cand.sources:
                        cand.sources = proles.targets[:1] or proles.objects[:1]
                    cand.tokens = [pv, *tokens]
                elif prep.lower_ in ("in", "into") and (pbase in lex.light or pbase == "engage"):
                    # "rebels engaged Filipino peacekeepers in a firefight", "took part in protests"
                    if not cand.sources:
                        cand.sources = list(proles.sources)
                    if not cand.targets:
                        particles = lex.light_particles.get(pbase, frozenset())
                        cand.targets = [
                            t for t in proles.objects if t.i != n.i and t.lower_ not in particles
                        ][:2]
                    cand.tokens = [pv, *tokens]
        return cand

    # ------------------------------------------------------------ frames

    def apply_frame(self, cand: _Candidate) -> _Candidate | None:
        """Reinterpret an event under a governing frame verb: requested, intended, caused,
        refused or prevented; None when the event is not emitted."""
        lex, fr = self.lex, self.fr
        a = cand.anchor
        if cand.noun is not None and cand.anchor.i == cand.noun.i:
            return cand
        if a.dep_ == "pcomp" and a.head.lower_ == "from":
            gov = a.head.head
            if is_verb(gov) and lex.verb_lemma(gov.text) in fr.preventing:
                return None
        if (
            cand.noun is not None
            and a.i != cand.noun.i
            and cand.noun.dep_ == "dobj"
            and cand.noun.head.i == a.i
        ):
            # "called for a ceasefire", "ordered an investigation", "plans an attack"
            base = lex.verb_lemma(a.text)
            if base in fr.request or base in fr.negating or base in fr.preventing:
                return self._framed(cand, a, base, None, object_frame=True)
            if base in fr.intent and base not in lex.light:
                cand.aux.add(FUTURE)  # "plans an attack", "promised a probe"
        to_infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in a.children)
        if a.dep_ in ("acl", "relcl") and to_infinitive and a.head.tag_ in ("NN", "NNS"):
            return self._noun_framed(cand, a.head)
        if a.head.i == a.i:
            return cand
        f = a.head
        base = lex.verb_lemma(f.text) if is_verb(f) else f.lower_
        if a.dep_ == "advcl" and to_infinitive and (base in fr.request or base in fr.coerce):
            pass  # "pressured by Congress to help Iran": the purpose clause is the demand
        elif a.dep_ not in ("xcomp", "ccomp"):
            return cand
        comp_subject = next((c for c in a.children if c.dep_ in SUBJ | PASS_SUBJ), None)
        return self._framed(cand, f, base, comp_subject, object_frame=False)

    def _noun_framed(self, cand: _Candidate, noun: Token) -> _Candidate | None:
        """An event in "a threat to boycott", "calls to release", "a position to launch"."""
        fr = self.fr
        nf = fr.noun_frames.get(self.lex.noun_lemma(noun.lower_))
        if nf is None:
            cand.aux.add(HYPOTHETICAL)
            return cand
        if nf in fr.transparent:
            return cand
        if nf in fr.negating:
            return None
        gov = _noun_governor(noun)
        gbase = self.lex.verb_lemma(gov.text) if gov is not None and is_verb(gov) else None
        owners = [
            c for c in noun.lefts if c.dep_ == "poss" or (c.dep_ in PREMOD and c.i in self.art.mention_at)
        ]
        owners += [o for w, o in prep_objects(noun, ("by", "from"))]
        gsubj = None
        if gov is not None and is_verb(gov) and noun.dep_ in ("dobj", "attr", "nsubjpass"):
            gsubj = grammatical_subject(gov)
        if gbase in self.lex.reversed:
            # "Obama faces calls / pressure from Congress to help Iran"
            src, target = owners, [gsubj] if gsubj is not None else []
        else:
            src, target = owners or ([gsubj] if gsubj is not None else []), []
        anchor = gov if gov is not None and is_verb(gov) else noun
        if nf in fr.request:
            return self._replace(cand, "REQUEST", None, anchor, src, target, extra=[noun])
        if nf in fr.coerce:
            return self._replace(cand, "COERCE", None, anchor, src, target, extra=[noun])
        if nf == "threaten":
            return self._replace(cand, "THREATEN", None, anchor, src, cand.targets, extra=[noun])
        if nf in fr.intent:
            etype = "AGREE" if nf == "agree" or cand.event_type in COOPERATIVE else "THREATEN"
            if cand.event_type in ("REQUEST", "REJECT", "ACCUSE"):
                etype = cand.event_type
            return self._replace(cand, etype, None, anchor, src, cand.targets, extra=[noun])
        cand.aux.add(FUTURE if nf in fr.future or nf == "plan" else HYPOTHETICAL)
        return cand

    def _framed(self, cand, f: Token, base: str, comp_subject, *, object_frame: bool) -> _Candidate | None:
        fr = self.fr
        froles = verb_roles(f, self.lex) if is_verb(f) else Roles([], [], [], False)
        f_subject = grammatical_subject(f) if is_verb(f) else grammatical_subject(f.head)
        f_object = next((c for c in f.children if c.dep_ == "dobj"), None)
        if object_frame:
            f_object = None
        other_subject = comp_subject is not None and (
            f_subject is None or self.art.resolve(comp_subject).i != self.art.resolve(f_subject).i
        )
        if base in fr.negating or base in fr.preventing:
            return None
        if base in fr.coerce and (f_object is not None or other_subject or froles.passive):
            target = f_object or comp_subject or (f_subject if froles.passive else None)
            src = froles.sources if froles.passive else ([f_subject] if f_subject is not None else [])
            return self._replace(cand, "COERCE", None, f, src, [target] if target is not None else [])
        # "told reporters that ..." reports; "told the troops to leave" requests.
        infinitive = (
            object_frame
            or cand.anchor.dep_ == "xcomp"
            or any(c.dep_ == "aux" and c.tag_ == "TO" for c in cand.anchor.children)
        )
        is_request = (
            base in fr.request
            and infinitive
            and (f_object is not None or other_subject or (froles.passive and base != "want") or object_frame)
        )
        if base == "want" and not (f_object is not None or other_subject):
            is_request = False
        if is_request:
            if object_frame:
                target = list(cand.targets)  # "ordered an investigation against Iran"
            elif froles.passive:
                target = [f_subject] if f_subject is not None else []
            else:
                target = [f_object or comp_subject] if (f_object or comp_subject) is not None else []
            src = froles.sources if froles.passive else ([f_subject] if f_subject is not None else [])
            return self._replace(cand, "REQUEST", None, f, src, target)
        if base in fr.intent and other_subject and base not in ("agree", "threaten"):
            # "Kigali hoped French officials would be indicted": wished for, not done
            cand.aux.add(HYPOTHETICAL)
            cand.frame = f
            return cand
        if base in fr.intent:
            if base == "threaten":
                etype = "THREATEN"
            elif base == "agree" or cand.event_type in COOPERATIVE:
                etype = "AGREE"
            elif cand.event_type in ("REQUEST", "REJECT", "ACCUSE"):
                etype = cand.event_type
            else:
                etype = "THREATEN"
            src = [f_subject] if f_subject is not None else cand.sources
            return self._replace(cand, etype, None, f, src, cand.targets, keep_mode=etype == cand.event_type)
        if base == "threaten":
            src = [f_subject] if f_subject is not None else cand.sources
            return self._replace(cand, "THREATEN", None, f, src, cand.targets)
        if base in fr.cause and (f_object is not None or froles.passive):
            actor = f_object if f_object is not None else f_subject
            cand.sources = [actor] if actor is not None else cand.sources
            cand.frame = f
            return cand
        if base in fr.future and (base != "go" or f.tag_ == "VBG"):
            cand.aux.add(FUTURE)
            cand.frame = f
            return cand
        if base in fr.transparent or base in fr.reporting:
            cand.frame = f
            return cand
        return cand

    def _replace(
        self, cand, etype, mode, f: Token, sources, targets, *, keep_mode=False, extra=()
    ) -> _Candidate:
        tokens = sorted({*cand.tokens, f, *extra}, key=lambda t: t.i)
        if tokens[-1].i - tokens[0].i > 5:
            tokens = sorted({f, *extra}, key=lambda t: t.i)
        new = _Candidate(
            etype,
            cand.mode if keep_mode else mode,
            tokens,
            f,
            [s for s in sources if s is not None],
            [t for t in targets if t is not None],
        )
        new.frame = f
        new.replaced = True
        new.head_token = cand.head_token
        new.noun = cand.noun
        return new


def _has_clause(n: Token) -> bool:
    """A noun with a clause of its own ("protests that have rocked the city") or a place or
    time attached ("the bombing in Aleppo on Monday")."""
    for c in n.children:
        if c.dep_ in ("relcl", "acl"):
            return True
        if c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "on", "outside"):
            return True
        if c.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC"):
            return True
    return False


def _noun_governor(n: Token) -> Token | None:
    """The verb a noun trigger belongs to: its head verb, or the verb its preposition hangs on."""
    h = n.head
    if n.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "oprd", "conj") and is_verb(h):
        return h
    if n.dep_ == "conj":
        return _noun_governor(h) if h.i != n.i else None
    if n.dep_ == "pobj" and h.head.i != h.i and is_verb(h.head):
        return h.head
    return None


# ---------------------------------------------------------------- modality, negation, dates, places


def _negated(cand: _Candidate, fr) -> bool:
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


def _aux_modes(cand: _Candidate, lex: Lexicon) -> set[str]:
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


def _date_governor(ent: Span, stops: set[int]) -> Token | None:
    x = ent.root
    for _ in range(8):
        if x.i in stops and x.i not in range(ent.start, ent.end):
            return x
        if is_verb(x) and x.i not in range(ent.start, ent.end):
            return x
        if x.head.i == x.i:
            return x
        x = x.head
    return None


def _event_date(cand: _Candidate, art: ArticleView, future: bool) -> ResolvedDate | None:
    ents = art.date_entities(art.sent(cand.anchor))
    if not ents:
        return None
    stops = {t.i for t in cand.tokens} | {cand.anchor.i}
    if cand.noun is not None:
        stops.add(cand.noun.i)
    gov = {id(e): _date_governor(e, stops) for e in ents}
    levels: list[Token] = []
    if cand.noun is not None:
        levels.append(cand.noun)
    levels.extend(t for t in cand.tokens if t not in levels)
    node = cand.anchor
    for _ in range(5):
        if node not in levels:
            levels.append(node)
        if node.dep_ not in CLAUSE_LINKS or node.head.i == node.i:
            break
        node = node.head
    if cand.frame is not None and cand.frame not in levels:
        levels.append(cand.frame)
    for lvl in levels:
        for e in ents:
            g = gov[id(e)]
            if g is not None and g.i == lvl.i:
                r = resolve_date(e.text, art.published, future=future)
                if r is not None:
                    return r
    return None


def _is_historical(d: ResolvedDate, published: date | None, days: int) -> bool:
    if published is None:
        return False
    if d.precision == YEAR:
        end = date(d.value.year, 12, 31)
    elif d.precision == MONTH:
        end = (d.value.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    elif d.precision == WEEK:
        end = d.value + timedelta(days=6)
    else:
        end = d.value
    return end < published - timedelta(days=days)


def _clause_place(cand: _Candidate, art: ArticleView, exclude: set[int]) -> Place | None:
    """A place mention attached to the event's own clause: by a locative preposition to the
    trigger, its verb or its noun ("in Ramadi"), or as the place the event affects."""
    if not art.place_at:
        return None
    sent = art.sent(cand.anchor)
    own = {t.i for t in cand.tokens} | {cand.anchor.i}
    if cand.noun is not None:
        own.add(cand.noun.i)
    target_heads = {t.i for t in cand.targets}
    best: tuple[int, Place] | None = None
    for tok in sent:
        place = art.place_at.get(tok.i)
        if place is None or tok.i in exclude:
            continue
        if tok.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod") and tok.head.i not in art.place_at:
            # "the key Iraqi city", "US air strikes": the place qualifies a noun, it is not
            # where the event happens
            continue
        x = tok
        ok = False
        # a place inside the target names or locates it ("the town of Kalemie", "a checkpoint
        # in Tikrit"), unless the target is measured from it ("a city 70 miles from Baghdad")
        named = True
        for _ in range(8):
            if x.i in target_heads:
                ok = named
                break
            if x.dep_ == "prep" and any(c.dep_ == "npadvmod" for c in x.children):
                named = False
            head = x.head
            if head.i == x.i:
                break
            if x.dep_ == "pobj" and head.lower_ in PLACE_PREPS and head.head.i in own:
                # not "70 miles from Baghdad": a distance places the event elsewhere
                ok = not any(c.dep_ == "npadvmod" for c in head.children)
                break
            if x.dep_ in ("dobj", "nsubjpass") and head.i in own:
                ok = True
                break
            if is_verb(head) and head.i not in own:
                break
            x = head
        if ok:
            dist = abs(tok.i - cand.anchor.i)
            if best is None or dist < best[0]:
                best = (dist, place)
    return best[1] if best else None


# ---------------------------------------------------------------- entry point


def extract_events(
    doc: Doc,
    ctx,
    mentions: list[ActorMention],
    places: list[Place],
    *,
    lexicon: Lexicon | None = None,
) -> list[Event]:
    """Events of one article.

    Args:
        doc: the article's parsed text (the same Doc every extractor reads).
        ctx: its `ArticleContext`; dates resolve against `published_at`.
        mentions: the article's actor mentions; an argument links to the mention at its head
            or modifiers, and stays text-only (null id) when none covers it.
        places: the article's resolved places; the clause's own place first, else the
            article's most mentioned one.

    Returns:
        Events in text order, at most one per trigger, type and argument pair.
    """
    lex = lexicon or load_lexicon()
    art = ArticleView(doc, ctx, mentions, places, lex)
    ex = _Extractor(art)
    cands: list[_Candidate] = []
    if not len(doc):
        return []
    lowers = doc.to_array(LOWER)
    forms = lex.form_hash_array
    at = np.minimum(np.searchsorted(forms, lowers), len(forms) - 1)
    for i in np.flatnonzero(forms[at] == lowers):
        t = doc[int(i)]
        cand = None
        if is_verb(t):
            cand = ex.verb_candidate(t)
            if cand is None and t.tag_ == "VBG" and is_noun(t):
                cand = ex.noun_candidate(t)
        elif is_noun(t):
            cand = ex.noun_candidate(t)
        if cand is not None:
            cands.append(cand)

    framed: list[_Candidate] = []
    consumed: set[int] = set()
    for cand in cands:
        out = ex.apply_frame(cand)
        if out is not None and out.frame is not None and out.event_type != cand.event_type:
            consumed.add(out.frame.i)
        if out is None and cand.anchor.head.i != cand.anchor.i:
            f = cand.anchor.head
            if is_verb(f) and lex.verb_lemma(f.text) in lex.frames.negating:
                consumed.discard(f.i)
        if out is not None:
            framed.append(out)
    framed = [c for c in framed if not (c.frame is None and c.noun is None and c.tokens[0].i in consumed)]
    framed = _merge_duplicates(framed, art)

    events: list[Event] = []
    seen: set[tuple] = set()
    for cand in framed:
        if _negated(cand, lex.frames):
            if cand.event_type in COOPERATIVE:
                cand.event_type, cand.mode = "REJECT", None
            else:
                continue
        events.extend(_emit(cand, art, lex, seen))
    events.sort(key=lambda e: (e.start, e.event_type))
    return events


def _merge_duplicates(cands: list[_Candidate], art: ArticleView) -> list[_Candidate]:
    """One event where a verb and its event noun say the same thing ("the attack killed five",
    "killed in an air strike by government forces"): the noun keeps the actors it names. A noun
    inside a verb idiom ("went on strike") is the idiom's."""
    in_idiom = {t.i for c in cands if c.noun is None for t in c.tokens[1:]}
    cands = [c for c in cands if c.noun is None or c.noun.i not in in_idiom]
    explicit = {(art.sent_id(c.anchor), c.event_type) for c in cands if not c.implied}
    # "Georgian demonstrators received weapons": people who do something else that is coded
    # are that event's actors, not evidence of a protest.
    acting = {s.i for c in cands if not c.implied for s in c.sources}
    kept_implied: set[tuple[int, str]] = set()
    pruned = []
    for c in cands:
        if c.implied:
            key = (art.sent_id(c.anchor), c.event_type)
            if key in explicit or key in kept_implied or c.noun.i in acting:
                continue
            kept_implied.add(key)
        pruned.append(c)
    cands = pruned
    by_noun = {c.noun.i: c for c in cands if c.noun is not None}
    drop: set[int] = set()
    for i, c in enumerate(cands):
        if c.noun is not None:
            continue
        v = c.head_token or c.tokens[0]
        related = [x for x in v.children if x.dep_ in SUBJ and x.i in by_noun]
        if v.dep_ == "acl" and v.head.i in by_noun:
            related.append(v.head)  # "a deadly attack targeting non-Muslims"
        related += [o for w, o in prep_objects(v, ("in", "by", "during", "with")) if o.i in by_noun]
        related += [x for x in v.children if x.dep_ == "dobj" and x.i in by_noun]
        for r in related:
            other = by_noun[r.i]
            if other.event_type != c.event_type:
                continue
            if not other.targets and c.targets and r.dep_ != "dobj":
                other.targets = [t for t in c.targets if t.i != r.i]
            if not other.sources and c.sources and r.dep_ != "nsubj":
                other.sources = [s for s in c.sources if s.i != r.i]
            drop.add(i)
            break
    return [c for i, c in enumerate(cands) if i not in drop]


def _emit(cand: _Candidate, art: ArticleView, lex: Lexicon, seen: set[tuple]) -> list[Event]:
    sources = [a for s in cand.sources for a in art.arguments(s)]
    targets = [a for t in cand.targets for a in art.arguments(t)]
    source_ids = {a.head.i for a in sources}
    targets = [a for a in targets if a.head.i not in source_ids]
    if cand.event_type in SYMMETRIC and len(sources) > 1 and not targets:
        pairs = [
            (s, t) for s in sources for t in sources if s.actor_id != t.actor_id or s.head.i != t.head.i
        ][: MAX_ARGS * 2]
        pairs = [(s, t) for s, t in pairs if s is not t]
    else:
        pairs = [(s, t) for s in (sources or [None]) for t in (targets or [None])][: MAX_ARGS * 2]

    modes = _aux_modes(cand, lex)
    future = bool(modes & {FUTURE, HYPOTHETICAL})
    resolved = _event_date(cand, art, future)
    if resolved is not None:
        event_date, precision = resolved.value, resolved.precision
        if _is_historical(resolved, art.published, lex.settings.historical_days):
            modes.add(HISTORICAL)
        elif art.published is not None and resolved.value > art.published and precision == DAY:
            modes.add(FUTURE)
    elif art.published is not None:
        event_date, precision = art.published, PUBLICATION
    else:
        event_date, precision = None, None
    aux = next((m for m in (HYPOTHETICAL, FUTURE, HISTORICAL, REPORTED) if m in modes), None)

    # the source's own noun phrase ("Iraq's adviser"), not the clauses hanging on it
    exclude = {i for s in cand.sources for i in range(s.left_edge.i, s.i + 1)}
    place = _clause_place(cand, art, exclude)
    source_of_place = CLAUSE if place is not None else None
    if place is None and art.focal is not None:
        place, source_of_place = art.focal, ARTICLE

    start = min(t.idx for t in cand.tokens)
    last = max(cand.tokens, key=lambda t: t.idx + len(t))
    end = last.idx + len(last)
    out = []
    for s, t in pairs:
        key = (start, end, cand.event_type, s.actor_id if s else None, s.start if s else None,
               t.actor_id if t else None, t.start if t else None)  # fmt: skip
        if key in seen:
            continue
        seen.add(key)
        eid = hashlib.sha1(f"{art.ctx.article_id}|{'|'.join(map(str, key))}".encode()).hexdigest()[:16]
        out.append(
            Event(
                event_id=eid,
                article_id=art.ctx.article_id,
                event_type=cand.event_type,
                start=start,
                end=end,
                mode=cand.mode,
                source_actor_id=s.actor_id if s else None,
                target_actor_id=t.actor_id if t else None,
                source_text=s.text if s else None,
                target_text=t.text if t else None,
                event_date=event_date,
                date_precision=precision,
                trigger=art.slice(start, end),
                aux_mode=aux,
                location_source=source_of_place,
                place_text=place.text if place else None,
                geonameid=place.geonameid if place else None,
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
                country=place.country if place else None,
            )
        )
    return out
