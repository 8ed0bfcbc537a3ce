"""Readers: the bytes of one input file -> raw records and rejects, never an exception.

Each reader is a pure function of bytes, so it is tested without files or Prefect; `read_file`
is the one place that touches the filesystem and turns every failure into a `Reject`.
Formats: plain text, JSON / JSONL (our keys and news-please's), HTML pages, WARC archives, and
any of them gzipped; names are compared case-insensitively.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from newsevents.tasks.ingest.plaintext import lift_metadata
from newsevents.tasks.records import Reject

# Every reject code a reader gives (docs/datasets.md explains each).
REJECT_REASONS = (
    "empty",
    "binary",
    "undecodable",
    "bad_json",
    "bad_record",
    "no_article",
    "bad_gzip",
    "truncated_gzip",
    "bad_warc",
    "too_large",
    "unreadable",
    "unsupported",
)


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


_SUFFIXES = (
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".json", "json"),
    (".txt", "txt"),
    (".text", "txt"),
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".warc", "warc"),
)


def format_of(name: str) -> str | None:
    """The reader a file name selects, or None when no reader handles it."""
    low = inner_name(name)
    for suffix, fmt in _SUFFIXES:
        if low.endswith(suffix):
            return fmt
    return None


# ---------------------------------------------------------------- bytes -> text

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# What browsers do (WHATWG Encoding): a page labelled Latin-1 or ASCII is read as windows-1252.
_AS_CP1252 = {"latin_1", "iso8859_1", "ascii", "cp1252"}
_ASCII = bytes(range(128))
# A non-ASCII character between two ASCII letters that is not a letter ("wi¹zać", "³") means the
# bytes are not cp1252 (this is Polish in cp1250); apostrophes and dashes are fine there.
_INNER_NON_LETTER = re.compile(r"(?<=[A-Za-z])(?:[^\x00-\x7f\w’‘–—]|[²³¹¼½¾])(?=[A-Za-z])")


def _bom_encoding(data: bytes) -> str | None:
    return next((enc for bom, enc in _BOMS if data.startswith(bom)), None)


def _codec(label: str | None) -> str | None:
    try:
        return codecs.lookup(label).name if label else None
    except LookupError:
        return None


def western_text(data: bytes) -> str | None:
    """`data` as cp1252 when it reads as Western text with a few accents or symbols, else None.

    charset-normalizer weighs a handful of high bytes poorly: the one 0xA3 of BBC sport/199.txt
    ("£15.8m") comes out as cp932 half-width katakana ("｣15.8m"). Text whose non-ASCII bytes
    are sparse (under 10%: a pound sign, accented names, curly quotes) and read as letters or
    symbols in cp1252 is Western; Cyrillic, Greek and CJK legacy encodings are dense and fail.
    """
    high = len(data.translate(None, _ASCII))  # the bytes left once ASCII is deleted
    if not high or high > 0.1 * len(data):
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
        return None
    if _INNER_NON_LETTER.search(text):
        return None
    return text


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """UTF-8 when it is (the common case, and cheap); then a declared charset; then Western
    cp1252 for sparse high bytes; then the encoding charset-normalizer detects."""
    bom = _bom_encoding(data)
    if bom:
        return data.decode(bom, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = _codec(declared)
    if codec and codec != "utf-8":
        try:
            return data.decode("cp1252" if codec in _AS_CP1252 else codec)
        except UnicodeDecodeError:
            pass
    text = western_text(data)
    if text is not None:
        return text
    best = from_bytes(data).best()
    if best is None:
        raise InputError("undecodable", "no text encoding fits these bytes")
    return str(best)


def gunzip_prefix(data: bytes, limit: int | None = None) -> tuple[bytes, InputError | None]:
    """Every gzip member decompressed, and what stopped it early: (all, or the readable prefix,
    None or the InputError saying why the rest is lost).

    Fed 64 KiB at a time, member after member, so a cut in the last member keeps everything
    before it (a WARC's earlier records) and the work stays linear in the file size.
    """
    out = bytearray()
    view = memoryview(data)
    pos, pending = 0, b""
    member = zlib.decompressobj(16 + zlib.MAX_WBITS)
    in_member = False
    while pos < len(data) or pending:
        if pending:
            chunk, pending = pending, b""
        else:
            chunk = view[pos : pos + (1 << 16)]
            pos += len(chunk)
        if not in_member and not bytes(chunk).strip(b"\x00"):
            continue  # zero padding between or after members, as gzip itself allows
        try:
            out += member.decompress(chunk)
        except zlib.error as exc:
            return bytes(out), InputError("bad_gzip", f"cannot decompress: {exc}")
        in_member = True
        if limit and len(out) > limit:
            raise InputError("too_large", f"decompresses to more than the limit of {limit} bytes")
        if member.eof:
            pending = member.unused_data
            member = zlib.decompressobj(16 + zlib.MAX_WBITS)
            in_member = False
    if in_member:
        return bytes(out), InputError("truncated_gzip", "compressed stream ends before its end marker")
    return bytes(out), None


def gunzip(data: bytes, limit: int | None = None) -> bytes:
    """Decompress every gzip member; a stream cut short is `truncated_gzip`, not data."""
    out, problem = gunzip_prefix(data, limit)
    if problem is not None:
        raise problem
    return out


# ---------------------------------------------------------------- plain text


def read_txt(data: bytes, source_path: str) -> ReadResult:
    """Plain text: the first non-empty line is the title, the rest is the body, with the
    publication line, byline, copyright and trailers lifted out (`ingest.plaintext`)."""
    text = decode_bytes(data)
    lines = text.splitlines()
    title_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if title_at is None:
        raise InputError("empty", "file holds only whitespace")
    title: str | None = lines[title_at].strip()
    body = "\n".join(lines[title_at + 1 :])
    if not body.strip():
        # A one-line file is a body without a title, not a title without a body.
        title, body = None, lines[title_at]
    lifted = lift_metadata(body)
    return ReadResult(
        docs=[
            RawDoc(
                source_path=source_path,
                record=0,
                text=lifted.body,
                title=title,
                published=lifted.published,
                authors=lifted.authors,
                publisher=lifted.publisher,
            )
        ]
    )


# ---------------------------------------------------------------- JSON and JSONL

# Our contract's keys first, then news-please's (maintext, date_publish, source_domain).
_TEXT_KEYS = ("text", "maintext", "body", "content", "article_text")
_ID_KEYS = ("id", "source_id", "_id")
_TITLE_KEYS = ("title", "headline", "title_page", "title_rss")
_DATE_KEYS = ("published_at", "date_publish", "published", "date", "datePublished", "pubdate")
_AUTHOR_KEYS = ("authors", "author", "byline")
_PUBLISHER_KEYS = ("publisher", "source_domain", "source", "site_name")
_LANGUAGE_KEYS = ("language", "lang")


def _first(obj: dict, keys: tuple[str, ...]) -> object | None:
    for key in keys:
        value = obj.get(key)
        if value not in (None, "", []):
            return value
    return None


def _as_str(value: object | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):  # {"name": "Reuters"}
        value = value.get("name")
    return None if value is None else str(value)


def _authors(value: object | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value if (s := _as_str(v))]
    s = _as_str(value)
    return [s] if s else []


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
        title=_as_str(_first(obj, _TITLE_KEYS)),
        published=_as_str(_first(obj, _DATE_KEYS)),
        authors=_authors(_first(obj, _AUTHOR_KEYS)),
        publisher=_as_str(_first(obj, _PUBLISHER_KEYS)),
        url=_as_str(obj.get("url")),
        language=_as_str(_first(obj, _LANGUAGE_KEYS)),
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
    if not items:
        raise InputError("empty", "JSON list holds no records")
    return _collect(record_to_doc(item, source_path, i, "json") for i, item in enumerate(items))


# ---------------------------------------------------------------- HTML and WARC


def html_to_doc(
    data: bytes,
    source_path: str,
    record: int = 0,
    *,
    url: str | None = None,
    charset: str | None = None,
    fallback_date: str | None = None,
    fmt: str = "html",
) -> RawDoc:
    """One page's bytes -> RawDoc; raises InputError("no_article") when no body is found."""
    from trafilatura.utils import load_html

    from newsevents.tasks.ingest.html import NoArticle, declared_charset, read_page

    html = decode_bytes(data, charset or declared_charset(data))
    tree = load_html(html)
    if tree is None:
        raise InputError("no_article", "not parseable as an HTML page")
    try:
        page = read_page(html, tree, url)
    except NoArticle as exc:
        raise InputError("no_article", str(exc)) from None
    return RawDoc(
        source_path=source_path,
        record=record,
        text=page.text,
        title=page.title,
        published=page.published or fallback_date,
        authors=page.authors,
        publisher=page.publisher,
        url=page.url,
        language=page.language,
        source_format=fmt,
    )


def read_html(data: bytes, source_path: str) -> ReadResult:
    """A saved web page: one article, or the reject `no_article`."""
    return ReadResult(docs=[html_to_doc(data, source_path)])


_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def read_warc(data: bytes, source_path: str) -> ReadResult:
    """Each HTTP response record with an HTML payload is an article, with the record's URL (and
    its capture date when the page states none); other records (requests, metadata, images,
    robots.txt) are not articles and are passed over. A file cut short or a damaged record ends
    the file with a reject; the articles read before it are kept."""
    from warcio.archiveiterator import ArchiveIterator

    out = ReadResult()
    problem = None
    if data[:2] == b"\x1f\x8b":
        # Decompressed here rather than by warcio, which stops silently at a truncated member.
        data, problem = gunzip_prefix(data)
    n_records = 0
    try:
        for n_records, rec in enumerate(ArchiveIterator(io.BytesIO(data)), start=1):
            if rec.format != "warc":  # warcio reads any text as a lenient ARC record
                raise ValueError("not a WARC record")
            if rec.rec_type != "response" or rec.http_headers is None:
                continue
            url = rec.rec_headers.get_header("WARC-Target-URI")
            ctype = rec.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            payload = rec.content_stream().read()
            if getattr(rec.raw_stream, "limit", 0) > 0:
                raise ValueError(f"record {n_records} ({url}) is cut short")
            m = _CHARSET.search(ctype)
            try:
                doc = html_to_doc(
                    payload,
                    source_path,
                    n_records,
                    url=url,
                    charset=m.group(1) if m else None,
                    fallback_date=rec.rec_headers.get_header("WARC-Date"),
                    fmt="warc",
                )
            except InputError as exc:
                out.rejects.append(Reject(source_path, exc.reason, f"{url}: {exc.detail}", n_records))
                continue
            out.docs.append(doc)
    except Exception as exc:  # warcio raises assorted errors on damaged archives
        if problem is None:
            detail = f"after record {n_records}: {exc}"
            out.rejects.append(Reject(source_path, "bad_warc", detail, n_records + 1))
    if problem is not None:
        out.rejects.append(Reject(source_path, problem.reason, problem.detail, n_records + 1))
    if not out.docs and not out.rejects:
        raise InputError("no_article", f"no HTML response among {n_records} WARC records")
    return out


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))

READERS = {"txt": read_txt, "jsonl": read_jsonl, "json": read_json, "html": read_html, "warc": read_warc}


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters in the first 8 KiB mean this is not text
    (UTF-16 and UTF-32 text, which is full of NULs, announces itself with a byte-order mark)."""
    head = data[:8192]
    if _bom_encoding(head) in ("utf-16", "utf-32"):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bool(head) and controls / len(head) > 0.1


def read_bytes(data: bytes, source_path: str, max_bytes: int | None = None) -> ReadResult:
    """Dispatch on the file name; every failure of the whole file becomes one Reject."""
    try:
        fmt = format_of(source_path)
        if fmt is None:
            raise InputError("unsupported", "no reader for this file type")
        # warcio reads gzipped WARC record by record, so a truncated archive keeps its first pages.
        if source_path.lower().endswith(".gz") and fmt != "warc":
            data = gunzip(data, max_bytes)
        if not data.strip():
            raise InputError("empty", "file is empty")
        if fmt != "warc" and looks_binary(data):
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
    return read_bytes(data, source_path, max_bytes)
