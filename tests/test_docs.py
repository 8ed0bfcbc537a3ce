"""docs/datasets.md documents every column the store writes."""

from __future__ import annotations

import re

import pytest

from newsevents.tasks.store.schema import DATASETS, PROVENANCE
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")


def section(name: str) -> str:
    m = re.search(rf"^## {name}\n(.*?)(?=^## |\Z)", DOC, flags=re.S | re.M)
    assert m, f"no section for {name}"
    return m.group(1)


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_column_is_documented(name):
    schema, _ = DATASETS[name]
    text = section(name)
    provenance = {f.name for f in PROVENANCE}
    documented = {
        c.strip() for row in re.findall(r"^\| ([^|]+?) \|", text, flags=re.M) for c in row.split(",")
    }
    missing = [f.name for f in schema if f.name not in provenance and f.name not in documented]
    assert not missing, f"{name}: undocumented columns {missing}"


def test_tests_that_read_shared_are_marked_shared():
    """`-m "not shared"` must run on a clone without ../shared: every test reaching it is marked."""
    import ast

    missing = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_marked = any(
            isinstance(n, ast.Assign) and "pytestmark" in ast.unparse(n) and "shared" in ast.unparse(n)
            for n in tree.body
        )

        def reads_shared(node: ast.AST) -> bool:
            names = {x.id for x in ast.walk(node) if isinstance(x, ast.Name)}
            return bool(names & {"needs_shared", "SHARED_DATA"})

        shared_fixtures = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and reads_shared(n)}
        for n in tree.body:
            if not (isinstance(n, ast.FunctionDef) and n.name.startswith("test_")):
                continue
            uses = reads_shared(n) or any(a.arg in shared_fixtures for a in n.args.args)
            marked = any("shared" in ast.unparse(d) for d in n.decorator_list)
            if uses and not (marked or module_marked):
                missing.append(f"{path.relative_to(ROOT)}::{n.name}")
    assert not missing, missing


def test_the_readme_server_block_waits_for_the_api_before_using_it():
    """Pasted as written, the block must not race the server's start-up (15-30 s)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```sh\n(.*?)```", readme, flags=re.S) if "prefect server start" in b)
    lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    start = next(i for i, line in enumerate(lines) if "prefect server start" in line)
    first_use = next(
        i for i, line in enumerate(lines) if i > start and "prefect " in line and "server" not in line
    )
    assert any("until curl" in line and "/health" in line for line in lines[start:first_use]), block
