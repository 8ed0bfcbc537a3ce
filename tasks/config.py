"""Typed configuration: config/default.toml merged with a user file and command-line overrides,
and the one typed loader every other TOML (the lexicons under config/lexicons/) goes through.

The TOML file is the single source of defaults; the models only type and check it, so a key
that is misspelt or out of range fails loudly with its dotted name instead of being ignored.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = PROJECT_ROOT / "config"
DEFAULT_CONFIG = CONFIG_DIR / "default.toml"


class StrictModel(BaseModel):
    """The base of every configuration model: unknown keys are refused, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class InputConfig(StrictModel):
    include: list[str] = Field(min_length=1)
    exclude: list[str]
    max_file_bytes: int = Field(gt=0)
    max_json_depth: int = Field(gt=0)
    max_number_digits: int = Field(gt=0)


class PipelineConfig(StrictModel):
    files_per_batch: int = Field(gt=0)
    articles_per_batch: int = Field(gt=0)
    runner: Literal["threads", "processes", "dask"]
    max_workers: int = Field(gt=0)
    dask_address: str


class NlpConfig(StrictModel):
    model: str = Field(min_length=1)
    batch_size: int = Field(gt=0)
    n_process: int = Field(gt=0)
    disable: list[str]
    max_chars: int = Field(gt=0)


class DedupConfig(StrictModel):
    threshold: float = Field(gt=0.0, le=1.0)
    shingle_size: int = Field(gt=0)
    num_perm: int = Field(ge=16)
    seed: int = Field(ge=0)


class ScheduleConfig(StrictModel):
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


class OutputConfig(StrictModel):
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


class LexiconsConfig(StrictModel):
    """The extractors' word lists; a relative path resolves against the config file naming it."""

    actors: Path
    events: Path
    claims: Path
    places: Path


class ClustersConfig(StrictModel):
    days: int = Field(ge=0)


class Config(StrictModel):
    input: InputConfig
    pipeline: PipelineConfig
    nlp: NlpConfig
    dedup: DedupConfig
    lexicons: LexiconsConfig
    clusters: ClustersConfig
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
    except IsADirectoryError as exc:
        raise ConfigError(f"config file {path} is a directory") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc


def _anchor_lexicons(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """Lexicon paths relative to the file that names them, so a user's config can ship its own."""
    lex = data.get("lexicons")
    if isinstance(lex, dict):
        data = {
            **data,
            "lexicons": {
                k: str(base / v) if isinstance(v, str) and not Path(v).is_absolute() else v
                for k, v in lex.items()
            },
        }
    return data


def _problems(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        problems.append(f"{key}: {msg}")
    return "; ".join(problems)


M = TypeVar("M", bound=BaseModel)


def load_toml_as(path: str | Path, model: type[M]) -> M:
    """The TOML file at `path` validated as `model`: the one loader of every lexicon, so each
    refuses unknown sections and keys, naming them, like the main configuration does."""
    path = Path(path)
    try:
        return model.model_validate(_read_toml(path))
    except ValidationError as exc:
        raise ConfigError(f"invalid {path}: {_problems(exc)}") from None


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
    data = _anchor_lexicons(_read_toml(DEFAULT_CONFIG), CONFIG_DIR)
    if path is not None:
        data = merge(data, _anchor_lexicons(_read_toml(Path(path)), Path(path).resolve().parent))
    if overrides:
        data = merge(data, _anchor_lexicons(dotted_overrides(overrides), Path.cwd()))
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        where = f" in {path}" if path else ""
        raise ConfigError(f"invalid configuration{where}: {_problems(exc)}") from None


@functools.cache
def default_lexicons() -> LexiconsConfig:
    """The lexicon paths of config/default.toml: what an extractor called without one reads."""
    return load_config().lexicons


# Sections whose values cannot change what extractors produce from the same articles.
_NON_EXTRACTION = frozenset({"input", "pipeline", "output", "dedup", "schedule", "lexicons"})


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
    # The lexicons shape rows by their content, wherever they live.
    relevant["_lexicons"] = {
        name: hashlib.sha1(Path(path).read_bytes()).hexdigest()
        for name, path in cfg.lexicons.model_dump().items()
    }
    return hashlib.sha1(json.dumps(relevant, sort_keys=True, default=str).encode()).hexdigest()[:12]
