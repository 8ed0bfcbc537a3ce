"""Progress and run summaries for people watching a run: terminal bars, log lines, artifacts.

The flow reports through the module-level `reporter`: files read and articles parsed, as the
tasks count them (tasks/stages/progress.py), not finished tasks. `newsevents run` installs
terminal bars when stderr is a terminal; they draw on the console Prefect's log handler writes
to, so log lines print above the bars instead of into them. Otherwise (deployments, tests,
pipes) progress goes to the Prefect run log, which the server keeps with the run.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Protocol


class Reporter(Protocol):
    def start(self, stage: str, total: int, unit: str) -> None: ...
    def update(self, stage: str, done: int) -> None: ...
    def finish(self, stage: str) -> None: ...


class LogReporter:
    """A log line at each tenth of a stage (and at the end)."""

    def __init__(self) -> None:
        self._done: dict[str, int] = {}
        self._total: dict[str, int] = {}
        self._unit: dict[str, str] = {}
        self._logged: dict[str, int] = {}

    def _logger(self) -> logging.Logger | logging.LoggerAdapter:
        from prefect import get_run_logger
        from prefect.exceptions import MissingContextError

        try:
            return get_run_logger()
        except MissingContextError:
            return logging.getLogger("newsevents")

    def start(self, stage: str, total: int, unit: str) -> None:
        self._done[stage], self._total[stage], self._unit[stage] = 0, total, unit
        self._logged[stage] = -1

    def update(self, stage: str, done: int) -> None:
        total = self._total[stage]
        self._done[stage] = min(done, total)
        tenth = self._done[stage] * 10 // total if total else 10
        if tenth > self._logged[stage]:
            self._logged[stage] = tenth
            self._logger().info("%s: %d/%d %s", stage, self._done[stage], total, self._unit[stage])

    def finish(self, stage: str) -> None:
        if self._done[stage] < self._total[stage]:
            self.update(stage, self._total[stage])


def prefect_console() -> Any:
    """The Rich console Prefect's log handler prints to (on the root logger), or None."""
    from prefect.logging.handlers import PrefectConsoleHandler

    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrefectConsoleHandler):
            return handler.console
    return None


# Set in the environment the task-runner workers inherit: their own log lines (also sent to the
# API, so they stay in the run's log) would otherwise be written into the bars by another process.
WORKER_CONSOLE_OFF = {"PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL"}


class RichReporter:
    """Terminal progress bars, one per stage (for manual runs), on Prefect's console."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description:>8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}"),
            TimeElapsedColumn(),
            console=prefect_console(),
        )
        self._ids: dict[str, Any] = {}
        os.environ.update(WORKER_CONSOLE_OFF)

    def start(self, stage: str, total: int, unit: str) -> None:
        if not self._ids:
            self._progress.start()
        self._ids[stage] = self._progress.add_task(stage, total=total, unit=unit)

    def update(self, stage: str, done: int) -> None:
        self._progress.update(self._ids[stage], completed=done)

    def finish(self, stage: str) -> None:
        task = self._ids[stage]
        self._progress.update(task, completed=self._progress.tasks[task].total)

    def close(self) -> None:
        if self._ids:
            self._progress.stop()
        for key in WORKER_CONSOLE_OFF:
            os.environ.pop(key, None)


reporter: Reporter = LogReporter()


def start(stage: str, total: int, unit: str) -> None:
    reporter.start(stage, total, unit)


def update(stage: str, done: int) -> None:
    reporter.update(stage, done)


def finish(stage: str) -> None:
    reporter.finish(stage)


def format_summary(summary: dict[str, Any]) -> str:
    """A short human summary of one run, as `newsevents run` prints it."""
    reasons = summary["reject_reasons"]
    if summary.get("run_id"):
        head = f"run {summary['run_id']}: {summary['seconds']:.1f} s"
    else:
        head = f"nothing new or changed since the last run: no flow run started ({summary['seconds']:.1f} s)"
    lines = [
        head,
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
    if summary.get("compaction"):
        lines.append(f"  compaction  {summary['compaction']}")
    lines.extend(f"  warning     {w}" for w in summary.get("warnings", []) if summary.get("run_id"))
    return "\n".join(lines)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    """A markdown table; "" when there is no row."""
    if not rows:
        return ""

    def cell(value: Any) -> str:
        text = "" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _section(title: str, table: str) -> list[str]:
    return ["", f"## {title}", "", table]


def summary_markdown(summary: dict[str, Any], highlights: dict[str, Any] | None = None) -> str:
    """The run's report as the markdown artifact on the flow run's page: counts, rejects by
    reason, rows per dataset, time per stage, and the run's event types and most mentioned actors."""
    highlights = highlights or {}
    counts = [
        ("files", summary["n_files"]),
        ("unchanged", summary["n_unchanged"]),
        ("articles read", summary["n_articles"]),
        ("duplicates", summary["n_duplicates"]),
        ("already stored", summary["n_already_stored"]),
        ("extracted", summary["n_extracted"]),
        ("rejected", summary["n_rejected"]),
        ("seconds", f"{summary.get('seconds', 0):.1f}"),
    ]
    parts = [f"# newsevents run {summary.get('run_id') or ''}".rstrip(), ""]
    parts.append(_table([k for k, _ in counts], [[v for _, v in counts]]))
    totals = summary.get("totals", {})
    rows = [[k, f"{v:+,}", totals.get(k)] for k, v in summary["rows"].items()]
    parts += _section("Rows", _table(["dataset", "added", "total"], rows))
    reasons = sorted(summary["reject_reasons"].items(), key=lambda kv: (-kv[1], kv[0]))
    parts += _section(
        "Rejects by reason", _table(["reason", "inputs"], [list(r) for r in reasons]) or "None."
    )
    stage_seconds = summary.get("stage_seconds", {})
    if stage_seconds:
        table = _table(["stage", "seconds"], [[k, f"{v:.2f}"] for k, v in stage_seconds.items()])
        parts += _section("Time per stage", table)
    worker = summary.get("worker_seconds", {})
    if worker:
        spent = ", ".join(f"{k} {v:.1f} s" for k, v in worker.items())
        parts += ["", f"Inside the extraction tasks, summed over workers: {spent} "
                  f"({summary.get('n_words', 0):,} tokens parsed)."]  # fmt: skip
    types = highlights.get("event_types", [])
    if types:
        table = _table(
            ["event type", "events", "facts"], [[r["event_type"], r["events"], r["facts"]] for r in types]
        )
        parts += _section("Event types of this run", table)
    actors = highlights.get("actors", [])
    if actors:
        table = _table(
            ["actor", "type", "country", "sector", "mentions"],
            [[a["name"], a["type"], a["country"], a["sector"], a["mentions"]] for a in actors],
        )
        parts += _section("Most mentioned actors of this run", table)
    if summary.get("compaction"):
        parts += ["", f"Compaction: {summary['compaction']}."]
    if summary.get("warnings"):
        parts += _section("Warnings", "\n".join(f"- {w}" for w in summary["warnings"]))
    return "\n".join(parts) + "\n"


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
