"""Read: one batch of input files -> staged cleaned articles, rejects and ledger rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from newsevents.tasks.config import Config
from newsevents.tasks.ingest.clean import safe_clean
from newsevents.tasks.ingest.readers import (
    ReadLimits,
    ReadResult,
    error_detail,
    printable_path,
    read_file,
    short_detail,
)
from newsevents.tasks.records import Article, Reject
from newsevents.tasks.store import faults
from newsevents.tasks.store.writer import (
    LEDGER,
    Layout,
    stage_records,
    stage_table,
)


@dataclass(slots=True)
class ReadOutput:
    articles: str
    rejects: str
    ledger: str
    n_articles: int
    reject_reasons: dict[str, int] = field(default_factory=dict)


def read_limits(cfg: Config) -> ReadLimits:
    i = cfg.input
    return ReadLimits(i.max_file_bytes, i.max_json_depth, i.max_number_digits)


def read_one(path: Path, rel: str, limits: ReadLimits) -> ReadResult:
    """`read_file`, with any failure the readers did not foresee a reject of the file."""
    try:
        return read_file(path, rel, limits)
    except Exception as exc:
        return ReadResult(rejects=[Reject(rel, "read_error", error_detail(exc))])


def read_batch(input_dir: Path, rel_paths: list[str], layout: Layout, batch: int, cfg: Config) -> ReadOutput:
    """Read and clean one batch of files into staged `articles`, `rejects` and ledger rows.

    Nothing one file holds stops the batch: each failure is a reject. The ledger keeps the
    identity (size, mtime) of the bytes as they were opened, so a file replaced during the read
    no longer matches it and is read again by the next run.
    """
    input_dir = input_dir.resolve()
    limits = read_limits(cfg)
    articles: list[Article] = []
    rejects: list[Reject] = []
    ledger_rows = []
    for rel in rel_paths:
        path = input_dir / rel
        source = printable_path(rel)  # a non-UTF-8 file name as storable text
        result = read_one(path, source, limits)
        n_before, r_before = len(articles), len(rejects)
        rejects.extend(result.rejects)
        for raw in result.docs:
            cleaned = safe_clean(raw)
            (articles if isinstance(cleaned, Article) else rejects).append(cleaned)
        if result.identity is None:
            continue  # unreadable: not in the ledger, so the next run tries again
        size, mtime = result.identity
        ledger_rows.append(
            {
                "input_path": printable_path(str(path)),
                "source_path": source,
                "size": size,
                "mtime_ns": mtime,
                "n_articles": len(articles) - n_before,
                "n_rejects": len(rejects) - r_before,
                "run_id": layout.run_id,
            }
        )
    for rej in rejects:
        rej.detail = short_detail(rej.detail)
    comp = cfg.output.compression
    a = stage_records(articles, "articles", layout, batch, comp)
    r = stage_records(rejects, "rejects", layout, batch, comp)
    lg = stage_table(pa.Table.from_pylist(ledger_rows, schema=LEDGER), layout.staged("ledger", batch), comp)
    faults.fault_point("after-read")
    return ReadOutput(
        articles=str(a),
        rejects=str(r),
        ledger=str(lg),
        n_articles=len(articles),
        reject_reasons=dict(Counter(rej.reason for rej in rejects)),
    )
