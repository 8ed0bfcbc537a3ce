"""The `newsevents` command line.

Prefect reads its settings when it is first imported, so the defaults below are set in the
environment before anything imports it (every command imports Prefect lazily). Everything a
command can check without Prefect (arguments, input folder, configuration, model, schedule, the
output root's lock) is checked before a Prefect server starts, so a mistake costs a second and
one `error:` line, not a server start and a traceback.
"""

from __future__ import annotations

import contextlib
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
    # The first start of a server migrates a fresh SQLite database, which can exceed 20 s.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}

app = typer.Typer(
    help="newsevents: turn folders of news articles into Parquet datasets of events, actors, "
    "places and claims.",
    no_args_is_help=True,
    add_completion=False,
)

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="TOML file merged over config/default.toml.")
]
# Text, not Path: a Path would turn "s3://bucket/x" into "s3:/bucket/x" before it is refused.
OutOpt = Annotated[
    str | None, typer.Option("--out", "-o", help="Output root (default: output.root of the config).")
]
WaitOpt = Annotated[
    bool, typer.Option("--wait", help="Wait for a run holding the output root instead of exiting 3.")
]
EarlierOut = Annotated[Path, typer.Argument(help="Output root of earlier runs.")]


def _version(value: bool) -> None:
    if value:
        from newsevents import EXTRACTOR_VERSION, __version__

        typer.echo(f"newsevents {__version__} (extractor version {EXTRACTOR_VERSION})")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """Turn folders of news articles into Parquet datasets of events, actors, places and claims."""


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _check_config(config: Path | None, overrides: dict[str, Any]) -> Any:
    """Fail before starting Prefect when the configuration is wrong."""
    from newsevents.tasks.config import ConfigError, load_config

    try:
        return load_config(config, overrides)
    except ConfigError as exc:
        _fail(str(exc))


def _check_input(input_dir: Path) -> Path:
    from newsevents.tasks.stages.inputs import InputUnavailable, check_input

    try:
        return check_input(input_dir.resolve())
    except InputUnavailable as exc:
        _fail(str(exc))


def _check_out(out: Path) -> None:
    """An existing output root, named for what it is when it is not one."""
    if out.exists() and not out.is_dir():
        _fail(f"output root {out} is a file, not a folder")
    if not out.is_dir():
        _fail(f"output root not found: {out}")


def _check_runtime(cfg: Any) -> None:
    """What the flow would only find out after Prefect started: the model, the cluster's API."""
    from newsevents.tasks.config import cluster_api_error, model_error

    for error in (model_error(cfg.nlp.model), cluster_api_error(cfg, os.environ.get("PREFECT_API_URL"))):
        if error:
            _fail(error)


def _out_root(out: str | None, cfg: Any) -> Path:
    """--out or output.root as a local directory; remote fsspec URLs are refused with the reason."""
    from newsevents.tasks.config import local_root

    try:
        return local_root(out or cfg.output.root)
    except ValueError as exc:
        _fail(str(exc))


def _fail_output(exc: BaseException, root: Path) -> None:
    """One `error:` line naming the path for an output-side failure (exit 2, disk full 1)."""
    from newsevents.tasks.store.writer import output_failure

    failure = output_failure(exc, root)
    if failure is None:
        _fail(f"run failed: {type(exc).__name__}: {exc}", code=1)
    _fail(*failure)


@contextlib.contextmanager
def _holding(root: Path, wait: bool):
    """The output root's lock for the whole command, taken before Prefect starts: exit 3 when
    another run holds it (or, with --wait, wait for it)."""
    from newsevents.tasks.store.writer import RunLocked, run_lock

    def waiting(holder: str) -> None:
        pid = f" (pid {holder})" if holder else ""
        typer.secho(f"waiting for the run{pid} that holds {root} ...", err=True)

    try:
        with run_lock(root, wait=None if wait else 0, on_wait=waiting):
            yield
    except RunLocked as exc:
        _fail(str(exc), code=3)
    except OSError as exc:
        _fail_output(exc, root)


def _start_server() -> Any:
    """A Prefect server for this command, started now so it comes up while the command does the
    rest of its work; None when PREFECT_API_URL names one."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    from newsevents.flows.server import LocalServer

    return LocalServer().start()


def _execute(entry: Any, *args: Any, as_json: bool, root: Path, server: Any) -> None:
    """Run a flow entry point against the API, with progress bars when a person is watching."""
    from newsevents.flows import progress
    from newsevents.flows.server import local_api
    from newsevents.tasks.store.writer import RunLocked

    bars = progress.RichReporter() if sys.stderr.isatty() and not as_json else None
    if bars is not None:
        progress.reporter = bars
    try:
        with local_api(server):
            summary = entry(*args)
    except RunLocked as exc:
        _fail(str(exc), code=3)
    except Exception as exc:  # the flow failed: its state is Failed on the server, say why here
        _fail_output(exc, root)
    finally:
        if bars is not None:
            bars.close()
    typer.echo(json.dumps(summary, default=str) if as_json else progress.format_summary(summary))


def _unchanged(input_dir: Path, root: Path, cfg: Any) -> dict[str, Any] | None:
    """The summary of a run that would read nothing (no flow run needed), else None."""
    from dataclasses import asdict

    from newsevents.tasks.stages.plan import unchanged_summary

    summary = unchanged_summary(input_dir, root, cfg)
    return None if summary is None else asdict(summary)


@app.command()
def run(
    input_dir: Annotated[Path, typer.Argument(help="Folder of article files, read recursively.")],
    out: OutOpt = None,
    config: ConfigOpt = None,
    n_process: Annotated[int | None, typer.Option(help="Processes spaCy uses inside one task.")] = None,
    runner: Annotated[str | None, typer.Option(help="Task runner: threads, processes or dask.")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Parallel tasks (threads, processes or Dask workers).")
    ] = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline name, e.g. en_core_web_md.")] = None,
    wait: WaitOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
) -> None:
    """Run the pipeline once over INPUT_DIR (no Prefect server needed) and write the datasets.

    Only files that are new or changed since the last run into the same output root are read.
    Exits 0 when the run completed, even if some inputs were rejected (see the `rejects` dataset),
    1 when the run failed (a full disk too), 2 on bad usage, input or configuration or an output
    that cannot be written, 3 when another run holds the output root (unless --wait).
    """
    source = _check_input(input_dir)
    overrides = {
        "nlp.n_process": n_process,
        "pipeline.runner": runner,
        "pipeline.max_workers": workers,
        "nlp.model": model,
    }
    cfg = _check_config(config, overrides)
    root = _out_root(out, cfg)
    _check_runtime(cfg)
    with _holding(root, wait):
        # Before a server starts: a folder with nothing new costs a second, not a Prefect start.
        unchanged = _unchanged(source, root, cfg)
        if unchanged is not None:
            typer.echo(json.dumps(unchanged, default=str) if as_json else _format(unchanged))
            return
        server = _start_server()
        try:
            from newsevents.flows.nightly import nightly

            given = {k: v for k, v in overrides.items() if v is not None}
            args = (str(source), str(root), str(config.resolve()) if config else None, given)
            _execute(nightly, *args, as_json=as_json, root=root, server=server)
            server = None  # stopped by _execute
        finally:
            if server is not None:
                server.stop()


def _format(summary: dict[str, Any]) -> str:
    from newsevents.flows import progress

    return progress.format_summary(summary)


@app.command()
def reprocess(
    out: EarlierOut,
    config: ConfigOpt = None,
    wait: WaitOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
) -> None:
    """Rebuild every derived dataset (actors, mentions, places, events, claims) from the stored articles.

    Use it after upgrading newsevents or changing extraction settings: the inputs are not re-read,
    `articles` and `rejects` stay as they are, and the old derived rows are replaced in one commit.
    """
    if not (out / "articles").is_dir():
        _fail(f"no articles dataset under {out}")
    cfg = _check_config(config, {})
    _check_runtime(cfg)
    root = out.resolve()
    with _holding(root, wait):
        server = _start_server()
        from newsevents.flows.nightly import reprocess as reprocess_flow

        args = (str(root), str(config.resolve()) if config else None, None)
        _execute(reprocess_flow, *args, as_json=as_json, root=root, server=server)


@app.command()
def compact(
    out: EarlierOut,
    config: ConfigOpt = None,
    wait: WaitOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was merged as JSON.")] = False,
) -> None:
    """Merge each dataset's small part files (and the ledger's, and the near-duplicate index's)
    into files with row groups of a sensible size (`[compact]` in the config).

    Readers see the same rows before and after. Done under the same journal as a run's commit:
    a compaction killed at any moment leaves the previous files readable, and the next run or
    compaction finishes or discards it. Nightly runs compact on their own past compact.max_parts.
    """
    from dataclasses import asdict

    from newsevents.tasks.stages.compact import compact_store
    from newsevents.tasks.store.writer import UnreadablePart, recover

    _check_out(out)
    cfg = _check_config(config, {})
    root = out.resolve()
    with _holding(root, wait):
        try:
            recover(root)
            summary = compact_store(root, cfg)
        except UnreadablePart as exc:
            _fail(str(exc), code=1)
        except OSError as exc:
            _fail_output(exc, root)
    typer.echo(json.dumps(asdict(summary)) if as_json else summary.note())


@app.command()
def serve(
    input_dir: Annotated[
        Path | None, typer.Argument(help="Folder read each night (default: schedule.input_dir).")
    ] = None,
    out: OutOpt = None,
    config: ConfigOpt = None,
    cron: Annotated[str | None, typer.Option(help="Cron expression (default: schedule.cron, 02:00).")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="IANA timezone of the cron (default: schedule.timezone).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            help="Port of the local Prefect server (default 4200); ignored when PREFECT_API_URL is set."
        ),
    ] = None,
) -> None:
    """Serve the `newsevents/nightly` deployment on its schedule from this process (Ctrl-C stops).

    Uses the Prefect server at PREFECT_API_URL when set; without one, it starts a local server
    (SQLite under PREFECT_HOME, UI on 127.0.0.1:PORT) that lives as long as this process. Runs
    show in its UI and can also be triggered with `prefect deployment run 'newsevents/nightly'`.
    Overlapping runs (a scheduled one and a manual one) queue: one at a time.
    """
    cfg = _check_config(config, {"schedule.cron": cron, "schedule.timezone": timezone})
    source = _check_input(input_dir or Path(cfg.schedule.input_dir))
    root = _out_root(out, cfg)
    _check_runtime(cfg)
    with _holding(root, wait=False):  # writable and free now; each run takes it for itself
        pass
    api = os.environ.get("PREFECT_API_URL")
    if api is None:
        from newsevents.flows.server import port_in_use

        port = port or 4200
        if port_in_use(port):
            _fail(f"port {port} on 127.0.0.1 is in use: pick another with --port, or set PREFECT_API_URL")
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron

    from newsevents.flows.nightly import nightly
    from newsevents.flows.server import local_server

    parameters = {
        "input_dir": str(source),
        "out_root": str(root),
        "config_path": str(config.resolve()) if config else None,
    }
    server = contextlib.nullcontext(api) if api else local_server(port)
    with server as url:
        typer.echo(
            f"serving newsevents/nightly ({cfg.schedule.cron}, {cfg.schedule.timezone}): {source} -> {root}\n"
            f"Prefect API {url}; trigger a run now with:\n"
            f"  PREFECT_API_URL={url} prefect deployment run 'newsevents/nightly'",
            err=True,
        )
        nightly.serve(
            name="nightly",
            schedules=[Cron(cfg.schedule.cron, timezone=cfg.schedule.timezone)],
            parameters=parameters,
            description=f"newsevents nightly: {source} -> {root}",
            limit=1,
            global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        )


def _query_help() -> str:
    from newsevents.tasks.store.queries import RECIPES, VIEWS

    return (
        "SQL over the views " + ", ".join(VIEWS) + " (any statement: SELECT, COPY ... TO, DESCRIBE, ...); "
        "or a recipe: " + ", ".join(RECIPES) + "."
    )


@app.command()
def query(
    out: Annotated[Path, typer.Argument(help="Output root.")],
    sql: Annotated[str, typer.Argument(help=_query_help())] = "datasets",
    limit: Annotated[int | None, typer.Option(help="Print at most this many rows.")] = 50,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
) -> None:
    """Query the datasets with DuckDB (no Prefect involved).

    A SELECT (or a recipe) prints its rows, at most --limit; any other statement runs as given
    (`COPY (SELECT ...) TO 'events.csv'` writes the file).
    """
    import pandas as pd

    from newsevents.tasks.store.queries import UnknownRecipe, run_query

    _check_out(out)
    skipped: list[str] = []
    try:
        frame, failed = run_query(out, sql, limit, skipped), None
    except UnknownRecipe as exc:
        _fail(str(exc))
    except Exception as exc:  # bad SQL, or a part damaged inside: one line, not a traceback
        frame, failed = None, exc
    for line in skipped:
        typer.secho(f"warning: left out unreadable {line} (`newsevents check {out}`)", err=True)
    if failed is not None:
        _fail(f"query failed: {' '.join(str(failed).split())}", code=1)
    if frame is None:
        return  # a statement with no result (COPY, CREATE, ...): it ran
    if csv:
        typer.echo(frame.to_csv(index=False), nl=False)
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            typer.echo(frame.to_string(index=False))


@app.command()
def check(
    out: Annotated[Path, typer.Argument(help="Output root.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print what was set aside as JSON.")] = False,
) -> None:
    """Read every committed file under OUT and set aside the unreadable ones (never deleted).

    They move to OUT/_state/quarantine/<time>/ with reasons.json; the next run reads the inputs of
    a lost articles or rejects part again, and `newsevents reprocess OUT` rebuilds lost derived rows.
    Exits 0 when every file reads (or the damaged ones were set aside), 3 when a run holds OUT.
    """
    from dataclasses import asdict

    from newsevents.tasks.store.check import set_aside_unreadable

    _check_out(out)
    with _holding(out, wait=False):
        moved = set_aside_unreadable(out, full=True)
    if as_json:
        typer.echo(json.dumps([asdict(m) for m in moved]))
        return
    for m in moved:
        typer.echo(m.note())
    typer.echo(f"{len(moved)} file(s) set aside" if moved else f"every file under {out} reads")


@app.command()
def report(
    out: EarlierOut,
    html: Annotated[Path | None, typer.Option(help="Page to write (default: OUT/report.html).")] = None,
    since: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD: events dated, claims published, runs started since.")
    ] = None,
) -> None:
    """Write one self-contained HTML page over the datasets in OUT: charts, map and tables that
    open in any browser with no network. Each nightly run also writes OUT/report.html."""
    import datetime as dt

    _check_out(out)
    try:
        day = dt.date.fromisoformat(since) if since else None
    except ValueError:
        _fail(f"--since {since!r}: not a date (YYYY-MM-DD)")
    from newsevents.tasks.report import write_report

    written = write_report(out.resolve(), html, day)
    typer.echo(f"report {written.path} ({written.n_bytes:,} bytes, {written.seconds:.1f} s)")


@app.command("top-actors")
def top_actors(
    out_dir: Annotated[Path, typer.Argument(help="Output root of a run (holds the `actors` dataset).")],
    n: Annotated[int, typer.Option("--n", help="How many actors to print.")] = 20,
) -> None:
    """Print the most mentioned actors: name, type, country, sector, mentions and aliases."""
    if not (out_dir / "actors").is_dir():
        _fail(f"no actors dataset under {out_dir}")
    from newsevents.tasks.store.actors import actors_from_table, most_mentioned, suspected_duplicates
    from newsevents.tasks.store.writer import read_dataset

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
