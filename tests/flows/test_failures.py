"""Failed runs: one `error:` line naming the path, the right exit code, and a prompt exit."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsevents.flows.cli import app
from tests.conftest import ROOT


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize("kind", ["file", "under_file", "proc"])
def test_unwritable_output_is_one_error_line_and_exit_2(tmp_path, kind):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text("Title\n\nThe minister said the plan was approved.\n")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = {"file": blocker, "under_file": blocker / "out", "proc": Path("/proc/newsevents-out")}[kind]
    result = CliRunner().invoke(app, ["run", str(inp), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    (line,) = _error_lines(result.output)
    assert str(out) in line or str(blocker) in line


def test_output_failure_codes_name_the_path(tmp_path):
    from newsevents.tasks.store.writer import output_failure

    ro = OSError(errno.EROFS, "Read-only file system", str(tmp_path / "_state"))
    msg, code = output_failure(ro, tmp_path)
    assert code == 2 and str(tmp_path / "_state") in msg and "read-only" in msg
    denied = OSError(errno.EACCES, "Permission denied", "/srv/out/events")
    assert output_failure(RuntimeError("flow failed"), tmp_path) is None
    wrapped = RuntimeError("task failed")
    wrapped.__cause__ = denied
    assert output_failure(wrapped, tmp_path) == (
        "cannot write /srv/out/events: permission denied (Permission denied)",
        2,
    )


def test_pyarrow_disk_full_is_named_and_exits_1(tmp_path, monkeypatch):
    """pyarrow says only "44246 requested and 4096 written": the store names the file and the cause."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsevents.tasks.store import writer
    from newsevents.tasks.store.writer import named_output_error, output_failure, writing

    def full(*args, **kwargs):
        raise OSError("44246 requested and 4096 written")

    monkeypatch.setattr(pq, "write_table", full)
    final = tmp_path / "events" / "part-r1.parquet"
    with pytest.raises(OSError) as caught:
        writer.write_temp(pa.table({"a": [1]}), final)
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(writer.temp_name(final))
    msg, code = output_failure(caught.value, tmp_path)
    assert code == 1 and str(writer.temp_name(final)) in msg and "no space" in msg
    with pytest.raises(OSError) as caught, writing(final):
        raise OSError(errno.EACCES, "Permission denied")
    assert caught.value.filename == str(final)
    assert named_output_error(OSError(errno.ENOSPC, "No space left on device"), final).errno == errno.ENOSPC


def test_cli_run_failing_on_a_full_disk_is_one_line_exit_1(tmp_path, monkeypatch):
    import contextlib

    import newsevents.flows.nightly
    import newsevents.flows.server

    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "a.txt").write_text("Title\n\nThe minister said the plan was approved.\n")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "events" / ".part-x.parquet.tmp"))

    monkeypatch.setattr(newsevents.flows.server, "local_api", contextlib.nullcontext)
    monkeypatch.setattr(newsevents.flows.nightly, "nightly", disk_full)
    result = CliRunner().invoke(app, ["run", str(inp), "--out", str(out)])
    assert result.exit_code == 1, result.output
    (line,) = _error_lines(result.output)
    assert "no space left" in line and str(out / "events") in line


def test_a_failed_run_exits_as_fast_as_a_successful_one(tmp_path):
    """The temporary API server stopped before the run's logs were sent: the log worker retried
    against it for ~75 s before the process could exit (measured 81 s before the fix, 3 s after)."""
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (out / "_state" / "build.json").mkdir(parents=True)  # the commit cannot read it: the run fails
    env = {
        **os.environ,
        "PREFECT_HOME": str(ROOT / ".state" / "prefect-test"),
        "PREFECT_LOGGING_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    newsevents = str(Path(sys.executable).with_name("newsevents"))
    cmd = [newsevents, "run", str(inp), "--out", str(out), "--runner", "threads"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    failed_at = None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("error:"):
            failed_at = time.monotonic()
    proc.wait(timeout=600)
    exited_at = time.monotonic()
    assert proc.returncode == 2, "".join(lines[-20:])  # the path is a folder: an output error
    assert failed_at is not None, "".join(lines[-20:])
    assert exited_at - failed_at < 25, f"exited {exited_at - failed_at:.0f} s after the error line"
