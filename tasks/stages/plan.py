"""Plan: which input files a run reads (new or changed since the ledger saw them), in batches."""

from __future__ import annotations

import fnmatch
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from newsevents.tasks.config import Config
from newsevents.tasks.ingest.readers import printable_path
from newsevents.tasks.stages.inputs import check_input
from newsevents.tasks.stages.summary import RunSummary
from newsevents.tasks.store.check import committed_files, part_error
from newsevents.tasks.store.schema import DATASETS
from newsevents.tasks.store.writer import (
    STATE,
    count_rows,
    dataset_files,
    read_ledger,
)


@dataclass(slots=True)
class Plan:
    batches: list[list[str]]
    n_files: int
    n_unchanged: int
    warnings: list[str] = field(default_factory=list)


def matches(rel: str, include: list[str], exclude: list[str]) -> bool:
    """Include by file name, exclude by any path part; both case-insensitive."""
    parts = rel.lower().split("/")
    if any(fnmatch.fnmatch(part, pat.lower()) for part in parts for pat in exclude):
        return False
    return any(fnmatch.fnmatch(parts[-1], pat.lower()) for pat in include)


def discover(input_dir: Path, cfg: Config, out_root: Path | None = None) -> list[str]:
    """Relative paths of every input file under `input_dir`, sorted for a stable batch order; an
    output root inside the input folder is never read back (its report.html is no article).

    A subfolder that cannot be listed is returned as an input too: the read stage makes it an
    `unreadable` reject naming the error, where os.walk alone would skip it in silence.
    """
    found = []
    skip = out_root.resolve() if out_root is not None else None

    def unlisted(exc: OSError) -> None:
        if exc.filename is None:
            return
        rel = Path(exc.filename).relative_to(input_dir).as_posix()
        if rel != "." and not any(
            fnmatch.fnmatch(part, pat.lower()) for part in rel.lower().split("/") for pat in cfg.input.exclude
        ):
            found.append(rel)

    for dirpath, dirnames, filenames in os.walk(input_dir, onerror=unlisted):
        if skip is not None:
            dirnames[:] = [d for d in dirnames if (Path(dirpath) / d).resolve() != skip]
        dirnames.sort()
        for name in filenames:
            rel = (Path(dirpath) / name).relative_to(input_dir).as_posix()
            if matches(rel, cfg.input.include, cfg.input.exclude):
                found.append(rel)
    return sorted(found)


def plan_run(input_dir: Path, out_root: Path, cfg: Config) -> Plan:
    """Batches of files to read: everything new or changed since the ledger last saw it."""
    input_dir = check_input(input_dir.resolve())
    files = discover(input_dir, cfg, out_root)
    ledger = read_ledger(out_root)
    seen = {
        (p, s, m)
        for p, s, m in zip(
            ledger.column("input_path").to_pylist(),
            ledger.column("size").to_pylist(),
            ledger.column("mtime_ns").to_pylist(),
            strict=True,
        )
    }
    todo, unchanged = [], 0
    for rel in files:
        path = input_dir / rel
        try:
            st = path.stat()
        except OSError:
            todo.append(rel)  # read_file turns it into a reject with the reason
            continue
        if (printable_path(str(path)), st.st_size, st.st_mtime_ns) in seen:
            unchanged += 1
        else:
            todo.append(rel)
    size = cfg.pipeline.files_per_batch
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    warnings = []
    if not files and ledger.num_rows:
        here = printable_path(str(input_dir)) + "/"
        before = sum(1 for p in ledger.column("input_path").to_pylist() if p.startswith(here))
        if before:
            warnings.append(
                f"input folder {input_dir} is empty, but earlier runs read {before} file(s) from it: "
                "is the share mounted?"
            )
    return Plan(batches=batches, n_files=len(files), n_unchanged=unchanged, warnings=warnings)


def new_run_id() -> str:
    """Sortable by time (part files list in run order) and unique within a second."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.urandom(3).hex()}"


def unchanged_summary(input_dir: Path, root: Path, cfg: Config) -> RunSummary | None:
    """The summary of a run that would read nothing, or None when a run has work to do.

    Lets `newsevents run` answer "nothing new" without starting Prefect, whose temporary server
    costs ~10 s: the bulk of a nightly rerun on an unchanged folder. A run is still needed when
    an earlier one left a journal or staging behind (it must be recovered), when a committed
    part is unreadable (it must be set aside) or when no dataset exists yet (the first run writes
    them, empty or not). Call it holding the run lock.
    """
    state = root / STATE
    if any(state.glob("commit-*.json")) or any((state / "runs").glob("*")):
        return None
    if any(part_error(p, full=False) for p in committed_files(root)):
        return None  # the flow's recover step sets the damaged part aside and says so
    if not all(dataset_files(root, name) for name in DATASETS):
        return None
    t0 = time.perf_counter()
    plan = plan_run(input_dir, root, cfg)
    if plan.batches:
        return None
    return RunSummary(
        run_id="",
        n_files=plan.n_files,
        n_unchanged=plan.n_unchanged,
        rows=dict.fromkeys(DATASETS, 0),
        totals={name: count_rows(root, name) for name in DATASETS},
        seconds=round(time.perf_counter() - t0, 3),
        warnings=["nothing new or changed since the last run: no flow run was started"],
    )
