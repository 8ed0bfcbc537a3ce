from __future__ import annotations

import gzip
import json

import pytest

from tasks.ingest import format_of, inner_name, looks_binary, read_bytes, read_file


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
        (gzip.compress(b"Title\n\nBody")[:-10], "t.txt.gz", "bad_gzip"),
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
