"""Operations: crash safety at every commit stage, reprocess, incremental runs, readers, queries."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from newsevents.tasks import stages
from newsevents.tasks.store import faults
from newsevents.tasks.store.build import build_key, read_build
from newsevents.tasks.store.schema import DATASETS
from newsevents.tasks.store.writer import Layout, dataset_files, recover
from tests.conftest import SAMPLES
from tests.stages.test_stages import run_stages


class SimulatedKill(BaseException):
    """Stands for SIGKILL in-process: nothing in the pipeline catches a BaseException."""


def snapshot(root) -> dict[str, list[tuple]]:
    """Dataset contents without the columns that name the run (run ids differ between runs)."""
    out = {}
    for name, (schema, _) in DATASETS.items():
        cols = [c for c in schema.names if c not in ("run_id", "extractor_version")]
        frame = pd.read_parquet(root / name, columns=cols) if dataset_files(root, name) else pd.DataFrame()
        out[name] = sorted(map(repr, frame.itertuples(index=False)))
    return out


@pytest.fixture(scope="module")
def two_halves(tmp_path_factory):
    """Input folder holding half the samples, and the other half to add before the second run."""
    base = tmp_path_factory.mktemp("halves")
    first, full = base / "first", base / "full"
    shutil.copytree(SAMPLES / "wire", first / "wire")
    shutil.copytree(SAMPLES, full)
    return first, full


@pytest.fixture(scope="module")
def reference(two_halves, tmp_path_factory, cfg, nlp):
    first, full = two_halves
    root = tmp_path_factory.mktemp("ref")
    run_stages(first, root, cfg)
    run_stages(full, root, cfg)
    return snapshot(root)


@pytest.mark.parametrize("point", ["after-read", "during-extract", "commit-staged", "commit-half-moved"])
def test_killed_run_leaves_previous_state_and_rerun_completes(
    point, two_halves, reference, tmp_path, cfg, monkeypatch
):
    first, full = two_halves
    root = tmp_path / "out"
    run_stages(first, root, cfg)
    before = snapshot(root)

    def kill(name):
        if name == point:
            raise SimulatedKill(name)

    monkeypatch.setattr(faults, "fault_point", kill)
    with pytest.raises(SimulatedKill):
        run_stages(full, root, cfg)
    monkeypatch.undo()

    if point != "commit-half-moved":  # before the journal: the previous state, exactly
        assert snapshot(root) == before
    else:  # after it: readable (possibly half new) until the next run rolls it forward
        for name in DATASETS:
            pd.read_parquet(root / name)
    run_stages(full, root, cfg)
    assert snapshot(root) == reference
    assert not list(root.glob("**/.*.tmp")) and not list((root / "_state").glob("commit-*.json"))


def test_new_files_are_the_only_ones_read(tmp_path, cfg, nlp):
    inp = tmp_path / "in"
    shutil.copytree(SAMPLES / "wire", inp)
    root = tmp_path / "out"
    run_stages(inp, root, cfg)
    (inp / "new1.txt").write_text("Storm hits coast\n\nA storm hit the coast of Portugal on Friday.\n")
    (inp / "new2.txt").write_text(
        "Talks end\n\nTalks between the unions and the government ended in Lisbon.\n"
    )
    second = run_stages(inp, root, cfg)
    assert second.n_articles == 2 and second.n_unchanged == second.n_files - 2


def test_reprocess_rebuilds_derived_datasets_in_place(tmp_path, cfg, nlp):
    root = tmp_path / "out"
    run_stages(SAMPLES / "wire", root, cfg)
    before = snapshot(root)
    old_parts = {name: dataset_files(root, name) for name in ("actor_mentions", "events")}
    recover(root)
    layout = Layout(root, stages.new_run_id())
    shards = stages.reshard_stored(layout, cfg)
    extracts = [stages.extract_shard(s, layout, i, cfg) for i, s in enumerate(shards, 1)]
    stages.commit_reprocess(extracts, layout, cfg)
    assert snapshot(root) == before  # same extractors: the same rows, rebuilt
    for name, parts in old_parts.items():
        assert dataset_files(root, name) == [layout.final(name)]
        assert not any(p.exists() for p in parts)
    assert read_build(root) == build_key(cfg)


def test_changed_extraction_config_warns_until_reprocess(tmp_path, cfg, nlp):
    from newsevents.tasks.config import load_config

    inp = tmp_path / "in"
    shutil.copytree(SAMPLES / "wire", inp)
    root = tmp_path / "out"
    run_stages(inp, root, cfg)
    other = load_config(overrides={"nlp.max_chars": 50_000})
    (inp / "extra.txt").write_text("Port strike\n\nDock workers in Rotterdam went on strike on Monday.\n")
    summary = run_stages(inp, root, other)
    assert any("newsevents reprocess" in w for w in summary.warnings)


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory, cfg, nlp):
    root = tmp_path_factory.mktemp("sample_out")
    run_stages(SAMPLES, root, cfg)
    return root


@pytest.mark.parametrize("name", list(DATASETS))
def test_datasets_read_the_same_in_pandas_pyarrow_duckdb_polars(sample_out, name):
    path = sample_out / name
    n = len(pd.read_parquet(path))
    assert ds.dataset(path, format="parquet").count_rows() == n
    assert duckdb.sql(f"SELECT count(*) FROM '{path}/*.parquet'").fetchall()[0][0] == n
    assert pl.read_parquet(f"{path}/*.parquet").height == n


@pytest.mark.parametrize(
    "recipe", ["datasets", "events-per-day", "top-actors", "claims-by-speaker", "rejects-by-reason"]
)
def test_query_recipes_run(sample_out, recipe):
    from newsevents.tasks.store.queries import run_query

    frame = run_query(sample_out, recipe, limit=10)
    assert len(frame.columns) >= 2


def test_query_counts_match_datasets(sample_out):
    from newsevents.tasks.store.queries import run_query

    counts = dict(run_query(sample_out, "datasets").itertuples(index=False))
    assert counts["articles"] == len(pd.read_parquet(sample_out / "articles"))
    top = run_query(sample_out, "top-actors", limit=3)
    assert top.mentions.is_monotonic_decreasing


def test_unchanged_folder_needs_no_run_but_pending_work_does(tmp_path, cfg, nlp):
    inp, root = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SAMPLES / "wire", inp)
    assert stages.unchanged_summary(inp, root, cfg) is None  # no datasets yet: the first run writes them
    first = run_stages(inp, root, cfg)
    summary = stages.unchanged_summary(inp, root, cfg)
    assert summary is not None and summary.n_unchanged == first.n_files and summary.n_articles == 0
    assert summary.totals == first.totals and set(summary.rows.values()) == {0}
    (root / "_state" / "runs" / "left-behind").mkdir(parents=True)  # a killed run's staging
    assert stages.unchanged_summary(inp, root, cfg) is None
    recover(root)
    (inp / "new.txt").write_text("Floods\n\nRivers burst their banks in the north on Monday.\n")
    assert stages.unchanged_summary(inp, root, cfg) is None


def test_cli_rerun_on_an_unchanged_folder_starts_no_flow(tmp_path, cfg, nlp, monkeypatch):
    import json

    from typer.testing import CliRunner

    import newsevents.flows.nightly
    from newsevents.flows.cli import app

    inp, root = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SAMPLES / "wire", inp)
    first = run_stages(inp, root, cfg)

    def no_flow(*args, **kwargs):
        raise AssertionError("a flow was started for an unchanged folder")

    monkeypatch.setattr(newsevents.flows.nightly, "nightly", no_flow)
    result = CliRunner().invoke(app, ["run", str(inp), "--out", str(root), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["n_unchanged"] == first.n_files and summary["totals"] == first.totals
    assert "no flow run was started" in summary["warnings"][0]
