"""Page furniture: notes, credits and prompts stay in the text but give no rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsevents.tasks.extractors.article import extract_docs
from newsevents.tasks.extractors.furniture import furniture_spans, in_spans
from newsevents.tasks.records import ArticleContext
from tests.conftest import needs_shared

NOTE = (
    "Editor's note: Governor Tom Hall is a serial liar who has repeatedly pledged to ban all "
    "newspapers from the state."
)
STORY = (
    "Senator Ann Lee attacked Governor Tom Hall for vetoing the budget on Tuesday.\n\n"
    "Getty.\n\n"
    "(AP Photo/Jane Doe)\n\n"
    "Related: Hall vetoes the budget again\n\n"
    "Do you support Tom Hall? Like the page:\n\n" + NOTE + "\n"
)


def test_spans_cover_notes_credits_and_prompts_only():
    spans = furniture_spans(STORY)
    found = [STORY[s:e] for s, e in spans]
    assert found == [
        "Getty.",
        "(AP Photo/Jane Doe)",
        "Related: Hall vetoes the budget again",
        "Do you support Tom Hall? Like the page:",
        NOTE,
    ]
    assert not in_spans(0, spans)
    assert in_spans(STORY.index("serial liar"), spans)
    assert not in_spans(len(STORY) - 1, spans)  # the newline after the note


@pytest.mark.parametrize(
    "line",
    [
        "Correction: an earlier version of this story misspelt the minister's name.",
        "Photo: Jane Doe/Reuters",
    ],
)
def test_other_notes_and_credits(line):
    assert furniture_spans(f"The story.\n{line}\nMore story.") == [(11, 11 + len(line))]


@pytest.mark.parametrize(
    "line",
    [
        "The editor's note was published on Monday and drew complaints.",  # a story about a note
        "Reuters reported that the talks had collapsed after two days of meetings in Geneva.",
        "The related charges were dropped.",
    ],
)
def test_story_lines_are_not_furniture(line):
    assert furniture_spans(f"The story.\n{line}\n") == []


def test_no_rows_start_inside_furniture(nlp):
    doc = nlp(STORY)
    out = extract_docs([(doc, ArticleContext("t", datetime(2016, 5, 20, tzinfo=UTC)))])
    spans = furniture_spans(STORY)
    starts = [e.start for e in out.events] + [m.start for m in out.mentions] + [p.start for p in out.places]
    starts += [c.content_start for c in out.claims]
    assert starts and not any(in_spans(s, spans) for s in starts)
    assert any(e.event_type == "ACCUSE" and e.start < spans[0][0] for e in out.events)


@pytest.mark.shared
def test_the_editors_note_of_real_articles_gives_no_rows(nlp):
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted(needs_shared("gold", "polnear", "train", "text").glob("*.txt"))
        if "Editor’s note:" in p.read_text(encoding="utf-8")
    ][:3]
    assert texts, "no article with an editor's note in PolNeAR train"
    for text in texts:
        out = extract_docs([(nlp(text), ArticleContext("t"))])
        note = text.index("Editor’s note:")
        end = text.find("\n", note)
        inside = [e for e in out.events if note <= e.start < (end if end > 0 else len(text))]
        assert not inside and furniture_spans(text)
