"""Readers: the bytes of one input file -> raw records and rejects, never an exception.

Each reader is a pure function of bytes, so it is tested without files or Prefect; `read_file`
is the one place that touches the filesystem and turns every failure into a `Reject`.
Formats: plain text, JSON / JSONL (our keys and news-please's), HTML pages, WARC archives, and
any of them gzipped; names are compared case-insensitively.

No input may stop a run: every failure of a file or a record, of whatever exception type,
becomes a reject with the exception's message, and `ReadLimits` bounds what one input may cost
(bytes read and decompressed, JSON nesting and number size).
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import stat
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
    "too_deep",
    "special_file",
    "unreadable",
    "unsupported",
    "read_error",
)
# A reject's detail quotes what went wrong, never a whole input (warcio quotes a record's first line).
MAX_DETAIL = 500


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """What one input may cost: bytes read from disk or decompressed from gzip and WARC records,
    JSON nesting depth and the digits of one JSON number (Python's int() is quadratic in them)."""

    max_bytes: int = 100_000_000
    max_json_depth: int = 100
    max_number_digits: int = 100


def limits_of(limits: int | ReadLimits | None) -> ReadLimits:
    """Callers that only know a byte limit pass an int."""
    if isinstance(limits, ReadLimits):
        return limits
    return ReadLimits() if limits is None else ReadLimits(max_bytes=limits)


def error_detail(exc: BaseException) -> str:
    """`TypeName: message`, cut to MAX_DETAIL characters."""
    return short_detail(f"{type(exc).__name__}: {exc}")


def short_detail(text: str) -> str:
    """A detail cut to MAX_DETAIL characters, lone surrogates written as escapes (Arrow refuses them)."""
    text = text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def printable_path(name: str) -> str:
    """A file name as storable text: the bytes of a non-UTF-8 name (which Python holds as lone
    surrogates, and Arrow cannot encode) written as backslash escapes, `x\\xe9.txt`."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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

    # Characters the reader repaired: invalid bytes of a mostly-UTF-8 file (`decode_text`).
    repaired: int = 0


@dataclass(slots=True)
class ReadResult:
    docs: list[RawDoc] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    # (size, mtime_ns) of the file as opened for this read: what the ledger records, so a file
    # replaced during the read differs from it next run. None when the file could not be opened.
    identity: tuple[int, int] | None = None


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
    """The text codec a declared label names; None for unknown labels and for codecs that are
    not text encodings (`charset="rot13"` names a str-to-str codec bytes.decode refuses)."""
    try:
        info = codecs.lookup(label) if label else None
    except LookupError:
        return None
    return info.name if info is not None and getattr(info, "_is_text_encoding", True) else None


_ESCAPED = re.compile("[\udc80-\udcff]")


def repaired_utf8(data: bytes) -> tuple[str, int] | None:
    """`data` as UTF-8 with its invalid bytes read as cp1252 (a stray Latin-1 "\\xe9" is "é"),
    and how many there were; None when the bytes are not mostly UTF-8.

    One Latin-1 byte in a UTF-8 article used to send the whole file to the code-page guessers,
    which read every curly quote as Mac Roman ("minister‚Äôs"). Mostly UTF-8 means more valid
    multi-byte characters than invalid bytes: Latin-1 or cp1252 text has almost none of the former.
    """
    text = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED.findall(text))
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not bad or non_ascii - bad <= bad:
        return None
    return _ESCAPED.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", "replace"), text), bad


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


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, int]:
    """(text, characters repaired). UTF-8 when it is (the common case, and cheap); then UTF-8
    with a few invalid bytes repaired; then a declared charset; then Western cp1252 for sparse
    high bytes; then the encoding charset-normalizer detects."""
    bom = _bom_encoding(data)
    if bom:
        try:
            return data.decode(bom), 0
        except UnicodeDecodeError:
            text = data.decode(bom, errors="replace")
            return text, text.count("\ufffd")
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    repaired = repaired_utf8(data)
    if repaired is not None:
        return repaired
    codec = _codec(declared)
    if codec and codec != "utf-8":
        try:
            return data.decode("cp1252" if codec in _AS_CP1252 else codec), 0
        except (UnicodeError, LookupError, ValueError):
            pass
    text = western_text(data)
    if text is not None:
        return text, 0
    best = from_bytes(data).best()
    if best is None:
        raise InputError("undecodable", "no text encoding fits these bytes")
    return str(best), 0


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    return decode_text(data, declared)[0]


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


def read_txt(data: bytes, source_path: str, limits: ReadLimits | None = None) -> ReadResult:
    """Plain text: the first non-empty line is the title, the rest is the body, with the
    publication line, byline, copyright and trailers lifted out (`ingest.plaintext`)."""
    text, repaired = decode_text(data)
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
                repaired=repaired,
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


def record_to_doc(obj: object, source_path: str, record: int, fmt: str, repaired: int = 0) -> RawDoc | Reject:
    """One JSON object -> RawDoc; the record's text is taken as it is, however short."""
    if not isinstance(obj, dict):
        return Reject(
            source_path, "bad_record", f"record is a JSON {type(obj).__name__}, not an object", record
        )
    text = _first(obj, _TEXT_KEYS)
    if text is None or (isinstance(text, str) and not text.strip()):
        return Reject(source_path, "empty", "record has no text", record)
    if not isinstance(text, str):
        return Reject(source_path, "bad_record", f"text is a JSON {_json_type(text)}, not a string", record)
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
        repaired=repaired,
    )


def _json_type(value: object) -> str:
    names = {bool: "boolean", int: "number", float: "number", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def safe_record(obj: object, source_path: str, record: int, fmt: str, repaired: int = 0) -> RawDoc | Reject:
    """`record_to_doc`, with any failure on this record (a value too deep to print) its reject."""
    try:
        return record_to_doc(obj, source_path, record, fmt, repaired)
    except Exception as exc:
        reason = "too_deep" if isinstance(exc, RecursionError) else "read_error"
        return Reject(source_path, reason, error_detail(exc), record)


def too_deep(obj: object, limit: int) -> bool:
    """Whether JSON arrays and objects nest deeper than `limit` (iterative: no recursion to overflow)."""
    stack = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def parse_json(text: str, limits: ReadLimits) -> object:
    """json.loads within the limits: a number of more digits than `max_number_digits` (int() of a
    5,000-digit literal raises, of a million digits takes minutes) and nesting deeper than
    `max_json_depth` raise InputError, as does invalid JSON."""

    def number(kind: type) -> object:
        def parse(literal: str) -> object:
            if len(literal) > limits.max_number_digits:
                raise InputError(
                    "bad_json", f"a number of {len(literal)} digits (limit {limits.max_number_digits})"
                )
            return kind(literal)

        return parse

    try:
        obj = json.loads(text, parse_int=number(int), parse_float=number(float))
    except json.JSONDecodeError as exc:
        raise InputError("bad_json", f"line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise InputError("too_deep", f"JSON nested deeper than {limits.max_json_depth} levels") from None
    if too_deep(obj, limits.max_json_depth):
        raise InputError("too_deep", f"JSON nested deeper than {limits.max_json_depth} levels")
    return obj


def _collect(items: Iterator[RawDoc | Reject]) -> ReadResult:
    out = ReadResult()
    for item in items:
        (out.docs if isinstance(item, RawDoc) else out.rejects).append(item)
    return out


def read_jsonl(data: bytes, source_path: str, limits: ReadLimits | None = None) -> ReadResult:
    """One object per line; a bad line is rejected on its own and its neighbours still read."""
    limits = limits or ReadLimits()
    text, repaired = decode_text(data)

    def records() -> Iterator[RawDoc | Reject]:
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = parse_json(line, limits)
            except InputError as exc:
                yield Reject(source_path, exc.reason, exc.detail, lineno)
                continue
            yield safe_record(obj, source_path, lineno, "jsonl", repaired)

    result = _collect(records())
    if not result.docs and not result.rejects:
        raise InputError("empty", "no JSON lines")
    return result


def read_json(data: bytes, source_path: str, limits: ReadLimits | None = None) -> ReadResult:
    """A JSON file holding one article object or a list of them."""
    text, repaired = decode_text(data)
    obj = parse_json(text, limits or ReadLimits())
    items = obj if isinstance(obj, list) else [obj]
    if not items:
        raise InputError("empty", "JSON list holds no records")
    return _collect(safe_record(item, source_path, i, "json", repaired) for i, item in enumerate(items))


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

    html, repaired = decode_text(data, charset or declared_charset(data))
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
        repaired=repaired,
    )


def read_html(data: bytes, source_path: str, limits: ReadLimits | None = None) -> ReadResult:
    """A saved web page: one article, or the reject `no_article`."""
    return ReadResult(docs=[html_to_doc(data, source_path)])


_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def read_warc(data: bytes, source_path: str, limits: ReadLimits | None = None) -> ReadResult:
    """Each HTTP response record with an HTML payload is an article, with the record's URL (and
    its capture date when the page states none); other records (requests, metadata, images,
    robots.txt) are not articles and are passed over. A file cut short or a damaged record ends
    the file with a reject; the articles read before it are kept.

    A gzipped archive decompresses within `limits.max_bytes` (a bomb is `too_large` at once), and
    so does each record's payload (HTTP gzip inside a record is a bomb too)."""
    from warcio.archiveiterator import ArchiveIterator

    limits = limits or ReadLimits()
    out = ReadResult()
    problem = None
    if data[:2] == b"\x1f\x8b":
        # Decompressed here rather than by warcio, which stops silently at a truncated member.
        data, problem = gunzip_prefix(data, limits.max_bytes)
    if data and data[:4096].lstrip(b"\r\n\t ")[:5] != b"WARC/":
        # warcio would read 30 MB of zeros line by line before saying so (55 s).
        if problem is None:
            raise InputError("bad_warc", "not a WARC file: it does not start with a WARC/ version line")
        data = b""
    records = iter(ArchiveIterator(io.BytesIO(data)))
    current = 0  # the number of the record being read, 1-based
    try:
        while True:
            current += 1
            rec = next(records, None)
            if rec is None:
                current -= 1
                break
            if rec.format != "warc":  # warcio reads any text as a lenient ARC record
                raise ValueError("not a WARC record")
            doc = _warc_record(rec, source_path, current, limits, out)
            check_complete(rec, current)
            if doc is not None:
                out.docs.append(doc)
    except Exception as exc:  # warcio raises assorted errors on damaged archives
        if problem is None:
            detail = f"record {current}: {error_detail(exc)}"
            out.rejects.append(Reject(source_path, "bad_warc", detail, current))
        else:
            out.rejects.append(Reject(source_path, problem.reason, problem.detail, current))
            problem = None
    if problem is not None:
        out.rejects.append(Reject(source_path, problem.reason, problem.detail, current + 1))
    if not out.docs and not out.rejects:
        raise InputError("no_article", f"no HTML response among {current} WARC records")
    return out


def _drain(stream) -> None:
    while stream.read(1 << 16):
        pass


class CutShort(ValueError):
    """A WARC record that ends before its declared length: the archive is damaged from here."""


def check_complete(rec, number: int) -> None:
    if getattr(rec.raw_stream, "limit", 0) > 0:
        url = rec.rec_headers.get_header("WARC-Target-URI")
        raise CutShort(f"record {number} ({url}) is cut short")


def _warc_record(rec, source_path: str, number: int, limits: ReadLimits, out: ReadResult) -> RawDoc | None:
    """The article of one WARC record, or None; a page that yields none is a reject of its own.
    Every record is read to its end, so a cut inside an image is seen like one inside a page."""
    ctype = (rec.http_headers.get_header("Content-Type") or "") if rec.http_headers is not None else ""
    if rec.rec_type != "response" or "html" not in ctype.lower():
        _drain(rec.raw_stream)
        return None
    url = rec.rec_headers.get_header("WARC-Target-URI")
    try:
        payload = rec.content_stream().read(limits.max_bytes + 1)
        if len(payload) > limits.max_bytes:
            _drain(rec.raw_stream)
            raise InputError("too_large", f"payload decompresses to more than {limits.max_bytes} bytes")
        check_complete(rec, number)
        m = _CHARSET.search(ctype)
        return html_to_doc(
            payload,
            source_path,
            number,
            url=url,
            charset=m.group(1) if m else None,
            fallback_date=rec.rec_headers.get_header("WARC-Date"),
            fmt="warc",
        )
    except InputError as exc:
        out.rejects.append(Reject(source_path, exc.reason, short_detail(f"{url}: {exc.detail}"), number))
    except CutShort:
        raise
    except Exception as exc:  # one page's failure is its own reject; the archive reads on
        detail = short_detail(f"{url}: {error_detail(exc)}")
        out.rejects.append(Reject(source_path, "read_error", detail, number))
    _drain(rec.raw_stream)
    return None


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


def read_bytes(data: bytes, source_path: str, max_bytes: int | ReadLimits | None = None) -> ReadResult:
    """Dispatch on the file name; every failure of the whole file becomes one Reject, whatever
    its exception type (a reader's bug on one odd input must not stop the night's run)."""
    limits = limits_of(max_bytes)
    try:
        fmt = format_of(source_path)
        if fmt is None:
            raise InputError("unsupported", "no reader for this file type")
        # A gzipped WARC is decompressed by read_warc, which keeps the records before a cut.
        if source_path.lower().endswith(".gz") and fmt != "warc":
            data = gunzip(data, limits.max_bytes)
        if not data.strip():
            raise InputError("empty", "file is empty")
        if fmt != "warc" and looks_binary(data):
            raise InputError("binary", "file holds binary data, not text")
        return READERS[fmt](data, source_path, limits)
    except InputError as exc:
        return ReadResult(rejects=[Reject(source_path, exc.reason, short_detail(exc.detail))])
    except RecursionError as exc:
        return ReadResult(rejects=[Reject(source_path, "too_deep", error_detail(exc))])
    except MemoryError as exc:
        return ReadResult(rejects=[Reject(source_path, "too_large", error_detail(exc))])
    except Exception as exc:
        return ReadResult(rejects=[Reject(source_path, "read_error", error_detail(exc))])


_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_file(path: Path, source_path: str, max_bytes: int | ReadLimits) -> ReadResult:
    """Read one regular file from disk; I/O errors, special files and oversize files are rejects.

    Only regular files are opened (a FIFO would block the read forever; a symlink to /dev/zero
    says size 0 and never ends), never more than `max_bytes` + 1 bytes are read whatever the size
    said, and the identity the ledger keeps is the opened file's, taken before reading.
    """
    limits = limits_of(max_bytes)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(21, "Is a directory", str(path))
            reject = Reject(source_path, "special_file", f"{_kind(st.st_mode)}, not a regular file")
            return ReadResult(rejects=[reject], identity=(st.st_size, st.st_mtime_ns))
        if st.st_size > limits.max_bytes:
            reject = Reject(source_path, "too_large", f"{st.st_size} bytes > limit {limits.max_bytes}")
            return ReadResult(rejects=[reject], identity=(st.st_size, st.st_mtime_ns))
        # O_NONBLOCK: should the file have become a FIFO since the stat, opening it does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            identity = (st.st_size, st.st_mtime_ns)
            if not stat.S_ISREG(st.st_mode):
                reject = Reject(source_path, "special_file", f"{_kind(st.st_mode)}, not a regular file")
                return ReadResult(rejects=[reject], identity=identity)
            data = fh.read(limits.max_bytes + 1)
    except OSError as exc:
        return ReadResult(rejects=[Reject(source_path, "unreadable", error_detail(exc))])
    if len(data) > limits.max_bytes:
        reject = Reject(source_path, "too_large", f"more than the limit of {limits.max_bytes} bytes read")
        return ReadResult(rejects=[reject], identity=identity)
    result = read_bytes(data, source_path, limits)
    result.identity = identity
    return result
