"""Extract: parse one shard with the process's cached model and run every extractor on each Doc."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyarrow.parquet as pq

from newsevents import EXTRACTOR_VERSION
from newsevents.tasks.config import Config
from newsevents.tasks.records import ArticleContext, Reject
from newsevents.tasks.stages.dedup import SHARD_COLUMNS
from newsevents.tasks.stages.progress import Tracker
from newsevents.tasks.store import faults
from newsevents.tasks.store.actors import actors_from_table
from newsevents.tasks.store.schema import DATASETS, to_table
from newsevents.tasks.store.writer import (
    Layout,
    read_dataset,
    stage_records,
    stage_table,
)

EXTRACTED = ("actor_mentions", "places", "events", "claims", "actors")


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
    # Imported here: spaCy and the extractors load in the processes that extract, not in the
    # flow's process, which only needs this module's dataclass.
    from newsevents.tasks.extractors.actors.identity import surname_prior
    from newsevents.tasks.extractors.article import extract_docs, load_lexicons
    from newsevents.tasks.nlp.model import load_model, parse

    t = pq.read_table(shard, columns=SHARD_COLUMNS)
    rows = t.to_pylist()
    tracker = Tracker(layout.staging, "extract", batch)
    # Non-English articles stay in `articles` but the English model would only invent entities.
    english = [r for r in rows if r["language"] in (None, "en")]
    tracker.add(len(rows) - len(english))
    rows = english
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable), actor_lexicon=cfg.lexicons.actors)
    lexicons = load_lexicons(cfg.lexicons)
    # who a lone surname stands for in the stored corpus ("Clinton" -> Hillary Clinton)
    prior = surname_prior(actors_from_table(read_dataset(layout.root, "actors")))
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
            tracker.add()
            yield pair

    t0 = time.perf_counter()
    out = extract_docs(counted(), lexicons, prior)
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
        faults.fault_point("during-extract")
    tracker.close()
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
