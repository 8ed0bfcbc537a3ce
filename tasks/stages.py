"""The pipeline's stages at batch granularity: file paths in, file paths and counts out.

Each function here is what one Prefect task runs (flows/nightly.py wraps them thinly), and is
callable without Prefect. Stages hand each other paths to staged Parquet files, never frames,
so task inputs stay small to hash and to send to worker processes.
"""

from __future__ import annotations

import fnmatch
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsevents import EXTRACTOR_VERSION
from tasks import dedup_state
from tasks.actors import merge_actor_tables
from tasks.clean import clean_doc
from tasks.config import Config, extraction_key
from tasks.dedup import (
    DedupItem,
    NearDupParams,
    decide_groups,
    index_meta,
    link_near_duplicates,
    plan_exact,
)
from tasks.event_clusters import recompute_clusters
from tasks.event_lexicon import load_lexicon
from tasks.extract import ArticleContext, extract_docs
from tasks.faults import fault_point
from tasks.ingest import read_file
from tasks.nlp import load_model, parse
from tasks.schema import DATASETS, Article, Reject, to_table
from tasks.store import (
    LEDGER,
    STATE,
    Layout,
    StreamWriter,
    commit,
    dataset_files,
    read_dataset,
    read_ledger,
    stage_records,
    stage_table,
    write_temp,
)

EXTRACTED = ("actor_mentions", "places", "events", "claims", "actors")


# ---------------------------------------------------------------- plan


@dataclass(slots=True)
class Plan:
    batches: list[list[str]]
    n_files: int
    n_unchanged: int


def matches(rel: str, include: list[str], exclude: list[str]) -> bool:
    """Include by file name, exclude by any path part; both case-insensitive."""
    parts = rel.lower().split("/")
    if any(fnmatch.fnmatch(part, pat.lower()) for part in parts for pat in exclude):
        return False
    return any(fnmatch.fnmatch(parts[-1], pat.lower()) for pat in include)


def discover(input_dir: Path, cfg: Config) -> list[str]:
    """Relative paths of every input file under `input_dir`, sorted for a stable batch order."""
    found = []
    for dirpath, dirnames, filenames in os.walk(input_dir):
        dirnames.sort()
        for name in filenames:
            rel = (Path(dirpath) / name).relative_to(input_dir).as_posix()
            if matches(rel, cfg.input.include, cfg.input.exclude):
                found.append(rel)
    return sorted(found)


def plan_run(input_dir: Path, out_root: Path, cfg: Config) -> Plan:
    """Batches of files to read: everything new or changed since the ledger last saw it."""
    input_dir = input_dir.resolve()
    files = discover(input_dir, cfg)
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
        if (str(path), st.st_size, st.st_mtime_ns) in seen:
            unchanged += 1
        else:
            todo.append(rel)
    size = cfg.pipeline.files_per_batch
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    return Plan(batches=batches, n_files=len(files), n_unchanged=unchanged)


# ---------------------------------------------------------------- read and clean


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
    fault_point("after-read")
    return ReadOutput(
        articles=str(a),
        rejects=str(r),
        ledger=str(lg),
        n_articles=len(articles),
        reject_reasons=dict(Counter(rej.reason for rej in rejects)),
    )


# ---------------------------------------------------------------- dedup


@dataclass(slots=True)
class DedupOutput:
    decisions: str
    shards: list[str]
    n_duplicates: int
    n_already_stored: int
    n_to_extract: int
    # Index files of this run, {final path: temporary path}: renamed by the commit journal.
    state_moves: dict[str, str] = field(default_factory=dict)
    n_near_links: int = 0
    notes: list[str] = field(default_factory=list)


DECISIONS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("duplicate_of", pa.string()),
        pa.field("dup_group", pa.string()),
        pa.field("drop", pa.bool_(), nullable=False),
    ]
)

_DEDUP_COLUMNS = ["article_id", "content_hash", "source_path", "published_at", "text"]


def near_params(cfg: Config) -> NearDupParams:
    d = cfg.dedup
    return NearDupParams(d.threshold, d.shingle_size, d.num_perm, d.seed)


def _dedup_items(paths: list[str]) -> list[DedupItem]:
    items = []
    for path in paths:
        t = pq.read_table(path, columns=_DEDUP_COLUMNS)
        lengths = pc.utf8_length(t.column("text")).to_pylist()
        for aid, chash, sp, pub, n in zip(
            t.column("article_id").to_pylist(),
            t.column("content_hash").to_pylist(),
            t.column("source_path").to_pylist(),
            t.column("published_at").to_pylist(),
            lengths,
            strict=True,
        ):
            items.append(DedupItem(aid, chash, sp, n, pub))
    return items


def _stored_lookups(root: Path, items: list[DedupItem]) -> tuple[set[str], dict[str, str]]:
    """Which of `items` are already stored, and the stored group of each of their hashes.

    Only stored rows matching this run's ids or hashes become Python objects, so the cost per
    stored article is its Arrow columns, not a set entry.
    """
    stored = read_dataset(root, "articles", columns=["article_id", "content_hash", "dup_group"])
    if not stored.num_rows or not items:
        return set(), {}
    ids = stored.column("article_id")
    new_ids = pa.array({i.article_id for i in items}, pa.string())
    stored_ids = set(ids.filter(pc.is_in(ids, value_set=new_ids)).to_pylist())
    new_hashes = pa.array({i.content_hash for i in items if i.content_hash is not None}, pa.string())
    hits = stored.filter(pc.is_in(stored.column("content_hash"), value_set=new_hashes))
    group_of_hash: dict[str, str] = {}
    for aid, h, g in zip(
        hits.column("article_id").to_pylist(),
        hits.column("content_hash").to_pylist(),
        hits.column("dup_group").to_pylist(),
        strict=True,
    ):
        group_of_hash.setdefault(h, g if g is not None else aid)
    return stored_ids, group_of_hash


def _texts_to_sign(paths: list[str], rows: dict[str, int]):
    """(row, text) of the articles to sign, in row order (rows were numbered in this stream order)."""
    nxt = 0
    for path in paths:
        t = pq.read_table(path, columns=["article_id", "text"])
        for aid, text in zip(t.column("article_id").to_pylist(), t.column("text").to_pylist(), strict=True):
            if rows.get(aid) == nxt:
                yield nxt, text
                nxt += 1


def dedup_run(article_paths: list[str], layout: Layout, cfg: Config) -> DedupOutput:
    """Decide exact and near duplicates for the run against the stored index, then cut the
    canonical articles into extraction shards; the run's index part is committed with the run."""
    root, params = layout.root, near_params(cfg)
    items = _dedup_items(article_paths)
    stored_ids, group_of_hash = _stored_lookups(root, items)
    plan = plan_exact(items, stored_ids, group_of_hash)

    index = dedup_state.open_index(root, params, layout.run_id, _count_rows(root, "articles"))
    writer = dedup_state.PartWriter(dedup_state.state_dir(root, params), layout.run_id, params.num_perm)
    try:
        dedup_state.sign_stream(_texts_to_sign(article_paths, plan.sign_rows), writer, params)
        uf, stats = link_near_duplicates(writer.flush(), index.parts, params)
        result = decide_groups(plan, uf, index.parts)
        heads = [plan.clusters[c].canonical() for c in plan.row_cluster]
        part_moves = writer.close(index_meta(heads, result.row_groups, writer.sizes()))
    except BaseException:
        writer.abort()
        raise
    # The manifest last: a state folder counts as built once its manifest is there.
    moves = {**index.moves, **part_moves, **index.manifest}

    decisions = result.decisions
    table = pa.Table.from_pylist(
        [
            {
                "article_id": d.article_id,
                "duplicate_of": d.duplicate_of,
                "dup_group": d.dup_group,
                "drop": d.drop,
            }
            for d in decisions.values()
        ],
        schema=DECISIONS,
    )
    decisions_path = stage_table(table, layout.staging / "decisions.parquet", cfg.output.compression)
    extract_ids = {d.article_id for d in decisions.values() if not d.drop and d.duplicate_of is None}
    shards = write_shards(article_paths, set(extract_ids), layout, cfg)
    return DedupOutput(
        decisions=str(decisions_path),
        shards=shards,
        n_duplicates=sum(1 for d in decisions.values() if d.duplicate_of and not d.drop),
        n_already_stored=sum(1 for d in decisions.values() if d.drop),
        n_to_extract=len(extract_ids),
        state_moves={str(f): str(t) for f, t in moves.items()},
        n_near_links=stats.merged,
        notes=index.notes,
    )


_SHARD_COLUMNS = ["article_id", "text", "published_at", "authors", "publisher", "language", "source_path"]


def shard_size(n_articles: int, per_batch: int, workers: int) -> int:
    """Rows per shard: at most `per_batch`, and shards that come out as a multiple of the workers
    with equal sizes, so no worker parses a whole extra shard while the others idle (2,068
    articles at 400 a shard left one of two workers 332 articles short: 11% of the stage's wall)."""
    if n_articles <= 0:
        return per_batch
    n_shards = -(-n_articles // per_batch)
    n_shards = -(-n_shards // workers) * workers
    return max(1, -(-n_articles // n_shards))


def write_shards(article_paths: list[str], keep: set[str], layout: Layout, cfg: Config) -> list[str]:
    """Stream kept articles into equal files of at most `articles_per_batch` rows: one extraction
    task each."""
    size = shard_size(len(keep), cfg.pipeline.articles_per_batch, cfg.pipeline.max_workers)
    shards: list[str] = []
    pending: list[pa.Table] = []
    n_pending = 0

    def flush() -> None:
        nonlocal pending, n_pending
        if not n_pending:
            return
        path = layout.staging / "shards" / f"shard-{len(shards) + 1:05d}.parquet"
        stage_table(pa.concat_tables(pending), path, cfg.output.compression)
        shards.append(str(path))
        pending, n_pending = [], 0

    for path in article_paths:
        t = pq.read_table(path, columns=_SHARD_COLUMNS)
        take_rows = []
        for i, aid in enumerate(t.column("article_id").to_pylist()):
            if aid in keep:
                take_rows.append(i)
                keep.discard(aid)  # an id repeated within the run is extracted once
        t = t.take(pa.array(take_rows, pa.int64()))
        offset = 0
        while offset < t.num_rows:
            take = min(size - n_pending, t.num_rows - offset)
            pending.append(t.slice(offset, take))
            n_pending += take
            offset += take
            if n_pending >= size:
                flush()
    flush()
    return shards


# ---------------------------------------------------------------- extraction


@dataclass(slots=True)
class ExtractOutput:
    paths: dict[str, str]
    rows: dict[str, int]
    n_articles: int
    n_words: int
    n_failed: int = 0  # articles an extractor failed on (rejected with reason extraction_error)
    seconds: dict[str, float] = field(default_factory=dict)


def extract_shard(shard: str, layout: Layout, batch: int, cfg: Config) -> ExtractOutput:
    """Parse one shard with the process's cached model and run every extractor on each Doc."""
    t = pq.read_table(shard, columns=_SHARD_COLUMNS)
    rows = t.to_pylist()
    # Non-English articles stay in `articles` but the English model would only invent entities.
    rows = [r for r in rows if r["language"] in (None, "en")]
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable))
    docs = parse(
        nlp,
        (r["text"] for r in rows),
        batch_size=cfg.nlp.batch_size,
        n_process=cfg.nlp.n_process,
        max_chars=cfg.nlp.max_chars,
    )
    contexts = (
        ArticleContext(r["article_id"], r["published_at"], tuple(r["authors"] or ()), r["publisher"])
        for r in rows
    )
    n_words = 0
    parse_seconds = 0.0

    def counted():
        # Parsing is lazy: time spent waiting for the next Doc is the parse, the rest extraction.
        nonlocal n_words, parse_seconds
        pairs = zip(docs, contexts, strict=True)
        while True:
            t0 = time.perf_counter()
            pair = next(pairs, None)
            parse_seconds += time.perf_counter() - t0
            if pair is None:
                return
            n_words += len(pair[0])
            yield pair

    t0 = time.perf_counter()
    out = extract_docs(counted())
    extract_seconds = time.perf_counter() - t0 - parse_seconds
    t0 = time.perf_counter()
    comp = cfg.output.compression
    produced = {
        "actor_mentions": out.mentions,
        "places": out.places,
        "events": out.events,
        "claims": out.claims,
        "actors": out.actors,
    }
    paths = {}
    for name, recs in produced.items():
        paths[name] = str(stage_records(recs, name, layout, batch, comp))
        fault_point("during-extract")
    source_of = {r["article_id"]: r["source_path"] for r in rows}
    failed = [
        Reject(source_of[aid], "extraction_error", f"article {aid}: {error}") for aid, error in out.failed
    ]
    if failed:
        stamp = {"run_id": layout.run_id, "extractor_version": EXTRACTOR_VERSION}
        table = to_table(failed, DATASETS["rejects"][0], **stamp)
        path = layout.staging / "extract-rejects" / f"batch-{batch:05d}.parquet"
        paths["rejects"] = str(stage_table(table, path, comp))
    return ExtractOutput(
        paths=paths,
        rows={name: len(recs) for name, recs in produced.items()},
        n_articles=len(rows),
        n_words=n_words,
        n_failed=len(failed),
        seconds={
            "parse": round(parse_seconds, 3),
            "extractors": round(extract_seconds, 3),
            "stage_rows": round(time.perf_counter() - t0, 3),
        },
    )


# ---------------------------------------------------------------- commit


@dataclass(slots=True)
class RunSummary:
    # Counters default to zero: a reprocess reads no file, an unchanged folder extracts nothing.
    run_id: str
    n_files: int = 0
    n_unchanged: int = 0
    n_articles: int = 0
    n_rejected: int = 0
    n_duplicates: int = 0
    n_already_stored: int = 0
    n_extracted: int = 0
    reject_reasons: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    # Summed over extraction tasks (so over workers): where the extract stage's time goes.
    worker_seconds: dict[str, float] = field(default_factory=dict)
    n_words: int = 0
    warnings: list[str] = field(default_factory=list)


def _failed_warning(n: int) -> str:
    return f"{n} article(s) got no derived rows: an extractor failed on them (rejects: extraction_error)"


def _worker_seconds(extracts: list[ExtractOutput]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for e in extracts:
        total.update(e.seconds)
    return {k: round(v, 3) for k, v in total.items()}


def _articles_with_decisions(
    path: str, decisions: dict[str, tuple[str | None, str | None, bool]], written: set[str]
) -> pa.Table:
    """Fill duplicate_of/dup_group; drop rows already stored or already written in this run."""
    t = pq.read_table(path)
    none = (None, None, False)
    ids = t.column("article_id").to_pylist()
    keep = []
    for a in ids:
        keep.append(not decisions.get(a, none)[2] and a not in written)
        written.add(a)
    dup_of = [decisions.get(a, none)[0] for a in ids]
    group = [decisions.get(a, none)[1] for a in ids]
    t = t.set_column(t.schema.get_field_index("duplicate_of"), "duplicate_of", pa.array(dup_of, pa.string()))
    t = t.set_column(t.schema.get_field_index("dup_group"), "dup_group", pa.array(group, pa.string()))
    return t.filter(pa.array(keep, pa.bool_()))


def _stream(
    name: str, paths: list[str], layout: Layout, cfg: Config, transform=None
) -> tuple[Path, Path, int]:
    schema, _ = DATASETS[name]
    final = layout.final(name)
    writer = StreamWriter(final, schema, cfg.output.compression)
    for p in paths:
        table = transform(p) if transform else pq.read_table(p)
        writer.write(table)
    return final, writer.close(), writer.rows


def commit_run(
    reads: list[ReadOutput],
    dedup: DedupOutput | None,
    extracts: list[ExtractOutput],
    layout: Layout,
    cfg: Config,
    plan: Plan,
) -> RunSummary:
    """Write each dataset's part file for this run and commit them together, ledger last."""
    decisions: dict[str, tuple[str | None, str | None, bool]] = {}
    if dedup is not None:
        d = pq.read_table(dedup.decisions).to_pylist()
        decisions = {r["article_id"]: (r["duplicate_of"], r["dup_group"], r["drop"]) for r in d}

    staged: dict[str, list[str]] = {
        "articles": [r.articles for r in reads],
        # Articles an extractor failed on are kept in `articles` and listed here with the error.
        "rejects": [r.rejects for r in reads] + [e.paths["rejects"] for e in extracts if e.n_failed],
    }
    for name in EXTRACTED:
        staged[name] = [e.paths[name] for e in extracts]

    moves: dict[Path, Path] = {}
    rows: dict[str, int] = {}
    for name in DATASETS:
        if name in ("actors", "event_clusters"):
            continue
        written: set[str] = set()
        transform = (
            (lambda p, w=written: _articles_with_decisions(p, decisions, w)) if name == "articles" else None
        )
        final, tmp, n = _stream(name, staged[name], layout, cfg, transform)
        rows[name] = n
        # An empty part is only worth a file when the dataset has none yet (readers need a schema).
        if n or not dataset_files(layout.root, name):
            moves[final] = tmp
        else:
            tmp.unlink()

    new_actors = [pq.read_table(p) for p in staged["actors"]]
    rows["actors"] = sum(t.num_rows for t in new_actors)
    if rows["actors"] or not dataset_files(layout.root, "actors"):  # an unchanged table is not rewritten
        stored = read_dataset(layout.root, "actors")
        actors = merge_actor_tables(stored, new_actors, layout.run_id, EXTRACTOR_VERSION)
        moves[layout.final("actors")] = write_temp(actors, layout.final("actors"), cfg.output.compression)

    warnings = []
    built = read_build(layout.root)
    current = build_key(cfg)
    if built is None:
        moves[build_path(layout.root)] = write_build_temp(layout.root, current)
    elif built != current and any(e.n_articles for e in extracts):
        warnings.append(
            f"stored derived rows were built by {built['extractor_version']} (config {built['config']}); "
            f"this run used {current['extractor_version']} (config {current['config']}): "
            "run `newsevents reprocess OUT_DIR` to rebuild them consistently"
        )

    rows["event_clusters"] = 0
    if rows["events"] or not dataset_files(layout.root, "event_clusters"):  # no new events: unchanged
        clusters = recompute_clusters(
            layout.root,
            staged["events"],
            staged["articles"],
            {a: d[0] for a, d in decisions.items()},
            load_lexicon().settings.cluster_days,
            run_id=layout.run_id,
            extractor_version=EXTRACTOR_VERSION,
        )
        rows["event_clusters"] = clusters.num_rows
        final = layout.final("event_clusters")
        moves[final] = write_temp(clusters, final, cfg.output.compression)

    if dedup is not None:
        moves.update({Path(f): Path(t) for f, t in dedup.state_moves.items()})
        warnings.extend(dedup.notes)

    ledger = pa.concat_tables([pq.read_table(r.ledger) for r in reads]) if reads else LEDGER.empty_table()
    if ledger.num_rows:
        moves[layout.ledger_part()] = write_temp(ledger, layout.ledger_part(), cfg.output.compression)

    # The rebuilt tables report their net growth, not their size (a rerun adds no actor).
    before = {name: _count_rows(layout.root, name) for name in ("actors", "event_clusters")}
    commit(layout, moves)
    dedup_state.prune_stale(layout.root, near_params(cfg))

    reasons: Counter[str] = Counter()
    for r in reads:
        reasons.update(r.reject_reasons)
    failed = sum(e.n_failed for e in extracts)
    if failed:
        reasons["extraction_error"] += failed
        warnings.append(_failed_warning(failed))
    totals = {name: _count_rows(layout.root, name) for name in DATASETS}
    rows.update({name: totals[name] - n for name, n in before.items()})
    return RunSummary(
        run_id=layout.run_id,
        n_files=plan.n_files,
        n_unchanged=plan.n_unchanged,
        n_articles=sum(r.n_articles for r in reads),
        n_rejected=sum(reasons.values()),
        n_duplicates=dedup.n_duplicates if dedup else 0,
        n_already_stored=dedup.n_already_stored if dedup else 0,
        n_extracted=sum(e.n_articles for e in extracts),
        reject_reasons=dict(reasons),
        rows=rows,
        totals=totals,
        worker_seconds=_worker_seconds(extracts),
        n_words=sum(e.n_words for e in extracts),
        warnings=warnings,
    )


def _count_rows(root: Path, name: str) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in dataset_files(root, name))


def new_run_id() -> str:
    """Sortable by time (part files list in run order) and unique within a second."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.urandom(3).hex()}"


# ---------------------------------------------------------------- build key and reprocess

BUILD_FILE = "build.json"


def build_key(cfg: Config) -> dict[str, str]:
    return {"extractor_version": EXTRACTOR_VERSION, "config": extraction_key(cfg)}


def build_path(root: Path) -> Path:
    return root / "_state" / BUILD_FILE


def read_build(root: Path) -> dict[str, str] | None:
    """Extractor version and config key that built the stored derived rows (None before any run)."""
    path = build_path(root)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def write_build_temp(root: Path, key: dict[str, str]) -> Path:
    final = build_path(root)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.tmp")
    tmp.write_text(json.dumps(key), encoding="utf-8")
    return tmp


def reshard_stored(layout: Layout, cfg: Config) -> list[str]:
    """Extraction shards from the stored cleaned articles (canonical copies only), no input re-read."""
    stored = read_dataset(layout.root, "articles", columns=["article_id", "duplicate_of"])
    ids = stored.column("article_id").to_pylist()
    keep = {a for a, d in zip(ids, stored.column("duplicate_of").to_pylist(), strict=True) if d is None}
    files = [str(p) for p in dataset_files(layout.root, "articles")]
    return write_shards(files, keep, layout, cfg)


def commit_reprocess(extracts: list[ExtractOutput], layout: Layout, cfg: Config) -> RunSummary:
    """Replace every derived dataset by this rebuild in one journaled commit (old parts deleted last)."""
    moves: dict[Path, Path] = {}
    deletes: list[Path] = []
    rows: dict[str, int] = {}
    for name in EXTRACTED:
        if name == "actors":
            continue
        final, tmp, n = _stream(name, [e.paths[name] for e in extracts], layout, cfg)
        rows[name] = n
        moves[final] = tmp
        deletes.extend(p for p in dataset_files(layout.root, name) if p != final)
    new_actors = [pq.read_table(e.paths["actors"]) for e in extracts]
    empty = DATASETS["actors"][0].empty_table()
    actors = merge_actor_tables(empty, new_actors, layout.run_id, EXTRACTOR_VERSION)
    rows["actors"] = actors.num_rows
    moves[layout.final("actors")] = write_temp(actors, layout.final("actors"), cfg.output.compression)
    clusters = recompute_clusters(
        layout.root,
        [e.paths["events"] for e in extracts],
        [],
        {},
        load_lexicon().settings.cluster_days,
        stored_events=False,
        run_id=layout.run_id,
        extractor_version=EXTRACTOR_VERSION,
    )
    rows["event_clusters"] = clusters.num_rows
    final = layout.final("event_clusters")
    moves[final] = write_temp(clusters, final, cfg.output.compression)
    moves[build_path(layout.root)] = write_build_temp(layout.root, build_key(cfg))
    commit(layout, moves, deletes)
    return RunSummary(
        run_id=layout.run_id,
        n_extracted=sum(e.n_articles for e in extracts),
        rows=rows,
        totals={name: _count_rows(layout.root, name) for name in DATASETS},
        worker_seconds=_worker_seconds(extracts),
        n_words=sum(e.n_words for e in extracts),
        warnings=[_failed_warning(n) for n in [sum(e.n_failed for e in extracts)] if n],
    )


def unchanged_summary(input_dir: Path, root: Path, cfg: Config) -> RunSummary | None:
    """The summary of a run that would read nothing, or None when a run has work to do.

    Lets `newsevents run` answer "nothing new" without starting Prefect, whose temporary server
    costs ~10 s: the bulk of a nightly rerun on an unchanged folder. A run is still needed when
    an earlier one left a journal or staging behind (it must be recovered) or when no dataset
    exists yet (the first run writes them, empty or not). Call it holding the run lock.
    """
    state = root / STATE
    if any(state.glob("commit-*.json")) or any((state / "runs").glob("*")):
        return None
    if not all(dataset_files(root, name) for name in DATASETS):
        return None
    t0 = time.perf_counter()
    plan = plan_run(input_dir, root, cfg)
    if plan.batches:
        return None
    return RunSummary(
        run_id="none",
        n_files=plan.n_files,
        n_unchanged=plan.n_unchanged,
        rows=dict.fromkeys(DATASETS, 0),
        totals={name: _count_rows(root, name) for name in DATASETS},
        seconds=round(time.perf_counter() - t0, 3),
        warnings=["nothing new or changed since the last run: no flow run was started"],
    )
