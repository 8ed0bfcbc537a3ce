"""Compaction: a dataset's small part files merged into fewer files with row groups of a useful size.

Each run appends one part per dataset, so a year of nightly runs leaves ~365 files of a few
rows each per dataset, and every reader pays per file (open, footer, one tiny row group each).
Compaction merges consecutive parts (in name order, so in run order) that are each smaller than
`file_bytes` on disk into files of up to about `file_bytes`, written with row groups of about
`row_group_bytes` of uncompressed data; a part already that large is left alone. Rows keep their
order and values; a part written before a column existed gets it as nulls, as readers see it.

A merged file is named `part-<first run>--<last run>.parquet`, so names still sort by run. It is
written complete under a hidden temporary name, then the store's journaled commit renames it into
place and deletes the parts it replaces (the same protocol as a run's commit): a kill before the
journal leaves only the temporary file, which the next run or compaction deletes; a kill after
it is rolled forward by the next one. The previous files stay readable throughout; a reader
listing the folder between the rename and the deletes (a few milliseconds, or after a kill there
until the next run or compaction) sees the merged rows twice.

What this covers: the appended datasets (`articles`, `rejects`, `actor_mentions`, `places`,
`events`, `claims`) and the ledger under `_state/ledger/`. `actors` and `event_clusters` are one
file each, rewritten whole by every run, so there is nothing to merge. The near-duplicate index
(`tasks.dedup.index`) compacts its own parts; run history files stay one small JSON per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsevents.tasks.store.schema import DATASETS
from newsevents.tasks.store.writer import (
    LEDGER,
    REWRITTEN,
    STATE,
    StreamWriter,
    conform,
    dataset_files,
    read_part,
    unreadable,
)

APPENDED = tuple(name for name in DATASETS if name not in REWRITTEN)
LEDGER_NAME = "ledger"
# Row groups are never cut smaller than this many rows, however wide the rows.
MIN_GROUP_ROWS = 1024


@dataclass(frozen=True, slots=True)
class Merge:
    """Parts of one folder merged into one file."""

    folder: str  # a dataset name, or "ledger"
    parts: list[Path]
    final: Path


def part_span(path: Path) -> tuple[str, str]:
    """(first run, last run) a part holds, from its name: part-<run>, part-<first>--<last>."""
    stem = path.name.removesuffix(".parquet").removeprefix("part-")
    first, _, last = stem.partition("--")
    return first, last or first


def merged_name(parts: list[Path]) -> str:
    return f"part-{part_span(parts[0])[0]}--{part_span(parts[-1])[1]}.parquet"


def folder_parts(root: Path, folder: str) -> list[Path]:
    """Committed part files of a dataset or of the ledger, in name (run) order."""
    if folder == LEDGER_NAME:
        return sorted((root / STATE / LEDGER_NAME).glob("part-*.parquet"))
    return [p for p in dataset_files(root, folder) if p.name.startswith("part-")]


def folder_schema(folder: str) -> pa.Schema:
    return LEDGER if folder == LEDGER_NAME else DATASETS[folder][0]


def plan_groups(sizes: list[tuple[Path, int]], file_bytes: int) -> list[list[Path]]:
    """Runs of consecutive parts each under `file_bytes`, cut so a group stays within about
    `file_bytes` on disk; groups of one part are dropped (nothing to merge)."""
    groups: list[list[Path]] = []
    current: list[Path] = []
    total = 0
    for path, size in sizes:
        if size >= file_bytes:  # already large: it ends the run of small parts
            groups.append(current)
            current, total = [], 0
            continue
        if current and total + size > file_bytes:
            groups.append(current)
            current, total = [], 0
        current.append(path)
        total += size
    groups.append(current)
    return [g for g in groups if len(g) > 1]


def plan_merges(root: Path, folders: list[str], file_bytes: int) -> list[Merge]:
    merges = []
    for folder in folders:
        parts = folder_parts(root, folder)
        for group in plan_groups([(p, p.stat().st_size) for p in parts], file_bytes):
            merges.append(Merge(folder, group, group[0].with_name(merged_name(group))))
    return merges


def group_rows(parts: list[Path], row_group_bytes: int) -> int:
    """Rows per row group so that a group holds about `row_group_bytes` of uncompressed data."""
    rows = 0
    nbytes = 0
    for path in parts:
        try:
            meta = pq.ParquetFile(path).metadata
        except (pa.ArrowException, OSError) as exc:
            raise unreadable(path, exc) from exc
        rows += meta.num_rows
        nbytes += sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if not rows:
        return MIN_GROUP_ROWS
    return max(MIN_GROUP_ROWS, int(row_group_bytes // max(1.0, nbytes / rows)))


def write_merged(merge: Merge, row_group_bytes: int, compression: str) -> tuple[Path, int]:
    """Stream the parts, in order, into the merged file's temporary name: (temporary path, rows).

    Memory holds one row group's worth of rows (plus one part being read).
    """
    schema = folder_schema(merge.folder)
    per_group = group_rows(merge.parts, row_group_bytes)
    writer = StreamWriter(merge.final, schema, compression)
    pending: list[pa.Table] = []
    n_pending = 0
    for path in merge.parts:
        table = conform(read_part(path), schema)
        pending.append(table)
        n_pending += table.num_rows
        while n_pending >= per_group:
            combined = pa.concat_tables(pending)
            writer.write(combined.slice(0, per_group).combine_chunks())
            rest = combined.slice(per_group)
            pending, n_pending = [rest], rest.num_rows
    if n_pending:
        writer.write(pa.concat_tables(pending).combine_chunks())
    return writer.close(), writer.rows


def footer_count(paths: list[Path]) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in paths)
