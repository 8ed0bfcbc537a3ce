"""The newsevents Prefect flow: discover -> read/clean -> dedup -> parse+extract -> commit.

Tasks are one-line wrappers over `tasks.stages` (one task per batch or shard of articles,
never per article); the flow only wires them. Nothing here holds data: tasks pass paths.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from tasks import stages
from tasks.config import Config, load_config
from tasks.store import Layout, recover, run_lock

# Inputs are paths and a small config; caching and result persistence would only add I/O.
_TASK = {"cache_policy": NO_CACHE, "persist_result": False, "retries": 0}


@task(name="recover", **_TASK)
def recover_task(root: Path) -> list[str]:
    return recover(root)


@task(name="plan", **_TASK)
def plan_task(input_dir: Path, root: Path, cfg: Config) -> stages.Plan:
    return stages.plan_run(input_dir, root, cfg)


@task(name="read-batch", **_TASK)
def read_task(
    input_dir: Path, rel_paths: list[str], layout: Layout, batch: int, cfg: Config
) -> stages.ReadOutput:
    return stages.read_batch(input_dir, rel_paths, layout, batch, cfg)


@task(name="dedup", **_TASK)
def dedup_task(reads: list[stages.ReadOutput], layout: Layout, cfg: Config) -> stages.DedupOutput:
    out = stages.dedup_run([r.articles for r in reads], layout, cfg)
    for note in out.notes:
        print(note)
    return out


@task(name="extract-shard", **_TASK)
def extract_task(shard: str, layout: Layout, batch: int, cfg: Config) -> stages.ExtractOutput:
    return stages.extract_shard(shard, layout, batch, cfg)


@task(name="commit", **_TASK)
def commit_task(
    reads: list[stages.ReadOutput],
    dedup: stages.DedupOutput,
    extracts: list[stages.ExtractOutput],
    layout: Layout,
    cfg: Config,
    plan: stages.Plan,
) -> stages.RunSummary:
    return stages.commit_run(reads, dedup, extracts, layout, cfg, plan)


def task_runner(cfg: Config) -> ThreadPoolTaskRunner | ProcessPoolTaskRunner:
    if cfg.pipeline.runner == "processes":
        return ProcessPoolTaskRunner(max_workers=cfg.pipeline.max_workers)
    return ThreadPoolTaskRunner(max_workers=cfg.pipeline.max_workers)


@flow(name="newsevents-pipeline", log_prints=True)
def pipeline(input_dir: Path, root: Path, cfg: Config) -> stages.RunSummary:
    """One run over `input_dir` into `root`; the caller picks the task runner."""
    t0 = time.perf_counter()
    layout = Layout(root, stages.new_run_id())
    with run_lock(root):
        recover_task(root)
        plan = plan_task(input_dir, root, cfg)
        reads = [
            f.result()
            for f in [read_task.submit(input_dir, b, layout, i, cfg) for i, b in enumerate(plan.batches, 1)]
        ]
        dedup = dedup_task(reads, layout, cfg)
        extracts = [
            f.result()
            for f in [extract_task.submit(s, layout, i, cfg) for i, s in enumerate(dedup.shards, 1)]
        ]
        summary = commit_task(reads, dedup, extracts, layout, cfg, plan)
    summary.seconds = time.perf_counter() - t0
    return summary


@flow(name="newsevents", log_prints=True)
def nightly(
    input_dir: str,
    out_root: str | None = None,
    config_path: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Entry point of the nightly deployment and of `newsevents run`: config, then one pipeline run."""
    cfg = load_config(config_path, overrides)
    root = Path(out_root or cfg.output.root).resolve()
    summary = pipeline.with_options(task_runner=task_runner(cfg))(Path(input_dir).resolve(), root, cfg)
    return summary_dict(summary)


def summary_dict(summary: stages.RunSummary) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(summary)
