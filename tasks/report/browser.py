"""Open a report in headless Chromium and say what happened: the check a person's eye would do.

Drives Chromium over the DevTools protocol (a websocket, with the `websockets` package), so no
Selenium or Playwright browser build is needed: Debian's `chromium` package is enough. Every
request the page makes, every console error and uncaught exception is recorded; the page's
sections and chart boxes are measured once its charts report they are drawn; and a full-page
screenshot is taken. Host names resolve to nothing inside this browser, so even a request the
page should not make cannot leave the machine.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-port=0",
)
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")
# What the page sets when every chart has rendered or failed (tasks/report/page.py).
_STATE = "window.newseventsReport"
_MEASURE = """JSON.stringify({
  done: !!(window.newseventsReport && window.newseventsReport.done),
  errors: window.newseventsReport ? window.newseventsReport.errors : ["no report state"],
  sections: [...document.querySelectorAll("[data-section]")].map((e) => e.id),
  charts: [...document.querySelectorAll("[data-chart]")].map((e) => {
    const r = e.getBoundingClientRect();
    return { id: e.id, x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height,
             drawn: !!e.querySelector("svg, canvas") };
  }),
  width: document.documentElement.scrollWidth,
  height: document.documentElement.scrollHeight,
})"""


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass(slots=True)
class ChartBox:
    id: str
    x: float
    y: float
    width: float
    height: float
    drawn: bool


@dataclass(slots=True)
class PageVisit:
    """What the browser saw: requests beyond the page itself, errors, sections, chart boxes."""

    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    chart_errors: list[str] = field(default_factory=list)
    done: bool = False
    sections: list[str] = field(default_factory=list)
    charts: list[ChartBox] = field(default_factory=list)
    width: int = 0
    height: int = 0
    screenshot: bytes = b""


class _Session:
    """Commands and events over one DevTools websocket, attached to one page (flat sessions)."""

    def __init__(self, ws: Any):
        self.ws = ws
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future] = {}
        self.events: asyncio.Queue = asyncio.Queue()
        self.session_id: str | None = None
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if "id" in message and message["id"] in self.pending:
                self.pending.pop(message["id"]).set_result(message)
            elif "method" in message:
                await self.events.put(message)

    async def send(self, method: str, params: dict[str, Any] | None = None, page: bool = True) -> Any:
        msg_id = next(self.ids)
        message: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if page and self.session_id:
            message["sessionId"] = self.session_id
        future = asyncio.get_running_loop().create_future()
        self.pending[msg_id] = future
        await self.ws.send(json.dumps(message))
        reply = await asyncio.wait_for(future, 60)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})


def _record(visit: PageVisit, event: dict[str, Any]) -> bool:
    """Note one DevTools event; True when it is the page's load event."""
    method, params = event["method"], event.get("params", {})
    if method == "Network.requestWillBeSent":
        url = params["request"]["url"]
        if url != visit.url and not url.startswith(("data:", "blob:")):
            visit.requests.append(url)
    elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        args = params.get("args", [])
        visit.console_errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in args))
    elif method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        thrown = details.get("exception", {}).get("description") or details.get("text")
        visit.console_errors.append(str(thrown))
    elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
        visit.console_errors.append(params["entry"].get("text", ""))
    return method == "Page.loadEventFired"


async def _visit(ws_url: str, url: str, width: int, timeout: float) -> PageVisit:
    import websockets

    visit = PageVisit(url=url)
    async with websockets.connect(ws_url, max_size=None) as ws:
        cdp = _Session(ws)
        target = await cdp.send("Target.createTarget", {"url": "about:blank"}, page=False)
        attached = await cdp.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, page=False
        )
        cdp.session_id = attached["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            await cdp.send(f"{domain}.enable")
        await cdp.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        await cdp.send("Page.navigate", {"url": url})
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        loaded = False
        while loop.time() < deadline:
            with contextlib.suppress(TimeoutError):
                while True:
                    event = await asyncio.wait_for(cdp.events.get(), 0.2)
                    loaded = _record(visit, event) or loaded
            if loaded:
                expression = f"!!({_STATE} && {_STATE}.done)"
                state = await cdp.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
                if state["result"].get("value"):
                    break
        measured = await cdp.send("Runtime.evaluate", {"expression": _MEASURE, "returnByValue": True})
        data = json.loads(measured["result"]["value"])
        visit.done, visit.chart_errors = data["done"], data["errors"]
        visit.sections, visit.width, visit.height = data["sections"], data["width"], data["height"]
        visit.charts = [ChartBox(**c) for c in data["charts"]]
        shot = await cdp.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": visit.height, "scale": 1},
            },
        )
        visit.screenshot = base64.b64decode(shot["data"])
        while not cdp.events.empty():  # anything the measuring itself set off
            _record(visit, cdp.events.get_nowait())
        cdp.reader.cancel()
    return visit


def visit_page(
    path: Path, chromium: str | None = None, width: int = 1280, timeout: float = 60.0
) -> PageVisit:
    """Open `path` (a local HTML file) in a fresh headless Chromium profile and inspect it."""
    binary = chromium or find_chromium()
    if binary is None:
        raise FileNotFoundError("no chromium binary on PATH")
    with tempfile.TemporaryDirectory(prefix="newsevents-chromium-") as profile:
        proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},900", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            ws_url = _devtools_url(proc)
            return asyncio.run(_visit(ws_url, path.resolve().as_uri(), width, timeout))
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _devtools_url(proc: subprocess.Popen) -> str:
    """The browser's websocket address, from the line Chromium prints on start."""
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        match = _LISTENING.search(line)
        if match:
            # Keep reading what it prints later, so a full pipe never blocks the browser.
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return match.group(1)
        seen.append(line.strip())
    raise RuntimeError("chromium exited before opening DevTools: " + " | ".join(seen[-5:]))
