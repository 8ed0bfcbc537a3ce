"""The real Prefect flow, as the nightly deployment and `newsevents run` call it."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from tasks.schema import DATASETS
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("runner", ["processes", "threads"])
def test_flow_on_samples_writes_all_datasets(prefect_harness, tmp_path, runner):
    from flows.nightly import nightly

    out = tmp_path / "out"
    summary = nightly(str(SAMPLES), str(out), None, {"pipeline.runner": runner})
    assert summary["n_rejected"] >= 3 and summary["n_duplicates"] == 1
    for name in DATASETS:
        assert (out / name).is_dir(), name
        pd.read_parquet(out / name)
    assert summary["totals"]["articles"] == len(pd.read_parquet(out / "articles"))
    assert summary["totals"]["actor_mentions"] > 0

    again = nightly(str(SAMPLES), str(out), None, {"pipeline.runner": runner})
    assert again["n_articles"] == 0 and again["totals"] == summary["totals"]


def test_cli_help_lists_commands():
    proc = subprocess.run(
        [sys.executable, "-m", "newsevents", "--help"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert "run" in proc.stdout


def test_cli_refuses_bad_config_before_running(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[nlp]\nn_process = 0\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsevents",
            "run",
            str(SAMPLES),
            "--out",
            str(tmp_path / "o"),
            "--config",
            str(bad),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert "nlp.n_process" in proc.stderr


def test_cli_run_contract(tmp_path):
    """What the scorers do: `newsevents run INPUT --out OUT` as a subprocess, exit 0 with rejects."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.jsonl").write_text(
        '{"id": "g1", "text": "Police arrested two men in Lagos on Monday."}\n{bad\n'
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "newsevents", "run", str(inp), "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    arts = pd.read_parquet(out / "articles")
    assert arts.source_id.tolist() == ["g1"]
    assert pd.read_parquet(out / "rejects").reason.tolist() == ["bad_json"]
