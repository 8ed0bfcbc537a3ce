"""Typed configuration: config/default.toml merged with a user file and command-line overrides.

The TOML file is the single source of defaults; the model only types and checks it, so a key
that is misspelt or out of range fails loudly with its dotted name instead of being ignored.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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
    runner: Literal["threads", "processes", "dask"]
    max_workers: int = Field(gt=0)
    dask_address: str


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


class ScheduleConfig(_Strict):
    cron: str = Field(min_length=9)
    timezone: str
    input_dir: str = Field(min_length=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA timezone {value!r}") from None
        return value


class OutputConfig(_Strict):
    root: str = Field(min_length=1)
    compression: Literal["zstd", "snappy", "gzip", "none"]

    @field_validator("root")
    @classmethod
    def _local(cls, value: str) -> str:
        local_root(value)
        return value


_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):/")


def local_root(value: str | Path) -> Path:
    """The output root as a local directory: a path or a `file://` URL.

    Other fsspec URLs (s3://, gs://, abfs://) are refused with a clear message rather than half
    supported: the commit renames files into place, and the run lock is an advisory file lock;
    object stores offer neither, so a run there could not be atomic or exclusive.
    """
    text = str(value)
    m = _URL.match(text)
    if m is None:
        return Path(text).resolve()
    if m[1].lower() in ("file", "local"):
        return Path("/" + text[m.end() :].lstrip("/")).resolve()
    raise ValueError(
        f"output root {text!r}: only local paths and file:// URLs are supported; a {m[1]}:// root "
        "cannot be committed atomically (no rename) or locked. Write to a local root and sync it "
        "(e.g. `aws s3 sync`, `gsutil rsync`) after each run; readers can query the copy."
    )


class Config(_Strict):
    input: InputConfig
    pipeline: PipelineConfig
    nlp: NlpConfig
    dedup: DedupConfig
    schedule: ScheduleConfig
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


# Sections whose values cannot change what extractors produce from the same articles.
_NON_EXTRACTION = frozenset({"input", "pipeline", "output", "dedup", "schedule"})


def extraction_key(cfg: Config) -> str:
    """A short hash of every setting that shapes derived rows (model, lexicons, thresholds).

    Stored next to the datasets, it tells a later run that its extractors differ from the
    ones that built the stored rows, so `newsevents reprocess` is due.
    """
    import hashlib
    import json

    relevant = {k: v for k, v in cfg.model_dump().items() if k not in _NON_EXTRACTION}
    for speed_only in ("batch_size", "n_process"):
        relevant["nlp"].pop(speed_only, None)
    # Lexicons and gazetteers beside default.toml (config/events.toml, ...) shape rows too.
    relevant["_files"] = {
        p.name: hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(CONFIG_DIR.iterdir())
        if p.is_file() and p != DEFAULT_CONFIG and not p.name.startswith(".")
    }
    return hashlib.sha1(json.dumps(relevant, sort_keys=True, default=str).encode()).hexdigest()[:12]
