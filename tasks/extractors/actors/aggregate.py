"""One actor row per id over a batch of articles' mentions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from newsevents.tasks.extractors.actors.article import ActorEvidence, canonical_name
from newsevents.tasks.records import Actor, ActorMention, top_vote

# ---------------------------------------------------------------- actors across articles and runs


def aggregate_actors(mentions: Iterable[tuple[ActorMention, ActorEvidence]]) -> list[Actor]:
    """One Actor per id: the most frequent name and type its mentions give, the country and
    sector with the most weighted evidence, and every surface form as an alias."""
    names: dict[str, Counter[str]] = {}
    types: dict[str, Counter[str]] = {}
    countries: dict[str, Counter[str]] = {}
    sectors: dict[str, Counter[str]] = {}
    aliases: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for mention, ev in mentions:
        aid = mention.actor_id
        names.setdefault(aid, Counter())[ev.name] += 1
        types.setdefault(aid, Counter())[ev.actor_type] += 1
        if ev.country:
            countries.setdefault(aid, Counter())[ev.country] += ev.country_weight
        if ev.sector:
            sectors.setdefault(aid, Counter())[ev.sector] += 1
        seen = aliases.setdefault(aid, set())
        if ev.alias:
            seen.add(ev.alias_text or canonical_name(mention.text) or mention.text)
        counts[aid] += 1

    def top(table: dict[str, Counter[str]], aid: str) -> str | None:
        return top_vote(table.get(aid) or {})

    return [
        Actor(
            actor_id=aid,
            name=top(names, aid) or "",
            actor_type=top(types, aid) or "",
            country=top(countries, aid),
            sector=top(sectors, aid),
            aliases=sorted(aliases[aid]),
            n_mentions=counts[aid],
            country_votes=dict(countries.get(aid) or {}),
            sector_votes=dict(sectors.get(aid) or {}),
        )
        for aid in sorted(names)
    ]
