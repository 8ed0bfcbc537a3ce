"""One small JSON file per committed run (_state/history/<run_id>.json): what the run did.

The run summary is otherwise only printed, logged and shown in Prefect; the report's trend over
the last runs needs it readable from the output root alone. Each file is written under a
temporary name and renamed by the run's journaled commit (before the ledger), so a run that
committed has its entry and a run that did not has none. Files are never rewritten.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

HISTORY = "history"


def history_dir(root: Path) -> Path:
    return root / "_state" / HISTORY


def history_path(root: Path, run_id: str) -> Path:
    return history_dir(root) / f"{run_id}.json"


def history_record(summary: dict[str, Any], kind: str) -> dict[str, Any]:
    """A run summary (`asdict(RunSummary)`) as stored: without `totals` (known only after the
    renames) and `seconds` (the flow's wall time, known only after the commit); `stage_seconds`
    hold the time of each stage, so their sum is the run's time less its start and the renames.
    `kind` is `run` or `reprocess`."""
    record = {k: v for k, v in summary.items() if k not in ("totals", "seconds")}
    record["kind"] = kind
    record["committed_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return record


def write_history_temp(root: Path, record: dict[str, Any]) -> tuple[Path, Path]:
    """(final path, its complete temporary sibling) for the commit to rename."""
    final = history_path(root, record["run_id"])
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.tmp")
    tmp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    return final, tmp


def read_history(root: Path, last: int | None = None) -> list[dict[str, Any]]:
    """The stored run records in run order (run ids sort by time); unreadable files are skipped."""
    folder = history_dir(root)
    if not folder.is_dir():
        return []
    paths = sorted(p for p in folder.glob("*.json") if not p.name.startswith((".", "_")))
    records = []
    for path in paths[-last:] if last else paths:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and "run_id" in record:
            records.append(record)
    return records
