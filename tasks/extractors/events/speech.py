"""Speech acts that are events: what a speaker's words do to someone, read from the claims.

"Said" alone is no event (PLOVER codes what the statement does, not that it was made), but a
statement is an event when it is an accusation, a denial, a request or praise: "'Cruz is a man
who is lost,' said Graham" is Graham accusing Cruz; "'It's nonsense,' Trump said" is a denial;
"'The killer should be in prison,' Jeffries said" a request. The claims extractor has already
found who spoke and where the words are; this module decides what the words do, on the parse:

- ACCUSE / SUPPORT: a copular clause of the statement evaluates an actor ("X is a liar", "X
  is a very able man"): the predicate's valence (VADER's lexicon, Hutto & Gilbert 2014, plus
  [speech] negative/positive in the events lexicon) decides; the actor is the target.
- REJECT: the statement dismisses something as untrue ("nonsense", "not true", "baseless").
- REQUEST: the statement says what someone should or must do ("X should be in prison",
  "there must be an inquiry"); the trigger is the modal and its verb, the target the subject
  when it is an actor. The requested act itself stays hypothetical, as its own event.

Only statements someone is reported to make count: the writer's own opinions are not events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Token

from newsevents.tasks.extractors.events.arguments import Arg
from newsevents.tasks.extractors.events.lexicon import SpeechLexicon
from newsevents.tasks.extractors.events.syntax import (
    FIRST_PERSON,
    PASS_SUBJ,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    SUBJ,
    grammatical_subject,
)
from newsevents.tasks.extractors.events.view import ArticleView
from newsevents.tasks.nlp.inflect import verb_forms
from newsevents.tasks.records import Claim

GROUP = "GROUP"
BE = frozenset({"be", "is", "are", "was", "were", "been", "being", "'s", "’s", "'re", "’re", "am", "'m"})
REQUEST_MODALS = frozenset({"should", "must", "ought"})


@dataclass(slots=True)
class SpeechAct:
    """One statement coded as an event: its type, trigger tokens, speaker and target."""

    event_type: str
    tokens: list[Token]
    anchor: Token
    speaker: Arg | None
    targets: list[Token]
    mode: str | None = None


def speech_acts(art: ArticleView, claims: Iterable[Claim], lex: SpeechLexicon) -> list[SpeechAct]:
    """Every claim whose words are an accusation, praise, denial or request, as events."""
    doc = art.doc
    out: list[SpeechAct] = []
    for claim in claims:
        if claim.cue_start is None or claim.cue_end is None or not claim.speaker:
            continue
        cue = _token_at(art, claim.cue_start)
        if cue is None or cue.lower_ not in lex.cues:
            continue
        content = [t for t in doc[_token_index(art, claim.content_start) :] if t.idx < claim.content_end]
        if not content:
            continue
        speaker = _speaker_arg(art, claim, cue)
        evaluated = _evaluation(art, content, lex, claim)
        if evaluated is not None:
            etype, target = evaluated
            out.append(SpeechAct(etype, [cue], cue, speaker, [target]))
        elif _denial(content, lex):
            out.append(SpeechAct("REJECT", [cue], cue, speaker, []))
        for modal, verb, subject in _requests(art, content):
            targets = [subject] if subject is not None and _is_actor(art, subject) else []
            out.append(SpeechAct("REQUEST", [modal, verb], modal, speaker, targets))
    return out


def _token_at(art: ArticleView, char: int) -> Token | None:
    i = art._view.token_at(char)
    return art.doc[i] if 0 <= i < len(art.doc) else None


def _token_index(art: ArticleView, char: int) -> int:
    return max(0, art._view.first_token_from(char))


def _speaker_arg(art: ArticleView, claim: Claim, cue: Token) -> Arg:
    """The speaker phrase as the claim gives it, at its nearest occurrence to the cue."""
    text = art.doc.text
    sent = art.sent(cue)
    lo, hi = sent.start_char, sent.end_char
    best = -1
    pos = text.find(claim.speaker, lo, hi)
    while pos >= 0:
        if best < 0 or abs(pos - cue.idx) < abs(best - cue.idx):
            best = pos
        pos = text.find(claim.speaker, pos + 1, hi)
    start = best if best >= 0 else cue.idx
    end = start + len(claim.speaker) if best >= 0 else cue.idx + len(cue)
    head = _token_at(art, start) or cue
    return Arg(claim.speaker, start, end, claim.speaker_actor_id, head)


def _is_actor(art: ArticleView, t: Token) -> bool:
    """A named or group actor, or a person pronoun standing for one ("it", "that" and first
    persons are not: "it's nonsense" judges a claim, not an actor)."""
    if t.tag_ in ("PRP", "DT", "WDT") and t.lower_ not in PERSON_PRONOUNS | PLURAL_PRONOUNS:
        return False
    r = art.resolve(t)
    return r.i in art.mention_at and r.lower_ not in FIRST_PERSON


def _opposed(t: Token) -> bool:
    """A word under "anti-" or "counter-" ("anti-terrorism efforts") names what is fought."""
    if t.lower_.startswith(("anti-", "counter-")):
        return True
    return t.i >= 2 and t.doc[t.i - 1].text == "-" and t.doc[t.i - 2].lower_ in ("anti", "counter")


def _predicate_score(head: Token, tokens: Iterable[Token], lex: SpeechLexicon) -> float:
    """The strongest valence among a predicate's words, flipped under negation ("not honest").
    Its prepositional phrases other than "of" ("one of the worst") judge something else: "safe
    thanks to anti-terrorism efforts" praises, and "terrorism" accuses no one."""
    aside = {x.i for c in head.children if c.dep_ == "prep" and c.lower_ != "of" for x in c.subtree}
    tokens = [t for t in tokens if t.i not in aside and not _opposed(t)]
    best = 0.0
    for t in tokens:
        v = lex.score(t.text)
        if abs(v) > abs(best):
            best = v
    return best


def _evaluation(art: ArticleView, content: list[Token], lex: SpeechLexicon, claim: Claim):
    """(ACCUSE|SUPPORT, target) when a copular clause of the statement judges an actor."""
    inside = {t.i for t in content}
    for t in content:
        if t.dep_ not in ("attr", "acomp") or t.head.i not in inside or t.head.lower_ not in BE:
            continue
        be = t.head
        subject = next((c for c in be.children if c.dep_ in SUBJ | PASS_SUBJ), None)
        if subject is None or not _is_actor(art, subject):
            continue
        target = art.resolve(subject)
        m = art.mention_at.get(target.i)
        if m is not None and claim.speaker_actor_id and m.actor_id == claim.speaker_actor_id:
            continue  # a speaker judging themself is no event between actors
        predicate = [x for x in t.subtree if x.i in inside and x.dep_ not in ("relcl", "advcl")]
        predicate += [x for c in t.children if c.dep_ == "relcl" for x in c.subtree if x.i in inside]
        score = _predicate_score(t, predicate, lex)
        if any(c.dep_ == "neg" for c in be.children):
            score = -score
        if any(c.dep_ == "advmod" and c.lower_ == "too" for c in t.children):
            score = -abs(score)  # "too friendly with Wall Street to be trusted" faults an excess
        if score <= lex.negative_threshold:
            return "ACCUSE", subject
        person = (m is not None and m.label in ("PERSON", GROUP)) or target.ent_type_ == "PERSON"
        if score >= lex.positive_threshold and person and not any(c.dep_ == "neg" for c in t.children):
            return "SUPPORT", subject  # praise is of people ("a good candidate"), not of a website
    return _condemnation(art, content, lex, claim)


def _condemnation(art: ArticleView, content: list[Token], lex: SpeechLexicon, claim: Claim):
    """(ACCUSE, target) when a strongly condemning word ("thug Putin kills journalists", "what
    Rubio has done is one of the worst machinations", "obsequious pandering belies Cruz's
    reputation") stands in a clause whose subject, or else whose object's owner, is an actor."""
    inside = {t.i for t in content}
    for t in content:
        if lex.score(t.text) > lex.strong_negative or t.pos_ not in ("ADJ", "NOUN", "VERB", "PROPN"):
            continue
        if _opposed(t):
            continue
        if t.pos_ == "VERB" and art.lex.verb_lemma(t.text) in art.lex.verb_triggers:
            continue  # "rebels fired shells, officials said": the shelling is the event, not a charge
        verb = next((a for a in [t, *t.ancestors] if a.pos_ in ("VERB", "AUX") and a.i in inside), None)
        if verb is None or any(c.dep_ == "neg" for c in verb.children):
            continue
        for dep in ("subject", "owner"):
            for c in verb.children:
                if dep == "subject" and c.dep_ not in SUBJ | {"csubj"}:
                    continue  # "two protesters were killed" reports what they suffered, not their deed
                if dep == "owner" and c.dep_ not in ("dobj", "attr"):
                    continue
                # the subject or its owner ("Donald Trump has betrayed", "WikiLeaks's hostility
                # was a mistake"), not a place deep inside it ("the thugs that attacked
                # supporters in San Jose were illegals")
                subjects = [c, *c.conjuncts, *(y for y in c.children if y.dep_ == "poss")]
                # "what Rubio has done is ...", "the way the government handled it was ...": the
                # doer of the clause the subject is
                clauses = [c] if c.dep_ == "csubj" else [y for y in c.children if y.dep_ == "relcl"]
                subjects += [y for cl in clauses for y in cl.children if y.dep_ in SUBJ]
                for x in subjects if dep == "subject" else [y for y in c.subtree if y.dep_ == "poss"]:
                    if x.i not in inside or x.i == t.i or not _is_actor(art, x):
                        continue
                    if x.tag_ in ("WP", "WDT"):
                        continue  # "soldiers who commit rape will be shot": whoever does it, no one named
                    m = art.mention_at.get(art.resolve(x).i)
                    if m is not None and claim.speaker_actor_id and m.actor_id == claim.speaker_actor_id:
                        continue
                    return "ACCUSE", x
    return None


def _denial(content: list[Token], lex: SpeechLexicon) -> bool:
    """A statement that calls something untrue: a denial word as a predicate ("it's nonsense",
    "that is not true", "the claims are baseless")."""
    for t in content:
        if t.lower_ in lex.denial and t.dep_ in ("attr", "acomp", "ROOT", "conj", "npadvmod", "dobj"):
            return True
        if t.lower_ == "true" and t.dep_ == "acomp" and any(c.dep_ == "neg" for c in t.head.children):
            return True
    return False


def _agent_like(art: ArticleView, t: Token) -> bool:
    """Someone who can be asked to act: an actor, a person or group noun, a person pronoun."""
    if t.lower_ in PERSON_PRONOUNS | PLURAL_PRONOUNS | {"we", "everyone", "everybody", "nobody"}:
        return True
    if t.i in art.mention_at or t.ent_type_ in ("PERSON", "NORP", "ORG", "GPE"):
        return True
    lex = art.lex
    return any(lex.in_class(c, t.lower_) for c in ("person", "people", "official", "armed", "police"))


def _requests(art: ArticleView, content: list[Token]) -> list[tuple[Token, Token, Token | None]]:
    """(modal, verb, subject) of every "should/must/ought to" clause of the statement."""
    inside = {t.i for t in content}
    out = []
    for t in content:
        if t.lower_ not in REQUEST_MODALS or t.dep_ != "aux" or t.head.i not in inside:
            continue
        verb = t.head
        subject = next((c for c in verb.children if c.dep_ in SUBJ | PASS_SUBJ | {"expl"}), None)
        if subject is not None and subject.lower_ in FIRST_PERSON | {"you"} and subject.lower_ != "we":
            continue  # "I should have said": no one is asked to do anything
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        agents = [subject, *subject.conjuncts] if subject is not None else []
        if not (passive or any(a.dep_ == "expl" or _agent_like(art, a) for a in agents)):
            continue  # "the economies should emerge with little damage": a forecast, not a request
        if any(c.dep_ == "aux" and c.lower_ == "have" for c in verb.children):
            continue  # "should have known": a judgment of the past, not a request
        out.append((t, verb, subject))
    return out


# Verbs that put a name on someone: "called him a liar", "branded the minister a coward",
# "described the field as very good".
LABELLING = frozenset(
    f for base in ("call", "brand", "label", "dub", "describe", "denounce", "hail") for f in verb_forms(base)
)


def labelling_acts(art: ArticleView, lex: SpeechLexicon) -> list[tuple[str, Token, Token, Token]]:
    """(ACCUSE|SUPPORT, verb, subject, target) for every "X called Y a Z" whose Z judges Y: the
    name is an accusation when it condemns ("a pathological liar") and praise when it admires
    ("a very able man", said of a person); a neutral name ("called Putin a leader") is none."""
    out = []
    for v in art.doc:
        if v.pos_ not in ("VERB", "AUX") or v.lower_ not in LABELLING:
            continue
        subject = grammatical_subject(v)  # "provoked critics by calling Obama a baboon": his
        if subject is None or any(c.dep_ in PASS_SUBJ for c in v.children):
            continue
        names = [c for c in v.children if c.dep_ in ("oprd", "npadvmod", "attr")]
        names += [o for c in v.children if c.dep_ == "prep" and c.lower_ == "as" for o in c.children]
        objects = [c for c in v.children if c.dep_ == "dobj"]
        for name in names:
            objects += [c for c in name.children if c.dep_ == "nmod"]  # "called Trump a jerk"
        target = next((o for o in objects if _is_actor(art, o) or o.lower_ in PERSON_PRONOUNS), None)
        if target is None:
            owner = [c for o in objects for c in o.children if c.dep_ == "poss"]  # "AP's report"
            target = next((o for o in owner if _is_actor(art, o)), None)
        if target is None or not names:
            continue
        judged = [x for n in names for x in n.subtree if x.i != target.i and x not in target.subtree]
        score = _predicate_score(names[0], judged, lex)
        if any(c.dep_ == "neg" for c in v.children):
            continue
        if score <= lex.negative_threshold:
            out.append(("ACCUSE", v, subject, target))
        elif score >= lex.positive_threshold and art.resolve(target).ent_type_ == "PERSON":
            out.append(("SUPPORT", v, subject, target))
    return out
