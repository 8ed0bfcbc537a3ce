"""The explicit Arrow schema of every dataset, and records -> tables.

Stages exchange the dataclasses of `tasks.records`; the store writes them with these schemas, so
an empty run and a full one produce the same columns and types (readers never guess a null type).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pyarrow as pa

from newsevents.tasks.records import Actor, ActorMention, Article, Claim, Event, EventCluster, Place, Reject

# Columns the store stamps on every row it writes, so each row says which run and code made it.
PROVENANCE = [
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("extractor_version", pa.string(), nullable=False),
]

_TS = pa.timestamp("us", tz="UTC")
# Offsets of one piece of a text, as a struct so a list of pieces cannot fall out of step.
SPAN = pa.struct([pa.field("start", pa.int64(), nullable=False), pa.field("end", pa.int64(), nullable=False)])


ARTICLES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_id", pa.string()),
        pa.field("title", pa.string()),
        pa.field("published_at", _TS),
        pa.field("authors", pa.list_(pa.string()), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("publisher", pa.string()),
        pa.field("url", pa.string()),
        pa.field("language", pa.string()),
        pa.field("source_format", pa.string()),
        pa.field("content_hash", pa.string()),
        pa.field("duplicate_of", pa.string()),
        pa.field("dup_group", pa.string()),
        # Nullable: parts written before the column existed read it as null.
        pa.field("repaired_chars", pa.int64()),
        *PROVENANCE,
    ]
)

REJECTS = pa.schema(
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
        pa.field("record", pa.int64()),
        *PROVENANCE,
    ]
)

ACTORS = pa.schema(
    [
        pa.field("actor_id", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("actor_type", pa.string(), nullable=False),
        pa.field("country", pa.string()),
        pa.field("sector", pa.string()),
        pa.field("aliases", pa.list_(pa.string()), nullable=False),
        pa.field("n_mentions", pa.int64(), nullable=False),
        pa.field("country_votes", pa.map_(pa.string(), pa.int64()), nullable=False),
        pa.field("sector_votes", pa.map_(pa.string(), pa.int64()), nullable=False),
        *PROVENANCE,
    ]
)

ACTOR_MENTIONS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("actor_id", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("role", pa.string()),
        pa.field("metonym", pa.bool_(), nullable=False),
        *PROVENANCE,
    ]
)

PLACES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("geonameid", pa.int64()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        pa.field("country", pa.string()),
        pa.field("feature_class", pa.string()),
        pa.field("admin1", pa.string()),
        pa.field("kind", pa.string(), nullable=False),
        *PROVENANCE,
    ]
)

EVENTS = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("event_type", pa.string(), nullable=False),
        pa.field("mode", pa.string()),
        pa.field("source_actor_id", pa.string()),
        pa.field("target_actor_id", pa.string()),
        pa.field("source_text", pa.string()),
        pa.field("target_text", pa.string()),
        pa.field("source_actor_ids", pa.list_(pa.string()), nullable=False),
        pa.field("target_actor_ids", pa.list_(pa.string()), nullable=False),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("event_date", pa.date32()),
        pa.field("date_precision", pa.string()),
        pa.field("trigger", pa.string()),
        pa.field("aux_mode", pa.string()),
        pa.field("location_source", pa.string()),
        pa.field("place_text", pa.string()),
        pa.field("geonameid", pa.int64()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        pa.field("country", pa.string()),
        pa.field("article_place", pa.string()),
        pa.field("article_geonameid", pa.int64()),
        *PROVENANCE,
    ]
)

EVENT_CLUSTERS = pa.schema(
    [
        pa.field("cluster_id", pa.string(), nullable=False),
        pa.field("event_type", pa.string(), nullable=False),
        pa.field("source_actor_id", pa.string()),
        pa.field("target_actor_id", pa.string()),
        pa.field("geonameid", pa.int64()),
        pa.field("date_start", pa.date32()),
        pa.field("date_end", pa.date32()),
        pa.field("n_events", pa.int64(), nullable=False),
        pa.field("n_articles", pa.int64(), nullable=False),
        pa.field("n_sources", pa.int64(), nullable=False),
        pa.field("event_ids", pa.list_(pa.string()), nullable=False),
        pa.field("article_ids", pa.list_(pa.string()), nullable=False),
        *PROVENANCE,
    ]
)

CLAIMS = pa.schema(
    [
        pa.field("claim_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("speaker", pa.string()),
        pa.field("speaker_actor_id", pa.string()),
        pa.field("cue", pa.string()),
        pa.field("cue_start", pa.int64()),
        pa.field("cue_end", pa.int64()),
        pa.field("content", pa.string(), nullable=False),
        pa.field("content_start", pa.int64(), nullable=False),
        pa.field("content_end", pa.int64(), nullable=False),
        pa.field("content_parts", pa.list_(SPAN), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("attribution", pa.string()),
        *PROVENANCE,
    ]
)

# Dataset name -> (schema, record type). The order is the order the store commits them in.
DATASETS: dict[str, tuple[pa.Schema, type]] = {
    "articles": (ARTICLES, Article),
    "rejects": (REJECTS, Reject),
    "actor_mentions": (ACTOR_MENTIONS, ActorMention),
    "places": (PLACES, Place),
    "events": (EVENTS, Event),
    "claims": (CLAIMS, Claim),
    "actors": (ACTORS, Actor),
    "event_clusters": (EVENT_CLUSTERS, EventCluster),
}


def to_table(records: list[Any], schema: pa.Schema, **constants: str) -> pa.Table:
    """Records (dataclasses) -> a table with exactly `schema`; `constants` fill provenance columns."""
    names = schema.names
    columns: dict[str, list[Any]] = {name: [] for name in names}
    own = [f.name for f in fields(records[0])] if records else []
    for rec in records:
        for name in own:
            if name in columns:
                columns[name].append(getattr(rec, name))
    n = len(records)
    for name, value in constants.items():
        if name in columns:
            columns[name] = [value] * n
    arrays = []
    for f in schema:
        values = columns[f.name] if len(columns[f.name]) == n else [None] * n
        if pa.types.is_map(f.type):
            values = [list(v.items()) if isinstance(v, dict) else v for v in values]
        arrays.append(pa.array(values, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)
