"""Speakers: the subject of a cue, and its resolution to an actor mention of the article."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Token

from newsevents.tasks.extractors.claims.article import (
    ANONYMOUS,
    ISSUED,
    NAMED,
    NOMINAL,
    PRONOUN,
    PRONOUN_LABELS,
    RELATIVE,
    WORD,
    Article,
    Draft,
    subtree_chars,
    trim,
)
from newsevents.tasks.extractors.claims.rules import ClaimRules
from newsevents.tasks.records import ActorMention

# -------------------------------------------------------------------------------- speakers


def cue_chars(verb: Token, preps: frozenset[str] = frozenset()) -> tuple[int, int]:
    """The cue as written: the verb with its auxiliaries, negation, particle and the preposition
    of a prepositional cue ("has not said", "pointed out", "called for")."""
    start_tok, end_tok = verb, verb
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass", "neg") and child.i < verb.i and child.i >= start_tok.i - 1:
            start_tok = child if child.i < start_tok.i else start_tok
        if (
            child.dep_ in ("prt", "prep")
            and child.i == end_tok.i + 1
            and (child.dep_ == "prt" or child.lower_ in preps)
        ):
            end_tok = child
    return start_tok.idx, end_tok.idx + len(end_tok)


def subject(verb: Token) -> Token | None:
    """The speaker token of a cue verb: its subject or the agent of a passive, else the subject
    of the clause it hangs from ("he said ..., adding that ...", "won by promising ...",
    "was not willing to say ...") or the noun it modifies ("a statement saying ...")."""
    tok: Token = verb
    for _ in range(4):
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
        if subjects:
            # The parser sometimes splits one subject in several ("Tory co - chairman Liam
            # Fox"): the last piece is its head; the speaker span takes them all.
            return subjects[-1] if subjects[-1].i < tok.i else subjects[0]
        for child in tok.children:
            if child.dep_ == "agent":
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        if any(c.dep_ == "nsubjpass" for c in tok.children):
            return None  # "were said to be ...": unattributed
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" for c in tok.children):
            # "56 percent backed Clinton, while 37 percent backed Sanders": the parser took the
            # subordinate clause's subject for a measure; it is not the main clause's.
            measure = [c for c in tok.children if c.dep_ == "npadvmod" and c.i < tok.i and c.pos_ == "NOUN"]
            if measure:
                return measure[0]
        head = tok.head
        if head.i == tok.i:
            # "Trump summed up Clinton as terrible, denounced her record and said ...": the
            # parser gave the sentence's subject to the first verb of the series.
            first = next((c for c in tok.children if c.dep_ in ("advcl", "ccomp") and c.i < tok.i), None)
            if first is not None and tok.i != verb.i:
                return next((c for c in first.children if c.dep_ == "nsubj"), None)
            prev = verb.doc[verb.i - 1] if verb.i else None
            if prev is not None and prev.is_punct and prev.text == "," and prev.i:
                prev = verb.doc[prev.i - 1]  # "her adviser, Jake Sullivan, said"
            if tok.i == verb.i and prev is not None and prev.dep_ == "appos" and prev.pos_ == "PROPN":
                # "while on the trail for his wife, former president Bill Clinton said ...": the
                # parser made the name right before the verb an apposition of an earlier noun.
                return prev
            return None
        if tok.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
            # "The ministry issued a statement saying ...": the issuer speaks through it.
            if head.dep_ == "dobj" and head.lower_ in ISSUED:
                issuer = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
                if issuer is not None:
                    return issuer
            return head
        if tok.dep_ == "pcomp" and head.pos_ in ("ADP", "SCONJ") and head.head.i != head.i:
            tok = head.head
            continue
        if tok.dep_ in ("conj", "advcl", "xcomp", "acomp") and head.pos_ in ("VERB", "AUX", "ADJ"):
            tok = head
            continue
        if tok.dep_ == "conj" and tok.pos_ == "VERB" and head.dep_ == "dobj" and head.head.pos_ == "VERB":
            # "adopted a fake accent and joked, ...": the parser joined the verb to the object
            # of the one before; both are the subject's.
            tok = head.head
            continue
        return None
    return None


def inverted_subject(verb: Token, stop: int) -> Token | None:
    """The speaker of a quote-first inversion ("‘...,’ said spokesman Colonel Steve Warren"): the
    nominal after the verb, when the parser did not make it the subject."""
    for child in verb.rights:
        if child.i >= stop:
            break
        if child.pos_ in ("PROPN", "NOUN", "PRON") and child.dep_ in (
            "nsubj",
            "dobj",
            "attr",
            "npadvmod",
            "appos",
            "dative",
            "oprd",
            "nmod",
        ):
            return child
    return None


def speaker_span(
    tok: Token, art: Article, cue: Token | None = None, limit: tuple[int, int] | None = None
) -> tuple[int, int]:
    """The speaker phrase as written: the subject's subtree, but never the cue's own clause ("a
    statement saying ..." is "a statement")."""
    start, end = subtree_chars(tok, art, limit=limit)
    if tok.dep_ == "nsubj" and tok.i < tok.head.i:
        pieces = [c for c in tok.head.children if c.dep_ == "nsubj" and c.i < tok.i]
        # ... unless the first piece is the subject of a clause the cue introduces ("The new
        # tax, the minister said, will take effect").
        headless = any(
            c.dep_ == "ccomp"
            and c.i > tok.head.i
            and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
            for c in tok.head.children
        )
        if pieces and not headless:
            start = min(start, subtree_chars(pieces[0], art, limit=limit)[0])
    if cue is not None and tok.left_edge.i <= cue.i <= tok.right_edge.i:
        end = min(end, cue.left_edge.idx if cue.left_edge.i > tok.i else tok.idx + len(tok))
        start, end = trim(art.text, start, end)
    # A dateline or a time stamp the parser joined to the subject ("FLINT, Mich. (UPI) — Former
    # President Bill Clinton", "10:40 a.m.\n\nDonald Trump"): the speaker starts after it.
    head_at = tok.idx
    for sep in ("\n", " — ", " -- "):
        cut = art.text.rfind(sep, start, head_at)
        if cut >= 0:
            start = trim(art.text, cut + len(sep), end)[0]
    return trim(art.text, start, end)


# ------------------------------------------------------------------------------ resolution


# Mention labels that name a place: a person's words are never a place's ("Monaco said" is Lisa
# Monaco when the article names her).
PLACES = frozenset({"GPE", "LOC", "FAC"})
# How far back (in paragraphs) a pronoun or a definite description looks for its antecedent.
WINDOW = 3


class Resolver:
    """Speaker phrase -> actor, through the article's mentions."""

    def __init__(self, art: Article, mentions: Sequence[ActorMention], rules: ClaimRules):
        self.art = art
        self.rules = rules
        ordered = sorted(mentions, key=lambda m: (m.start, m.end))
        self.mentions = ordered
        self.starts = [m.start for m in ordered]
        # Surface forms seen in the article (and surnames of people), for a speaker the NER missed.
        self.by_form: dict[str, list[ActorMention]] = {}
        for m in ordered:
            self.by_form.setdefault(m.text.casefold(), []).append(m)
            if m.label == "PERSON" and " " in m.text:
                self.by_form.setdefault(m.text.rsplit(" ", 1)[1].casefold(), []).append(m)
        self.gender = _genders(art, ordered, rules)
        # (offset, actor) of the speakers resolved so far: a pronoun prefers someone speaking.
        self.spoken: list[tuple[int, str]] = []

    def covering(self, start: int, end: int) -> list[ActorMention]:
        k = bisect.bisect_left(self.starts, start)
        k = max(k - 3, 0)
        out = []
        for m in self.mentions[k:]:
            if m.start >= end:
                break
            if m.end > start and m.start < end:
                out.append(m)
        return out

    def before(self, char: int, labels: frozenset[str]) -> ActorMention | None:
        k = bisect.bisect_left(self.starts, char) - 1
        while k >= 0:
            m = self.mentions[k]
            if m.label in labels and m.end <= char and self.art.quote_at(m.start) is None:
                return m
            k -= 1
        return None

    def antecedent(self, char: int, pronoun: str) -> ActorMention | None:
        """The actor a pronoun at `char` stands for: among the compatible mentions of the last
        `WINDOW` paragraphs outside quotes (a quote's words are not its tag's antecedent: in
        "‘Assad is secondary,’ he said", he is not Assad), the nearest that is a subject or a
        speaker, else the nearest. He/she need a person of that gender (or of none known)."""
        labels = PRONOUN_LABELS.get(pronoun)
        if not labels:
            return None
        want = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(pronoun)
        # A person stays "he" or "she" for longer than a group stays "they".
        back = WINDOW * 2 if want else WINDOW
        floor = self.art.para_starts[max(self.art.paragraph(char) - back, 0)]
        speaking = {a for at, a in self.spoken if floor <= at < char}
        doc = self.art.doc
        first = None
        k = bisect.bisect_left(self.starts, char) - 1
        while k >= 0 and self.mentions[k].start >= floor:
            m = self.mentions[k]
            k -= 1
            if m.label not in labels or m.end > char or self.art.quote_at(m.start) is not None:
                continue
            if want is not None and self.gender.get(m.actor_id, want) != want:
                continue
            if pronoun == "they" and m.label == "GROUP" and not m.text.endswith("s"):
                continue  # "the army" is it, "officials" they
            head = doc[self.art.token_at(m.end - 1)]
            if m.actor_id in speaking or head.dep_ in ("nsubj", "nsubjpass"):
                return m
            first = first or m
        return first

    def at(self, char: int) -> ActorMention | None:
        for m in self.covering(char, char + 1):
            return m
        return None

    def resolve(self, d: Draft) -> tuple[str | None, str | None]:
        """(attribution, actor_id) of a draft's speaker; the actor is remembered as speaking."""
        kind, actor = self._resolve(d)
        if actor is not None and d.speaker is not None:
            self.spoken.append((d.speaker[0], actor))
        return kind, actor

    def _resolve(self, d: Draft) -> tuple[str | None, str | None]:
        """named: the phrase's head is a name ("spokesman Colonel Steve Warren"), or a voice of a
        named actor ("An IS statement", "the Clinton campaign"); pronoun: he/she/it/they with an
        antecedent; nominal: a description ("the spokesman", "one delegate"); anonymous: a head
        that names nobody ("sources", "experts", "a source close to"), or a pronoun with no
        antecedent ("They say ..." at the start of an article)."""
        if d.speaker is None or d.speaker_head is None:
            return None, None
        head = self.art.doc[d.speaker_head]
        low = head.lower_
        if low in RELATIVE and head.head.dep_ == "relcl":
            # "Sanders, who said ...": a pronoun as written, the actor of the noun it follows.
            noun = head.head.head
            _, actor = self._resolve(
                replace(d, speaker=(noun.idx, noun.idx + len(noun)), speaker_head=noun.i)
            )
            return PRONOUN, actor
        if head.pos_ == "PRON":
            m = self.antecedent(d.speaker[0], low)
            if m is None and low in PRONOUN_LABELS:
                return ANONYMOUS, None  # "They say ..." with no one before it to be "they"
            return PRONOUN, m.actor_id if m is not None else None
        named = self.at(head.idx)
        if named is not None and named.label in PLACES and named.text.casefold() == head.lower_:
            person = self.person_named(head.text)
            if person is not None:
                return NAMED, person.actor_id
        if named is not None:
            # A mention over a common noun is a group or a description ("IS militants", "the
            # spokesman"): named when it holds a name, never for an unnamed source. A capital
            # that only opens the sentence ("Officials in Nairobi said") names nobody.
            if low in self.rules.anonymous and head.pos_ != "PROPN":
                # "Pentagon officials", "Chinese diplomats": unnamed people of a named actor.
                actor = self.mentioned_before(d.speaker[0], head.idx, exclude=named.actor_id)
                return (NAMED, actor) if actor is not None else (ANONYMOUS, None)
            if head.pos_ == "PROPN" or not (head.text.islower() or head.is_sent_start):
                return NAMED, named.actor_id
            return (NAMED if not named.text.islower() else NOMINAL), named.actor_id
        if head.pos_ == "PROPN" or (head.text.isupper() and len(head.text) > 1):  # "LOPEZ:"
            return NAMED, self.by_name(d.speaker, head)
        if low in self.rules.voice:
            actor = self.modifier_actor(d.speaker)
            if actor is not None:
                return NAMED, actor
        if low in self.rules.anonymous:
            actor = self.mentioned_before(d.speaker[0], head.idx)
            return (NAMED, actor) if actor is not None else (ANONYMOUS, None)
        return NOMINAL, self.by_role(d.speaker[0], head)

    def person_named(self, name: str) -> ActorMention | None:
        """The person the article names `name` (a surname, or the full name)."""
        seen = [m for m in self.by_form.get(name.casefold(), ()) if m.label == "PERSON"]
        return seen[0] if seen else None

    def text_tokens(self, span: tuple[int, int]) -> list[Token]:
        doc = self.art.doc
        a = self.art.first_token_from(span[0])
        out = []
        while a < len(doc) and doc[a].idx < span[1]:
            out.append(doc[a])
            a += 1
        return out

    def by_name(self, span: tuple[int, int], head: Token) -> str | None:
        """A name the NER missed here but found elsewhere in the article ("Stansfield said"): a
        person of that name before any place or organisation."""
        seen = self.by_form.get(head.text.casefold())
        if not seen:
            return None
        people = [m for m in seen if m.label == "PERSON"]
        return _nearest(people or seen, span[0]).actor_id

    def mentioned_before(self, start: int, head: int, exclude: str | None = None) -> str | None:
        """An organisation or country named before the head of "Pentagon officials", "the Iraqi
        diplomats"; never the people the whole phrase stands for."""
        for m in self.covering(start, head):
            if m.label in ("ORG", "GPE", "NORP") and m.end <= head and m.actor_id != exclude:
                return m.actor_id
        return None

    def modifier_actor(self, span: tuple[int, int]) -> str | None:
        """The named actor inside a voice phrase: IS in "An IS statement"."""
        for label in ("ORG", "PERSON", "GPE", "NORP", "GROUP"):
            for m in self.covering(*span):
                if m.label == label:
                    return m.actor_id
        for t in self.text_tokens(span):
            if not t.text.islower():
                seen = self.by_form.get(t.text.casefold())
                if seen:
                    return _nearest(seen, span[0]).actor_id
        return None

    def by_role(self, char: int, head: Token) -> str | None:
        """A definite description of one ("the spokesman", "the prime minister") -> the nearest
        earlier person or organisation given that title: by the mention's role, or by the words
        right before it ("spokesman Colonel Steve Warren") or in apposition after it ("Steve
        Warren, the army spokesman")."""
        if head.tag_ != "NN" or not any(c.lower_ == "the" for c in head.children):
            return None  # "The families", "one of the Four": no single titled actor
        role = head.lower_
        names = {role, *self.rules.titles.get(role, ())}  # "the senator" is "Sen. Ted Cruz"
        text = self.art.text
        floor = self.art.para_starts[max(self.art.paragraph(char) - WINDOW, 0)]
        k = bisect.bisect_left(self.starts, char) - 1
        while k >= 0:
            m = self.mentions[k]
            k -= 1
            if m.label not in ("PERSON", "ORG", "GROUP") or m.end > char:
                continue
            if m.role and names & set(m.role.casefold().split()):
                return m.actor_id
            before = WORD.findall(text[max(m.start - 40, 0) : m.start].casefold())[-3:]
            after = text[m.end : m.end + 50]
            appos = WORD.findall(after.split(",")[1].casefold()) if after.startswith(",") else []
            if names & {*before, *appos}:
                return m.actor_id
            if (
                role in self.rules.organisations
                and m.label == "ORG"
                and m.start >= floor
                and role in m.text.casefold()
            ):
                return m.actor_id  # "the campaign" after "the Clinton campaign"
        return None


_PRONOUN_GENDER = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}


def _genders(art: Article, mentions: Sequence[ActorMention], rules: ClaimRules) -> dict[str, str]:
    """ "m" or "f" for the people the article marks: an honorific or a gendered role right before
    a mention ("Mrs. Clinton", "spokeswoman Jane Lee") or given to it ("Lee, a spokeswoman")."""
    votes: dict[str, list[str]] = {}
    text = art.text
    for m in mentions:
        if m.label != "PERSON":
            continue
        words = WORD.findall(text[max(m.start - 30, 0) : m.start].casefold())[-2:]
        after = text[m.end : m.end + 40]
        if after.startswith(","):
            words += WORD.findall(after.split(",")[1].casefold())
        if m.role:
            words += m.role.casefold().split()
        first = m.text.split(" ", 1)[0].casefold() if " " in m.text else ""
        if first in rules.female_names:
            votes.setdefault(m.actor_id, []).append("f")
        elif first in rules.male_names:
            votes.setdefault(m.actor_id, []).append("m")
        for w in words:
            if w in rules.female:
                votes.setdefault(m.actor_id, []).append("f")
            elif w in rules.male:
                votes.setdefault(m.actor_id, []).append("m")
    # A his/him or her in a sentence that names one person only is that person's ("Vance chaired
    # the hearing with her staff"); a sentence's subject pronoun may be anyone's from before.
    starts = [m.start for m in mentions]
    for tok in art.doc:
        g = _PRONOUN_GENDER.get(tok.lower_)
        if g is None or art.quote_at(tok.idx) is not None:
            continue
        if tok.dep_ in ("nsubj", "nsubjpass"):
            continue
        lo = tok.sent[0].idx
        k = bisect.bisect_left(starts, tok.idx)
        people = {
            m.actor_id
            for m in mentions[bisect.bisect_left(starts, lo) : k]
            if m.label == "PERSON" and art.quote_at(m.start) is None
        }
        if len(people) == 1:
            votes.setdefault(people.pop(), []).append(g)
    return {a: max(set(v), key=v.count) for a, v in votes.items()}


def _nearest(mentions: list[ActorMention], char: int) -> ActorMention:
    earlier = [m for m in mentions if m.start < char]
    return earlier[-1] if earlier else mentions[0]
