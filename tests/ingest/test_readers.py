from __future__ import annotations

import gzip
import json
import re

import pytest

from newsevents.tasks.ingest.readers import (
    REJECT_REASONS,
    format_of,
    inner_name,
    looks_binary,
    read_bytes,
    read_file,
    western_text,
)
from tests.conftest import ROOT


def test_txt_title_is_first_nonempty_line_and_body_keeps_paragraphs():
    data = b"\n\nTitle here\n\nFirst para.\n\nSecond para.\n"
    res = read_bytes(data, "a.txt")
    assert not res.rejects
    (doc,) = res.docs
    assert doc.title == "Title here"
    assert "First para.\n\nSecond para." in doc.text


def test_extension_is_case_insensitive_and_gzip_is_unwrapped():
    data = gzip.compress(b"Headline\n\nBody text.")
    assert format_of("X/STORY.TXT.GZ") == "txt"
    assert inner_name("a/B.JSONL.GZ") == "b.jsonl"
    (doc,) = read_bytes(data, "X/STORY.TXT.GZ").docs
    assert doc.title == "Headline"


def test_jsonl_bad_line_is_rejected_alone():
    lines = [
        json.dumps({"id": "1", "text": "One sentence."}),
        "{not json",
        json.dumps({"id": "3", "text": "Three.", "title": "T", "published_at": "2024-01-02"}),
    ]
    res = read_bytes("\n".join(lines).encode(), "f.jsonl")
    assert [d.source_id for d in res.docs] == ["1", "3"]
    assert [(r.reason, r.record) for r in res.rejects] == [("bad_json", 2)]


def test_jsonl_short_text_is_kept_as_is():
    res = read_bytes(json.dumps({"id": "x", "text": "Rain."}).encode(), "f.jsonl")
    assert res.docs[0].text == "Rain."


def test_json_list_and_newsplease_keys():
    items = [{"id": "a", "text": "A body."}, {"maintext": "B body.", "date_publish": "2020-05-01 10:00:00"}]
    res = read_bytes(json.dumps(items).encode(), "f.json")
    assert [d.text for d in res.docs] == ["A body.", "B body."]
    assert res.docs[1].published == "2020-05-01 10:00:00"


@pytest.mark.parametrize(
    "data, name, reason",
    [
        (b"", "e.txt", "empty"),
        (b"   \n\n ", "e.txt", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "p.txt", "binary"),
        (gzip.compress(b"Title\n\nBody")[:-10], "t.txt.gz", "truncated_gzip"),
        (b"not a gzip", "t.txt.gz", "bad_gzip"),
        (b"{broken", "f.json", "bad_json"),
        (b"data", "f.pdf", "unsupported"),
    ],
)
def test_whole_file_rejects(data, name, reason):
    res = read_bytes(data, name)
    assert not res.docs
    assert [r.reason for r in res.rejects] == [reason]
    assert res.rejects[0].detail


def test_empty_json_record_is_rejected():
    res = read_bytes(b'{"id": "z", "text": ""}\n', "f.jsonl")
    assert [r.reason for r in res.rejects] == ["empty"]


def test_read_file_too_large_and_missing(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"T\n\n" + b"x" * 100)
    assert read_file(big, "big.txt", max_bytes=10).rejects[0].reason == "too_large"
    assert read_file(tmp_path / "gone.txt", "gone.txt", max_bytes=10).rejects[0].reason == "unreadable"


def test_looks_binary():
    assert looks_binary(b"abc\x00def")
    assert not looks_binary("Plain text with a pound sign £".encode())


# ---------------------------------------------------------------- encodings

RUSSIAN = "Восемь человек погибли при пожаре в жилом доме в Москве, сообщили спасатели."
POUND_LATIN1 = "Council approves £12m plan to rebuild flooded high street\n\nThe £12m plan was approved."


@pytest.mark.parametrize(
    "data, expected",
    [
        # Latin-1: one 0xA3 pound byte (the BBC sport/199.txt case charset-normalizer reads as cp932).
        (POUND_LATIN1.encode("latin-1"), "The £12m plan was approved."),
        # cp1252 typographic quotes and a euro sign.
        (
            "Title\n\n\u201cWe will pay \u20ac5m,\u201d he said.".encode("cp1252"),
            "\u201cWe will pay \u20ac5m,\u201d he said.",
        ),
        # UTF-8 with and without a byte-order mark, UTF-16 with one.
        ("Title\n\nCaf\u00e9 owners protest.".encode("utf-8-sig"), "Caf\u00e9 owners protest."),
        ("Title\n\nCaf\u00e9 owners protest.".encode("utf-16"), "Caf\u00e9 owners protest."),
        # Dense non-Latin legacy encodings still go to charset-normalizer.
        (f"Заголовок\n\n{RUSSIAN}".encode("cp1251"), RUSSIAN),
    ],
)
def test_txt_encodings(data, expected):
    (doc,) = read_bytes(data, "a.txt").docs
    assert doc.text.strip() == expected


def test_polish_cp1250_is_not_read_as_cp1252():
    text = "Tytuł\n\nRząd ogłosił, że władze miasta zapłacą za naprawę mostu w przyszłym tygodniu."
    assert western_text(text.encode("cp1250")) is None


# ---------------------------------------------------------------- plain text metadata


def test_txt_lifts_dateline_byline_copyright_and_trailer():
    data = (
        "Port strike halts container traffic\n\n"
        "Published April 16th, 2025 - 06:45 GMT\n\n"
        "More than 1,200 dock workers walked out on Wednesday.\n\n"
        "\u2018We are not asking for a fortune,\u2019 the union said.\n\n"
        "By Priya Raman\n\n"
        "\u00a9 Example Courier Ltd.\n\n"
        "You may also like\n"
    ).encode()
    (doc,) = read_bytes(data, "strike.txt").docs
    assert doc.title == "Port strike halts container traffic"
    assert doc.published == "April 16th, 2025 - 06:45 GMT"
    assert doc.authors == ["Priya Raman"] and doc.publisher == "Example Courier Ltd."
    assert doc.text.strip() == (
        "More than 1,200 dock workers walked out on Wednesday.\n\n"
        "\u2018We are not asking for a fortune,\u2019 the union said."
    )


# ---------------------------------------------------------------- JSON keys


def test_newsplease_record():
    rec = {
        "title": "Grain deal signed",
        "maintext": "Ukraine and Poland signed a grain transit agreement.",
        "date_publish": "2024-11-20 08:00:00",
        "authors": ["Marta Nowak"],
        "url": "https://example.org/grain",
        "source_domain": "example.org",
        "language": "en",
    }
    (doc,) = read_bytes(json.dumps(rec).encode(), "np.json").docs
    assert (doc.title, doc.published, doc.authors, doc.url, doc.publisher, doc.language) == (
        "Grain deal signed",
        "2024-11-20 08:00:00",
        ["Marta Nowak"],
        "https://example.org/grain",
        "example.org",
        "en",
    )


def test_jsonl_text_is_not_lifted_or_cut():
    # A record's text is the body as given: a "By ..." line in it is the record's business.
    text = "By Jane Roe\n\nThe minister resigned."
    (doc,) = read_bytes(json.dumps({"id": "1", "text": text}).encode(), "f.jsonl").docs
    assert doc.text == text


# ---------------------------------------------------------------- one test per reject reason

CORRUPT_GZIP = (lambda g: g[:12] + b"\xff" * 8 + g[20:])(gzip.compress(b"<html>hello world</html>" * 40))


@pytest.mark.parametrize(
    "data, name, reason",
    [
        (b"", "e.txt", "empty"),
        (b"\n \n", "e.html", "empty"),
        (b"[]", "e.json", "empty"),
        (b"\x00\x01\x02\x03binary\x00\x00", "b.jsonl", "binary"),
        (b"\x1b" * 10 + bytes(range(0x80, 0x100)), "u.txt", "undecodable"),
        (b'{"id": 1, "text": "x"', "f.json", "bad_json"),
        (b"<html><body><ul><li><a href='/'>Home</a></li></ul></body></html>", "i.html", "no_article"),
        (gzip.compress(b"<html><body>x</body></html>")[:-12], "p.HTML.GZ", "truncated_gzip"),
        (CORRUPT_GZIP, "p.html.gz", "bad_gzip"),
        (b"MZ\x90\x00", "a.exe", "unsupported"),
    ],
)
def test_every_reject_reason(data, name, reason):
    res = read_bytes(data, name)
    assert not res.docs
    assert [r.reason for r in res.rejects] == [reason]
    assert res.rejects[0].detail


def test_bad_record_in_a_json_list_is_rejected_alone():
    res = read_bytes(json.dumps([{"text": "Kept."}, ["not", "an", "object"]]).encode(), "l.json")
    assert [d.text for d in res.docs] == ["Kept."]
    assert [(r.reason, r.record) for r in res.rejects] == [("bad_record", 1)]


def test_decompressed_size_counts_against_the_limit():
    data = gzip.compress(b"Title\n\n" + b"word " * 10_000)
    assert read_bytes(data, "big.txt.gz", max_bytes=1_000).rejects[0].reason == "too_large"


def test_unreadable_directory_is_a_reject(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    assert read_file(tmp_path / "dir.txt", "dir.txt", max_bytes=10_000).rejects[0].reason == "unreadable"


def test_reject_reasons_are_the_documented_ones():
    source = (ROOT / "tasks" / "ingest" / "readers.py").read_text(encoding="utf-8")
    used = set(re.findall(r'(?:InputError|Reject)\([^,()]*?"([a-z_]+)"', source))
    used |= set(re.findall(r'Reject\(\s*source_path,\s*"([a-z_]+)"', source))
    assert used and used <= set(REJECT_REASONS)
    docs = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    assert all(f"`{reason}`" in docs for reason in REJECT_REASONS)
