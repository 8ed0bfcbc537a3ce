"""Run notifications: a JSON summary POSTed to `notify.webhook_url` when a flow run ends.

The flows call `notify_hook` as their Prefect state hook (on failure and crash always, on
completion when `notify.on_completion`), so a deployment's failure reaches someone even when no
one reads the UI. The payload is plain JSON any webhook receiver accepts (Slack-compatible
receivers read `text`). A notification that cannot be delivered is logged and never changes the
run's state.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from newsevents import __version__

# The counts of a run summary a notification carries.
COUNTS = ("n_files", "n_unchanged", "n_articles", "n_rejected", "n_duplicates", "n_extracted")


def payload(
    *,
    flow_run_id: str,
    flow_run_name: str,
    flow_name: str,
    state: str,
    parameters: dict[str, Any],
    summary: dict[str, Any] | None,
    error: str | None,
) -> dict[str, Any]:
    """The JSON a webhook receives: who ran, how it ended, what it counted, why it failed."""
    summary = summary or {}
    counts = {k: summary[k] for k in COUNTS if k in summary}
    lines = [f"newsevents {flow_name} {flow_run_name}: {state}"]
    if counts:
        lines.append(", ".join(f"{k.removeprefix('n_')} {v}" for k, v in counts.items()))
    if error:
        lines.append(error)
    return {
        "text": "\n".join(lines),
        "flow_run_id": flow_run_id,
        "flow_run_name": flow_run_name,
        "flow": flow_name,
        "state": state,
        "run_id": summary.get("run_id") or None,
        "input_dir": parameters.get("input_dir"),
        "out_root": parameters.get("out_root"),
        "counts": counts,
        "rows": summary.get("rows", {}),
        "reject_reasons": summary.get("reject_reasons", {}),
        "seconds": summary.get("seconds"),
        "warnings": summary.get("warnings", []),
        "error": error,
        "newsevents_version": __version__,
    }


def post_json(url: str, body: dict[str, Any], timeout: float, attempts: int = 2) -> int:
    """POST `body` to `url` (tried twice): the HTTP status. Raises OSError when it cannot be sent."""
    data = json.dumps(body, default=str).encode("utf-8")
    last: OSError | None = None
    for _ in range(attempts):
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": f"newsevents/{__version__}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return exc.code  # the receiver refused it: sending again will not help
            last = exc
        except OSError as exc:
            last = exc
    assert last is not None
    raise last


def notify(
    url: str, body: dict[str, Any], timeout: float, logger: logging.Logger | logging.LoggerAdapter
) -> None:
    try:
        status = post_json(url, body, timeout)
    except OSError as exc:
        logger.warning("notification to %s failed: %s", url, exc)
        return
    if status >= 300:
        logger.warning("notification to %s answered HTTP %d", url, status)
    else:
        logger.info("notification sent to %s (%s)", url, body["state"])
