"""Reported speech: a reporting verb's or noun's complement, "according to X", transcript labels."""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Span, Token

from newsevents.tasks.extractors.claims.article import (
    DIRECT,
    EDGE_PUNCT,
    INDIRECT,
    RELATIVE,
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


def _complement(verb: Token, base: str, rules: ClaimRules, art: Article) -> list[tuple[int, int]] | None:
    """The content a reporting verb introduces, as its pieces: its complement clause, infinitive
    or object, without the claims of other cues it holds ("..., citing ...")."""
    children = list(verb.children)
    if base in rules.clause_verbs:
        colon = verb.right_edge.i + 1 if verb.right_edge.i == verb.i else verb.i + 1
        if (
            colon < len(verb.doc)
            and verb.doc[colon].text == ":"
            and art.text[verb.doc[colon].idx + 1 :].lstrip()[:1] not in QUOTE_MARKS
        ):
            # "The governor added: It's typical of her. She knows nothing ...": everything after
            # the colon to the end of the paragraph (a quote after it is a direct claim).
            after = verb.doc[colon].idx + 1
            return _pieces(art, after, art.paragraph_bounds(after)[1], [])
        for child in _clauses(verb, art, rules):
            start, end = _span(child)
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
            holes = own_claims(child, rules) + asides(child, art) + _next_predicates(child)
            parts = _pieces(art, start, end, holes)
            subjects = [c for c in children if c.dep_ == "nsubj" and c.i < verb.i]
            if (
                parts
                and child.i > verb.i
                and len(subjects) > 1
                and subjects[0].right_edge.nbor(1).text == ","
                and not any(g.dep_ in SUBJECTS for g in child.children)
            ):
                # "The new tax, the minister said, will take effect": the parser gave the cue
                # both subjects; the first is the complement's.
                parts = (_pieces(art, *_span(subjects[0]), []) or []) + parts
            return parts
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
            return _pieces(art, _span(objects[0])[0], _span(joined)[1], own_claims(joined, rules))
        if verb.dep_ == "parataxis" or _as_clause(verb):
            # "At one point, she said, she was considering ...", "As experts have pointed out,
            # the returns can be released": the clause the cue interrupts, follows or
            # introduces, without the cue's own words ("The talks, the minister said, will
            # resume" is "The talks" and "will resume").
            head = verb.head
            a, b = _span(head)
            return _pieces(art, a, b, [verb, *own_claims(head, rules)])
        subj = next((c for c in children if c.dep_ == "nsubj" and c.i < verb.i), None)
        lead = next(
            (
                c
                for c in children
                if subj is not None and c.i < subj.i and c.dep_ in _STRAY_SUBJECT | {"npadvmod"}
            ),
            None,
        )
        rest = next(
            (
                c
                for c in children
                if c.dep_ == "conj"
                and c.tag_.startswith("VB")
                and c.nbor(-1).text == ","
                and not any(g.dep_ in SUBJECTS for g in c.children)
            ),
            None,
        )
        if lead is not None and rest is not None and lead.nbor(1).text == ",":
            # "These employees, Stumpf explained at the hearing, were well paid": the parser
            # made the cue the root, with the clause's subject before it and its verb after.
            return _pieces(art, _span(lead)[0], _span(rest)[1], [verb.doc[lead.right_edge.i + 1 : rest.i]])
    if base in rules.infinitive_verbs:
        for child in children:
            preps = rules.preposition_verbs.get(base, frozenset())
            if child.i > verb.i and _subject_infinitive(child, preps):
                # "want the refugees to settle in the north", "is calling for the state to
                # expand the network": an infinitive with a subject of its own is what is wanted.
                mark = next((g for g in child.children if g.dep_ == "mark"), None)
                start = (mark.idx + len(mark)) if mark is not None else _span(child)[0]
                return _pieces(art, start, _span(child)[1], own_claims(child, rules))
            if child.dep_ == "xcomp":
                if base in rules.refuse_verbs and rules.verb_forms.get(child.lower_) in rules.clause_verbs:
                    return None  # "declined to comment": refusing to speak says nothing
                start, end = _span(child)
                if any(c.dep_ == "nsubjpass" for c in children):
                    # "IS militants were last night said to be marching ...": the whole clause
                    # is the statement, its subject included.
                    start = min(start, trim(art.text, verb.left_edge.idx, end)[0])
                addressed = [c for c in children if c.dep_ in ("dobj", "dative") and verb.i < c.i < child.i]
                if addressed:
                    # "urged Congress to act": who is to do it is part of what was urged.
                    start = min(start, addressed[0].left_edge.idx)
                return _pieces(art, start, end, own_claims(child, rules))
    if base in rules.regard_verbs or (base in rules.as_verbs and base not in rules.object_verbs):
        # "see Clinton as the stronger candidate", "cast the win as a sign of ...": only with
        # the "as" that says what the object is taken for.
        obj = next((c for c in children if c.dep_ == "dobj" and c.i > verb.i), None)
        after = obj.i if obj is not None else len(verb.doc)
        as_phrase = next((c for c in children if c.dep_ == "prep" and c.lower_ == "as" and c.i > after), None)
        if obj is None or as_phrase is None or as_phrase.right_edge.i == as_phrase.i:
            return None
        start = _span(obj)[0] if base in rules.regard_verbs else as_phrase.idx + len(as_phrase)
        return _pieces(art, start, _span(as_phrase)[1], [])
    if base in rules.object_verbs:
        objects = [c for c in children if c.dep_ == "dobj"]
        if objects and _says_after(verb, rules):
            # "Republicans defend their strategy, insisting they had no choice": the statement
            # is what the participle says, a claim of its own; "their strategy" is none.
            return None
        if objects:
            obj = objects[0]
            # "described the attack as ‘despicable’": what is said of the object is the statement.
            as_phrase = next(
                (c for c in children if c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i), None
            )
            if base in rules.as_verbs and as_phrase is not None and as_phrase.right_edge.i > as_phrase.i:
                return _pieces(art, as_phrase.idx + len(as_phrase), _span(as_phrase)[1], [])
            # "called both Trump and Clinton “crazy”", "accused the board of lying": the object
            # with what is said of it (and every piece of an object the parser split: "the
            # re - election of ...").
            parts = [obj] + [
                c
                for c in children
                if c.i > obj.i
                and (
                    c.dep_ in ("oprd", "xcomp", "ccomp")
                    or (c.dep_ == "prep" and c.lower_ in rules.object_preps)
                )
            ]
            start = _span(obj)[0]
            end = max(_span(c)[1] for c in parts)
            # What the writer adds about the object is not what was said of it: "endorsed
            # Trump's campaign, the latest chapter in ...", "praised the plan, which includes ...".
            aside = [
                c
                for c in obj.children
                if c.dep_ in ("relcl", "appos", "acl") and c.i > obj.i and c.left_edge.nbor(-1).text == ","
            ]
            if len(parts) == 1 and aside:
                end = min(end, aside[0].left_edge.idx)
            return _pieces(art, start, end, [c for c in parts for c in own_claims(c, rules)])
        said_of = _passive_object(verb, rules)
        if said_of is not None:
            # "Mr. Quiros was accused of using $50 million": who is accused and of what.
            subj, what = said_of
            return (_pieces(art, *_span(subj), []) or []) + (_pieces(art, *_span(what), []) or []) or None
    preps = rules.preposition_verbs.get(base)
    if preps:
        for child in children:
            # The cue's own preposition comes first, after whom was addressed ("called on
            # Congress", "talked with police about ..."), not after a place ("called to the
            # store on Route 9").
            if (
                child.dep_ == "prep"
                and child.lower_ in preps
                and child.i > verb.i
                and not any(
                    c.dep_ == "prep" and verb.i < c.i < child.i and c.lower_ not in ("to", "with")
                    for c in children
                )
            ):
                obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return _pieces(art, *_span(obj), own_claims(obj, rules))
    return None


_WH = frozenset({"WDT", "WP", "WP$", "WRB"})
_DANGLING = re.compile(r"[\s,;:—–-]+(?:and|but|or|nor|while|as)$", re.IGNORECASE)
QUOTE_MARKS = "\"“”‘’'«»„"


def _not_a_statement(verb: Token, base: str, rules: ClaimRules, art: Article) -> bool:
    """Questions assert nothing: a yes/no complement ("did not say whether he would run"), a
    wh-complement of a question verb ("asked why the vote was delayed"), and a cue inside a
    question or a condition ("debated whether to support Trump", "Did he say that ...?", "If he
    says yes, ..."). Purposes are not statements either ("sought to resurrect his career")."""
    for child in verb.children:
        if child.dep_ not in ("ccomp", "xcomp"):
            continue
        if any(g.dep_ == "mark" and g.lower_ in ("whether", "if") for g in child.children):
            return True
        if base in rules.question_verbs and child.left_edge.tag_ in _WH:
            return True
    if verb.dep_ == "xcomp" and verb.head.lower_ in rules.pretend_forms:
        return True
    if (
        verb.dep_ == "xcomp"
        and base in rules.clause_verbs
        and rules.verb_forms.get(verb.head.lower_) in rules.refuse_verbs
    ):
        return True  # "refused to discuss the case": what is not said is no statement
    if (
        verb.dep_ == "advcl"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        and verb.head.lower_ not in rules.verb_forms
    ):
        return True  # a purpose: "is to be held next week to discuss a replacement"
    tok = verb
    while tok.head.i != tok.i:
        if any(
            # "looked as if ..." compares, it does not ask or suppose
            g.dep_ == "mark" and g.lower_ in ("whether", "if") and not (g.i and g.nbor(-1).lower_ == "as")
            for g in tok.children
        ):
            return True
        if (
            tok.dep_ == "ccomp"
            and tok.head.tag_.startswith("VB")
            and rules.verb_forms.get(tok.head.lower_) in rules.question_verbs
            and tok.left_edge.tag_ in _WH
        ):
            return True  # "questioned how Cruz could turn back on a pledge to support ..."
        tok = tok.head
    return _asks(art, verb.idx)


def _asks(art: Article, char: int) -> bool:
    """The sentence around `char` ends with a question mark (outside any quote it holds)."""
    _, para_end = art.paragraph_bounds(char)
    k = bisect.bisect_left(art.stops, char)
    while k < len(art.stops) and art.stops[k] < para_end:
        stop = art.stops[k]
        if art.quote_at(stop) is None:
            return art.text[stop] == "?"
        k += 1
    return False


def _clauses(verb: Token, art: Article, rules: ClaimRules) -> list[Token]:
    """A cue's complement clauses, the likeliest first: after the cue before before it, a
    that-clause first, then the nearest. The parser hangs stray clauses of a sentence on its
    root ("Writing for a panel that agreed Pence won, Barabak noted that ...")."""
    # A clause in another paragraph is the parser running on, never the cue's.
    para = art.paragraph(verb.idx)
    comps = [c for c in verb.children if c.dep_ == "ccomp" and art.paragraph(c.idx) == para]
    if not comps:
        comps = _misplaced_clause(verb, rules)
    return sorted(
        comps,
        key=lambda c: (
            c.i < verb.i,
            not any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children),
            abs(c.i - verb.i),
        ),
    )


def asides(head: Token, art: Article) -> list[Token]:
    """What the writer says in passing about a name inside a reported clause: "said Smith, who
    leads the race, would win" and "maintains Baker, a former judge, will do a good job" report
    "Smith would win" and "Baker will do a good job"; the clause or apposition set off by commas
    is the writer's aside (never inside a quote, whose words are the speaker's)."""
    out = []
    for tok in head.subtree:
        if tok.head.pos_ != "PROPN" or tok.i <= tok.head.i or tok.left_edge.i == 0:
            continue
        if tok.left_edge.nbor(-1).text != "," or art.quote_at(tok.idx) is not None:
            continue
        relative = tok.dep_ == "relcl" and tok.left_edge.lower_ in ("who", "which", "whose")
        inner = (
            tok.dep_ == "appos"
            and tok.right_edge.i + 2 < len(tok.doc)
            and tok.right_edge.nbor(1).text == ","
            and tok.right_edge.i < head.right_edge.i - 1
        )
        if relative or inner:
            out.append(tok)
    return out


_FINITE = ("VBZ", "VBD")


def _next_predicates(head: Token) -> list[Token]:
    """What the speaker did next, which the parser joined to the content: in "insists the party
    must be one of ideas, and has championed cuts", a finite verb with no subject of its own
    cannot go with "must"; it goes with the speaker."""
    if not (head.tag_ == "VB" and any(g.dep_ == "aux" and g.tag_ == "MD" for g in head.children)):
        return []
    return [
        c
        for c in head.children
        if c.dep_ == "conj"
        and c.i > head.i
        and not any(g.dep_ in SUBJECTS for g in c.children)
        and (c.tag_ in _FINITE or any(g.dep_ in ("aux", "auxpass") and g.tag_ in _FINITE for g in c.children))
    ]


def _subject_infinitive(child: Token, preps: frozenset[str]) -> bool:
    """An infinitive clause with its own subject after an infinitive cue: a bare one ("want the
    refugees to settle", parsed as a clause) or one after the cue's own "for" ("calling for the
    state to expand", parsed as an adverbial clause)."""
    grand = list(child.children)
    if not (
        child.tag_ == "VB"
        and any(g.dep_ == "aux" and g.lower_ == "to" for g in grand)
        and any(g.dep_ == "nsubj" and g.i < child.i for g in grand)
    ):
        return False
    marks = [g.lower_ for g in grand if g.dep_ == "mark"]
    if child.dep_ == "ccomp":
        return not marks
    return child.dep_ == "advcl" and marks == ["for"] and "for" in preps


def _misplaced_clause(verb: Token, rules: ClaimRules) -> list[Token]:
    """A that-clause the parser hung on a phrase between the cue and it: in "said following a
    vote in 2001 that he had concerns", "that" is no relative pronoun but the clause's mark,
    so the clause is the cue's, not the vote's; so is a statement's it is said in ("says in a
    statement that ..."). Another reporting noun's clause is the noun's own ("responded to a
    claim that ..." does not claim it)."""
    for child in verb.children:
        if child.dep_ != "prep" or child.i < verb.i:
            continue
        for tok in child.subtree:
            marked = any(g.dep_ == "mark" and g.lower_ == "that" for g in tok.children)
            if tok.dep_ in ("relcl", "acl") and marked:
                own = tok.head.lower_ in rules.clause_nouns and child.lower_ != "in"
                return [] if own else [tok]
    return []


def _span(tok: Token) -> tuple[int, int]:
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)


def _says_after(verb: Token, rules: ClaimRules) -> bool:
    """The verb is followed by a participle cue with a clause: ", insisting they ...", ",
    arguing that ...", ", saying ..." ."""
    return any(
        c.dep_ in ("advcl", "conj", "xcomp")
        and c.tag_ == "VBG"
        and c.i > verb.i
        and rules.verb_forms.get(c.lower_) in rules.clause_verbs
        and any(g.dep_ == "ccomp" for g in c.children)
        for c in verb.children
    )


def _passive_object(verb: Token, rules: ClaimRules) -> tuple[Token, Token] | None:
    """(subject, what is said of it) of a passive object verb: "was accused of lying"."""
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is None or (subj.pos_ == "PRON" and subj.lower_ in RELATIVE):
        return None
    if any(c.dep_ == "prt" for c in verb.children):
        return None  # "the words are backed up with actions": another verb than "back"
    for c in verb.children:  # not "were called Phoenix and Firebird": a name, nothing said
        if c.dep_ == "prep" and c.lower_ in rules.object_preps:
            what = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if what is not None:
                return subj, what
    return None


def _as_clause(verb: Token) -> bool:
    """ "As experts have pointed out, ...": a cue introduced by "as" vouches for its main clause,
    unless it says something of its own ("... as he urges voters to unite behind him")."""
    return (
        verb.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
        and not any(c.dep_ in ("dobj", "xcomp", "ccomp", "oprd") for c in verb.children)
    )


def own_claims(head: Token, rules: ClaimRules) -> list[Token]:
    """Reporting verbs hanging from a content's head that make claims of their own: a participle
    ("said geopolitics played a part, citing the border with China") or a coordinated cue with
    no subject ("said the vote would go ahead and suggested it would be close")."""
    out = []
    for c in head.children:
        if c.i < head.i:
            continue
        subjectless = not any(g.dep_ in SUBJECTS for g in c.children)
        if (
            subjectless
            and c.tag_.startswith("VB")
            and c.lower_ in rules.verb_forms
            and (
                (c.dep_ == "advcl" and c.tag_ == "VBG" and _after_a_break(c))
                # "and called her plan a disgrace": what the speaker did next, with what it said
                or (c.dep_ == "conj" and any(g.dep_ in ("ccomp", "xcomp", "oprd") for g in c.children))
            )
        ):
            out.append(c)
        if c.dep_ == "conj":
            # "would sit him down and tell him to stop, and tells the crowd he was first": a
            # series of verbs hangs each from the one before.
            out.extend(d for d in own_claims(c, rules) if d.dep_ == "conj")
    return out


def _after_a_break(tok: Token) -> bool:
    """A comma, dash or semicolon comes right before the token, perhaps after a closing quote
    mark (‘he has “grown the party,” claiming ...’)."""
    before = tok.doc.text[max(tok.idx - 6, 0) : tok.idx].rstrip(" " + QUOTE_MARKS)
    return before.endswith((",", "—", "–", "--", ";"))


def _pieces(art: Article, start: int, end: int, holes: list[Token | Span]) -> list[tuple[int, int]] | None:
    """The text from `start` to `end` without `holes` (tokens stand for their subtrees), as
    trimmed pieces: cut to the paragraph it starts in (a parse can run past a paragraph break)
    and to the clause a semicolon ends ("said the timing was not intentional; they only learned
    ..."), but never inside a quote it opens (the parse of quoted sentences stops at the first)."""
    text = art.text
    _, para_end = art.paragraph_bounds(start)
    end = min(end, para_end)
    semi = text.find(";", start, end)
    while semi >= 0 and (
        art.quote_at(semi) is not None or text.count("(", start, semi) > text.count(")", start, semi)
    ):
        semi = text.find(";", semi + 1, end)  # not one in a quote or in brackets: "(£458m; $874m)"
    if semi >= 0:
        end = semi
    q = art.quote_at(end - 1)
    if q is not None and q.start >= start and q.end > end:
        end = q.end
    spans, cur = [], start
    for hs, he in sorted(_span(h) if isinstance(h, Token) else (h.start_char, h.end_char) for h in holes):
        if he <= cur or hs >= end:
            continue
        if hs > cur:
            spans.append((cur, hs))
        cur = max(cur, he)
    if cur < end:
        spans.append((cur, end))
    out = []
    for a, b in spans:
        a, b = trim(text, a, b)
        if n_words(text[a:b]):
            out.append((a, b))
    if not out:
        return None
    a, b = out[-1]
    if text[b - 1] == ".":
        b -= 1
    # A conjunction the cut left dangling: "said he was disappointed and" (claimed ...).
    b = a + len(_DANGLING.sub("", text[a:b]))
    out[-1] = (a, b)
    return out if b > a else out[:-1] or None


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
    # "Clinton leads by 200 delegates, according to a count, but Sanders vowed to fight on": a
    # clause joined after the phrase, with its own subject, is the writer's, not the source's.
    joined = [
        c
        for c in head.children
        if c.dep_ == "conj" and c.i > tok.i and any(g.dep_ in SUBJECTS for g in c.children)
    ]
    cc = [c for c in head.children if c.dep_ == "cc" and joined and tok.i < c.i < joined[0].i]
    if cc:  # not "crossed the border after, according to him, the network censured him"
        b = min(b, cc[0].idx)
    para_start, para_end = art.paragraph_bounds(tok.idx)
    a, b = max(a, para_start), min(b, para_end)
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


# Possessives that own no statement: "its call for" is often a report's or a law's.
_NOT_OWNERS = frozenset({"its", "their", "our", "your", "my"})


def _noun_object(noun: Token, preps: frozenset[str], art: Article) -> tuple[int, int] | None:
    """The object of a reporting noun's preposition: "a ban" in "his call for a ban"."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):  # "his remarks on Saturday"
                span = subtree_chars(obj, art)
                return span if span[1] > span[0] else None
    return None


def _noun_complement(noun: Token, art: Article) -> tuple[int, int] | None:
    """The that-clause of a reporting noun ("his claim that the vote was rigged")."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in child.children
        ):
            return subtree_chars(child, art)
    return None


# Verbs through which a subject makes a reporting noun its own: "made the argument that ...".
_LIGHT = frozenset(
    {
        "make",
        "made",
        "makes",
        "making",
        "issue",
        "issued",
        "issues",
        "issuing",
        "offer",
        "offered",
        "offers",
        "repeat",
        "repeated",
        "repeats",
        "reiterated",
        "voice",
        "voiced",
        "express",
        "expressed",
        "expresses",
        "deliver",
        "delivered",
        "put",
        "puts",
    }
)


def _owner(noun: Token, rules: ClaimRules, clause: bool) -> Token | None:
    """Whose statement a reporting noun is: "his claim", "the Trump claim", "a warning from the
    police", "Clinton made the argument that ..."; None when the text does not say."""
    for c in noun.children:
        if c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN"):
            return c
    for c in noun.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and not pobj.like_num and pobj.ent_type_ not in ("DATE", "TIME"):
                return pobj  # not "plans for three more models by 2008"
    if noun.dep_ == "dobj" and noun.head.lower_ in _LIGHT:
        return subject(noun.head)
    prep = noun.head
    if (
        clause  # not "is bringing a car to market, with plans for three more models"
        and noun.dep_ == "pobj"
        and prep.lower_ in ("with", "in")
        and prep.head.pos_ == "VERB"
        and prep.head.lower_ not in rules.verb_forms
    ):
        # "stirred controversy with an assertion that ...", "in a statement that ...": the
        # subject's own words, unless its verb is a cue that answers them ("agreed with the
        # claim that ...").
        return subject(prep.head)
    return None


def reported_drafts(art: Article, rules: ClaimRules, used: set[int]) -> list[Draft]:
    drafts: list[Draft] = []
    for i in art.candidates(rules.cue_hashes):
        if i in used:
            continue
        tok = art.doc[i]
        low = tok.lower_
        if (
            tok.i > 0
            and tok.text[0].isupper()
            and not tok.text.isupper()
            and art.doc[i - 1].text[:1].isupper()
            and not tok.is_sent_start
            and not art.doc[i - 1].is_sent_start
        ):
            continue  # a word of a title: the song "You Know You're Right"
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
        if base in rules.quote_only:
            continue
        if base is not None and tok.tag_.startswith("VB"):
            parts = _complement(tok, base, rules, art)
            if parts is None:
                continue
            if _not_a_statement(tok, base, rules, art):
                continue
            subj = subject(tok)
            if subj is not None and subj.lower_ in rules.depictions:
                continue  # "The image shows a boy holding a flag": a picture states nothing
            if subj is not None and subj.head.head.lower_ == "let" and subj.lower_ in ("'s", "’s", "us"):
                continue  # "Let's hope ...", "let's call it music": a suggestion, nobody's statement
            if subj is None and not (
                any(c.dep_ == "nsubjpass" for c in tok.children)
                and (
                    any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)
                    or (base in rules.object_verbs and _passive_object(tok, rules) is not None)
                )
            ):
                # Only a passive with a clause may leave its statement unattributed ("were said
                # to be ..."); "Video posted online showed ..." with no subject found is a parse,
                # and "police were called to the store" a summons, not a claim.
                continue
            drafts.append(
                Draft(
                    content=(parts[0][0], parts[-1][1]),
                    parts=parts if len(parts) > 1 else None,
                    kind=INDIRECT,
                    cue=cue_chars(tok, rules.preposition_verbs.get(base, frozenset())),
                    cue_token=tok.i,
                    speaker=speaker_span(subj, art, tok) if subj is not None else None,
                    speaker_head=subj.i if subj is not None else None,
                )
            )
            continue
        if tok.pos_ == "NOUN" and (low in rules.clause_nouns or low in rules.preposition_nouns):
            content = _noun_complement(tok, art) if low in rules.clause_nouns else None
            owner = _owner(tok, rules, clause=content is not None)
            if content is None and owner is not None and owner.lower_ not in _NOT_OWNERS:
                # "his call for a ban", "Trump's attacks on Machado": a noun's prepositional
                # content is a claim only when the text says whose it is.
                content = _noun_object(tok, rules.preposition_nouns.get(low, frozenset()), art)
            if content is None:
                continue
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
    _inherit_speakers(art, drafts, rules)
    return drafts


def _inherit_speakers(art: Article, drafts: list[Draft], rules: ClaimRules) -> None:
    """A cue cut out of another claim's content speaks for that claim's speaker: in "Analysts
    said geopolitics played a part, citing the border", "citing" hangs from "played" in the
    parse, whose subject is no speaker."""
    for d in drafts:
        if d.cue_token is None:
            continue
        tok = art.doc[d.cue_token]
        if tok.dep_ not in ("advcl", "conj") or (
            tok not in own_claims(tok.head, rules) and tok not in _next_predicates(tok.head)
        ):
            continue
        parent = next(
            (
                p
                for p in drafts
                if p is not d and (p.cue_token == tok.head.i or p.content[0] <= tok.head.idx < p.content[1])
            ),
            None,
        )
        if parent is not None:
            d.speaker, d.speaker_head = parent.speaker, parent.speaker_head


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
