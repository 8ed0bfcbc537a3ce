"""What the actor rules share over one article: the candidate record, ids and names, and the
per-Doc lookups (phrase matches, entity index, sentence of a token, boilerplate lines).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from newsevents.tasks.extractors.actors.lexicon import ActorLexicon
from newsevents.tasks.extractors.actors.ruler import phrase_matcher
from newsevents.tasks.nlp.view import doc_view

GROUP = "GROUP"
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})

# The word a generated group name ends with ("Iraqi military", "Shia militias").
SECTOR_NOUNS = {
    "GOV": "government",
    "MIL": "military",
    "COP": "police",
    "REB": "rebels",
    "UAF": "militias",
    "OPP": "opposition",
    "PTY": "party",
    "LEG": "legislature",
    "JUD": "judiciary",
    "SPY": "intelligence services",
    "IGO": "international organisation",
    "NGO": "non-governmental organisation",
    "MED": "media",
    "EDU": "academics",
    "HLH": "health workers",
    "BUS": "business",
    "LAB": "workers",
    "REF": "refugees",
    "CVL": "civilians",
    "CRM": "criminals",
    "REL": "clergy",
    "AGR": "farmers",
}
# Sectors whose members "in X" belong to X ("a court in Guyana"); troops "in Iraq" are not Iraqi.
DOMESTIC_SECTORS = frozenset(
    {"GOV", "COP", "REB", "UAF", "OPP", "PTY", "LEG", "JUD", "EDU", "MED", "HLH", "BUS", "LAB", "CVL", "CRM"}
)
SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson"})
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_WS = re.compile(r"\s+")
DETERMINERS = frozenset(
    {"the", "a", "an", "this", "these", "those", "that", "its", "their", "his", "her", "our"}
)
ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "la", "du", "des", "in", "on", "&", "-"})
QUALIFIER_BLOCK = frozenset({"pro", "anti", "non"})
# Words that open a byline, dateline or copyright line ("By David Williams", "© Associated
# Newspapers Ltd.", "Published May 20th, 2015 - 05:00 GMT"), when the cleaner left one in the text.
_BOILERPLATE_OPENERS = ("By", "Published", "Updated", "Copyright", "©")


STATED, ASSUMED = 3, 1


@dataclass(frozen=True, slots=True)
class ActorEvidence:
    """What one mention says about its actor; `aggregate_actors` folds them per actor_id."""

    name: str
    actor_type: str
    country: str | None = None
    sector: str | None = None
    alias: bool = True  # the mention's text names the actor (not "his army", "the militants")
    alias_text: str | None = None  # the alias when it is not the mention's text (bare group nouns)
    # How much the country says: what the text states of this actor (a title, an apposition, a
    # party, the gazetteer) outweighs the article's home country given to an actor it says
    # nothing about.
    country_weight: int = STATED


@dataclass(slots=True)
class Candidate:
    """A mention being resolved (token offsets into the Doc)."""

    start: int
    end: int
    label: str
    name: str
    key: str | None = None
    actor_type: str | None = None
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    metonym: bool = False
    fixed: bool = False  # identity from the gazetteer or country tables: in-article rules leave it
    qualifier: str | None = None
    qualifier_name: str | None = None
    ent: int = -1  # index into ActorDoc.ents, -1 for group nouns
    modified: bool = False  # a group noun with a country, group or sector modifier
    refers_to: Candidate | None = None  # "the prime minister" -> the person who holds the title
    titles: list[str] = field(default_factory=list)  # a person's title phrases, nearest first
    anaphoric: bool = False  # identity taken from an earlier mention ("his army", "the militants")
    assumed_country: bool = False  # the article's home country, the text saying nothing of its own


def canonical_name(text: str) -> str:
    """Strip what varies between mentions of one name: possessive, leading 'the', spacing."""
    name = _WS.sub(" ", text).strip()
    name = _POSSESSIVE.sub("", name).strip()
    return _LEADING_THE.sub("", name).strip()


def actor_id_for(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def group_key(country: str | None, qualifier: str | None, sector: str) -> str:
    return f"{GROUP}:{country or '---'}:{qualifier or ''}:{sector}"


def group_name(
    country: str | None, qualifier_name: str | None, sector: str, lex: ActorLexicon, local: bool = False
) -> str:
    """A stable display name from the key's parts: "Iraqi military", "Shia militias", "police";
    a place below the country names its own body ("Texas government")."""
    parts = []
    if country and not local:
        parts.append(lex.demonym_of.get(country) or lex.country_display.get(country, country))
    if qualifier_name:
        parts.append(qualifier_name)
    parts.append(SECTOR_NOUNS.get(sector, sector.lower()))
    return " ".join(parts)


# ---------------------------------------------------------------- per-article context


class ActorDoc:
    """Lookups over one Doc shared by the actor rules: phrase matches, entity index, boilerplate."""

    def __init__(self, doc: Doc, lex: ActorLexicon):
        self.doc = doc
        self.lex = lex
        n = len(doc)
        self.view = doc_view(doc)
        self.roles = _longest(phrase_matcher(doc.vocab, "roles", lex)[0](doc), doc)
        self.nominals = _longest(phrase_matcher(doc.vocab, "nominals", lex)[0](doc), doc)
        self.role_ending = {e: (s, p) for s, e, p in self.roles}
        self.role_starting = {s: (e, p) for s, e, p in self.roles}
        self.role_at = [-1] * n
        for k, (s, e, _) in enumerate(self.roles):
            for i in range(s, e):
                self.role_at[i] = k
        # The NER labels some countries and capitals LOC ("curfew in Algiers", "Ivory Coast rebels").
        self.ents = [
            part
            for e in doc.ents
            if e.label_ in ACTOR_LABELS or (e.label_ == "LOC" and lex.is_country_or_capital(e.text))
            for part in _split_brackets(e)
        ]
        # Texts are taken per span: doc.text walks every token in Python.
        self.ent_texts = [e.text for e in self.ents]
        self.ent_at = [-1] * n
        for k, ent in enumerate(self.ents):
            for i in range(ent.start, ent.end):
                self.ent_at[i] = k
        self.consumed = [False] * n
        self.home: str | None = None  # the country the article is about (extract.home_country)
        self.boilerplate = _boilerplate_lines(doc)

    def chars(self, s: int, e: int) -> str:
        """The text of tokens s..e-1."""
        return self.doc[s:e].text

    def in_boilerplate(self, span: Span) -> bool:
        return any(a <= span.start_char and span.end_char <= b for a, b in self.boilerplate)

    def sentence_of(self, i: int) -> int:
        return self.view.sentence_of(i)


def _boilerplate_lines(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of lines that name the story's writer or publisher, not its actors ("By
    David Williams", "© Associated Newspapers Ltd.") when the cleaner left them in the text."""
    keys = np.array([doc.vocab.strings.add(w) for w in _BOILERPLATE_OPENERS], dtype=np.uint64)
    out = []
    for i in np.flatnonzero(np.isin(doc.to_array(ORTH), keys)).tolist():
        if i and "\n" not in doc[i - 1].text_with_ws:
            continue  # not at the start of a line
        end = i + 1
        while end < len(doc) and end - i < 40 and "\n" not in doc[end - 1].whitespace_ + doc[end].text:
            end += 1
        if end - i < 40:
            out.append((doc[i].idx, doc[end - 1].idx + len(doc[end - 1])))
    return out


def _split_brackets(ent: Span) -> list[Span]:
    """ "The Movement for Democratic Renewal (MDR" as the NER reads it -> the long form and the alias."""
    text = ent.text
    if "(" not in text and "[" not in text:
        return [ent]
    for tok in ent:
        if tok.text in ("(", "[") and tok.i > ent.start:
            end = tok.i + 1
            while end < ent.end and ent.doc[end].text not in (")", "]"):
                end += 1
            parts = [Span(ent.doc, ent.start, tok.i, label=ent.label_, span_id=ent.id_)]
            if end > tok.i + 1:
                parts.append(Span(ent.doc, tok.i + 1, end, label=ent.label_))
            return parts
    return [ent]


def _longest(matches: Iterable[tuple[int, int, int]], doc: Doc) -> list[tuple[int, int, str]]:
    """Non-overlapping matches, longest first, as (start, end, phrase)."""
    strings = doc.vocab.strings
    ordered = sorted(matches, key=lambda m: (-(m[2] - m[1]), m[1]))
    taken: set[int] = set()
    out = []
    for match_id, s, e in ordered:
        if any(i in taken for i in range(s, e)):
            continue
        taken.update(range(s, e))
        out.append((s, e, strings[match_id]))
    return sorted(out)
