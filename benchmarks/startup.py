"""The fixed cost of one `newsevents run`: time outside the flow, imports, the Prefect server.

    python benchmarks/startup.py                 # data/samples, 3 runs
    python benchmarks/startup.py --runs 5 CORPUS

1. `newsevents run CORPUS --out TMP --json` as a subprocess, each time into a fresh output root:
   wall time, the flow's own time (the summary's `seconds`: plan to commit) and their difference,
   the time outside the flow (imports, server start, flow and task-runner start, report, server
   stop, exit).
2. Import time of the CLI module, of the flow module and of Prefect's server, each in a fresh
   interpreter (the server's import is most of its start).
3. Seconds until a Prefect server answers /api/health, started as `newsevents run` starts it.

Figures on a shared machine vary with its load: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLES = ROOT / "data" / "samples"


def timed_run(corpus: Path, out: Path) -> tuple[float, float]:
    """(wall seconds, flow seconds) of one run into a fresh output root."""
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "newsevents"), "run", str(corpus), "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return wall, json.loads(proc.stdout.strip().splitlines()[-1])["seconds"]


def import_seconds(module: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
    return time.perf_counter() - t0


def server_seconds() -> float:
    """Seconds until the server `newsevents run` starts answers, then stop it."""
    code = (
        "import time; t=time.perf_counter()\n"
        "from newsevents.flows.server import local_api\n"
        "with local_api(): print(time.perf_counter()-t)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=SAMPLES)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsevents_startup_"))
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    outside, walls = [], []
    for i in range(args.runs):
        wall, flow = timed_run(args.corpus, work / f"out{i}")
        walls.append(wall)
        outside.append(wall - flow)
        print(f"run {i + 1}: wall {wall:6.1f} s, flow {flow:6.1f} s, outside the flow {wall - flow:6.1f} s")
    print(
        f"median: wall {statistics.median(walls):.1f} s, outside the flow {statistics.median(outside):.1f} s"
    )
    for module in ("newsevents.flows.cli", "newsevents.flows.nightly", "prefect.server.api.server"):
        print(f"import {module}: {import_seconds(module):.1f} s (fresh interpreter)")
    print(f"server answering /api/health after {server_seconds():.1f} s")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
