"""No single input can stop a run: every shape of bad input is an article or a reject, never an
exception (issue 19). The shapes are the ones a reliability test found; the property test
fuzzes around them."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import zlib

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

# Only names that existed before issue 19 at module level, so each test fails on its own there.
from newsevents.tasks.ingest.clean import clean_doc
from newsevents.tasks.ingest.readers import REJECT_REASONS, read_bytes, read_file
from newsevents.tasks.records import Article, Reject
from newsevents.tasks.store.schema import ARTICLES, REJECTS, to_table
from tests.ingest.warcs import build_warc

STORY = (
    "<html><head>{meta}<title>Harbour strike ends</title></head><body><article><h1>Harbour strike ends"
    "</h1><p>{body}</p><p>Dock workers returned to the harbour on Monday after a week-long strike, "
    "the union said in a statement, and the first ships were unloaded by the afternoon.</p>"
    "<p>The port authority said it expected the backlog to clear by the end of the week.</p>"
    "</article></body></html>"
)
UTF8_WITH_ONE_LATIN1 = "The minister’s “plan” was approved, officials said. ".encode() * 5 + b"Caf\xe9."

# The reproducers: (file name, bytes) and what each must become.
SHAPES = {
    "deep_json": ("a.json", b"[" * 100_000 + b"\n"),
    "huge_int": ("a.json", b'{"id":' + b"9" * 5000 + b',"text":"x said"}\n'),
    "lone_surrogate": ("a.jsonl", b'{"text":"He said \\ud800 it."}\n'),
    "year_one_offset": ("a.json", b'{"published_at":"0001-01-01T00:00:00+05:00","text":"He said it."}'),
    "absurd_time": (
        "a.txt",
        b"T\n\nPublished 2 March 2015 10:111111111111111111111111111105 GMT\n\nHe said it.\n",
    ),
    "rot13_charset": (
        "a.html",
        STORY.format(meta='<meta charset="rot13">', body="Caf\xe9 owners said.").encode("latin-1"),
    ),
    "stray_latin1": ("m.txt", UTF8_WITH_ONE_LATIN1),
    "numeric_text": ("n.jsonl", b'{"text": 12345}\n'),
}


def read_clean(data: bytes, name: str) -> tuple[list[Article], list[Reject]]:
    res = read_bytes(data, name)
    arts, rejects = [], list(res.rejects)
    for raw in res.docs:
        out = clean_doc(raw)
        (arts if isinstance(out, Article) else rejects).append(out)
    return arts, rejects


@pytest.mark.parametrize(
    "shape, reason",
    [("deep_json", "too_deep"), ("huge_int", "bad_json"), ("numeric_text", "bad_record")],
)
def test_unrecoverable_shapes_are_rejects_with_a_reason(shape, reason):
    arts, rejects = read_clean(*reversed(SHAPES[shape]))
    assert not arts
    assert [r.reason for r in rejects] == [reason]
    assert rejects[0].detail and len(rejects[0].detail) < 200


def test_a_numeric_text_is_not_called_empty():
    (rej,) = read_bytes(b'{"text": 12345}\n{"text": ""}\n', "n.jsonl").rejects[:1]
    assert (rej.reason, rej.detail) == ("bad_record", "text is a JSON number, not a string")


def test_lone_surrogate_is_replaced_and_counted():
    (art,), rejects = read_clean(SHAPES["lone_surrogate"][1], "a.jsonl")
    assert not rejects
    assert art.text == "He said \ufffd it." and art.repaired_chars == 1
    to_table([art], ARTICLES, run_id="r", extractor_version="v")  # storable: Arrow refuses surrogates


@pytest.mark.parametrize("shape", ["year_one_offset", "absurd_time"])
def test_placeholder_and_absurd_dates_are_no_date(shape):
    name, data = SHAPES[shape]
    (art,), rejects = read_clean(data, name)
    assert not rejects and art.text == "He said it." and art.published_at is None


def test_unknown_or_non_text_charset_declaration_is_ignored():
    name, data = SHAPES["rot13_charset"]
    (art,), rejects = read_clean(data, name)
    assert not rejects and "Café owners said." in art.text
    assert read_clean(data.replace(b"rot13", b"no-such-charset"), name)[0][0].text == art.text


def test_utf8_with_one_stray_byte_stays_utf8_and_the_repair_is_counted():
    from newsevents.tasks.ingest.readers import decode_text

    (art,), _ = read_clean(UTF8_WITH_ONE_LATIN1, "m.txt")
    assert art.text.startswith("The minister’s “plan” was approved")
    assert art.text.endswith("Café.") and "‚Äô" not in art.text
    assert art.repaired_chars == 1
    assert decode_text(b"Clean \xe2\x80\x9cUTF-8\xe2\x80\x9d") == ("Clean “UTF-8”", 0)
    # Latin-1 text (no valid UTF-8 sequence at all) is still read as Latin-1, not "repaired".
    latin1 = "The café owners said the council approved the plan on Monday evening."
    assert decode_text(latin1.encode("latin-1")) == (latin1, 0)


def test_non_utf8_file_name_is_stored_with_escapes(tmp_path):
    from newsevents.tasks.ingest.readers import printable_path

    name = os.fsdecode(b"x\xe9.txt")
    path = tmp_path / name
    path.write_bytes(b"Title\n\nThe minister said the plan was approved.\n")
    source = printable_path(name)
    assert source == "x\\xe9.txt"
    (raw,) = read_file(path, source, 10_000).docs
    art = clean_doc(raw)
    to_table([art], ARTICLES, run_id="r", extractor_version="v")


# ---------------------------------------------------------------- special files and limits


def _read_in_child(path, max_bytes: int = 10_000, timeout: float = 20) -> str:
    """read_file in a child process with a memory cap and a timeout: the old reader blocked on a
    FIFO forever and read a symlink to /dev/zero until memory ran out."""
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
        "from pathlib import Path; from newsevents.tasks.ingest.readers import read_file;"
        f"r = read_file(Path(sys.argv[1]), 'x.txt', {max_bytes});"
        "print(r.rejects[0].reason if r.rejects else 'read')"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "hung"
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


def test_fifo_and_symlink_to_dev_zero_are_special_files_never_read(tmp_path):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    assert _read_in_child(fifo) == "special_file"
    assert _read_in_child(zero) == "special_file"
    res = read_file(fifo, "fifo.txt", 10_000)
    assert "FIFO" in res.rejects[0].detail and res.identity is not None


def test_read_budget_holds_when_the_size_lies(tmp_path, monkeypatch):
    """A file that grows after its stat (or a /proc file that says size 0) is read only to the limit."""
    path = tmp_path / "growing.txt"
    path.write_bytes(b"T\n\n" + b"word " * 1000)
    real_stat = os.stat

    def small_stat(p, *args, **kwargs):
        st = real_stat(p, *args, **kwargs)
        return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:]))

    monkeypatch.setattr(os, "stat", small_stat)
    res = read_file(path, "growing.txt", 100)
    assert [r.reason for r in res.rejects] == ["too_large"]


def test_warc_gzip_bomb_is_too_large_at_once():
    bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9)  # 20 kB -> 20 MB
    res = read_bytes(bomb, "crawl.warc.gz", max_bytes=1_000_000)
    assert [r.reason for r in res.rejects] == ["too_large"]
    assert (
        read_bytes(gzip.compress(b"\0" * 2_000_000), "crawl.txt.gz", 1_000_000).rejects[0].reason
        == "too_large"
    )


def test_zeros_named_warc_are_rejected_without_reading_them_line_by_line():
    res = read_bytes(b"\0" * 5_000_000, "crawl.warc")
    assert [r.reason for r in res.rejects] == ["bad_warc"]
    assert len(res.rejects[0].detail) < 200


def test_http_gzip_inside_a_warc_record_counts_against_the_limit():
    page = STORY.format(meta="", body="Bomb test.").encode()
    body = gzip.compress(page + b" " * 3_000_000)
    buf = io.BytesIO()
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(buf, gzip=False)
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], protocol="HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(
            "https://b.example/", "response", payload=io.BytesIO(body), http_headers=headers
        )
    )
    res = read_bytes(buf.getvalue(), "b.warc", max_bytes=1_000_000)
    assert [(r.reason, r.record) for r in res.rejects] == [("too_large", 1)]


# ---------------------------------------------------------------- WARC damage


def _page(title: str) -> bytes:
    return STORY.format(meta="", body=f"{title}: the minister said the plan was approved.").encode()


def test_warc_cut_inside_a_non_html_record_is_a_reject_with_its_number():
    whole = build_warc(
        [
            ("https://n.example/a", _page("A"), "text/html"),
            ("https://n.example/i.png", b"\x89PNG" + b"x" * 4000, "image/png"),
        ],
        gzip=False,
    )
    res = read_bytes(whole[:-2000], "c.warc")
    assert [d.url for d in res.docs] == ["https://n.example/a"]
    # records: 1 warcinfo, 2-3 request/response of the page, 4-5 request/response of the image
    assert [(r.reason, r.record) for r in res.rejects] == [("bad_warc", 5)]


def test_bad_warc_names_the_record_that_is_cut():
    whole = build_warc(
        [("https://n.example/a", _page("A"), "text/html"), ("https://n.example/b", _page("B"), "text/html")],
        gzip=False,
    )
    res = read_bytes(whole[:-300], "c.warc")
    assert [(r.reason, r.record) for r in res.rejects] == [("bad_warc", 5)]
    assert "https://n.example/b" in res.rejects[0].detail


def test_a_page_that_fails_inside_a_warc_does_not_drop_the_later_ones(monkeypatch):
    import newsevents.tasks.ingest.html as html

    real = html.read_page

    def fussy(text, tree, url):
        if url.endswith("/a"):
            raise LookupError("unknown encoding: rot13")
        return real(text, tree, url)

    monkeypatch.setattr(html, "read_page", fussy)
    data = build_warc(
        [("https://n.example/a", _page("A"), "text/html"), ("https://n.example/b", _page("B"), "text/html")]
    )
    res = read_bytes(data, "c.warc.gz")
    assert [d.url for d in res.docs] == ["https://n.example/b"]
    assert [(r.reason, r.record) for r in res.rejects] == [("read_error", 3)]
    assert "LookupError" in res.rejects[0].detail


def test_any_reader_exception_is_a_read_error_reject(monkeypatch):
    import newsevents.tasks.ingest.readers as readers

    def broken(data, source_path, limits=None):
        raise KeyError("a bug no one foresaw")

    monkeypatch.setitem(readers.READERS, "txt", broken)
    (rej,) = read_bytes(b"Title\n\nBody.", "a.txt").rejects
    assert rej.reason == "read_error" and "KeyError" in rej.detail


def test_any_cleaner_exception_is_a_read_error_reject(monkeypatch):
    import newsevents.tasks.ingest.clean as clean
    from newsevents.tasks.ingest.clean import safe_clean

    def broken(text, declared=None):
        raise RuntimeError("detector crashed")

    monkeypatch.setattr(clean, "detect_language", broken)
    (raw,) = read_bytes(b"Title\n\nBody text here.", "a.txt").docs
    rej = safe_clean(raw)
    assert isinstance(rej, Reject) and rej.reason == "read_error" and "detector crashed" in rej.detail


# ---------------------------------------------------------------- property: records or rejects, never raises

NAMES = ["a.txt", "a.json", "a.jsonl", "a.html", "a.warc", "a.txt.gz", "a.jsonl.gz", "a.html.gz", "a.warc.gz"]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["text", "id", "title", "published_at", "authors", "url", "publisher", "language", "x"]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=12,
)
SEEDS = [data for _, data in SHAPES.values()]
CHARSETS = ["utf-8", "rot13", "hex", "zlib", "utf-7", "idna", "bogus", "latin-1"]


@st.composite
def inputs(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(NAMES))
    kind = draw(st.sampled_from(["bytes", "text", "json", "jsonl", "html", "warc", "seed"]))
    if kind == "bytes":
        data = draw(st.binary(max_size=400))
    elif kind == "text":
        text = draw(st.text(max_size=300))
        data = text.encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"])), "replace")
    elif kind == "json":
        data = json.dumps(draw(JSON_VALUES)).encode()
    elif kind == "jsonl":
        data = b"\n".join(json.dumps(v).encode() for v in draw(st.lists(JSON_VALUES, max_size=4)))
    elif kind == "html":
        meta = f'<meta charset="{draw(st.sampled_from(CHARSETS))}">'
        data = STORY.format(meta=meta, body=draw(st.text(max_size=80))).encode("utf-8", "surrogatepass")
    elif kind == "warc":
        pages = draw(st.lists(st.text(max_size=60), min_size=1, max_size=3))
        data = build_warc(
            [
                (
                    f"https://w.example/{i}",
                    STORY.format(meta="", body=p).encode("utf-8", "surrogatepass"),
                    "text/html",
                )
                for i, p in enumerate(pages)
            ],
            gzip=draw(st.booleans()),
        )
    else:
        data = draw(st.sampled_from(SEEDS))
    # Damage: cut, or overwrite a byte. Positions are drawn as fractions: WARC record ids are
    # random, so a gzipped archive's length differs between runs of the same example.
    damage = draw(st.sampled_from(["none", "cut", "flip"]))
    where = draw(st.integers(0, 10_000)) * len(data) // 10_001
    if damage == "cut":
        data = data[:where]
    elif damage == "flip" and data:
        data = data[:where] + bytes([draw(st.integers(0, 255))]) + data[where + 1 :]
    if name.endswith(".gz") and draw(st.booleans()):
        data = gzip.compress(data)
    return name, data


@settings(
    max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
@given(inputs())
@example(("a.json", SHAPES["deep_json"][1]))
@example(("a.json", SHAPES["huge_int"][1]))
@example(("a.jsonl", SHAPES["lone_surrogate"][1]))
@example(("a.json", SHAPES["year_one_offset"][1]))
@example(("a.txt", SHAPES["absurd_time"][1]))
@example(("a.html", SHAPES["rot13_charset"][1]))
@example(
    (
        "a.warc",
        build_warc(
            [("https://w.example/", SHAPES["rot13_charset"][1], "text/html; charset=rot13")], gzip=False
        ),
    )
)
@example(("a.txt", SHAPES["stray_latin1"][1]))
@example(("a.jsonl", SHAPES["numeric_text"][1]))
@example(("a.warc.gz", zlib.compress(b"\0" * 1000)))
def test_readers_and_cleaner_return_records_or_rejects_never_raise(name_data):
    name, data = name_data
    res = read_bytes(data, name, 200_000)
    articles, rejects = [], list(res.rejects)
    for raw in res.docs:
        out = clean_doc(raw)
        (articles if isinstance(out, Article) else rejects).append(out)
    assert all(r.reason in REJECT_REASONS for r in rejects)
    # ... and what comes out can be stored (Arrow refuses lone surrogates).
    to_table(articles, ARTICLES, run_id="r", extractor_version="v")
    to_table(rejects, REJECTS, run_id="r", extractor_version="v")
