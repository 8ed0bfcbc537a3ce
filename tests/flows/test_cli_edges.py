"""The command line's checks before Prefect starts, and the `query` command's edges."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from newsevents.flows.cli import app
from newsevents.tasks.store.queries import RECIPES, VIEWS
from newsevents.tasks.store.schema import DATASETS
from newsevents.tasks.store.writer import run_lock
from tests.conftest import ROOT, SAMPLES
from tests.stages.test_stages import run_stages


def newsevents(
    *args: str, env: dict | None = None, timeout: int = 120
) -> tuple[subprocess.CompletedProcess, float]:
    """The real command in a fresh interpreter (what a user starts), and its wall seconds."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "newsevents", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )
    return proc, time.perf_counter() - t0


def one_error_line(proc: subprocess.CompletedProcess) -> str:
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    return lines[0]


# ---------------------------------------------------------------- checked before Prefect starts


@pytest.mark.parametrize(
    "args, expected",
    [
        (["run", "{tmp}/missing"], "does not exist (not mounted, or a wrong path?)"),
        (["run", "{tmp}/a_file.txt"], "is a file, not a folder"),
        (["run", "{samples}", "--out", "s3://bucket/x"], "'s3://bucket/x'"),
        (
            ["run", "{samples}", "--out", "{tmp}/o", "--model", "en_core_web_xx"],
            "'en_core_web_xx' is not installed",
        ),
        (["serve", "{tmp}/missing", "--out", "{tmp}/o"], "does not exist"),
        (["serve", "{samples}", "--out", "{tmp}/o", "--cron", "0 25 * * *"], "schedule.cron"),
        (["serve", "{samples}", "--out", "{tmp}/o", "--timezone", "Mars/Olympus"], "schedule.timezone"),
        (
            ["serve", "{samples}", "--out", "{tmp}/o", "NEWSEVENTS_NLP__MODEL=en_core_web_xx"],
            "is not installed",
        ),
    ],
)
def test_mistakes_are_one_error_line_before_any_server_starts(tmp_path, args, expected):
    (tmp_path / "a_file.txt").write_text("not a folder")
    given = [a.format(tmp=tmp_path, samples=SAMPLES) for a in args]
    env = dict(a.split("=", 1) for a in given if a.startswith("NEWSEVENTS_"))
    result = CliRunner().invoke(app, [a for a in given if not a.startswith("NEWSEVENTS_")], env=env)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert not (tmp_path / "o").exists()  # nothing was written


def test_a_bad_model_fails_in_seconds_without_prefect(tmp_path):
    proc, seconds = newsevents("run", str(SAMPLES), "--out", str(tmp_path / "o"), "--model", "en_core_web_xx")
    assert proc.returncode == 2
    assert "en_core_web_xx" in one_error_line(proc)
    assert seconds < 20  # no server start (that alone takes longer on this machine)


def test_a_busy_output_root_is_refused_before_prefect_starts(tmp_path):
    out = tmp_path / "out"
    with run_lock(out):
        proc, seconds = newsevents("run", str(SAMPLES), "--out", str(out))
    assert proc.returncode == 3
    assert "another newsevents run is writing" in one_error_line(proc) and "--wait" in proc.stderr
    assert seconds < 20


def test_serve_refuses_a_port_in_use(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        proc = subprocess.run(
            [sys.executable, "-m", "newsevents", "serve", str(SAMPLES), "--out", str(tmp_path / "o"),
             "--port", str(port)],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in one_error_line(proc)


def test_version():
    from newsevents import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip().startswith(f"newsevents {__version__}")


# ---------------------------------------------------------------- query


@pytest.fixture(scope="module")
def wire_out(tmp_path_factory, cfg, nlp):
    base = tmp_path_factory.mktemp("wire")
    shutil.copytree(SAMPLES / "wire", base / "in")
    run_stages(base / "in", base / "out", cfg)
    return base / "in", base / "out"


def test_bad_sql_is_one_line_with_duckdbs_message(wire_out):
    _, out = wire_out
    proc, _ = newsevents("query", str(out), "SELECT nope FROM events")
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert "nope" in line and "LIMIT" not in line  # DuckDB's message about the user's SQL, unwrapped


def test_an_unknown_recipe_is_refused_with_the_list(wire_out):
    _, out = wire_out
    result = CliRunner().invoke(app, ["query", str(out), "top-actor"])
    assert result.exit_code == 2
    assert "unknown recipe 'top-actor'" in result.output
    for name in RECIPES:
        assert name in result.output


def test_statements_other_than_select_run_as_given(wire_out, tmp_path):
    _, out = wire_out
    target = tmp_path / "events.csv"
    result = CliRunner().invoke(
        app, ["query", str(out), f"COPY (SELECT event_type FROM events) TO '{target}'"]
    )
    assert result.exit_code == 0, result.output
    n = len(target.read_text().splitlines()) - 1  # header
    counted = CliRunner().invoke(app, ["query", str(out), "SELECT count(*) AS n FROM events", "--csv"])
    assert n == int(counted.output.splitlines()[1]) and n > 0
    described = CliRunner().invoke(app, ["query", str(out), "DESCRIBE events", "--csv"])
    assert described.exit_code == 0 and "event_type" in described.output


def test_limit_applies_to_a_select_and_to_recipes(wire_out):
    _, out = wire_out
    result = CliRunner().invoke(
        app, ["query", str(out), "SELECT article_id FROM articles", "--limit", "2", "--csv"]
    )
    assert result.exit_code == 0 and len(result.output.strip().splitlines()) == 3


def test_query_help_lists_every_recipe_and_view():
    assert set(VIEWS) == set(DATASETS)
    result = CliRunner().invoke(app, ["query", "--help"], terminal_width=400)
    text = " ".join(result.output.split())
    for name in [*RECIPES, *VIEWS]:
        assert name in text, name


def test_the_unchanged_folder_summary_says_so(wire_out):
    inp, out = wire_out
    result = CliRunner().invoke(app, ["run", str(inp), "--out", str(out)])
    assert result.exit_code == 0, result.output
    first = result.output.strip().splitlines()[0]
    assert first.startswith("nothing new or changed since the last run") and "run none" not in result.output
    data = json.loads(CliRunner().invoke(app, ["run", str(inp), "--out", str(out), "--json"]).output)
    assert data["run_id"] == "" and data["n_articles"] == 0


def test_wait_waits_for_the_run_holding_the_root_then_runs(wire_out):
    inp, out = wire_out
    with run_lock(out):
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsevents", "run", str(inp), "--out", str(out), "--wait", "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        line = proc.stderr.readline()  # blocks until the command says it waits
        assert line.startswith("waiting for the run (pid ") and str(out) in line
        time.sleep(1)
        assert proc.poll() is None  # still waiting while the lock is held
    stdout, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert json.loads(stdout.strip().splitlines()[-1])["n_unchanged"] > 0


def test_an_output_root_that_is_a_file_is_named_so(tmp_path):
    path = tmp_path / "events.parquet"
    path.write_text("x")
    for command in ("query", "check", "compact"):
        result = CliRunner().invoke(app, [command, str(path)])
        assert result.exit_code == 2 and "is a file, not a folder" in result.output, command
