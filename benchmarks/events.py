"""What event extraction costs next to the spaCy parse it reads, on the same corpus.

    python benchmarks/events.py [CORPUS] [--limit N]

Reads and cleans CORPUS with the pipeline's readers, parses it with the configured model
(one process, the pipeline's batch size), and times separately, per Doc: the parse,
`extract_mentions` and `extract_places` (the events' inputs) and `extract_events`. Prints
words/second of each (words = whitespace-separated tokens of the cleaned texts, as in
benchmarks/throughput.py) and each one's cost as a share of the parse.
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
from newsevents.tasks.extractors.actors.extract import extract_mentions  # noqa: E402
from newsevents.tasks.extractors.events.extract import extract_events  # noqa: E402
from newsevents.tasks.extractors.events.lexicon import load_lexicon  # noqa: E402
from newsevents.tasks.extractors.places.resolve import extract_places  # noqa: E402
from newsevents.tasks.nlp.model import load_model  # noqa: E402
from newsevents.tasks.records import ArticleContext  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, help="first N articles only")
    args = ap.parse_args(argv)
    cfg = load_config()

    texts = corpus_texts(args.corpus, cfg)[: args.limit]
    words = sum(len(t.split()) for t in texts)
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable))
    ctx = ArticleContext("bench")
    # lexicon and gazetteer load once per process, as in a worker: not per article
    load_lexicon()
    extract_places(nlp("Fighting near Paris."), ctx, [])

    parse_s = mention_s = place_s = event_s = 0.0
    n_events = 0
    docs = nlp.pipe((t[: cfg.nlp.max_chars] for t in texts), batch_size=cfg.nlp.batch_size)
    t_parse = time.perf_counter()
    for doc in docs:
        t0 = time.perf_counter()
        parse_s += t0 - t_parse
        mentions = [m for m, _ in extract_mentions(doc, "bench")]
        t1 = time.perf_counter()
        places = extract_places(doc, ctx, mentions)
        t2 = time.perf_counter()
        n_events += len(extract_events(doc, ctx, mentions, places))
        t3 = time.perf_counter()
        mention_s += t1 - t0
        place_s += t2 - t1
        event_s += t3 - t2
        t_parse = time.perf_counter()

    print(f"corpus: {args.corpus} ({len(texts)} articles, {words} words, {n_events} events)")
    print(f"parse (nlp.pipe):  {parse_s:.1f} s, {words / parse_s:,.0f} words/s")
    print(f"extract_mentions:  {mention_s:.2f} s, {words / mention_s:,.0f} words/s")
    print(f"extract_places:    {place_s:.2f} s, {words / place_s:,.0f} words/s")
    print(f"extract_events:    {event_s:.2f} s, {words / event_s:,.0f} words/s")
    print(f"cost / parse: places {place_s / parse_s:.1%}, events {event_s / parse_s:.1%}")


if __name__ == "__main__":
    main()
