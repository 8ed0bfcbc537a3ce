"""Near-duplicate detection at scale: newsevents' dedup against a plain datasketch baseline.

    python benchmarks/dedup.py                # N = 100,000
    python benchmarks/dedup.py --n 1000000
    python benchmarks/dedup.py --corpus ../shared/data/corpora/bbc   # the stage on a real corpus

Generates N synthetic articles (Zipf-distributed pseudo-words, 200-700 words in sentences and
paragraphs) where a known share are edited copies of an earlier article: exact or re-cased
copies, wire datelines and footers, one to four word substitutions, copies of copies. The
edits keep a copy's word-5-shingle Jaccard with its source above ~0.85, so the known groups
are the truth at threshold 0.8. Another share are related rewrites (a third of an earlier
article's sentences plus new ones, Jaccard ~0.3) that must stay apart.

Each method runs in its own process over the same stream (texts generated batch by batch;
generation is not timed) and prints articles/second, the process's peak RSS and pair
precision / recall against the known groups:

- newsevents: the stage's own path (`plan_exact`, `sign_stream` into an index part on disk,
  `link_near_duplicates`, `decide_groups`, the part's metadata). The exact-level content hash
  comes with each record, as the staged `articles` give it to the stage (clean computes it).
- datasketch: the same shingles (tokens of `content_key`), `MinHash(num_perm)` with its
  default sha1_hash32 and `update_batch`, `MinHashLSH(threshold, num_perm)` query-then-insert,
  union of every candidate.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsevents.tasks.config import load_config  # noqa: E402
from newsevents.tasks.dedup.index import PartWriter, sign_stream  # noqa: E402
from newsevents.tasks.dedup.near import (  # noqa: E402
    DedupItem,
    NearDupParams,
    decide_groups,
    index_meta,
    link_near_duplicates,
    plan_exact,
)
from newsevents.tasks.ingest.clean import content_hash, content_key  # noqa: E402

BATCH = 2_000
_SYLLABLES = [c + v for c in "bdfghklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
_CITIES = ["LONDON", "NAIROBI", "BEIRUT", "LIMA", "DELHI", "KYIV", "LAGOS", "MANILA", "QUITO"]
_AGENCIES = ["Reuters", "AP", "AFP", "Xinhua", "dpa", "PTI", "Anadolu"]


# ---------------------------------------------------------------- the synthetic corpus


@dataclass(frozen=True, slots=True)
class Corpus:
    """Article i is a pure function of (seed, i): each process regenerates the same stream."""

    n: int
    seed: int = 7
    copy_share: float = 0.2
    related_share: float = 0.05
    vocab_size: int = 50_000

    def plan(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """kind (0 original, 1 copy, 2 related rewrite), source index, gold group (root original)."""
        rng = np.random.default_rng(self.seed)
        u = rng.random(self.n)
        kind = np.where(u < self.copy_share, 1, np.where(u < self.copy_share + self.related_share, 2, 0))
        kind[0] = 0
        source = np.full(self.n, -1, np.int64)
        group = np.arange(self.n)
        pick = rng.random(self.n)
        for i in np.flatnonzero(kind):
            # a copy or rewrite of a random earlier article; at most a copy of a copy
            j = int(pick[i] * i)
            while kind[j] == 1 and kind[source[j]] == 1:
                j = source[j]
            source[i] = j
            if kind[i] == 1:
                group[i] = group[j]
        return kind, source, group

    def vocab(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(self.seed + 1)
        words = set()
        while len(words) < self.vocab_size:
            k = int(rng.integers(1, 5))
            words.add("".join(_SYLLABLES[s] for s in rng.integers(0, len(_SYLLABLES), k)))
        vocab = np.array(sorted(words), dtype=object)
        rng.shuffle(vocab)
        weights = 1.0 / np.arange(2, self.vocab_size + 2) ** 1.07
        return vocab, np.cumsum(weights) / weights.sum()


class Generator:
    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.kind, self.source, self.group = corpus.plan()
        self.vocab, self.cdf = corpus.vocab()

    def _words(self, rng: np.random.Generator, n: int) -> list[str]:
        return self.vocab[np.searchsorted(self.cdf, rng.random(n))].tolist()

    def _sentences(self, rng: np.random.Generator, n_words: int) -> list[str]:
        words = self._words(rng, n_words)
        out, i = [], 0
        while i < len(words):
            k = int(rng.integers(8, 26))
            s = words[i : i + k]
            s[0] = s[0].capitalize()
            if len(s) > 6:
                s[len(s) // 2] += ","
            out.append(" ".join(s) + ".")
            i += k
        return out

    def sentences(self, i: int) -> list[str]:
        rng = np.random.default_rng((self.corpus.seed, i))
        kind = self.kind[i]
        if kind == 0:
            return self._sentences(rng, int(rng.integers(200, 701)))
        src = self.sentences(int(self.source[i]))
        if kind == 2:  # a third of the source's sentences, then a new story
            k = max(1, len(src) // 3)
            lo = int(rng.integers(0, len(src) - k + 1))
            return src[lo : lo + k] + self._sentences(rng, int(rng.integers(150, 400)))
        out = list(src)
        edit = rng.random(4)
        if edit[0] < 0.5:  # a dateline
            out[0] = (
                f"{_CITIES[int(rng.integers(len(_CITIES)))]} ({_AGENCIES[int(rng.integers(7))]}) - {out[0]}"
            )
        if edit[1] < 0.5:  # a footer
            out.append(f"Copyright {int(rng.integers(2000, 2025))} {_AGENCIES[int(rng.integers(7))]}.")
        if edit[2] < 0.7:  # word substitutions: corrections and updates
            n_words = sum(s.count(" ") + 1 for s in out)
            for _ in range(int(rng.integers(1, max(2, n_words // 150) + 1))):
                j = int(rng.integers(len(out)))
                words = out[j].split(" ")
                words[int(rng.integers(len(words)))] = self._words(rng, 1)[0]
                out[j] = " ".join(words)
        if edit[3] < 0.2:  # re-cased, re-flowed
            out = [s.upper() for s in out]
        return out

    def text(self, i: int) -> str:
        sents = self.sentences(i)
        return "\n\n".join(" ".join(sents[p : p + 3]) for p in range(0, len(sents), 3))

    def record(self, i: int, text: str) -> tuple:
        """What the staged `articles` give dedup: the content hash is computed upstream, in clean."""
        published = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=int(i))
        return f"a{i:07d}", content_hash(text), f"feed{i % 97}/{i}.txt", len(text), published

    def batches(self):
        for lo in range(0, self.corpus.n, BATCH):
            idx = range(lo, min(lo + BATCH, self.corpus.n))
            yield idx, [self.text(i) for i in idx]


# ---------------------------------------------------------------- the two methods


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_newsevents(corpus: Corpus, params: NearDupParams) -> dict:
    gen = Generator(corpus)
    start_mb = _peak_mb()
    spent = 0.0
    items: list[DedupItem] = []
    for idx, texts in gen.batches():
        records = [gen.record(i, t) for i, t in zip(idx, texts, strict=True)]
        t0 = time.perf_counter()
        items.extend(DedupItem(*r) for r in records)
        spent += time.perf_counter() - t0
    t0 = time.perf_counter()
    plan = plan_exact(items, set(), {})
    spent += time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="dedup_bench_") as tmp:
        writer = PartWriter(Path(tmp), "bench", params.num_perm)
        rows = plan.sign_rows
        for idx, texts in gen.batches():
            t0 = time.perf_counter()
            todo = [(rows[f"a{i:07d}"], t) for i, t in zip(idx, texts, strict=True) if f"a{i:07d}" in rows]
            sign_stream(iter(todo), writer, params)
            spent += time.perf_counter() - t0
        t0 = time.perf_counter()
        uf, stats = link_near_duplicates(writer.flush(), [], params)
        result = decide_groups(plan, uf, [])
        heads = [plan.clusters[c].canonical() for c in plan.row_cluster]
        writer.close(index_meta(heads, result.row_groups, writer.sizes()))
        spent += time.perf_counter() - t0
        disk = sum(p.stat().st_size for p in Path(tmp).iterdir())
    pred = np.empty(corpus.n, np.int64)
    ids = {}
    for i in range(corpus.n):
        d = result.decisions[f"a{i:07d}"]
        pred[i] = ids.setdefault(d.dup_group or d.article_id, len(ids))
    return {
        "seconds": spent,
        "peak_mb": _peak_mb(),
        "start_mb": start_mb,
        "pred": pred,
        "index_bytes": disk,
        "candidates": stats.candidates,
        "checked": stats.checked,
    }


def run_datasketch(corpus: Corpus, params: NearDupParams) -> dict:
    from datasketch import MinHash, MinHashLSH

    gen = Generator(corpus)
    start_mb = _peak_mb()
    spent = 0.0
    k = params.shingle_size
    lsh = MinHashLSH(threshold=params.threshold, num_perm=params.num_perm)
    parent = np.arange(corpus.n)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for idx, texts in gen.batches():
        t0 = time.perf_counter()
        for i, text in zip(idx, texts, strict=True):
            tokens = content_key(text).split()
            shingles = {" ".join(tokens[j : j + k]).encode() for j in range(max(1, len(tokens) - k + 1))}
            m = MinHash(num_perm=params.num_perm)  # hashfunc: datasketch's default sha1_hash32
            m.update_batch(list(shingles))
            for other in lsh.query(m):
                a, b = find(i), find(other)
                if a != b:
                    parent[a] = b
            lsh.insert(i, m)
        spent += time.perf_counter() - t0
    pred = np.array([find(i) for i in range(corpus.n)])
    return {"seconds": spent, "peak_mb": _peak_mb(), "start_mb": start_mb, "pred": pred}


# ---------------------------------------------------------------- scoring


def pair_scores(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float, int]:
    """Pair precision and recall of two labellings (pairs in one group), and the gold pair count."""

    def pairs(counts: np.ndarray) -> int:
        return int((counts * (counts - 1) // 2).sum())

    both = np.unique(np.stack([gold, pred]), axis=1, return_counts=True)[1]
    tp = pairs(both)
    n_gold = pairs(np.unique(gold, return_counts=True)[1])
    n_pred = pairs(np.unique(pred, return_counts=True)[1])
    return (tp / n_pred if n_pred else 1.0), (tp / n_gold if n_gold else 1.0), n_gold


def measure(method: str, corpus: Corpus, params: NearDupParams) -> dict:
    fn = {"newsevents": run_newsevents, "datasketch": run_datasketch}[method]
    out = fn(corpus, params)
    _, _, group = corpus.plan()
    out["precision"], out["recall"], out["gold_pairs"] = pair_scores(group, out.pop("pred"))
    return out


def corpus_cost(corpus_dir: Path, parse_sample: int) -> None:
    """Words per CPU-second of `stages.dedup_run` on a real corpus (reading is not timed; CPU time
    because the machine is shared), first into an
    empty store, then over copies of the same .txt files with a footer added (near duplicates
    of the stored articles); next to the bare spaCy parse of a sample of the same texts."""
    import shutil

    import pyarrow.parquet as pq

    from newsevents.tasks import stages
    from newsevents.tasks.nlp.model import load_model
    from newsevents.tasks.store.writer import Layout

    cfg = load_config()
    with tempfile.TemporaryDirectory(prefix="dedup_corpus_") as tmp:
        root = Path(tmp) / "out"
        copy = Path(tmp) / "copy"
        shutil.copytree(corpus_dir, copy / "again")
        for path in (copy / "again").rglob("*.txt"):  # a syndication footer: near, not exact, copies
            path.write_bytes(path.read_bytes() + b"\n\nDistributed by the Example News Syndicate.\n")
        figures = []
        for label, inp in (("first run", corpus_dir), ("second run vs stored index", copy)):
            layout = Layout(root, stages.new_run_id())
            plan = stages.plan_run(inp, root, cfg)
            reads = [stages.read_batch(inp, b, layout, i, cfg) for i, b in enumerate(plan.batches, 1)]
            texts = [
                t
                for r in reads
                for t in pq.read_table(r.articles, columns=["text"]).column("text").to_pylist()
            ]
            words = sum(len(t.split()) for t in texts)
            t0, c0 = time.perf_counter(), time.process_time()
            out = stages.dedup_run([r.articles for r in reads], layout, cfg)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            stages.commit_run(reads, out, [], layout, cfg, plan)
            figures.append((words, cpu))
            print(
                f"dedup_run {label}: {len(texts):,} articles, {words:,} words in {seconds:.2f} s wall, "
                f"{cpu:.2f} s CPU = {words / cpu:,.0f} words/CPU-s ({out.n_duplicates:,} duplicates)"
            )
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable))
    sample = texts[:parse_sample]
    c0 = time.process_time()
    for _ in nlp.pipe((t[: cfg.nlp.max_chars] for t in sample), batch_size=cfg.nlp.batch_size):
        pass
    parse_rate = sum(len(t.split()) for t in sample) / (time.process_time() - c0)
    words, cpu = figures[0]
    share = cpu / (words / parse_rate)
    print(
        f"bare nlp.pipe ({cfg.nlp.model}, 1 process) on {len(sample)} of the texts: "
        f"{parse_rate:,.0f} words/CPU-s; dedup_run (first run) costs {share:.1%} of parsing the corpus"
    )


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="number of articles (default 100,000)")
    ap.add_argument("--copy-share", type=float, default=0.2)
    ap.add_argument("--related-share", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-baseline", action="store_true", help="only newsevents (no ratio)")
    ap.add_argument("--corpus", type=Path, help="instead: time dedup_run on this corpus folder")
    ap.add_argument("--parse-sample", type=int, default=300, help="with --corpus: texts to parse")
    args = ap.parse_args(argv)
    if args.corpus:
        corpus_cost(args.corpus, args.parse_sample)
        return

    d = load_config().dedup
    params = NearDupParams(d.threshold, d.shingle_size, d.num_perm, d.seed)
    corpus = Corpus(args.n, args.seed, args.copy_share, args.related_share)
    kind, _, _ = corpus.plan()
    print(
        f"dedup benchmark: N={args.n:,} synthetic articles, {np.mean(kind == 1):.1%} edited copies, "
        f"{np.mean(kind == 2):.1%} related rewrites; {params.shingle_size}-word shingles, "
        f"{params.num_perm} permutations, threshold {params.threshold}, bands x rows {params.bands_rows}"
    )
    results = {}
    methods = ["newsevents"] if args.skip_baseline else ["newsevents", "datasketch"]
    for method in methods:
        # A fresh process per method: peak RSS is that method's alone.
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            r = pool.submit(measure, method, corpus, params).result()
        results[method] = r
        rate = args.n / r["seconds"]
        extra = ""
        if "index_bytes" in r:
            extra = (
                f"  index_on_disk_bytes/article {r['index_bytes'] / args.n:,.0f}"
                f"  candidates {r['candidates']:,}  exact_checks {r['checked']:,}"
            )
        print(
            f"{method:<11} articles/s {rate:>9,.0f}  seconds {r['seconds']:8.1f}  "
            f"peak_rss_mb {r['peak_mb']:7.0f} (start {r['start_mb']:.0f}, "
            f"{(r['peak_mb'] - r['start_mb']) * 2**20 / args.n:,.0f} bytes/article)  "
            f"precision {r['precision']:.4f}  recall {r['recall']:.4f}  gold_pairs {r['gold_pairs']:,}"
            + extra
        )
    if len(results) == 2:
        ratio = results["datasketch"]["seconds"] / results["newsevents"]["seconds"]
        print(f"speed ratio newsevents / datasketch: {ratio:.1f}x")


if __name__ == "__main__":
    main()
