"""Cleaning: raw records -> `Article`s with repaired, normalised text, parsed metadata and stable ids.

The cleaned `text` is the string every offset in every other dataset indexes, so everything
that changes characters happens here and nowhere later.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from newsevents.tasks.ingest.dates import parse_published
from newsevents.tasks.ingest.language import detect_language
from newsevents.tasks.ingest.plaintext import AGENCIES, split_names
from newsevents.tasks.ingest.readers import RawDoc
from newsevents.tasks.records import Article, Reject

__all__ = ["clean_doc", "content_hash", "normalize_text", "parse_published", "repair_text", "safe_clean"]

_BLANKS = re.compile(r"\n{3,}")
# Zero-width characters, soft hyphens and control characters other than tab and newline.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# UTF-8 bytes read as cp1252: a lead byte 0xC2-0xF4 then a continuation byte 0x80-0xBF, as shown.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")


def repair_text(text: str) -> str:
    """Mojibake repaired with ftfy ("â€™" -> "’", "Ã©" -> "é"), stray HTML entities decoded,
    typographic quotes and full-width characters kept as written (claims tell apostrophes from
    quotes by them).

    ftfy costs milliseconds an article, so it runs only on text holding the signature of UTF-8
    read as cp1252/Latin-1 (a lead byte Â-ô followed by a continuation byte) or an entity;
    clean text passes through untouched.
    """
    if text.isascii():
        if "&" not in text or not _ENTITY.search(text):
            return text
    elif not _MOJIBAKE.search(text) and not ("&" in text and _ENTITY.search(text)):
        return text
    import ftfy

    return ftfy.fix_text(
        text,
        uncurl_quotes=False,
        fix_character_width=False,
        fix_line_breaks=False,
        normalization="NFC",
        explain=False,
    )


def normalize_text(text: str) -> str:
    """NFC, one space inside lines, paragraphs kept as blank-line-separated blocks.

    Paragraph breaks survive because quotes continue across them; typographic quotes stay
    as written because claim extraction tells apostrophes from closing quotes by them.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    # str.split() knows every Unicode space (no-break, ideographic, thin...): one space inside lines.
    text = "\n".join([" ".join(line.split()) for line in text.split("\n")])
    return _BLANKS.sub("\n\n", text).strip()


def clean_line(text: str | None) -> str | None:
    """A one-line field (title, publisher): repaired, whitespace collapsed, None when empty."""
    if not text:
        return None
    return " ".join(repair_text(text).split()) or None


_QUOTES = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("`", "'"))


def content_key(text: str) -> str:
    """The body with case, whitespace and quote style folded: equal keys are exact duplicates."""
    for curly, straight in _QUOTES:  # str.replace is a C loop; str.translate with a dict is not
        text = text.replace(curly, straight)
    return " ".join(text.casefold().split())


def content_hash(text: str) -> str:
    return hashlib.sha1(content_key(text).encode("utf-8")).hexdigest()


def article_id(source_path: str, record: int, source_id: str | None, chash: str) -> str:
    """Stable across runs: the same record with the same content always gets the same id."""
    key = f"{source_path}\x1f{source_id if source_id is not None else record}\x1f{chash}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


_NOT_A_NAME = re.compile(r"https?://|www\.|@|\d{3}|^[\W\d_]+$")
_BY = re.compile(r"^by\s*:?\s+", re.IGNORECASE)


def clean_authors(authors: list[str], publisher: str | None = None) -> list[str]:
    """Bylines -> person names: no "By", no agency or publisher ("By Lena Hart, Valley Herald" ->
    "Lena Hart"), one name an entry ("Jane Roe and John Doe" -> two), no URLs or handles."""
    out: list[str] = []
    seen: set[str] = {publisher.casefold()} if publisher else set()
    for raw in authors:
        value = _BY.sub("", " ".join(repair_text(raw).split())).strip(" ,;|")
        if not value or _NOT_A_NAME.search(value) or value.casefold() in AGENCIES:
            continue
        names = split_names(value) if re.search(r",|;|&|\band\b", value) else None
        for name in names if names is not None else [value]:
            if len(name.split()) > 6 or name.casefold() in seen:
                continue
            seen.add(name.casefold())
            out.append(name)
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> tuple[str, int]:
    """Lone surrogates ("\\ud800" in a JSON string) replaced by U+FFFD, and how many: no UTF-8
    encoder, so neither the content hash nor Parquet, accepts them."""
    if text.isascii():
        return text, 0
    n = len(_SURROGATE.findall(text))
    return (_SURROGATE.sub("\ufffd", text), n) if n else (text, 0)


def _scrubbed(raw: RawDoc) -> tuple[RawDoc, int]:
    """`raw` with every string field free of lone surrogates, and the count replaced."""
    total = 0

    def scrub(value: str | None) -> str | None:
        nonlocal total
        if value is None:
            return None
        out, n = without_surrogates(value)
        total += n
        return out

    fields = {
        "text": scrub(raw.text),
        "source_id": scrub(raw.source_id),
        "title": scrub(raw.title),
        "published": scrub(raw.published),
        "authors": [scrub(a) for a in raw.authors],
        "publisher": scrub(raw.publisher),
        "url": scrub(raw.url),
        "language": scrub(raw.language),
    }
    if not total:
        return raw, 0
    return RawDoc(
        source_path=raw.source_path,
        record=raw.record,
        source_format=raw.source_format,
        repaired=raw.repaired,
        **fields,
    ), total


def clean_doc(raw: RawDoc) -> Article | Reject:
    """Normalise one record; a record whose body is empty after cleaning is rejected."""
    raw, n_surrogates = _scrubbed(raw)
    text = normalize_text(repair_text(raw.text))
    if not text:
        return Reject(raw.source_path, "empty", "body is empty after cleaning", raw.record)
    chash = content_hash(text)
    publisher = clean_line(raw.publisher)
    return Article(
        article_id=article_id(raw.source_path, raw.record, raw.source_id, chash),
        source_path=raw.source_path,
        source_id=raw.source_id,
        text=text,
        title=clean_line(raw.title),
        published_at=parse_published(raw.published),
        authors=clean_authors(raw.authors, publisher),
        publisher=publisher,
        url=raw.url.strip() if raw.url and raw.url.strip() else None,
        language=detect_language(text, raw.language),
        source_format=raw.source_format,
        content_hash=chash,
        repaired_chars=raw.repaired + n_surrogates,
    )


def safe_clean(raw: RawDoc) -> Article | Reject:
    """`clean_doc`, with any failure on this record its reject (`read_error`, the exception named)."""
    from newsevents.tasks.ingest.readers import error_detail

    try:
        return clean_doc(raw)
    except Exception as exc:
        return Reject(raw.source_path, "read_error", error_detail(exc), raw.record)
