"""Webhook notifications, against a real HTTP server on 127.0.0.1 started by the test; and a run
over a missing inbox failing loudly (Prefect state Failed, the reason in the notification)."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsevents.flows import notify


class Receiver:
    """An HTTP server on a free loopback port recording every POSTed JSON body."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        statuses = list(statuses or [])
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                outer.bodies.append(json.loads(self.rfile.read(length)))
                outer.headers.append(dict(self.headers))
                self.send_response(statuses.pop(0) if statuses else 204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_payload_carries_run_state_counts_and_error():
    body = notify.payload(
        flow_run_id="abc",
        flow_run_name="wise-owl",
        flow_name="newsevents",
        state="Completed",
        parameters={"input_dir": "/in", "out_root": "/out"},
        summary={"run_id": "r1", "n_files": 3, "n_articles": 5, "rows": {"events": 2}, "seconds": 1.5},
        error=None,
    )
    assert body["counts"] == {"n_files": 3, "n_articles": 5} and body["rows"] == {"events": 2}
    assert body["run_id"] == "r1" and body["input_dir"] == "/in" and body["error"] is None
    assert body["text"].startswith("newsevents newsevents wise-owl: Completed")


def test_post_reaches_a_real_server_and_retries_a_server_error():
    with Receiver(statuses=[503, 200]) as hook:
        assert notify.post_json(hook.url, {"state": "Failed"}, timeout=5) == 200
    assert hook.bodies == [{"state": "Failed"}, {"state": "Failed"}]
    assert hook.headers[0]["Content-Type"] == "application/json"


def test_a_refused_or_unreachable_notification_is_logged_never_raised(caplog):
    with Receiver(statuses=[404]) as hook:
        with caplog.at_level(logging.WARNING):
            notify.notify(hook.url, {"state": "Failed"}, 5, logging.getLogger("t"))
        assert len(hook.bodies) == 1  # a 4xx is not sent again
    assert "answered HTTP 404" in caplog.text
    url = hook.url  # the server is closed now: nothing listens there
    with caplog.at_level(logging.WARNING):
        notify.notify(url, {"state": "Failed"}, 2, logging.getLogger("t"))
    assert f"notification to {url} failed" in caplog.text


def test_a_missing_inbox_fails_the_flow_run_and_posts_the_failure(prefect_harness, tmp_path, monkeypatch):
    from newsevents.flows.nightly import nightly

    with Receiver() as hook:
        monkeypatch.setenv("NEWSEVENTS_NOTIFY__WEBHOOK_URL", hook.url)
        state = nightly(str(tmp_path / "unmounted"), str(tmp_path / "out"), return_state=True)
    assert state.is_failed()
    assert len(hook.bodies) == 1
    body = hook.bodies[0]
    assert body["state"] == "Failed" and body["input_dir"] == str(tmp_path / "unmounted")
    assert "does not exist" in body["error"]


def test_completion_is_posted_only_when_asked(prefect_harness, tmp_path, monkeypatch):
    from newsevents.flows.nightly import nightly

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "note.txt").write_text("Harbour strike\n\nDock workers in Valparaiso walked out on Monday.\n")
    with Receiver() as hook:
        monkeypatch.setenv("NEWSEVENTS_NOTIFY__WEBHOOK_URL", hook.url)
        assert nightly(str(inbox), str(tmp_path / "a"), return_state=True).is_completed()
        assert hook.bodies == []  # failures only, by default
        monkeypatch.setenv("NEWSEVENTS_NOTIFY__ON_COMPLETION", "true")
        assert nightly(str(inbox), str(tmp_path / "b"), return_state=True).is_completed()
    (body,) = hook.bodies
    assert body["state"] == "Completed" and body["error"] is None
    assert body["counts"]["n_files"] == 1 and body["counts"]["n_articles"] == 1
    assert body["run_id"] and body["rows"]["articles"] == 1


@pytest.mark.parametrize("name", ["nightly", "reprocess"])
def test_both_flows_carry_the_hooks(name):
    import newsevents.flows.nightly as flows

    f = getattr(flows, name)
    for hooks in (f.on_failure_hooks, f.on_crashed_hooks, f.on_completion_hooks):
        assert flows.notify_hook in hooks
