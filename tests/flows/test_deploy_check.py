"""The build step `prefect deploy` runs first (prefect.yaml): parameters a run could not use are refused."""

from __future__ import annotations

import pytest

from newsevents.flows.deploy import DeploymentParameterError, check_parameters
from tests.conftest import SAMPLES


def test_usable_parameters_resolve(tmp_path):
    assert check_parameters(str(SAMPLES), str(tmp_path / "out")) == {
        "input_dir": str(SAMPLES.resolve()),
        "out_root": str((tmp_path / "out").resolve()),
    }


@pytest.mark.parametrize(
    "kwargs, named",
    [
        ({"input_dir": "{tmp}/missing"}, r"input_dir: input folder .* does not exist"),
        ({"input_dir": "{tmp}/file.txt"}, r"input_dir: input .* is a file"),
        ({"out_root": "s3://bucket/x"}, r"out_root: output root 's3://bucket/x'"),
        ({"overrides": {"nlp.model": "en_core_web_xx"}}, r"'en_core_web_xx' is not installed"),
        ({"overrides": {"schedule.cron": "0 2 * *"}}, r"config_path/overrides: .*schedule\.cron"),
        ({"config_path": "{tmp}/missing.toml"}, r"config_path/overrides"),
    ],
)
def test_unusable_parameters_are_refused_by_name(tmp_path, kwargs, named):
    (tmp_path / "file.txt").write_text("x")
    given = {"input_dir": str(SAMPLES), "out_root": str(tmp_path / "out")}
    given.update({k: v.format(tmp=tmp_path) if isinstance(v, str) else v for k, v in kwargs.items()})
    with pytest.raises(DeploymentParameterError, match=named):
        check_parameters(**given)


def test_prefect_yaml_runs_the_check_and_limits_concurrency():
    import yaml

    from tests.conftest import ROOT

    (deployment,) = yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]
    (step,) = deployment["build"]
    assert set(step) == {"newsevents.flows.deploy.check_parameters"}
    assert step["newsevents.flows.deploy.check_parameters"] == deployment["parameters"]
    assert deployment["concurrency_limit"] == {"limit": 1, "collision_strategy": "ENQUEUE"}
