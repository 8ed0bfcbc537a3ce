"""The real Prefect flow, as the nightly deployment and `newsevents run` call it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from newsevents.tasks.store.schema import DATASETS
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow


def test_flow_on_samples_writes_all_datasets(prefect_harness, tmp_path):
    """The default (process pool) runner; tests/test_deploy.py covers threads and Dask."""
    from newsevents.flows.nightly import nightly

    out = tmp_path / "out"
    summary = nightly(str(SAMPLES), str(out))
    assert summary["n_rejected"] >= 3 and summary["n_duplicates"] == 1
    for name in DATASETS:
        assert (out / name).is_dir(), name
        pd.read_parquet(out / name)
    assert summary["totals"]["articles"] == len(pd.read_parquet(out / "articles"))
    assert summary["totals"]["actor_mentions"] > 0

    assert set(summary["stage_seconds"]) == {"plan", "read", "dedup", "extract", "commit"}

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        keys = ["newsevents-run", "newsevents-run-counts", "newsevents-report"]
        arts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys)))
    assert {a.key for a in arts} == set(keys)
    table = next(a for a in arts if a.key == "newsevents-run-counts")
    assert "n_articles" in str(table.data)

    # The report is written next to the outputs and linked; the history has every stage's time.
    links = [str(a.data) for a in arts if a.key == "newsevents-report"]  # other tests' runs too
    assert (out / "report.html").exists() and any((out / "report.html").as_uri() in d for d in links)
    from newsevents.tasks.store.history import read_history

    (record,) = read_history(out)
    assert record["run_id"] == summary["run_id"] and set(record["stage_seconds"]) == set(
        summary["stage_seconds"]
    )

    again = nightly(str(SAMPLES), str(out))
    assert again["n_articles"] == 0 and again["totals"] == summary["totals"]


def test_a_failing_report_is_logged_and_never_fails_the_run(prefect_harness, tmp_path, monkeypatch, caplog):
    from prefect import flow

    import newsevents.tasks.report as report
    from newsevents.flows import nightly

    def broken(root):
        raise OSError("disk full")

    monkeypatch.setattr(report, "write_report", broken)

    @flow
    def end_of_run(root: str) -> str:
        nightly.publish_report(Path(root))
        return "committed"

    state = end_of_run(str(tmp_path), return_state=True)
    assert state.is_completed() and state.result() == "committed"
    assert "report not written: OSError: disk full" in caplog.text
    assert not (tmp_path / "report.html").exists()


def test_cli_help_lists_commands():
    proc = subprocess.run(
        [sys.executable, "-m", "newsevents", "--help"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    for command in ("run", "reprocess", "serve", "query", "report"):
        assert command in proc.stdout


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
