"""Progress counts files and articles (not tasks); the run's report is a markdown artifact on the
flow run the user triggered."""

from __future__ import annotations

import logging

from newsevents.flows import progress
from newsevents.tasks.stages.progress import Tracker, stage_progress

SUMMARY = {
    "run_id": "20260101T020000Z-abcdef",
    "n_files": 3,
    "n_unchanged": 0,
    "n_articles": 4,
    "n_duplicates": 1,
    "n_already_stored": 0,
    "n_extracted": 3,
    "n_rejected": 2,
    "seconds": 12.5,
    "rows": {"articles": 4, "events": 7},
    "totals": {"articles": 10, "events": 20},
    "reject_reasons": {"empty": 1, "bad_json": 1},
    "stage_seconds": {"read": 1.25, "extract": 8.5},
    "worker_seconds": {"parse": 3.0},
    "n_words": 1200,
    "warnings": ["a warning | with a pipe"],
}


def test_trackers_report_counts_the_flow_sums(tmp_path):
    a, b = Tracker(tmp_path, "extract", 1, every=0), Tracker(tmp_path, "extract", 2, every=3600)
    a.add(5)
    b.add(2)  # not written yet: less than `every` since the last write... of a fresh tracker
    assert stage_progress(tmp_path, "extract") == 5 + 2
    b.add(3)
    assert stage_progress(tmp_path, "extract") == 7  # b's 5 not written until close
    b.close()
    assert stage_progress(tmp_path, "extract") == 10
    assert stage_progress(tmp_path, "read") == 0


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_the_log_reporter_logs_each_tenth_of_the_articles():
    # A handler of its own: Prefect replaces the root logger's handlers (caplog's) when it loads.
    reporter, logger, collect = progress.LogReporter(), logging.getLogger("newsevents"), Collect()
    level = logger.level
    logger.addHandler(collect)
    logger.setLevel(logging.INFO)
    try:
        reporter.start("extract", 400, "articles")
        for done in (0, 10, 39, 40, 41, 200, 400):
            reporter.update("extract", done)
        reporter.finish("extract")
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)
    lines = collect.lines
    assert lines == ["extract: 0/400 articles", "extract: 40/400 articles", "extract: 200/400 articles",
                     "extract: 400/400 articles"]  # fmt: skip


def test_the_markdown_report_is_tables_not_a_code_block():
    highlights = {
        "event_types": [{"event_type": "PROTEST", "events": 5, "facts": 4}],
        "actors": [{"name": "Kenya", "type": "STATE", "country": "KEN", "sector": None, "mentions": 9}],
    }
    md = progress.summary_markdown(SUMMARY, highlights)
    assert "```" not in md and md.startswith("# newsevents run 20260101T020000Z-abcdef")
    for heading in ("## Rows", "## Rejects by reason", "## Time per stage", "## Event types of this run",
                    "## Most mentioned actors of this run", "## Warnings"):  # fmt: skip
        assert heading in md, heading
    assert "| dataset | added | total |" in md and "| events | +7 | 20 |" in md
    assert "| empty | 1 |" in md and "| extract | 8.50 |" in md
    assert "| PROTEST | 5 | 4 |" in md and "| Kenya | STATE | KEN |  | 9 |" in md
    assert "a warning \\| with a pipe" not in md  # warnings are a list, not a table cell
    assert "- a warning | with a pipe" in md


def test_the_run_report_is_on_the_triggered_flow_run(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from newsevents.flows.nightly import nightly

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "strike.txt").write_text(
        "Dock strike\n\nDock workers in Valparaiso walked out on Monday, the union said.\n"
    )
    state = nightly(str(inbox), str(tmp_path / "out"), return_state=True)
    assert state.is_completed()
    run_id = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
    by_key = {a.key: a for a in artifacts}
    assert {"newsevents-run", "newsevents-run-counts", "newsevents-report"} <= set(by_key)
    report = by_key["newsevents-run"]
    assert report.type == "markdown" and "## Rows" in report.data and "```" not in report.data
