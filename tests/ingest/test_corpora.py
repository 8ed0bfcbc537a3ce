"""Readers and cleaning on the real pages and texts in ../shared (skipped when it is absent)."""

from __future__ import annotations

import gzip
import html
import json
import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime

import pytest

from newsevents.tasks.ingest.clean import clean_doc
from newsevents.tasks.ingest.readers import read_bytes, read_file
from newsevents.tasks.records import Article
from tests.conftest import needs_shared

pytestmark = pytest.mark.shared


def read_clean(data: bytes, name: str) -> list[Article]:
    res = read_bytes(data, name)
    assert not res.rejects, res.rejects
    return [a for a in map(clean_doc, res.docs) if isinstance(a, Article)]


def test_seed_article_metadata_and_body():
    (path,) = needs_shared("seed").glob("*.txt")
    (art,) = read_clean(path.read_bytes(), path.name)
    assert art.title == "Daesh destroying Iraq's youngest generation one child soldier at a time"
    assert art.published_at == datetime(2015, 5, 20, 5, 0, tzinfo=UTC)
    assert art.authors == ["David Williams"]
    assert art.publisher == "Associated Newspapers Ltd."
    assert art.language == "en"
    assert art.text.startswith("Standing barefoot")
    assert art.text.endswith("now have to go back and retake Ramadi.\u2019")
    for gone in ("Published", "By David Williams", "\u00a9", "You may also like"):
        assert gone not in art.text
    # The professor's quote spans three paragraphs; the breaks and curly quotes stay.
    assert "close to Baghdad.\n\n\u2018We\u2019re in for" in art.text


def test_bbc_latin1_file_keeps_its_pound_sign():
    path = needs_shared("corpora", "bbc", "sport", "199.txt")
    (art,) = read_clean(path.read_bytes(), "sport/199.txt")
    assert "\u00a315.8m" in art.text
    assert "\ufffd" not in art.text + (art.title or "")


def test_whole_bbc_corpus_reads_as_english_without_losing_lines():
    root = needs_shared("corpora", "bbc")
    n = 0
    for path in sorted(root.glob("*/*.txt")):
        data = path.read_bytes()
        (art,) = read_clean(data, path.relative_to(root).as_posix())
        assert art.language == "en", path
        # BBC texts carry no metadata lines: every body line survives cleaning (entities such as
        # "communiqu&#233;" decoded, Unicode composed).
        body_lines = [ln.strip() for ln in data.decode("utf-8", "replace").splitlines()[1:] if ln.strip()]
        if "\ufffd" not in "".join(body_lines):
            expected = [
                " ".join(unicodedata.normalize("NFC", html.unescape(ln)).split()) for ln in body_lines
            ]
            assert [ln for ln in art.text.splitlines() if ln] == expected, path
        n += 1
    assert n == 2225


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def test_scrapinghub_pages_body_overlap():
    """Token F1 of the body against the benchmark's gold on its first 30 pages (all 181 are
    scored by ../shared/eval/clean_aeb.py)."""
    root = needs_shared("corpora", "scrapinghub_aeb")
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    f1s = []
    for pid in sorted(truth)[:30]:
        (art,) = read_clean((root / "html" / f"{pid}.html.gz").read_bytes(), f"{pid}.html.gz")
        gold, pred = _tokens(truth[pid]["articleBody"]), _tokens(art.text)
        tp = sum((gold & pred).values())
        p, r = tp / max(sum(pred.values()), 1), tp / max(sum(gold.values()), 1)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    assert sum(f1s) / len(f1s) >= 0.93


def test_newspaper4k_titles_and_dates():
    root = needs_shared("corpora", "newspaper4k_fixtures")
    titles = dates = n_dates = 0
    metas = sorted((root / "metadata").glob("*.json"))
    for meta in metas:
        gold = json.loads(meta.read_text(encoding="utf-8"))
        (art,) = read_clean((root / "html" / f"{meta.stem}.html").read_bytes(), f"{meta.stem}.html")
        titles += " ".join((art.title or "").split()).casefold() == " ".join(gold["title"].split()).casefold()
        if gold.get("publish_date"):
            n_dates += 1
            want = datetime.fromisoformat(gold["publish_date"])
            got = art.published_at
            dates += got is not None and got.date() in {want.date(), want.astimezone(UTC).date()}
    assert titles / len(metas) >= 0.75
    assert dates / n_dates >= 0.9


def test_gzipped_page_reads_like_the_page():
    root = needs_shared("corpora", "newspaper4k_fixtures", "html")
    data = (root / "cnn_article.html").read_bytes()
    (plain,) = read_clean(data, "cnn_article.html")
    (zipped,) = read_clean(gzip.compress(data), "CNN_ARTICLE.HTML.GZ")
    assert (plain.text, plain.title, plain.published_at) == (zipped.text, zipped.title, zipped.published_at)


def test_read_file_on_shared_seed(tmp_path):
    (path,) = needs_shared("seed").glob("*.txt")
    res = read_file(path, path.name, max_bytes=10_000_000)
    assert len(res.docs) == 1 and not res.rejects
