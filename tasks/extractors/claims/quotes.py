"""Quotation spans in raw article text: straight and typographic, double and single marks.

Works on characters, not tokens, because the tokenizer cannot tell a closing single quote from
an apostrophe and a quote may run over several paragraphs. Every paragraph starts clean: a mark
left open at a paragraph's end only survives if the next paragraph opens with a mark of the
same family (the newspaper convention for a quote that continues), so one unbalanced mark costs
at most that paragraph's quotes, never the rest of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Mark roles: a mark can only open, only close, do either (straight marks between spaces and
# words are read by position), close only when nothing better follows (the possessive s' of
# "Jones' cow" inside a quote), or be an apostrophe and take no part.
OPEN, CLOSE, EITHER, WEAK_CLOSE = "open", "close", "either", "weak"

_MARKS = re.compile(r"''|``|[\"“”„«»‘’'‚]|\n")
_DOUBLE = frozenset({'"', "“", "”", "„", "«", "»", "''", "``"})
# Elisions written with a leading apostrophe: "'em", "'til", "’Tis", "rock 'n' roll".
_ELISIONS = frozenset({"em", "til", "tis", "twas", "n", "cause", "bout", "round", "nuff", "ya"})
_OPENERS_BEFORE = frozenset(" \t\n([{—–-/")
_SEPARATOR_AFTER = frozenset(" \t\n.,;:!?)]}—–-…")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation from its opening mark to its closing mark (both included)."""

    start: int
    end: int
    double: bool
    # Paragraphs it runs over: 1 for a quote closed where it opened.
    paragraphs: int = 1

    def inner(self, text: str) -> tuple[int, int]:
        """Offsets of the quoted words without the marks."""
        a, b = self.start, self.end
        while a < b and not (text[a].isalnum()):
            a += 1
        while b > a and not (text[b - 1].isalnum() or text[b - 1] in ".?!"):
            b -= 1
        return a, b


def _word_after(text: str, i: int) -> str:
    j = i
    while j < len(text) and text[j].isalpha():
        j += 1
    return text[i:j].lower()


def _role(text: str, i: int, mark: str) -> str | None:
    """What the mark at `i` can do, from the characters on either side; None for an apostrophe."""
    prev = text[i - 1] if i > 0 else "\n"
    j = i + len(mark)
    nxt = text[j] if j < len(text) else "\n"
    if mark == "“" and prev in ",.!?" and nxt in " \t\n":
        return CLOSE  # a typo for ” after the quote's last word: “Apparently not,“ he said
    if mark in ("“", "„", "«", "``"):
        return OPEN
    if mark == "”" and prev == "\n" and nxt.isalnum():
        return OPEN  # a typo for “ opening a paragraph: ”Fear. I am truly afraid ...”
    if mark in ("”", "»"):
        return CLOSE
    if mark in ('"', "''"):
        if prev in _OPENERS_BEFORE and nxt not in " \t\n":
            return OPEN
        if nxt in _SEPARATOR_AFTER and prev not in " \t\n":
            return CLOSE
        return EITHER
    # Single marks: between two letters it is an apostrophe whatever its shape (it’s, IS’s, dog‘s).
    if prev.isalnum() and nxt.isalpha():
        return None
    if mark in ("‘", "‚"):
        return OPEN
    if prev in _OPENERS_BEFORE and (nxt.isdigit() or _word_after(text, j) in _ELISIONS):
        return None  # ’90s, 'em, ’Tis
    if mark == "’" and prev in _OPENERS_BEFORE:
        return OPEN if nxt.isalpha() else None
    if mark == "'" and prev in _OPENERS_BEFORE:
        return OPEN if nxt not in " \t\n" else None
    if prev == "n" and i >= 2 and text[i - 2] in "’'":
        return None  # rock ’n’ roll
    if nxt in _SEPARATOR_AFTER or nxt in '"”':
        # The possessive of a plural (Jones' cow, voters’ anger) looks like a closing mark.
        if prev in "sS" and nxt == " ":
            return WEAK_CLOSE
        return CLOSE
    return None


def _scan(text: str, marks: list[tuple[int, str, str]], double: bool) -> list[Quote]:
    """Pair the marks of one family paragraph by paragraph, continuing open quotes across breaks."""
    quotes: list[Quote] = []
    open_at: int | None = None
    n_paras = 1
    pending_break = False  # a paragraph ended with this quote open, at `break_at`
    break_at = 0
    i = 0
    while i < len(marks):
        pos, mark, role = marks[i]
        if mark == "\n":
            if open_at is not None and not pending_break:
                pending_break, break_at = True, pos
            i += 1
            continue
        if pending_break:
            pending_break = False
            # Continues only when the very next paragraph opens with a mark of this family.
            if open_at is not None and role in (OPEN, EITHER) and not text[break_at:pos].strip():
                n_paras += 1
                i += 1
                continue
            open_at, n_paras = None, 1
        if role == OPEN and open_at is not None and _reopens(text, open_at, pos):
            # "It is a signal. "There are still thousands missing."": the sentence reopens the
            # quote the way a new paragraph would, its closing mark left out.
            i += 1
            continue
        if role == OPEN or (role == EITHER and open_at is None):
            open_at, n_paras = pos, 1
        elif open_at is not None and (
            role in (CLOSE, EITHER) or (role == WEAK_CLOSE and _last_close(marks, i))
        ):
            quotes.append(Quote(open_at, pos + len(mark), double, n_paras))
            open_at, n_paras = None, 1
        i += 1
    return quotes


_REOPEN = re.compile(r"[.!?]\s+$")


def _reopens(text: str, open_at: int, pos: int) -> bool:
    """An opening mark right after a full stop inside an open quote of whole sentences."""
    return (
        bool(_REOPEN.search(text, max(open_at, pos - 3), pos)) and text[open_at + 1 : open_at + 2].isupper()
    )


def _last_close(marks: list[tuple[int, str, str]], i: int) -> bool:
    """A weak close closes the quote unless a real closing mark follows in the same paragraph."""
    for _, mark, role in marks[i + 1 :]:
        if mark == "\n" or role == OPEN:
            return True
        if role in (CLOSE, EITHER):
            return False
    return True


def find_quotes(text: str) -> list[Quote]:
    """Outermost quotations in `text`, in order. Quotes nested in another quote are dropped.

    Double and single marks are paired separately (British papers quote with single marks and
    nest double ones, American papers the reverse), then only the outermost spans are kept;
    a span crossing another is dropped in favour of the longer one.
    """
    doubles: list[tuple[int, str, str]] = []
    singles: list[tuple[int, str, str]] = []
    for m in _MARKS.finditer(text):
        mark = m.group(0)
        if mark == "\n":
            doubles.append((m.start(), mark, ""))
            singles.append((m.start(), mark, ""))
            continue
        if mark == "''" and _word_after(text, m.end()) in _ELISIONS:
            # "''Tis nobler'": an opening single mark, then an elided word.
            singles.append((m.start(), "'", OPEN))
            continue
        role = _role(text, m.start(), mark)
        if role is None:
            continue
        (doubles if mark in _DOUBLE else singles).append((m.start(), mark, role))
    spans = _scan(text, doubles, True) + _scan(text, singles, False)
    spans.sort(key=lambda q: (q.start, -q.end))
    kept: list[Quote] = []
    for q in spans:
        if kept and q.start < kept[-1].end:
            if q.end <= kept[-1].end:
                continue  # nested inside the previous quote
            if q.end - q.start > kept[-1].end - kept[-1].start:
                kept[-1] = q  # crossing: keep the longer
            continue
        kept.append(q)
    return kept
