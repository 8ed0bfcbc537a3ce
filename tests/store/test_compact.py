"""Compaction: small part files merged under the journal; readers see the same rows before and after,
and a compaction killed at any point leaves readable files that the next run or compaction settles."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from newsevents.tasks import stages
from newsevents.tasks.stages.compact import compact_store, folders_to_compact
from newsevents.tasks.store import faults
from newsevents.tasks.store.compact import APPENDED, LEDGER_NAME, folder_parts, group_rows, plan_groups
from newsevents.tasks.store.schema import DATASETS
from newsevents.tasks.store.writer import read_ledger, recover
from tests.conftest import SAMPLES
from tests.flows.test_ops import snapshot
from tests.stages.test_stages import run_stages


class SimulatedKill(BaseException):
    pass


def test_plan_groups_merges_runs_of_small_parts_within_the_size(tmp_path):
    p = [tmp_path / f"part-{i}.parquet" for i in range(6)]
    sizes = [(p[0], 10), (p[1], 10), (p[2], 100), (p[3], 10), (p[4], 30), (p[5], 30)]
    # p2 is already large: it splits the runs; p3..p5 exceed 50 together, so they are cut.
    assert plan_groups(sizes, 50) == [[p[0], p[1]], [p[3], p[4]]]
    assert plan_groups([(p[0], 10)], 50) == []  # one part: nothing to merge


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory, cfg, nlp):
    """An output root written by three runs, each adding files: three parts per dataset."""
    base = tmp_path_factory.mktemp("compact")
    inp, root = base / "in", base / "out"
    inp.mkdir()
    for sub in ("wire", "feeds", "web"):
        shutil.copytree(SAMPLES / sub, inp / sub)
        run_stages(inp, root, cfg)
    return inp, root


def _copy(root, tmp_path):
    dest = tmp_path / "out"
    shutil.copytree(root, dest)
    return dest


def _duckdb_counts(root) -> dict[str, int]:
    return {
        name: duckdb.sql(f"SELECT count(*) FROM '{root / name}/*.parquet'").fetchall()[0][0]
        for name in APPENDED
    }


def test_compact_merges_parts_and_readers_see_the_same_rows(three_runs, tmp_path, cfg):
    inp, src = three_runs
    root = _copy(src, tmp_path)
    before, counts, ledger = snapshot(root), _duckdb_counts(root), read_ledger(root).num_rows
    assert len(folder_parts(root, "articles")) == 3
    summary = compact_store(root, cfg)
    assert summary.parts["articles"] == (3, 1) and summary.parts[LEDGER_NAME] == (3, 1)
    assert "articles 3 -> 1 parts" in summary.note()
    assert snapshot(root) == before
    assert _duckdb_counts(root) == counts and read_ledger(root).num_rows == ledger
    merged = folder_parts(root, "articles")
    assert len(merged) == 1 and "--" in merged[0].name
    assert pq.ParquetFile(merged[0]).schema_arrow.equals(DATASETS["articles"][0])
    assert not list(root.glob("**/.*.tmp")) and not list((root / "_state").glob("commit-*.json"))
    # A run after compaction still sees every file as read and adds nothing.
    again = run_stages(inp, root, cfg)
    assert again.n_articles == 0 and snapshot(root) == before
    assert compact_store(root, cfg).note() == "compact: nothing to merge"


def test_only_folders_over_the_limit_are_compacted(three_runs, tmp_path, cfg):
    _, src = three_runs
    root = _copy(src, tmp_path)
    folders, _ = folders_to_compact(root, cfg, over=3)
    assert folders == []
    folders, _ = folders_to_compact(root, cfg, over=2)
    assert "articles" in folders and LEDGER_NAME in folders
    compact_store(root, cfg, over=2)
    assert len(folder_parts(root, "events")) == 1


@pytest.mark.parametrize("point", ["commit-staged", "commit-half-moved", "commit-half-deleted"])
def test_a_killed_compaction_stays_readable_and_is_settled_next_time(
    point, three_runs, tmp_path, cfg, monkeypatch
):
    _, src = three_runs
    root = _copy(src, tmp_path)
    before = snapshot(root)

    def kill(name):
        if name == point:
            raise SimulatedKill(name)

    monkeypatch.setattr(faults, "fault_point", kill)
    with pytest.raises(SimulatedKill):
        compact_store(root, cfg)
    monkeypatch.undo()
    for name in DATASETS:  # every dataset still opens
        pd.read_parquet(root / name)
    if point == "commit-staged":  # no journal yet: exactly the previous files
        assert snapshot(root) == before
    recover(root)  # what the next run or compaction does first
    assert snapshot(root) == before
    assert not list(root.glob("**/.*.tmp")) and not list((root / "_state").glob("commit-*.json"))
    compact_store(root, cfg)
    assert snapshot(root) == before and len(folder_parts(root, "articles")) == 1


def test_row_groups_hold_about_the_configured_bytes(three_runs):
    _, root = three_runs
    parts = folder_parts(root, "articles")
    # Tiny parts: the floor of 1,024 rows per group; a huge budget is capped by nothing but bytes.
    assert group_rows(parts, 1) == 1024
    assert group_rows(parts, 1 << 40) > 1_000_000


def test_cli_compact_prints_what_it_merged(three_runs, tmp_path):
    import json

    from typer.testing import CliRunner

    from newsevents.flows.cli import app

    _, src = three_runs
    root = _copy(src, tmp_path)
    before = snapshot(root)
    result = CliRunner().invoke(app, ["compact", str(root), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["parts"]["events"] == [3, 1]
    assert snapshot(root) == before
    missing = CliRunner().invoke(app, ["compact", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "output root not found" in missing.output


def test_stages_package_exports_compaction():
    assert stages.compact_store is compact_store
