"""The stored actors table: batches and runs merged by actor_id, and the CLI's rankings of it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields

import pyarrow as pa

from newsevents.tasks.records import Actor, top_vote
from newsevents.tasks.store.schema import ACTORS, to_table


def merge_actors(existing: Iterable[Actor], new: Iterable[Actor]) -> list[Actor]:
    """Fold batches and runs into one row per actor_id.

    The stored name stays (ids and names must not flip between runs); aliases accumulate;
    mention counts add up; country and sector votes add up and the heaviest wins, so evidence a
    later run brings can correct an earlier value.
    """
    merged: dict[str, Actor] = {}
    for actor in (*existing, *new):
        have = merged.get(actor.actor_id)
        if have is None:
            merged[actor.actor_id] = have = Actor(
                actor.actor_id,
                actor.name,
                actor.actor_type,
                actor.country,
                actor.sector,
                sorted(set(actor.aliases)),
                actor.n_mentions,
                _votes(actor.country_votes, actor.country),
                _votes(actor.sector_votes, actor.sector),
            )
            continue
        have.aliases = sorted(set(have.aliases) | set(actor.aliases))
        have.n_mentions += actor.n_mentions
        have.country_votes = _add(have.country_votes, _votes(actor.country_votes, actor.country))
        have.sector_votes = _add(have.sector_votes, _votes(actor.sector_votes, actor.sector))
        have.country = top_vote(have.country_votes) or have.country
        have.sector = top_vote(have.sector_votes) or have.sector
    return [merged[k] for k in sorted(merged)]


def _votes(votes, value: str | None) -> dict[str, int]:
    """Votes as a dict (Arrow maps come back as lists of pairs); a row stored before votes
    were kept counts its value once."""
    out = dict(votes or {})
    if not out and value:
        out[value] = 1
    return out


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def most_mentioned(actors: Iterable[Actor], n: int) -> list[Actor]:
    """The `n` actors with the most mentions (ties by name, so the list is stable)."""
    return sorted(actors, key=lambda a: (-a.n_mentions, a.name))[:n]


def suspected_duplicates(actors: Sequence[Actor]) -> list[tuple[Actor, Actor]]:
    """Pairs that look like one entity under two ids: a shared alias (PERSON and ORG count as one
    kind: the NER swaps them), a lone surname that is another person's last name ("Blair" and
    "Tony Blair"), or an acronym of another's name ("FBI" and "Federal Bureau of Investigation").
    Unnamed groups are told apart by their key ("government" and "British government")."""
    named = [a for a in actors if a.actor_type != "GROUP"]
    forms = {a.actor_id: {x.casefold() for x in [a.name, *a.aliases]} for a in named}
    out = []
    for i, a in enumerate(named):
        for b in named[i + 1 :]:
            if _kind(a) != _kind(b):
                continue
            same = bool(forms[a.actor_id] & forms[b.actor_id])
            same = same or _surname_of(a, b) or _surname_of(b, a)
            same = same or _acronym_of(a, b) or _acronym_of(b, a)
            if same:
                out.append((a, b))
    return out


def _kind(a: Actor) -> str:
    return "NAME" if a.actor_type in ("PERSON", "ORG") else a.actor_type


def _surname_of(short: Actor, full: Actor) -> bool:
    if full.actor_type != "PERSON":
        return False  # "House" is no surname of the White House
    words = full.name.split()
    return " " not in short.name and len(words) > 1 and words[-1].casefold() == short.name.casefold()


def _acronym_of(short: Actor, full: Actor) -> bool:
    if not (short.name.isupper() and 2 <= len(short.name) <= 6):
        return False
    glue = ("of", "the", "and", "for", "&")
    words = [w for w in full.name.replace("-", " ").split() if w.lower() not in glue]
    return len(words) >= 2 and "".join(w[0] for w in words).upper() == short.name


def actors_from_table(table: pa.Table) -> list[Actor]:
    names = [f.name for f in fields(Actor)]
    have = [n for n in names if n in table.column_names]  # tables written before votes were kept
    rows = table.select(have).to_pylist()
    for row in rows:
        for n in ("country_votes", "sector_votes"):
            row[n] = dict(row.get(n) or [])
    return [Actor(**row) for row in rows]


def merge_actor_tables(existing: pa.Table, new: list[pa.Table], run_id: str, version: str) -> pa.Table:
    """The actors dataset after this run: stored actors merged with every batch's actors."""
    fresh = [a for t in new for a in actors_from_table(t)]
    merged = merge_actors(actors_from_table(existing), fresh)
    return to_table(merged, ACTORS, run_id=run_id, extractor_version=version)
