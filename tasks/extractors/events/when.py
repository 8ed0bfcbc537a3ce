"""The date of an event: the date expression its own clause governs, resolved against publication."""

from __future__ import annotations

from datetime import date, timedelta

from spacy.tokens import Span, Token

from newsevents.tasks.extractors.events.arguments import is_verb
from newsevents.tasks.extractors.events.dates import (
    MONTH,
    WEEK,
    YEAR,
    ResolvedDate,
    resolve_date,
)
from newsevents.tasks.extractors.events.triggers import Candidate
from newsevents.tasks.extractors.events.view import ArticleView


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


def clause_date(cand: Candidate, art: ArticleView, future: bool) -> ResolvedDate | None:
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
    # Up through control verbs only ("tried to storm the base on Monday"): the date of a reporting
    # verb ("said on Friday he met Trump earlier this week"), of a coordinated clause ("backed
    # Paul in 2012 and has supported Cruz") or of the sentence's other clauses is not this
    # event's date.
    node = cand.anchor
    for _ in range(5):
        if node not in levels:
            levels.append(node)
        if node.dep_ != "xcomp" or node.head.i == node.i:
            break
        node = node.head
    if cand.frame is not None and cand.frame not in levels and not cand.speech:
        levels.append(cand.frame)
    for lvl in levels:
        for e in ents:
            g = gov[id(e)]
            if g is not None and g.i == lvl.i:
                r = resolve_date(e.text, art.published, future=future)
                if r is not None and r.precision != WEEK:  # "last week": no day is clear
                    return r
    return None


def is_historical(d: ResolvedDate, published: date | None, days: int) -> bool:
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
