"""The check `prefect deploy` runs before it registers the nightly deployment (prefect.yaml's
build step): the deployment's parameters must name an input folder that exists and can be
listed, a local output root that can be written, a valid configuration and an installed model.
Prefect itself checks the parameters' types and the schedule.

Relative paths are checked against the folder `prefect deploy` runs in, which is the working
folder prefect.yaml records for the worker. Checked at deploy time only: each run checks its
input folder again when it starts, and fails loudly if it has gone missing since.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class DeploymentParameterError(ValueError):
    """A parameter of the deployment that a run could not use; the message names it."""


def check_parameters(
    input_dir: str,
    out_root: str | None = None,
    config_path: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, str]:
    """Raise DeploymentParameterError naming the first unusable parameter; else the resolved
    paths (a build step's outputs, usable in prefect.yaml as {{ check-parameters.input_dir }})."""
    from newsevents.tasks.config import ConfigError, load_config, local_root, model_error
    from newsevents.tasks.stages.inputs import InputUnavailable, check_input
    from newsevents.tasks.store.writer import RunLocked, run_lock

    try:
        cfg = load_config(config_path, overrides)
    except ConfigError as exc:
        raise DeploymentParameterError(f"config_path/overrides: {exc}") from None
    try:
        source = check_input(Path(input_dir).resolve())
    except InputUnavailable as exc:
        raise DeploymentParameterError(f"input_dir: {exc}") from None
    try:
        root = local_root(out_root or cfg.output.root)
        with run_lock(root):
            pass
    except ValueError as exc:
        raise DeploymentParameterError(f"out_root: {exc}") from None
    except RunLocked:
        pass  # a run is writing there now: the root exists and is used, which is fine
    except OSError as exc:
        raise DeploymentParameterError(f"out_root {out_root}: cannot be written: {exc}") from None
    error = model_error(cfg.nlp.model)
    if error:
        raise DeploymentParameterError(error)
    return {"input_dir": str(source), "out_root": str(root)}
