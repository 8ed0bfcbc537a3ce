"""Read + clean throughput: articles/second and words/second of the ingest stage alone.

    python benchmarks/ingest.py [CORPUS ...] [--repeat N] [--parse]

For each corpus (default: the BBC corpus and the Scrapinghub HTML pages in ../shared), every
file is read from memory with `read_bytes` and cleaned with `clean_doc` in this one process, as
a read-batch task does; file I/O is done before the clock starts. The first pass warms the
caches (language model, trafilatura) and is not timed. With --parse, the cleaned texts are also
parsed with the pipeline's spaCy model (`nlp.pipe`, one process), to show read+clean as a share
of the parse it feeds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsevents.tasks.config import load_config  # noqa: E402
from newsevents.tasks.ingest.clean import clean_doc  # noqa: E402
from newsevents.tasks.ingest.readers import read_bytes  # noqa: E402
from newsevents.tasks.records import Article  # noqa: E402
from newsevents.tasks.stages.plan import discover  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "corpora"
DEFAULT_CORPORA = [SHARED / "bbc", SHARED / "scrapinghub_aeb" / "html"]


def read_clean(files: list[tuple[str, bytes]]) -> list[Article]:
    out = []
    for rel, data in files:
        for raw in read_bytes(data, rel).docs:
            art = clean_doc(raw)
            if isinstance(art, Article):
                out.append(art)
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpora", nargs="*", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--repeat", type=int, default=3, help="timed passes; the best is reported")
    ap.add_argument("--parse", action="store_true", help="also time nlp.pipe over the cleaned texts")
    args = ap.parse_args(argv)
    cfg = load_config()
    for corpus in args.corpora:
        files = [(rel, (corpus / rel).read_bytes()) for rel in discover(corpus, cfg)]
        arts = read_clean(files)  # warm-up
        best = min(_timed(read_clean, files) for _ in range(args.repeat))
        words = sum(len(a.text.split()) for a in arts)
        print(
            f"ingest[{corpus.name}]: files={len(files)} articles={len(arts)} words={words} "
            f"seconds={best:.2f} articles_per_s={len(arts) / best:.1f} words_per_s={words / best:.0f}"
        )
        if args.parse:
            from newsevents.tasks.nlp.model import load_model

            nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable))
            t0 = time.perf_counter()
            for _ in nlp.pipe((a.text[: cfg.nlp.max_chars] for a in arts), batch_size=cfg.nlp.batch_size):
                pass
            parse = time.perf_counter() - t0
            print(
                f"parse[{corpus.name}]: seconds={parse:.2f} words_per_s={words / parse:.0f} "
                f"ingest_share_of_parse={best / parse:.3f}"
            )


def _timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
