"""Dedup: exact and near duplicates of the run against the stored index, then extraction shards."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsevents.tasks.config import Config
from newsevents.tasks.dedup import index as dedup_index
from newsevents.tasks.dedup.near import (
    DedupItem,
    NearDupParams,
    decide_groups,
    index_meta,
    link_near_duplicates,
    plan_exact,
)
from newsevents.tasks.store.writer import (
    Layout,
    count_rows,
    read_dataset,
    stage_table,
)


@dataclass(slots=True)
class DedupOutput:
    decisions: str
    shards: list[str]
    n_duplicates: int
    n_already_stored: int
    n_to_extract: int
    # Index files of this run, {final path: temporary path}: renamed by the commit journal.
    state_moves: dict[str, str] = field(default_factory=dict)
    n_near_links: int = 0
    notes: list[str] = field(default_factory=list)


DECISIONS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("duplicate_of", pa.string()),
        pa.field("dup_group", pa.string()),
        pa.field("drop", pa.bool_(), nullable=False),
    ]
)

_DEDUP_COLUMNS = ["article_id", "content_hash", "source_path", "published_at", "text"]


def near_params(cfg: Config) -> NearDupParams:
    d = cfg.dedup
    return NearDupParams(d.threshold, d.shingle_size, d.num_perm, d.seed)


def _dedup_items(paths: list[str]) -> list[DedupItem]:
    items = []
    for path in paths:
        t = pq.read_table(path, columns=_DEDUP_COLUMNS)
        lengths = pc.utf8_length(t.column("text")).to_pylist()
        for aid, chash, sp, pub, n in zip(
            t.column("article_id").to_pylist(),
            t.column("content_hash").to_pylist(),
            t.column("source_path").to_pylist(),
            t.column("published_at").to_pylist(),
            lengths,
            strict=True,
        ):
            items.append(DedupItem(aid, chash, sp, n, pub))
    return items


def _stored_lookups(root: Path, items: list[DedupItem]) -> tuple[set[str], dict[str, str]]:
    """Which of `items` are already stored, and the stored group of each of their hashes.

    Only stored rows matching this run's ids or hashes become Python objects, so the cost per
    stored article is its Arrow columns, not a set entry.
    """
    stored = read_dataset(root, "articles", columns=["article_id", "content_hash", "dup_group"])
    if not stored.num_rows or not items:
        return set(), {}
    ids = stored.column("article_id")
    new_ids = pa.array({i.article_id for i in items}, pa.string())
    stored_ids = set(ids.filter(pc.is_in(ids, value_set=new_ids)).to_pylist())
    new_hashes = pa.array({i.content_hash for i in items if i.content_hash is not None}, pa.string())
    hits = stored.filter(pc.is_in(stored.column("content_hash"), value_set=new_hashes))
    group_of_hash: dict[str, str] = {}
    for aid, h, g in zip(
        hits.column("article_id").to_pylist(),
        hits.column("content_hash").to_pylist(),
        hits.column("dup_group").to_pylist(),
        strict=True,
    ):
        group_of_hash.setdefault(h, g if g is not None else aid)
    return stored_ids, group_of_hash


def _texts_to_sign(paths: list[str], rows: dict[str, int]):
    """(row, text) of the articles to sign, in row order (rows were numbered in this stream order)."""
    nxt = 0
    for path in paths:
        t = pq.read_table(path, columns=["article_id", "text"])
        for aid, text in zip(t.column("article_id").to_pylist(), t.column("text").to_pylist(), strict=True):
            if rows.get(aid) == nxt:
                yield nxt, text
                nxt += 1


def dedup_run(article_paths: list[str], layout: Layout, cfg: Config) -> DedupOutput:
    """Decide exact and near duplicates for the run against the stored index, then cut the
    canonical articles into extraction shards; the run's index part is committed with the run."""
    root, params = layout.root, near_params(cfg)
    items = _dedup_items(article_paths)
    stored_ids, group_of_hash = _stored_lookups(root, items)
    plan = plan_exact(items, stored_ids, group_of_hash)

    index = dedup_index.open_index(root, params, layout.run_id, count_rows(root, "articles"))
    writer = dedup_index.PartWriter(dedup_index.state_dir(root, params), layout.run_id, params.num_perm)
    try:
        dedup_index.sign_stream(_texts_to_sign(article_paths, plan.sign_rows), writer, params)
        uf, stats = link_near_duplicates(writer.flush(), index.parts, params)
        result = decide_groups(plan, uf, index.parts)
        heads = [plan.clusters[c].canonical() for c in plan.row_cluster]
        part_moves = writer.close(index_meta(heads, result.row_groups, writer.sizes()))
    except BaseException:
        writer.abort()
        raise
    # The manifest last: a state folder counts as built once its manifest is there.
    moves = {**index.moves, **part_moves, **index.manifest}

    decisions = result.decisions
    table = pa.Table.from_pylist(
        [
            {
                "article_id": d.article_id,
                "duplicate_of": d.duplicate_of,
                "dup_group": d.dup_group,
                "drop": d.drop,
            }
            for d in decisions.values()
        ],
        schema=DECISIONS,
    )
    decisions_path = stage_table(table, layout.staging / "decisions.parquet", cfg.output.compression)
    extract_ids = {d.article_id for d in decisions.values() if not d.drop and d.duplicate_of is None}
    shards = write_shards(article_paths, set(extract_ids), layout, cfg)
    return DedupOutput(
        decisions=str(decisions_path),
        shards=shards,
        n_duplicates=sum(1 for d in decisions.values() if d.duplicate_of and not d.drop),
        n_already_stored=sum(1 for d in decisions.values() if d.drop),
        n_to_extract=len(extract_ids),
        state_moves={str(f): str(t) for f, t in moves.items()},
        n_near_links=stats.merged,
        notes=index.notes,
    )


SHARD_COLUMNS = ["article_id", "text", "published_at", "authors", "publisher", "language", "source_path"]


def shard_size(n_articles: int, per_batch: int, workers: int) -> int:
    """Rows per shard: at most `per_batch`, and shards that come out as a multiple of the workers
    with equal sizes, so no worker parses a whole extra shard while the others idle (2,068
    articles at 400 a shard left one of two workers 332 articles short: 11% of the stage's wall)."""
    if n_articles <= 0:
        return per_batch
    n_shards = -(-n_articles // per_batch)
    n_shards = -(-n_shards // workers) * workers
    return max(1, -(-n_articles // n_shards))


def shard_rows(shards: list[str]) -> int:
    """Articles in the shards (from their footers): the extract stage's progress total."""
    return sum(pq.ParquetFile(s).metadata.num_rows for s in shards)


def write_shards(article_paths: list[str], keep: set[str], layout: Layout, cfg: Config) -> list[str]:
    """Stream kept articles into equal files of at most `articles_per_batch` rows: one extraction
    task each."""
    size = shard_size(len(keep), cfg.pipeline.articles_per_batch, cfg.pipeline.max_workers)
    shards: list[str] = []
    pending: list[pa.Table] = []
    n_pending = 0

    def flush() -> None:
        nonlocal pending, n_pending
        if not n_pending:
            return
        path = layout.staging / "shards" / f"shard-{len(shards) + 1:05d}.parquet"
        stage_table(pa.concat_tables(pending), path, cfg.output.compression)
        shards.append(str(path))
        pending, n_pending = [], 0

    for path in article_paths:
        t = pq.read_table(path, columns=SHARD_COLUMNS)
        take_rows = []
        for i, aid in enumerate(t.column("article_id").to_pylist()):
            if aid in keep:
                take_rows.append(i)
                keep.discard(aid)  # an id repeated within the run is extracted once
        t = t.take(pa.array(take_rows, pa.int64()))
        offset = 0
        while offset < t.num_rows:
            take = min(size - n_pending, t.num_rows - offset)
            pending.append(t.slice(offset, take))
            n_pending += take
            offset += take
            if n_pending >= size:
                flush()
    flush()
    return shards
