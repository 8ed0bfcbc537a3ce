"""The Prefect API a command uses: one server, its URL handed to every child process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from newsevents.flows import server


def test_use_api_points_child_processes_at_the_one_server(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    url = "http://127.0.0.1:4999/api"
    with server.use_api(url) as api:
        assert api == url and os.environ["PREFECT_API_URL"] == url
        code = "from prefect.settings import PREFECT_API_URL; print(PREFECT_API_URL.value())"
        child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert child.stdout.strip() == url  # a task-runner worker would talk to it, not start its own
    assert "PREFECT_API_URL" not in os.environ


def test_a_configured_api_is_used_and_nothing_started(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://10.0.0.5:4200/api")
    with server.local_api() as api:
        assert api == "http://10.0.0.5:4200/api"


def test_the_local_server_listens_on_loopback_on_the_port_asked():
    command = server.LocalServer(4321, ui=True, scheduler=True).command()
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == "4321"
    assert "--ui" in command and "--scheduler" in command
    quiet = server.LocalServer().command()  # `newsevents run`: no UI, no scheduler
    assert "--no-ui" in quiet and "--no-scheduler" in quiet and "--no-late-runs" in quiet


def test_port_in_use():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        assert server.port_in_use(sock.getsockname()[1])
    assert not server.port_in_use(server.free_port())
