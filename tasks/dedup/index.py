"""The near-duplicate index on disk: what later runs compare new articles with.

Layout under the output root (one folder per set of parameters the signatures depend on)::

    _state/dedup/<fingerprint>/manifest.json           format version and those parameters
    _state/dedup/<fingerprint>/part-<name>.meta.arrow  one row per signed text (Arrow IPC):
                                                       article_id, dup_group, canonical-order fields
    _state/dedup/<fingerprint>/part-<name>.sig.u32     signatures, rows x num_perm uint32
    _state/dedup/<fingerprint>/part-<name>.shingles.u32  sorted shingle hashes of the rows, uint32

`fingerprint` = `v<FORMAT>-k<shingle_size>-p<num_perm>-s<seed>-<minhash algorithm>`: a config
change to any of them (or a new signature algorithm) finds no state under its own name, says so
and rebuilds the index from the committed `articles` (the only time old texts are read again).
The threshold is not part of it: bands are derived from the signatures at query time.

Each run appends one part and never rewrites one. Its files are written under temporary names
and renamed by the run's commit journal together with the datasets, so a run killed before the
commit leaves the previous index, and a killed commit is rolled forward.

Retention (`dedup.retention_days`): a part whose newest run is older than the window is deleted
after the next commit, so a new article is compared with the articles signed in about the last
`retention_days` days, and the index's disk (and the stage's time, which reads every stored
signature once per run) stays bounded however long a deployment runs. Compaction merges the parts
of one calendar month (by their newest run) into one part named `<first run>--<last run>`, under
the same journal as the datasets, so the index holds at most about retention_days / 30 + 1 parts
once compacted. A rebuilt part (`<run>-rebuilt`) counts as signed on the day it was rebuilt.

Bytes per signed article on disk: 4 * num_perm (512 at 128) of signature, 4 per distinct
shingle (about 4 per word), ~85 of metadata: 1.5 kB on BBC, 2.3 kB on the benchmark's
450-word articles. In memory, a stored article costs nothing resident: the files are
memory-mapped, signatures are read once per run in blocks of `dedup.near.STORED_BLOCK` rows
(32 MB at 128 permutations) and shingle sets only for candidate pairs. An article of the
current run costs its signature (512 B, memory-mapped from this run's part) and band keys
(8 per band: 200 B) plus the Python records of the stage (ids, hashes, clusters, decisions):
peak RSS grew by 3.4 kB per article over a 1M-article run (`benchmarks/dedup.py --n 1000000`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsevents.tasks.dedup.minhash import MINHASH_ALGORITHM, ShingleSets
from newsevents.tasks.dedup.near import (
    INDEX_META,
    DedupItem,
    IndexPart,
    NearDupParams,
    index_meta,
    sign_texts,
)
from newsevents.tasks.store.writer import STATE, dataset_files, temp_name

FORMAT = 1
DEDUP_DIR = "dedup"
MANIFEST = "manifest.json"
_META, _SIG, _SHINGLES = ".meta.arrow", ".sig.u32", ".shingles.u32"
# A batch of texts is signed at once: large enough to amortise numpy calls, small enough that
# its byte buffers stay in cache and its prefix tables (24 bytes per byte of text) stay small.
SIGN_BATCH_DOCS = 256
SIGN_BATCH_CHARS = 1 << 18


def fingerprint(params: NearDupParams) -> str:
    return f"v{FORMAT}-k{params.shingle_size}-p{params.num_perm}-s{params.seed}-{MINHASH_ALGORITHM}"


def manifest(params: NearDupParams) -> dict:
    return {
        "format": FORMAT,
        "shingle_size": params.shingle_size,
        "num_perm": params.num_perm,
        "seed": params.seed,
        "minhash": MINHASH_ALGORITHM,
        "shingles": "tokens of tasks.clean.content_key; token hash: polynomial mod 2**64 + fmix64",
        "files": {"meta": "arrow ipc", "sig": "uint32 rows x num_perm", "shingles": "uint32"},
    }


def state_root(root: Path) -> Path:
    return root / STATE / DEDUP_DIR


def state_dir(root: Path, params: NearDupParams) -> Path:
    return state_root(root) / fingerprint(params)


def stale_dirs(root: Path, params: NearDupParams) -> list[Path]:
    """State folders built with other parameters than `params`."""
    base = state_root(root)
    if not base.is_dir():
        return []
    keep = fingerprint(params)
    return sorted(p for p in base.iterdir() if p.is_dir() and p.name != keep)


def describe(folder: Path) -> str:
    try:
        m = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return folder.name
    return (
        f"format {m.get('format')}, shingle_size={m.get('shingle_size')}, num_perm={m.get('num_perm')}, "
        f"seed={m.get('seed')}, {m.get('minhash')}"
    )


def has_manifest(root: Path, params: NearDupParams) -> bool:
    return (state_dir(root, params) / MANIFEST).is_file()


def prune_stale(root: Path, params: NearDupParams) -> list[Path]:
    """Delete folders of other parameters once this one is committed (they are never read again)."""
    if not has_manifest(root, params):
        return []
    gone = stale_dirs(root, params)
    for folder in gone:
        shutil.rmtree(folder, ignore_errors=True)
    return gone


def _part_files(folder: Path, name: str) -> tuple[Path, Path, Path]:
    return tuple(folder / f"part-{name}{ext}" for ext in (_META, _SIG, _SHINGLES))  # type: ignore[return-value]


def _mapped(
    meta: pa.Table, sizes: np.ndarray, sig_path: Path, shingle_path: Path, num_perm: int
) -> IndexPart:
    n = len(sizes)
    offsets = np.zeros(n + 1, np.int64)
    np.cumsum(sizes, out=offsets[1:])
    sigs = (
        np.memmap(sig_path, dtype=np.uint32, mode="r", shape=(n, num_perm))
        if n
        else np.empty((0, num_perm), np.uint32)
    )
    total = int(offsets[-1])
    values = (
        np.memmap(shingle_path, dtype=np.uint32, mode="r", shape=(total,))
        if total
        else np.empty(0, np.uint32)
    )
    return IndexPart(meta, sigs, ShingleSets(values, offsets))


def _open_part(meta_path: Path, sig_path: Path, shingle_path: Path, num_perm: int) -> IndexPart:
    with pa.memory_map(str(meta_path)) as source:
        meta = pa.ipc.open_file(source).read_all()
    sizes = meta.column("n_shingles").to_numpy()
    return _mapped(meta, sizes, sig_path, shingle_path, num_perm)


def part_names(root: Path, params: NearDupParams) -> list[str]:
    """Names of the committed parts (their metadata is there), oldest first."""
    folder = state_dir(root, params)
    if not folder.is_dir():
        return []
    return sorted(p.name[len("part-") : -len(_META)] for p in folder.glob(f"part-*{_META}"))


_RUN_TIME = re.compile(r"^(\d{8}T\d{6}Z)")


def part_time(name: str) -> dt.datetime | None:
    """When the newest run a part holds ran: `<run>`, `<run>-rebuilt`, `<first>--<last>`."""
    m = _RUN_TIME.match(name.split("--")[-1])
    return dt.datetime.strptime(m[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC) if m else None


def prune_expired(root: Path, params: NearDupParams, retention_days: int, now: dt.datetime) -> list[str]:
    """Delete the parts whose newest run is more than `retention_days` before `now` (0 keeps
    all), metadata first so a half-deleted part is never read; then any signature or shingle
    file whose metadata is gone. Returns the names of the parts deleted."""
    folder = state_dir(root, params)
    if not folder.is_dir():
        return []
    gone = []
    if retention_days:
        cutoff = now - dt.timedelta(days=retention_days)
        for name in part_names(root, params):
            when = part_time(name)
            if when is not None and when < cutoff:
                for path in _part_files(folder, name):
                    path.unlink(missing_ok=True)
                gone.append(name)
    kept = set(part_names(root, params))
    for ext in (_SIG, _SHINGLES):
        for path in folder.glob(f"part-*{ext}"):
            if path.name[len("part-") : -len(ext)] not in kept:
                path.unlink(missing_ok=True)
    return gone


def plan_compaction(root: Path, params: NearDupParams) -> list[list[str]]:
    """Runs of consecutive parts whose newest runs fall in the same calendar month (two or more)."""
    groups: list[list[str]] = []
    month = None
    for name in part_names(root, params):
        when = part_time(name)
        key = (when.year, when.month) if when is not None else None
        if groups and key is not None and key == month:
            groups[-1].append(name)
        else:
            groups.append([name])
        month = key
    return [g for g in groups if len(g) > 1]


def compact_parts(root: Path, params: NearDupParams, names: list[str]) -> tuple[dict[Path, Path], list[Path]]:
    """Merge the parts `names` (consecutive, oldest first) into one part: ({final: temporary}
    in commit order, metadata last; the files to delete after the renames, metadata first)."""
    folder = state_dir(root, params)
    merged = f"{names[0].split('--')[0]}--{names[-1].split('--')[-1]}"
    meta_final, sig_final, shingles_final = _part_files(folder, merged)
    moves: dict[Path, Path] = {}
    for final, ext in ((sig_final, _SIG), (shingles_final, _SHINGLES)):
        tmp = temp_name(final)
        with open(tmp, "wb") as out:
            for name in names:
                with open(folder / f"part-{name}{ext}", "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        moves[final] = tmp
    metas = []
    for name in names:
        with pa.memory_map(str(folder / f"part-{name}{_META}")) as source:
            metas.append(pa.ipc.open_file(source).read_all().cast(INDEX_META))
    tmp = temp_name(meta_final)
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, INDEX_META) as writer:
        writer.write_table(pa.concat_tables(metas))
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    moves[meta_final] = tmp
    deletes = [path for name in names for path in _part_files(folder, name)]
    return moves, deletes


def open_parts(root: Path, params: NearDupParams) -> list[IndexPart]:
    """Committed parts of the index built with `params`, oldest first."""
    folder = state_dir(root, params)
    if not folder.is_dir():
        return []
    parts = []
    for meta_path in sorted(folder.glob(f"part-*{_META}")):
        name = meta_path.name[len("part-") : -len(_META)]
        _, sig_path, shingle_path = _part_files(folder, name)
        if sig_path.exists() and shingle_path.exists():
            parts.append(_open_part(meta_path, sig_path, shingle_path, params.num_perm))
    return parts


@dataclass(slots=True)
class PartWriter:
    """Appends signed rows of one new part to temporary files; `close` names the renames."""

    folder: Path
    name: str
    num_perm: int
    n_shingles: list[np.ndarray] = field(default_factory=list)
    rows: int = 0
    _sig: BinaryIO = field(init=False, repr=False)
    _shingles: BinaryIO = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _, sig, shingles = self.finals()
        # Open for the writer's lifetime (rows arrive batch by batch); `close`/`abort` end them.
        self._sig = open(temp_name(sig), "wb")  # noqa: SIM115
        self._shingles = open(temp_name(shingles), "wb")  # noqa: SIM115

    def finals(self) -> tuple[Path, Path, Path]:
        return _part_files(self.folder, self.name)

    def add(self, sets: ShingleSets, sigs: np.ndarray) -> None:
        np.ascontiguousarray(sigs, dtype=np.uint32).tofile(self._sig)
        np.ascontiguousarray(sets.values, dtype=np.uint32).tofile(self._shingles)
        self.n_shingles.append(sets.sizes())
        self.rows += len(sets)

    def sizes(self) -> np.ndarray:
        return np.concatenate(self.n_shingles) if self.n_shingles else np.empty(0, np.int64)

    def flush(self) -> IndexPart:
        """The rows written so far, memory-mapped, with empty metadata (for querying)."""
        for fh in (self._sig, self._shingles):
            fh.flush()
            os.fsync(fh.fileno())
        _, sig, shingles = self.finals()
        return _mapped(
            INDEX_META.empty_table(), self.sizes(), temp_name(sig), temp_name(shingles), self.num_perm
        )

    def close(self, meta: pa.Table) -> dict[Path, Path]:
        """Write the metadata; -> {final: temporary} for the commit (nothing when no row)."""
        for fh in (self._sig, self._shingles):
            fh.close()
        meta_final, sig, shingles = self.finals()
        if not self.rows:
            for path in (sig, shingles):
                temp_name(path).unlink(missing_ok=True)
            return {}
        assert meta.num_rows == self.rows, (meta.num_rows, self.rows)
        tmp = temp_name(meta_final)
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, INDEX_META) as writer:
            writer.write_table(meta.cast(INDEX_META))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        # Signatures and shingles first: a part is read only once its metadata exists.
        return {sig: temp_name(sig), shingles: temp_name(shingles), meta_final: tmp}

    def abort(self) -> None:
        for fh in (self._sig, self._shingles):
            fh.close()
        for path in self.finals():
            temp_name(path).unlink(missing_ok=True)


def manifest_move(root: Path, params: NearDupParams) -> dict[Path, Path]:
    """The manifest of a new state folder, written under its temporary name."""
    final = state_dir(root, params) / MANIFEST
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(final)
    tmp.write_text(json.dumps(manifest(params), indent=2), encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    return {final: tmp}


@dataclass(slots=True)
class OpenedIndex:
    """The committed parts to compare a run with, and what opening them added to the commit."""

    parts: list[IndexPart]
    moves: dict[Path, Path] = field(default_factory=dict)  # a rebuilt part
    manifest: dict[Path, Path] = field(default_factory=dict)  # a new folder's manifest
    notes: list[str] = field(default_factory=list)


def open_index(root: Path, params: NearDupParams, run_id: str, n_stored: int) -> OpenedIndex:
    """The index built with `params`; when there is none but `n_stored` articles are stored
    (parameters changed, or a store older than the index), rebuild it from them and say so."""
    if has_manifest(root, params):
        return OpenedIndex(open_parts(root, params))
    opened = OpenedIndex([], manifest=manifest_move(root, params))
    if n_stored:
        others = [describe(p) for p in stale_dirs(root, params)]
        built = f"built with {'; '.join(others)}" if others else "none"
        opened.notes.append(
            f"dedup: no near-duplicate index for shingle_size={params.shingle_size}, "
            f"num_perm={params.num_perm}, seed={params.seed} (existing index: {built}); "
            f"rebuilding it from the {n_stored} stored articles"
        )
        writer = PartWriter(state_dir(root, params), f"{run_id}-rebuilt", params.num_perm)
        meta = rebuild(root, writer, params)
        part = writer.flush()
        part.meta = meta
        opened.parts.append(part)
        opened.moves.update(writer.close(meta))
    return opened


def sign_stream(texts: Iterator[tuple[int, str]], writer: PartWriter, params: NearDupParams) -> None:
    """Sign `(row, text)` pairs (rows must come in order 0, 1, 2, ...) into `writer` in batches."""
    batch: list[str] = []
    chars = 0

    def flush() -> None:
        nonlocal batch, chars
        if batch:
            writer.add(*sign_texts(batch, params))
        batch, chars = [], 0

    for row, text in texts:
        if row != writer.rows + len(batch):
            raise ValueError(f"rows must be signed in order: got {row}, expected {writer.rows + len(batch)}")
        batch.append(text)
        chars += len(text)
        if len(batch) >= SIGN_BATCH_DOCS or chars >= SIGN_BATCH_CHARS:
            flush()
    flush()


# ---------------------------------------------------------------- rebuild from `articles`

_REBUILD_COLUMNS = ["article_id", "content_hash", "source_path", "published_at", "dup_group", "text"]


def rebuild(root: Path, writer: PartWriter, params: NearDupParams) -> pa.Table:
    """Sign one text per stored content (its canonical-first copy) from the committed `articles`.

    Returns the part's metadata; each row keeps the stored group of its article (its
    `dup_group`, or its own id when it had no copy). Memory: the small columns of all stored
    articles, then one part file's texts at a time.
    """
    files = dataset_files(root, "articles")
    small = []
    for i, path in enumerate(files):
        t = pq.read_table(path, columns=_REBUILD_COLUMNS)
        n_chars = pc.utf8_length(t.column("text")).cast(pa.int64())
        t = t.drop_columns(["text"]).append_column("n_chars", n_chars)
        t = t.append_column("file", pa.array(np.full(t.num_rows, i, np.int64)))
        small.append(t.append_column("row", pa.array(np.arange(t.num_rows, dtype=np.int64))))
    if not small:
        return INDEX_META.empty_table()
    table = pa.concat_tables(small)
    ids = table.column("article_id")
    key = pc.coalesce(table.column("content_hash"), pc.binary_join_element_wise("\x00", ids, ""))
    table = table.append_column("key", key).append_column("undated", pc.is_null(table.column("published_at")))
    # The canonical-first copy of each content: undated last, earliest, longest, smallest path.
    table = table.sort_by(
        [
            ("key", "ascending"),
            ("undated", "ascending"),
            ("published_at", "ascending"),
            ("n_chars", "descending"),
            ("source_path", "ascending"),
            ("article_id", "ascending"),
        ]
    )
    keys = table.column("key").combine_chunks()
    first = np.ones(table.num_rows, bool)
    if table.num_rows > 1:
        first[1:] = pc.not_equal(keys[1:], keys[:-1]).to_numpy(zero_copy_only=False)
    chosen = table.filter(pa.array(first)).sort_by([("file", "ascending"), ("row", "ascending")])

    def texts() -> Iterator[tuple[int, str]]:
        file_col = chosen.column("file").to_numpy()
        row_col = chosen.column("row").to_numpy()
        n = 0
        for i, path in enumerate(files):
            rows = row_col[file_col == i]
            if not rows.size:
                continue
            t = pq.read_table(path, columns=["text"]).column("text").take(pa.array(rows))
            for text in t.to_pylist():
                yield n, text
                n += 1

    sign_stream(texts(), writer, params)
    items = [
        DedupItem(r["article_id"], None, r["source_path"], r["n_chars"], r["published_at"])
        for r in chosen.select(["article_id", "source_path", "n_chars", "published_at"]).to_pylist()
    ]
    own = chosen.column("article_id").to_pylist()
    groups = [
        g if g is not None else a for a, g in zip(own, chosen.column("dup_group").to_pylist(), strict=True)
    ]
    return index_meta(items, groups, writer.sizes())
