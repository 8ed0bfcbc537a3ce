"""Triggers and frames: lexicon words in the parse -> event candidates with their source and target.

Over 500 lines on purpose: the trigger rules are one class because they share the per-article
state (the view, the lexicon, the frames already seen) and call each other recursively.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from newsevents.tasks.extractors.events.arguments import (
    SUBJ,
    TARGET_PREPS,
    Roles,
    grammatical_subject,
    is_temporal,
    is_verb,
    prep_objects,
    verb_roles,
)
from newsevents.tasks.extractors.events.lexicon import (
    CONFLICTUAL,
    COOPERATIVE,
    Condition,
    Rule,
)
from newsevents.tasks.extractors.events.syntax import PASS_SUBJ, PREMOD, pobjs
from newsevents.tasks.extractors.events.view import ArticleView

NOT_EVENT_ENTITIES = frozenset(
    {"ORG", "PERSON", "WORK_OF_ART", "LAW", "PRODUCT", "FAC", "NORP", "GPE", "LOC"}
)
SYMMETRIC = frozenset({"CONSULT", "COOPERATE"})
NEGATED, HYPOTHETICAL, FUTURE = "negated", "hypothetical", "future"
HISTORICAL, REPORTED = "historical", "reported"
CLAUSE, DATELINE = "clause", "dateline"


@dataclass(slots=True)
class Candidate:
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
    # The source as the claims extractor resolved it (a speech act's speaker), used as is.
    source_args: list | None = None
    # A statement coded by what it does (events.speech): its modality is the statement's.
    speech: bool = False


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


class Extractor:
    def __init__(self, art: ArticleView):
        self.art = art
        self.lex = art.lex
        self.fr = art.lex.frames

    # ------------------------------------------------------------ verbs

    def verb_candidate(self, v: Token) -> Candidate | None:
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
            if c.i < v.i:
                continue  # "the chair in which she sits" is no sit-in: a particle follows its verb
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
            # a clausal complement counts for "object:clause" ("agreed that ...")
            "objects": list(roles.objects) + [c for c in v.children if c.dep_ == "ccomp"],
            "modifiers": [],
            "preps": {c.lower_ for c in v.children if c.dep_ in ("prep", "agent", "dative")},
            "heads": set(),
            "has_object": any(c.dep_ == "dobj" for c in v.children),
        }

    def _verb_match(self, v, rules, tokens, roles: Roles, ctx) -> Candidate | None:
        rule = _first_rule(rules, self.art, **ctx)
        if rule is None:
            return None
        if rule.event_type == "ASSAULT" and self._accidental(v, roles):
            return None
        return Candidate(
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

    def noun_candidate(self, n: Token) -> Candidate | None:
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
                or (w == "for" and rule.event_type in ("SUPPORT", "AID"))  # "support for Trump"
                or (w in ("on", "into") and rule.event_type == "ACCUSE")  # "reports on Manafort"
                or (rule.event_type in CONFLICTUAL and w != "for")
            ]
            if agentive:
                cand = Candidate(rule.event_type, rule.mode, tokens, governor or n, [n], [], noun=n)
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
        objects = list(prep_objects(n))
        # "Tsege's arrest" arrests Tsege; "the army's arrest of Tsege" is the army's doing
        undergoes = self.art.in_class("undergone", n) and not any(w == "of" for w, _ in objects)
        for c in n.lefts:
            if c.dep_ == "poss" and undergoes:
                targets.append(("poss", c))
            elif c.dep_ == "poss" or (c.dep_ in ("amod", "compound", "nmod") and c.i in self.art.mention_at):
                place = self.art.place_at.get(c.i)
                if c.dep_ != "poss" and place is not None and place.feature_class == "P":
                    continue  # "the Baghdad bombings": a city naming the event is its place, not its actor
                sources.append(c)
        for word, o in objects:
            if word in ("by", "from"):
                sources.append(o)
            elif word == "of" and not is_temporal(o):
                targets.append((word, o))
            elif (word in TARGET_PREPS or word in ("between", "for", "on", "into")) and not is_temporal(o):
                # "a visit to Beirut" goes somewhere; "talks with Iran" are held with someone
                if word in ("to", "into", "at", "onto") and self.art.in_class("place", o):
                    continue
                targets.append((word, o))
        return sources, targets[:2]

    def _noun_event(
        self, n: Token, rule: Rule, tokens, governor: Token | None, sources, targets
    ) -> Candidate:
        lex = self.lex
        anchor = governor if governor is not None else n
        cand = Candidate(rule.event_type, rule.mode, tokens, anchor, list(sources), list(targets), noun=n)
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
                if not cand.sources:
                    # "drawing boos from the crowd": the giver hangs on the verb
                    givers = prep_objects(governor, ("from", "by"))
                    cand.sources = [o for w, o in givers if not is_temporal(o)][:2]
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

    def apply_frame(self, cand: Candidate) -> Candidate | None:
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

    def _noun_framed(self, cand: Candidate, noun: Token) -> Candidate | None:
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

    def _framed(self, cand, f: Token, base: str, comp_subject, *, object_frame: bool) -> Candidate | None:
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
            if any(self.art.in_class("crowd", x) for x in src if x is not None):
                # "protesters demanded the mayor's resignation": crowds demanding demonstrate
                return self._replace(cand, "PROTEST", "demo", f, src, target)
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
    ) -> Candidate:
        tokens = sorted({*cand.tokens, f, *extra}, key=lambda t: t.i)
        if tokens[-1].i - tokens[0].i > 5:
            tokens = sorted({f, *extra}, key=lambda t: t.i)
        new = Candidate(
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
