"""One read of a parsed Doc's arrays, shared by every extractor of that Doc.

`Token.sent` walks the Doc from its start on every call, `Doc.sents` builds every Span, and
`doc.text` makes a Python Token per token: each extractor used to rebuild the sentence starts
and token offsets for itself. `doc_view(doc)` computes them once and keeps them on the Doc.
"""

from __future__ import annotations

import bisect

import numpy as np
from spacy.attrs import IDX, LOWER, ORTH, SENT_START, SPACY
from spacy.tokens import Doc, Span

_KEY = "newsevents.view"


class DocView:
    """Sentence bounds and token attributes of one Doc as arrays; sentence Spans on demand."""

    def __init__(self, doc: Doc):
        self.doc = doc
        n = len(doc)
        arrays = doc.to_array([IDX, LOWER, ORTH, SPACY, SENT_START]) if n else np.zeros((0, 5), np.uint64)
        self.token_starts: list[int] = arrays[:, 0].tolist()
        self.lower: np.ndarray = arrays[:, 1]
        self.orth: np.ndarray = arrays[:, 2]
        strings = doc.vocab.strings
        self.text = "".join(
            strings[orth] + " " if space else strings[orth] for orth, space in arrays[:, 2:4].tolist()
        )
        starts = np.flatnonzero(arrays[:, 4].astype(np.int64) == 1) if n else np.array([], dtype=np.int64)
        if not len(starts) or starts[0] != 0:
            starts = np.concatenate([[0], starts]).astype(np.int64)
        self.sent_starts: np.ndarray = starts
        self.sent_ends: np.ndarray = np.concatenate([starts[1:], [n]]).astype(np.int64)
        self.sent_of: np.ndarray = np.searchsorted(starts, np.arange(n), side="right") - 1
        self._sent_starts_list: list[int] = starts.tolist()
        self._spans: dict[int, Span] = {}

    def sentence_of(self, i: int) -> int:
        """Index of the sentence holding token `i` (also for i == len(doc): the last one)."""
        return bisect.bisect_right(self._sent_starts_list, i) - 1

    def sentence(self, k: int) -> Span:
        span = self._spans.get(k)
        if span is None:
            span = self._spans[k] = self.doc[int(self.sent_starts[k]) : int(self.sent_ends[k])]
        return span

    def token_at(self, char: int) -> int:
        """Index of the token covering or following character `char`."""
        return bisect.bisect_right(self.token_starts, char) - 1 if char >= 0 else 0

    def first_token_from(self, char: int) -> int:
        return bisect.bisect_left(self.token_starts, char)


def doc_view(doc: Doc) -> DocView:
    """The Doc's view, built on first use and kept in `doc.user_data` for the other extractors."""
    view = doc.user_data.get(_KEY)
    if view is None or view.doc is not doc:
        view = doc.user_data[_KEY] = DocView(doc)
    return view
