"""One actor per person across articles: a surname alone joins the full name it stands for.

Within an article "Clinton" after "Hillary Clinton" is already her (`linking.link_people`). An
article that only says "Clinton", or "Trump" (which the NER often calls an organisation), gets a
short-form actor of its own; across the corpus that short form joins the full-name person it
most often stands for: the one whose surname it is, with clearly more mentions than any other
person of that surname in this batch and in the stored actors (so "Bush" stays apart while
George W. and Jeb Bush are both common). The article's own evidence wins: a short form linked to
another person in its article never reaches this step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from newsevents.tasks.extractors.actors.article import ActorEvidence
from newsevents.tasks.records import Actor, ActorMention

# The full name must have this many mentions, and this many times the runner-up's.
MIN_MENTIONS, DOMINANCE = 3, 2.0


@dataclass(frozen=True, slots=True)
class FullName:
    actor_id: str
    name: str
    n_mentions: int


def surname(name: str) -> str | None:
    """The last word of a multi-word person name, casefolded ("Hillary Rodham Clinton" -> "clinton")."""
    words = name.split()
    return words[-1].casefold().strip(".,") if len(words) > 1 else None


def surname_prior(actors: Iterable[Actor]) -> dict[str, list[FullName]]:
    """Stored full-name people by surname: what earlier runs know of who a surname stands for."""
    out: dict[str, list[FullName]] = {}
    for a in actors:
        if a.actor_type == "PERSON" and (s := surname(a.name)):
            out.setdefault(s, []).append(FullName(a.actor_id, a.name, a.n_mentions))
    return out


def short_form_map(
    named: Iterable[tuple[ActorMention, ActorEvidence]], prior: Mapping[str, list[FullName]] = {}
) -> dict[str, FullName]:
    """Short-form actor id -> the full-name person it stands for in this batch and the store."""
    named = list(named)
    counts: Counter[str] = Counter()
    full: dict[str, dict[str, FullName]] = {}
    for m, ev in named:
        if ev.actor_type == "PERSON" and (s := surname(ev.name)):
            counts[m.actor_id] += 1
            full.setdefault(s, {})[m.actor_id] = FullName(m.actor_id, ev.name, 0)
    for s, people in prior.items():
        for p in people:
            counts[p.actor_id] += p.n_mentions
            full.setdefault(s, {}).setdefault(p.actor_id, p)
    out: dict[str, FullName] = {}
    for m, ev in named:
        if ev.actor_type not in ("PERSON", "ORG") or " " in ev.name or not ev.name[:1].isupper():
            continue
        if ev.actor_type == "ORG" and ev.sector:
            continue  # "Ford Motor", "the Rubio campaign": an organisation by its own words
        if m.actor_id in out or m.actor_id in counts:
            continue
        people = sorted(full.get(ev.name.casefold(), {}).values(), key=lambda p: -counts[p.actor_id])
        if not people:
            continue
        best = counts[people[0].actor_id]
        runner_up = counts[people[1].actor_id] if len(people) > 1 else 0
        if best >= MIN_MENTIONS and best >= DOMINANCE * runner_up:
            p = people[0]
            out[m.actor_id] = FullName(p.actor_id, p.name, best)
    return out


def apply_short_forms(
    named: list[tuple[ActorMention, ActorEvidence]], mapping: Mapping[str, FullName]
) -> list[tuple[ActorMention, ActorEvidence]]:
    """The mentions with short forms re-keyed to their full-name person (text and offsets kept)."""
    from dataclasses import replace

    out = []
    for m, ev in named:
        target = mapping.get(m.actor_id)
        if target is not None:
            m = replace(m, actor_id=target.actor_id, label="PERSON")
            ev = replace(ev, name=target.name, actor_type="PERSON")
        out.append((m, ev))
    return out
