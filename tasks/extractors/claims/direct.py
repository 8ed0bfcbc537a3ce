"""Direct quotes: the cue next to each quotation, and quotes that continue the previous speaker."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from spacy.tokens import Token

from newsevents.tasks.extractors.claims.article import (
    DIRECT,
    MIXED,
    Article,
    Draft,
    n_words,
    quoted_words,
    title_like,
)
from newsevents.tasks.extractors.claims.quotes import Quote
from newsevents.tasks.extractors.claims.rules import ClaimRules
from newsevents.tasks.extractors.claims.speakers import cue_chars, inverted_subject, speaker_span, subject

# ---------------------------------------------------------------------------- direct quotes


def _region_tokens(art: Article, start: int, end: int) -> list[Token]:
    doc = art.doc
    i, out = art.first_token_from(start), []
    while i < len(doc) and doc[i].idx < end:
        out.append(doc[i])
        i += 1
    return out


def _right_region(art: Article, q: Quote) -> tuple[int, int]:
    """From the closing mark to the end of its sentence, the next quote or the paragraph's end."""
    _, para_end = art.paragraph_bounds(q.start if q.paragraphs == 1 else q.end - 1)
    end = para_end
    k = bisect.bisect_right(art.quote_starts, q.start)
    if k < len(art.quotes):
        end = min(end, art.quotes[k].start)
    k = bisect.bisect_left(art.stops, q.end)
    if k < len(art.stops) and art.stops[k] < end:
        return q.end, art.stops[k]
    return q.end, end


def _left_region(art: Article, q: Quote) -> tuple[int, int]:
    """From the start of the quote's sentence (or the previous quote) to the opening mark; for a
    quote opening a paragraph, the previous paragraph's last sentence when it ends with a colon
    ("Clinton said:" then the quoted paragraph)."""
    para_start, _ = art.paragraph_bounds(q.start)
    if not art.text[para_start : q.start].strip() and para_start > 0:
        prev_end = len(art.text[:para_start].rstrip())
        if art.text[prev_end - 1 : prev_end] == ":":
            return sentence_start(art, prev_end), prev_end
    return sentence_start(art, q.start), q.start


def sentence_start(art: Article, end: int) -> int:
    """Start of the sentence ending at `end`, within its paragraph and after any earlier quote."""
    para_start, _ = art.paragraph_bounds(max(end - 1, 0))
    start = para_start
    k = bisect.bisect_left(art.quote_starts, end) - 1
    if k >= 0:
        start = max(start, art.quotes[k].end if art.quotes[k].end <= end else start)
    k = bisect.bisect_left(art.stops, end - 1) - 1
    if k >= 0 and art.stops[k] >= start:
        return art.stops[k] + 1
    return start


def _cue_in(tokens: list[Token], rules: ClaimRules, *, last: bool, loose: bool) -> Token | None:
    """The reporting verb among `tokens` (the last one before a quote, the first one after it);
    with `loose`, any verb with a subject ("he quipped") when no listed verb is there."""
    listed = [t for t in tokens if t.tag_.startswith("VB") and t.lower_ in rules.verb_forms]
    if listed:
        return listed[-1] if last else listed[0]
    if loose:
        for t in tokens:
            if t.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in t.children):
                return t
    return None


def _quote_cue(art: Article, q: Quote, rules: ClaimRules) -> tuple[Token, tuple[int, int]] | None:
    """The cue verb next to a quote and the character region it was found in."""
    text = art.text
    last_inner = _closing_punct(text, q)
    ra, rb = _right_region(art, q)
    right = [t for t in _region_tokens(art, ra, rb) if not t.is_punct]
    right_text = text[ra:rb].lstrip()
    # "‘...,’ said X" / "‘...?’ he asked" / "‘...’, said X": the cue follows the quote.
    if right and (last_inner in ",?!—–-…" or right_text.startswith(",")):
        verb = _cue_in(right[:12], rules, last=False, loose=True)
        if verb is not None:
            return verb, (ra, rb)
    la, lb = _left_region(art, q)
    before = text[la:lb].rstrip()
    left = [t for t in _region_tokens(art, la, lb) if not t.is_punct]
    # "X said: ‘...’" / "He told everyone, ‘...’" / "He said ‘...’".
    if left and (before.endswith((":", ",")) or left[-1].lower_ in rules.verb_forms):
        verb = _cue_in(left, rules, last=True, loose=before.endswith(":"))
        if verb is not None:
            return verb, (la, lb)
    # "‘... .’ he said." with a full stop inside the quote: only a short tail.
    if right and len(right) <= 8:
        verb = _cue_in(right, rules, last=False, loose=False)
        if verb is not None:
            return verb, (ra, rb)
    return None


def continue_participles(art: Article, drafts: list[Draft]) -> None:
    """ "Maher stated that the report “wasn’t good.” Adding, “...”": a quote cued by a
    participle that opens its sentence, with no subject, is the previous speaker's (the claim
    right before it, in its paragraph or the one before)."""
    for k, d in enumerate(drafts):
        if d.kind != DIRECT or d.speaker is not None or d.cue_token is None or not k:
            continue
        verb = art.doc[d.cue_token]
        lead = art.text[sentence_start(art, verb.idx + len(verb)) : verb.idx]
        if verb.tag_ != "VBG" or lead.strip(" \n\t\"“”‘’'"):
            continue
        prev = drafts[k - 1]
        if prev.speaker is not None and art.paragraph(d.content[0]) - art.paragraph(prev.content[1] - 1) <= 1:
            d.speaker, d.speaker_head = prev.speaker, prev.speaker_head


def _participle_of(verb: Token, subj: Token) -> bool:
    """ "X told Newsmax that Y “...,” adding, “...”": a participle cue speaks for the subject of
    its sentence, even before an earlier quote."""
    return (
        verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj") and subj.sent == verb.sent and subj.i < verb.i
    )


def _closing_punct(text: str, q: Quote) -> str:
    """The last character inside the quote: "," in "‘...,’ he said", "." in "‘... .’"."""
    b = q.end - 1
    while b > q.start and text[b] in "\"“”‘’'» \n":
        b -= 1
    return text[b] if b > q.start else ""


def _standalone(art: Article, q: Quote, rules: ClaimRules) -> bool:
    """A quote that stands as a statement of its own, not words quoted inside a clause
    ("it had ‘purged the entire city’" is part of the IS statement's reported claim)."""
    para_start, _ = art.paragraph_bounds(q.start)
    before = art.text[para_start : q.start].rstrip()
    if not before or before[-1] in ":,.?!;—–-(…\"”’'":
        return True
    i = art.first_token_from(q.start) - 1
    # a verb of saying right before it ("he said “...”"), not a noun of the same form ("the
    # plan “had a crazy idea”")
    return i >= 0 and art.doc[i].lower_ in rules.verb_forms and art.doc[i].tag_.startswith("VB")


# "“...” ― Sonya Herridge": a name after a dash ends the quote's line (readers' comments, epigraphs).
_SIGNATURE = re.compile(
    r"[ \t]*([―—–])[ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4})[ \t.]*(?:,[^\n]*)?(?=\n|$)"
)


def _signature(art: Article, q: Quote) -> Draft | None:
    """A quote signed with a dash and a name after it, with the dash as its cue."""
    m = _SIGNATURE.match(art.text, q.end)
    if m is None:
        return None
    a, b = m.span(2)
    if art.text[b - 1] == ".":
        b -= 1
    return Draft(
        content=(q.start, q.end),
        kind=DIRECT,
        parts=quoted_words(art.text, q.start, q.end),
        cue=m.span(1),
        speaker=(a, b),
        speaker_head=art.token_at(b - 1),
    )


def _continues(art: Article, prev: Draft, q: Quote, rules: ClaimRules) -> bool:
    """A quote with no cue continues the previous quote's speaker when it follows it closely:
    within `continuation_paragraphs` paragraphs and with no more than the cue's own sentence
    in between (‘...,’ said Warren. ‘...’), not after narrative that may have moved on."""
    end = prev.content[1]
    gap = art.paragraph(q.start) - art.paragraph(end - 1)
    if gap > rules.continuation_paragraphs:
        return False
    # Sentence stops are tokens, so "Rep." or "U.S." in the tag do not count.
    between = bisect.bisect_left(art.stops, q.start) - bisect.bisect_left(art.stops, end)
    return between <= (1 if gap else 3)


def direct_drafts(art: Article, rules: ClaimRules) -> tuple[list[Draft], list[Quote]]:
    """Claims of the quotes with a cue next to them, and the standalone quotes with none."""
    drafts: list[Draft] = []
    orphans: list[Quote] = []
    for q in art.quotes:
        if not _standalone(art, q, rules):
            continue
        inner_a, inner_b = q.inner(art.text)
        words = n_words(art.text[inner_a:inner_b])
        if words == 0 or title_like(art.text[inner_a:inner_b]):
            continue  # "his 2002 book, ‘Make Your Kid a Millionaire,’": a title, not a quote
        signed = _signature(art, q)
        if signed is not None and words >= rules.min_words:
            drafts.append(signed)
            continue
        found = _quote_cue(art, q, rules)
        prev = drafts[-1] if drafts else None
        if found is not None:
            verb, region = found
            introduced = art.text[verb.idx + len(verb) : q.start].strip() in (",", ":")
            if (
                words < rules.min_words
                and _closing_punct(art.text, q) not in (",", "?", "!")
                and not introduced  # "shook her head and said, ‘No.’"
            ):
                continue
            own = rules.verb_forms.get(verb.lower_) in rules.clause_verbs and verb.idx < q.start
            if (
                prev is not None
                and prev.cue is not None
                and (prev.cue_token == verb.i or (region[0] <= prev.cue[0] < region[1] and not own))
                and _joins(art, prev, q, rules)
            ):
                # ‘A,’ he said, ‘b.’ and ‘A,’ he said, referring to the plan, ‘b.’: the tag
                # between two quotes is the first one's, unless a verb of saying of its own
                # introduces the second (‘A,’ he said, adding, ‘B’: two claims).
                join_quote(art, prev, q)
                continue
            subj = subject(verb)
            if subj is None or not (region[0] <= subj.idx < region[1] or _participle_of(verb, subj)):
                subj = inverted_subject(verb, art.first_token_from(region[1]))
            speaker = None
            if subj is not None:
                # The speaker phrase may hold a quoted title ("the authors of the “Growth and
                # Opportunity Project”"), so it is bounded by the paragraph and the quote only.
                pa, pb = art.paragraph_bounds(subj.idx)
                limit = (q.end, pb) if subj.idx >= q.end else (pa, q.start)
                speaker = speaker_span(subj, art, verb, limit=limit)
            drafts.append(
                Draft(
                    content=(q.start, q.end),
                    kind=DIRECT,
                    parts=quoted_words(art.text, q.start, q.end),
                    cue=cue_chars(verb),
                    cue_token=verb.i,
                    speaker=speaker,
                    speaker_head=subj.i if subj is not None else None,
                )
            )
            continue
        if words >= rules.min_words:
            orphans.append(q)
    return drafts, orphans


def continue_quotes(art: Article, drafts: list[Draft], orphans: list[Quote], rules: ClaimRules) -> None:
    """A quote with no cue of its own continues the claim right before it: it joins that claim
    in the same paragraph, and is a claim of its own with the same speaker and cue after a
    paragraph break ("‘...,’ said Warren." then "‘What this means ...’")."""
    for q in orphans:
        if any(d.content[0] < q.end and q.start < d.content[1] for d in drafts):
            continue  # already part of a claim ("he said that “...”")
        k = bisect.bisect_right([d.content[1] for d in drafts], q.start) - 1
        if k < 0:
            continue
        prev = drafts[k]
        if not _continues(art, prev, q, rules):
            continue
        if _joins(art, prev, q, rules):
            join_quote(art, prev, q)
        else:
            parts = quoted_words(art.text, q.start, q.end)
            drafts.insert(k + 1, replace(prev, content=(q.start, q.end), kind=DIRECT, parts=parts))


def join_quote(art: Article, prev: Draft, q: Quote) -> None:
    """Add a quote to the claim before it: the quoted words to a direct claim (never the tag
    between them), the quote as written to a reported one, which makes it mixed."""
    if prev.kind == DIRECT:
        prev.parts = prev.spans() + quoted_words(art.text, q.start, q.end)
    else:
        prev.parts = [*prev.spans(), (q.start, q.end)]
        prev.kind = MIXED
    prev.content = (prev.content[0], q.end)


def _joins(art: Article, prev: Draft, q: Quote, rules: ClaimRules) -> bool:
    """A speaker's quotes in one paragraph make one claim ("‘A,’ he said, ‘b.’", "‘A.’ he said.
    ‘B.’"), as PolNeAR annotates them; a quote in a later paragraph is a claim of its own."""
    return rules.merge_continuations and art.paragraph(q.start) == art.paragraph(prev.content[1] - 1)
