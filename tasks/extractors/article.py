"""All extractors over one parsed Doc: the text is parsed once and every extractor reads that Doc.

The lexicons are loaded once per process from the configured paths (`Lexicons`) and handed to
each extractor, so `--config` can replace any of them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spacy.tokens import Doc

from newsevents.tasks.config import LexiconsConfig, default_lexicons
from newsevents.tasks.extractors.actors import aggregate_actors, extract_mentions
from newsevents.tasks.extractors.actors.identity import FullName, apply_short_forms, short_form_map
from newsevents.tasks.extractors.actors.lexicon import ActorLexicon
from newsevents.tasks.extractors.actors.lexicon import load_lexicon as load_actor_lexicon
from newsevents.tasks.extractors.claims import extract_claims
from newsevents.tasks.extractors.claims.rules import ClaimRules, load_rules
from newsevents.tasks.extractors.events import extract_events
from newsevents.tasks.extractors.events.lexicon import Lexicon as EventLexicon
from newsevents.tasks.extractors.events.lexicon import load_lexicon as load_event_lexicon
from newsevents.tasks.extractors.places import extract_places
from newsevents.tasks.extractors.places.lexicon import PlacesConfig, load_places_config
from newsevents.tasks.records import Actor, ActorMention, ArticleContext, Claim, Event, Place

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Lexicons:
    """Every extractor's word lists, as loaded from the paths of `[lexicons]`."""

    actors: ActorLexicon
    places: PlacesConfig
    events: EventLexicon
    claims: ClaimRules


@functools.lru_cache(maxsize=4)
def load_lexicons(paths: LexiconsConfig) -> Lexicons:
    return Lexicons(
        actors=load_actor_lexicon(paths.actors),
        places=load_places_config(paths.places),
        events=load_event_lexicon(paths.events),
        claims=load_rules(paths.claims),
    )


@dataclass(slots=True)
class Extraction:
    mentions: list[ActorMention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # (article_id, error) of articles an extractor failed on: they get no derived rows.
    failed: list[tuple[str, str]] = field(default_factory=list)

    def rekey(self, ids: Mapping[str, str]) -> None:
        """Point every event and claim at the actors' new ids (short forms joined to full names)."""
        for e in self.events:
            e.source_actor_id = ids.get(e.source_actor_id, e.source_actor_id)
            e.target_actor_id = ids.get(e.target_actor_id, e.target_actor_id)
            e.source_actor_ids = list(dict.fromkeys(ids.get(a, a) for a in e.source_actor_ids))
            e.target_actor_ids = list(dict.fromkeys(ids.get(a, a) for a in e.target_actor_ids))
        for c in self.claims:
            c.speaker_actor_id = ids.get(c.speaker_actor_id, c.speaker_actor_id)


def extract_docs(
    pairs: Iterable[tuple[Doc, ArticleContext]],
    lexicons: Lexicons | None = None,
    prior: Mapping[str, list[FullName]] | None = None,
) -> Extraction:
    """Extract a stream of parsed articles; actors are aggregated once for the whole batch, after
    surnames standing alone join the full name they stand for in the batch and in `prior` (the
    stored actors' full names by surname, `identity.surname_prior`)."""
    lex = lexicons or load_lexicons(default_lexicons())
    out = Extraction()
    named_all = []
    for doc, ctx in pairs:
        try:
            # Per-article actor mentions (with .label, .role, .metonym) for the extractors below.
            named = extract_mentions(doc, ctx.article_id, ctx.authors, lex.actors)
            mentions = [m for m, _ in named]
            places = list(extract_places(doc, ctx, mentions, lex.places))
            claims = list(extract_claims(doc, ctx, mentions, rules=lex.claims))
            events = list(extract_events(doc, ctx, mentions, places, lexicon=lex.events, claims=claims))
        except Exception as exc:  # one odd article must not sink its whole batch
            log.warning("extraction failed on article %s: %r", ctx.article_id, exc, exc_info=True)
            out.failed.append((ctx.article_id, f"{type(exc).__name__}: {exc}"[:500]))
            continue
        named_all.extend(named)
        out.mentions.extend(mentions)
        out.places.extend(places)
        out.events.extend(events)
        out.claims.extend(claims)
    mapping = short_form_map(named_all, prior or {})
    if mapping:
        named_all = apply_short_forms(named_all, mapping)
        out.rekey({old: new.actor_id for old, new in mapping.items()})
    out.mentions = [m for m, _ in named_all]
    out.actors = aggregate_actors(named_all)
    return out
