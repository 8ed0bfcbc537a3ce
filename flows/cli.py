"""The `newsevents` command line.

Prefect reads its settings when it is first imported, so the defaults below are set in the
environment before anything imports it (every command imports Prefect lazily).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

ENV_DEFAULTS = {
    # No usage data leaves the machine.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # The first ephemeral start migrates a fresh SQLite database, which can exceed the 20 s default.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}

app = typer.Typer(
    help="newsevents: turn folders of news articles into Parquet datasets of events, actors, "
    "places and claims.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Turn folders of news articles into Parquet datasets of events, actors, places and claims."""


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def format_summary(summary: dict[str, Any]) -> str:
    """A short human summary of one run (the CLI prints it; `--json` prints the dict)."""
    lines = [
        f"run {summary['run_id']}: {summary['seconds']:.1f} s",
        f"  files       {summary['n_files']} found, {summary['n_unchanged']} unchanged since last run",
        f"  articles    {summary['n_articles']} read, {summary['n_duplicates']} duplicates, "
        f"{summary['n_already_stored']} already stored, {summary['n_extracted']} extracted",
        f"  rejected    {summary['n_rejected']}"
        + (
            " (" + ", ".join(f"{k}: {v}" for k, v in sorted(summary["reject_reasons"].items())) + ")"
            if summary["reject_reasons"]
            else ""
        ),
        "  rows        " + ", ".join(f"{k} +{v}" for k, v in summary["rows"].items()),
        "  totals      " + ", ".join(f"{k} {v}" for k, v in summary["totals"].items()),
    ]
    return "\n".join(lines)


@app.command()
def run(
    input_dir: Annotated[Path, typer.Argument(help="Folder of article files, read recursively.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output root (default: output.root from the config).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML file merged over config/default.toml.")
    ] = None,
    n_process: Annotated[int | None, typer.Option(help="Processes spaCy uses inside one task.")] = None,
    runner: Annotated[str | None, typer.Option(help="Task runner: threads or processes.")] = None,
    workers: Annotated[int | None, typer.Option(help="Parallel tasks (threads or processes).")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline name, e.g. en_core_web_md.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
) -> None:
    """Run the pipeline once over INPUT_DIR (no Prefect server needed) and write the datasets.

    Exits 0 when the run completed, even if some inputs were rejected (see the `rejects` dataset).
    """
    if not input_dir.is_dir():
        _fail(f"input folder not found: {input_dir}")
    overrides = {
        "nlp.n_process": n_process,
        "pipeline.runner": runner,
        "pipeline.max_workers": workers,
        "nlp.model": model,
    }
    from tasks.config import ConfigError, load_config

    try:
        load_config(config, overrides)  # fail before starting Prefect when the config is wrong
    except ConfigError as exc:
        _fail(str(exc))
    from flows.nightly import nightly
    from flows.server import local_api
    from tasks.store import RunLocked

    try:
        with local_api():
            summary = nightly(
                str(input_dir),
                str(out) if out else None,
                str(config) if config else None,
                {k: v for k, v in overrides.items() if v is not None},
            )
    except RunLocked as exc:
        _fail(str(exc), code=3)
    typer.echo(json.dumps(summary, default=str) if as_json else format_summary(summary))


@app.command("top-actors")
def top_actors(
    out_dir: Annotated[Path, typer.Argument(help="Output root of a run (holds the `actors` dataset).")],
    n: Annotated[int, typer.Option("--n", help="How many actors to print.")] = 20,
) -> None:
    """Print the most mentioned actors: name, type, country, sector, mentions and aliases."""
    if not (out_dir / "actors").is_dir():
        _fail(f"no actors dataset under {out_dir}")
    from tasks.actors import actors_from_table, most_mentioned, suspected_duplicates
    from tasks.store import read_dataset

    top = most_mentioned(actors_from_table(read_dataset(out_dir, "actors")), n)
    for line in format_actors(top):
        typer.echo(line)
    for a, b in suspected_duplicates(top):
        typer.echo(f"possible duplicate: {a.name!r} ({a.actor_type}) and {b.name!r} ({b.actor_type})")


def format_actors(actors: list[Any]) -> list[str]:
    """One line per actor, aliases last (they are the long part)."""
    rows = [("name", "type", "country", "sector", "mentions", "aliases")]
    rows += [
        (a.name, a.actor_type, a.country or "-", a.sector or "-", str(a.n_mentions), "; ".join(a.aliases))
        for a in actors
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return ["  ".join(r[i].ljust(widths[i]) for i in range(5)) + "  " + r[5] for r in rows]


def main() -> None:
    for key, value in ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)
    app(prog_name="newsevents")


if __name__ == "__main__":
    sys.exit(main())
