"""The ways the flow is run for real: a killed CLI run, a second concurrent run, a Prefect server
with the nightly deployment and a process worker, and a Dask cluster."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newsevents.flows.server import free_port, wait_healthy
from newsevents.tasks.store.writer import run_lock
from tests.conftest import ROOT, SAMPLES
from tests.flows.test_ops import snapshot
from tests.stages.test_stages import run_stages

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def cli(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    # A session of its own: a fault point kills the CLI's whole process group, never pytest's.
    return subprocess.run(
        [str(BIN / "newsevents"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        start_new_session=True,
    )


def test_sigkill_during_extraction_then_rerun_matches_clean_run(tmp_path, cfg, nlp):
    """`kill -9` of a real CLI run mid-extraction; the rerun's datasets equal an uninterrupted run's."""
    clean = tmp_path / "clean"
    run_stages(SAMPLES, clean, cfg)
    crashed = tmp_path / "crashed"
    proc = cli("run", str(SAMPLES), "--out", str(crashed), env={"NEWSEVENTS_KILL_AT": "during-extract"})
    assert proc.returncode == -9
    assert not (crashed / "articles").exists()  # nothing committed by the killed first run
    proc = cli("run", str(SAMPLES), "--out", str(crashed), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]  # exit 0 although inputs were rejected
    assert json.loads(proc.stdout.strip().splitlines()[-1])["n_rejected"] >= 3
    assert snapshot(crashed) == snapshot(clean)


def test_second_run_on_a_busy_output_root_is_refused(tmp_path):
    out = tmp_path / "out"
    with run_lock(out):
        proc = cli("run", str(SAMPLES), "--out", str(out))
    assert proc.returncode == 3
    assert "another newsevents run is writing" in proc.stderr


def test_prefect_server_deployment_runs_when_triggered(tmp_path):
    """Start a real server on a free loopback port, deploy prefect.yaml, trigger, wait for Completed."""
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect_home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
    }
    prefect = str(BIN / "prefect")
    server = subprocess.Popen(
        [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_healthy(api, server)

        def prefect_cmd(*args: str) -> str:
            proc = subprocess.run(
                [prefect, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
            )
            assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
            return proc.stdout

        prefect_cmd("work-pool", "create", "newsevents-local", "--type", "process")
        prefect_cmd("--no-prompt", "deploy", "--name", "nightly")
        deployment = httpx.get(f"{api}/deployments/name/newsevents/nightly", timeout=5).json()
        assert deployment["global_concurrency_limit"]["limit"] == 1  # `concurrency_limit` is always None
        assert deployment["concurrency_options"]["collision_strategy"] == "ENQUEUE"

        def trigger(out: Path) -> str:
            triggered = prefect_cmd(
                "deployment", "run", "newsevents/nightly",
                "-p", f"input_dir={SAMPLES}", "-p", f"out_root={out}",
            )  # fmt: skip
            return next(line.split()[-1] for line in triggered.splitlines() if "UUID" in line)

        def final_states(run_ids: list[str]) -> dict[str, dict]:
            deadline = time.monotonic() + 600
            runs: dict[str, dict] = {}
            while time.monotonic() < deadline:
                runs = {r: httpx.get(f"{api}/flow_runs/{r}", timeout=5).json() for r in run_ids}
                if all(
                    run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")
                    for run in runs.values()
                ):
                    break
                time.sleep(1)
            return runs

        out = tmp_path / "out"
        run_id = trigger(out)
        prefect_cmd("worker", "start", "--pool", "newsevents-local", "--run-once")
        assert final_states([run_id])[run_id]["state"]["type"] == "COMPLETED"
        assert (out / "articles").is_dir() and (out / "events").is_dir()

        # A scheduled and a manual run overlapping: the second waits for a slot, then runs.
        first, second = trigger(tmp_path / "a"), trigger(tmp_path / "b")
        worker = subprocess.Popen(
            [prefect, "worker", "start", "--pool", "newsevents-local"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            runs = final_states([first, second])
        finally:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=60)
        assert [run["state"]["type"] for run in runs.values()] == ["COMPLETED", "COMPLETED"]
        spans = sorted((run["start_time"], run["end_time"]) for run in runs.values())
        assert spans[0][1] <= spans[1][0], spans  # one after the other, never both at once
        history = [
            state["name"]
            for r in (first, second)
            for state in httpx.get(f"{api}/flow_run_states/", params={"flow_run_id": r}, timeout=5).json()
        ]
        assert "AwaitingConcurrencySlot" in history
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)


def test_dask_runner_gives_the_same_outputs(prefect_harness, tmp_path):
    from newsevents.flows.nightly import nightly

    inp = tmp_path / "in"
    shutil.copytree(SAMPLES, inp)
    a, b = tmp_path / "threads", tmp_path / "dask"
    nightly(str(inp), str(a), None, {"pipeline.runner": "threads"})
    nightly(str(inp), str(b), None, {"pipeline.runner": "dask"})
    assert snapshot(a) == snapshot(b)
