from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks.clean import article_id, clean_doc, content_hash, normalize_text, parse_published
from tasks.ingest import RawDoc
from tasks.schema import Article, Reject


def test_normalize_keeps_paragraphs_and_quotes():
    raw = "First  line\t here.\r\n\r\n\r\n\u2018Quoted,\u2019 he said.  \n"
    assert normalize_text(raw) == "First line here.\n\n\u2018Quoted,\u2019 he said."


def test_normalize_is_nfc():
    assert normalize_text("Cafe\u0301") == "Caf\u00e9"


def test_content_hash_folds_case_space_and_quote_style():
    a = "\u201cWe will win,\u201d he said.\n\nThe End."
    b = '"we  will WIN," he said. the end.'
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash("We will lose, he said.")


def test_article_id_is_stable_and_content_sensitive():
    h = content_hash("x")
    assert article_id("a.txt", 0, None, h) == article_id("a.txt", 0, None, h)
    assert article_id("a.txt", 0, None, h) != article_id("a.txt", 0, None, content_hash("y"))
    assert article_id("f.jsonl", 1, "id-1", h) != article_id("f.jsonl", 1, "id-2", h)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2015-05-20T05:00:00Z", datetime(2015, 5, 20, 5, 0, tzinfo=UTC)),
        ("2015-05-20", datetime(2015, 5, 20, tzinfo=UTC)),
        ("2025-03-19T21:30:00-03:00", datetime(2025, 3, 20, 0, 30, tzinfo=UTC)),
        ("May 20th, 2015 - 05:00 GMT", datetime(2015, 5, 20, 5, 0, tzinfo=UTC)),
        ("not a date", None),
        (None, None),
    ],
)
def test_parse_published(value, expected):
    assert parse_published(value) == expected


def test_clean_doc_builds_article_or_rejects_empty():
    art = clean_doc(RawDoc("a.txt", 0, " Body  text. ", title=" T ", authors=["By Jane Roe", "Jane Roe"]))
    assert isinstance(art, Article)
    assert art.text == "Body text." and art.title == "T" and art.authors == ["Jane Roe"]
    assert isinstance(clean_doc(RawDoc("b.txt", 0, " \n ")), Reject)
