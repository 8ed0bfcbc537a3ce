"""WARC archives: each HTML response record is an article (ingest.readers.read_warc)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from newsevents.tasks.ingest.clean import clean_doc
from newsevents.tasks.ingest.readers import read_bytes
from tests.conftest import SAMPLES
from tests.ingest.warcs import build_warc


def html(title: str, paras: list[str], head: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    page = f"<html><head><title>{title}</title>{head}</head><body><h1>{title}</h1>{body}</body></html>"
    return page.encode()


STORY_A = [
    "The central bank raised its main interest rate by half a point on Thursday, the third rise this "
    "year, as inflation climbed to its highest level in a decade.",
    "Governor Elena Sousa said further increases could not be ruled out if energy prices kept rising.",
]
STORY_B = [
    "Rescue teams searched through the night for 14 fishermen missing since their boat capsized in a "
    "storm off the northern coast, the coastguard said on Friday.",
    "Relatives gathered at the harbour as two navy vessels and a helicopter joined the search.",
]


def test_each_html_response_is_an_article_with_its_url():
    data = build_warc(
        [
            ("https://news.example.com/a", html("Bank raises rates", STORY_A), "text/html; charset=utf-8"),
            ("https://news.example.com/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
            ("https://news.example.com/robots.txt", b"User-agent: *\n", "text/plain"),
            ("https://news.example.com/b", html("Fishermen missing", STORY_B), "text/html"),
        ]
    )
    res = read_bytes(data, "crawl/CC-NEWS-01.warc.gz")
    assert not res.rejects
    assert [d.url for d in res.docs] == ["https://news.example.com/a", "https://news.example.com/b"]
    arts = [clean_doc(d) for d in res.docs]
    assert arts[0].title == "Bank raises rates" and arts[0].text.split("\n\n") == STORY_A
    assert arts[1].source_format == "warc"
    # No date on the page: the capture date of the record stands in.
    assert arts[1].published_at == datetime(2025, 4, 16, 9, 30, tzinfo=UTC)
    # Records of one file get distinct ids.
    assert arts[0].article_id != arts[1].article_id


def test_page_date_wins_over_capture_date_and_uncompressed_warc_reads():
    head = '<meta property="article:published_time" content="2025-04-15T18:00:00Z">'
    data = build_warc([("https://n.example.com/a", html("Bank", STORY_A, head), "text/html")], gzip=False)
    (doc,) = read_bytes(data, "crawl.WARC").docs
    assert clean_doc(doc).published_at == datetime(2025, 4, 15, 18, 0, tzinfo=UTC)


def test_response_without_article_is_rejected_alone():
    nav = "".join(f'<li><a href="/{i}">Section {i}</a></li>' for i in range(20))
    data = build_warc(
        [
            ("https://n.example.com/", f"<html><body><ul>{nav}</ul></body></html>".encode(), "text/html"),
            ("https://n.example.com/b", html("Fishermen missing", STORY_B), "text/html"),
        ]
    )
    res = read_bytes(data, "c.warc.gz")
    assert [d.url for d in res.docs] == ["https://n.example.com/b"]
    assert [r.reason for r in res.rejects] == ["no_article"]
    assert "https://n.example.com/" in res.rejects[0].detail


def test_truncated_warc_keeps_the_records_before_the_cut():
    whole = build_warc(
        [
            ("https://n.example.com/a", html("Bank raises rates", STORY_A), "text/html"),
            ("https://n.example.com/b", html("Fishermen missing", STORY_B), "text/html"),
        ]
    )
    res = read_bytes(whole[: len(whole) - 200], "c.warc.gz")
    assert [d.url for d in res.docs] == ["https://n.example.com/a"]
    assert [r.reason for r in res.rejects] == ["truncated_gzip"]


def test_uncompressed_warc_cut_inside_a_record_is_rejected_after_its_neighbours():
    whole = build_warc(
        [
            ("https://n.example.com/a", html("Bank raises rates", STORY_A), "text/html"),
            ("https://n.example.com/b", html("Fishermen missing", STORY_B), "text/html"),
        ],
        gzip=False,
    )
    res = read_bytes(whole[: len(whole) - 200], "c.warc")
    assert [d.url for d in res.docs] == ["https://n.example.com/a"]
    assert [r.reason for r in res.rejects] == ["bad_warc"]


def test_not_a_warc_is_rejected():
    res = read_bytes(gzip.compress(b"this is not a web archive\n" * 20), "c.warc.gz")
    assert not res.docs and [r.reason for r in res.rejects] == ["bad_warc"]


def test_sample_crawl_in_data_samples():
    res = read_bytes((SAMPLES / "web" / "herald_crawl.warc.gz").read_bytes(), "web/herald_crawl.warc.gz")
    assert not res.rejects and len(res.docs) == 1
    art = clean_doc(res.docs[0])
    assert art.title == "Wildfire forces evacuation of hill villages near Sarona"
    assert art.authors == ["Lena Hart"]
    assert "Share this article" not in art.text
