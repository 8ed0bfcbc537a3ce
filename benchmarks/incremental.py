"""Nightly runs are incremental: a first run, an unchanged rerun, then ten new files.

    python benchmarks/incremental.py [CORPUS]     # default: the BBC corpus

Copies CORPUS (<category>/NNN.txt) into a temporary input folder and runs `newsevents run` on it
three times into one output root:

1. the first run over everything;
2. a rerun on the unchanged folder: must read nothing and add no row, in a small share of the
   first run's wall time (what is left is Prefect's start-up and the ledger check);
3. after ten new articles are added (remixes of two originals each, so none is a duplicate):
   exactly those ten files are read.

Prints each run's wall time, files read, articles and rows added, and the dataset totals.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "bbc"


def run(input_dir: Path, out: Path) -> tuple[float, dict]:
    exe = str(Path(sys.executable).with_name("newsevents"))
    cmd = [exe, "run", str(input_dir), "--out", str(out), "--json"]
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return wall, json.loads(proc.stdout.strip().splitlines()[-1])


def add_new_articles(input_dir: Path, n: int, seed: int = 7) -> None:
    """n new articles, each half of one original's paragraphs and half of another's."""
    rng = random.Random(seed)
    files = sorted(input_dir.glob("*/*.txt"))
    for k in range(n):
        a, b = rng.sample(files, 2)
        paras = []
        for p in (a, b):
            lines = [ln for ln in p.read_bytes().decode("latin-1").splitlines() if ln.strip()]
            paras.extend(lines[1 + i] for i in range(0, len(lines) - 1, 2))
        title = f"Night desk update {k + 1}"
        (input_dir / "new").mkdir(exist_ok=True)
        (input_dir / "new" / f"n{k:03d}.txt").write_text(title + "\n\n" + "\n\n".join(paras) + "\n")


def line(name: str, wall: float, s: dict) -> str:
    added = sum(s["rows"].values())
    return (
        f"{name:<14} {wall:7.1f} s  files read {s['n_files'] - s['n_unchanged']:>5} "
        f"(of {s['n_files']}), articles {s['n_articles']:>5}, rows added {added:>7}"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsevents_incr_"))
    input_dir = work / "input"
    shutil.copytree(args.corpus, input_dir, ignore=shutil.ignore_patterns("README*"))
    out = work / "out"

    w1, s1 = run(input_dir, out)
    print(line("first run", w1, s1))
    w2, s2 = run(input_dir, out)
    print(line("unchanged", w2, s2) + f"  ({w2 / w1:.1%} of the first run)")
    add_new_articles(input_dir, 10)
    w3, s3 = run(input_dir, out)
    print(line("+10 new files", w3, s3))
    print("totals: " + ", ".join(f"{k} {v}" for k, v in s3["totals"].items()))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
