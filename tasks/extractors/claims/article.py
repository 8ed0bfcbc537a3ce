"""What the claims rules share over one article: the draft claim, the per-Doc lookups (quotes,
paragraphs, sentence stops) and span helpers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np
from spacy.strings import hash_string
from spacy.tokens import Doc, Token

from newsevents.tasks.extractors.claims.quotes import Quote, find_quotes
from newsevents.tasks.nlp.view import doc_view

DIRECT, INDIRECT, MIXED = "direct", "indirect", "mixed"
NAMED, PRONOUN, NOMINAL, ANONYMOUS = "named", "pronoun", "nominal", "anonymous"

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# Texts an actor issues, whose words are the actor's ("released a statement saying ...").
ISSUED = frozenset({"statement", "statements", "release", "communique", "letter", "tweet", "post", "message"})
RELATIVE = frozenset({"who", "that", "which", "whom"})
# Pronouns a speaker can be, with the mention labels each may refer back to.
PRONOUN_LABELS: dict[str, frozenset[str]] = {
    "he": frozenset({"PERSON"}),
    "she": frozenset({"PERSON"}),
    "him": frozenset({"PERSON"}),
    "her": frozenset({"PERSON"}),
    "it": frozenset({"ORG", "GPE", "GROUP"}),
    # Not a place: "They say ..." is its people, not the town.
    "they": frozenset({"ORG", "NORP", "GROUP"}),
}
EDGE_PUNCT = " \t\n,;:—–-"
WORD = re.compile(r"\w+")


# ------------------------------------------------------------------------------ the article


@dataclass(slots=True)
class Draft:
    """A claim before its speaker is resolved; offsets are characters of the article text."""

    content: tuple[int, int]
    kind: str
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    speaker_head: int | None = None  # token index of the speaker phrase's head
    cue_token: int | None = None
    # The pieces of the content when it is not one run of text: the quoted words of a quote
    # its tag interrupts (‘A,’ she said, ‘b’), a clause the cue interrupts. None: `content`.
    parts: list[tuple[int, int]] | None = None

    def spans(self) -> list[tuple[int, int]]:
        return self.parts if self.parts else [self.content]


_SENT_END = np.array([hash_string(p) for p in (".", "!", "?")], dtype=np.uint64)


class Article:
    """Lookups over one Doc shared by every claims rule: quotes, paragraphs, sentence stops."""

    def __init__(self, doc: Doc):
        self.doc = doc
        # Token attributes as arrays (shared with the other extractors): a Python Token per token
        # (which `doc.text` also makes) would cost more than every rule together.
        view = doc_view(doc)
        self.token_starts = view.token_starts
        self.lower = view.lower
        self.text = view.text
        self.token_at = view.token_at
        self.first_token_from = view.first_token_from
        # Offsets of the tokens that end a sentence (a token, so "U.S." is not one).
        ends = np.isin(view.orth, _SENT_END)
        self.stops: list[int] = np.asarray(view.token_starts, dtype=np.int64)[ends].tolist()
        self.quotes = find_quotes(self.text)
        self.quote_starts = [q.start for q in self.quotes]
        self.para_starts = [0] + [m.end() for m in re.finditer(r"\n+", self.text)]

    def candidates(self, hashes: np.ndarray) -> list[int]:
        """Indices of the tokens whose lowercase form is one of `hashes` (sorted), in order."""
        if not len(hashes) or not len(self.lower):
            return []
        at = np.minimum(np.searchsorted(hashes, self.lower), len(hashes) - 1)
        return np.flatnonzero(hashes[at] == self.lower).tolist()

    def quote_at(self, char: int) -> Quote | None:
        k = bisect.bisect_right(self.quote_starts, char) - 1
        if k >= 0 and self.quotes[k].start <= char < self.quotes[k].end:
            return self.quotes[k]
        return None

    def paragraph(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def paragraph_bounds(self, char: int) -> tuple[int, int]:
        k = self.paragraph(char)
        start = self.para_starts[k]
        nl = self.text.find("\n", start)
        return start, (nl if nl >= 0 else len(self.text))


# Characters around the quoted words of a quote: its marks, and the comma or dash that stands for
# the full stop its tag replaced ("‘We will not back down,’ she said").
_QUOTE_EDGE = " \t\n\"“”„«»‘’'‚`"
_TAG_PUNCT = ",;:—–-"


def quoted_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The quoted words of the quotation text[start:end], one span per paragraph it runs over
    (each continuing paragraph reopens with a mark), without marks or the tag's comma."""
    out = []
    # One span per paragraph, and per sentence that reopens the quote ("... Square. "There
    # are ...": the closing mark left out before it).
    for m in re.finditer(r"(?:[^\n.!?]|[.!?](?!\s+[\"“‘']\w))+[.!?]?", text[start:end]):
        a, b = start + m.start(), start + m.end()
        while a < b and text[a] in _QUOTE_EDGE:
            a += 1
        while b > a and (text[b - 1] in _QUOTE_EDGE or text[b - 1] in _TAG_PUNCT):
            b -= 1
        if WORD.search(text, a, b):
            out.append((a, b))
    return out


# Words a title or a name leaves in lower case: "Make Your Kid a Millionaire", "Justice Against
# Sponsors of Terrorism Act".
_MINOR = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or"}
    | {"over", "the", "to", "up", "upon", "via", "with", "vs"}
)


def title_like(quoted: str) -> bool:
    """A quotation that is a name or a title, not words someone said: two words or more, every
    one but the minor ones capitalised or a number ("Kentucky 192", "The Apprentice", "Growth
    and Opportunity Project"), with no sentence in it (a one-word “No.” is an answer)."""
    words = WORD.findall(quoted)
    if len(words) < 2 or len(words) > 12 or re.search(r"[.!?,;:]\s+\S", quoted):
        return False
    if words[0][0].islower():
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _MINOR for w in words)


def trim(text: str, start: int, end: int, chars: str = EDGE_PUNCT) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def subtree_chars(tok: Token, art: Article, *, limit: tuple[int, int] | None = None) -> tuple[int, int]:
    """Character span of a token's subtree, cut to `limit` and trimmed of edge punctuation."""
    left, right = tok.left_edge, tok.right_edge
    start, end = left.idx, right.idx + len(right)
    if limit is not None:
        start, end = max(start, limit[0]), min(end, limit[1])
    start, end = trim(art.text, start, end)
    if end > start and art.text[end - 1] == ".":
        end -= 1
    return start, end


def n_words(text: str) -> int:
    return len(WORD.findall(text))
