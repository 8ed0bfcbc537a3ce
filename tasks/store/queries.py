"""DuckDB over the output root: every dataset as a view, and the reads analysts ask for most.

Imports only the standard library at the top: the command line builds its help from VIEWS and
RECIPES, and DuckDB (with pyarrow) loads when a query runs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# One view per dataset (tests check it matches tasks.store.schema.DATASETS).
VIEWS = (
    "articles",
    "rejects",
    "actor_mentions",
    "places",
    "events",
    "claims",
    "actors",
    "event_clusters",
)

RECIPES: dict[str, str] = {
    "datasets": """
        SELECT 'articles' AS dataset, count(*) AS n_rows FROM articles
        UNION ALL SELECT 'actors', count(*) FROM actors
        UNION ALL SELECT 'actor_mentions', count(*) FROM actor_mentions
        UNION ALL SELECT 'places', count(*) FROM places
        UNION ALL SELECT 'events', count(*) FROM events
        UNION ALL SELECT 'claims', count(*) FROM claims
        UNION ALL SELECT 'rejects', count(*) FROM rejects
        UNION ALL SELECT 'event_clusters', count(*) FROM event_clusters""",
    "top-events": """
        SELECT c.event_type, sa.name AS source, ta.name AS target, e.place_text AS place,
               c.date_start, c.date_end, c.n_articles, c.n_sources, e.trigger AS example
        FROM event_clusters c
        LEFT JOIN actors sa ON sa.actor_id = c.source_actor_id
        LEFT JOIN actors ta ON ta.actor_id = c.target_actor_id
        LEFT JOIN events e ON e.event_id = c.event_ids[1]
        ORDER BY c.n_articles DESC, c.n_sources DESC, c.date_start DESC""",
    "events-per-day": """
        SELECT event_date, event_type, count(*) AS n_events
        FROM events WHERE event_date IS NOT NULL
        GROUP BY ALL ORDER BY event_date DESC, n_events DESC""",
    "top-actors": """
        SELECT a.name, a.actor_type, a.country, a.sector, count(*) AS mentions,
               count(DISTINCT m.article_id) AS articles
        FROM actor_mentions m JOIN actors a USING (actor_id)
        GROUP BY ALL ORDER BY mentions DESC""",
    "claims-by-speaker": """
        SELECT coalesce(a.name, c.speaker) AS speaker, count(*) AS n_claims,
               count(*) FILTER (WHERE c.kind = 'direct') AS direct,
               count(*) FILTER (WHERE c.kind <> 'direct') AS reported
        FROM claims c LEFT JOIN actors a ON a.actor_id = c.speaker_actor_id
        WHERE c.speaker IS NOT NULL
        GROUP BY ALL ORDER BY n_claims DESC""",
    "rejects-by-reason": """
        SELECT reason, count(*) AS n, any_value(source_path) AS example
        FROM rejects GROUP BY ALL ORDER BY n DESC""",
}


class UnknownRecipe(ValueError):
    """A single word that is neither a recipe nor SQL; the message lists the recipes."""


_WORD = re.compile(r"^[A-Za-z_][\w-]*$")


def resolve_sql(sql: str) -> str:
    """A recipe's SQL, or `sql` itself; a lone word that names no recipe is refused, so a typo
    in a recipe name is not sent to DuckDB as SQL."""
    text = sql.strip()
    if text in RECIPES:
        return RECIPES[text]
    if _WORD.match(text):
        raise UnknownRecipe(
            f"unknown recipe {text!r}; recipes: {', '.join(RECIPES)}; views: {', '.join(VIEWS)} "
            '(or give SQL, e.g. "SELECT * FROM events")'
        )
    return sql


def connect(root: Path, skipped: list[str] | None = None) -> Any:
    """An in-memory DuckDB with one view per dataset under `root` (empty views keep the schema).

    A part whose footer cannot be read is left out of its view and named in `skipped`, so one
    damaged file does not take every dataset down with it (DuckDB binds all views up front).
    """
    import duckdb

    from newsevents.tasks.store.check import part_error
    from newsevents.tasks.store.schema import DATASETS
    from newsevents.tasks.store.writer import dataset_files

    con = duckdb.connect()
    for name, (schema, _) in DATASETS.items():
        files = []
        for p in dataset_files(root, name):
            error = part_error(p, full=False)
            if error is None:
                files.append(p)
            elif skipped is not None:
                skipped.append(f"{p}: {error}")
        if files:
            paths = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{paths}], union_by_name = true)")
        else:
            con.register(f"_{name}_empty", schema.empty_table())
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM _{name}_empty")
    return con


def run_query(root: Path, sql: str, limit: int | None = None, skipped: list[str] | None = None):
    """A query (or a recipe name) over the datasets: a pandas frame of at most `limit` rows, or
    None for a statement with no result (COPY ... TO, CREATE, SET: it ran as given). Unreadable
    parts are left out and listed in `skipped`; DuckDB's own error names the problem in the
    user's SQL (it is never wrapped in other SQL)."""
    text = resolve_sql(sql)
    con = connect(root, skipped)
    relation = con.sql(text)
    if relation is None:
        return None
    return relation.df() if limit is None else relation.limit(int(limit)).df()
