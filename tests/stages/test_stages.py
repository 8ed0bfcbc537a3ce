"""The stages chained without Prefect, on the bundled samples: what the flow does, minus the engine."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from newsevents.tasks import stages
from newsevents.tasks.stages.dedup import shard_size
from newsevents.tasks.store.schema import DATASETS
from newsevents.tasks.store.writer import Layout, read_dataset, recover
from tests.conftest import SAMPLES


def run_stages(input_dir, root, cfg) -> stages.RunSummary:
    """What `flows.nightly.pipeline` runs, without Prefect: recover, plan, read, dedup, extract, commit."""
    recover(root)
    layout = Layout(root, stages.new_run_id())
    plan = stages.plan_run(input_dir, root, cfg)
    reads = [stages.read_batch(input_dir, b, layout, i, cfg) for i, b in enumerate(plan.batches, 1)]
    dedup = stages.dedup_run([r.articles for r in reads], layout, cfg)
    extracts = [stages.extract_shard(s, layout, i, cfg) for i, s in enumerate(dedup.shards, 1)]
    return stages.commit_run(reads, dedup, extracts, layout, cfg, plan)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, cfg, nlp):
    root = tmp_path_factory.mktemp("out")
    summary = run_stages(SAMPLES, root, cfg)
    return root, summary


def test_every_dataset_is_written_with_its_schema(sample_run):
    root, _ = sample_run
    for name, (schema, _) in DATASETS.items():
        table = read_dataset(root, name)
        assert table.schema.equals(schema), name
        pd.read_parquet(root / name)  # readable by pandas as a dataset directory


def test_samples_counts_rejects_and_duplicates(sample_run):
    root, summary = sample_run
    arts = pd.read_parquet(root / "articles")
    assert summary.n_articles == len(arts) >= 12
    rejects = pd.read_parquet(root / "rejects")
    reasons = dict(zip(rejects.source_path, rejects.reason, strict=True))
    assert reasons["broken/empty.txt"] == "empty"
    assert reasons["broken/scan.txt"] == "binary"
    assert "bad_json" in set(rejects.reason)
    # same date and length: the copy with the smaller path is kept
    kept = arts[arts.source_path == "syndicated/partner_nairobi_protest.txt"].iloc[0]
    dup = arts[arts.source_path == "wire/nairobi_protest.txt"].iloc[0]
    assert dup.duplicate_of == kept.article_id and pd.isna(kept.duplicate_of)
    assert dup.dup_group == kept.dup_group == kept.article_id
    assert summary.n_extracted == len(arts) - summary.n_duplicates
    # JSONL records keep their id; text files have none
    assert set(arts.source_id.dropna()) >= {"feed-0001", "feed-0101", "desk-01"}


def test_mentions_index_article_text(sample_run):
    root, _ = sample_run
    arts = pd.read_parquet(root / "articles").set_index("article_id")
    mentions = pd.read_parquet(root / "actor_mentions")
    assert len(mentions) > 20
    for m in mentions.itertuples():
        assert arts.loc[m.article_id, "text"][m.start : m.end] == m.text
    actors = pd.read_parquet(root / "actors")
    assert actors.actor_id.is_unique
    assert set(mentions.actor_id) <= set(actors.actor_id)
    # duplicates are not extracted: no mention points at a duplicate article
    dups = set(arts.index[arts.duplicate_of.notna()])
    assert not dups & set(mentions.article_id)


def test_rerun_adds_no_rows_and_changed_file_is_reread(tmp_path, cfg, nlp):
    inp = tmp_path / "in"
    shutil.copytree(SAMPLES / "wire", inp)
    root = tmp_path / "out"
    first = run_stages(inp, root, cfg)
    again = run_stages(inp, root, cfg)
    assert again.n_unchanged == first.n_files and again.n_articles == 0
    assert again.totals == first.totals
    assert set(again.rows.values()) == {0}  # rebuilt tables report net growth, not their size
    assert first.rows == first.totals
    # touching a file without changing it re-reads it but stores nothing twice
    (inp / "mali_attack.txt").touch()
    third = run_stages(inp, root, cfg)
    assert third.n_articles == 1 and third.n_already_stored == 1
    assert third.totals == first.totals
    # a copy under a new name is stored, marked as a duplicate of the first run's article
    shutil.copy(inp / "mali_attack.txt", inp / "mali_copy.txt")
    fourth = run_stages(inp, root, cfg)
    arts = pd.read_parquet(root / "articles")
    copy = arts[arts.source_path == "mali_copy.txt"].iloc[0]
    orig = arts[arts.source_path == "mali_attack.txt"].iloc[0]
    assert copy.duplicate_of == orig.article_id
    assert fourth.n_extracted == 0


def test_an_extractor_failing_on_one_article_rejects_it_and_keeps_the_rest(tmp_path, cfg, nlp, monkeypatch):
    import newsevents.tasks.extractors.article as extract

    real = extract.extract_claims

    def flaky(doc, ctx, mentions, **kwargs):
        if "Harbour" in doc.text[:200]:
            raise OverflowError("date value out of range")
        return real(doc, ctx, mentions, **kwargs)

    monkeypatch.setattr(extract, "extract_claims", flaky)
    summary = run_stages(SAMPLES, tmp_path, cfg)
    rejects = pd.read_parquet(tmp_path / "rejects")
    failed = rejects[rejects.reason == "extraction_error"]
    assert len(failed) >= 1 and summary.reject_reasons["extraction_error"] == len(failed)
    assert failed.detail.str.contains("OverflowError").all()
    arts = pd.read_parquet(tmp_path / "articles")
    bad_ids = {d.split()[1].rstrip(":") for d in failed.detail}
    assert bad_ids <= set(arts.article_id)  # still in articles
    events = pd.read_parquet(tmp_path / "events")
    assert not bad_ids & set(events.article_id) and len(events) > 0  # no derived rows, the rest kept
    assert any("extractor failed" in w for w in summary.warnings)


@pytest.mark.parametrize(
    "n, per_batch, workers, size",
    [
        (2068, 400, 2, 345),
        (800, 400, 2, 400),
        (801, 400, 2, 201),
        (10, 400, 2, 5),
        (1, 400, 2, 1),
        (5, 400, 1, 5),
    ],
)
def test_shards_are_equal_and_a_multiple_of_the_workers(n, per_batch, workers, size):
    assert shard_size(n, per_batch, workers) == size
    n_shards = -(-n // size)
    assert size <= per_batch and (n_shards % workers == 0 or n < workers)


def test_the_commit_writes_the_run_history_entry(sample_run):
    from newsevents.tasks.store.history import read_history

    root, summary = sample_run
    (record,) = read_history(root)
    assert record["run_id"] == summary.run_id and record["kind"] == "run"
    assert record["n_articles"] == summary.n_articles and record["n_rejected"] == summary.n_rejected
    assert record["reject_reasons"] == summary.reject_reasons
    assert set(record["stage_seconds"]) == {"commit"}  # no earlier stage timed outside the flow


def test_an_output_root_inside_the_input_is_never_read_back(tmp_path, cfg):
    from newsevents.tasks.stages.plan import discover

    (tmp_path / "in" / "out").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text("Title\n\nBody said.\n")
    (tmp_path / "in" / "out" / "report.html").write_text("<html><body><p>report</p></body></html>")
    assert discover(tmp_path / "in", cfg, tmp_path / "in" / "out") == ["a.txt"]
    assert discover(tmp_path / "in", cfg) == ["a.txt", "out/report.html"]
