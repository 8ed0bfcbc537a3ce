"""End-to-end throughput and memory against the spaCy parse ceiling, measured in the same run.

    python benchmarks/throughput.py                       # the BBC corpus
    python benchmarks/throughput.py --edited 20000        # BBC grown to 20,000 articles with edits
    python benchmarks/throughput.py CORPUS [--n-process 2] [--runner processes|threads]

1. End to end: `newsevents run CORPUS --out TMP` as a subprocess (Prefect's temporary server,
   reading, cleaning, dedup, parsing, every extractor and the commit all included), with
   n_process = 2 meaning two parsing processes (the task runner's workers, one model each).
2. Two ceilings over exactly the texts the run parsed (its canonical English articles, clipped
   as the run clips them), with the same model, disabled components and batch size:
   - `nlp.pipe(n_process=2)`: spaCy's own multiprocessing, which pickles every Doc back to the
     parent, so it is slower than parsing where the Docs are used;
   - independent: `n_process` processes, each loading the model and parsing its share of the
     run's shards (cut as the run cuts them, dealt round-robin) with `n_process=1` and nothing
     else; its wall time is the slowest process's parse. This is the honest ceiling: what the
     pipeline's own workers could do if extraction, staging and Prefect cost nothing.
3. Prints words/second of all three over the same words (whitespace-separated words of the parsed
   texts) and their ratio; words/second of the input (duplicates included); seconds per flow
   stage and, inside the extraction tasks, parse / extractors / staging summed over workers;
   and the peak RSS summed over every process of each side (sampled every 0.2 s).

`--edited N` builds a corpus of N articles from the BBC one (seeded, so every run builds the
same): the 2,225 originals, then copies of random originals with small edits (a dateline, a
footer, a few words changed: near duplicates dedup must catch) and remixes of two articles of
one category (a random half of each one's paragraphs, shuffled: mostly new articles that are
parsed; the two are drawn independently, so now and then a remix keeps enough of one source to
be its near duplicate, and dedup removes it as well).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pyarrow.compute as pc
import pyarrow.dataset as ds

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsevents.tasks.config import load_config  # noqa: E402
from newsevents.tasks.ingest.clean import clean_doc  # noqa: E402
from newsevents.tasks.ingest.readers import read_file  # noqa: E402
from newsevents.tasks.nlp.model import load_model  # noqa: E402
from newsevents.tasks.records import Article  # noqa: E402
from newsevents.tasks.stages.plan import discover  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "bbc"
NEAR_SHARE = 0.25  # of the added articles: edited copies; the rest are remixes
_DATELINES = ["LONDON (Reuters) - ", "NEW YORK (AP) - ", "PARIS (AFP) - ", "DELHI (PTI) - "]
_FOOTERS = ["Reporting by Staff; editing by the Desk.", "(c) 2005 Wire Services. All rights reserved."]


def corpus_texts(corpus: Path, cfg) -> list[str]:
    """CORPUS read and cleaned by the pipeline's own readers (the other stage benchmarks use it)."""
    texts = []
    for rel in discover(corpus, cfg):
        for raw in read_file(corpus / rel, rel, cfg.input.max_file_bytes).docs:
            art = clean_doc(raw)
            if isinstance(art, Article):
                texts.append(art.text)
    return texts


class PeakRSS:
    """Peak of the summed RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _paragraphs(path: Path) -> tuple[str, list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = [ln.strip() for ln in text.splitlines()]
    title = next((ln for ln in lines if ln), "")
    body = [ln for ln in lines[lines.index(title) + 1 :] if ln] if title else []
    return title, body


def build_edited(source: Path, dest: Path, n: int, seed: int = 13) -> Path:
    """Grow `source` (<category>/NNN.txt) to `n` articles in `dest` (see the module docstring)."""
    rng = random.Random(seed)
    files = sorted(p for p in source.glob("*/*.txt"))
    by_cat: dict[str, list[Path]] = {}
    for p in files:
        by_cat.setdefault(p.parent.name, []).append(p)
    cache: dict[Path, tuple[str, list[str]]] = {}

    def load(p: Path) -> tuple[str, list[str]]:
        if p not in cache:
            cache[p] = _paragraphs(p)
        return cache[p]

    def write(rel: str, title: str, body: list[str]) -> None:
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")

    for p in files[:n]:
        title, body = load(p)
        write(f"{p.parent.name}/{p.name}", title, body)
    for k in range(len(files), n):
        a = rng.choice(files)
        title, body = load(a)
        if rng.random() < NEAR_SHARE:
            body = list(body)
            if body:
                body[0] = rng.choice(_DATELINES) + body[0]
                for _ in range(rng.randint(1, 3)):  # a few words changed
                    i = rng.randrange(len(body))
                    words = body[i].split()
                    if words:
                        words[rng.randrange(len(words))] = rng.choice(["said", "reported", "new", "local"])
                        body[i] = " ".join(words)
            write(f"{a.parent.name}/e{k:06d}.txt", title, [*body, rng.choice(_FOOTERS)])
        else:
            b = rng.choice(by_cat[a.parent.name])
            _, other = load(b)
            mixed = [p for p in body if rng.random() < 0.5] + [p for p in other if rng.random() < 0.5]
            rng.shuffle(mixed)
            label = rng.choice(["update", "analysis", "latest"])
            write(f"{a.parent.name}/e{k:06d}.txt", f"{title}: {label}", mixed)
    return dest


def run_pipeline(corpus: Path, out: Path, n_process: int, runner: str) -> tuple[float, int, dict]:
    # n_process is the parallelism of the parse: processes of the task runner, each parsing with one.
    if runner == "processes":
        flags = ["--runner", "processes", "--workers", str(n_process), "--n-process", "1"]
    else:
        flags = ["--runner", "threads", "--workers", "1", "--n-process", str(n_process)]
    cmd = [str(Path(sys.executable).with_name("newsevents")), "run", str(corpus), "--out", str(out), "--json"]
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"}
    t0 = time.perf_counter()
    pipe = subprocess.PIPE
    proc = subprocess.Popen([*cmd, *flags], stdout=pipe, stderr=pipe, text=True, env=env)
    with PeakRSS(proc.pid) as rss:
        stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"pipeline failed:\n{stderr[-3000:]}")
    return wall, rss.peak, json.loads(stdout.strip().splitlines()[-1])


def parsed_texts(out: Path, max_chars: int) -> list[str]:
    """The texts the run parsed: canonical (not a duplicate) English articles, clipped."""
    t = ds.dataset(out / "articles", format="parquet").to_table(columns=["text", "duplicate_of", "language"])
    keep = pc.and_(pc.is_null(t["duplicate_of"]), pc.fill_null(pc.equal(t["language"], "en"), True))
    return [s[:max_chars] for s in t.filter(keep).column("text").to_pylist()]


def bare_parse(texts: list[str], cfg, n_process: int) -> tuple[float, int]:
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable))
    with PeakRSS(os.getpid()) as rss:
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=cfg.nlp.batch_size, n_process=n_process):
            pass
        seconds = time.perf_counter() - t0
    return seconds, rss.peak


def deal_shards(texts: list[str], per_batch: int, workers: int) -> list[list[str]]:
    """The run's shards (equal, a multiple of the workers: `stages.dedup.shard_size`), dealt
    round-robin to `workers` processes as the task runner hands them out."""
    from newsevents.tasks.stages.dedup import shard_size

    size = shard_size(len(texts), per_batch, workers)
    shards = [texts[i : i + size] for i in range(0, len(texts), size)]
    return [[t for shard in shards[w::workers] for t in shard] for w in range(workers)]


def _parse_share(args: tuple[list[str], str, tuple[str, ...], int]) -> tuple[float, int]:
    texts, model, disable, batch_size = args
    nlp = load_model(model, disable)
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=1):
        pass
    return time.perf_counter() - t0, psutil.Process().memory_info().rss


def independent_parse(texts: list[str], cfg, n_process: int) -> tuple[float, int]:
    """(seconds of the slowest process's parse, summed RSS): `n_process` processes parsing their
    shares of the run's shards, nothing else (model loading not timed, as for `nlp.pipe`)."""
    import multiprocessing

    shares = deal_shards(texts, cfg.pipeline.articles_per_batch, n_process)
    jobs = [(share, cfg.nlp.model, tuple(cfg.nlp.disable), cfg.nlp.batch_size) for share in shares]
    with multiprocessing.get_context("spawn").Pool(n_process) as pool:
        results = pool.map(_parse_share, jobs)
    return max(r[0] for r in results), sum(r[1] for r in results)


def input_words(corpus: Path) -> tuple[int, int]:
    files = [p for p in corpus.rglob("*.txt") if p.is_file()]
    return len(files), sum(len(re.findall(r"\S+", p.read_bytes().decode("latin-1"))) for p in files)


def _fmt(seconds: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in seconds.items())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--edited", type=int, metavar="N", help="grow the corpus to N articles with edits first")
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--runner", choices=["processes", "threads"], default="processes")
    ap.add_argument("--work", type=Path, help="where to build the corpus and write the run (default: temp)")
    args = ap.parse_args(argv)
    cfg = load_config()
    work = args.work or Path(tempfile.mkdtemp(prefix="newsevents_bench_"))
    corpus = args.corpus
    if args.edited:
        corpus = build_edited(args.corpus, work / f"edited_{args.edited}", args.edited)
    n_files, in_words = input_words(corpus)

    wall, e2e_rss, summary = run_pipeline(corpus, work / "out", args.n_process, args.runner)
    texts = parsed_texts(work / "out", cfg.nlp.max_chars)
    words = sum(len(t.split()) for t in texts)
    bare, bare_rss = bare_parse(texts, cfg, args.n_process)
    honest, honest_rss = independent_parse(texts, cfg, args.n_process)

    mb = 1024 * 1024
    print(f"corpus: {corpus} ({n_files} files, {in_words:,} words)")
    print(
        f"run: {summary['n_articles']} articles, {summary['n_duplicates']} duplicates, "
        f"{summary['n_rejected']} rejected, {summary['n_extracted']} parsed "
        f"({len(texts)} texts, {words:,} words)"
    )
    print(f"model: {cfg.nlp.model}, disabled: {cfg.nlp.disable}, batch_size: {cfg.nlp.batch_size}")
    print(f"n_process: {args.n_process}, runner: {args.runner}, per task: {cfg.pipeline.articles_per_batch}")
    print(f"bare nlp.pipe: {bare:8.1f} s {words / bare:9,.0f} words/s   peak RSS {bare_rss / mb:,.0f} MB")
    print(f"independent:   {honest:8.1f} s {words / honest:9,.0f} words/s   RSS {honest_rss / mb:,.0f} MB")
    print(f"end to end:    {wall:8.1f} s {words / wall:9,.0f} words/s   peak RSS {e2e_rss / mb:,.0f} MB")
    print(f"ratio end-to-end / bare nlp.pipe (same words): {bare / wall:.3f}")
    print(f"ratio end-to-end / independent processes (the honest ceiling): {honest / wall:.3f}")
    print(f"input words/s end to end (duplicates included): {in_words / wall:,.0f}")
    stages = summary.get("stage_seconds", {})
    startup = wall - summary["seconds"]
    workers = summary.get("worker_seconds", {})
    print("stages (s): " + _fmt(stages) + f", outside the flow {startup:.1f}")
    print("in extraction tasks, summed over workers (s): " + _fmt(workers))


if __name__ == "__main__":
    main()
