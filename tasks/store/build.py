"""Which extractor version and settings built the stored derived rows (_state/build.json)."""

from __future__ import annotations

import json
from pathlib import Path

from newsevents import EXTRACTOR_VERSION
from newsevents.tasks.config import Config, extraction_key

# ---------------------------------------------------------------- build key and reprocess

BUILD_FILE = "build.json"


def build_key(cfg: Config) -> dict[str, str]:
    return {"extractor_version": EXTRACTOR_VERSION, "config": extraction_key(cfg)}


def build_path(root: Path) -> Path:
    return root / "_state" / BUILD_FILE


def read_build(root: Path) -> dict[str, str] | None:
    """Extractor version and config key that built the stored derived rows (None before any run)."""
    path = build_path(root)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def write_build_temp(root: Path, key: dict[str, str]) -> Path:
    final = build_path(root)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.tmp")
    tmp.write_text(json.dumps(key), encoding="utf-8")
    return tmp
