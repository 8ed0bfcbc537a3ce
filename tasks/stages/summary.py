"""What a run did: the counts, rows and timings printed, logged and published as artifacts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from newsevents.tasks.stages.extract import ExtractOutput
from newsevents.tasks.store.writer import read_dataset, read_part


@dataclass(slots=True)
class RunSummary:
    # Counters default to zero: a reprocess reads no file, an unchanged folder extracts nothing.
    run_id: str
    n_files: int = 0
    n_unchanged: int = 0
    n_articles: int = 0
    n_rejected: int = 0
    n_duplicates: int = 0
    n_already_stored: int = 0
    n_extracted: int = 0
    reject_reasons: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    # Summed over extraction tasks (so over workers): where the extract stage's time goes.
    worker_seconds: dict[str, float] = field(default_factory=dict)
    n_words: int = 0
    warnings: list[str] = field(default_factory=list)


def failed_warning(n: int) -> str:
    return f"{n} article(s) got no derived rows: an extractor failed on them (rejects: extraction_error)"


def worker_seconds(extracts: list[ExtractOutput]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for e in extracts:
        total.update(e.seconds)
    return {k: round(v, 3) for k, v in total.items()}


def _run_part(root: Path, name: str, run_id: str, columns: list[str]) -> pa.Table | None:
    path = root / name / f"part-{run_id}.parquet"
    return read_part(path, columns) if run_id and path.exists() else None


def _counts(table: pa.Table, column: str) -> dict[Any, int]:
    if not table.num_rows:
        return {}
    grouped = table.group_by(column).aggregate([(column, "count")])
    return dict(
        zip(grouped.column(column).to_pylist(), grouped.column(f"{column}_count").to_pylist(), strict=True)
    )


# aux_mode values that mark a mention the text does not present as fact (docs/datasets.md).
NOT_FACT = ("negated", "hypothetical", "future")


def run_highlights(root: Path, run_id: str, n: int = 10) -> dict[str, Any]:
    """What one run added, for its report: event types (all mentions, and facts) and the actors
    it mentioned most, read from the run's own part files (before any compaction merges them)."""
    out: dict[str, Any] = {"event_types": [], "actors": []}
    events = _run_part(root, "events", run_id, ["event_type", "aux_mode"])
    if events is not None:
        mention = pc.fill_null(pc.is_in(events.column("aux_mode"), value_set=pa.array(NOT_FACT)), False)
        facts = _counts(events.filter(pc.invert(mention)), "event_type")
        rows = [
            {"event_type": t, "events": c, "facts": facts.get(t, 0)}
            for t, c in _counts(events, "event_type").items()
        ]
        out["event_types"] = sorted(rows, key=lambda r: (-r["events"], r["event_type"]))[:n]
    mentions = _run_part(root, "actor_mentions", run_id, ["actor_id"])
    if mentions is not None:
        top = sorted(_counts(mentions, "actor_id").items(), key=lambda r: (-r[1], r[0]))[:n]
        actors = read_dataset(root, "actors", columns=["actor_id", "name", "actor_type", "country", "sector"])
        wanted = pa.array([a for a, _ in top], pa.string())
        known = {
            r["actor_id"]: r
            for r in actors.filter(pc.is_in(actors.column("actor_id"), value_set=wanted)).to_pylist()
        }
        out["actors"] = [
            {
                "name": known.get(a, {}).get("name", a),
                "type": known.get(a, {}).get("actor_type"),
                "country": known.get(a, {}).get("country"),
                "sector": known.get(a, {}).get("sector"),
                "mentions": c,
            }
            for a, c in top
        ]
    return out
