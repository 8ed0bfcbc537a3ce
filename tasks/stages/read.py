"""Read: one batch of input files -> staged cleaned articles, rejects and ledger rows."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
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
from newsevents.tasks.stages.progress import Tracker
from newsevents.tasks.store import faults
from newsevents.tasks.store.writer import (
    LEDGER,
    Layout,
    stage_records,
    stage_table,
    transient_error,
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


def read_one(
    path: Path, rel: str, limits: ReadLimits, delays: Sequence[float] = (), sleep: Callable = time.sleep
) -> ReadResult:
    """`read_file`, with any failure the readers did not foresee a reject of the file.

    A file that could not be opened or read for a reason that may pass (a network mount timing
    out) is read again after each of `delays` seconds before it becomes an `unreadable` reject;
    it is not in the ledger then, so the next run tries it again too. A folder (one that could
    not be listed) is an `unreadable` reject naming the error.
    """
    if path.is_dir():
        try:
            with os.scandir(path) as entries:
                next(entries, None)
        except OSError as exc:
            return ReadResult(rejects=[Reject(rel, "unreadable", f"folder: {error_detail(exc)}")])
        return ReadResult()  # listable now: the next run finds its files
    for delay in [*delays, None]:
        try:
            result = read_file(path, rel, limits)
        except Exception as exc:
            return ReadResult(rejects=[Reject(rel, "read_error", error_detail(exc))])
        if result.identity is not None or delay is None or not transient_error(open_error(path)):
            return result
        sleep(delay)
    return result


def open_error(path: Path) -> OSError | None:
    """The error opening and reading `path` raises now, if any (its errno tells transient
    failures from lasting ones; the readers keep only the message)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            os.read(fd, 1)
        finally:
            os.close(fd)
    except OSError as exc:
        return exc
    return None


def read_batch(input_dir: Path, rel_paths: list[str], layout: Layout, batch: int, cfg: Config) -> ReadOutput:
    """Read and clean one batch of files into staged `articles`, `rejects` and ledger rows.

    Nothing one file holds stops the batch: each failure is a reject. The ledger keeps the
    identity (size, mtime) of the bytes as they were opened, so a file replaced during the read
    no longer matches it and is read again by the next run.
    """
    input_dir = input_dir.resolve()
    limits = read_limits(cfg)
    delays = cfg.pipeline.retry_delays()
    tracker = Tracker(layout.staging, "read", batch)
    articles: list[Article] = []
    rejects: list[Reject] = []
    ledger_rows = []
    for rel in rel_paths:
        tracker.add()
        path = input_dir / rel
        source = printable_path(rel)  # a non-UTF-8 file name as storable text
        result = read_one(path, source, limits, delays)
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
    tracker.close()
    faults.fault_point("after-read")
    return ReadOutput(
        articles=str(a),
        rejects=str(r),
        ledger=str(lg),
        n_articles=len(articles),
        reject_reasons=dict(Counter(rej.reason for rej in rejects)),
    )
