"""Web pages: body extraction and page metadata (tasks/ingest/html.py, via ingest.readers.read_bytes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import newsevents.tasks.ingest.html as html_mod
from newsevents.tasks.ingest.clean import clean_doc
from newsevents.tasks.ingest.html import choose_title, strip_site_name
from newsevents.tasks.ingest.readers import read_bytes
from newsevents.tasks.records import Article
from tests.conftest import SAMPLES

PARAS = [
    "Firefighters ordered the evacuation of four hill villages north of Sarona on Tuesday night as a "
    "wildfire driven by strong winds crossed the ridge road, the regional fire service said.",
    "About 900 residents were taken by bus to a sports hall in Sarona, where volunteers handed out "
    "blankets and hot meals. No injuries had been reported by Wednesday morning.",
    "“The wind changed direction twice in an hour,” fire chief Ana Beltrán said. “We will not let "
    "anyone back until the ridge is secure.”",
    "Two water-bombing aircraft joined the effort at first light, and the fire service said it "
    "expected to contain the blaze by Thursday if the wind dropped as forecast.",
]


def page(head: str = "", body_extra: str = "", paras: list[str] = PARAS, charset: str = "utf-8") -> bytes:
    ps = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">{head}</head><body>'
        '<nav><a href="/">Home</a> <a href="/local">Local</a></nav>'
        f"<article><h1>Wildfire forces evacuation of hill villages</h1>{ps}</article>{body_extra}"
        "<footer>© 2025 Valley Herald. All rights reserved.</footer></body></html>"
    ).encode(charset)


def read_article(data: bytes, name: str = "p.html") -> Article:
    res = read_bytes(data, name)
    assert not res.rejects, res.rejects
    art = clean_doc(res.docs[0])
    assert isinstance(art, Article)
    return art


def test_body_is_the_article_paragraphs_only():
    art = read_article(page("<title>Wildfire forces evacuation of hill villages | Valley Herald</title>"))
    assert art.text.split("\n\n") == PARAS
    assert art.title == "Wildfire forces evacuation of hill villages"
    assert art.source_format == "html"
    assert art.language == "en"


def test_metadata_from_json_ld_and_opengraph():
    head = (
        "<title>Wildfire forces evacuation of hill villages - Valley Herald</title>"
        '<meta property="og:site_name" content="Valley Herald">'
        '<link rel="canonical" href="https://herald.example.net/local/sarona-wildfire">'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebSite", "name": "Valley Herald"},'
        '{"@type": "NewsArticle", "headline": "Wildfire forces evacuation of hill villages",'
        ' "datePublished": "2025-04-16T07:45:00+01:00",'
        ' "author": [{"@type": "Person", "name": "Lena Hart"}, {"@type": "Person", "name": "Rui Costa"}],'
        ' "publisher": {"@type": "Organization", "name": "Valley Herald"}}]}</script>'
    )
    art = read_article(page(head))
    assert art.published_at == datetime(2025, 4, 16, 6, 45, tzinfo=UTC)
    assert art.authors == ["Lena Hart", "Rui Costa"]
    assert art.publisher == "Valley Herald"
    assert art.url == "https://herald.example.net/local/sarona-wildfire"


def test_metadata_from_meta_tags_when_no_json_ld():
    head = (
        "<title>Valley Herald: Wildfire forces evacuation of hill villages</title>"
        '<meta property="article:published_time" content="2025-04-16T07:45:00Z">'
        '<meta name="author" content="By Lena Hart, Valley Herald">'
        '<meta property="og:site_name" content="Valley Herald">'
    )
    art = read_article(page(head))
    assert art.published_at == datetime(2025, 4, 16, 7, 45, tzinfo=UTC)
    assert art.authors == ["Lena Hart"]


def test_date_falls_back_to_htmldate():
    art = read_article(page("<title>Wildfire</title>", body_extra="<p>Posted on 2024-11-02</p>"))
    assert art.published_at == datetime(2024, 11, 2, tzinfo=UTC)


def test_legacy_encoding_declared_in_the_page():
    paras = [p.replace("“", '"').replace("”", '"') + " Coste: 15 €." for p in PARAS]
    art = read_article(page("<title>Incêndio</title>", paras=paras, charset="windows-1252"))
    assert "15 €" in art.text and "Beltrán" in art.text


CNN_TITLE = "Alito and Prelogar: The sparring match at the Supreme Court"
XINHUA_H1 = "短缺药品保供稳价 全力保障临床用药需求"


@pytest.mark.parametrize(
    "title, sites, expected",
    [
        ("Storm hits coast | BBC News", ["BBC News"], "Storm hits coast"),
        ("Storm hits coast - CNN.com", [], "Storm hits coast"),
        ("Storm hits coast | \t\t cleveland.com", [], "Storm hits coast"),
        (
            "El Gobierno aprueba las ayudas para los agricultores afectados por la sequía » Local » "
            "Noticias » Diario Ejemplo",
            [],
            "El Gobierno aprueba las ayudas para los agricultores afectados por la sequía",
        ),
        (f"{CNN_TITLE} | CNN Politics", ["CNN"], CNN_TITLE),
        ("Valley Herald » Wildfire forces evacuation", ["Valley Herald"], "Wildfire forces evacuation"),
        (
            "Valley Herald » News » Wildfire forces evacuation",
            ["Valley Herald"],
            "Wildfire forces evacuation",
        ),
        ("No separator in this headline at all", ["Valley Herald"], "No separator in this headline at all"),
        # A short end segment that is not the site's name goes only when much shorter than the rest.
        (
            "Man, 35, dies after crash on A38 - police appeal",
            [],
            "Man, 35, dies after crash on A38 - police appeal",
        ),
        (
            "Ministers agree a rescue plan for the steel industry after talks - Live",
            [],
            "Ministers agree a rescue plan for the steel industry after talks",
        ),
        ("Talks fail - again", [], "Talks fail - again"),
        # A site name inside the headline is not the site's segment.
        (
            "Why it is time to act on the climate crisis | TIME",
            ["TIME"],
            "Why it is time to act on the climate crisis",
        ),
    ],
)
def test_strip_site_name(title, sites, expected):
    assert strip_site_name(title, sites) == expected


@pytest.mark.parametrize(
    "doc_title, og, h1s, expected",
    [
        # A headline from the page plus decoration, without separators the splitter knows.
        (f"{XINHUA_H1}-新华网", None, [XINHUA_H1], XINHUA_H1),
        (
            "Floods hit the north 写真1枚 国際ニュース：AFPBB News",
            "Floods hit the north",
            [],
            "Floods hit the north",
        ),
        # The <title> is the declared title even when og:title words it differently.
        (
            "Gates: 'You can be friendly' | CNN Politics",
            "Gates: 'Be friendly'",
            [],
            "Gates: 'You can be friendly'",
        ),
        # A <title> that is only the site's name gives way to og:title.
        ("Valley Herald", "Wildfire forces evacuation", ["Valley Herald"], "Wildfire forces evacuation"),
        (None, None, ["Wildfire forces evacuation"], "Wildfire forces evacuation"),
        (
            "A valley herald of spring floods in the north",
            None,
            [],
            "A valley herald of spring floods in the north",
        ),
    ],
)
def test_choose_title(doc_title, og, h1s, expected):
    assert choose_title(doc_title, og, None, h1s, ["Valley Herald", "CNN", "afpbb"]) == expected


def test_page_without_article_is_rejected():
    nav = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(30))
    data = f"<html><head><title>Index</title></head><body><ul>{nav}</ul></body></html>".encode()
    res = read_bytes(data, "index.html")
    assert not res.docs
    assert [r.reason for r in res.rejects] == ["no_article"]


def test_readability_is_tried_when_trafilatura_finds_nothing(monkeypatch):
    monkeypatch.setattr(html_mod, "_trafilatura_text", lambda tree, url: "")
    art = read_article(page("<title>Wildfire</title>"))
    assert all(p.split(",")[0] in art.text for p in PARAS)


def test_menu_text_gives_way_to_the_second_extractor(monkeypatch):
    menu = "\n".join(f"Section {i}" for i in range(200))
    monkeypatch.setattr(html_mod, "_trafilatura_text", lambda tree, url: menu + "\n" + PARAS[0])
    art = read_article(page("<title>Wildfire</title>"))
    assert "Section 17" not in art.text and PARAS[1] in art.text


def test_sample_page_in_data_samples():
    art = read_article((SAMPLES / "web" / "harbour_strike.html").read_bytes(), "web/harbour_strike.html")
    assert art.title == "Dock workers walk out at Port Halden over pay offer"
    assert art.authors == ["Priya Raman", "Tomas Lind"]
    assert art.published_at == datetime(2025, 4, 16, 6, 45, tzinfo=UTC)
    assert art.text.startswith("More than 1,200 dock workers")
    for junk in ("Advertisement", "Related articles", "Privacy", "By Priya"):
        assert junk not in art.text
    # The union secretary's quote runs over two paragraphs and keeps its break.
    assert "pay their rent.\n\n“If the company" in art.text
