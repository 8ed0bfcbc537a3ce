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
"""

from newsevents.tasks.stages.commit import commit_run
from newsevents.tasks.stages.dedup import DedupOutput, dedup_run
from newsevents.tasks.stages.extract import ExtractOutput, extract_shard
from newsevents.tasks.stages.plan import Plan, new_run_id, plan_run, unchanged_summary
from newsevents.tasks.stages.read import ReadOutput, read_batch
from newsevents.tasks.stages.reprocess import commit_reprocess, reshard_stored
from newsevents.tasks.stages.summary import RunSummary

__all__ = [
    "DedupOutput",
    "ExtractOutput",
    "Plan",
    "ReadOutput",
    "RunSummary",
    "commit_reprocess",
    "commit_run",
    "dedup_run",
    "extract_shard",
    "new_run_id",
    "plan_run",
    "read_batch",
    "reshard_stored",
    "unchanged_summary",
]
