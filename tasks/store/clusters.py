"""Event clusters: the same event reported by several articles, counted once per article and
once per source (GDELT's NumArticles and NumSources, without counting copies twice).

Events cluster when they agree on type, source actor, target actor and place (GeoNames id)
and their dates chain within `[clusters] days` of each other (single linkage, so a story
reported on the 18th, 19th and 20th is one cluster). A null actor or place is a value like
any other: two unattributed ASSAULTs in Ramadi on the same day are taken as one event.

Why a table recomputed at commit rather than a cluster id on each event row: event rows are
append-only, and a later run can bridge two earlier clusters (an article dated between them)
or add articles to an old one; only a table rewritten whole each run (like `actors`) can stay
correct. Clusters are computed over every stored event plus the run's new ones.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq

from newsevents.tasks.records import EventCluster
from newsevents.tasks.store.schema import EVENT_CLUSTERS, to_table
from newsevents.tasks.store.writer import read_dataset

EVENT_COLUMNS = [
    "event_id", "article_id", "event_type", "source_actor_id", "target_actor_id", "geonameid", "event_date",
]  # fmt: skip
ARTICLE_COLUMNS = ["article_id", "publisher", "url", "duplicate_of"]


@dataclass(frozen=True, slots=True)
class EventRow:
    event_id: str
    article_id: str
    event_type: str
    source_actor_id: str | None
    target_actor_id: str | None
    geonameid: int | None
    event_date: date | None


@dataclass(frozen=True, slots=True)
class ArticleRow:
    article_id: str
    publisher: str | None = None
    url: str | None = None
    duplicate_of: str | None = None


@dataclass(slots=True)
class _Open:
    events: list[EventRow] = field(default_factory=list)
    last: date | None = None


def source_key(article: ArticleRow) -> str | None:
    """The outlet an article comes from: its publisher, else its URL's host (without www.)."""
    if article.publisher and article.publisher.strip():
        return article.publisher.strip().casefold()
    if article.url:
        host = urlsplit(article.url).hostname or ""
        host = host.removeprefix("www.")
        return host or None
    return None


def cluster_events(
    events: Iterable[EventRow], articles: dict[str, ArticleRow], window_days: int = 1
) -> list[EventCluster]:
    """Clusters of `events`; events of duplicate articles are left out of every count."""
    groups: dict[tuple, list[EventRow]] = defaultdict(list)
    for ev in events:
        art = articles.get(ev.article_id)
        if art is not None and art.duplicate_of is not None:
            continue
        key = (ev.event_type, ev.source_actor_id, ev.target_actor_id, ev.geonameid)
        groups[key].append(ev)
    out: list[EventCluster] = []
    for key, rows in groups.items():
        dated = sorted(
            (r for r in rows if r.event_date is not None), key=lambda r: (r.event_date, r.event_id)
        )
        chains: list[list[EventRow]] = []
        for r in dated:
            if chains and (r.event_date - chains[-1][-1].event_date).days <= window_days:
                chains[-1].append(r)
            else:
                chains.append([r])
        # An undated event (no date in the text, no publication date) cannot be matched in time.
        chains.extend(
            [r] for r in sorted((r for r in rows if r.event_date is None), key=lambda r: r.event_id)
        )
        for chain in chains:
            out.append(_cluster(key, chain, articles))
    out.sort(key=lambda c: (c.date_start or date.min, c.cluster_id))
    return out


def _cluster(key: tuple, chain: list[EventRow], articles: dict[str, ArticleRow]) -> EventCluster:
    etype, src, tgt, geo = key
    first = chain[0]
    cid = hashlib.sha1(f"{etype}|{src}|{tgt}|{geo}|{first.event_date}|{first.event_id}".encode()).hexdigest()[
        :16
    ]
    article_ids = sorted({r.article_id for r in chain})
    sources = {source_key(articles[a]) for a in article_ids if a in articles}
    sources.discard(None)
    dates = [r.event_date for r in chain if r.event_date is not None]
    return EventCluster(
        cluster_id=cid,
        event_type=etype,
        source_actor_id=src,
        target_actor_id=tgt,
        geonameid=geo,
        date_start=min(dates) if dates else None,
        date_end=max(dates) if dates else None,
        n_events=len(chain),
        n_articles=len(article_ids),
        n_sources=len(sources),
        event_ids=sorted(r.event_id for r in chain),
        article_ids=article_ids,
    )


def _rows(table: pa.Table, cls, columns: list[str]):
    data = table.select(columns).to_pylist()
    return [cls(**row) for row in data]


def recompute_clusters(
    root: Path,
    staged_events: list[str],
    staged_articles: list[str],
    duplicate_of: dict[str, str | None],
    window_days: int,
    *,
    stored_events: bool = True,
    **provenance: str,
) -> pa.Table:
    """The `event_clusters` table after a run: stored events and articles plus the run's staged
    ones (whose duplicate decisions are passed in, as the staged articles do not carry them yet).
    A reprocess replaces every event, so it passes `stored_events=False`."""
    stored = read_dataset(root, "events", columns=EVENT_COLUMNS)
    if not stored_events:
        stored = stored.schema.empty_table()
    new_events = [pq.read_table(p, columns=EVENT_COLUMNS) for p in staged_events if Path(p).exists()]
    events = pa.concat_tables([stored, *new_events]) if new_events else stored
    stored_articles = read_dataset(root, "articles", columns=ARTICLE_COLUMNS)
    articles = {a.article_id: a for a in _rows(stored_articles, ArticleRow, ARTICLE_COLUMNS)}
    for p in staged_articles:
        if not Path(p).exists():
            continue
        for row in pq.read_table(p, columns=["article_id", "publisher", "url"]).to_pylist():
            aid = row["article_id"]
            if aid not in articles:
                articles[aid] = ArticleRow(aid, row["publisher"], row["url"], duplicate_of.get(aid))
    clusters = cluster_events(_rows(events, EventRow, EVENT_COLUMNS), articles, window_days)
    return to_table(clusters, EVENT_CLUSTERS, **provenance)
