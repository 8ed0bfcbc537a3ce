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


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(api_url: str, process, timeout: float = 240.0) -> None:
    """Block until the server answers /health; fail fast if its process died."""
    import time

    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prefect server exited with code {process.returncode}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"prefect server at {api_url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def local_server(port: int | None = None) -> Iterator[str]:
    """A full Prefect server (scheduler and UI included) on 127.0.0.1 for this command's lifetime.

    The ephemeral API of `local_api` runs no scheduler, so a served deployment would never fire
    on its cron; `newsevents serve` needs this one when no PREFECT_API_URL is configured.
    """
    import subprocess
    import sys

    from prefect.settings import PREFECT_API_URL, temporary_settings

    ensure_prefect_home()
    port = port or free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    prefect = str(Path(sys.executable).with_name("prefect"))
    server = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)])
    try:
        wait_healthy(api_url, server)
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield api_url
    finally:
        server.terminate()
        server.wait(timeout=60)


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
            try:
                yield server.api_url
            except BaseException:
                # Also when the flow failed: logs left for after the server stops are retried
                # against a dead API for ~75 s before the process may exit.
                with contextlib.suppress(Exception):
                    _drain_workers()
                raise
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
