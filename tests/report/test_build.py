"""The page from datasets: every section on an empty output and a small one; tolerant reads; the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsevents.tasks.report import build, load
from newsevents.tasks.report.build import SECTIONS, render_report, write_report
from newsevents.tasks.store.schema import DATASETS
from tests.conftest import ROOT
from tests.report.frames import CHART_IDS, D, article, datasets, event, utc

SMALL = datasets(
    articles=[
        article("a1", title="Rebels take the town", published_at=utc("2025-03-02"), language="en"),
        article("a2", title="Talks in Geneva", published_at=utc("2025-03-03"), language="fr"),
    ],
    events=[
        event("ASSAULT", event_date=D(2025, 3, 1), date_precision="day", place_text="Ramadi", latitude=33.4,
              longitude=43.3, source_actor_id="is", target_actor_id="irq", trigger="took"),
        event("AGREE", article_id="a2", event_date=D(2025, 3, 3), date_precision="publication",
              place_text="Geneva", latitude=46.2, longitude=6.1, source_actor_id="irq", target_actor_id="is"),
    ],
    actors=[
        {"actor_id": "is", "name": "Islamic State", "actor_type": "ORG", "sector": "REB", "n_mentions": 2},
        {"actor_id": "irq", "name": "Iraq", "actor_type": "GPE", "country": "IRQ", "n_mentions": 3},
    ],
    claims=[{"article_id": "a1", "speaker": "Iraq", "speaker_actor_id": "irq", "kind": "direct",
             "content": "No."}],
    rejects=[{"source_path": "bad.json", "reason": "bad_json", "run_id": "20250101T020000Z-aaaaaa"}],
    history=[{"run_id": "20250101T020000Z-aaaaaa", "kind": "run", "n_articles": 2, "n_rejected": 1,
              "stage_seconds": {"plan": 0.1, "read": 0.5, "commit": 0.2}}],
)  # fmt: skip


def _chart_ids(html: str) -> list[str]:
    return re.findall(r'data-chart="([^"]+)"', html)


def _specs(html: str) -> dict:
    start = html.index('id="report-specs">') + len('id="report-specs">')
    return json.loads(html[start : html.index("</script>", start)])


def test_every_section_and_chart_is_in_the_page_with_its_spec():
    html = render_report(SMALL, "/out", None, "2025-03-04 02:00 UTC")
    for section in SECTIONS:
        assert f'data-section="{section}"' in html
    assert _chart_ids(html) == list(_specs(html)) == CHART_IDS
    assert ">Rebels take the town<" in html and "a1.txt" in html  # sampled rows name their article
    assert "window.vegaEmbed" in html and "nan" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)


def test_an_empty_output_still_has_every_section_and_says_there_is_nothing():
    html = render_report(datasets(), "/out", None, "now")
    for section in SECTIONS:
        assert f'data-section="{section}"' in html
    assert _chart_ids(html) == [] and _specs(html) == {}
    assert "No dated events in the window." in html and "No run has committed anything here yet." in html


def test_since_narrows_the_events_and_says_so():
    html = render_report(SMALL, "/out", D(2025, 3, 2), "now")
    per_day = _specs(html)["chart-events-per-day"]
    rows = next(iter(per_day["datasets"].values()))
    assert [r["event_type"] for r in rows] == ["AGREE"] and "since 2025-03-02" in html


def _write(path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def test_reads_ignore_unknown_columns_and_fill_missing_ones(tmp_path):
    schema = DATASETS["events"][0]
    full = {f.name: pa.nulls(1, f.type) for f in schema}
    full.update(event_id=pa.array(["e1"]), event_type=pa.array(["AGREE"]), article_id=pa.array(["a1"]))
    newer = pa.table({**full, "article_place": pa.array(["Paris"])})  # a column added later
    older = pa.table({k: v for k, v in full.items() if k != "place_text"}).set_column(
        0, "event_id", pa.array(["e2"])
    )
    _write(tmp_path / "events" / "part-2.parquet", newer)
    _write(tmp_path / "events" / "part-1.parquet", older)
    data = load.load_datasets(tmp_path)
    assert list(data.events.columns) == load.COLUMNS["events"]
    assert sorted(data.events["event_id"]) == ["e1", "e2"] and data.events["place_text"].isna().all()
    assert data.articles.empty and list(data.claims.columns) == load.COLUMNS["claims"]


def test_the_file_is_renamed_into_place_and_nothing_else_is_left(tmp_path):
    written = write_report(tmp_path)
    assert written.path == tmp_path / build.REPORT_FILE and written.n_bytes == written.path.stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == [build.REPORT_FILE]
    other = write_report(tmp_path, tmp_path / "sub" / "r.html", D(2025, 1, 1))
    assert other.path.read_text(encoding="utf-8").startswith("<!doctype html>")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsevents", "report", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_cli_writes_the_page_and_refuses_bad_arguments(tmp_path):
    proc = _cli(str(tmp_path), "--html", str(tmp_path / "r.html"), "--since", "2025-01-31")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "r.html").exists() and "r.html" in proc.stdout
    assert _cli(str(tmp_path / "missing")).returncode == 2
    bad = _cli(str(tmp_path), "--since", "31/01/2025")
    assert bad.returncode == 2 and "--since" in bad.stderr


@pytest.mark.parametrize("name", load.COLUMNS)
def test_every_column_read_is_documented(name):
    doc = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    section = doc.split(f"## {name}\n", 1)[1].split("\n## ", 1)[0]
    for column in load.COLUMNS[name]:
        assert (
            f"| {column} " in section
            or f", {column} " in section
            or f"| {column}," in section
            or (column == "run_id" and "`run_id`" in doc)
        ), (name, column)
