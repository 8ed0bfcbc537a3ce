"""The newsevents Prefect flows: discover -> read/clean -> dedup -> parse+extract -> commit.

Tasks are one-line wrappers over `tasks.stages` (one task per batch or shard of articles,
never per article); the flows only wire them. Nothing here holds data: tasks pass paths.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from newsevents.flows import progress
from newsevents.tasks import stages
from newsevents.tasks.config import Config, load_config, local_root
from newsevents.tasks.store.check import set_aside_unreadable
from newsevents.tasks.store.writer import Layout, recover, run_lock

# Inputs are paths and a small config; caching and result persistence would only add I/O.
_TASK = {"cache_policy": NO_CACHE, "persist_result": False, "retries": 0}


@task(name="recover", **_TASK)
def recover_task(root: Path) -> list[str]:
    """Finish or discard an interrupted run, then set aside unreadable parts: notes for the summary."""
    recover(root)
    return [moved.note() for moved in set_aside_unreadable(root)]


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
    return stages.dedup_run([r.articles for r in reads], layout, cfg)


@task(name="reshard-stored", **_TASK)
def reshard_task(layout: Layout, cfg: Config) -> list[str]:
    return stages.reshard_stored(layout, cfg)


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
    stage_seconds: dict[str, float],
) -> stages.RunSummary:
    return stages.commit_run(reads, dedup, extracts, layout, cfg, plan, stage_seconds)


@task(name="commit-reprocess", **_TASK)
def commit_reprocess_task(
    extracts: list[stages.ExtractOutput], layout: Layout, cfg: Config, stage_seconds: dict[str, float]
) -> stages.RunSummary:
    return stages.commit_reprocess(extracts, layout, cfg, stage_seconds)


@task(name="report", **_TASK)
def report_task(root: Path) -> Any:
    # Imported here: the charting libraries need not load in every worker process.
    from newsevents.tasks.report import write_report

    return write_report(root)


@task(name="publish-summary", **_TASK)
def publish_task(summary: stages.RunSummary) -> None:
    """The run's counts and timings as Prefect artifacts (UI) and one log line per stage."""
    logger = get_run_logger()
    for stage, seconds in summary.stage_seconds.items():
        logger.info("stage %s: %.2f s", stage, seconds)
    for warning in summary.warnings:
        logger.warning(warning)
    create_markdown_artifact(markdown=progress.summary_markdown(asdict(summary)), key="newsevents-run")
    create_table_artifact(table=progress.summary_rows(asdict(summary)), key="newsevents-run-counts")


def publish_report(root: Path) -> None:
    """The HTML report next to the outputs, linked from the run's artifacts. The datasets are
    committed by now, so a failing report is logged and never fails the run."""
    logger = get_run_logger()
    try:
        written = report_task(root)
        create_link_artifact(
            link=written.path.as_uri(),
            link_text=str(written.path),
            key="newsevents-report",
            description=f"newsevents report: {written.n_bytes:,} bytes in {written.seconds:.1f} s",
        )
    except Exception as exc:
        logger.warning("report not written: %s: %s", type(exc).__name__, exc)
        return
    logger.info("report %s (%d bytes, %.1f s)", written.path, written.n_bytes, written.seconds)


def gather(futures: list[PrefectFuture], stage: str) -> list[Any]:
    """Results in submission order; progress is reported as each task finishes."""
    progress.start(stage, len(futures))
    for future in as_completed(futures):
        future.result()  # raises here, failing the flow, when a task failed
        progress.advance(stage)
    progress.finish(stage)
    return [f.result() for f in futures]


@contextlib.contextmanager
def timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    seconds[stage] = round(time.perf_counter() - t0, 3)


def task_runner(cfg: Config) -> TaskRunner:
    """threads, processes (one spaCy model per process) or Dask (local cluster or an address)."""
    if cfg.pipeline.runner == "processes":
        return ProcessPoolTaskRunner(max_workers=cfg.pipeline.max_workers)
    if cfg.pipeline.runner == "dask":
        from prefect_dask import DaskTaskRunner

        if cfg.pipeline.dask_address:
            return DaskTaskRunner(address=cfg.pipeline.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": cfg.pipeline.max_workers, "threads_per_worker": 1, "processes": True}
        )
    return ThreadPoolTaskRunner(max_workers=cfg.pipeline.max_workers)


def _extract_all(shards: list[str], layout: Layout, cfg: Config) -> list[stages.ExtractOutput]:
    return gather([extract_task.submit(s, layout, i, cfg) for i, s in enumerate(shards, 1)], "extract")


@flow(name="newsevents-pipeline", log_prints=True, validate_parameters=False)
def pipeline(input_dir: Path, root: Path, cfg: Config) -> stages.RunSummary:
    """One incremental run over `input_dir` into `root`; the caller picks the task runner."""
    t0 = time.perf_counter()
    layout = Layout(root, stages.new_run_id())
    seconds: dict[str, float] = {}
    with run_lock(root):
        notes = recover_task(root)
        with timed(seconds, "plan"):
            plan = plan_task(input_dir, root, cfg)
        with timed(seconds, "read"):
            reads = gather(
                [read_task.submit(input_dir, b, layout, i, cfg) for i, b in enumerate(plan.batches, 1)],
                "read",
            )
        with timed(seconds, "dedup"):
            dedup = dedup_task(reads, layout, cfg)
        with timed(seconds, "extract"):
            extracts = _extract_all(dedup.shards, layout, cfg)
        with timed(seconds, "commit"):
            summary = commit_task(reads, dedup, extracts, layout, cfg, plan, dict(seconds))
    summary.warnings[:0] = notes
    summary.stage_seconds = seconds
    summary.seconds = round(time.perf_counter() - t0, 3)
    publish_task(summary)
    publish_report(root)
    return summary


@flow(name="newsevents-reprocess-pipeline", log_prints=True, validate_parameters=False)
def reprocess_pipeline(root: Path, cfg: Config) -> stages.RunSummary:
    """Rebuild every derived dataset from the stored cleaned articles (inputs are not re-read)."""
    t0 = time.perf_counter()
    layout = Layout(root, stages.new_run_id())
    seconds: dict[str, float] = {}
    with run_lock(root):
        notes = recover_task(root)
        with timed(seconds, "reshard"):
            shards = reshard_task(layout, cfg)
        with timed(seconds, "extract"):
            extracts = _extract_all(shards, layout, cfg)
        with timed(seconds, "commit"):
            summary = commit_reprocess_task(extracts, layout, cfg, dict(seconds))
    summary.warnings[:0] = notes
    summary.stage_seconds = seconds
    summary.seconds = round(time.perf_counter() - t0, 3)
    publish_task(summary)
    publish_report(root)
    return summary


def _resolve(
    config_path: str | None, overrides: dict[str, Any] | None, out_root: str | None
) -> tuple[Config, Path]:
    cfg = load_config(config_path, overrides)
    return cfg, local_root(out_root or cfg.output.root)


def _run(sub: Callable[..., stages.RunSummary], cfg: Config, *args: Any) -> dict[str, Any]:
    return asdict(sub.with_options(task_runner=task_runner(cfg))(*args, cfg))


@flow(name="newsevents", log_prints=True)
def nightly(
    input_dir: str,
    out_root: str | None = None,
    config_path: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Entry point of the nightly deployment and of `newsevents run`: config, then one pipeline run."""
    cfg, root = _resolve(config_path, overrides, out_root)
    return _run(pipeline, cfg, Path(input_dir).resolve(), root)


@flow(name="newsevents-reprocess", log_prints=True)
def reprocess(
    out_root: str | None = None,
    config_path: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Entry point of `newsevents reprocess`: rebuild derived datasets with the current extractors."""
    cfg, root = _resolve(config_path, overrides, out_root)
    return _run(reprocess_pipeline, cfg, root)
