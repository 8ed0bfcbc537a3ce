"""`newsevents top-actors`: the most mentioned actors of a finished run."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from newsevents.flows.cli import app
from tests.conftest import SAMPLES
from tests.stages.test_stages import run_stages


def test_top_actors_prints_the_most_mentioned(tmp_path, cfg, nlp):
    run_stages(SAMPLES / "wire", tmp_path, cfg)
    result = CliRunner().invoke(app, ["top-actors", str(tmp_path), "--n", "5"])
    assert result.exit_code == 0, result.output
    header, *rows = [line for line in result.output.splitlines() if not line.startswith("possible duplicate")]
    assert re.split(r"\s{2,}", header)[:5] == ["name", "type", "country", "sector", "mentions"]
    counts = [int(re.split(r"\s{2,}", row)[4]) for row in rows]
    assert len(rows) == 5 and counts == sorted(counts, reverse=True)
    assert any(row.startswith("Islamic State ") and "REB" in row for row in rows)


def test_top_actors_refuses_a_folder_without_actors(tmp_path):
    result = CliRunner().invoke(app, ["top-actors", str(tmp_path)])
    assert result.exit_code == 2 and "no actors dataset" in result.output
