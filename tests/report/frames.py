"""Small dataset frames with the documented columns, as `tasks.report.load` returns them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from newsevents.tasks.report.load import COLUMNS, Datasets

D = dt.date

# Every chart of a full report, in page order: the one list the build and browser tests check.
CHART_IDS = [
    "chart-events-per-day",
    "chart-place-map",
    "chart-actor-pairs",
    "chart-top-actors",
    "chart-claim-kinds",
    "chart-top-speakers",
    "chart-reject-reasons",
    "chart-languages",
    "chart-stage-times",
    "chart-run-trend",
]


def frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """`rows` with every documented column of dataset `name` (missing ones null)."""
    return pd.DataFrame([{c: r.get(c) for c in COLUMNS[name]} for r in rows], columns=COLUMNS[name])


def event(event_type: str, **kw: Any) -> dict[str, Any]:
    return {"event_id": kw.pop("event_id", None), "article_id": "a1", "event_type": event_type, **kw}


def article(article_id: str, **kw: Any) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "source_path": f"{article_id}.txt",
        "run_id": "20250101T020000Z-aaaaaa",
        **kw,
    }


def datasets(**frames: list[dict[str, Any]] | pd.DataFrame) -> Datasets:
    parts = {
        name: value if isinstance(value, pd.DataFrame) else frame(name, value)
        for name, value in ((n, frames.get(n, [])) for n in COLUMNS)
    }
    ledger = frames.get("ledger")
    if not isinstance(ledger, pd.DataFrame):
        ledger = pd.DataFrame(ledger or [], columns=["input_path", "source_path"])
    return Datasets(**parts, ledger=ledger, history=list(frames.get("history", [])))


def utc(day: str) -> pd.Timestamp:
    return pd.Timestamp(day, tz="UTC")


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with every missing value as None (pandas may hold NaN for a null string)."""
    return [
        {k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in r.items()}
        for r in table.to_dict("records")
    ]
