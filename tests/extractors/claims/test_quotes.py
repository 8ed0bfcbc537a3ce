"""Quote spans on raw text: marks, apostrophes, paragraphs, unbalanced marks."""

from __future__ import annotations

import json

import pytest

from newsevents.tasks.extractors.claims.quotes import find_quotes
from tests.conftest import needs_shared


def spans(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # straight and typographic double marks
        ('He said, "We will win." Then he left.', ['"We will win."']),
        ("“We will win,” he said.", ["“We will win,”"]),
        # curly single marks: apostrophes inside and around words are not closing marks
        (
            "‘It’s over, and IS’s fighters know it,’ he said.",
            ["‘It’s over, and IS’s fighters know it,’"],
        ),
        ("‘It was better in the ’90s,’ she said.", ["‘It was better in the ’90s,’"]),
        ("‘Rock ’n’ roll is back,’ she said.", ["‘Rock ’n’ roll is back,’"]),
        # a plural possessive looks like a closing mark; a real one follows
        ("'The voters' anger is real,' he said.", ["'The voters' anger is real,'"]),
        # the possessive is the only candidate left: it closes the quote
        ("He called it 'the Jones' and left.", ["'the Jones'"]),
        # a wrong-shaped apostrophe between letters (dog‘s)
        ("“Where is the dog‘s ball?” she asked.", ["“Where is the dog‘s ball?”"]),
        # nested quotes are part of the outer one
        ("\"This 'hamburger' is good,\" he said.", ["\"This 'hamburger' is good,\""]),
        ("‘He told me “never again”,’ she said.", ["‘He told me “never again”,’"]),
        # an opening mark typed where the closing one belongs
        ("“Apparently not,“ he said.", ["“Apparently not,“"]),
        # NYT-style doubled straight single marks
        ("''It is good,'' he said.", ["''It is good,''"]),
        # a quote that continues over paragraphs: the open paragraph is not closed
        (
            "She said: ‘First part.\n\n‘Second part.\n\n‘Last part.’ Then silence.",
            ["‘First part.\n\n‘Second part.\n\n‘Last part.’"],
        ),
    ],
)
def test_quote_spans(text, expected):
    assert spans(text) == expected


def test_unclosed_quote_costs_only_its_paragraph():
    # An opening mark never closed: the next paragraph does not open with a mark, so the
    # quote is dropped there and the later quotes are still found.
    text = 'He said "we will see.\n\nThe vote is Tuesday, officials said.\n\n"Nothing changes," he added.'
    assert spans(text) == ['"Nothing changes,"']


def test_open_paragraph_followed_by_quote_is_a_continuation():
    # The newspaper convention: the next paragraph opening with a mark continues the quote.
    text = 'He said: "We will see.\n\n"The vote is Tuesday," he added. Later, "nothing," he said.'
    assert spans(text) == ['"We will see.\n\n"The vote is Tuesday,"', '"nothing,"']


def test_stray_closing_mark_is_ignored():
    text = "uneasy” on Main street.\n\n“Detectives are looking into it,” police said."
    assert spans(text) == ["“Detectives are looking into it,”"]


def test_no_marks_no_quotes():
    assert find_quotes("Nothing quoted here.\n\nNor here.") == []


def test_paragraph_count():
    (q,) = find_quotes("‘One.\n\n‘Two.’")
    assert q.paragraphs == 2 and not q.double


# CoreNLP's QuoteAnnotator tests: quote span detection only (textacy/sayswho cases are claims).
def _span_fixtures() -> list[dict]:
    path = needs_shared("gold", "quotes", "quote_fixtures.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if "quote span detection only" in r["source"]]


@pytest.mark.shared
def test_corenlp_quote_span_fixtures():
    fixtures = _span_fixtures()
    assert len(fixtures) >= 8
    for row in fixtures:
        expected = [e["content"] for e in row["expected"]]
        assert spans(row["text"]) == expected, row["text"]
