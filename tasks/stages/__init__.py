"""The pipeline's stages at batch granularity: file paths in, file paths and counts out.

Each entry function is what one Prefect task runs (flows/nightly.py wraps them thinly), and is
callable without Prefect. Stages hand each other paths to staged Parquet files, never frames,
so task inputs stay small to hash and to send to worker processes.

    plan_run       plan.py       which files to read, in batches
    read_batch     read.py       files -> cleaned articles, rejects, ledger rows
    dedup_run      dedup.py      duplicates decided, canonical articles cut into shards
    extract_shard  extract.py    one shard parsed once, every extractor run
    commit_run     commit.py     every dataset's part renamed into place together
    reshard_stored, commit_reprocess   reprocess.py   rebuild derived rows from stored articles
    compact_store  compact.py    small part files merged under a journal (`newsevents compact`)

Names load lazily (PEP 562): the flow's process imports what it calls, and never spaCy, which
only the processes that extract need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "commit_run": "commit",
    "DedupOutput": "dedup",
    "dedup_run": "dedup",
    "ExtractOutput": "extract",
    "extract_shard": "extract",
    "InputUnavailable": "inputs",
    "Plan": "plan",
    "check_input": "inputs",
    "new_run_id": "plan",
    "plan_run": "plan",
    "unchanged_summary": "plan",
    "ReadOutput": "read",
    "read_batch": "read",
    "commit_reprocess": "reprocess",
    "reshard_stored": "reprocess",
    "RunSummary": "summary",
    "run_highlights": "summary",
    "shard_rows": "dedup",
    "compact_store": "compact",
    "CompactSummary": "compact",
    "folders_to_compact": "compact",
}

__all__ = [
    "CompactSummary",
    "DedupOutput",
    "ExtractOutput",
    "InputUnavailable",
    "Plan",
    "ReadOutput",
    "RunSummary",
    "check_input",
    "commit_reprocess",
    "commit_run",
    "compact_store",
    "dedup_run",
    "extract_shard",
    "folders_to_compact",
    "new_run_id",
    "plan_run",
    "read_batch",
    "reshard_stored",
    "run_highlights",
    "shard_rows",
    "unchanged_summary",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from newsevents.tasks.stages.commit import commit_run
    from newsevents.tasks.stages.compact import CompactSummary, compact_store, folders_to_compact
    from newsevents.tasks.stages.dedup import DedupOutput, dedup_run, shard_rows
    from newsevents.tasks.stages.extract import ExtractOutput, extract_shard
    from newsevents.tasks.stages.inputs import InputUnavailable, check_input
    from newsevents.tasks.stages.plan import Plan, new_run_id, plan_run, unchanged_summary
    from newsevents.tasks.stages.read import ReadOutput, read_batch
    from newsevents.tasks.stages.reprocess import commit_reprocess, reshard_stored
    from newsevents.tasks.stages.summary import RunSummary, run_highlights
