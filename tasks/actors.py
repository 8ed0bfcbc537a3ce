"""Actors: named-entity mentions -> canonical actors with stable ids.

The id is derived from the canonical key (type + folded name), never from run order, so the
same entity gets the same `actor_id` in every article, batch and run.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import fields

import pyarrow as pa
from spacy.tokens import Doc, Span

from tasks.schema import ACTORS, Actor, ActorMention, to_table

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_WS = re.compile(r"\s+")


def canonical_name(text: str) -> str:
    """Strip what varies between mentions of one name: possessive, leading 'the', spacing."""
    name = _WS.sub(" ", text).strip()
    name = _POSSESSIVE.sub("", name).strip()
    return _LEADING_THE.sub("", name).strip()


def actor_key(label: str, name: str) -> str:
    return f"{label}:{name.casefold()}"


def actor_id_for(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _trimmed(span: Span) -> tuple[int, int, str]:
    """Character offsets and text of the span without a trailing possessive."""
    start, end = span.start_char, span.end_char
    text = span.text
    m = _POSSESSIVE.search(text)
    if m and m.start() > 0:
        end -= len(m.group(0))
        text = text[: m.start()]
    return start, end, text


def extract_mentions(doc: Doc, article_id: str) -> Iterator[tuple[ActorMention, str]]:
    """Yield (mention, canonical name) for each PERSON/ORG/GPE/NORP entity in `doc`."""
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS:
            continue
        name = canonical_name(ent.text)
        if not name or not any(ch.isalpha() for ch in name):
            continue
        start, end, text = _trimmed(ent)
        aid = actor_id_for(actor_key(ent.label_, name))
        yield ActorMention(article_id, aid, text, start, end, ent.label_), name


def aggregate_actors(mentions: Iterable[tuple[ActorMention, str]]) -> list[Actor]:
    """One Actor per id with every surface form as an alias; the most frequent name is the name."""
    names: dict[str, Counter[str]] = {}
    aliases: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for mention, name in mentions:
        aid = mention.actor_id
        names.setdefault(aid, Counter())[name] += 1
        seen = aliases.setdefault(aid, [])
        if mention.text not in seen:
            seen.append(mention.text)
        labels[aid] = mention.label
        counts[aid] += 1
    return [
        Actor(
            actor_id=aid,
            name=names[aid].most_common(1)[0][0],
            actor_type=labels[aid],
            aliases=sorted(aliases[aid]),
            n_mentions=counts[aid],
        )
        for aid in sorted(names)
    ]


def merge_actors(existing: Iterable[Actor], new: Iterable[Actor]) -> list[Actor]:
    """Fold batches and runs into one row per actor_id.

    The stored name stays (ids and names must not flip between runs); aliases accumulate;
    country and sector keep the first known value; mention counts add up.
    """
    merged: dict[str, Actor] = {}
    for actor in (*existing, *new):
        have = merged.get(actor.actor_id)
        if have is None:
            merged[actor.actor_id] = Actor(
                actor.actor_id,
                actor.name,
                actor.actor_type,
                actor.country,
                actor.sector,
                sorted(set(actor.aliases)),
                actor.n_mentions,
            )
            continue
        have.aliases = sorted(set(have.aliases) | set(actor.aliases))
        have.country = have.country or actor.country
        have.sector = have.sector or actor.sector
        have.n_mentions += actor.n_mentions
    return [merged[k] for k in sorted(merged)]


def actors_from_table(table: pa.Table) -> list[Actor]:
    names = [f.name for f in fields(Actor)]
    return [Actor(**{n: row[n] for n in names}) for row in table.select(names).to_pylist()]


def merge_actor_tables(existing: pa.Table, new: list[pa.Table], run_id: str, version: str) -> pa.Table:
    """The actors dataset after this run: stored actors merged with every batch's actors."""
    fresh = [a for t in new for a in actors_from_table(t)]
    merged = merge_actors(actors_from_table(existing), fresh)
    return to_table(merged, ACTORS, run_id=run_id, extractor_version=version)
