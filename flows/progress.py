"""Progress and run summaries for people watching a run: terminal bars, log lines, artifacts.

The flow reports through the module-level `reporter`; `newsevents run` installs a terminal
progress bar when stderr is a terminal, and otherwise (deployments, tests, pipes) progress goes
to the Prefect run log, which the server keeps with the run.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol


class Reporter(Protocol):
    def start(self, stage: str, total: int) -> None: ...
    def advance(self, stage: str) -> None: ...
    def finish(self, stage: str) -> None: ...


class LogReporter:
    """A log line at each tenth of a stage's tasks (and at the end)."""

    def __init__(self) -> None:
        self._done: dict[str, int] = {}
        self._total: dict[str, int] = {}

    def _logger(self) -> logging.Logger | logging.LoggerAdapter:
        from prefect import get_run_logger
        from prefect.exceptions import MissingContextError

        try:
            return get_run_logger()
        except MissingContextError:
            return logging.getLogger("newsevents")

    def start(self, stage: str, total: int) -> None:
        self._done[stage], self._total[stage] = 0, total

    def advance(self, stage: str) -> None:
        self._done[stage] += 1
        done, total = self._done[stage], self._total[stage]
        if total and (done == total or done % max(1, total // 10) == 0):
            self._logger().info("%s: %d/%d tasks done", stage, done, total)

    def finish(self, stage: str) -> None:
        pass


class RichReporter:
    """Terminal progress bars, one per stage (for manual runs)."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
        )
        self._ids: dict[str, Any] = {}

    def start(self, stage: str, total: int) -> None:
        if not self._ids:
            self._progress.start()
        self._ids[stage] = self._progress.add_task(stage, total=total)

    def advance(self, stage: str) -> None:
        self._progress.advance(self._ids[stage])

    def finish(self, stage: str) -> None:
        pass

    def close(self) -> None:
        if self._ids:
            self._progress.stop()


reporter: Reporter = LogReporter()


def start(stage: str, total: int) -> None:
    reporter.start(stage, total)


def advance(stage: str) -> None:
    reporter.advance(stage)


def finish(stage: str) -> None:
    reporter.finish(stage)


def format_summary(summary: dict[str, Any]) -> str:
    """A short human summary of one run, as `newsevents run` prints it."""
    reasons = summary["reject_reasons"]
    lines = [
        f"run {summary['run_id']}: {summary['seconds']:.1f} s",
        f"  files       {summary['n_files']} found, {summary['n_unchanged']} unchanged since last run",
        f"  articles    {summary['n_articles']} read, {summary['n_duplicates']} duplicates, "
        f"{summary['n_already_stored']} already stored, {summary['n_extracted']} extracted",
        f"  rejected    {summary['n_rejected']}"
        + (" (" + ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items())) + ")" if reasons else ""),
        "  rows        " + ", ".join(f"{k} {v:+d}" for k, v in summary["rows"].items()),
        "  totals      " + ", ".join(f"{k} {v}" for k, v in summary["totals"].items()),
    ]
    if summary.get("stage_seconds"):
        lines.append(
            "  stages      " + ", ".join(f"{k} {v:.1f} s" for k, v in summary["stage_seconds"].items())
        )
    if summary.get("worker_seconds"):
        lines.append(
            "  in workers  "
            + ", ".join(f"{k} {v:.1f} s" for k, v in summary["worker_seconds"].items())
            + f" ({summary.get('n_words', 0):,} tokens parsed)"
        )
    lines.extend(f"  warning     {w}" for w in summary.get("warnings", []))
    return "\n".join(lines)


def summary_markdown(summary: dict[str, Any]) -> str:
    """The run summary as the markdown artifact shown on the flow run's page."""
    return "# newsevents run\n\n```\n" + format_summary(summary) + "\n```\n"


def summary_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Counts as a table artifact: one row per measure, so runs can be compared at a glance."""
    rows: list[dict[str, Any]] = [
        {"measure": key, "value": summary[key]}
        for key in (
            "n_files",
            "n_unchanged",
            "n_articles",
            "n_rejected",
            "n_duplicates",
            "n_extracted",
            "seconds",
        )
    ]
    rows += [{"measure": f"rejected:{k}", "value": v} for k, v in sorted(summary["reject_reasons"].items())]
    rows += [{"measure": f"rows:{k}", "value": v} for k, v in summary["rows"].items()]
    rows += [{"measure": f"seconds:{k}", "value": v} for k, v in summary.get("stage_seconds", {}).items()]
    rows += [
        {"measure": f"worker seconds:{k}", "value": v} for k, v in summary.get("worker_seconds", {}).items()
    ]
    return rows
