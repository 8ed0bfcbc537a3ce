"""Read: one batch of input files -> staged cleaned articles, rejects and ledger rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from newsevents.tasks.config import Config
from newsevents.tasks.ingest.clean import clean_doc
from newsevents.tasks.ingest.readers import read_file
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


def read_batch(input_dir: Path, rel_paths: list[str], layout: Layout, batch: int, cfg: Config) -> ReadOutput:
    """Read and clean one batch of files into staged `articles`, `rejects` and ledger rows."""
    input_dir = input_dir.resolve()
    articles: list[Article] = []
    rejects: list[Reject] = []
    ledger_rows = []
    for rel in rel_paths:
        path = input_dir / rel
        result = read_file(path, rel, cfg.input.max_file_bytes)
        n_before, r_before = len(articles), len(rejects)
        rejects.extend(result.rejects)
        for raw in result.docs:
            cleaned = clean_doc(raw)
            (articles if isinstance(cleaned, Article) else rejects).append(cleaned)
        try:
            st = path.stat()
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:
            continue  # unreadable: not in the ledger, so the next run tries again
        ledger_rows.append(
            {
                "input_path": str(path),
                "source_path": rel,
                "size": size,
                "mtime_ns": mtime,
                "n_articles": len(articles) - n_before,
                "n_rejects": len(rejects) - r_before,
                "run_id": layout.run_id,
            }
        )
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
