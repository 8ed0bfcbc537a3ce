"""The place of an event: a place its own clause names."""

from __future__ import annotations

import re

from newsevents.tasks.extractors.events.arguments import is_verb
from newsevents.tasks.extractors.events.triggers import Candidate
from newsevents.tasks.extractors.events.view import ArticleView
from newsevents.tasks.records import Place

# Types whose target is someone spoken to or about: a country target is no location, and a thing
# in the object slot ("rejected the proposal") is no target.
VERBAL = frozenset({"REQUEST", "SUPPORT", "REJECT", "ACCUSE", "AGREE", "CONSULT"})
# Prepositions that place an event ("in Ramadi", "near the border").
PLACE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "into", "on", "from",
     "off", "along", "within", "towards", "toward", "over", "through", "between", "beyond", "by"}
)  # fmt: skip


_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]*[A-Z.])(?:,\s+[A-Z][A-Za-z.]+(?:\s[A-Z][a-z.]+)?)?"
    r"(?:,\s+[A-Z][a-z]{2}\.?\s+\d+)?"
    r"\s*(?:\([A-Za-z ]+\))?\s*[-–—―]\s",
    re.MULTILINE,
)
_NOT_DATELINE = frozenset({"UPDATE", "EDITOR", "NOTE", "CORRECTION", "BREAKING", "EXCLUSIVE", "WATCH"})


def dateline(art: ArticleView) -> tuple[int, Place | None] | None:
    """The story's dateline ("WASHINGTON (AP) —", "DES MOINES, Iowa, Aug. 10 (UPI) —"): the end
    of its paragraph's first sentence and the place it names (None when unresolved)."""
    text = art.doc.text
    for m in _DATELINE.finditer(text, 0, min(len(text), 600)):
        word = m.group("place").strip()
        if word in _NOT_DATELINE or len(word) < 3:
            continue
        start = m.start("place")
        tok = art.doc.char_span(start, m.end("place"), alignment_mode="expand")
        place = next((art.place_at.get(t.i) for t in tok if t.i in art.place_at), None) if tok else None
        if place is None:
            place = Place(art.ctx.article_id, word, start, m.end("place"))
        first = art.sent(art.doc[tok.start]) if tok is not None else None
        return (first.end_char if first is not None else m.end()), place
    return None


def clause_place(cand: Candidate, art: ArticleView, exclude: set[int]) -> Place | None:
    """A place mention attached to the event's own clause: by a locative preposition to the
    trigger, its verb or its noun ("in Ramadi"), or as the place the event affects."""
    if not art.place_at:
        return None
    sent = art.sent(cand.anchor)
    own = {t.i for t in cand.tokens} | {cand.anchor.i}
    if cand.noun is not None:
        own.add(cand.noun.i)
    target_heads = {t.i for t in cand.targets}
    arg_heads = target_heads | {t.i for t in cand.sources}
    physical = cand.event_type not in VERBAL
    best: tuple[int, Place] | None = None
    for tok in sent:
        place = art.place_at.get(tok.i)
        if place is None or tok.i in exclude:
            continue
        x = tok
        if tok.dep_ == "compound" and art.lex.in_class("territory", tok.head.lower_):
            x = tok.head  # "in the Oromia region": the region is where, the name says which
        elif tok.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod") and tok.head.i not in art.place_at:
            # "the key Iraqi city", "US air strikes": the place qualifies a noun, it is not
            # where the event happens; a city naming the event itself is ("the Paris attacks")
            noun = cand.noun
            if noun is not None and tok.head.i == noun.i and place.kind == "name":
                dist = abs(tok.i - cand.anchor.i)
                if best is None or dist < best[0]:
                    best = (dist, place)
            continue
        ok = locative = False
        # a place inside a physical event's target names or locates it ("the town of Kalemie",
        # "a checkpoint in Tikrit"), unless the target is measured from it ("a city 70 miles from
        # Baghdad"); the country an accusation or a meeting is about is no location ("blamed
        # China", "talks with India")
        named = True
        for _ in range(10):
            if x.i in target_heads and physical:
                ok = named
                break
            if x.dep_ == "prep" and any(c.dep_ == "npadvmod" for c in x.children):
                named = False
            head = x.head
            if head.i == x.i:
                break
            if x.dep_ == "pobj" and head.lower_ in PLACE_PREPS:
                # not "70 miles from Baghdad": a distance places the event elsewhere
                locative = locative or not any(c.dep_ == "npadvmod" for c in head.children)
            if head.i in own or (locative and head.i in arg_heads):
                # "in Ramadi" on the trigger, its noun or a participant ("a shooting by two
                # radicals in California", "booed during a breakfast in Philadelphia")
                ok = locative or (physical and x.dep_ in ("dobj", "nsubjpass") and head.i in own)
                break
            if is_verb(head) or x.dep_ in ("relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis"):
                break
            x = head
        if ok:
            dist = abs(tok.i - cand.anchor.i)
            if best is None or dist < best[0]:
                best = (dist, place)
    return best[1] if best else None
