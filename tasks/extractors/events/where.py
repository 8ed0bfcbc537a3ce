"""The place of an event: a place its own clause names."""

from __future__ import annotations

from newsevents.tasks.extractors.events.arguments import is_verb
from newsevents.tasks.extractors.events.triggers import Candidate
from newsevents.tasks.extractors.events.view import ArticleView
from newsevents.tasks.records import Place

# Prepositions that place an event ("in Ramadi", "near the border").
PLACE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "into", "on", "from",
     "off", "along", "within", "towards", "toward", "over", "through", "between", "beyond", "by"}
)  # fmt: skip


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
