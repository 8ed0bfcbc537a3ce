"""The benchmark scripts stay importable, and the edited corpus they build is what they claim."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCHMARKS = sorted(p.stem for p in (Path(__file__).parents[1] / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_imports(name):
    module = importlib.import_module(f"benchmarks.{name}")
    assert callable(getattr(module, "main", None))


def _shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


def test_edited_corpus_holds_near_copies_and_new_remixes(tmp_path):
    from benchmarks.throughput import _FOOTERS, build_edited

    src = tmp_path / "src"
    for cat in ("a", "b"):
        (src / cat).mkdir(parents=True)
        for i in range(4):
            paras = [
                " ".join(f"{cat}{i}w{p}x{j}" for j in range(40)) for p in range(6)
            ]  # distinct words: Jaccard only from shared text
            (src / cat / f"{i:03d}.txt").write_text(f"Title {cat}{i}\n\n" + "\n\n".join(paras) + "\n")
    out = build_edited(src, tmp_path / "out", 60)
    files = sorted(out.rglob("*.txt"))
    assert len(files) == 60
    originals = {p.relative_to(src): _shingles(p.read_text()) for p in src.rglob("*.txt")}
    copies, remixes = [], []
    for p in files:
        if p.name.startswith("e"):
            text = p.read_text()
            own = _shingles(text)
            best = max(len(s & own) / len(s | own) for s in originals.values())
            (copies if text.rstrip().endswith(tuple(_FOOTERS)) else remixes).append(best)
    assert len(copies) + len(remixes) == 60 - 8
    assert copies and min(copies) >= 0.8  # edited copies: near duplicates of their source
    assert 5 <= len(copies) <= 25  # about a quarter
    assert sum(j < 0.6 for j in remixes) >= 0.6 * len(remixes)  # remixes: mostly new articles


def test_the_honest_ceiling_deals_the_runs_shards_to_each_process():
    from benchmarks.throughput import deal_shards

    texts = [f"t{i}" for i in range(10)]
    shares = deal_shards(texts, per_batch=2, workers=2)
    assert sorted(t for share in shares for t in share) == sorted(texts)  # every text once
    assert abs(len(shares[0]) - len(shares[1])) <= 2  # about even


def test_the_honest_ceiling_parses_in_independent_processes(cfg):
    from benchmarks.throughput import independent_parse

    texts = ["The minister met the envoy in Nairobi on Monday."] * 6
    seconds, rss = independent_parse(texts, cfg, 2)
    assert seconds > 0 and rss > 50 * 1024 * 1024  # two processes, each holding a model
