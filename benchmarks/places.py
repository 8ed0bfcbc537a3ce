"""Cost of place resolution next to the spaCy parse, and of loading the gazetteer.

    python benchmarks/places.py [CORPUS] [--limit N]

1. Gazetteer: build time from the packages' JSON (and the memory the build peaks at), load time
   from the per-user cache in a fresh process and the resident memory the index adds to it
   (what each worker process pays).
2. Reads and cleans CORPUS (default: the BBC corpus) with the pipeline's readers, parses it
   once with `nlp.pipe` (timed: the parse ceiling), then runs `extract_places` over the parsed
   Docs (timed: the stage's own cost). Prints words/second of both and the stage's share.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.throughput import DEFAULT_CORPUS, corpus_texts  # noqa: E402
from newsevents.tasks.config import load_config  # noqa: E402
from newsevents.tasks.extractors.places.gazetteer import build_gazetteer, load_gazetteer  # noqa: E402
from newsevents.tasks.extractors.places.resolve import extract_places, load_places_config  # noqa: E402
from newsevents.tasks.nlp.model import load_model  # noqa: E402
from newsevents.tasks.records import ArticleContext  # noqa: E402


def rss_mb() -> float:
    """Current resident set size (Linux /proc), in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, help="only the first N articles")
    args = ap.parse_args()

    pcfg = load_places_config()
    aliases = pcfg.gazetteer_aliases()
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    gaz = build_gazetteer(pcfg.gazetteer.min_population, aliases)
    build_s = time.perf_counter() - t0
    gc.collect()
    print(f"gazetteer: {len(gaz.entries)} entries, {len(gaz.names) + len(gaz.alternates)} names")
    print(f"gazetteer build from JSON: {build_s:.1f} s; memory after it: +{rss_mb() - before:.0f} MB")
    del gaz
    gc.collect()
    load_gazetteer(pcfg.gazetteer.min_population, aliases)  # writes the cache if missing
    # What a worker process pays: a fresh interpreter unpickling the cache.
    probe = (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from benchmarks.places import rss_mb; "
        "from newsevents.tasks.extractors.places.resolve import load_places_config, places_gazetteer;"
        "cfg = load_places_config(); before = rss_mb(); t0 = time.perf_counter(); places_gazetteer(cfg);"
        "print(f'gazetteer load from cache (fresh process): {time.perf_counter() - t0:.1f} s; '"
        "f'resident memory added: {rss_mb() - before:.0f} MB')"
    )
    subprocess.run([sys.executable, "-c", probe, str(ROOT)], check=True)

    cfg = load_config()
    texts = corpus_texts(args.corpus, cfg)[: args.limit]
    words = sum(len(t.split()) for t in texts)
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable))
    t0 = time.perf_counter()
    docs = list(nlp.pipe((t[: cfg.nlp.max_chars] for t in texts), batch_size=cfg.nlp.batch_size))
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_places = sum(len(extract_places(doc, ArticleContext(str(i)), [])) for i, doc in enumerate(docs))
    places_s = time.perf_counter() - t0
    print(f"corpus: {len(texts)} articles, {words} words, {n_places} place mentions")
    print(f"parse: {parse_s:.1f} s = {words / parse_s:,.0f} words/s")
    share = 100 * places_s / parse_s
    print(f"places: {places_s:.2f} s = {words / places_s:,.0f} words/s ({share:.1f}% of the parse)")


if __name__ == "__main__":
    main()
