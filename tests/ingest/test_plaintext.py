"""Publication lines, bylines, copyright and trailers of plain-text articles (tasks/plaintext.py)."""

from __future__ import annotations

import pytest

from newsevents.tasks.ingest.plaintext import (
    is_junk_line,
    is_trailer_header,
    lift_metadata,
    parse_byline,
    parse_copyright,
    parse_dateline,
)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("By David Williams", ["David Williams"]),
        ("BY DAVID WILLIAMS", ["David Williams"]),
        ("By Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("By Jane Roe, John Doe and Ali Hassan", ["Jane Roe", "John Doe", "Ali Hassan"]),
        ("By Jane Roe, Reuters", ["Jane Roe"]),
        ("By Jane Roe | AFP", None),  # a "|" line is split by lift_metadata, not here
        ("By Jane Roe, Middle East correspondent", ["Jane Roe"]),
        ("By David Williams for MailOnline", ["David Williams"]),
        ("By Lena Hart in Kabul", ["Lena Hart"]),
        ("By Haider al-Abadi", ["Haider al-Abadi"]),
        ("By J. R. Smith", ["J. R. Smith"]),
        ("By: Amal Clooney", ["Amal Clooney"]),
        ("Reporting by Jane Roe and Omar Said; Editing by John Doe", ["Jane Roe", "Omar Said"]),
        ("Additional reporting by Tom Watkins", ["Tom Watkins"]),
        ("By Reuters", []),
        ("By Associated Press", []),
        # Sentences that open with "By" are prose.
        ("By Monday morning, the grim, if now familiar, global ritual had begun.", None),
        ("By contrast, Trump has just 5 percent support of the black vote in Florida.", None),
        ("By July 2013, the show was officially named.", None),
        ("By far, the riskiest impact will be in currency markets.", None),
        ("By Sunday", None),
        ("By 58%-33%, those surveyed said the funding should stay.", None),
        ("By the time the debates began, Trump was at the top.", None),
        ("Bystanders filmed the arrest.", None),
    ],
)
def test_parse_byline(line, expected):
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Published May 20th, 2015 - 05:00 GMT", "May 20th, 2015 - 05:00 GMT"),
        ("Published: 20 May 2015", "20 May 2015"),
        ("Published on Wednesday 20 May 2015 05.00 BST", "Wednesday 20 May 2015 05.00 BST"),
        (
            "PUBLISHED: 05:00 EDT, 20 May 2015 | UPDATED: 07:49 EDT, 20 May 2015",
            "05:00 EDT, 20 May 2015",
        ),
        ("Last updated: 12 March 2020", "12 March 2020"),
        ("Posted 2024-11-02 10:05", "2024-11-02 10:05"),
        ("May 20, 2015", "May 20, 2015"),
        ("Tuesday, 14 October 2024", "Tuesday, 14 October 2024"),
        # Not publication lines.
        ("Updated at 1:23 p.m.", None),
        ("Updated guidance was released on May 5, 2015.", None),
        ("The vote is on May 20, 2015, the commission said.", None),
        ("Saturday 20 November", None),  # a fixture list's date, no year
        ("Published by Penguin in 2015", None),
    ],
)
def test_parse_dateline(line, expected):
    assert parse_dateline(line) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("© Associated Newspapers Ltd.", "Associated Newspapers Ltd."),
        ("© 2025 The Example Courier. All rights reserved.", "The Example Courier"),
        ("Copyright 2015 Reuters. All rights reserved.", "Reuters"),
        ("Copyright © 2019 Dow Jones & Company, Inc. All Rights Reserved", "Dow Jones & Company, Inc."),
        ("(c) 2019 The Associated Press", "The Associated Press"),
        ("Copyright 2024", ""),
        ("Copyright law says that quotes may be used for reporting.", None),
        ("Copyrighted material was removed from the site.", None),
    ],
)
def test_parse_copyright(line, expected):
    assert parse_copyright(line) == expected


@pytest.mark.parametrize(
    "line, header, junk",
    [
        ("You may also like", True, False),
        ("You may also like----", True, False),
        ("Related articles", True, False),
        ("Read more", True, False),
        ("DON'T MISS", True, False),
        ("Advertisement", False, True),
        ("ADVERTISEMENT", False, True),
        ("Share this article", False, True),
        ("Read the rest here.", False, True),
        ("Read more: Hong Kong protests: 800 students under siege in university", False, True),
        ("CLICK HERE TO GET THE FOX NEWS APP", False, True),
        ("Read more about the plan in the council's report, which was published on Monday.", False, False),
        ("The advertisement ran in three newspapers.", False, False),
    ],
)
def test_trailer_and_junk_lines(line, header, junk):
    assert is_trailer_header(line) is header
    assert is_junk_line(line) is junk


STORY = """
Published October 14th, 2024 - 11:20 GMT

European Union foreign ministers agreed on Monday to impose sanctions on 25 officials.

“These measures target those responsible,” the bloc’s foreign policy chief said.

Advertisement

‘We will respond,’ a ministry spokeswoman said.

‘The decision is interference.’

By Marta Nowak and Ivan Petrov, Reuters

© Example Newswire Ltd.

You may also like

EU extends Russia sanctions for six months

Belarus frees two opposition figures
"""


def test_lift_metadata_takes_out_every_metadata_line_and_keeps_paragraphs():
    lifted = lift_metadata(STORY)
    assert lifted.published == "October 14th, 2024 - 11:20 GMT"
    assert lifted.authors == ["Marta Nowak", "Ivan Petrov"]
    assert lifted.publisher == "Example Newswire Ltd."
    body = lifted.body.strip()
    assert body.startswith("European Union foreign ministers")
    assert body.endswith("‘The decision is interference.’")
    for gone in ("Published", "Advertisement", "By Marta", "©", "You may also like", "Belarus frees"):
        assert gone not in body
    # A quote that continues into the next paragraph keeps its paragraph break.
    assert "said.\n\n‘The decision" in body


def test_trailer_header_mid_story_takes_only_its_links():
    # express.co.uk puts a "DON'T MISS" box of links inside the story; the story goes on after it.
    paras = [f"Paragraph {i} of the story goes on with several more words here." for i in range(6)]
    text = "\n\n".join(
        [
            *paras[:4],
            "DON'T MISS",
            "China furious at Macron for protest jibe [INSIGHT]",
            "Troops deployed in city [VIDEO]",
            *paras[4:],
        ]
    )
    body = lift_metadata(text).body
    assert "DON'T MISS" not in body and "[VIDEO]" not in body
    assert all(p in body for p in paras)


def test_lift_metadata_splits_piped_lines():
    lifted = lift_metadata("By Jane Roe | AFP | Published 3 March 2025\n\nThe talks resumed on Monday.")
    assert lifted.authors == ["Jane Roe"] and lifted.published == "3 March 2025"
    assert lifted.body.strip() == "The talks resumed on Monday."


def test_lift_metadata_leaves_prose_alone():
    text = (
        "By Monday morning, the grim ritual had begun.\n\n"
        "Leaders sent messages of sympathy.\n\n"
        "Copyright law, the court said, does not protect facts."
    )
    lifted = lift_metadata(text)
    assert lifted.body == text
    assert lifted.authors == [] and lifted.published is None and lifted.publisher is None


def test_lift_metadata_never_empties_a_body():
    assert lift_metadata("By Jane Roe").body == "By Jane Roe"
