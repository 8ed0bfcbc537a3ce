"""Transient failures are tried again with growing pauses; deterministic ones fail at once."""

from __future__ import annotations

import errno
import os

import pytest

from newsevents.tasks.ingest.readers import ReadResult
from newsevents.tasks.records import Reject
from newsevents.tasks.stages import read as read_stage
from newsevents.tasks.stages.inputs import InputUnavailable, check_input
from newsevents.tasks.stages.read import ReadLimits, read_one
from newsevents.tasks.store.writer import transient_error


def eio() -> OSError:
    return OSError(errno.EIO, "Input/output error")


@pytest.mark.parametrize(
    "exc, transient",
    [
        (eio(), True),
        (OSError(errno.ESTALE, "Stale file handle"), True),
        (TimeoutError("timed out"), True),
        (OSError(errno.ENOSPC, "No space left on device"), False),
        (PermissionError(errno.EACCES, "Permission denied"), False),
        (ValueError("a bug"), False),
        (None, False),
    ],
)
def test_transient_errors_are_told_from_deterministic_ones(exc, transient):
    assert transient_error(exc) is transient


def test_the_cause_of_a_wrapped_error_counts():
    try:
        try:
            raise eio()
        except OSError as inner:
            raise RuntimeError("write failed") from inner
    except RuntimeError as outer:
        assert transient_error(outer)


def test_a_file_failing_transiently_is_read_again_after_each_pause(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nBody.\n")
    failures = [eio(), eio()]
    attempts: list[int] = []
    good = ReadResult(identity=(1, 1))
    bad = ReadResult(rejects=[Reject("a.txt", "unreadable", "Input/output error")])

    def read_file(p, rel, limits):
        attempts.append(1)
        return bad if failures else good

    monkeypatch.setattr(read_stage, "read_file", read_file)
    monkeypatch.setattr(read_stage, "open_error", lambda p: failures.pop(0) if failures else None)
    slept: list[float] = []
    result = read_one(path, "a.txt", ReadLimits(10**6, 10, 10), delays=[2.0, 4.0, 8.0], sleep=slept.append)
    assert result is good and len(attempts) == 3 and slept == [2.0, 4.0]


def test_a_lasting_failure_is_not_retried(tmp_path, monkeypatch):
    bad = ReadResult(rejects=[Reject("a.txt", "unreadable", "Permission denied")])
    monkeypatch.setattr(read_stage, "read_file", lambda p, rel, limits: bad)
    monkeypatch.setattr(read_stage, "open_error", lambda p: PermissionError(errno.EACCES, "denied"))
    slept: list[float] = []
    assert read_one(tmp_path / "a.txt", "a.txt", ReadLimits(1, 1, 1), [2.0], slept.append) is bad
    assert slept == []


def test_an_input_folder_on_a_failing_mount_is_a_transient_failure(tmp_path, monkeypatch):
    def scandir(path):
        raise eio()

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(InputUnavailable, match="cannot be read") as caught:
        check_input(tmp_path)
    assert transient_error(caught.value)  # the plan task's retry policy tries it again


def test_a_missing_input_folder_is_not_transient(tmp_path):
    with pytest.raises(InputUnavailable, match="does not exist") as caught:
        check_input(tmp_path / "gone")
    assert not transient_error(caught.value)


def test_prefect_retries_only_transient_failures(prefect_harness, cfg):
    from prefect import flow, task

    from newsevents.flows.nightly import retrying

    fast = cfg.model_copy(update={"pipeline": cfg.pipeline.model_copy(update={"retry_delay_seconds": 0.0})})
    calls = {"flaky": 0, "broken": 0}

    @task
    def flaky() -> str:
        calls["flaky"] += 1
        if calls["flaky"] < 3:
            raise eio()
        return "ok"

    @task
    def broken() -> None:
        calls["broken"] += 1
        raise PermissionError(errno.EACCES, "denied")

    @flow
    def both() -> str:
        result = retrying(flaky, fast)()
        with pytest.raises(PermissionError):
            retrying(broken, fast)()
        return result

    assert both() == "ok"
    assert calls == {"flaky": 3, "broken": 1}
    assert fast.pipeline.retry_delays() == [0.0, 0.0, 0.0] and cfg.pipeline.retry_delays() == [2.0, 4.0, 8.0]
