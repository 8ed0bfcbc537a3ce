"""All extractors over one parsed Doc: the text is parsed once and every extractor reads that Doc."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from spacy.tokens import Doc

from tasks.actors import aggregate_actors, extract_mentions
from tasks.claims import extract_claims
from tasks.events import extract_events
from tasks.places import extract_places
from tasks.schema import Actor, ActorMention, Claim, Event, Place

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What extractors may know of an article besides its Doc (dates resolve against
    `published_at`; the byline names are not actors of the story)."""

    article_id: str
    published_at: datetime | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None


@dataclass(slots=True)
class Extraction:
    mentions: list[ActorMention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # (article_id, error) of articles an extractor failed on: they get no derived rows.
    failed: list[tuple[str, str]] = field(default_factory=list)


def extract_docs(pairs: Iterable[tuple[Doc, ArticleContext]]) -> Extraction:
    """Extract a stream of parsed articles; actors are aggregated once for the whole batch."""
    out = Extraction()
    named_all = []
    for doc, ctx in pairs:
        try:
            # Per-article actor mentions (with .label, .role, .metonym) for the extractors below.
            named = extract_mentions(doc, ctx.article_id, ctx.authors)
            mentions = [m for m, _ in named]
            places = list(extract_places(doc, ctx, mentions))
            events = list(extract_events(doc, ctx, mentions, places))
            claims = list(extract_claims(doc, ctx, mentions))
        except Exception as exc:  # one odd article must not sink its whole batch
            log.warning("extraction failed on article %s: %r", ctx.article_id, exc, exc_info=True)
            out.failed.append((ctx.article_id, f"{type(exc).__name__}: {exc}"[:500]))
            continue
        named_all.extend(named)
        out.mentions.extend(mentions)
        out.places.extend(places)
        out.events.extend(events)
        out.claims.extend(claims)
    out.actors = aggregate_actors(named_all)
    return out
