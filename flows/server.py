"""A local Prefect API for one command, shared with the task runner's worker processes.

Prefect's ephemeral mode starts a temporary API server inside the process that needs one, but
it does not tell the process-pool workers about it, so each worker would start (and migrate)
a server of its own. Starting it here and exporting its URL as a setting gives every process
the same API. When PREFECT_API_URL is already set (a real server), nothing is started.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


def ensure_prefect_home() -> Path:
    """Prefect's ephemeral server cannot create its SQLite file in a missing PREFECT_HOME."""
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


@contextlib.contextmanager
def local_api() -> Iterator[str | None]:
    """Yield the API URL every process of this command uses; start a local server if needed."""
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
        temporary_settings,
    )

    if PREFECT_API_URL.value():
        yield PREFECT_API_URL.value()
        return
    ensure_prefect_home()
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the same instance Prefect's ephemeral client would use
    server.start(timeout=PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url
            _drain_workers()
    finally:
        server.stop()


def _drain_workers() -> None:
    """Send buffered logs and events before the server goes, or shutdown waits on retries."""
    import inspect

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain() -> None:
        with contextlib.suppress(RuntimeError):  # a worker that never started
            result = APILogWorker.instance().drain()
            if inspect.isawaitable(result):
                await result
        result = EventsWorker.drain_all()
        if inspect.isawaitable(result):
            await result

    run_coro_as_sync(drain())
