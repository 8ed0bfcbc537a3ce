"""The records stages and extractors exchange: plain dataclasses, one per dataset row, plus the
per-article context extractors read besides the parsed Doc.

Readers yield `Article`s and `Reject`s, extractors yield mentions, places, events and claims;
`tasks.store.schema` gives each dataset its explicit Arrow schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What extractors may know of an article besides its Doc (dates resolve against
    `published_at`; the byline names are not actors of the story)."""

    article_id: str
    published_at: datetime | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None


@dataclass(slots=True)
class Article:
    """One article as read and cleaned; `text` is what every offset downstream indexes."""

    article_id: str
    source_path: str
    text: str
    source_id: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    url: str | None = None
    language: str | None = None
    source_format: str | None = None
    content_hash: str | None = None
    duplicate_of: str | None = None
    dup_group: str | None = None
    # Characters the reader or cleaner repaired: invalid bytes of a mostly-UTF-8 file, lone surrogates.
    repaired_chars: int = 0


@dataclass(slots=True)
class Reject:
    """An input (or one record of it) that could not become an article, and why."""

    source_path: str
    reason: str
    detail: str
    record: int | None = None


@dataclass(slots=True)
class ActorMention:
    article_id: str
    actor_id: str
    text: str
    start: int
    end: int
    label: str
    role: str | None = None
    # A place name standing for its government ("Washington said"): an actor, not a location.
    metonym: bool = False


@dataclass(slots=True)
class Actor:
    """A canonical actor as seen in one batch; batches and runs are merged by `actor_id`."""

    actor_id: str
    name: str
    actor_type: str
    country: str | None = None
    sector: str | None = None
    aliases: list[str] = field(default_factory=list)
    n_mentions: int = 0
    # Weighted votes behind `country` and `sector` ({"USA": 7, "GBR": 1}): kept so that a later
    # run's evidence can outvote an earlier one instead of the first value being frozen.
    country_votes: dict[str, int] = field(default_factory=dict)
    sector_votes: dict[str, int] = field(default_factory=dict)


def top_vote(votes: dict[str, int]) -> str | None:
    """The value with the most weight (ties by value, so the choice is stable)."""
    return min(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0] if votes else None


@dataclass(slots=True)
class Place:
    article_id: str
    text: str
    start: int
    end: int
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None
    feature_class: str | None = None
    admin1: str | None = None
    # "name" (Ramadi) or "demonym" (Iraqi): a demonym places an actor, rarely an event.
    kind: str = "name"


@dataclass(slots=True)
class Event:
    event_id: str
    article_id: str
    event_type: str
    start: int
    end: int
    mode: str | None = None
    source_actor_id: str | None = None
    target_actor_id: str | None = None
    source_text: str | None = None
    target_text: str | None = None
    # Every participant's actor, when several are coordinated ("Trump and Sanders blamed China");
    # source_actor_id / target_actor_id name the first.
    source_actor_ids: list[str] = field(default_factory=list)
    target_actor_ids: list[str] = field(default_factory=list)
    event_date: date | None = None
    date_precision: str | None = None
    trigger: str | None = None
    # How the text presents it: negated, hypothetical, future (not facts), historical or
    # reported (facts); null when asserted plainly.
    aux_mode: str | None = None
    # Where `place_text` comes from: "clause" (the event's own clause or sentence) or "dateline"
    # (the story's dateline, for its lead); null when the text ties the event to no place.
    location_source: str | None = None
    place_text: str | None = None
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None
    # The article's focal place (its most mentioned resolved place): context, not the event's place.
    article_place: str | None = None
    article_geonameid: int | None = None


@dataclass(slots=True)
class EventCluster:
    """One real-world event as several articles report it (see tasks/event_clusters.py)."""

    cluster_id: str
    event_type: str
    n_events: int
    n_articles: int
    n_sources: int
    source_actor_id: str | None = None
    target_actor_id: str | None = None
    geonameid: int | None = None
    date_start: date | None = None
    date_end: date | None = None
    event_ids: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Claim:
    claim_id: str
    article_id: str
    content: str
    content_start: int
    content_end: int
    kind: str
    speaker: str | None = None
    speaker_actor_id: str | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    attribution: str | None = None
    # (start, end) of each piece of the content in text order; `content` is their text joined by
    # a space, `content_start`/`content_end` the first start and the last end.
    content_parts: list[tuple[int, int]] = field(default_factory=list)
