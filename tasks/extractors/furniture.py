"""Page furniture that stays in an article's text but out of its extracted rows.

Cleaning keeps the text as the page gave it (its hash is the article's identity, so it cannot
change for stored articles), but some paragraphs are the outlet's, not the story's: an editor's
note appended to every article of a topic ("Editor's note: X is a serial liar ..."), photo
credits ("Getty.", "(AP Photo/Evan Vucci)"), "Related:" links and prompts to like a page. Events,
claims, actors and places found there would be counted once per article that carries them, so
extraction leaves out every row that starts inside one of these spans.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

# A paragraph the outlet adds to the story: it runs to the end of its line.
_NOTE = re.compile(
    r"^[ \t]*(?:editor['’]?s['’]?\s+note|editorial\s+note|note\s+to\s+readers|correction|clarification)"
    r"\s*[:—–-]",
    re.IGNORECASE | re.MULTILINE,
)
# A short line that is only a credit, a link list head or a prompt.
_CREDIT = re.compile(
    r"(?:\(?\s*(?:photo|image|picture|video|illustration)s?(?:\s+credit)?\s*(?::|/|by\b).{0,80}"
    r"|\(?\s*(?:ap|afp|epa|reuters|getty|getty\s+images|ap\s+photo|shutterstock|pa|pa\s+wire)"
    r"(?:\s*/\s*[^\n]{0,60})?\s*\)?\s*\.?"
    r"|related\s*:.{0,200}"
    r"|.{0,120}\blike\s+(?:the|our|this)\s+page\b.{0,40})",
    re.IGNORECASE,
)
MAX_CREDIT_WORDS = 14


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) character spans of the outlet's notes, credits and prompts: sorted, merged."""
    spans: list[tuple[int, int]] = []
    for m in _NOTE.finditer(text):
        end = text.find("\n", m.start())
        spans.append((m.start(), len(text) if end < 0 else end))
    pos = 0
    for line in text.split("\n"):
        bare = line.strip()
        if bare and len(bare.split()) <= MAX_CREDIT_WORDS and _CREDIT.fullmatch(bare):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def in_spans(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a character offset falls inside one of the spans `furniture_spans` returns."""
    i = bisect.bisect_right([s for s, _ in spans], offset) - 1
    return i >= 0 and offset < spans[i][1]
