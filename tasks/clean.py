"""Cleaning: raw records -> `Article`s with normalised text, parsed metadata and stable ids.

The cleaned `text` is the string every offset in every other dataset indexes, so everything
that changes characters happens here and nowhere later.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime

from dateutil import parser as dateparser

from tasks.ingest import RawDoc
from tasks.schema import Article, Reject

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def normalize_text(text: str) -> str:
    """NFC, one space inside lines, paragraphs kept as blank-line-separated blocks.

    Paragraph breaks survive because quotes continue across them; typographic quotes stay
    as written because claim extraction tells apostrophes from closing quotes by them.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _BLANKS.sub("\n\n", text).strip()


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
_WS = re.compile(r"\s+")


def content_key(text: str) -> str:
    """The body with case, whitespace and quote style folded: equal keys are exact duplicates."""
    return _WS.sub(" ", text.translate(_QUOTES).casefold()).strip()


def content_hash(text: str) -> str:
    return hashlib.sha1(content_key(text).encode("utf-8")).hexdigest()


def article_id(source_path: str, record: int, source_id: str | None, chash: str) -> str:
    """Stable across runs: the same record with the same content always gets the same id."""
    key = f"{source_path}\x1f{source_id if source_id is not None else record}\x1f{chash}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def parse_published(value: str | None) -> datetime | None:
    """A date or datetime string -> aware UTC datetime; naive values are read as UTC."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = dateparser.parse(value, fuzzy=True)
        except (ValueError, OverflowError):
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def clean_authors(authors: list[str]) -> list[str]:
    out: list[str] = []
    for name in authors:
        name = normalize_text(name)
        name = re.sub(r"^by\s+", "", name, flags=re.IGNORECASE).strip(" ,;")
        if name and name not in out:
            out.append(name)
    return out


def clean_doc(raw: RawDoc) -> Article | Reject:
    """Normalise one record; a record whose body is empty after cleaning is rejected."""
    text = normalize_text(raw.text)
    if not text:
        return Reject(raw.source_path, "empty", "body is empty after cleaning", raw.record)
    chash = content_hash(text)
    title = normalize_text(raw.title) if raw.title else None
    return Article(
        article_id=article_id(raw.source_path, raw.record, raw.source_id, chash),
        source_path=raw.source_path,
        source_id=raw.source_id,
        text=text,
        title=title or None,
        published_at=parse_published(raw.published),
        authors=clean_authors(raw.authors),
        publisher=raw.publisher,
        url=raw.url,
        language=raw.language,
        source_format=raw.source_format,
        content_hash=chash,
    )
