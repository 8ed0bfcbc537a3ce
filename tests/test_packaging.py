"""The distribution installs flows/ and tasks/ under its own name, so nothing in the user's
working folder (a `tasks.py`, the invoke and Celery convention) can shadow them."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT


def test_every_package_folder_is_listed_in_pyproject():
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(tool["packages"])
    found = {"newsevents"}
    for top in ("flows", "tasks"):
        for init in (ROOT / top).rglob("__init__.py"):
            found.add("newsevents." + ".".join(init.parent.relative_to(ROOT).parts))
    assert listed == found
    assert tool["package-dir"] == {
        "newsevents": "newsevents",
        "newsevents.flows": "flows",
        "newsevents.tasks": "tasks",
    }


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def test_python_m_newsevents_works_beside_a_users_tasks_py(tmp_path):
    (tmp_path / "tasks.py").write_text("raise SystemExit('the user tasks.py was imported')\n")
    (tmp_path / "flows.py").write_text("raise SystemExit('the user flows.py was imported')\n")
    for cmd in (
        [sys.executable, "-m", "newsevents", "--help"],
        [str(Path(sys.executable).parent / "newsevents"), "--help"],
    ):
        done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, env=_env(), timeout=120)
        assert done.returncode == 0, done.stderr
        assert "run" in done.stdout and "user tasks.py" not in done.stderr


def test_the_installed_packages_are_this_checkout(tmp_path):
    code = "import newsevents.tasks as t, newsevents.flows as f; print(t.__file__, f.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=_env()
    )
    tasks_init, flows_init = done.stdout.split()
    assert Path(tasks_init) == ROOT / "tasks" / "__init__.py"
    assert Path(flows_init) == ROOT / "flows" / "__init__.py"
