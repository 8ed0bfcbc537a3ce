"""The report's only I/O: the documented columns of each dataset, the ledger and the run history.

Only columns listed in docs/datasets.md are read, so columns other developers add are ignored,
and a column an older part file lacks comes back as nulls rather than failing the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from newsevents.tasks.store.history import read_history
from newsevents.tasks.store.schema import DATASETS
from newsevents.tasks.store.writer import LEDGER, STATE, dataset_files

COLUMNS: dict[str, list[str]] = {
    "articles": [
        "article_id",
        "source_path",
        "source_id",
        "title",
        "published_at",
        "url",
        "language",
        "duplicate_of",
        "run_id",
    ],
    "events": [
        "event_id",
        "article_id",
        "event_type",
        "source_actor_id",
        "target_actor_id",
        "source_text",
        "target_text",
        "trigger",
        "event_date",
        "date_precision",
        "aux_mode",
        "place_text",
        "latitude",
        "longitude",
        "country",
    ],
    "actors": ["actor_id", "name", "actor_type", "country", "sector", "n_mentions"],
    "claims": ["claim_id", "article_id", "speaker", "speaker_actor_id", "content", "kind", "attribution"],
    "rejects": ["source_path", "reason", "run_id"],
}
# How many run history entries the report reads (the trend shows the last runs only).
HISTORY_RUNS = 30


@dataclass(slots=True)
class Datasets:
    """What the report is computed from: one frame per dataset, the ledger and the run history."""

    articles: pd.DataFrame
    events: pd.DataFrame
    actors: pd.DataFrame
    claims: pd.DataFrame
    rejects: pd.DataFrame
    ledger: pd.DataFrame
    history: list[dict[str, Any]] = field(default_factory=list)


def _schema_field(schema: pa.Schema, name: str) -> pa.Field:
    return schema.field(name) if name in schema.names else pa.field(name, pa.string())


def read_columns(paths: list[Path], schema: pa.Schema, columns: list[str]) -> pa.Table:
    """The named columns of every file, nulls where a file lacks one, extra columns never read."""
    target = pa.schema([_schema_field(schema, c) for c in columns])
    tables = []
    for path in paths:
        present = set(pq.ParquetFile(path).schema_arrow.names)
        table = pq.read_table(path, columns=[c for c in columns if c in present])
        arrays = [
            table.column(f.name).cast(f.type) if f.name in present else pa.nulls(table.num_rows, f.type)
            for f in target
        ]
        tables.append(pa.Table.from_arrays(arrays, schema=target))
    return pa.concat_tables(tables) if tables else target.empty_table()


def _frame(table: pa.Table) -> pd.DataFrame:
    # Dates stay datetime.date objects and nulls None, as the pure functions expect.
    return table.to_pandas(date_as_object=True)


def load_datasets(root: Path) -> Datasets:
    """Every dataset the report shows, read from the output root (empty frames when absent)."""
    frames = {
        name: _frame(read_columns(dataset_files(root, name), DATASETS[name][0], cols))
        for name, cols in COLUMNS.items()
    }
    ledger_files = sorted((root / STATE / "ledger").glob("part-*.parquet"))
    ledger = _frame(read_columns(ledger_files, LEDGER, ["input_path", "source_path"]))
    return Datasets(**frames, ledger=ledger, history=read_history(root, last=HISTORY_RUNS))
