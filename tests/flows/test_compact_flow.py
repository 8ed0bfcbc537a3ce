"""The nightly flow compacts on its own once a dataset has more than compact.max_parts parts."""

from __future__ import annotations

from newsevents.tasks.store.compact import folder_parts
from tests.flows.test_ops import snapshot


def test_the_flow_compacts_past_max_parts(prefect_harness, tmp_path, monkeypatch):
    from newsevents.flows.nightly import nightly

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    monkeypatch.setenv("NEWSEVENTS_COMPACT__MAX_PARTS", "1")
    (inbox / "strike.txt").write_text("Dock strike\n\nDock workers in Valparaiso walked out on Monday.\n")
    first = nightly(str(inbox), str(out))
    assert "compaction" not in first and len(folder_parts(out, "articles")) == 1
    (inbox / "floods.txt").write_text("Floods\n\nRivers burst their banks in northern Kenya on Tuesday.\n")
    second = nightly(str(inbox), str(out))
    assert "articles 2 -> 1 parts" in second["compaction"]
    parts = folder_parts(out, "articles")
    assert len(parts) == 1 and "--" in parts[0].name
    assert len(snapshot(out)["articles"]) == 2 and second["totals"]["articles"] == 2
