"""Check: find committed files that cannot be read and set them aside, so one damaged part
(a disk error, a truncated copy) never blocks every later run and query.

A file is never deleted: it moves to `_state/quarantine/<stamp>/` under its own relative path,
with `reasons.json` saying why. What is lost is then rebuilt where it can be:

- an `articles` or `rejects` part: the inputs whose rows it held leave the ledger (the ledger
  parts as they were go aside too), so the next run reads them again (those still in the input
  folder); with `articles`, the near-duplicate index goes aside too and the next run rebuilds it
  from the stored articles. The derived rows of the lost articles survive, and the next run
  extracts those articles again beside them: `newsevents reprocess` then rebuilds every derived
  dataset with each row once;
- a ledger part: the next run reads its inputs again (stored articles are recognised, not doubled);
- `event_clusters`: the next run recomputes it from the stored events;
- `actors`, `actor_mentions`, `places`, `events`, `claims`: `newsevents reprocess OUT` rebuilds
  them from the stored articles.

`newsevents run` checks every footer before it starts (a truncated part has none); `newsevents
check` also reads every page, which finds damage inside a file.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsevents.tasks.store.schema import DATASETS
from newsevents.tasks.store.writer import (
    LEDGER,
    STATE,
    dataset_files,
    read_dataset,
    read_parquet_files,
    write_parquet_atomic,
)

QUARANTINE = "quarantine"
DEDUP_DIR = "dedup"  # tasks.dedup.index keeps its state here; the store must not import dedup
REBUILT_BY_REPROCESS = ("actors", "actor_mentions", "places", "events", "claims")


@dataclass(frozen=True, slots=True)
class SetAside:
    """One file (or folder) moved out of the way, and why."""

    path: str  # relative to the output root, as it was
    moved_to: str  # relative to the output root
    error: str
    remedy: str

    def note(self) -> str:
        return f"set aside {self.path} ({self.error}) in {self.moved_to}: {self.remedy}"


def part_error(path: Path, full: bool) -> str | None:
    """Why `path` cannot be read (footer only, or every page with `full`), or None."""
    try:
        if full:
            pq.read_table(path)
        else:
            pq.ParquetFile(path).metadata  # noqa: B018 - reading the footer is the check
    except (pa.ArrowException, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def committed_files(root: Path) -> list[Path]:
    """Every committed Parquet file: dataset parts and ledger parts."""
    files = [p for name in DATASETS for p in dataset_files(root, name)]
    return files + sorted((root / STATE / "ledger").glob("part-*.parquet"))


def _remedy(dataset: str) -> str:
    if dataset == "articles":
        return (
            "the next run reads the inputs of its articles again; then `newsevents reprocess` rebuilds "
            "the derived rows of those articles, which the next run extracts a second time"
        )
    if dataset == "rejects":
        return "the next run reads the inputs of its rejects again"
    if dataset == "ledger":
        return "the next run reads its inputs again"
    if dataset == "event_clusters":
        return "the next run recomputes it"
    return "`newsevents reprocess` rebuilds it from the stored articles"


def set_aside_unreadable(root: Path, full: bool = False) -> list[SetAside]:
    """Move every unreadable committed file (and what must be rebuilt with it) under
    `_state/quarantine/<stamp>/`; call it holding the run lock. Returns what moved."""
    bad = [(p, err) for p in committed_files(root) if (err := part_error(p, full)) is not None]
    if not bad:
        return []
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.urandom(2).hex()}"
    dest = root / STATE / QUARANTINE / stamp
    moved: list[SetAside] = []

    def move(path: Path, error: str, remedy: str) -> None:
        if not path.exists():
            return
        rel = path.relative_to(root)
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved.append(SetAside(rel.as_posix(), target.relative_to(root).as_posix(), error, remedy))

    lost: set[str] = set()
    for path, error in bad:
        dataset = "ledger" if path.parent.name == "ledger" else path.parent.name
        move(path, f"unreadable: {error}", _remedy(dataset))
        if dataset in LEDGER_COUNTS:
            lost.add(dataset)
        if dataset == "articles":
            index = root / STATE / DEDUP_DIR
            remedy = "the next run rebuilds it from the stored articles"
            move(index, f"goes with {path.relative_to(root)}", remedy)
    if lost:
        moved.extend(forget_lost_inputs(root, dest, lost))
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "reasons.json").write_text(
        json.dumps([asdict(m) for m in moved], indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    return moved


# The ledger column that says a file gave rows to the dataset.
LEDGER_COUNTS = {"articles": "n_articles", "rejects": "n_rejects"}


def forget_lost_inputs(root: Path, dest: Path, lost: set[str]) -> list[SetAside]:
    """Take out of the ledger every input whose articles (or rejects) are no longer stored, so
    the next run reads it again; the ledger parts as they were go to `dest`.

    Which run's ledger part took a file is no guide (a run after `_state` was deleted records
    every file again): a file is lost when the ledger says it gave rows to a lost dataset and
    no stored row of that dataset has its `source_path`.
    """
    stored = {
        name: set(read_dataset(root, name, columns=["source_path"]).column("source_path").to_pylist())
        for name in lost
    }
    out: list[SetAside] = []
    for part in sorted((root / STATE / "ledger").glob("part-*.parquet")):
        ledger = read_parquet_files([part], LEDGER)
        paths = ledger.column("source_path").to_pylist()
        gone = [False] * ledger.num_rows
        for name in lost:
            counts = ledger.column(LEDGER_COUNTS[name]).to_pylist()
            gone = [
                g or (n > 0 and p not in stored[name]) for g, n, p in zip(gone, counts, paths, strict=True)
            ]
        if not any(gone):
            continue
        kept = ledger.filter(pa.array([not g for g in gone], pa.bool_()))
        rel = part.relative_to(root)
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(part, target)  # the part as it was, before the filtered one replaces it
        if kept.num_rows:
            write_parquet_atomic(kept, part)
        else:
            part.unlink()
        remedy = f"the next run reads these {sum(gone)} input(s) again"
        out.append(
            SetAside(
                rel.as_posix(),
                target.relative_to(root).as_posix(),
                "lists inputs whose rows were lost",
                remedy,
            )
        )
    return out
