"""Claims: every attributed statement in an article, direct or reported, with its speaker.

`extract_claims(doc, ctx, mentions)` reads the one parsed `Doc` of an article and the article's
actor mentions and returns `Claim`s:

- direct quotes (`tasks.quotes` finds the spans on characters), cued by the verb next to them
  ("‘...,’ said spokesman Colonel Steve Warren", "Stansfield said: ‘...’", "‘A,’ he said, ‘B’"),
  or continuing the previous claim's speaker when no cue stands next to them;
- reported speech from a reporting verb's complement ("Kerry said he remained confident ...",
  "IS militants were said to be marching ..."), "according to X", and reporting nouns with a
  that-clause ("his claim that ..."); a complement holding a quotation is `mixed`;
- speakers as written, resolved to an actor through the mentions: a name or title under the
  speaker phrase, a pronoun to the nearest compatible earlier mention, a continuing quote to
  its first part's speaker. Unnamed sources ("sources said", "experts fear") get no actor.

The rules follow the attribution relations of PARC/PolNeAR (source, cue, content) and the
direct-quotation patterns of textacy, on a spaCy dependency parse; no second parse is made.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from spacy.attrs import IDX, LOWER, ORTH, SPACY
from spacy.strings import hash_string
from spacy.tokens import Doc, Token

from tasks.config import CONFIG_DIR
from tasks.quotes import Quote, find_quotes
from tasks.schema import ActorMention, Claim

if TYPE_CHECKING:  # tasks.extract imports this module
    from tasks.extract import ArticleContext

CLAIMS_CONFIG = CONFIG_DIR / "claims.toml"

DIRECT, INDIRECT, MIXED = "direct", "indirect", "mixed"
NAMED, PRONOUN, NOMINAL, ANONYMOUS = "named", "pronoun", "nominal", "anonymous"

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# Texts an actor issues, whose words are the actor's ("released a statement saying ...").
_ISSUED = frozenset(
    {"statement", "statements", "release", "communique", "letter", "tweet", "post", "message"}
)
_RELATIVE = frozenset({"who", "that", "which", "whom"})
# Pronouns a speaker can be, with the mention labels each may refer back to.
_PRONOUN_LABELS: dict[str, frozenset[str]] = {
    "he": frozenset({"PERSON"}),
    "she": frozenset({"PERSON"}),
    "him": frozenset({"PERSON"}),
    "her": frozenset({"PERSON"}),
    "it": frozenset({"ORG", "GPE", "NORP"}),
    "they": frozenset({"ORG", "NORP", "GPE", "GROUP"}),
}
_EDGE_PUNCT = " \t\n,;:—–-"
_WORD = re.compile(r"\w+")


# ------------------------------------------------------------------------------------ rules


class _Verbs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    clause: list[str]
    infinitive: list[str]
    object: list[str]
    addressee: list[str]
    preposition: dict[str, list[str]]


class _Nouns(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    clause: list[str]


class _Sources(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    anonymous: list[str]
    voice: list[str]


class _Quotes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min_words: int = Field(ge=1)
    continuation_paragraphs: int = Field(ge=0)
    merge_continuations: bool


class _ClaimsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    verbs: _Verbs
    irregular: dict[str, list[str]]
    nouns: _Nouns
    sources: _Sources
    quotes: _Quotes


@dataclass(frozen=True, slots=True)
class ClaimRules:
    """The lexicon and knobs of claim extraction, as read from config/claims.toml."""

    verb_forms: dict[str, str]  # inflected form -> base form
    clause_verbs: frozenset[str]
    infinitive_verbs: frozenset[str]
    object_verbs: frozenset[str]
    addressee_verbs: frozenset[str]
    preposition_verbs: dict[str, frozenset[str]]
    clause_nouns: frozenset[str]
    anonymous: frozenset[str]
    voice: frozenset[str] = frozenset()
    # Hashes of every lowercase cue word, to find candidate tokens without visiting each token.
    cue_hashes: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.uint64))
    min_words: int = 3
    continuation_paragraphs: int = 1
    merge_continuations: bool = True


def verb_forms(base: str, irregular: Sequence[str] = ()) -> set[str]:
    """Every form of an English verb the regular rules give, plus its irregular forms.

    Over-generation is harmless (no text says "sayed"), so both the plain and the doubled final
    consonant are produced ("admitted", "visited") instead of guessing the stress.
    """
    forms = {base, *irregular}
    vowels = "aeiou"
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(base + "es")
    elif base.endswith("y") and base[-2:-1] not in vowels:
        forms.add(base[:-1] + "ies")
    else:
        forms.add(base + "s")
    if base.endswith("ie"):
        forms.add(base[:-2] + "ying")
    elif base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        forms.add(base[:-1] + "ing")
    else:
        forms.add(base + "ing")
    if base.endswith("e"):
        forms.add(base + "d")
    elif base.endswith("y") and base[-2:-1] not in vowels:
        forms.add(base[:-1] + "ied")
    else:
        forms.add(base + "ed")
    if len(base) >= 3 and base[-1] not in vowels + "wxy" and base[-2] in vowels and base[-3] not in vowels:
        forms.update({base + base[-1] + "ed", base + base[-1] + "ing"})
    return forms


def rules_from_toml(data: dict) -> ClaimRules:
    """Validate the lexicon (unknown keys are refused, like config/default.toml) and expand it."""
    cfg = _ClaimsFile.model_validate(data)
    bases = {*cfg.verbs.clause, *cfg.verbs.infinitive, *cfg.verbs.object, *cfg.verbs.preposition}
    forms: dict[str, str] = {}
    for base in sorted(bases):
        for form in verb_forms(base, cfg.irregular.get(base, ())):
            forms.setdefault(form, base)
    nouns = set(cfg.nouns.clause)
    cue_words = {*forms, *nouns, *(_plural(n) for n in nouns), "according"}
    return ClaimRules(
        cue_hashes=np.array(sorted(hash_string(w) for w in cue_words), dtype=np.uint64),
        verb_forms=forms,
        clause_verbs=frozenset(cfg.verbs.clause),
        infinitive_verbs=frozenset(cfg.verbs.infinitive),
        object_verbs=frozenset(cfg.verbs.object),
        addressee_verbs=frozenset(cfg.verbs.addressee),
        preposition_verbs={v: frozenset(p) for v, p in cfg.verbs.preposition.items()},
        clause_nouns=frozenset(nouns | {_plural(n) for n in nouns}),
        anonymous=frozenset(set(cfg.sources.anonymous) | {_plural(n) for n in cfg.sources.anonymous}),
        voice=frozenset(set(cfg.sources.voice) | {_plural(n) for n in cfg.sources.voice}),
        min_words=cfg.quotes.min_words,
        continuation_paragraphs=cfg.quotes.continuation_paragraphs,
        merge_continuations=cfg.quotes.merge_continuations,
    )


def _plural(noun: str) -> str:
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


@functools.lru_cache(maxsize=4)
def load_rules(path: str | Path = CLAIMS_CONFIG) -> ClaimRules:
    """The claims lexicon, read once per process."""
    with open(path, "rb") as fh:
        return rules_from_toml(tomllib.load(fh))


# ------------------------------------------------------------------------------ the article


@dataclass(slots=True)
class _Draft:
    """A claim before its speaker is resolved; offsets are characters of the article text."""

    content: tuple[int, int]
    kind: str
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    speaker_head: int | None = None  # token index of the speaker phrase's head
    cue_token: int | None = None


_SENT_END = np.array([hash_string(p) for p in (".", "!", "?")], dtype=np.uint64)


class _Article:
    """Lookups over one Doc shared by every rule: token by character, quotes, paragraphs."""

    def __init__(self, doc: Doc):
        self.doc = doc
        # Token attributes as arrays: a Python Token per token (which `doc.text` also makes)
        # would cost more than every rule together.
        arrays = doc.to_array([IDX, LOWER, ORTH, SPACY])
        self.token_starts: list[int] = arrays[:, 0].tolist()
        self.lower = arrays[:, 1]
        strings = doc.vocab.strings
        self.text = "".join(
            strings[orth] + " " if space else strings[orth] for orth, space in arrays[:, 2:].tolist()
        )
        # Offsets of the tokens that end a sentence (a token, so "U.S." is not one).
        ends = np.isin(arrays[:, 2], _SENT_END)
        self.stops: list[int] = arrays[ends, 0].tolist()
        self.quotes = find_quotes(self.text)
        self.quote_starts = [q.start for q in self.quotes]
        self.para_starts = [0] + [m.end() for m in re.finditer(r"\n+", self.text)]

    def candidates(self, hashes: np.ndarray) -> list[int]:
        """Indices of the tokens whose lowercase form is one of `hashes` (sorted), in order."""
        if not len(hashes) or not len(self.lower):
            return []
        at = np.minimum(np.searchsorted(hashes, self.lower), len(hashes) - 1)
        return np.flatnonzero(hashes[at] == self.lower).tolist()

    def token_at(self, char: int) -> int:
        """Index of the token covering or following `char`."""
        return bisect.bisect_right(self.token_starts, char) - 1 if char >= 0 else 0

    def first_token_from(self, char: int) -> int:
        return bisect.bisect_left(self.token_starts, char)

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


def _trim(text: str, start: int, end: int, chars: str = _EDGE_PUNCT) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _subtree_chars(tok: Token, art: _Article, *, limit: tuple[int, int] | None = None) -> tuple[int, int]:
    """Character span of a token's subtree, cut to `limit` and trimmed of edge punctuation."""
    left, right = tok.left_edge, tok.right_edge
    start, end = left.idx, right.idx + len(right)
    if limit is not None:
        start, end = max(start, limit[0]), min(end, limit[1])
    start, end = _trim(art.text, start, end)
    if end > start and art.text[end - 1] == ".":
        end -= 1
    return start, end


def _n_words(text: str) -> int:
    return len(_WORD.findall(text))


# -------------------------------------------------------------------------------- speakers


def _cue_chars(verb: Token, preps: frozenset[str] = frozenset()) -> tuple[int, int]:
    """The cue as written: the verb with its auxiliaries, negation, particle and the preposition
    of a prepositional cue ("has not said", "pointed out", "called for")."""
    start_tok, end_tok = verb, verb
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass", "neg") and child.i < verb.i and child.i >= start_tok.i - 1:
            start_tok = child if child.i < start_tok.i else start_tok
        if (
            child.dep_ in ("prt", "prep")
            and child.i == end_tok.i + 1
            and (child.dep_ == "prt" or child.lower_ in preps)
        ):
            end_tok = child
    return start_tok.idx, end_tok.idx + len(end_tok)


def _subject(verb: Token) -> Token | None:
    """The speaker token of a cue verb: its subject or the agent of a passive, else the subject
    of the clause it hangs from ("he said ..., adding that ...", "won by promising ...",
    "was not willing to say ...") or the noun it modifies ("a statement saying ...")."""
    tok: Token = verb
    for _ in range(4):
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
        if subjects:
            # The parser sometimes splits one subject in several ("Tory co - chairman Liam
            # Fox"): the last piece is its head; the speaker span takes them all.
            return subjects[-1] if subjects[-1].i < tok.i else subjects[0]
        for child in tok.children:
            if child.dep_ == "agent":
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        if any(c.dep_ == "nsubjpass" for c in tok.children):
            return None  # "were said to be ...": unattributed
        head = tok.head
        if head.i == tok.i:
            return None
        if tok.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
            # "The ministry issued a statement saying ...": the issuer speaks through it.
            if head.dep_ == "dobj" and head.lower_ in _ISSUED:
                issuer = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
                if issuer is not None:
                    return issuer
            return head
        if tok.dep_ == "pcomp" and head.pos_ in ("ADP", "SCONJ") and head.head.i != head.i:
            tok = head.head
            continue
        if tok.dep_ in ("conj", "advcl", "xcomp", "acomp") and head.pos_ in ("VERB", "AUX", "ADJ"):
            tok = head
            continue
        return None
    return None


def _inverted_subject(verb: Token, stop: int) -> Token | None:
    """The speaker of a quote-first inversion ("‘...,’ said spokesman Colonel Steve Warren"): the
    nominal after the verb, when the parser did not make it the subject."""
    for child in verb.rights:
        if child.i >= stop:
            break
        if child.pos_ in ("PROPN", "NOUN", "PRON") and child.dep_ in (
            "nsubj",
            "dobj",
            "attr",
            "npadvmod",
            "appos",
            "dative",
            "oprd",
            "nmod",
        ):
            return child
    return None


def _speaker_span(
    tok: Token, art: _Article, cue: Token | None = None, limit: tuple[int, int] | None = None
) -> tuple[int, int]:
    """The speaker phrase as written: the subject's subtree, but never the cue's own clause ("a
    statement saying ..." is "a statement")."""
    start, end = _subtree_chars(tok, art, limit=limit)
    if tok.dep_ == "nsubj" and tok.i < tok.head.i:
        pieces = [c for c in tok.head.children if c.dep_ == "nsubj" and c.i < tok.i]
        if pieces and pieces[0].right_edge.i + 1 >= pieces[-1].left_edge.i:
            start = min(start, _subtree_chars(pieces[0], art, limit=limit)[0])
    if cue is not None and tok.left_edge.i <= cue.i <= tok.right_edge.i:
        end = min(end, cue.left_edge.idx if cue.left_edge.i > tok.i else tok.idx + len(tok))
        start, end = _trim(art.text, start, end)
    return start, end


# ---------------------------------------------------------------------------- direct quotes


def _region_tokens(art: _Article, start: int, end: int) -> list[Token]:
    doc = art.doc
    i, out = art.first_token_from(start), []
    while i < len(doc) and doc[i].idx < end:
        out.append(doc[i])
        i += 1
    return out


def _right_region(art: _Article, q: Quote) -> tuple[int, int]:
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


def _left_region(art: _Article, q: Quote) -> tuple[int, int]:
    """From the start of the quote's sentence (or the previous quote) to the opening mark; for a
    quote opening a paragraph, the previous paragraph's last sentence when it ends with a colon
    ("Clinton said:" then the quoted paragraph)."""
    para_start, _ = art.paragraph_bounds(q.start)
    if not art.text[para_start : q.start].strip() and para_start > 0:
        prev_end = len(art.text[:para_start].rstrip())
        if art.text[prev_end - 1 : prev_end] == ":":
            return _sentence_start(art, prev_end), prev_end
    return _sentence_start(art, q.start), q.start


def _sentence_start(art: _Article, end: int) -> int:
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


def _quote_cue(art: _Article, q: Quote, rules: ClaimRules) -> tuple[Token, tuple[int, int]] | None:
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


def _closing_punct(text: str, q: Quote) -> str:
    """The last character inside the quote: "," in "‘...,’ he said", "." in "‘... .’"."""
    b = q.end - 1
    while b > q.start and text[b] in "\"“”‘’'» \n":
        b -= 1
    return text[b] if b > q.start else ""


def _standalone(art: _Article, q: Quote, rules: ClaimRules) -> bool:
    """A quote that stands as a statement of its own, not words quoted inside a clause
    ("it had ‘purged the entire city’" is part of the IS statement's reported claim)."""
    para_start, _ = art.paragraph_bounds(q.start)
    before = art.text[para_start : q.start].rstrip()
    if not before or before[-1] in ":,.?!;—–-(…\"”’'":
        return True
    i = art.first_token_from(q.start) - 1
    return i >= 0 and art.doc[i].lower_ in rules.verb_forms


_TERMINATOR = re.compile(r"[.!?](?=[\s\"”’']|$)")


def _continues(art: _Article, prev: _Draft, q: Quote, rules: ClaimRules) -> bool:
    """A quote with no cue continues the previous quote's speaker when it follows it closely:
    within `continuation_paragraphs` paragraphs and with no more than the cue's own sentence
    in between (‘...,’ said Warren. ‘...’), not after narrative that may have moved on."""
    end = prev.content[1]
    if art.paragraph(q.start) - art.paragraph(end - 1) > rules.continuation_paragraphs:
        return False
    return len(_TERMINATOR.findall(art.text, end, q.start)) <= 1


def _direct_drafts(art: _Article, rules: ClaimRules) -> tuple[list[_Draft], list[Quote]]:
    """Claims of the quotes with a cue next to them, and the standalone quotes with none."""
    drafts: list[_Draft] = []
    orphans: list[Quote] = []
    for q in art.quotes:
        if not _standalone(art, q, rules):
            continue
        inner_a, inner_b = q.inner(art.text)
        words = _n_words(art.text[inner_a:inner_b])
        if words == 0:
            continue
        found = _quote_cue(art, q, rules)
        prev = drafts[-1] if drafts else None
        if found is not None:
            verb, region = found
            if words < rules.min_words and _closing_punct(art.text, q) not in (",", "?", "!"):
                continue
            if prev is not None and prev.cue_token == verb.i and _joins(art, prev, q, rules):
                prev.content = (prev.content[0], q.end)  # ‘A,’ he said, ‘b.’
                continue
            subj = _subject(verb)
            if subj is None or not (region[0] <= subj.idx < region[1]):
                subj = _inverted_subject(verb, art.first_token_from(region[1]))
            speaker = None
            if subj is not None:
                # The speaker phrase may hold a quoted title ("the authors of the “Growth and
                # Opportunity Project”"), so it is bounded by the paragraph and the quote only.
                pa, pb = art.paragraph_bounds(subj.idx)
                limit = (q.end, pb) if subj.idx >= q.end else (pa, q.start)
                speaker = _speaker_span(subj, art, verb, limit=limit)
            drafts.append(
                _Draft(
                    content=(q.start, q.end),
                    kind=DIRECT,
                    cue=_cue_chars(verb),
                    cue_token=verb.i,
                    speaker=speaker,
                    speaker_head=subj.i if subj is not None else None,
                )
            )
            continue
        if words >= rules.min_words:
            orphans.append(q)
    return drafts, orphans


def _continue_quotes(art: _Article, drafts: list[_Draft], orphans: list[Quote], rules: ClaimRules) -> None:
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
            prev.content = (prev.content[0], q.end)
            if prev.kind == INDIRECT:
                prev.kind = MIXED
        else:
            drafts.insert(k + 1, replace(prev, content=(q.start, q.end), kind=DIRECT))


def _joins(art: _Article, prev: _Draft, q: Quote, rules: ClaimRules) -> bool:
    """A speaker's quotes in one paragraph make one claim ("‘A,’ he said, ‘b.’", "‘A.’ he said.
    ‘B.’"), as PolNeAR annotates them; a quote in a later paragraph is a claim of its own."""
    return rules.merge_continuations and art.paragraph(q.start) == art.paragraph(prev.content[1] - 1)


# ---------------------------------------------------------------------------- reported speech


# Dependents of a cue that the parser sometimes detaches from the subject of its complement.
_STRAY_SUBJECT = frozenset({"csubj", "nsubj", "xcomp", "dep", "attr", "acomp", "oprd"})


def _complement(verb: Token, base: str, rules: ClaimRules, art: _Article) -> tuple[int, int] | None:
    """The content a reporting verb introduces: its complement clause, infinitive or object."""
    children = list(verb.children)
    if base in rules.clause_verbs:
        for child in children:
            if child.dep_ == "ccomp":
                start, end = _subtree_chars(child, art)
                # "Experts fear the capture of Ramadi ... leaves IS ...": the parser took the
                # clause's subject for the verb's object; it belongs to the content, unless the
                # object is whom the speaker addressed ("told reporters he ...").
                # Likewise "The chief said being involved in violence is never easy": a subject
                # the parser hung from the cue.
                lead = [
                    c
                    for c in children
                    if verb.i < c.i < child.i
                    and (c.dep_ in _STRAY_SUBJECT or (c.dep_ == "dobj" and base not in rules.addressee_verbs))
                ]
                if lead and not any(g.dep_ == "mark" for g in child.children):
                    start = min(start, lead[0].left_edge.idx)
                return start, end
        # "Experts fear the fall of the port, a lifeline, leaves the city without fuel": with no
        # "and" between them, a subjectless finite verb after the object is the complement's
        # verb the parser coordinated with the cue.
        joined = next(
            (
                c
                for c in children
                if c.dep_ == "conj"
                and c.tag_ in ("VBZ", "VBD", "VBP")
                and not any(g.dep_ in _SUBJECTS for g in c.children)
            ),
            None,
        )
        objects = [c for c in children if c.dep_ == "dobj" and c.i > verb.i]
        if joined is not None and objects and not any(c.dep_ == "cc" for c in children):
            start = _subtree_chars(objects[0], art)[0]
            return start, _subtree_chars(joined, art)[1]
        if verb.dep_ == "parataxis":
            # "At one point, she said, she was considering ...": the clause the cue interrupts
            # or follows; whole when the cue sits inside it.
            head = verb.head
            a, b = head.left_edge.idx, head.right_edge.idx + len(head.right_edge)
            va, vb = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge)
            if va <= a:
                a = vb
            elif _trim(art.text, vb, b)[0] >= b - 1:
                b = va
            start, end = _trim(art.text, a, b)
            if end > start and art.text[end - 1] == ".":
                end -= 1
            return start, end
    if base in rules.infinitive_verbs:
        for child in children:
            if child.dep_ == "xcomp":
                start, end = _subtree_chars(child, art)
                if any(c.dep_ == "nsubjpass" for c in children):
                    # "IS militants were last night said to be marching ...": the whole clause
                    # is the statement, its subject included.
                    start = min(start, _trim(art.text, verb.left_edge.idx, end)[0])
                return start, end
    if base in rules.object_verbs:
        objects = [c for c in children if c.dep_ == "dobj"]
        if objects:
            # "called both Trump and Clinton “crazy”": the object with what is said of it (and
            # every piece of an object the parser split: "the re - election of ...").
            parts = objects + [
                c for c in children if c.i > objects[0].i and c.dep_ in ("oprd", "xcomp", "ccomp")
            ]
            start = _subtree_chars(objects[0], art)[0]
            end = max(_subtree_chars(c, art)[1] for c in parts)
            return start, end
    preps = rules.preposition_verbs.get(base)
    if preps:
        for child in children:
            if child.dep_ == "prep" and child.lower_ in preps:
                obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return _subtree_chars(obj, art)
    return None


def _according_to(tok: Token, art: _Article) -> tuple[tuple[int, int], Token, tuple[int, int]] | None:
    """(content, speaker token, cue) of "According to officials, the attack killed 12"."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None:
        return None
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    head = tok.head if tok.head.i != tok.i else None
    if head is None:
        return None
    # The clause it attaches to (its whole sentence unless that is itself reported: "X said Y,
    # according to Z"), minus the "according to X" phrase where it sits at an edge.
    while head.dep_ != "ccomp" and head.head.i != head.i:
        head = head.head
    a, b = _trim(art.text, head.left_edge.idx, head.right_edge.idx + len(head.right_edge), _EDGE_PUNCT + ".")
    pa, pb = tok.left_edge.idx, to.right_edge.idx + len(to.right_edge)
    before, after = _n_words(art.text[a:pa]), _n_words(art.text[pb:b])
    if not after:
        b = pa
    elif not before:
        a = pb
    if _n_words(art.text[a:b]) - (0 if a >= pb or b <= pa else _n_words(art.text[pa:pb])) < 3:
        # "That's according to the results": the statement is the sentence before.
        prev = _sentence_start(art, head.left_edge.idx)
        if prev >= head.left_edge.idx:
            return None
        a, b = prev, head.left_edge.idx
    start, end = _trim(art.text, a, b, _EDGE_PUNCT + ".")
    return (start, end), source, (tok.idx, to.idx + len(to))


def _noun_complement(noun: Token, art: _Article) -> tuple[int, int] | None:
    """The that-clause of a reporting noun ("his claim that the vote was rigged")."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in child.children
        ):
            return _subtree_chars(child, art)
    return None


def _reported_drafts(art: _Article, rules: ClaimRules, used: set[int]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for i in art.candidates(rules.cue_hashes):
        if i in used:
            continue
        tok = art.doc[i]
        low = tok.lower_
        # Inside a quotation the words are the quoted speaker's own: "I think ..." is part of
        # that quote, not a claim of its own.
        q = art.quote_at(tok.idx)
        if q is not None and _n_words(art.text[q.start : q.end]) >= rules.min_words:
            continue
        if low == "according":
            found = _according_to(tok, art)
            if found is not None:
                content, source, cue = found
                drafts.append(
                    _Draft(
                        content=content,
                        kind=INDIRECT,
                        cue=cue,
                        cue_token=tok.i,
                        speaker=_speaker_span(source, art),
                        speaker_head=source.i,
                    )
                )
            continue
        base = rules.verb_forms.get(low)
        if base is not None and tok.tag_.startswith("VB"):
            content = _complement(tok, base, rules, art)
            if content is None:
                continue
            subj = _subject(tok)
            if subj is None and not any(c.dep_ == "nsubjpass" for c in tok.children):
                # Only a passive may leave its statement unattributed ("were said to be ...");
                # "Video posted online showed ..." with no subject found is a parse, not a claim.
                continue
            drafts.append(
                _Draft(
                    content=content,
                    kind=INDIRECT,
                    cue=_cue_chars(tok, rules.preposition_verbs.get(base, frozenset())),
                    cue_token=tok.i,
                    speaker=_speaker_span(subj, art, tok) if subj is not None else None,
                    speaker_head=subj.i if subj is not None else None,
                )
            )
            continue
        if low in rules.clause_nouns and tok.pos_ == "NOUN":
            content = _noun_complement(tok, art)
            if content is None:
                continue
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            drafts.append(
                _Draft(
                    content=content,
                    kind=INDIRECT,
                    cue=(tok.idx, tok.idx + len(tok)),
                    cue_token=tok.i,
                    speaker=_speaker_span(owner, art) if owner is not None else None,
                    speaker_head=owner.i if owner is not None else None,
                )
            )
    return drafts


# "TAPPER: And obviously, you're supporting ..." -- a speaker's name as a paragraph's label.
_LABEL = re.compile(r"([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[ \t]+(?=\S)")


def _label_drafts(art: _Article, resolver: _Resolver) -> list[_Draft]:
    """Transcripts and interviews: a paragraph opening with a speaker's name and a colon is that
    speaker's words. The label must name a person or organisation the article mentions, so
    datelines and "Note:" or "UPDATE:" labels are not speakers."""
    drafts: list[_Draft] = []
    text = art.text
    for start in art.para_starts:
        m = _LABEL.match(text, start)
        if m is None:
            continue
        label = m.group(1)
        last = label.rsplit(" ", 1)[-1].casefold()
        known = resolver.by_form.get(label.casefold()) or resolver.by_form.get(last)
        if not known or not any(k.label in ("PERSON", "ORG") for k in known):
            continue
        _, para_end = art.paragraph_bounds(start)
        content = _trim(text, m.end(), para_end)
        if _n_words(text[content[0] : content[1]]) < 2:
            continue
        head = art.token_at(m.end(1) - 1)
        drafts.append(
            _Draft(
                content=content,
                kind=DIRECT,
                cue=(m.end(1), m.end(1) + 1),
                speaker=(m.start(1), m.end(1)),
                speaker_head=head,
            )
        )
    return drafts


def _settle(art: _Article, direct: list[_Draft], reported: list[_Draft]) -> list[_Draft]:
    """Keep one claim per statement: a reported claim inside a direct quote or inside another
    claim's content is part of that claim; a claim needs some words of content."""
    out = list(direct)
    spans = [d.content for d in direct]
    for d in sorted(reported, key=lambda d: d.content[1] - d.content[0], reverse=True):
        a, b = d.content
        if _n_words(art.text[a:b]) < 2:
            continue
        cue_at = d.cue[0] if d.cue else a
        if any(s <= cue_at < e or (s <= a and b <= e) for s, e in spans):
            continue
        # A complement holding quoted words is a mixed claim; one that is exactly a quote is direct.
        q = art.quote_at(a) or art.quote_at(max(a - 1, 0))
        if (
            q is not None
            and q.start >= a - 1
            and q.end <= b + 1
            and _n_words(art.text[a:b]) == _n_words(art.text[q.start : q.end])
        ):
            d.content = (q.start, q.end)
            d.kind = DIRECT
        elif _has_quote(art, a, b):
            d.kind = MIXED
        out.append(d)
        spans.append(d.content)
    out.sort(key=lambda d: d.content)
    return out


def _has_quote(art: _Article, a: int, b: int) -> bool:
    """Content quoting two words or more ("it had ‘purged the entire city’"); a one-word scare
    quote ("cats are “cuties”") does not make a claim mixed."""
    k = bisect.bisect_left(art.quote_starts, a)
    while k < len(art.quotes) and art.quotes[k].end <= b + 1:
        q = art.quotes[k]
        if _n_words(art.text[q.start : q.end]) >= 2:
            return True
        k += 1
    return False


# ------------------------------------------------------------------------------ resolution


class _Resolver:
    """Speaker phrase -> actor, through the article's mentions."""

    def __init__(self, art: _Article, mentions: Sequence[ActorMention], rules: ClaimRules):
        self.art = art
        self.rules = rules
        ordered = sorted(mentions, key=lambda m: (m.start, m.end))
        self.mentions = ordered
        self.starts = [m.start for m in ordered]
        # Surface forms seen in the article (and surnames of people), for a speaker the NER missed.
        self.by_form: dict[str, list[ActorMention]] = {}
        for m in ordered:
            self.by_form.setdefault(m.text.casefold(), []).append(m)
            if m.label == "PERSON" and " " in m.text:
                self.by_form.setdefault(m.text.rsplit(" ", 1)[1].casefold(), []).append(m)

    def covering(self, start: int, end: int) -> list[ActorMention]:
        k = bisect.bisect_left(self.starts, start)
        k = max(k - 3, 0)
        out = []
        for m in self.mentions[k:]:
            if m.start >= end:
                break
            if m.end > start and m.start < end:
                out.append(m)
        return out

    def before(self, char: int, labels: frozenset[str]) -> ActorMention | None:
        k = bisect.bisect_left(self.starts, char) - 1
        while k >= 0:
            m = self.mentions[k]
            if m.label in labels and m.end <= char and self.art.quote_at(m.start) is None:
                return m
            k -= 1
        return None

    def at(self, char: int) -> ActorMention | None:
        for m in self.covering(char, char + 1):
            return m
        return None

    def resolve(self, d: _Draft) -> tuple[str | None, str | None]:
        """(attribution, actor_id) of a draft's speaker.

        named: the phrase's head is a name ("spokesman Colonel Steve Warren"), or a voice of a
        named actor ("An IS statement", "the Clinton campaign"); pronoun: he/she/it/they;
        anonymous: a head that names nobody ("sources", "experts", "a source close to");
        nominal: any other description ("the spokesman", "one delegate").
        """
        if d.speaker is None or d.speaker_head is None:
            return None, None
        head = self.art.doc[d.speaker_head]
        low = head.lower_
        if low in _RELATIVE and head.head.dep_ == "relcl":
            # "Sanders, who said ...": a pronoun as written, the actor of the noun it follows.
            noun = head.head.head
            _, actor = self.resolve(replace(d, speaker=(noun.idx, noun.idx + len(noun)), speaker_head=noun.i))
            return PRONOUN, actor
        if head.pos_ == "PRON":
            labels = _PRONOUN_LABELS.get(low)
            m = self.before(d.speaker[0], labels) if labels else None
            return PRONOUN, m.actor_id if m else None
        named = self.at(head.idx)
        if named is not None:
            # A mention over a common noun is a group or a description ("IS militants", "the
            # spokesman"): named when it holds a name, never for an unnamed source. A capital
            # that only opens the sentence ("Officials in Nairobi said") names nobody.
            if low in self.rules.anonymous and head.pos_ != "PROPN":
                return ANONYMOUS, None
            if head.pos_ == "PROPN" or not (head.text.islower() or head.is_sent_start):
                return NAMED, named.actor_id
            return (NAMED if not named.text.islower() else NOMINAL), named.actor_id
        if head.pos_ == "PROPN" or (head.text.isupper() and len(head.text) > 1):  # "LOPEZ:"
            return NAMED, self.by_name(d.speaker, head)
        if low in self.rules.voice:
            actor = self.modifier_actor(d.speaker)
            if actor is not None:
                return NAMED, actor
        if low in self.rules.anonymous:
            return ANONYMOUS, None
        return NOMINAL, self.by_role(d.speaker[0], head)

    def text_tokens(self, span: tuple[int, int]) -> list[Token]:
        doc = self.art.doc
        a = self.art.first_token_from(span[0])
        out = []
        while a < len(doc) and doc[a].idx < span[1]:
            out.append(doc[a])
            a += 1
        return out

    def by_name(self, span: tuple[int, int], head: Token) -> str | None:
        """A name the NER missed here but found elsewhere in the article ("Stansfield said")."""
        seen = self.by_form.get(head.text.casefold())
        return _nearest(seen, span[0]).actor_id if seen else None

    def modifier_actor(self, span: tuple[int, int]) -> str | None:
        """The named actor inside a voice phrase: IS in "An IS statement"."""
        for label in ("ORG", "PERSON", "GPE", "NORP", "GROUP"):
            for m in self.covering(*span):
                if m.label == label:
                    return m.actor_id
        for t in self.text_tokens(span):
            if not t.text.islower():
                seen = self.by_form.get(t.text.casefold())
                if seen:
                    return _nearest(seen, span[0]).actor_id
        return None

    def by_role(self, char: int, head: Token) -> str | None:
        """A definite description of one ("the spokesman", "the prime minister") -> the nearest
        earlier person or organisation given that title: by the mention's role, or by the words
        right before it ("spokesman Colonel Steve Warren") or in apposition after it ("Steve
        Warren, the army spokesman")."""
        if head.tag_ != "NN" or not any(c.lower_ == "the" for c in head.children):
            return None  # "The families", "one of the Four": no single titled actor
        role = head.lower_
        text = self.art.text
        k = bisect.bisect_left(self.starts, char) - 1
        while k >= 0:
            m = self.mentions[k]
            k -= 1
            if m.label not in ("PERSON", "ORG", "GROUP") or m.end > char:
                continue
            if m.role and role in m.role.casefold().split():
                return m.actor_id
            before = _WORD.findall(text[max(m.start - 40, 0) : m.start].casefold())[-3:]
            after = text[m.end : m.end + 50]
            appos = _WORD.findall(after.split(",")[1].casefold()) if after.startswith(",") else []
            if role in before or role in appos:
                return m.actor_id
        return None


def _nearest(mentions: list[ActorMention], char: int) -> ActorMention:
    earlier = [m for m in mentions if m.start < char]
    return earlier[-1] if earlier else mentions[0]


# ----------------------------------------------------------------------------------- entry


def claim_id(article_id: str, start: int, end: int, cue_start: int | None) -> str:
    """Stable over runs: the same statement of the same article keeps its id."""
    key = f"{article_id}\x1f{start}\x1f{end}\x1f{cue_start}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def extract_claims(
    doc: Doc,
    ctx: ArticleContext,
    mentions: Iterable[ActorMention] = (),
    rules: ClaimRules | None = None,
) -> list[Claim]:
    """Every attributed statement of one article, in text order.

    Args:
        doc: the article's parsed text (`articles.text`); offsets index `doc.text`.
        ctx: the article's `ArticleContext` (its `article_id` goes on every claim).
        mentions: the article's actor mentions, which speakers resolve through.
        rules: the lexicon; config/claims.toml when not given.
    """
    rules = rules or load_rules()
    art = _Article(doc)
    resolver = _Resolver(art, list(mentions), rules)
    labelled = _label_drafts(art, resolver)
    direct, orphans = _direct_drafts(art, rules)
    inside_label = [(x.content[0], x.content[1]) for x in labelled]
    direct = [d for d in direct if not any(s <= d.content[0] < e for s, e in inside_label)]
    orphans = [q for q in orphans if not any(s <= q.start < e for s, e in inside_label)]
    used = {d.cue_token for d in direct if d.cue_token is not None}
    drafts = _settle(art, labelled + direct, _reported_drafts(art, rules, used))
    _continue_quotes(art, drafts, orphans, rules)
    text = art.text
    claims: list[Claim] = []
    for d in drafts:
        kind, actor = resolver.resolve(d)
        a, b = d.content
        cs, ce = d.cue if d.cue else (None, None)
        claims.append(
            Claim(
                claim_id=claim_id(ctx.article_id, a, b, cs),
                article_id=ctx.article_id,
                content=text[a:b],
                content_start=a,
                content_end=b,
                kind=d.kind,
                speaker=text[d.speaker[0] : d.speaker[1]] if d.speaker else None,
                speaker_actor_id=actor,
                cue=text[cs:ce] if cs is not None else None,
                cue_start=cs,
                cue_end=ce,
                attribution=kind,
            )
        )
    return claims
