"""The near-duplicate index's retention window (dedup.retention_days) and its monthly compaction."""

from __future__ import annotations

import datetime as dt

from newsevents.tasks.dedup import index as dedup_index
from newsevents.tasks.stages import commit as commit_stage
from newsevents.tasks.stages.dedup import near_params
from tests.dedup.test_index import read_and_dedup, write
from tests.dedup.test_near import TALKS

UTC = dt.UTC


def test_part_time_reads_every_part_name_form():
    when = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert dedup_index.part_time("20260304T050607Z-ab12cd") == when
    assert dedup_index.part_time("20260304T050607Z-ab12cd-rebuilt") == when
    assert dedup_index.part_time("20250101T000000Z-000000--20260304T050607Z-ab12cd") == when
    assert dedup_index.part_time("not-a-run") is None


def fake_parts(cfg, root, names):
    folder = dedup_index.state_dir(root, near_params(cfg))
    folder.mkdir(parents=True)
    for name in names:
        for ext in (".meta.arrow", ".sig.u32", ".shingles.u32"):
            (folder / f"part-{name}{ext}").write_bytes(b"")
    return folder


def test_prune_deletes_parts_older_than_the_window_and_orphans(tmp_path, cfg):
    names = ["20260101T020000Z-aaaaaa", "20260301T020000Z-bbbbbb", "20260320T020000Z-cccccc"]
    folder = fake_parts(cfg, tmp_path, names)
    (folder / "part-20250101T020000Z-dddddd.sig.u32").write_bytes(b"")  # metadata gone: an orphan
    now = dt.datetime(2026, 4, 1, tzinfo=UTC)
    params = near_params(cfg)
    assert dedup_index.prune_expired(tmp_path, params, 0, now) == []  # 0 keeps every part
    assert not (folder / "part-20250101T020000Z-dddddd.sig.u32").exists()
    assert dedup_index.part_names(tmp_path, params) == names
    assert dedup_index.prune_expired(tmp_path, params, 45, now) == names[:1]
    assert dedup_index.part_names(tmp_path, params) == names[1:]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"part-{n}{ext}" for n in names[1:] for ext in (".meta.arrow", ".sig.u32", ".shingles.u32")
    )


def test_compaction_groups_consecutive_parts_of_one_month(tmp_path, cfg):
    names = [
        "20260101T020000Z-aaaaaa",
        "20260115T020000Z-bbbbbb",
        "20260201T020000Z-cccccc",
        "20260202T020000Z-dddddd",
        "20260203T020000Z-eeeeee",
        "20260301T020000Z-ffffff",
    ]
    fake_parts(cfg, tmp_path, names)
    groups = dedup_index.plan_compaction(tmp_path, near_params(cfg))
    assert groups == [names[0:2], names[2:5]]


def test_articles_older_than_the_window_are_no_longer_compared(tmp_path, cfg, monkeypatch):
    """A near copy of an article signed more than retention_days ago is new; within it, a duplicate."""

    def runs(retention_days, later_days):
        base = tmp_path / f"r{retention_days}-{later_days}"
        root = base / "out"
        c = cfg.model_copy(update={"dedup": cfg.dedup.model_copy(update={"retention_days": retention_days})})
        write(base / "night1", "talks.txt", "Sudan talks", TALKS)
        read_and_dedup(base / "night1", root, c)
        later = dt.datetime.now(UTC) + dt.timedelta(days=later_days)
        monkeypatch.setattr(commit_stage, "utc_now", lambda: later)
        write(base / "night2", "budget.txt", "Budget", "The finance minister presented a budget today.")
        read_and_dedup(base / "night2", root, c)  # its commit prunes by the (shifted) clock
        write(base / "night3", "partner_talks.txt", "Talks resume", TALKS.replace("on Monday", "on Tuesday"))
        _, summary = read_and_dedup(base / "night3", root, c)
        return summary.n_duplicates, len(dedup_index.part_names(root, near_params(c)))

    assert runs(retention_days=90, later_days=30) == (1, 3)  # within the window: found
    # 91 days on, the first night's part is gone when the third night compares (its commit then
    # prunes the later parts too: their run ids carry the real clock, 91 days before the shifted one).
    assert runs(retention_days=90, later_days=91) == (0, 0)
    assert runs(retention_days=0, later_days=3650) == (1, 3)  # 0: kept forever
