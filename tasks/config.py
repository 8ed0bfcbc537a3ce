"""Typed configuration: config/default.toml merged with a user file and command-line overrides.

The TOML file is the single source of defaults; the model only types and checks it, so a key
that is misspelt or out of range fails loudly with its dotted name instead of being ignored.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = PROJECT_ROOT / "config"
DEFAULT_CONFIG = CONFIG_DIR / "default.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputConfig(_Strict):
    include: list[str] = Field(min_length=1)
    exclude: list[str]
    max_file_bytes: int = Field(gt=0)


class PipelineConfig(_Strict):
    files_per_batch: int = Field(gt=0)
    articles_per_batch: int = Field(gt=0)
    runner: Literal["threads", "processes"]
    max_workers: int = Field(gt=0)


class NlpConfig(_Strict):
    model: str = Field(min_length=1)
    batch_size: int = Field(gt=0)
    n_process: int = Field(gt=0)
    disable: list[str]
    max_chars: int = Field(gt=0)


class DedupConfig(_Strict):
    threshold: float = Field(gt=0.0, le=1.0)
    shingle_size: int = Field(gt=0)
    num_perm: int = Field(ge=16)
    seed: int = Field(ge=0)


class OutputConfig(_Strict):
    root: str = Field(min_length=1)
    compression: Literal["zstd", "snappy", "gzip", "none"]


class Config(_Strict):
    input: InputConfig
    pipeline: PipelineConfig
    nlp: NlpConfig
    dedup: DedupConfig
    output: OutputConfig


class ConfigError(ValueError):
    """A configuration file or override that cannot be used; the message names the key."""


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `override` into a copy of `base` (tables merge, other values replace)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc


def dotted_overrides(pairs: dict[str, Any]) -> dict[str, Any]:
    """{"nlp.n_process": 2} -> {"nlp": {"n_process": 2}}; None values are dropped (flag not given)."""
    out: dict[str, Any] = {}
    for dotted, value in pairs.items():
        if value is None:
            continue
        node = out
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Defaults, then the user's file, then overrides (dotted keys), validated as one model."""
    data = _read_toml(DEFAULT_CONFIG)
    if path is not None:
        data = merge(data, _read_toml(Path(path)))
    if overrides:
        data = merge(data, dotted_overrides(overrides))
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            problems.append(f"{key}: {msg}")
        where = f" in {path}" if path else ""
        raise ConfigError(f"invalid configuration{where}: " + "; ".join(problems)) from None
