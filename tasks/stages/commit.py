"""Commit: each dataset's part file for the run, written and renamed into place together, ledger last.

`commit_run` only sequences the steps below; each step returns the renames it needs, and the
store's journal (`store.writer.commit`) applies them all or none.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import asdict
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsevents import EXTRACTOR_VERSION
from newsevents.tasks.config import Config
from newsevents.tasks.dedup import index as dedup_index
from newsevents.tasks.stages.dedup import DedupOutput, near_params
from newsevents.tasks.stages.extract import EXTRACTED, ExtractOutput
from newsevents.tasks.stages.plan import Plan
from newsevents.tasks.stages.read import ReadOutput
from newsevents.tasks.stages.summary import RunSummary, failed_warning, worker_seconds
from newsevents.tasks.store.actors import merge_actor_tables
from newsevents.tasks.store.build import build_key, build_path, read_build, write_build_temp
from newsevents.tasks.store.clusters import recompute_clusters
from newsevents.tasks.store.history import history_record, write_history_temp
from newsevents.tasks.store.schema import DATASETS
from newsevents.tasks.store.writer import (
    LEDGER,
    REWRITTEN,
    Layout,
    commit,
    count_rows,
    dataset_files,
    read_dataset,
    stream_dataset,
    write_temp,
)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# article_id -> (duplicate_of, dup_group, drop: already stored)
Decisions = dict[str, tuple[str | None, str | None, bool]]
Moves = dict[Path, Path]


def commit_run(
    reads: list[ReadOutput],
    dedup: DedupOutput | None,
    extracts: list[ExtractOutput],
    layout: Layout,
    cfg: Config,
    plan: Plan,
    stage_seconds: dict[str, float] | None = None,
) -> RunSummary:
    """Write each dataset's part file for this run and commit them together, ledger last.

    The run's summary goes into the same commit (`_state/history/`), with `stage_seconds` (the
    stages before this one) and this stage's time up to the journal.
    """
    t0 = time.perf_counter()
    decisions = read_decisions(dedup)
    staged = staged_paths(reads, extracts)
    moves, rows = stage_appended(staged, decisions, layout, cfg)
    moves.update(stage_actors(staged["actors"], layout, cfg))
    warnings = [*plan.warnings, *check_build(layout, cfg, any(e.n_articles for e in extracts), moves)]
    if rows["events"] or not dataset_files(layout.root, "event_clusters"):  # no new events: unchanged
        moves.update(stage_clusters(staged, decisions, layout, cfg))
    if dedup is not None:
        moves.update({Path(f): Path(t) for f, t in dedup.state_moves.items()})
        warnings.extend(dedup.notes)
    summary = summarise(reads, dedup, extracts, layout, plan, dict(rows), {}, warnings)
    moves.update(stage_history(summary, "run", layout, stage_seconds, t0))
    moves.update(stage_ledger(reads, layout, cfg))

    # The rebuilt tables report their net growth, not their size (a rerun adds no actor).
    before = {name: count_rows(layout.root, name) for name in REWRITTEN}
    commit(layout, moves)
    dedup_index.prune_stale(layout.root, near_params(cfg))
    dedup_index.prune_expired(layout.root, near_params(cfg), cfg.dedup.retention_days, utc_now())
    summary.totals = {name: count_rows(layout.root, name) for name in DATASETS}
    summary.rows.update({name: summary.totals[name] - n for name, n in before.items()})
    return summary


def stage_history(
    summary: RunSummary, kind: str, layout: Layout, stage_seconds: dict[str, float] | None, t0: float
) -> Moves:
    """The run's history entry; `commit` is this stage's time so far (its renames are not in it)."""
    seconds = {**(stage_seconds or {}), "commit": round(time.perf_counter() - t0, 3)}
    record = history_record({**asdict(summary), "stage_seconds": seconds}, kind)
    final, tmp = write_history_temp(layout.root, record)
    return {final: tmp}


def read_decisions(dedup: DedupOutput | None) -> Decisions:
    if dedup is None:
        return {}
    d = pq.read_table(dedup.decisions).to_pylist()
    return {r["article_id"]: (r["duplicate_of"], r["dup_group"], r["drop"]) for r in d}


def staged_paths(reads: list[ReadOutput], extracts: list[ExtractOutput]) -> dict[str, list[str]]:
    """The staged batch files of every dataset, in batch order."""
    staged: dict[str, list[str]] = {
        "articles": [r.articles for r in reads],
        # Articles an extractor failed on are kept in `articles` and listed here with the error.
        "rejects": [r.rejects for r in reads] + [e.paths["rejects"] for e in extracts if e.n_failed],
    }
    for name in EXTRACTED:
        staged[name] = [e.paths[name] for e in extracts]
    return staged


def stage_appended(
    staged: dict[str, list[str]], decisions: Decisions, layout: Layout, cfg: Config
) -> tuple[Moves, dict[str, int]]:
    """One part file per appended dataset: its batches streamed into a temporary file."""
    moves: Moves = {}
    rows: dict[str, int] = {}
    for name in DATASETS:
        if name in REWRITTEN:
            continue
        written: set = set()
        transform = None
        if name == "articles":
            transform = partial(_articles_with_decisions, decisions=decisions, written=written)
        elif name == "rejects":
            written.update(reject_keys(read_dataset(layout.root, "rejects", columns=list(REJECT_KEY))))
            transform = partial(_new_rejects, written=written)
        final, tmp, n = stream_dataset(name, staged[name], layout, cfg.output.compression, transform)
        rows[name] = n
        # An empty part is only worth a file when the dataset has none yet (readers need a schema).
        if n or not dataset_files(layout.root, name):
            moves[final] = tmp
        else:
            tmp.unlink()
    return moves, rows


# A reject is the same reject when the same record of the same file fails for the same reason
# (the detail may differ: byte counts, a library's wording).
REJECT_KEY = ("source_path", "reason", "record")


def reject_keys(table: pa.Table) -> list[tuple]:
    return list(zip(*(table.column(c).to_pylist() for c in REJECT_KEY), strict=True))


def _new_rejects(path: str, written: set) -> pa.Table:
    """Rejects not stored by an earlier run nor written in this one: rejects are idempotent like
    the other datasets, even when the ledger is gone and every input is read again."""
    t = pq.read_table(path)
    keep = []
    for key in reject_keys(t):
        keep.append(key not in written)
        written.add(key)
    return t.filter(pa.array(keep, pa.bool_()))


def _articles_with_decisions(path: str, decisions: Decisions, written: set[str]) -> pa.Table:
    """Fill duplicate_of/dup_group; drop rows already stored or already written in this run."""
    t = pq.read_table(path)
    none = (None, None, False)
    ids = t.column("article_id").to_pylist()
    keep = []
    for a in ids:
        keep.append(not decisions.get(a, none)[2] and a not in written)
        written.add(a)
    dup_of = [decisions.get(a, none)[0] for a in ids]
    group = [decisions.get(a, none)[1] for a in ids]
    t = t.set_column(t.schema.get_field_index("duplicate_of"), "duplicate_of", pa.array(dup_of, pa.string()))
    t = t.set_column(t.schema.get_field_index("dup_group"), "dup_group", pa.array(group, pa.string()))
    return t.filter(pa.array(keep, pa.bool_()))


def stage_actors(paths: list[str], layout: Layout, cfg: Config) -> Moves:
    """The actors table with this run's batches merged in; an unchanged table is not rewritten."""
    new_actors = [pq.read_table(p) for p in paths]
    if not sum(t.num_rows for t in new_actors) and dataset_files(layout.root, "actors"):
        return {}
    stored = read_dataset(layout.root, "actors")
    actors = merge_actor_tables(stored, new_actors, layout.run_id, EXTRACTOR_VERSION)
    return {layout.final("actors"): write_temp(actors, layout.final("actors"), cfg.output.compression)}


def check_build(layout: Layout, cfg: Config, extracted: bool, moves: Moves) -> list[str]:
    """Record what builds the derived rows on the first run; warn when a later run differs."""
    built = read_build(layout.root)
    current = build_key(cfg)
    if built is None:
        moves[build_path(layout.root)] = write_build_temp(layout.root, current)
    elif built != current and extracted:
        return [
            f"stored derived rows were built by {built['extractor_version']} (config {built['config']}); "
            f"this run used {current['extractor_version']} (config {current['config']}): "
            "run `newsevents reprocess OUT_DIR` to rebuild them consistently"
        ]
    return []


def stage_clusters(staged: dict[str, list[str]], decisions: Decisions, layout: Layout, cfg: Config) -> Moves:
    clusters = recompute_clusters(
        layout.root,
        staged["events"],
        staged["articles"],
        {a: d[0] for a, d in decisions.items()},
        cfg.clusters.days,
        run_id=layout.run_id,
        extractor_version=EXTRACTOR_VERSION,
    )
    final = layout.final("event_clusters")
    return {final: write_temp(clusters, final, cfg.output.compression)}


def stage_ledger(reads: list[ReadOutput], layout: Layout, cfg: Config) -> Moves:
    """The input files this run took; renamed last, so an interrupted run reads them again."""
    ledger = pa.concat_tables([pq.read_table(r.ledger) for r in reads]) if reads else LEDGER.empty_table()
    if not ledger.num_rows:
        return {}
    return {layout.ledger_part(): write_temp(ledger, layout.ledger_part(), cfg.output.compression)}


def summarise(
    reads: list[ReadOutput],
    dedup: DedupOutput | None,
    extracts: list[ExtractOutput],
    layout: Layout,
    plan: Plan,
    rows: dict[str, int],
    totals: dict[str, int],
    warnings: list[str],
) -> RunSummary:
    reasons: Counter[str] = Counter()
    for r in reads:
        reasons.update(r.reject_reasons)
    failed = sum(e.n_failed for e in extracts)
    if failed:
        reasons["extraction_error"] += failed
        warnings.append(failed_warning(failed))
    return RunSummary(
        run_id=layout.run_id,
        n_files=plan.n_files,
        n_unchanged=plan.n_unchanged,
        n_articles=sum(r.n_articles for r in reads),
        n_rejected=sum(reasons.values()),
        n_duplicates=dedup.n_duplicates if dedup else 0,
        n_already_stored=dedup.n_already_stored if dedup else 0,
        n_extracted=sum(e.n_articles for e in extracts),
        reject_reasons=dict(reasons),
        rows=rows,
        totals=totals,
        worker_seconds=worker_seconds(extracts),
        n_words=sum(e.n_words for e in extracts),
        warnings=warnings,
    )
