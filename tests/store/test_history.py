"""The run history under _state/history: one file per committed run, read back in run order."""

from __future__ import annotations

import json
from dataclasses import asdict

from newsevents.tasks.stages.summary import RunSummary
from newsevents.tasks.store.history import history_dir, history_record, read_history, write_history_temp


def test_record_keeps_the_counts_and_drops_what_only_the_flow_knows():
    summary = RunSummary(run_id="20250101T020000Z-aaaaaa", n_articles=3, totals={"events": 9}, seconds=4.0)
    record = history_record(asdict(summary), "run")
    assert record["n_articles"] == 3 and record["kind"] == "run"
    assert "totals" not in record and "seconds" not in record
    assert record["committed_at"].endswith("Z")


def test_entries_appear_only_once_renamed_and_read_back_in_run_order(tmp_path):
    for run_id in ("20250102T020000Z-bbbbbb", "20250101T020000Z-aaaaaa", "20250103T020000Z-cccccc"):
        final, tmp = write_history_temp(tmp_path, {"run_id": run_id, "n_articles": 1})
        assert run_id not in {r["run_id"] for r in read_history(tmp_path)}  # the temporary name is hidden
        tmp.rename(final)
    assert [r["run_id"][:8] for r in read_history(tmp_path)] == ["20250101", "20250102", "20250103"]
    assert [r["run_id"][:8] for r in read_history(tmp_path, last=2)] == ["20250102", "20250103"]


def test_unreadable_or_foreign_files_are_skipped(tmp_path):
    folder = history_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / "20250101T020000Z-aaaaaa.json").write_text("{not json", encoding="utf-8")
    (folder / "20250102T020000Z-bbbbbb.json").write_text(json.dumps(["a list"]), encoding="utf-8")
    (folder / "20250103T020000Z-cccccc.json").write_text(json.dumps({"run_id": "x"}), encoding="utf-8")
    assert [r["run_id"] for r in read_history(tmp_path)] == ["x"]
    assert read_history(tmp_path / "missing") == []
