"""End-to-end throughput against the spaCy parse ceiling, measured in the same run.

    python benchmarks/throughput.py [CORPUS] [--n-process N] [--runner processes|threads]

1. Reads and cleans CORPUS with the pipeline's own readers (so both sides see the same texts).
2. Bare ceiling: `nlp.pipe` over those texts with the same model, excluded components,
   batch size and N processes.
3. End to end: `newsevents run CORPUS --out TMP` as a subprocess (Prefect server start-up,
   reading, dedup, parsing, extraction and the commit all included).
Prints words/second of each (words = whitespace-separated tokens of the cleaned texts, the same
count on both sides) and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks.clean import clean_doc  # noqa: E402
from tasks.config import load_config  # noqa: E402
from tasks.ingest import read_file  # noqa: E402
from tasks.nlp import load_model  # noqa: E402
from tasks.schema import Article  # noqa: E402
from tasks.stages import discover  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "bbc"


def corpus_texts(corpus: Path, cfg) -> list[str]:
    texts = []
    for rel in discover(corpus, cfg):
        for raw in read_file(corpus / rel, rel, cfg.input.max_file_bytes).docs:
            art = clean_doc(raw)
            if isinstance(art, Article):
                texts.append(art.text)
    return texts


def bare_parse_seconds(texts: list[str], cfg, n_process: int) -> float:
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable))
    t0 = time.perf_counter()
    clipped = (t[: cfg.nlp.max_chars] for t in texts)
    for _ in nlp.pipe(clipped, batch_size=cfg.nlp.batch_size, n_process=n_process):
        pass
    return time.perf_counter() - t0


def pipeline_seconds(corpus: Path, n_process: int, runner: str) -> tuple[float, dict]:
    out = Path(tempfile.mkdtemp(prefix="newsevents_bench_")) / "out"
    # n_process is the parallelism of the parse: processes of the task runner, each parsing with one.
    if runner == "processes":
        flags = ["--runner", "processes", "--workers", str(n_process), "--n-process", "1"]
    else:
        flags = ["--runner", "threads", "--workers", "1", "--n-process", str(n_process)]
    cmd = [
        str(Path(sys.executable).with_name("newsevents")),
        "run",
        str(corpus),
        "--out",
        str(out),
        "--json",
        *flags,
    ]
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"pipeline failed:\n{proc.stderr[-3000:]}")
    return wall, json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--runner", choices=["processes", "threads"], default="processes")
    args = ap.parse_args(argv)
    cfg = load_config()

    texts = corpus_texts(args.corpus, cfg)
    words = sum(len(t.split()) for t in texts)
    bare = bare_parse_seconds(texts, cfg, args.n_process)
    wall, summary = pipeline_seconds(args.corpus, args.n_process, args.runner)
    print(f"corpus: {args.corpus} ({len(texts)} articles, {words} words)")
    print(f"model: {cfg.nlp.model}, n_process: {args.n_process}, runner: {args.runner}")
    print(f"bare nlp.pipe: {bare:.1f} s, {words / bare:,.0f} words/s")
    print(
        f"end to end:    {wall:.1f} s, {words / wall:,.0f} words/s (flow itself {summary['seconds']:.1f} s)"
    )
    print(f"ratio end-to-end / bare: {bare / wall:.3f}")


if __name__ == "__main__":
    main()
