"""Duplicate detection: which articles are copies of which, in this run and against earlier runs.

Only the canonical copy of each group goes to extraction, so an event reported by ten copies of
one wire story is counted once; every copy stays in `articles` with `duplicate_of` set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DedupItem:
    """What dedup needs to know of an article (never its text)."""

    article_id: str
    content_hash: str
    source_path: str
    n_chars: int
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """`drop`: the same article (same id) was already stored, so it is not written again."""

    article_id: str
    duplicate_of: str | None = None
    dup_group: str | None = None
    drop: bool = False


def canonical_order(item: DedupItem) -> tuple:
    """Earliest publication first (undated last), then the longest body, then the smallest path."""
    undated = item.published_at is None
    ts = item.published_at.timestamp() if item.published_at is not None else 0.0
    return (undated, ts, -item.n_chars, item.source_path, item.article_id)


def exact_duplicates(
    items: Iterable[DedupItem],
    known_ids: set[str],
    known_canonical: dict[str, str],
) -> dict[str, Decision]:
    """Group new articles by content hash against what earlier runs stored.

    `known_ids` are article ids already in the `articles` dataset (re-ingested: dropped);
    `known_canonical` maps a content hash to the stored canonical article of that content,
    which stays canonical: rows already written are never rewritten.
    """
    decisions: dict[str, Decision] = {}
    groups: dict[str, list[DedupItem]] = {}
    for item in items:
        if item.article_id in decisions:
            continue  # the same record twice in one run: the store writes it once
        if item.article_id in known_ids:
            decisions[item.article_id] = Decision(item.article_id, drop=True)
            continue
        decisions[item.article_id] = Decision(item.article_id)
        groups.setdefault(item.content_hash, []).append(item)
    for chash, members in groups.items():
        stored = known_canonical.get(chash)
        if stored is not None:
            for m in members:
                decisions[m.article_id] = Decision(m.article_id, duplicate_of=stored, dup_group=stored)
            continue
        if len(members) == 1:
            continue
        members.sort(key=canonical_order)
        head = members[0].article_id
        decisions[head] = Decision(head, duplicate_of=None, dup_group=head)
        for m in members[1:]:
            decisions[m.article_id] = Decision(m.article_id, duplicate_of=head, dup_group=head)
    return decisions
