"""Reprocess: rebuild every derived dataset from the stored articles, without re-reading inputs."""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow.parquet as pq

from newsevents import EXTRACTOR_VERSION
from newsevents.tasks.config import Config
from newsevents.tasks.stages.commit import stage_history
from newsevents.tasks.stages.dedup import write_shards
from newsevents.tasks.stages.extract import EXTRACTED, ExtractOutput
from newsevents.tasks.stages.summary import RunSummary, failed_warning, worker_seconds
from newsevents.tasks.store.actors import merge_actor_tables
from newsevents.tasks.store.build import build_key, build_path, write_build_temp
from newsevents.tasks.store.clusters import recompute_clusters
from newsevents.tasks.store.schema import DATASETS
from newsevents.tasks.store.writer import (
    Layout,
    commit,
    count_rows,
    dataset_files,
    read_dataset,
    stream_dataset,
    write_temp,
)


def reshard_stored(layout: Layout, cfg: Config) -> list[str]:
    """Extraction shards from the stored cleaned articles (canonical copies only), no input re-read."""
    stored = read_dataset(layout.root, "articles", columns=["article_id", "duplicate_of"])
    ids = stored.column("article_id").to_pylist()
    keep = {a for a, d in zip(ids, stored.column("duplicate_of").to_pylist(), strict=True) if d is None}
    files = [str(p) for p in dataset_files(layout.root, "articles")]
    return write_shards(files, keep, layout, cfg)


def commit_reprocess(
    extracts: list[ExtractOutput],
    layout: Layout,
    cfg: Config,
    stage_seconds: dict[str, float] | None = None,
) -> RunSummary:
    """Replace every derived dataset by this rebuild in one journaled commit (old parts deleted last)."""
    t0 = time.perf_counter()
    moves: dict[Path, Path] = {}
    deletes: list[Path] = []
    rows: dict[str, int] = {}
    for name in EXTRACTED:
        if name == "actors":
            continue
        paths = [e.paths[name] for e in extracts]
        final, tmp, n = stream_dataset(name, paths, layout, cfg.output.compression)
        rows[name] = n
        moves[final] = tmp
        deletes.extend(p for p in dataset_files(layout.root, name) if p != final)
    new_actors = [pq.read_table(e.paths["actors"]) for e in extracts]
    empty = DATASETS["actors"][0].empty_table()
    actors = merge_actor_tables(empty, new_actors, layout.run_id, EXTRACTOR_VERSION)
    rows["actors"] = actors.num_rows
    moves[layout.final("actors")] = write_temp(actors, layout.final("actors"), cfg.output.compression)
    clusters = recompute_clusters(
        layout.root,
        [e.paths["events"] for e in extracts],
        [],
        {},
        cfg.clusters.days,
        stored_events=False,
        run_id=layout.run_id,
        extractor_version=EXTRACTOR_VERSION,
    )
    rows["event_clusters"] = clusters.num_rows
    final = layout.final("event_clusters")
    moves[final] = write_temp(clusters, final, cfg.output.compression)
    moves[build_path(layout.root)] = write_build_temp(layout.root, build_key(cfg))
    summary = RunSummary(
        run_id=layout.run_id,
        n_extracted=sum(e.n_articles for e in extracts),
        rows=rows,
        worker_seconds=worker_seconds(extracts),
        n_words=sum(e.n_words for e in extracts),
        warnings=[failed_warning(n) for n in [sum(e.n_failed for e in extracts)] if n],
    )
    moves.update(stage_history(summary, "reprocess", layout, stage_seconds, t0))
    commit(layout, moves, deletes)
    summary.totals = {name: count_rows(layout.root, name) for name in DATASETS}
    return summary
