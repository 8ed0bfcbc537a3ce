"""What a run did: the counts, rows and timings printed, logged and published as artifacts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from newsevents.tasks.stages.extract import ExtractOutput


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
