"""Shared fixtures: Prefect isolated inside .state/, the spaCy model loaded once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
SHARED_DATA = ROOT.parent / "shared" / "data"

# Before anything imports Prefect: keep its database in the ignored state folder, no telemetry.
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".state" / "prefect-test"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


def needs_shared(*parts: str) -> Path:
    """The path under ../shared/data, or skip when the shared folder is not beside the clone."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not available (../shared is not beside this clone)")
    return path


@pytest.fixture(scope="session")
def cfg():
    from newsevents.tasks.config import load_config

    return load_config()


@pytest.fixture(scope="session")
def nlp(cfg):
    from newsevents.tasks.nlp.model import load_model

    return load_model(cfg.nlp.model, tuple(cfg.nlp.disable))


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
