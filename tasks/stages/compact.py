"""Compact: merge small part files of the datasets, the ledger and the near-duplicate index in one
journaled commit (see tasks/store/compact.py for the protocol and what is covered).

`newsevents compact OUT` compacts everything there is to merge; a nightly run compacts on its own
the folders holding more than `compact.max_parts` parts. Call it holding the run lock, after
`recover` (a compaction never starts over an unfinished commit).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from newsevents.tasks.config import Config
from newsevents.tasks.dedup import index as dedup_index
from newsevents.tasks.stages.dedup import near_params
from newsevents.tasks.stages.plan import new_run_id
from newsevents.tasks.store.compact import (
    APPENDED,
    LEDGER_NAME,
    folder_parts,
    plan_merges,
    write_merged,
)
from newsevents.tasks.store.writer import Layout, commit

INDEX = "dedup index"


@dataclass(slots=True)
class CompactSummary:
    run_id: str
    # folder -> (parts before, parts after); only folders that changed
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # rows rewritten per folder
    seconds: float = 0.0

    def note(self) -> str:
        if not self.parts:
            return "compact: nothing to merge"
        merged = ", ".join(f"{k} {a} -> {b} parts" for k, (a, b) in self.parts.items())
        return f"compacted {merged} ({self.seconds:.1f} s)"


def folders_to_compact(root: Path, cfg: Config, over: int | None) -> tuple[list[str], bool]:
    """(dataset or ledger folders, whether the index) holding more than `over` parts; every one
    when `over` is None."""
    folders = [*APPENDED, LEDGER_NAME]
    index_parts = len(dedup_index.part_names(root, near_params(cfg)))
    if over is None:
        return folders, True
    return [f for f in folders if len(folder_parts(root, f)) > over], index_parts > over


def compact_store(root: Path, cfg: Config, over: int | None = None) -> CompactSummary:
    """Merge the small parts of each folder with more than `over` parts (all folders when None)
    into files of about `compact.file_mb`, and the index's parts month by month; one commit."""
    t0 = time.perf_counter()
    layout = Layout(root, f"{new_run_id()}-compact")
    summary = CompactSummary(layout.run_id)
    folders, index_too = folders_to_compact(root, cfg, over)
    mb = 1024 * 1024
    merges = plan_merges(root, folders, cfg.compact.file_mb * mb)
    moves: dict[Path, Path] = {}
    deletes: list[Path] = []
    removed: Counter[str] = Counter()
    for merge in merges:
        tmp, rows = write_merged(merge, cfg.compact.row_group_mb * mb, cfg.output.compression)
        moves[merge.final] = tmp
        deletes.extend(merge.parts)
        summary.rows[merge.folder] = summary.rows.get(merge.folder, 0) + rows
        removed[merge.folder] += len(merge.parts) - 1
    for folder, n in removed.items():
        before = len(folder_parts(root, folder))
        summary.parts[folder] = (before, before - n)
    if index_too:
        params = near_params(cfg)
        n_before = len(dedup_index.part_names(root, params))
        groups = dedup_index.plan_compaction(root, params)
        for names in groups:
            index_moves, index_deletes = dedup_index.compact_parts(root, params, names)
            moves.update(index_moves)
            deletes.extend(index_deletes)
        if groups:
            summary.parts[INDEX] = (n_before, n_before - sum(len(g) - 1 for g in groups))
    if moves:
        commit(layout, moves, deletes)
    summary.seconds = round(time.perf_counter() - t0, 3)
    return summary
