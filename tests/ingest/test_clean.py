from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsevents.tasks.ingest.clean import (
    article_id,
    clean_authors,
    clean_doc,
    content_hash,
    normalize_text,
    parse_published,
    repair_text,
)
from newsevents.tasks.ingest.readers import RawDoc
from newsevents.tasks.records import Article, Reject


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


@pytest.mark.parametrize(
    "raw, expected",
    [
        # UTF-8 read as cp1252 (the Times of India dump): repaired, curly quotes kept curly.
        (
            "the proposed \u00e2\u20ac\u02dcbhoomi pujan\u00e2\u20ac\u2122, he said",
            "the proposed ‘bhoomi pujan’, he said",
        ),
        ("Caf\u00c3\u00a9 owners and\u00c2\u00a0staff", "Café owners and\u00a0staff"),
        ("Tom &amp; Jerry &#8211; the sequel", "Tom & Jerry – the sequel"),
        # Clean text is left exactly as it is.
        (
            "\u2018Quoted,\u2019 he said \u2013 in \u00a3 and \u20ac.",
            "\u2018Quoted,\u2019 he said \u2013 in \u00a3 and \u20ac.",
        ),
        ("米朝首脳直通電話\u3000（写真＝ロイター）", "米朝首脳直通電話\u3000（写真＝ロイター）"),
        ("AT&T shares rose.", "AT&T shares rose."),
    ],
)
def test_repair_text(raw, expected):
    assert repair_text(raw) == expected


@pytest.mark.parametrize(
    "authors, publisher, expected",
    [
        (["By Jane Roe"], None, ["Jane Roe"]),
        (["Jane Roe and John Doe"], None, ["Jane Roe", "John Doe"]),
        (["Jane Roe, Reuters"], None, ["Jane Roe"]),
        (["Reuters"], None, []),
        (["Lena Hart", "Valley Herald"], "Valley Herald", ["Lena Hart"]),
        (["https://www.facebook.com/janeroe", "@janeroe", "Jane Roe"], None, ["Jane Roe"]),
        (["Jane Roe", "JANE ROE", "jane roe"], None, ["Jane Roe"]),
        (["日本経済新聞社"], None, ["日本経済新聞社"]),
    ],
)
def test_clean_authors(authors, publisher, expected):
    assert clean_authors(authors, publisher) == expected


def test_short_english_record_is_not_called_another_language():
    art = clean_doc(RawDoc("f.jsonl", 1, "Gunmen kill 12 in Mali.", source_format="jsonl"))
    assert art.language in (None, "en")


def test_clean_doc_language_and_metadata():
    raw = RawDoc(
        "a.html",
        0,
        "Los ministros acordaron el lunes imponer sanciones a veinticinco funcionarios por la "
        "represión de la oposición, según informó el jefe de la diplomacia comunitaria. El "
        "Gobierno de Minsk calificó la decisión de injerencia en sus asuntos internos.",
        title=" Sanciones\u00a0a Minsk ",
        published="2025-03-19T21:30:00-03:00",
        publisher="  Diario   Ejemplo ",
        url=" https://example.es/a ",
    )
    art = clean_doc(raw)
    assert (art.language, art.title, art.publisher, art.url) == (
        "es",
        "Sanciones a Minsk",
        "Diario Ejemplo",
        "https://example.es/a",
    )
    assert art.published_at == datetime(2025, 3, 20, 0, 30, tzinfo=UTC)
