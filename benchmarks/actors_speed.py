"""Cost of the actor stage next to the spaCy parse, on one process.

    python benchmarks/actors_speed.py [CORPUS] [--limit N] [--repeat R]

Reads and cleans CORPUS (default: the BBC corpus) with the pipeline's readers, then times over the
same texts, each R times (the best run counts, the machine is shared):
  1. bare parse: `nlp.pipe` with the configured model and exclusions, no actor ruler;
  2. parse with the gazetteer entity ruler (tasks.actor_gazetteer) added after the NER;
  3. the actor extractor alone (`extract_mentions` + `aggregate_actors`) over the Docs of 2.
Prints words/second of each (words = whitespace-separated tokens) and the overhead of 2 and 3
relative to 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.throughput import DEFAULT_CORPUS, corpus_texts  # noqa: E402
from tasks.actors import aggregate_actors, extract_mentions  # noqa: E402
from tasks.config import load_config  # noqa: E402
from tasks.nlp import load_model  # noqa: E402


def parse_seconds(nlp, texts: list[str], batch_size: int) -> tuple[float, list]:
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    return time.perf_counter() - t0, docs


def extract_seconds(docs: list) -> tuple[float, int]:
    t0 = time.perf_counter()
    pairs = []
    for i, doc in enumerate(docs):
        pairs.extend(extract_mentions(doc, f"a{i}"))
    aggregate_actors(pairs)
    return time.perf_counter() - t0, len(pairs)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    cfg = load_config()
    texts = [t[: cfg.nlp.max_chars] for t in corpus_texts(args.corpus, cfg)][: args.limit]
    words = sum(len(t.split()) for t in texts)
    bare = load_model(cfg.nlp.model, tuple(cfg.nlp.disable), actor_ruler=False)
    ruled = load_model(cfg.nlp.model, tuple(cfg.nlp.disable), actor_ruler=True)
    extract_mentions(ruled("Warm-up: the lexicon loads once per process."), "warmup")

    best = {"bare": float("inf"), "ruler": float("inf"), "extract": float("inf")}
    n_mentions = 0
    for _ in range(args.repeat):
        best["bare"] = min(best["bare"], parse_seconds(bare, texts, cfg.nlp.batch_size)[0])
        seconds, docs = parse_seconds(ruled, texts, cfg.nlp.batch_size)
        best["ruler"] = min(best["ruler"], seconds)
        seconds, n_mentions = extract_seconds(docs)
        best["extract"] = min(best["extract"], seconds)
        del docs

    print(f"corpus: {args.corpus} ({len(texts)} articles, {words} words), model {cfg.nlp.model}, 1 process")
    print(f"bare parse:            {best['bare']:.1f} s, {words / best['bare']:,.0f} words/s")
    print(
        f"parse + entity ruler:  {best['ruler']:.1f} s, {words / best['ruler']:,.0f} words/s "
        f"(ruler +{100 * (best['ruler'] / best['bare'] - 1):.1f}% of bare parse)"
    )
    print(
        f"actor extraction:      {best['extract']:.1f} s, {words / best['extract']:,.0f} words/s, "
        f"{n_mentions} mentions (+{100 * best['extract'] / best['bare']:.1f}% of bare parse)"
    )
    total = best["ruler"] + best["extract"]
    print(
        f"actor stage total:     {words / total:,.0f} words/s "
        f"(+{100 * (total / best['bare'] - 1):.1f}% over bare parse)"
    )


if __name__ == "__main__":
    main()
