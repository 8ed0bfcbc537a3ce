"""Readers: the bytes of one input file -> raw records and rejects, never an exception.

Each reader is a pure function of bytes, so it is tested without files or Prefect; `read_file`
is the one place that touches the filesystem and turns every failure into a `Reject`.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from tasks.schema import Reject


@dataclass(slots=True)
class RawDoc:
    """A record as the input gave it, before cleaning; `record` numbers it within its file."""

    source_path: str
    record: int
    text: str
    source_id: str | None = None
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    url: str | None = None
    language: str | None = None
    source_format: str = "txt"


@dataclass(slots=True)
class ReadResult:
    docs: list[RawDoc] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


class InputError(Exception):
    """A whole file cannot be read; `reason` is the reject code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def inner_name(name: str) -> str:
    """`a/B.TXT.GZ` -> `b.txt`: the format-bearing name, lowercased, compression stripped."""
    low = name.rsplit("/", 1)[-1].lower()
    return low[:-3] if low.endswith(".gz") else low


def format_of(name: str) -> str | None:
    """The reader a file name selects, or None when no reader handles it."""
    low = inner_name(name)
    for suffix, fmt in ((".jsonl", "jsonl"), (".json", "json"), (".txt", "txt"), (".text", "txt")):
        if low.endswith(suffix):
            return fmt
    return None


def decode_bytes(data: bytes) -> str:
    """UTF-8 when it is (the common case, and cheap); else the encoding charset-normalizer detects."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError("undecodable", "no text encoding fits these bytes")
    return str(best)


def gunzip(data: bytes) -> bytes:
    try:
        return gzip.decompress(data)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise InputError("bad_gzip", f"cannot decompress: {exc}") from None


def read_txt(data: bytes, source_path: str) -> ReadResult:
    """Plain text: the first non-empty line is the title, the rest is the body."""
    text = decode_bytes(data)
    lines = text.splitlines()
    title_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if title_at is None:
        raise InputError("empty", "file holds only whitespace")
    title = lines[title_at].strip()
    body = "\n".join(lines[title_at + 1 :])
    if not body.strip():
        # A one-line file is a body without a title, not a title without a body.
        title, body = None, lines[title_at]
    return ReadResult(docs=[RawDoc(source_path=source_path, record=0, text=body, title=title)])


_TEXT_KEYS = ("text", "maintext", "body", "content")
_ID_KEYS = ("id", "source_id")
_DATE_KEYS = ("published_at", "date_publish", "published", "date")
_PUBLISHER_KEYS = ("publisher", "source_domain", "source")


def _first(obj: dict, keys: tuple[str, ...]) -> object | None:
    for key in keys:
        value = obj.get(key)
        if value not in (None, "", []):
            return value
    return None


def _as_str(value: object | None) -> str | None:
    return None if value is None else str(value)


def _authors(value: object | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def record_to_doc(obj: object, source_path: str, record: int, fmt: str) -> RawDoc | Reject:
    """One JSON object -> RawDoc; the record's text is taken as it is, however short."""
    if not isinstance(obj, dict):
        return Reject(
            source_path, "bad_record", f"record is a JSON {type(obj).__name__}, not an object", record
        )
    text = _first(obj, _TEXT_KEYS)
    if not isinstance(text, str) or not text.strip():
        return Reject(source_path, "empty", "record has no text", record)
    return RawDoc(
        source_path=source_path,
        record=record,
        text=text,
        source_id=_as_str(_first(obj, _ID_KEYS)),
        title=_as_str(obj.get("title")),
        published=_as_str(_first(obj, _DATE_KEYS)),
        authors=_authors(obj.get("authors")),
        publisher=_as_str(_first(obj, _PUBLISHER_KEYS)),
        url=_as_str(obj.get("url")),
        language=_as_str(obj.get("language")),
        source_format=fmt,
    )


def _collect(items: Iterator[RawDoc | Reject]) -> ReadResult:
    out = ReadResult()
    for item in items:
        (out.docs if isinstance(item, RawDoc) else out.rejects).append(item)
    return out


def read_jsonl(data: bytes, source_path: str) -> ReadResult:
    """One object per line; a bad line is rejected on its own and its neighbours still read."""
    text = decode_bytes(data)

    def records() -> Iterator[RawDoc | Reject]:
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Reject(source_path, "bad_json", f"line {lineno}: {exc.msg}", lineno)
                continue
            yield record_to_doc(obj, source_path, lineno, "jsonl")

    result = _collect(records())
    if not result.docs and not result.rejects:
        raise InputError("empty", "no JSON lines")
    return result


def read_json(data: bytes, source_path: str) -> ReadResult:
    """A JSON file holding one article object or a list of them."""
    try:
        obj = json.loads(decode_bytes(data))
    except json.JSONDecodeError as exc:
        raise InputError("bad_json", f"line {exc.lineno}: {exc.msg}") from None
    items = obj if isinstance(obj, list) else [obj]
    return _collect(record_to_doc(item, source_path, i, "json") for i, item in enumerate(items))


READERS = {"txt": read_txt, "jsonl": read_jsonl, "json": read_json}


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters in the first 8 KiB mean this is not text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.1


def read_bytes(data: bytes, source_path: str) -> ReadResult:
    """Dispatch on the file name; every failure of the whole file becomes one Reject."""
    try:
        if source_path.lower().endswith(".gz"):
            data = gunzip(data)
        fmt = format_of(source_path)
        if fmt is None:
            raise InputError("unsupported", "no reader for this file type")
        if not data.strip():
            raise InputError("empty", "file is empty")
        if looks_binary(data):
            raise InputError("binary", "file holds binary data, not text")
        return READERS[fmt](data, source_path)
    except InputError as exc:
        return ReadResult(rejects=[Reject(source_path, exc.reason, exc.detail)])


def read_file(path: Path, source_path: str, max_bytes: int) -> ReadResult:
    """Read one file from disk; I/O errors and oversize files are rejects, not crashes."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return ReadResult(rejects=[Reject(source_path, "too_large", f"{size} bytes > limit {max_bytes}")])
        data = path.read_bytes()
    except OSError as exc:
        return ReadResult(rejects=[Reject(source_path, "unreadable", f"{type(exc).__name__}: {exc}")])
    return read_bytes(data, source_path)
