"""How far each task of a stage has got, told through small files in the run's staging folder.

Tasks run in other processes (a process pool, Dask workers on other machines that share the
output root), so a task reports the files it has read or the articles it has parsed by
rewriting `_state/runs/<run_id>/progress/<stage>-<batch>` at most once a second; the flow sums
them for its progress bars. Counting articles this way moves a bar while a 400-article shard is
parsed, where counting finished tasks left it at 0 for a minute.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

PROGRESS = "progress"


def progress_dir(staging: Path) -> Path:
    return staging / PROGRESS


class Tracker:
    """A task's count, written to its file when `every` seconds have passed and at `close`."""

    def __init__(self, staging: Path, stage: str, batch: int, every: float = 1.0) -> None:
        self.path = progress_dir(staging) / f"{stage}-{batch:05d}"
        self.every = every
        self.done = 0
        self._written_at = 0.0

    def add(self, n: int = 1) -> None:
        self.done += n
        if time.monotonic() - self._written_at >= self.every:
            self._write()

    def close(self) -> None:
        self._write()

    def _write(self) -> None:
        # Progress is a courtesy: a failed write must never fail the task.
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.tmp")
            tmp.write_text(str(self.done), encoding="ascii")
            os.replace(tmp, self.path)
        self._written_at = time.monotonic()


def stage_progress(staging: Path, stage: str) -> int:
    """The sum of the counts the tasks of `stage` have written so far."""
    total = 0
    for path in progress_dir(staging).glob(f"{stage}-*"):
        with contextlib.suppress(OSError, ValueError):
            total += int(path.read_text(encoding="ascii") or 0)
    return total
