"""Reported speech: a reporting verb's or noun's complement, "according to X", transcript labels."""

from __future__ import annotations

import re

from spacy.tokens import Token

from newsevents.tasks.extractors.claims.article import (
    DIRECT,
    EDGE_PUNCT,
    INDIRECT,
    SUBJECTS,
    Article,
    Draft,
    n_words,
    subtree_chars,
    trim,
)
from newsevents.tasks.extractors.claims.direct import sentence_start
from newsevents.tasks.extractors.claims.rules import ClaimRules
from newsevents.tasks.extractors.claims.speakers import Resolver, cue_chars, speaker_span, subject

# ---------------------------------------------------------------------------- reported speech


# Dependents of a cue that the parser sometimes detaches from the subject of its complement.
_STRAY_SUBJECT = frozenset({"csubj", "nsubj", "xcomp", "dep", "attr", "acomp", "oprd"})


def _complement(verb: Token, base: str, rules: ClaimRules, art: Article) -> tuple[int, int] | None:
    """The content a reporting verb introduces: its complement clause, infinitive or object."""
    children = list(verb.children)
    if base in rules.clause_verbs:
        for child in children:
            if child.dep_ == "ccomp":
                start, end = subtree_chars(child, art)
                # "Experts fear the capture of Ramadi ... leaves IS ...": the parser took the
                # clause's subject for the verb's object; it belongs to the content, unless the
                # object is whom the speaker addressed ("told reporters he ...").
                # Likewise "The chief said being involved in violence is never easy": a subject
                # the parser hung from the cue.
                lead = [
                    c
                    for c in children
                    if verb.i < c.i < child.i
                    and (c.dep_ in _STRAY_SUBJECT or (c.dep_ == "dobj" and base not in rules.addressee_verbs))
                ]
                if lead and not any(g.dep_ == "mark" for g in child.children):
                    start = min(start, lead[0].left_edge.idx)
                return start, end
        # "Experts fear the fall of the port, a lifeline, leaves the city without fuel": with no
        # "and" between them, a subjectless finite verb after the object is the complement's
        # verb the parser coordinated with the cue.
        joined = next(
            (
                c
                for c in children
                if c.dep_ == "conj"
                and c.tag_ in ("VBZ", "VBD", "VBP")
                and not any(g.dep_ in SUBJECTS for g in c.children)
            ),
            None,
        )
        objects = [c for c in children if c.dep_ == "dobj" and c.i > verb.i]
        if joined is not None and objects and not any(c.dep_ == "cc" for c in children):
            start = subtree_chars(objects[0], art)[0]
            return start, subtree_chars(joined, art)[1]
        if verb.dep_ == "parataxis":
            # "At one point, she said, she was considering ...": the clause the cue interrupts
            # or follows; whole when the cue sits inside it.
            head = verb.head
            a, b = head.left_edge.idx, head.right_edge.idx + len(head.right_edge)
            va, vb = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge)
            if va <= a:
                a = vb
            elif trim(art.text, vb, b)[0] >= b - 1:
                b = va
            start, end = trim(art.text, a, b)
            if end > start and art.text[end - 1] == ".":
                end -= 1
            return start, end
    if base in rules.infinitive_verbs:
        for child in children:
            if child.dep_ == "xcomp":
                start, end = subtree_chars(child, art)
                if any(c.dep_ == "nsubjpass" for c in children):
                    # "IS militants were last night said to be marching ...": the whole clause
                    # is the statement, its subject included.
                    start = min(start, trim(art.text, verb.left_edge.idx, end)[0])
                return start, end
    if base in rules.object_verbs:
        objects = [c for c in children if c.dep_ == "dobj"]
        if objects:
            # "called both Trump and Clinton “crazy”": the object with what is said of it (and
            # every piece of an object the parser split: "the re - election of ...").
            parts = objects + [
                c for c in children if c.i > objects[0].i and c.dep_ in ("oprd", "xcomp", "ccomp")
            ]
            start = subtree_chars(objects[0], art)[0]
            end = max(subtree_chars(c, art)[1] for c in parts)
            return start, end
    preps = rules.preposition_verbs.get(base)
    if preps:
        for child in children:
            if child.dep_ == "prep" and child.lower_ in preps:
                obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return subtree_chars(obj, art)
    return None


def _according_to(tok: Token, art: Article) -> tuple[tuple[int, int], Token, tuple[int, int]] | None:
    """(content, speaker token, cue) of "According to officials, the attack killed 12"."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None:
        return None
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    head = tok.head if tok.head.i != tok.i else None
    if head is None:
        return None
    # The clause it attaches to (its whole sentence unless that is itself reported: "X said Y,
    # according to Z"), minus the "according to X" phrase where it sits at an edge.
    while head.dep_ != "ccomp" and head.head.i != head.i:
        head = head.head
    a, b = trim(art.text, head.left_edge.idx, head.right_edge.idx + len(head.right_edge), EDGE_PUNCT + ".")
    pa, pb = tok.left_edge.idx, to.right_edge.idx + len(to.right_edge)
    before, after = n_words(art.text[a:pa]), n_words(art.text[pb:b])
    if not after:
        b = pa
    elif not before:
        a = pb
    if n_words(art.text[a:b]) - (0 if a >= pb or b <= pa else n_words(art.text[pa:pb])) < 3:
        # "That's according to the results": the statement is the sentence before.
        prev = sentence_start(art, head.left_edge.idx)
        if prev >= head.left_edge.idx:
            return None
        a, b = prev, head.left_edge.idx
    start, end = trim(art.text, a, b, EDGE_PUNCT + ".")
    return (start, end), source, (tok.idx, to.idx + len(to))


def _noun_complement(noun: Token, art: Article) -> tuple[int, int] | None:
    """The that-clause of a reporting noun ("his claim that the vote was rigged")."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in child.children
        ):
            return subtree_chars(child, art)
    return None


def reported_drafts(art: Article, rules: ClaimRules, used: set[int]) -> list[Draft]:
    drafts: list[Draft] = []
    for i in art.candidates(rules.cue_hashes):
        if i in used:
            continue
        tok = art.doc[i]
        low = tok.lower_
        # Inside a quotation the words are the quoted speaker's own: "I think ..." is part of
        # that quote, not a claim of its own.
        q = art.quote_at(tok.idx)
        if q is not None and n_words(art.text[q.start : q.end]) >= rules.min_words:
            continue
        if low == "according":
            found = _according_to(tok, art)
            if found is not None:
                content, source, cue = found
                drafts.append(
                    Draft(
                        content=content,
                        kind=INDIRECT,
                        cue=cue,
                        cue_token=tok.i,
                        speaker=speaker_span(source, art),
                        speaker_head=source.i,
                    )
                )
            continue
        base = rules.verb_forms.get(low)
        if base is not None and tok.tag_.startswith("VB"):
            content = _complement(tok, base, rules, art)
            if content is None:
                continue
            subj = subject(tok)
            if subj is None and not any(c.dep_ == "nsubjpass" for c in tok.children):
                # Only a passive may leave its statement unattributed ("were said to be ...");
                # "Video posted online showed ..." with no subject found is a parse, not a claim.
                continue
            drafts.append(
                Draft(
                    content=content,
                    kind=INDIRECT,
                    cue=cue_chars(tok, rules.preposition_verbs.get(base, frozenset())),
                    cue_token=tok.i,
                    speaker=speaker_span(subj, art, tok) if subj is not None else None,
                    speaker_head=subj.i if subj is not None else None,
                )
            )
            continue
        if low in rules.clause_nouns and tok.pos_ == "NOUN":
            content = _noun_complement(tok, art)
            if content is None:
                continue
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            drafts.append(
                Draft(
                    content=content,
                    kind=INDIRECT,
                    cue=(tok.idx, tok.idx + len(tok)),
                    cue_token=tok.i,
                    speaker=speaker_span(owner, art) if owner is not None else None,
                    speaker_head=owner.i if owner is not None else None,
                )
            )
    return drafts


# "TAPPER: And obviously, you're supporting ..." -- a speaker's name as a paragraph's label.
_LABEL = re.compile(r"([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[ \t]+(?=\S)")


def label_drafts(art: Article, resolver: Resolver) -> list[Draft]:
    """Transcripts and interviews: a paragraph opening with a speaker's name and a colon is that
    speaker's words. The label must name a person or organisation the article mentions, so
    datelines and "Note:" or "UPDATE:" labels are not speakers."""
    drafts: list[Draft] = []
    text = art.text
    for start in art.para_starts:
        m = _LABEL.match(text, start)
        if m is None:
            continue
        label = m.group(1)
        last = label.rsplit(" ", 1)[-1].casefold()
        known = resolver.by_form.get(label.casefold()) or resolver.by_form.get(last)
        if not known or not any(k.label in ("PERSON", "ORG") for k in known):
            continue
        _, para_end = art.paragraph_bounds(start)
        content = trim(text, m.end(), para_end)
        if n_words(text[content[0] : content[1]]) < 2:
            continue
        head = art.token_at(m.end(1) - 1)
        drafts.append(
            Draft(
                content=content,
                kind=DIRECT,
                cue=(m.end(1), m.end(1) + 1),
                speaker=(m.start(1), m.end(1)),
                speaker_head=head,
            )
        )
    return drafts
