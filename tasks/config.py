"""Typed configuration: config/default.toml merged with a user file, environment variables and
command-line overrides, and the one typed loader every other TOML (the lexicons under
config/lexicons/) goes through.

The TOML file is the single source of defaults; the models only type and check it, so a key
that is misspelt or out of range fails loudly with its dotted name instead of being ignored.
Every key can also be set by an environment variable `NEWSEVENTS_<SECTION>__<KEY>` (containers
configure through the environment); a variable naming no key is refused with its name.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Mapping
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
    retries: int = Field(ge=0, le=10)
    retry_delay_seconds: float = Field(ge=0)

    def retry_delays(self) -> list[float]:
        """The wait before each retry: the delay, doubled each time (2, 4, 8 s from 2)."""
        return [self.retry_delay_seconds * 2**i for i in range(self.retries)]


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
    retention_days: int = Field(ge=0)


# Cron fields: minute, hour, day of month, month, day of week (0 and 7 are Sunday).
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_CRON_NAMES = (
    {},
    {},
    {},
    {
        m: i
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
        )
    },
    {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])},
)
_CRON_MACROS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}


def cron_error(expr: str) -> str | None:
    """Why `expr` is no standard five-field cron expression (or macro), or None when it is one.

    Checked here, with the rest of the configuration, so a bad schedule fails before a server
    starts rather than as a traceback from Prefect's scheduler.
    """
    if expr.strip().lower() in _CRON_MACROS:
        return None
    fields = expr.split()
    if len(fields) != 5:
        return f"{len(fields)} fields, a cron expression has 5 (minute hour day month weekday)"
    for name, field, (lo, hi), names in zip(
        ("minute", "hour", "day of month", "month", "day of week"),
        fields,
        _CRON_RANGES,
        _CRON_NAMES,
        strict=True,
    ):
        for item in field.split(","):
            base, _, step = item.partition("/")
            if step and not (step.isdigit() and int(step) > 0):
                return f"{name} {field!r}: bad step {step!r}"
            if base == "*":
                continue
            ends = base.split("-")
            if len(ends) > 2 or not all(ends):
                return f"{name} {field!r}: cannot read {item!r}"
            for end in ends:
                value = names.get(end.lower()) if not end.isdigit() else int(end)
                if value is None or not lo <= value <= hi:
                    return f"{name} {field!r}: {end!r} is not in {lo}-{hi}"
    return None


class ScheduleConfig(StrictModel):
    cron: str = Field(min_length=1)
    timezone: str
    input_dir: str = Field(min_length=1)

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        error = cron_error(value)
        if error:
            raise ValueError(f"invalid cron {value!r}: {error}")
        return value

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
    lock_wait_seconds: float = Field(ge=0)

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


class CompactConfig(StrictModel):
    max_parts: int = Field(ge=0)
    file_mb: int = Field(gt=0)
    row_group_mb: int = Field(gt=0)


class NotifyConfig(StrictModel):
    webhook_url: str
    on_completion: bool
    timeout_seconds: float = Field(gt=0)

    @field_validator("webhook_url")
    @classmethod
    def _http(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"{value!r} is no http:// or https:// URL")
        return value


class Config(StrictModel):
    input: InputConfig
    pipeline: PipelineConfig
    nlp: NlpConfig
    dedup: DedupConfig
    lexicons: LexiconsConfig
    clusters: ClustersConfig
    schedule: ScheduleConfig
    output: OutputConfig
    compact: CompactConfig
    notify: NotifyConfig


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


ENV_PREFIX = "NEWSEVENTS_"


def env_name(dotted: str) -> str:
    """ "nlp.n_process" -> "NEWSEVENTS_NLP__N_PROCESS"."""
    return ENV_PREFIX + "__".join(part.upper() for part in dotted.split("."))


def _env_value(raw: str, annotation: Any) -> Any:
    """An environment variable's text as the key's type: strings stay as written; lists are a
    TOML array (`["*.txt", "*.json"]`) or comma-separated words; numbers and booleans are TOML."""
    if annotation is str or annotation is Path:
        return raw
    if getattr(annotation, "__origin__", None) is list:
        text = raw.strip()
        if text.startswith("["):
            return _toml_value(text)
        return [item.strip() for item in text.split(",") if item.strip()]
    try:
        return _toml_value(raw.strip())
    except ValueError:
        return raw  # a Literal or other text: validation names the key if it is wrong


def _toml_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(str(exc)) from None


def env_overrides(environ: Mapping[str, str]) -> dict[str, tuple[str, Any]]:
    """{dotted key: (variable name, value)} from `NEWSEVENTS_<SECTION>__<KEY>` variables.

    Only names with a double underscore are configuration (NEWSEVENTS_CACHE_DIR is not); one
    that names no section or key is refused with its name, like an unknown key in a file.
    """
    found: dict[str, tuple[str, Any]] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, key = name[len(ENV_PREFIX) :].lower().partition("__")
        model = Config.model_fields.get(section)
        if model is None or not key:
            known = ", ".join(Config.model_fields)
            raise ConfigError(f"environment variable {name}: no section {section!r} (sections: {known})")
        fields = model.annotation.model_fields
        if key not in fields:
            raise ConfigError(
                f"environment variable {name}: {section}.{key}: unknown key "
                f"(keys of [{section}]: {', '.join(fields)})"
            )
        try:
            value = _env_value(raw, fields[key].annotation)
        except ValueError as exc:
            raise ConfigError(f"environment variable {name}: cannot read {raw!r}: {exc}") from None
        found[f"{section}.{key}"] = (name, value)
    return found


def load_config(
    path: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Defaults, then the user's file, then `NEWSEVENTS_*` variables of `environ` (the process
    environment by default), then overrides (dotted keys: the command's flags), validated as one."""
    data = _anchor_lexicons(_read_toml(DEFAULT_CONFIG), CONFIG_DIR)
    if path is not None:
        data = merge(data, _anchor_lexicons(_read_toml(Path(path)), Path(path).resolve().parent))
    from_env = env_overrides(os.environ if environ is None else environ)
    if from_env:
        values = {key: value for key, (_, value) in from_env.items()}
        data = merge(data, _anchor_lexicons(dotted_overrides(values), Path.cwd()))
    if overrides:
        data = merge(data, _anchor_lexicons(dotted_overrides(overrides), Path.cwd()))
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        where = f" in {path}" if path else ""
        named = sorted({var for key, (var, _) in from_env.items() if _mentions(exc, key)})
        if named:
            where += f" (environment: {', '.join(named)})"
        raise ConfigError(f"invalid configuration{where}: {_problems(exc)}") from None


def _mentions(exc: ValidationError, dotted: str) -> bool:
    return any(".".join(str(p) for p in err["loc"][:2]) == dotted for err in exc.errors())


@functools.cache
def default_lexicons() -> LexiconsConfig:
    """The lexicon paths of config/default.toml: what an extractor called without one reads."""
    return load_config().lexicons


# Sections whose values cannot change what extractors produce from the same articles.
_NON_EXTRACTION = frozenset(
    {"input", "pipeline", "output", "dedup", "schedule", "lexicons", "compact", "notify"}
)


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


def model_error(name: str) -> str | None:
    """Why the spaCy model `name` cannot load here, or None: an installed package or a folder.

    Checked before a run starts Prefect (spaCy itself is not imported: finding the package is
    enough), so a misspelt `--model` is one line, not a failed run."""
    import importlib.util

    if Path(name).is_dir():
        return None
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        found = False
    if found:
        return None
    return (
        f"nlp.model: spaCy model {name!r} is not installed here (install its package, e.g. "
        f"`python -m spacy download {name}`, or give the path of a model folder)"
    )


_LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}


def cluster_api_error(cfg: Config, api_url: str | None) -> str | None:
    """Why a Dask cluster on other machines could not run this run's tasks, or None.

    Dask workers report each task's state to the Prefect API, and the temporary server of
    `newsevents run` listens on 127.0.0.1 only, where workers on another host cannot reach it.
    """
    from urllib.parse import urlsplit

    address = cfg.pipeline.dask_address
    if cfg.pipeline.runner != "dask" or not address:
        return None
    host = urlsplit(address if "://" in address else f"tcp://{address}").hostname or ""
    if host in _LOOPBACK:
        return None
    api_host = urlsplit(api_url).hostname if api_url else None
    if api_host is not None and api_host not in _LOOPBACK:
        return None
    where = (
        f"PREFECT_API_URL={api_url} is"
        if api_url
        else "the temporary Prefect server of this command would be"
    )
    return (
        f"pipeline.dask_address {address}: its workers report to the Prefect API, and {where} on "
        "127.0.0.1, which workers on other machines cannot reach; start a server they reach "
        "(`prefect server start --host 0.0.0.0`) and set PREFECT_API_URL=http://<this host>:4200/api "
        "(README, 'On a cluster')"
    )
