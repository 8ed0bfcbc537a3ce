"""docs/datasets.md documents every column the store writes."""

from __future__ import annotations

import re

import pytest

from tasks.schema import DATASETS, PROVENANCE
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
