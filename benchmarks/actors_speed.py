"""Cost of the actor stage next to the spaCy parse, on one process.

    python benchmarks/actors_speed.py [CORPUS] [--limit N]

Reads and cleans CORPUS (default: the BBC corpus) with the pipeline's readers, then times, over
the same texts:
  1. the bare parse: `nlp.pipe` with the configured model and exclusions, without the actor ruler;
  2. the gazetteer entity ruler (extractors/actors) applied to each of those Docs, which is
     what it costs inside the pipeline (it runs after the NER and reads only its output);
  3. the actor extractor (`extract_mentions` per Doc, then `aggregate_actors`).
Timing 2 and 3 on their own keeps the figures stable on a shared machine, where two runs of the
parse differ by more than the ruler costs. Prints words/second of each (words = whitespace-
separated tokens) and their overhead relative to 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.throughput import DEFAULT_CORPUS, corpus_texts  # noqa: E402
from newsevents.tasks.config import load_config  # noqa: E402
from newsevents.tasks.extractors.actors.aggregate import aggregate_actors  # noqa: E402
from newsevents.tasks.extractors.actors.extract import extract_mentions  # noqa: E402
from newsevents.tasks.extractors.actors.ruler import ActorRuler  # noqa: E402
from newsevents.tasks.nlp.model import load_model  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = ap.parse_args(argv)
    cfg = load_config()
    texts = [t[: cfg.nlp.max_chars] for t in corpus_texts(args.corpus, cfg)][: args.limit]
    words = sum(len(t.split()) for t in texts)
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable), actor_ruler=False)
    ruler = ActorRuler(nlp)  # what load_model adds after the NER; builds the lexicon once
    extract_mentions(ruler(nlp("Warm-up: the phrase matchers are built once per process.")), "warmup")

    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=cfg.nlp.batch_size))
    bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = [ruler(doc) for doc in docs]
    ruled = time.perf_counter() - t0
    t0 = time.perf_counter()
    pairs = [p for i, doc in enumerate(docs) for p in extract_mentions(doc, f"a{i}")]
    actors = aggregate_actors(pairs)
    extract = time.perf_counter() - t0

    total = bare + ruled + extract
    print(f"corpus: {args.corpus} ({len(texts)} articles, {words} words), model {cfg.nlp.model}, 1 process")
    print(line("bare parse", bare, words))
    print(line("entity ruler", ruled, words, f"+{100 * ruled / bare:.1f}% of the parse"))
    print(
        line(
            "actor extraction",
            extract,
            words,
            f"+{100 * extract / bare:.1f}% of the parse; {len(pairs)} mentions, {len(actors)} actors",
        )
    )
    print(line("parse + actors", total, words, f"{bare / total:.3f} x the bare parse speed"))


def line(what: str, seconds: float, words: int, note: str = "") -> str:
    return f"{what + ':':18} {seconds:7.1f} s {words / seconds:>10,.0f} words/s" + (
        f"  ({note})" if note else ""
    )


if __name__ == "__main__":
    main()
