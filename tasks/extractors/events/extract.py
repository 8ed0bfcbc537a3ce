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
from collections.abc import Iterable

import numpy as np
from spacy.tokens import Doc

from newsevents.tasks.extractors.events.arguments import MAX_ARGS, SUBJ, Arg, is_verb, prep_objects
from newsevents.tasks.extractors.events.dates import (
    DAY,
    PUBLICATION,
)
from newsevents.tasks.extractors.events.lexicon import (
    COOPERATIVE,
    Lexicon,
    load_lexicon,
)
from newsevents.tasks.extractors.events.modality import aux_modes, negated, reported
from newsevents.tasks.extractors.events.speech import labelling_acts, speech_acts
from newsevents.tasks.extractors.events.syntax import is_noun
from newsevents.tasks.extractors.events.triggers import (
    CLAUSE,
    DATELINE,
    FUTURE,
    HISTORICAL,
    HYPOTHETICAL,
    NEGATED,
    REPORTED,
    SYMMETRIC,
    Candidate,
    Extractor,
)
from newsevents.tasks.extractors.events.view import ArticleView
from newsevents.tasks.extractors.events.when import clause_date, is_historical
from newsevents.tasks.extractors.events.where import VERBAL, clause_place, dateline, dateline_end
from newsevents.tasks.nlp.view import doc_view
from newsevents.tasks.records import ActorMention, ArticleContext, Claim, Event, Place

# ---------------------------------------------------------------- entry point


def extract_events(
    doc: Doc,
    ctx: ArticleContext,
    mentions: list[ActorMention],
    places: list[Place],
    *,
    lexicon: Lexicon | None = None,
    claims: Iterable[Claim] = (),
) -> list[Event]:
    """Events of one article.

    Args:
        doc: the article's parsed text (the same Doc every extractor reads).
        ctx: its `ArticleContext`; dates resolve against `published_at`.
        mentions: the article's actor mentions; an argument links to the mention at its head
            or modifiers, and stays text-only (null id) when none covers it.
        places: the article's resolved places; an event's place is one its own clause names.
        claims: the article's claims; statements that accuse, praise, deny or request are
            events of their own (`events.speech`), with the claim's speaker as source.

    Returns:
        Events in text order, at most one per trigger, type and argument pair.
    """
    lex = lexicon or load_lexicon()
    claims = list(claims)
    art = ArticleView(doc, ctx, mentions, places, lex, claims)
    art.dateline = dateline(art)
    art.dateline_end = dateline_end(art) if art.dateline is not None else -1
    ex = Extractor(art)
    cands: list[Candidate] = []
    if not len(doc):
        return []
    lowers = doc_view(doc).lower
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

    framed: list[Candidate] = []
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
    if lex.speech is not None:
        have = {(c.anchor.i, c.event_type) for c in framed}
        for act in speech_acts(art, claims, lex.speech):
            if (act.anchor.i, act.event_type) in have:
                continue
            have.add((act.anchor.i, act.event_type))
            cand = Candidate(
                act.event_type, act.mode, act.tokens, act.anchor, targets=act.targets, head_token=act.anchor
            )
            cand.source_args = [act.speaker] if act.speaker is not None else []
            cand.speech = True
            framed.append(cand)
        for etype, verb, subject, target in labelling_acts(art, lex.speech):
            if (verb.i, etype) in have:
                continue
            have.add((verb.i, etype))
            mode = "disapprove" if etype == "ACCUSE" else None
            framed.append(Candidate(etype, mode, [verb], verb, [subject], [target], head_token=verb))

    events: list[Event] = []
    seen: set[tuple] = set()
    for cand in framed:
        if negated(cand, lex.frames):
            cand.aux.add(NEGATED)
            if _refused(cand):
                # "would not provide support to Israel": the help did not happen (a negated AID)
                # and the refusal did (a REJECT), as PLOVER codes it
                refusal = Candidate("REJECT", None, cand.tokens, cand.anchor, cand.sources, cand.targets)
                refusal.head_token, refusal.source_args = cand.head_token, cand.source_args
                for row in _emit(refusal, art, lex, seen):
                    if row.aux_mode == FUTURE:  # "would not" refuses now; it plans nothing
                        row.aux_mode = REPORTED if reported(cand.anchor, lex) else None
                    events.append(row)
        events.extend(_emit(cand, art, lex, seen))
    events.sort(key=lambda e: (e.start, e.event_type))
    return events


# Auxiliaries of will: "would not / will not / won't help" refuses; "did not help" reports.
VOLITION = frozenset({"would", "will", "wo", "'ll", "’ll", "shall"})


def _refused(cand: Candidate) -> bool:
    """A cooperative act someone will not do."""
    if cand.event_type not in COOPERATIVE or cand.speech:
        return False
    verb = cand.frame if cand.replaced and cand.frame is not None else cand.anchor
    return any(c.dep_ == "aux" and c.lower_ in VOLITION for c in verb.children) and any(
        c.dep_ == "neg" for c in verb.children
    )


def _merge_duplicates(cands: list[Candidate], art: ArticleView) -> list[Candidate]:
    """One event where a verb and its event noun say the same thing ("the attack killed five",
    "killed in an air strike by government forces"): the noun keeps the actors it names. A noun
    inside a verb idiom ("went on strike") is the idiom's."""
    in_idiom = {t.i for c in cands if c.noun is None for t in c.tokens[1:]}
    cands = [c for c in cands if c.noun is None or c.noun.i not in in_idiom]
    explicit = {(art.sent_id(c.anchor), c.event_type) for c in cands if not c.implied}
    # "Georgian demonstrators received weapons": people who do something else that is coded, or
    # are met or helped, are that event's participants, not evidence of a protest (dispersing or
    # arresting demonstrators is).
    acting = {s.i for c in cands if not c.implied for s in c.sources}
    acting |= {t.i for c in cands if not c.implied and c.event_type in COOPERATIVE for t in c.targets}
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


def _emit(cand: Candidate, art: ArticleView, lex: Lexicon, seen: set[tuple]) -> list[Event]:
    """One row per event mention: coordinated actors ("Trump and Sanders blamed China") are one
    event with several participants (listed in source_actor_ids / target_actor_ids), not
    several events an analyst would count twice."""
    if cand.source_args is not None:
        sources = list(cand.source_args)
    else:
        sources = [a for s in cand.sources for a in art.arguments(s)]
    targets = [a for t in cand.targets for a in art.arguments(t)]
    if art.dateline_end > 0:
        # "GAZA CITY, Palestinian Territories: Four children were killed": the dateline is where
        # the story was filed, never who acted or suffered
        end = art.dateline_end
        sources = [a for a in sources if not 0 <= a.start < end]
        targets = [a for a in targets if not 0 <= a.start < end]
        if cand.speech and cand.event_type in ("ACCUSE", "SUPPORT") and cand.targets and not targets:
            return []  # the words judged only the dateline's place: they accuse no one
    if cand.event_type in VERBAL:
        # the target of a request, a rejection or praise is an actor, never the thing asked for
        # or rejected ("asked for a sentence of three years", "rejected a plea by Lord Falconer")
        targets = [x for a in targets if (x := art.actor_in(a)) is not None]
    if cand.noun is not None and cand.mode == "disapprove" and not sources and not targets:
        return []  # "the attack prompted widespread outrage": disapproval of no one by no one
    source_ids = {a.head.i for a in sources}
    targets = [a for a in targets if a.head.i not in source_ids]
    if cand.event_type in SYMMETRIC and len(sources) > 1 and not targets:
        # "Israel and India held talks": the first named party meets the others.
        sources, targets = sources[:1], sources[1:]
    sources, targets = sources[:MAX_ARGS], targets[:MAX_ARGS]

    modes = aux_modes(cand, lex)
    future = bool(modes & {FUTURE, HYPOTHETICAL})
    resolved = clause_date(cand, art, future)
    if resolved is not None:
        event_date, precision = resolved.value, resolved.precision
        if is_historical(resolved, art.published, lex.settings.historical_days):
            modes.add(HISTORICAL)
        elif art.published is not None and resolved.value > art.published and precision == DAY:
            modes.add(FUTURE)
    elif art.published is not None:
        event_date, precision = art.published, PUBLICATION
    else:
        event_date, precision = None, None
    aux = next((m for m in (NEGATED, HYPOTHETICAL, FUTURE, HISTORICAL, REPORTED) if m in modes), None)

    # the source's own noun phrase ("Iraq's adviser"), not the clauses hanging on it
    exclude = {i for s in cand.sources for i in range(s.left_edge.i, s.i + 1)}
    place = clause_place(cand, art, exclude)
    source_of_place = CLAUSE if place is not None else None
    if place is None and art.dateline is not None and min(t.idx for t in cand.tokens) < art.dateline[0]:
        place, source_of_place = art.dateline[1], DATELINE  # the lead sentence of a datelined story
    tokens = _trigger_tokens(cand)
    start = min(t.idx for t in tokens)
    last = max(tokens, key=lambda t: t.idx + len(t))
    end = last.idx + len(last)
    source, target = _lead(sources), _lead(targets)
    key = (start, end, cand.event_type)
    if key in seen:
        return []
    seen.add(key)
    eid = hashlib.sha1(f"{art.ctx.article_id}|{'|'.join(map(str, key))}".encode()).hexdigest()[:16]
    return [
        Event(
            event_id=eid,
            article_id=art.ctx.article_id,
            event_type=cand.event_type,
            start=start,
            end=end,
            mode=cand.mode,
            source_actor_id=source.actor_id if source else None,
            target_actor_id=target.actor_id if target else None,
            source_text=_phrase(sources, art),
            target_text=_phrase(targets, art),
            source_actor_ids=_ids(sources),
            target_actor_ids=_ids(targets),
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
            article_place=art.focal.text if art.focal else None,
            article_geonameid=art.focal.geonameid if art.focal else None,
        )
    ]


# A trigger is the shortest phrase that says the event: words of its frame further than this from
# the event's own word ("landed himself in hot water ... given Trump's plan") are left out.
MAX_TRIGGER_REACH = 5


def _trigger_tokens(cand: Candidate) -> list:
    core = max(cand.tokens, key=lambda t: t.i)  # the event word closes its frame's phrase
    return [t for t in cand.tokens if core.i - t.i <= MAX_TRIGGER_REACH]


def _lead(args: list[Arg]) -> Arg | None:
    """The participant the single-actor columns name: the first one linked to an actor."""
    return next((a for a in args if a.actor_id), args[0] if args else None)


def _ids(args: list[Arg]) -> list[str]:
    return list(dict.fromkeys(a.actor_id for a in args if a.actor_id))


def _phrase(args: list[Arg], art: ArticleView) -> str | None:
    """The participants as written: one phrase, or the stretch that coordinates them ("Trump and
    Sanders") when they stand close together, else the first one's phrase."""
    if not args:
        return None
    lo, hi = min(a.start for a in args), max(a.end for a in args)
    if len(args) > 1 and hi - lo <= 120 and all(a.start >= 0 for a in args):
        text = art.slice(lo, hi)
        if text and "\n" not in text:
            return text
    return args[0].text
