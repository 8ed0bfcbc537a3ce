"""The newsevents Prefect flows: discover -> read/clean -> dedup -> parse+extract -> commit.

Tasks are one-line wrappers over `tasks.stages` (one task per batch or shard of articles,
never per article); the flows only wire them. Nothing here holds data: tasks pass paths.

`nightly` (the deployment's entry point and `newsevents run`'s) holds the output root's lock for
the whole run, runs the pipeline as a subflow with the task runner the config names, compacts
when a dataset has grown too many parts, and publishes the run's report on its own flow run (the
one the user triggered). Its state hooks post the webhook notification (flows/notify.py).
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from newsevents.flows import notify, progress
from newsevents.tasks import stages
from newsevents.tasks.config import Config, ConfigError, load_config, local_root
from newsevents.tasks.stages.progress import stage_progress
from newsevents.tasks.store.writer import Layout, recover, run_lock, transient_error

# Inputs are paths and a small config; caching and result persistence would only add I/O.
# Retries are set per run from the config (`retrying`).
_TASK = {"cache_policy": NO_CACHE, "persist_result": False, "retries": 0}


def retry_if_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect's retry condition: only an I/O error that may pass is worth another try."""
    return transient_error(state.data if isinstance(state.data, BaseException) else None)


def retry_commit_if_transient(task: Any, task_run: Any, state: Any, journal: str = "") -> bool:
    """A commit is tried again only while its journal is unwritten: once the renames began, the
    next run rolls the commit forward, and staging it a second time could drop rows."""
    return not Path(journal).exists() and retry_if_transient(task, task_run, state)


def retrying(t: Any, cfg: Config, condition: Callable[..., bool] = retry_if_transient) -> Any:
    """Task `t` with the config's retries for transient failures (none for deterministic ones)."""
    return t.with_options(
        retries=cfg.pipeline.retries,
        retry_delay_seconds=cfg.pipeline.retry_delays() or 0,
        retry_condition_fn=condition,
    )


@task(name="recover", **_TASK)
def recover_task(root: Path) -> list[str]:
    """Finish or discard an interrupted run, then set aside unreadable parts: notes for the summary."""
    from newsevents.tasks.store.check import set_aside_unreadable

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


@task(name="compact", **_TASK)
def compact_task(root: Path, cfg: Config) -> stages.CompactSummary:
    return stages.compact_store(root, cfg, over=cfg.compact.max_parts)


@task(name="report", **_TASK)
def report_task(root: Path) -> Any:
    # Imported here: the charting libraries need not load in every worker process.
    from newsevents.tasks.report import write_report

    return write_report(root)


def publish(summary: dict[str, Any], highlights: dict[str, Any]) -> None:
    """The run's report as artifacts of the calling flow run (the one the user triggered) and
    one log line per stage."""
    logger = get_run_logger()
    for stage, seconds in summary.get("stage_seconds", {}).items():
        logger.info("stage %s: %.2f s", stage, seconds)
    for warning in summary.get("warnings", []):
        logger.warning(warning)
    create_markdown_artifact(markdown=progress.summary_markdown(summary, highlights), key="newsevents-run")
    create_table_artifact(table=progress.summary_rows(summary), key="newsevents-run-counts")


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


def gather(futures: list[PrefectFuture], stage: str, layout: Layout, total: int, unit: str) -> list[Any]:
    """Results in submission order. Progress counts what the tasks report they have done (files
    read, articles parsed), polled twice a second; a failed task fails the flow at once."""
    progress.start(stage, total, unit)
    pending = list(futures)
    try:
        while pending:
            done, not_done = wait(pending, timeout=0.5)
            for future in done:
                future.result()  # raises here, failing the flow, when a task failed
            pending = list(not_done)
            progress.update(stage, stage_progress(layout.staging, stage))
    finally:
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


def _extract_all(shards: list[str], layout: Layout, cfg: Config, total: int) -> list[stages.ExtractOutput]:
    extract = retrying(extract_task, cfg)
    futures = [extract.submit(s, layout, i, cfg) for i, s in enumerate(shards, 1)]
    return gather(futures, "extract", layout, total, "articles")


@flow(name="newsevents-pipeline", log_prints=True, validate_parameters=False)
def pipeline(input_dir: Path, root: Path, cfg: Config) -> stages.RunSummary:
    """One incremental run over `input_dir` into `root`; the caller picks the task runner."""
    t0 = time.perf_counter()
    layout = Layout(root, stages.new_run_id())
    seconds: dict[str, float] = {}
    with run_lock(root, wait=cfg.output.lock_wait_seconds, reentrant=True):
        notes = retrying(recover_task, cfg)(root)
        with timed(seconds, "plan"):
            plan = retrying(plan_task, cfg)(input_dir, root, cfg)
        with timed(seconds, "read"):
            read = retrying(read_task, cfg)
            futures = [read.submit(input_dir, b, layout, i, cfg) for i, b in enumerate(plan.batches, 1)]
            reads = gather(futures, "read", layout, sum(map(len, plan.batches)), "files")
        with timed(seconds, "dedup"):
            dedup = retrying(dedup_task, cfg)(reads, layout, cfg)
        with timed(seconds, "extract"):
            extracts = _extract_all(dedup.shards, layout, cfg, dedup.n_to_extract)
        with timed(seconds, "commit"):
            committing = retrying(
                commit_task, cfg, functools.partial(retry_commit_if_transient, journal=str(layout.journal))
            )
            summary = committing(reads, dedup, extracts, layout, cfg, plan, dict(seconds))
    summary.warnings[:0] = notes
    summary.stage_seconds = seconds
    summary.seconds = round(time.perf_counter() - t0, 3)
    return summary


@flow(name="newsevents-reprocess-pipeline", log_prints=True, validate_parameters=False)
def reprocess_pipeline(root: Path, cfg: Config) -> stages.RunSummary:
    """Rebuild every derived dataset from the stored cleaned articles (inputs are not re-read)."""
    t0 = time.perf_counter()
    layout = Layout(root, stages.new_run_id())
    seconds: dict[str, float] = {}
    with run_lock(root, wait=cfg.output.lock_wait_seconds, reentrant=True):
        notes = retrying(recover_task, cfg)(root)
        with timed(seconds, "reshard"):
            shards = retrying(reshard_task, cfg)(layout, cfg)
        with timed(seconds, "extract"):
            extracts = _extract_all(shards, layout, cfg, stages.shard_rows(shards))
        with timed(seconds, "commit"):
            committing = retrying(
                commit_reprocess_task,
                cfg,
                functools.partial(retry_commit_if_transient, journal=str(layout.journal)),
            )
            summary = committing(extracts, layout, cfg, dict(seconds))
    summary.warnings[:0] = notes
    summary.stage_seconds = seconds
    summary.seconds = round(time.perf_counter() - t0, 3)
    return summary


def _resolve(
    config_path: str | None, overrides: dict[str, Any] | None, out_root: str | None
) -> tuple[Config, Path]:
    cfg = load_config(config_path, overrides)
    return cfg, local_root(out_root or cfg.output.root)


def _lock_wait_logged(root: Path) -> Callable[[str], None]:
    def say(holder: str) -> None:
        pid = f" (pid {holder})" if holder else ""
        get_run_logger().warning("waiting for the run%s that holds %s", pid, root)

    return say


def _run(sub: Callable[..., stages.RunSummary], cfg: Config, root: Path, *args: Any) -> dict[str, Any]:
    """The subflow with the config's task runner, then compaction and the report, all under the
    output root's lock (the command that started this flow may hold it already)."""
    with run_lock(root, wait=cfg.output.lock_wait_seconds, on_wait=_lock_wait_logged(root), reentrant=True):
        summary = asdict(sub.with_options(task_runner=task_runner(cfg))(*args, cfg))
        highlights = stages.run_highlights(root, summary["run_id"])
        folders, index_too = stages.folders_to_compact(root, cfg, cfg.compact.max_parts)
        if cfg.compact.max_parts and (folders or index_too):
            summary["compaction"] = retrying(compact_task, cfg)(root, cfg).note()
        publish(summary, highlights)
        publish_report(root)
    return summary


def notify_hook(flow: Any, flow_run: Any, state: Any) -> None:
    """Post the run's JSON summary to `notify.webhook_url` (on failure or crash; on completion
    too with `notify.on_completion`). Reads the run's own config; when that cannot be read (a
    bad config is a failure worth reporting), the defaults and NEWSEVENTS_* variables."""
    from prefect.logging.loggers import flow_run_logger

    logger = flow_run_logger(flow_run, flow)
    params = dict(flow_run.parameters or {})
    try:
        cfg = load_config(params.get("config_path"), params.get("overrides"))
    except ConfigError:
        try:
            cfg = load_config()
        except ConfigError as exc:
            logger.warning("no notification: %s", exc)
            return
    url = cfg.notify.webhook_url
    completed = state.is_completed()
    if not url or (completed and not cfg.notify.on_completion):
        return
    summary = None
    if completed:
        with contextlib.suppress(Exception):
            result = state.result(raise_on_failure=False)
            summary = result if isinstance(result, dict) else None
    body = notify.payload(
        flow_run_id=str(flow_run.id),
        flow_run_name=flow_run.name,
        flow_name=flow.name,
        state=state.name,
        parameters=params,
        summary=summary,
        error=None if completed else state.message,
    )
    notify.notify(url, body, cfg.notify.timeout_seconds, logger)


_HOOKS = {"on_completion": [notify_hook], "on_failure": [notify_hook], "on_crashed": [notify_hook]}


@flow(name="newsevents", log_prints=True, **_HOOKS)
def nightly(
    input_dir: str,
    out_root: str | None = None,
    config_path: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Entry point of the nightly deployment and of `newsevents run`: config, then one pipeline
    run. A missing or unreadable input folder fails the run (its plan says why)."""
    cfg, root = _resolve(config_path, overrides, out_root)
    return _run(pipeline, cfg, root, Path(input_dir).resolve(), root)


@flow(name="newsevents-reprocess", log_prints=True, **_HOOKS)
def reprocess(
    out_root: str | None = None,
    config_path: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Entry point of `newsevents reprocess`: rebuild derived datasets with the current extractors."""
    cfg, root = _resolve(config_path, overrides, out_root)
    return _run(reprocess_pipeline, cfg, root, root)
