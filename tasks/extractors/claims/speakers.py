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
        head = tok.head
        if head.i == tok.i:
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
        if pieces and pieces[0].right_edge.i + 1 >= pieces[-1].left_edge.i:
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
    return start, end


# ------------------------------------------------------------------------------ resolution


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

    def at(self, char: int) -> ActorMention | None:
        for m in self.covering(char, char + 1):
            return m
        return None

    def resolve(self, d: Draft) -> tuple[str | None, str | None]:
        """(attribution, actor_id) of a draft's speaker.

        named: the phrase's head is a name ("spokesman Colonel Steve Warren"), or a voice of a
        named actor ("An IS statement", "the Clinton campaign"); pronoun: he/she/it/they;
        anonymous: a head that names nobody ("sources", "experts", "a source close to");
        nominal: any other description ("the spokesman", "one delegate").
        """
        if d.speaker is None or d.speaker_head is None:
            return None, None
        head = self.art.doc[d.speaker_head]
        low = head.lower_
        if low in RELATIVE and head.head.dep_ == "relcl":
            # "Sanders, who said ...": a pronoun as written, the actor of the noun it follows.
            noun = head.head.head
            _, actor = self.resolve(replace(d, speaker=(noun.idx, noun.idx + len(noun)), speaker_head=noun.i))
            return PRONOUN, actor
        if head.pos_ == "PRON":
            labels = PRONOUN_LABELS.get(low)
            m = self.before(d.speaker[0], labels) if labels else None
            return PRONOUN, m.actor_id if m else None
        named = self.at(head.idx)
        if named is not None:
            # A mention over a common noun is a group or a description ("IS militants", "the
            # spokesman"): named when it holds a name, never for an unnamed source. A capital
            # that only opens the sentence ("Officials in Nairobi said") names nobody.
            if low in self.rules.anonymous and head.pos_ != "PROPN":
                return ANONYMOUS, None
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
            return ANONYMOUS, None
        return NOMINAL, self.by_role(d.speaker[0], head)

    def text_tokens(self, span: tuple[int, int]) -> list[Token]:
        doc = self.art.doc
        a = self.art.first_token_from(span[0])
        out = []
        while a < len(doc) and doc[a].idx < span[1]:
            out.append(doc[a])
            a += 1
        return out

    def by_name(self, span: tuple[int, int], head: Token) -> str | None:
        """A name the NER missed here but found elsewhere in the article ("Stansfield said")."""
        seen = self.by_form.get(head.text.casefold())
        return _nearest(seen, span[0]).actor_id if seen else None

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
        text = self.art.text
        k = bisect.bisect_left(self.starts, char) - 1
        while k >= 0:
            m = self.mentions[k]
            k -= 1
            if m.label not in ("PERSON", "ORG", "GROUP") or m.end > char:
                continue
            if m.role and role in m.role.casefold().split():
                return m.actor_id
            before = WORD.findall(text[max(m.start - 40, 0) : m.start].casefold())[-3:]
            after = text[m.end : m.end + 50]
            appos = WORD.findall(after.split(",")[1].casefold()) if after.startswith(",") else []
            if role in before or role in appos:
                return m.actor_id
        return None


def _nearest(mentions: list[ActorMention], char: int) -> ActorMention:
    earlier = [m for m in mentions if m.start < char]
    return earlier[-1] if earlier else mentions[0]
