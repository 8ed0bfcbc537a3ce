from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsevents.tasks.records import Reject
from newsevents.tasks.store.schema import REJECTS
from newsevents.tasks.store.writer import (
    Layout,
    RunLocked,
    commit,
    dataset_files,
    read_dataset,
    recover,
    run_lock,
    stage_records,
    temp_name,
    write_parquet_atomic,
    write_temp,
)


def rejects_table(n: int, run: str = "r1") -> pa.Table:
    rows = [
        {
            "source_path": f"f{i}",
            "reason": "empty",
            "detail": "d",
            "record": None,
            "run_id": run,
            "extractor_version": "v",
        }
        for i in range(n)
    ]
    return pa.Table.from_pylist(rows, schema=REJECTS)


def test_atomic_write_leaves_no_temp_and_replaces(tmp_path):
    final = tmp_path / "rejects" / "part-x.parquet"
    write_parquet_atomic(rejects_table(2), final)
    write_parquet_atomic(rejects_table(3), final)
    assert pq.read_table(final).num_rows == 3
    assert not temp_name(final).exists()


def test_staged_records_carry_provenance(tmp_path):
    layout = Layout(tmp_path, "run-1")
    path = stage_records([Reject("a.txt", "empty", "file is empty")], "rejects", layout, 1)
    t = pq.read_table(path)
    assert t.column("run_id").to_pylist() == ["run-1"]
    assert t.schema.equals(REJECTS)


def test_empty_staging_keeps_schema(tmp_path):
    path = stage_records([], "rejects", Layout(tmp_path, "r"), 1)
    assert pq.read_table(path).schema.equals(REJECTS)


def test_commit_moves_files_and_removes_journal(tmp_path):
    layout = Layout(tmp_path, "r1")
    final = layout.final("rejects")
    tmp = write_temp(rejects_table(2), final)
    commit(layout, {final: tmp})
    assert dataset_files(tmp_path, "rejects") == [final]
    assert not layout.journal.exists()
    assert read_dataset(tmp_path, "rejects").num_rows == 2


def test_recover_rolls_a_journaled_commit_forward(tmp_path):
    layout = Layout(tmp_path, "r1")
    final = layout.final("rejects")
    tmp = write_temp(rejects_table(4), final)
    layout.state.mkdir(parents=True, exist_ok=True)
    layout.journal.write_text(json.dumps({"run_id": "r1", "moves": [[str(tmp), str(final)]]}))
    # killed after the journal, before the rename: readers still see the old state
    assert read_dataset(tmp_path, "rejects").num_rows == 0
    assert recover(tmp_path) == ["r1"]
    assert read_dataset(tmp_path, "rejects").num_rows == 4
    assert not layout.journal.exists()


def test_recover_discards_unjournaled_work(tmp_path):
    layout = Layout(tmp_path, "r2")
    stage_records([Reject("a", "empty", "x")], "rejects", layout, 1)
    write_temp(rejects_table(1), layout.final("rejects"))
    recover(tmp_path)
    assert not layout.staging.exists()
    assert not list(tmp_path.glob("rejects/.*"))
    assert read_dataset(tmp_path, "rejects").num_rows == 0


def test_second_run_on_same_root_is_refused(tmp_path):
    with run_lock(tmp_path), pytest.raises(RunLocked, match="another newsevents run"), run_lock(tmp_path):
        pass
    with run_lock(tmp_path):  # released after the first run
        pass
