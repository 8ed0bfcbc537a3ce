"""The near-duplicate index across runs: persisted, committed with the run, rebuilt on a change."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import shutil
from collections import defaultdict

import pandas as pd
import pytest

from newsevents.tasks import stages
from newsevents.tasks.config import load_config
from newsevents.tasks.dedup import index as dedup_state
from newsevents.tasks.stages.dedup import near_params
from newsevents.tasks.store.writer import Layout, recover
from tests.conftest import needs_shared
from tests.dedup.test_near import BUDGET, FLOODS, TALKS
from tests.stages.test_stages import run_stages


def read_and_dedup(inp, root, cfg) -> tuple[stages.DedupOutput, stages.RunSummary]:
    """The stages without parsing: enough for everything dedup decides and stores."""
    recover(root)
    layout = Layout(root, stages.new_run_id())
    plan = stages.plan_run(inp, root, cfg)
    reads = [stages.read_batch(inp, b, layout, i, cfg) for i, b in enumerate(plan.batches, 1)]
    dedup = stages.dedup_run([r.articles for r in reads], layout, cfg)
    return dedup, stages.commit_run(reads, dedup, [], layout, cfg, plan)


def write(folder, name, title, body):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def articles(root) -> pd.DataFrame:
    return pd.read_parquet(root / "articles").set_index("source_path")


@pytest.fixture()
def first_run(tmp_path, cfg):
    inp, root = tmp_path / "night1", tmp_path / "out"
    write(inp, "floods.txt", "Floods in Kenya", FLOODS)
    write(inp, "talks.txt", "Sudan talks", TALKS)
    write(inp, "budget.txt", "Budget", BUDGET)
    read_and_dedup(inp, root, cfg)
    return tmp_path, root


def edited_copies(folder):
    write(
        folder,
        "wire_floods.txt",
        "Kenya floods kill 17",
        "NAIROBI (Reuters) - " + FLOODS.replace("at least 14", "at least 17") + " Reporting by J. Otieno.",
    )
    write(folder, "partner_talks.txt", "Talks resume", TALKS.replace("on Monday", "on Tuesday"))


def test_second_run_marks_edited_copies_as_duplicates_of_the_first_run(first_run, cfg):
    tmp, root = first_run
    edited_copies(tmp / "night2")
    dedup, summary = read_and_dedup(tmp / "night2", root, cfg)
    arts = articles(root)
    assert arts.loc["wire_floods.txt", "duplicate_of"] == arts.loc["floods.txt", "article_id"]
    assert arts.loc["partner_talks.txt", "duplicate_of"] == arts.loc["talks.txt", "article_id"]
    assert arts.loc["wire_floods.txt", "dup_group"] == arts.loc["floods.txt", "article_id"]
    # first-run rows are never rewritten
    assert arts.loc[["floods.txt", "talks.txt", "budget.txt"], "duplicate_of"].isna().all()
    assert summary.n_duplicates == 2 and dedup.n_to_extract == 0 and dedup.n_near_links == 2
    parts = dedup_state.open_parts(root, near_params(cfg))
    assert sorted(len(p) for p in parts) == [2, 3]  # one part per run, the copies indexed too


def test_full_pipeline_second_run_marks_copies(tmp_path, cfg, nlp):
    write(tmp_path / "a", "floods.txt", "Floods in Kenya", FLOODS)
    run_stages(tmp_path / "a", tmp_path / "out", cfg)
    edited_copies(tmp_path / "b")
    second = run_stages(tmp_path / "b", tmp_path / "out", cfg)
    arts = articles(tmp_path / "out")
    assert arts.loc["wire_floods.txt", "duplicate_of"] == arts.loc["floods.txt", "article_id"]
    assert pd.isna(arts.loc["partner_talks.txt", "duplicate_of"])
    assert second.n_extracted == 1


def test_a_run_killed_before_its_commit_leaves_the_old_index(first_run, cfg):
    tmp, root = first_run
    edited_copies(tmp / "night2")
    params = near_params(cfg)
    before = sorted(p.name for p in dedup_state.state_dir(root, params).iterdir())
    layout = Layout(root, stages.new_run_id())
    plan = stages.plan_run(tmp / "night2", root, cfg)
    reads = [stages.read_batch(tmp / "night2", b, layout, i, cfg) for i, b in enumerate(plan.batches, 1)]
    dedup = stages.dedup_run([r.articles for r in reads], layout, cfg)
    assert dedup.state_moves  # written, under temporary names, and never committed
    recover(root)
    assert sorted(p.name for p in dedup_state.state_dir(root, params).iterdir()) == before
    # the next run finds the copies against the intact index
    read_and_dedup(tmp / "night2", root, cfg)
    arts = articles(root)
    assert arts.loc["wire_floods.txt", "duplicate_of"] == arts.loc["floods.txt", "article_id"]


def test_a_killed_commit_is_rolled_forward_with_the_index(first_run, cfg):
    tmp, root = first_run
    edited_copies(tmp / "night2")
    layout = Layout(root, stages.new_run_id())
    plan = stages.plan_run(tmp / "night2", root, cfg)
    reads = [stages.read_batch(tmp / "night2", b, layout, i, cfg) for i, b in enumerate(plan.batches, 1)]
    dedup = stages.dedup_run([r.articles for r in reads], layout, cfg)
    # the journal as `store.commit` writes it, then the process dies before any rename
    moves = [[t, f] for f, t in dedup.state_moves.items()]
    layout.journal.write_text(json.dumps({"run_id": layout.run_id, "moves": moves}), encoding="utf-8")
    recover(root)
    parts = dedup_state.open_parts(root, near_params(cfg))
    assert sorted(len(p) for p in parts) == [2, 3]


def test_a_config_change_rebuilds_the_index_with_a_message(first_run):
    tmp, root = first_run
    cfg4 = load_config(overrides={"dedup.shingle_size": 4})
    edited_copies(tmp / "night2")
    dedup, summary = read_and_dedup(tmp / "night2", root, cfg4)
    assert len(dedup.notes) == 1 and summary.warnings == dedup.notes  # logged by the flow
    assert "shingle_size=4" in dedup.notes[0] and "shingle_size=5" in dedup.notes[0]
    assert "rebuilding" in dedup.notes[0] and "3 stored articles" in dedup.notes[0]
    arts = articles(root)
    assert arts.loc["wire_floods.txt", "duplicate_of"] == arts.loc["floods.txt", "article_id"]
    # only the new parameters' folder remains, with the rebuilt part and this run's part
    folders = list(dedup_state.state_root(root).iterdir())
    assert [f.name for f in folders] == [dedup_state.fingerprint(near_params(cfg4))]
    manifest = json.loads((folders[0] / dedup_state.MANIFEST).read_text())
    assert manifest["shingle_size"] == 4 and manifest["format"] == dedup_state.FORMAT
    assert sorted(len(p) for p in dedup_state.open_parts(root, near_params(cfg4))) == [2, 3]


def test_a_store_without_an_index_is_rebuilt_keeping_stored_groups(tmp_path, cfg):
    inp, root = tmp_path / "in", tmp_path / "out"
    write(inp, "a.txt", "Floods", FLOODS)
    write(inp, "b.txt", "Floods", FLOODS.replace("on Thursday", "on Friday"))
    read_and_dedup(inp, root, cfg)
    shutil.rmtree(dedup_state.state_root(root))  # e.g. written before the index existed
    write(tmp_path / "later", "c.txt", "Floods", FLOODS.replace("at least 14", "at least 16"))
    dedup, _ = read_and_dedup(tmp_path / "later", root, cfg)
    assert dedup.notes and "existing index: none" in dedup.notes[0]
    arts = articles(root)
    assert (
        arts.loc["c.txt", "duplicate_of"] == arts.loc["a.txt", "article_id"] == arts.loc["b.txt", "dup_group"]
    )


def test_a_rerun_of_the_same_files_adds_nothing_to_the_index(first_run, cfg):
    tmp, root = first_run
    dedup, summary = read_and_dedup(tmp / "night1", root, cfg)
    assert summary.n_articles == 0 and not dedup.state_moves
    assert [len(p) for p in dedup_state.open_parts(root, near_params(cfg))] == [3]


@pytest.mark.shared
def test_bbc_pairs_at_the_threshold(tmp_path):
    """BBC: every gold pair (byte-identical, or word-5-shingle Jaccard >= 0.8) is grouped, and
    the closest pairs below it (tech/009 vs 379 at 0.76) are not."""
    bbc = needs_shared("corpora", "bbc")
    tsv = needs_shared("corpora", "bbc_near_dup_pairs.tsv")
    cfg = load_config(overrides={"pipeline.files_per_batch": 1000})
    read_and_dedup(bbc, tmp_path / "out", cfg)
    arts = pd.read_parquet(tmp_path / "out" / "articles")
    assert len(arts) == 2225
    group = {
        p: g if isinstance(g, str) else a
        for p, a, g in zip(arts.source_path, arts.article_id, arts.dup_group, strict=True)
    }
    by_bytes = defaultdict(list)
    for p in arts.source_path:
        by_bytes[hashlib.sha1((bbc / p).read_bytes()).hexdigest()].append(p)
    gold = {tuple(sorted(c)) for g in by_bytes.values() for c in itertools.combinations(g, 2)}
    below = set()
    with open(tsv, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            pair = tuple(sorted((row["file_a"], row["file_b"])))
            if row["byte_identical"] == "1" or float(row["jaccard_5word_shingles"]) >= 0.8:
                gold.add(pair)
            else:
                below.add(pair)
    assert all(group[a] == group[b] for a, b in gold)
    assert not any(group[a] == group[b] for a, b in below)
    predicted = sum(n * (n - 1) // 2 for n in pd.Series(list(group.values())).value_counts())
    assert predicted == len(gold)
