"""Every Parquet read and write of the pipeline, and the atomic commit of a run.

Layout under the output root::

    <dataset>/part-<run_id>.parquet   one file per run and dataset (appended, never rewritten)
    actors/actors.parquet             the merged actor table (replaced whole each run)
    _state/runs/<run_id>/             staging: batch files written by tasks before commit
    _state/ledger/part-<run_id>.parquet  the input files each run took
    _state/history/<run_id>.json      the run's summary (store/history.py), renamed with the run
    _state/commit-<run_id>.json       the journal of a commit in progress
    _state/lock                       held by the running run
    <dataset>/part-<first>--<last>.parquet  parts of runs first..last merged by compaction

Commit protocol: every final file is first written complete under a hidden temporary name
(readers ignore names starting with "." or "_"), then a journal listing the renames is written,
then the renames happen, the ledger last. A run killed before the journal leaves only staging,
which the next run deletes; a run killed after it is rolled forward by the next run. So the
previous outputs stay readable at every instant and no row is ever written twice.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsevents import EXTRACTOR_VERSION
from newsevents.tasks.store import faults
from newsevents.tasks.store.schema import DATASETS, to_table

STATE = "_state"
ACTORS_FILE = "actors.parquet"
# Datasets replaced whole by each run (one file each) rather than appended to.
REWRITTEN = {"actors": ACTORS_FILE, "event_clusters": "event_clusters.parquet"}
LEDGER = pa.schema(
    [
        pa.field("input_path", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("size", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
        pa.field("n_articles", pa.int64(), nullable=False),
        pa.field("n_rejects", pa.int64(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)


class RunLocked(RuntimeError):
    """Another run holds the output root."""


# Output errors the operator fixes by pointing --out elsewhere or fixing permissions (exit 2),
# and the disk running full (exit 1: the same command works once there is room).
_CANNOT_WRITE = {
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "the path exists and is not a folder",
    errno.EISDIR: "the path is a folder",
    errno.ENOENT: "no such file or folder (and it cannot be created)",
}
_DISK_FULL = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "disk quota exceeded"}


def _disk_is_full(path: Path) -> bool:
    for folder in (path, *path.parents):
        if folder.exists():
            with contextlib.suppress(OSError):
                return shutil.disk_usage(folder).free == 0
            return False
    return False


def named_output_error(exc: OSError, path: Path) -> OSError:
    """`exc` as a plain OSError with its errno and the file it concerns. pyarrow's disk-full
    error has neither ("44246 requested and 4096 written"); a plain OSError also crosses the
    process-pool boundary intact."""
    code = exc.errno
    text = str(exc)
    if code is None and ("requested and" in text or "No space" in text or _disk_is_full(Path(path))):
        code = errno.ENOSPC
    filename = exc.filename if exc.filename is not None else str(path)
    return OSError(code, exc.strerror or text, filename)


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Name `path` in any OSError raised while writing it."""
    try:
        yield
    except OSError as exc:
        raise named_output_error(exc, path) from exc


# Errors a moment later may not repeat: a network mount timing out or going stale, a file busy,
# an interrupted call. Everything else (permissions, a full disk, a bad file, a bug) is
# deterministic: trying again only delays the failure.
TRANSIENT_ERRNOS = frozenset(
    getattr(errno, name)
    for name in (
        "EIO", "EAGAIN", "EBUSY", "EINTR", "ETIMEDOUT", "ESTALE", "ENOTCONN", "ECONNRESET",
        "ECONNABORTED", "ECONNREFUSED", "EHOSTDOWN", "EHOSTUNREACH", "ENETDOWN", "ENETUNREACH",
        "ENETRESET", "ENOLCK", "EREMOTEIO", "ECOMM",
    )
    if hasattr(errno, name)
)  # fmt: skip


def transient_error(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) is an I/O error worth trying again after a pause."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in TRANSIENT_ERRNOS:
            return True
        if isinstance(exc, TimeoutError | ConnectionError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def output_failure(exc: BaseException, root: Path) -> tuple[str, int] | None:
    """An output-side failure as one line naming the path, and the exit code: 2 when the output
    cannot be written there (permissions, read-only, a file in the way), 1 when the disk is full.
    None when `exc` (or what caused it) is no such error."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError):
            where = exc.filename if exc.filename is not None else root
            if exc.errno in _DISK_FULL:
                return f"cannot write {where}: {_DISK_FULL[exc.errno]} (earlier outputs are intact)", 1
            if exc.errno in _CANNOT_WRITE:
                return f"cannot write {where}: {_CANNOT_WRITE[exc.errno]} ({exc.strerror or exc})", 2
        exc = exc.__cause__ or exc.__context__
    return None


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a run's files live; pure path arithmetic, no I/O."""

    root: Path
    run_id: str

    @property
    def state(self) -> Path:
        return self.root / STATE

    @property
    def staging(self) -> Path:
        return self.state / "runs" / self.run_id

    @property
    def journal(self) -> Path:
        return self.state / f"commit-{self.run_id}.json"

    def dataset(self, name: str) -> Path:
        return self.root / name

    def staged(self, name: str, batch: int) -> Path:
        return self.staging / name / f"batch-{batch:05d}.parquet"

    def final(self, name: str) -> Path:
        if name in REWRITTEN:
            return self.dataset(name) / REWRITTEN[name]
        return self.dataset(name) / f"part-{self.run_id}.parquet"

    def ledger_part(self) -> Path:
        return self.state / "ledger" / f"part-{self.run_id}.parquet"


def temp_name(final: Path) -> Path:
    """Hidden sibling of `final`: same filesystem (so rename is atomic), ignored by readers."""
    return final.with_name(f".{final.name}.tmp")


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_parquet_atomic(table: pa.Table, final: Path, compression: str = "zstd") -> Path:
    """Write `table` to `final` so that it appears complete or not at all."""
    os.replace(write_temp(table, final, compression), final)
    _fsync_dir(final.parent)
    return final


def stage_records(
    records: list[Any], name: str, layout: Layout, batch: int, compression: str = "zstd"
) -> Path:
    """A task's output for one dataset and batch, stamped with run id and extractor version."""
    schema, _ = DATASETS[name]
    table = to_table(records, schema, run_id=layout.run_id, extractor_version=EXTRACTOR_VERSION)
    return write_parquet_atomic(table, layout.staged(name, batch), compression)


def stage_table(table: pa.Table, path: Path, compression: str = "zstd") -> Path:
    return write_parquet_atomic(table, path, compression)


class UnreadablePart(RuntimeError):
    """A committed Parquet file that cannot be read; the message names it and the remedy."""


def unreadable(path: Path, exc: BaseException) -> UnreadablePart:
    root = next((p.parent for p in Path(path).parents if p.name == STATE), Path(path).parent.parent)
    return UnreadablePart(
        f"unreadable Parquet file {path}: {type(exc).__name__}: {exc} "
        f"(`newsevents check {root}` sets it aside)"
    )


def read_part(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One committed file (of `columns` it holds); a damaged one raises UnreadablePart naming it."""
    try:
        if columns is not None:
            present = set(pq.read_schema(path).names)
            columns = [c for c in columns if c in present]
        return pq.read_table(path, columns=columns)
    except (pa.ArrowException, OSError) as exc:
        raise unreadable(path, exc) from exc


def conform(table: pa.Table, target: pa.Schema) -> pa.Table:
    """`table` with exactly `target`'s columns: a part written before a column was added reads
    it as nulls (the column must be nullable)."""
    if table.schema.equals(target):
        return table
    arrays = [
        table.column(f.name) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
        for f in target
    ]
    return pa.Table.from_arrays(arrays, schema=target).cast(target)


def read_parquet_files(
    paths: Iterable[Path], schema: pa.Schema, columns: list[str] | None = None
) -> pa.Table:
    """Concatenate files that share `schema` (an empty table with that schema when none)."""
    target = schema if columns is None else pa.schema([schema.field(c) for c in columns])
    tables = []
    for p in paths:
        if Path(p).exists():
            tables.append(conform(read_part(Path(p), columns), target))
    if not tables:
        return target.empty_table()
    return pa.concat_tables(tables)


def dataset_files(root: Path, name: str) -> list[Path]:
    """Committed part files of a dataset, in name order (run ids sort by time)."""
    folder = root / name
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.parquet") if not p.name.startswith((".", "_")))


def read_dataset(root: Path, name: str, columns: list[str] | None = None) -> pa.Table:
    schema, _ = DATASETS[name]
    return read_parquet_files(dataset_files(root, name), schema, columns)


# ---------------------------------------------------------------- locking and recovery


# Output roots this process holds, with how many `run_lock` blocks hold each: the command takes
# the lock before Prefect starts, and the flow it then runs in the same process enters it again.
_HELD: dict[str, int] = {}
_HELD_GUARD = threading.Lock()


def _try_flock(fh) -> bool:
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def lock_holder(root: Path) -> str:
    """The pid written by the process holding the lock, as text ("" when unknown)."""
    with contextlib.suppress(OSError):
        return (root / STATE / "lock").read_text(encoding="utf-8").strip()
    return ""


@contextlib.contextmanager
def run_lock(
    root: Path,
    wait: float | None = 0,
    on_wait: Callable[[str], None] | None = None,
    *,
    reentrant: bool = False,
) -> Iterator[None]:
    """Hold the output root for one run, so two runs never interleave their writes.

    `wait` is how long to wait for another holder: 0 fails at once (RunLocked), None waits as
    long as it takes; `on_wait(holder_pid)` is called once when waiting starts. With
    `reentrant`, a root this process already holds is entered again (the command takes the lock
    before Prefect starts, the flow it runs in-process enters it again); without it, a second
    holder in the same process is refused like another process. An advisory flock: released by
    the kernel when the holder dies, even by `kill -9`, so a crashed run never leaves the root
    locked.
    """
    key = str(Path(root).resolve())
    with _HELD_GUARD:
        reentered = key in _HELD
        if reentered and reentrant:
            _HELD[key] += 1
    if reentered and not reentrant:
        raise RunLocked(
            f"another newsevents run in this process is writing to {root}; "
            "wait for it to finish (`--wait`) or use another --out"
        )
    if reentered:
        try:
            yield
        finally:
            with _HELD_GUARD:
                _HELD[key] -= 1
        return
    state = root / STATE
    with writing(state):
        state.mkdir(parents=True, exist_ok=True)
        fh = open(state / "lock", "a+")  # noqa: SIM115 - closed by the with below
    with fh:
        deadline = None if wait is None else time.monotonic() + wait
        announced = False
        while not _try_flock(fh):
            if deadline is not None and time.monotonic() >= deadline:
                holder = lock_holder(root)
                waited = f" (waited {wait:.0f} s)" if wait else ""
                pid = f"pid {holder}, " if holder else ""
                raise RunLocked(
                    f"another newsevents run is writing to {root} ({pid}lock {state / 'lock'}){waited}; "
                    "wait for it to finish (`--wait`) or use another --out"
                )
            if not announced and on_wait is not None:
                on_wait(lock_holder(root))
                announced = True
            time.sleep(0.5 if deadline is None else min(0.5, max(0.0, deadline - time.monotonic())))
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        with _HELD_GUARD:
            _HELD[key] = 1
        try:
            yield
        finally:
            with _HELD_GUARD:
                del _HELD[key]


def _apply_moves(moves: list[list[str]]) -> None:
    for tmp, final in moves:
        tmp_p, final_p = Path(tmp), Path(final)
        if tmp_p.exists():
            with writing(final_p):
                final_p.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_p, final_p)
            _fsync_dir(final_p.parent)


def _apply_deletes(deletes: list[str]) -> None:
    for i, path in enumerate(deletes):
        Path(path).unlink(missing_ok=True)
        if i == len(deletes) // 2:
            faults.fault_point("commit-half-deleted")


def recover(root: Path) -> list[str]:
    """Finish commits a killed run journaled; discard staging of runs that never got that far."""
    state = root / STATE
    finished: list[str] = []
    for journal in sorted(state.glob("commit-*.json")):
        run_id = journal.stem.removeprefix("commit-")
        entry = json.loads(journal.read_text(encoding="utf-8"))
        _apply_moves(entry["moves"])
        _apply_deletes(entry.get("deletes", []))
        journal.unlink()
        finished.append(run_id)
    runs = state / "runs"
    if runs.is_dir():
        for staging in runs.iterdir():
            shutil.rmtree(staging, ignore_errors=True)
    # Temporary files outside staging belong to commits that never journaled.
    for tmp in root.glob("*/.*.tmp"):
        tmp.unlink(missing_ok=True)
    for tmp in state.glob("**/.*.tmp"):
        tmp.unlink(missing_ok=True)
    return finished


def commit(layout: Layout, tables: dict[Path, Path], deletes: list[Path] | None = None) -> None:
    """Rename staged complete files (`tmp -> final`) under a journal; the ledger comes last.

    `tables` maps each final path to its already written temporary file; the caller orders it
    so the ledger part is the last entry. `deletes` (files superseded by this commit, e.g. the
    parts a reprocess replaces) go after every rename, so no instant lacks the data.
    """
    moves = [[str(tmp), str(final)] for final, tmp in tables.items()]
    entry = {"run_id": layout.run_id, "moves": moves, "deletes": [str(p) for p in deletes or []]}
    journal_tmp = temp_name(layout.journal)
    with writing(journal_tmp):
        layout.state.mkdir(parents=True, exist_ok=True)
        journal_tmp.write_text(json.dumps(entry), encoding="utf-8")
        with open(journal_tmp, "rb") as fh:
            os.fsync(fh.fileno())
    faults.fault_point("commit-staged")
    os.replace(journal_tmp, layout.journal)
    _fsync_dir(layout.state)
    for i, move in enumerate(moves):
        _apply_moves([move])
        if i == len(moves) // 2:
            faults.fault_point("commit-half-moved")
    _apply_deletes(entry["deletes"])
    layout.journal.unlink()
    shutil.rmtree(layout.staging, ignore_errors=True)


def write_temp(table: pa.Table, final: Path, compression: str = "zstd") -> Path:
    """Write the complete file under its temporary name; `commit` renames it into place."""
    tmp = temp_name(final)
    with writing(tmp):
        final.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, tmp, compression=None if compression == "none" else compression)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
    return tmp


class StreamWriter:
    """Append tables as row groups to one temporary Parquet file, so memory stays per batch."""

    def __init__(self, final: Path, schema: pa.Schema, compression: str = "zstd"):
        self.final = final
        self.tmp = temp_name(final)
        self.schema = schema
        self.rows = 0
        with writing(self.tmp):
            final.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(
                self.tmp, schema, compression=None if compression == "none" else compression
            )

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            with writing(self.tmp):
                self._writer.write_table(table.cast(self.schema))
            self.rows += table.num_rows

    def close(self) -> Path:
        with writing(self.tmp):
            self._writer.close()
            with open(self.tmp, "rb") as fh:
                os.fsync(fh.fileno())
        return self.tmp


def stream_dataset(
    name: str, paths: list[str], layout: Layout, compression: str, transform=None
) -> tuple[Path, Path, int]:
    """Stream staged batch files of dataset `name` into its temporary part file for this run:
    (final path, temporary path, rows)."""
    schema, _ = DATASETS[name]
    final = layout.final(name)
    writer = StreamWriter(final, schema, compression)
    for p in paths:
        writer.write(transform(p) if transform else pq.read_table(p))
    return final, writer.close(), writer.rows


def footer_rows(path: Path) -> int:
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (pa.ArrowException, OSError) as exc:
        raise unreadable(path, exc) from exc


def count_rows(root: Path, name: str) -> int:
    """Rows of a dataset from its files' footers (no data read)."""
    return sum(footer_rows(p) for p in dataset_files(root, name))


def read_ledger(root: Path) -> pa.Table:
    return read_parquet_files(sorted((root / STATE / "ledger").glob("part-*.parquet")), LEDGER)
