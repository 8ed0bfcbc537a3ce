"""The Prefect API a command talks to: PREFECT_API_URL when set, else a server of its own.

`newsevents run` and `reprocess` start `prefect server start` (Prefect's public command, here on
127.0.0.1 without UI, scheduler or late-run service) as a child process the moment their
arguments are checked, so the server's start (~5 s idle, most of it importing Prefect's server)
overlaps the command's own imports and its look at the input folder; `serve` starts one with the
UI and scheduler on a fixed port. Prefect's ephemeral mode (its private SubprocessASGIServer)
is not used: it cannot be started early, and it does not tell process-pool or Dask workers
about itself, so each would start a server of its own. Here the URL is exported to the
environment as well as to Prefect's settings, so every child process (task-runner workers,
the runs `serve` starts) talks to this one server and never starts a second.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

# How long a server may take to answer; the first start migrates a fresh SQLite database.
STARTUP_TIMEOUT = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 180)


def ensure_prefect_home() -> Path:
    """Prefect's server cannot create its SQLite file in a missing PREFECT_HOME."""
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def wait_healthy(api_url: str, process: subprocess.Popen | None = None, timeout: float = 240.0) -> None:
    """Block until the server answers /health; fail fast if its process died."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"prefect server exited with code {process.returncode}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"prefect server at {api_url} did not answer within {timeout:.0f} s")


class LocalServer:
    """`prefect server start` on 127.0.0.1 as a child process: `start` returns at once, `ready`
    waits for /api/health, `stop` ends it. Its output goes to a temporary file, shown when it
    fails, so a command's own output (`--json`) stays clean."""

    def __init__(self, port: int | None = None, *, ui: bool = False, scheduler: bool = False) -> None:
        self.fixed_port = port
        self.port = port or free_port()
        self.ui = ui
        self.scheduler = scheduler
        self.process: subprocess.Popen | None = None
        self._log = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 - closed by stop()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def command(self) -> list[str]:
        prefect = str(Path(sys.executable).with_name("prefect"))
        return [
            prefect, "server", "start", "--host", "127.0.0.1", "--port", str(self.port),
            "--ui" if self.ui else "--no-ui",
            "--scheduler" if self.scheduler else "--no-scheduler",
            "--late-runs" if self.scheduler else "--no-late-runs",
            "--analytics-off", "--log-level", "WARNING",
        ]  # fmt: skip

    def start(self) -> LocalServer:
        ensure_prefect_home()
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        self.process = subprocess.Popen(
            self.command(), stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )
        return self

    def output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def ready(self, timeout: float = STARTUP_TIMEOUT) -> str:
        """The API URL once the server answers; a port taken meanwhile by another process is
        replaced by a free one (unless the port was asked for)."""
        assert self.process is not None
        for _ in range(3):
            try:
                wait_healthy(self.api_url, self.process, timeout)
                return self.api_url
            except RuntimeError:
                if self.fixed_port is None and port_in_use(self.port):
                    self.port = free_port()
                    self._log.seek(0)
                    self._log.truncate()
                    self.start()
                    continue
                tail = "\n".join(self.output().strip().splitlines()[-15:])
                raise RuntimeError(
                    f"prefect server on 127.0.0.1:{self.port} exited with code {self.process.returncode}"
                    + (f":\n{tail}" if tail else "")
                ) from None
        raise RuntimeError(f"prefect server could not find a free port (last tried {self.port})")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def configured_api() -> str | None:
    """PREFECT_API_URL from the environment or Prefect's profile, without importing Prefect
    when the environment says it."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


@contextlib.contextmanager
def use_api(api_url: str) -> Iterator[str]:
    """Point at `api_url` the environment every child process inherits, Prefect's process-wide
    settings (which threads Prefect starts read: the process pool's thread forwarding workers'
    events would otherwise start a server of its own) and the current settings context."""
    from prefect.context import refresh_global_settings_context
    from prefect.settings import PREFECT_API_URL, temporary_settings

    before = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = api_url
    refresh_global_settings_context()
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield api_url
    finally:
        if before is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = before
        refresh_global_settings_context()


@contextlib.contextmanager
def local_api(server: LocalServer | None = None) -> Iterator[str]:
    """The API every process of this command uses: PREFECT_API_URL when configured, else
    `server` (started by the caller, or here). The server stops when the block ends, after the
    logs and events still buffered are sent (else exit waits on retries against a dead API)."""
    url = configured_api()
    if url and server is None:
        yield url
        return
    server = server if server is not None else LocalServer().start()
    try:
        with use_api(server.ready()) as api:
            try:
                yield api
            except BaseException:
                with contextlib.suppress(Exception):
                    _drain_workers()
                raise
            _drain_workers()
    finally:
        server.stop()


@contextlib.contextmanager
def local_server(port: int | None = None) -> Iterator[str]:
    """A full Prefect server (scheduler and UI included) on 127.0.0.1:`port` for this command's
    lifetime: `newsevents serve` needs the scheduler to fire its cron."""
    server = LocalServer(port, ui=True, scheduler=True).start()
    try:
        with use_api(server.ready()) as api:
            yield api
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
