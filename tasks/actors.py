"""Actors: the mentions of one parsed Doc -> typed, country- and sector-coded canonical actors.

A mention comes from a named entity (spaCy NER plus the gazetteer ruler, tasks.actor_gazetteer)
or from a group noun ("Iraqi soldiers", "police", "Shia militias"). Each is resolved to an actor
key that does not depend on the article or run order, so ids are stable everywhere:

    NAME:<full name>        people and organisations ("Haider al-Abadi", "Islamic State"): one
                            namespace, since the NER swaps the two; titles, honorifics and
                            possessives stripped; gazetteer actors by their canonical name
    NORP:<name>             religious, ethnic and political groups ("Shia", "Kurds")
    GPE:<ISO3>              a country, however written ("US", "Britain", "British"), and a capital
                            standing for its government ("Washington said")
    GPE:<name>              other places, with the country they lie in
    NORP:<ISO3>             a country's people ("Iraqis")
    GROUP:<ISO3|--->:<group>:<sector>   an unnamed collective actor coded like PETRARCH
                            ("Iraqi soldiers", "the Iraqi army" -> GROUP:IRQ::MIL)

Within one article, surnames link to the full name ("al-Abadi" -> "Haider al-Abadi"), bracketed
aliases and acronyms to their long form, bare group nouns to the group named earlier ("his army"
after "the Iraqi army"), and an unnamed spokesman to the organisation that spoke before him.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

import numpy as np
import pyarrow as pa
from spacy.attrs import ORTH, SENT_START
from spacy.tokens import Doc, Span, Token

from tasks.actor_gazetteer import ActorLexicon, actor_key, load_lexicon, phrase_matcher, plural_of
from tasks.schema import ACTORS, Actor, ActorMention, to_table

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
_DOMESTIC_SECTORS = frozenset(
    {"GOV", "COP", "REB", "UAF", "OPP", "PTY", "LEG", "JUD", "EDU", "MED", "HLH", "BUS", "LAB", "CVL", "CRM"}
)
_SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson"})
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_WS = re.compile(r"\s+")
_DETERMINERS = frozenset(
    {"the", "a", "an", "this", "these", "those", "that", "its", "their", "his", "her", "our"}
)
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "la", "du", "des", "in", "on", "&", "-"})
_QUALIFIER_BLOCK = frozenset({"pro", "anti", "non"})
# Words that open a byline, dateline or copyright line ("By David Williams", "© Associated
# Newspapers Ltd.", "Published May 20th, 2015 - 05:00 GMT"), when the cleaner left one in the text.
_BOILERPLATE_OPENERS = ("By", "Published", "Updated", "Copyright", "©")


@dataclass(frozen=True, slots=True)
class ActorEvidence:
    """What one mention says about its actor; `aggregate_actors` folds them per actor_id."""

    name: str
    actor_type: str
    country: str | None = None
    sector: str | None = None
    alias: bool = True  # the mention's text names the actor (not "his army", "the militants")
    alias_text: str | None = None  # the alias when it is not the mention's text (bare group nouns)


@dataclass(slots=True)
class _Cand:
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
    ent: int = -1  # index into _Article.ents, -1 for group nouns
    modified: bool = False  # a group noun with a country, group or sector modifier
    refers_to: _Cand | None = None  # "the prime minister" -> the person who holds the title
    titles: list[str] = field(default_factory=list)  # a person's title phrases, nearest first
    anaphoric: bool = False  # identity taken from an earlier mention ("his army", "the militants")


def canonical_name(text: str) -> str:
    """Strip what varies between mentions of one name: possessive, leading 'the', spacing."""
    name = _WS.sub(" ", text).strip()
    name = _POSSESSIVE.sub("", name).strip()
    return _LEADING_THE.sub("", name).strip()


def actor_id_for(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def group_key(country: str | None, qualifier: str | None, sector: str) -> str:
    return f"{GROUP}:{country or '---'}:{qualifier or ''}:{sector}"


def group_name(country: str | None, qualifier_name: str | None, sector: str, lex: ActorLexicon) -> str:
    """A stable display name from the key's parts: "Iraqi military", "Shia militias", "police"."""
    parts = []
    if country:
        parts.append(lex.demonym_of.get(country) or lex.country_display.get(country, country))
    if qualifier_name:
        parts.append(qualifier_name)
    parts.append(SECTOR_NOUNS.get(sector, sector.lower()))
    return " ".join(parts)


# ---------------------------------------------------------------- per-article context


class _Article:
    """Lookups over one Doc shared by the rules: phrase matches, entity index, sentence starts."""

    def __init__(self, doc: Doc, lex: ActorLexicon):
        self.doc = doc
        self.lex = lex
        n = len(doc)
        self.roles = _longest(phrase_matcher(doc.vocab, "roles")[0](doc), doc)
        self.nominals = _longest(phrase_matcher(doc.vocab, "nominals")[0](doc), doc)
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
        # From the array: doc.sents first checks its annotation token by token in Python.
        starts = np.flatnonzero(doc.to_array(SENT_START) == 1).tolist() if n else []
        self.sent_starts = starts if starts and starts[0] == 0 else [0, *starts]
        self.boilerplate = _boilerplate_lines(doc)

    def chars(self, s: int, e: int) -> str:
        """The text of tokens s..e-1."""
        return self.doc[s:e].text

    def in_boilerplate(self, span: Span) -> bool:
        return any(a <= span.start_char and span.end_char <= b for a, b in self.boilerplate)

    def sentence_of(self, i: int) -> int:
        return bisect.bisect_right(self.sent_starts, i) - 1


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


# ---------------------------------------------------------------- named entities


def _trim(span: Span, art: _Article, strip_titles: bool) -> tuple[int, int]:
    """Token bounds without a leading 'the', honorifics or titles (PERSON) and trailing possessive."""
    doc, lex = art.doc, art.lex
    s, e = span.start, span.end
    while s < e - 1:
        tok = doc[s]
        if tok.lower_ in ("the", "a", "an") or (strip_titles and tok.text in lex.honorifics):
            s += 1
        elif strip_titles and s in art.role_starting and art.role_starting[s][0] < e:
            s = art.role_starting[s][0]
        elif strip_titles and tok.lower_ in lex.title_modifiers and s + 1 < e and doc[s + 1].is_title:
            s += 1
        else:
            break
    while e > s + 1 and (doc[e - 1].tag_ == "POS" or doc[e - 1].text in ("'s", "’s", "'", "’", ".", ",")):
        e -= 1
    return s, e


def _name_of(art: _Article, s: int, e: int) -> str:
    return canonical_name(art.chars(s, e))


def _stands_for_government(tok: Token, lex: ActorLexicon) -> bool:
    """A capital speaking or making policy ("Washington said", "backed by Tehran", "Moscow's
    refusal", "putting Washington in an uncomfortable position"), as opposed to the city itself
    ("close to Baghdad", "London hosts the games")."""
    while tok.dep_ == "conj" and tok.head is not tok:  # "Moscow and Beijing have resisted"
        tok = tok.head
    dep, head = tok.dep_, tok.head
    if dep == "nsubj" and head.pos_ in ("VERB", "AUX"):
        return head.lower_ in lex.government_verbs
    if dep == "pobj" and head.dep_ == "agent":
        verb = head.head.lower_
        return verb in lex.government_verbs or verb in lex.actor_object_verbs
    if dep == "dobj":
        return head.lower_ in lex.actor_object_verbs
    if dep == "poss":
        return head.lower_ in lex.possessed_nouns
    return False


def _resolve_entity(ent: Span, label: str, art: _Article) -> _Cand | None:
    """Identity of one entity mention from the gazetteer, the country tables or its own name."""
    lex, doc = art.lex, art.doc
    s, e = _trim(ent, art, strip_titles=label == "PERSON")
    name = _name_of(art, s, e)
    if not name or not any(ch.isalpha() for ch in name):
        return None
    if label == "LOC":
        label = "GPE"
    cand = _Cand(s, e, label, name)
    gaz_key = ent.ent_id_ or lex.alias_keys.get(art.chars(s, e)) or lex.alias_keys.get(name)
    if gaz_key in lex.entries:
        entry = lex.entries[gaz_key]
        cand.key, cand.name, cand.actor_type = entry.key, entry.name, entry.actor_type
        cand.country, cand.sector, cand.fixed = entry.country, entry.sector, True
        if entry.actor_type == "NORP":
            cand.qualifier, cand.qualifier_name = entry.name.casefold(), entry.adjective or entry.name
        return cand
    if label == "ORG" and lex.is_country_or_capital(name):
        label = cand.label = "GPE"  # "Washington said": the NER reads the acting capital as an organisation
    proper = name[:1].isupper()
    if label in ("GPE", "NORP") and proper:
        iso = lex.country_of_name(name)
        if iso:
            # A country name is its country's actor whether it acts or not; `metonym` is kept for
            # cities standing for a government, so places still geocodes "Russia said" (geoparsing
            # gold such as GeoWebNews annotates such country names as toponyms).
            return _as_country(cand, iso, art, metonym=False)
        iso = lex.country_of_demonym(name)
        if iso:  # "British" music, "Iraqi" partners: the country's side
            return _as_country(cand, iso, art, metonym=False)
        region = lex.region_demonyms.get(name.casefold())
        if region:  # "Scottish" is Scotland's, not the United Kingdom's
            cand.name, cand.label, cand.actor_type = lex.region_names[region], "GPE", "GPE"
            cand.country = lex.regions.get(region)
            return cand
        iso = lex.country_of_people(name)
        if iso:
            cand.key, cand.actor_type, cand.country, cand.fixed = f"NORP:{iso}", "NORP", iso, True
            demonym = lex.demonym_of.get(iso)
            cand.name = (plural_of(demonym) or f"{demonym} people") if demonym else name
            return cand
    if label == "GPE":
        folded = name.casefold()
        capital = lex.capitals.get(folded) if proper else None
        if capital and _stands_for_government(doc[s:e].root, lex):
            cand = _as_country(cand, capital, art, metonym=True)
            cand.anaphoric = True  # "Washington" stands for the United States but is not its name
            return cand
        cand.country = capital or lex.regions.get(folded) or lex.cities.get(folded)
        cand.actor_type = "GPE"
        return cand
    if label == "NORP":
        cand.actor_type = "NORP"
        cand.qualifier, cand.qualifier_name = _singular(name).casefold(), name
        return cand
    if label == "ORG":
        return _resolve_org(cand, art)
    cand.actor_type = label
    return cand


def _as_country(cand: _Cand, iso: str, art: _Article, metonym: bool) -> _Cand:
    cand.key, cand.name, cand.actor_type = f"GPE:{iso}", art.lex.country_display.get(iso, iso), "GPE"
    cand.country, cand.metonym, cand.fixed, cand.label = iso, metonym, True, "GPE"
    return cand


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def _country_prefix(tokens: list[Token], lex: ActorLexicon) -> tuple[str | None, int]:
    """The country the first words of a name give ("South Korean Army", "US State Department")."""
    for n in (3, 2, 1):
        if len(tokens) > n:
            iso = lex.country_of_modifier(" ".join(t.text for t in tokens[:n]))
            if iso:
                return iso, n
    return None, 0


def _resolve_org(cand: _Cand, art: _Article) -> _Cand:
    """An organisation; "the Iraqi Army" is the group IRQ MIL, not an organisation of its own."""
    lex, doc = art.lex, art.doc
    tokens = list(doc[cand.start : cand.end])
    country, k = _country_prefix(tokens, lex)
    rest = " ".join(t.lower_ for t in tokens[k:])
    if 0 < k < len(tokens) and rest in lex.nominals and lex.nominals[rest]:
        cand.label = cand.actor_type = GROUP
        cand.country, cand.sector, cand.role = country, lex.nominals[rest], rest
        return cand
    cand.actor_type = "ORG"
    if country is None and len(tokens) > 2 and tokens[-2].lower_ == "of":  # "Bank of Iraq"
        country = lex.country_of_name(tokens[-1].text)
    cand.country = country
    words = [t.lower_ for t in tokens]
    cut = next((i for i, w in enumerate(words) if w in ("of", "for")), len(words))
    cand.sector = next((lex.org_heads[w] for w in words[:cut] if w in lex.org_heads), None) or next(
        (lex.org_heads[w] for w in words if w in lex.org_heads), None
    )
    return cand


# ---------------------------------------------------------------- people: titles and appositions


@dataclass(slots=True)
class _Title:
    roles: list[str] = field(default_factory=list)  # nearest first
    countries: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)  # from modifiers ("rebel leader")
    orgs: list[int] = field(default_factory=list)  # entity indexes
    consumed: list[tuple[int, int]] = field(default_factory=list)


def _title_before(start: int, art: _Article, title: _Title) -> None:
    """Walk left from a name over its title: "US Secretary of State | John Kerry",
    "Pentagon spokesman Colonel | Steve Warren", "Iraqi prime minister | Haider al-Abadi"."""
    doc, lex = art.doc, art.lex
    i = start
    found_title = False
    # What may stand right of a country or organisation word: a title, never the bare name.
    right_is_title = False
    pending: list[tuple[int, int]] = []
    while i > 0:
        j = i - 1
        tok = doc[j]
        if i in art.role_ending:
            s, phrase = art.role_ending[i]
            title.roles.append(phrase)
            pending.append((s, i))
            found_title = right_is_title = True
            i = s
            continue
        if tok.text in lex.honorifics:
            found_title = True
            right_is_title = False
            pending.append((j, i))
            i = j
            continue
        k = art.ent_at[j]
        if k >= 0 and art.ents[k].end == i and right_is_title:
            ent = art.ents[k]
            iso = lex.country_of_modifier(art.ent_texts[k]) if ent.label_ in ("GPE", "NORP") else None
            if iso:
                title.countries.append(iso)
                pending.append((ent.start, ent.end))
                i = ent.start
                continue
            if ent.label_ == "ORG":
                title.orgs.append(k)
                i = ent.start
                continue
            break
        if right_is_title and (iso := lex.country_of_modifier(tok.text)):
            title.countries.append(iso)
            pending.append((j, i))
            i = j
            continue
        if tok.lower_ in lex.title_modifiers:
            if lex.nominals.get(tok.lower_):
                title.sectors.append(lex.nominals[tok.lower_])  # "rebel leader", "army chief"
            pending.append((j, i))
            i = j
            continue
        break
    if found_title:
        title.consumed.extend(pending)


def _np_title(head: Token, art: _Article, title: _Title) -> None:
    """Roles, countries and organisations in a noun phrase describing a person
    ("Iraq's prime minister", "a spokesman for the Pentagon", "expert and adviser to the RUSI")."""
    lex = art.lex
    heads = [head, *head.conjuncts]
    for tok in heads:
        lo = tok.left_edge.i
        for s, e, phrase in art.roles:
            if lo <= s and e <= tok.i + 1 and (s, e) not in title.consumed:
                title.roles.append(phrase)
                title.consumed.append((s, e))
    for i in range(head.left_edge.i, head.i):
        k = art.ent_at[i]
        if k >= 0 and art.ents[k].label_ in ("GPE", "NORP"):
            iso = lex.country_of_modifier(canonical_name(art.ent_texts[k]))
            if iso:
                title.countries.append(iso)
                title.consumed.append((art.ents[k].start, art.ents[k].end))
    for tok in heads:
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "for", "to", "at", "with"):
                continue
            for obj in prep.children:
                k = art.ent_at[obj.i]
                if obj.dep_ != "pobj" or k < 0:
                    continue
                ent = art.ents[k]
                iso = (
                    lex.country_of_modifier(canonical_name(art.ent_texts[k]))
                    if ent.label_ in ("GPE", "NORP")
                    else None
                )
                if iso and prep.lower_ == "of":
                    title.countries.append(iso)
                elif ent.label_ == "ORG":
                    title.orgs.append(k)


def _is_title_head(tok: Token, art: _Article) -> bool:
    return any(art.role_at[t.i] >= 0 for t in (tok, *tok.conjuncts))


def _person_title(cand: _Cand, art: _Article) -> _Title:
    doc = art.doc
    title = _Title()
    _title_before(cand.start, art, title)
    root = doc[cand.start : cand.end].root
    for child in root.children:
        # Only a title describes the person ("X, Iraq's prime minister"; not "Roddick (US), Moya (Spain)").
        if child.dep_ == "appos" and not cand.start <= child.i < cand.end and _is_title_head(child, art):
            _np_title(child, art, title)
    if root.dep_ == "appos" and art.role_at[root.head.i] >= 0:  # "Iraq's prime minister, Haider al-Abadi"
        _np_title(root.head, art, title)
    return title


# ---------------------------------------------------------------- group nouns


def _group_from_phrase(s: int, e: int, phrase: str, sector: str | None, art: _Article) -> _Cand | None:
    """A group actor headed by doc[e-1] ("Iraqi soldiers", "the Shia militias", "police") with the
    country, group and sector its modifiers give; None when the noun is no actor here."""
    doc, lex = art.doc, art.lex
    head = doc[e - 1]
    if head.dep_ in ("compound", "amod", "nmod") and head.head.i > head.i:
        return None  # a modifier itself: "militia base", "police custody"
    if head.pos_ in ("VERB", "AUX", "ADP", "ADV"):
        return None
    located: str | None = None
    mod_sector = None
    determined = has_org = False
    start = s
    mods: list[tuple[int, int, str, str, str | None]] = []  # (start, end, kind, value, display)
    for child in head.lefts:
        if child.i >= s or child.dep_ in ("nummod", "quantmod") or child.lower_ in _QUALIFIER_BLOCK:
            continue
        if child.dep_ in ("det", "predet") or (child.dep_ == "poss" and child.pos_ == "PRON"):
            determined = determined or child.lower_ in _DETERMINERS or child.dep_ == "poss"
            continue
        if child.dep_ not in ("amod", "compound", "nmod", "poss", "npadvmod"):
            continue
        k = art.ent_at[child.i]
        if k >= 0:
            ent = art.ents[k]
            text = canonical_name(art.ent_texts[k])
            if ent.label_ in ("ORG", "PERSON") and not lex.country_of_name(text):
                has_org = True  # "IS fighters", "NATO troops": the organisation is the actor
                continue
            if (
                ent.start >= 2
                and doc[ent.start - 1].text == "-"
                and doc[ent.start - 2].lower_ in _QUALIFIER_BLOCK
            ):
                continue  # "pro-Russia rebels" are not Russian
            folded = text.casefold()
            iso = lex.country_of_modifier(text) or lex.capitals.get(folded) or lex.regions.get(folded)
            iso = iso or lex.cities.get(folded)
            gaz = lex.entries.get(ent.ent_id_ or lex.alias_keys.get(text, ""))
            if iso and not (gaz and gaz.actor_type == "NORP"):
                mods.append((ent.start, ent.end, "country", iso, None))
            elif ent.label_ == "NORP" or (gaz and gaz.actor_type == "NORP"):
                qual = (gaz.name if gaz else _singular(text)).casefold()
                mods.append(
                    (ent.start, ent.end, "qualifier", qual, (gaz.adjective or gaz.name) if gaz else text)
                )
            else:
                continue
            start = min(start, ent.start)
            continue
        lower = child.lower_
        if lower in lex.not_actor_modifiers:
            return None
        if iso := lex.country_of_modifier(child.text):
            mods.append((child.i, child.i + 1, "country", iso, None))
            start = min(start, child.i)
        elif lex.nominals.get(lower):
            mod_sector = mod_sector or lex.nominals[lower]  # "government forces", "rebel fighters"
            start = min(start, child.i)
        elif child.pos_ == "ADJ" and child.dep_ == "amod" and child.tag_ != "VBN":
            start = min(start, child.i)  # "elite regular forces", "armed men"
        elif child.pos_ in ("NOUN", "PROPN") and child.dep_ == "compound":
            return None  # an unknown compound ("bomb squad"): not a group we code
    if has_org:
        return None
    for prep in head.rights:  # "the government of Liberia", "a court in Guyana"
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "in"):
            continue
        for obj in prep.children:
            k = art.ent_at[obj.i]
            if obj.dep_ != "pobj" or k < 0 or art.ents[k].label_ != "GPE":
                continue
            iso = lex.country_of_name(canonical_name(art.ent_texts[k]))
            if iso and prep.lower_ == "of" and not any(m[2] == "country" for m in mods):
                e = art.ents[k].end
                mods.append((art.ents[k].start, e, "country", iso, None))
            elif iso and prep.lower_ == "in":
                located = located or iso
    if head.lower_ in lex.weak_heads or phrase in lex.weak_heads:
        sector = mod_sector or sector
    else:
        sector = sector or mod_sector
    if not sector:
        return None
    # Never swallow an entity the group did not absorb ("pro-Russia rebels" -> "rebels"); a
    # modifier left outside ("US and British activists") codes nothing and stays its own mention.
    absorbed = {(a, b) for a, b, *_ in mods}
    for i in range(start, s):
        k = art.ent_at[i]
        if k >= 0 and (art.ents[k].start, art.ents[k].end) not in absorbed:
            start = art.ents[k].end
        elif doc[i].lower_ in _QUALIFIER_BLOCK:
            start = i + 1
    while start < s and doc[start].is_punct:
        start += 1
    mods = [m for m in mods if m[0] >= start]
    country = next((m[3] for m in mods if m[2] == "country"), None)
    qualifier, qualifier_name = next(((m[3], m[4]) for m in mods if m[2] == "qualifier"), (None, None))
    if not country and located and sector in _DOMESTIC_SECTORS:
        country = located
    modified = bool(country or qualifier or mod_sector)
    if (phrase in lex.needs_modifier or head.lower_ in lex.needs_modifier) and not modified:
        return None
    if (phrase in lex.needs_determiner or head.lower_ in lex.needs_determiner) and not (
        determined or modified
    ):
        return None
    for a, b, *_ in mods:
        art.consumed[a:b] = [True] * (b - a)
    cand = _Cand(start, e, GROUP, art.chars(start, e), actor_type=GROUP, country=country, sector=sector)
    cand.qualifier, cand.qualifier_name, cand.role, cand.modified = (
        qualifier,
        qualifier_name,
        phrase,
        modified,
    )
    return cand


# ---------------------------------------------------------------- linking within the article


def _link_brackets(cands: list[_Cand], art: _Article) -> list[_Cand]:
    """ "Islamic State (IS)", "the Palestine Liberation Organization [PLO]": the bracketed alias
    is the long form's actor; a bracketed acronym the NER missed becomes a mention."""
    doc = art.doc
    by_start = {c.start: c for c in cands}
    added = []
    for c in cands:
        if c.label == "PERSON" or c.end + 2 >= len(doc) or doc[c.end].text not in ("(", "["):
            continue
        inner = by_start.get(c.end + 1)
        close = inner.end if inner else c.end + 2
        if close >= len(doc) or doc[close].text not in (")", "]"):
            continue
        if inner is None:
            tok = doc[c.end + 1]
            if not (tok.is_upper and tok.is_alpha and 2 <= len(tok) <= 6) or art.consumed[tok.i]:
                continue
            inner = _Cand(tok.i, tok.i + 1, c.label, tok.text)
            added.append(inner)
        if inner.fixed and inner.key != c.key:
            continue
        _adopt(inner, c)
    return sorted(cands + added, key=lambda c: c.start)


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words if w[0].isupper())


def _link_acronyms(cands: list[_Cand]) -> None:
    """An all-capitals name equal to the initials of a longer one in the article ("RUSI")."""
    long_forms: dict[str, _Cand] = {}
    for c in cands:
        if c.label in ("ORG", "GPE") and len(c.name.split()) > 1:
            long_forms.setdefault(_initials(c.name), c)
    for c in cands:
        if not c.fixed and c.name.isupper() and 2 <= len(c.name) <= 6 and c.name in long_forms:
            _adopt(c, long_forms[c.name])


def _adopt(c: _Cand, other: _Cand) -> None:
    c.key, c.name, c.actor_type, c.label = other.key, other.name, other.actor_type, other.label
    c.country, c.sector, c.fixed = other.country, other.sector, True
    c.qualifier, c.qualifier_name = other.qualifier, other.qualifier_name


def _link_people(cands: list[_Cand], lex: ActorLexicon) -> None:
    """Partial names to the article's full name ("al-Abadi" -> "Haider al-Abadi", also when the NER
    called it an organisation); a lone surname no full name explains to the gazetteer ("Blair")."""
    full: dict[str, _Cand] = {}
    for c in cands:
        if c.actor_type == "PERSON" and " " in c.name:
            full.setdefault(c.name.casefold(), c)
    for c in cands:
        if (c.fixed and c.actor_type != "PERSON") or c.actor_type not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        folded = c.name.casefold()
        if c.actor_type == "PERSON" and folded in full:
            continue
        target = _unique(f for f in full if f.endswith(" " + folded)) or (
            _unique(f for f in full if f.startswith(folded + " ")) if c.actor_type == "PERSON" else None
        )
        if target is not None and full[target] is not c:
            person = full[target]
            c.key, c.name, c.actor_type, c.label = person.key, person.name, "PERSON", "PERSON"
            c.metonym = False
            if person.fixed:
                c.country, c.sector, c.fixed = person.country, person.sector, True
            continue
        if c.actor_type == "PERSON" and not c.fixed and c.name[:1].isupper() and folded in lex.surname_keys:
            entry = lex.entries[lex.surname_keys[folded]]
            c.key, c.name, c.country, c.sector, c.fixed = (
                entry.key,
                entry.name,
                entry.country,
                entry.sector,
                True,
            )


def _unique(names: Iterable[str]) -> str | None:
    found = set(names)
    return found.pop() if len(found) == 1 else None


def _link_groups(cands: list[_Cand], art: _Article) -> list[_Cand]:
    """A bare group noun is the group of that sector named earlier in the article ("his army" after
    "the Iraqi army"), or for rebels and parties the organisation named earlier ("Islamic State ...
    the militants", "Labour ... the party"). A bare noun of a sector that is no actor on its own
    ("the party" with no party named) is dropped."""
    lex = art.lex
    last_group: dict[str, _Cand] = {}
    last_org: dict[str, _Cand] = {}
    out = []
    for c in cands:
        if c.label == GROUP and c.sector and not (c.country or c.qualifier):
            earlier = last_group.get(c.sector)
            org = last_org.get(c.sector) if c.sector in lex.anaphoric_sectors else None
            pick = max((x for x in (earlier, org) if x is not None), key=lambda x: x.start, default=None)
            if pick is not None and pick is org:
                _adopt(c, pick)
                c.anaphoric = True
            elif pick is not None:
                c.country, c.qualifier, c.qualifier_name = pick.country, pick.qualifier, pick.qualifier_name
                c.anaphoric = True
            elif c.sector not in lex.core_sectors:
                continue
        elif c.label == GROUP and c.sector:
            last_group[c.sector] = c
        elif c.actor_type == "ORG" and c.sector:
            last_org[c.sector] = c
        out.append(c)
    return out


def _speaker_before(c: _Cand, cands: list[_Cand], art: _Article) -> _Cand | None:
    """The organisation or government that spoke in the last sentences before an unnamed
    spokesman ("the Pentagon said ... 'To read too much...' said spokesman Colonel Steve Warren")."""
    doc = art.doc
    here = art.sentence_of(c.start)
    for other in reversed(cands):
        if other.start >= c.start:
            continue
        if here - art.sentence_of(other.start) > 2:
            break
        if other.actor_type not in ("ORG", GROUP) and not other.metonym:
            continue
        tok = doc[other.start : other.end].root
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lower_ in art.lex.speech_verbs:
            return other
    return None


# ---------------------------------------------------------------- the extractor


def extract_mentions(
    doc: Doc, article_id: str, authors: Sequence[str] = ()
) -> list[tuple[ActorMention, ActorEvidence]]:
    """Every actor mention in `doc` with what it says about its actor, in text order.

    `authors` are the byline names: the writer of the story is not one of its actors.
    """
    lex = load_lexicon()
    art = _Article(doc, lex)
    labels = _article_labels(art)
    cands: list[_Cand] = []
    by_ent: dict[int, _Cand] = {}
    for k, ent in enumerate(art.ents):
        if art.boilerplate and art.in_boilerplate(ent):
            continue
        cand = _resolve_entity(ent, labels[k], art)
        if cand is None or (cand.actor_type == "PERSON" and _is_author(cand.name, authors)):
            continue
        cand.ent = k
        cands.append(cand)
        by_ent[k] = cand
    people = [c for c in cands if c.actor_type == "PERSON"]
    for person in people:
        _code_person(person, art, by_ent)
    cands = [c for c in cands if not any(art.consumed[c.start : c.end])]
    for person in people:
        if not person.fixed and person.country is None and _SPOKESPEOPLE.intersection(person.titles):
            speaker = _speaker_before(person, cands, art)
            if speaker is not None:
                person.sector = person.sector or speaker.sector
                person.country = person.country or speaker.country
    groups = _groups(art, people)
    cands = [c for c in cands if not any(art.consumed[c.start : c.end])]
    cands = sorted(cands + groups, key=lambda c: c.start)
    cands = _link_brackets(cands, art)
    _link_acronyms(cands)
    _link_people(cands, lex)
    cands = _link_groups(cands, art)
    return [_finish(c, article_id, art) for c in cands]


def _code_person(person: _Cand, art: _Article, by_ent: dict[int, _Cand]) -> None:
    """Role, sector and country of a named person from the title around the name."""
    lex = art.lex
    title = _person_title(person, art)
    for s, e in title.consumed:
        art.consumed[s:e] = [True] * (e - s)
    person.role = title.roles[0] if title.roles else None
    person.titles = title.roles
    if person.fixed:
        return
    orgs = [by_ent[k] for k in title.orgs if k in by_ent and by_ent[k].actor_type in ("ORG", GROUP)]
    # The nearest title that codes a sector: "spokesman Colonel Steve Warren" is MIL.
    person.sector = next((lex.roles[r] for r in title.roles if lex.roles.get(r)), None)
    person.sector = person.sector or next(iter(title.sectors), None) or (orgs[0].sector if orgs else None)
    person.country = next(iter(title.countries), None) or (orgs[0].country if orgs else None)
    if orgs and title.roles and title.roles[0] in _SPOKESPEOPLE:
        person.sector = orgs[0].sector or person.sector  # a spokesman speaks for his organisation
    if orgs:
        person.country = person.country or orgs[0].country


def _groups(art: _Article, people: list[_Cand]) -> list[_Cand]:
    """Group nouns, and office holders named only by their title, not already part of a name."""
    lex, doc = art.lex, art.doc
    out: list[_Cand] = []
    for s, e, phrase in art.nominals:
        if any(art.consumed[s:e]) or any(art.ent_at[i] >= 0 for i in range(s, e)):
            continue
        if art.role_at[s] >= 0 and art.roles[art.role_at[s]][1] > e:
            continue  # part of a longer title ("army chief")
        cand = _group_from_phrase(s, e, phrase, lex.nominals[phrase], art)
        if cand is not None:
            out.append(cand)
    covered = {i for c in out for i in range(c.start, c.end)}
    for s, e, phrase in art.roles:
        if any(art.consumed[s:e]) or any(art.ent_at[i] >= 0 or i in covered for i in range(s, e)):
            continue
        cand = _group_from_phrase(s, e, phrase, lex.roles[phrase], art)
        if cand is not None and cand.modified:
            out.append(cand)  # "the Iraqi prime minister", "Russia's ambassador": the group they serve
            continue
        head = doc[e - 1]
        holders = [p for p in people if p.start < s and p.role == phrase]
        if holders and head.pos_ in ("NOUN", "PROPN") and any(c.lower_ == "the" for c in head.lefts):
            holder = holders[-1]  # "the prime minister" after "Prime Minister Haider al-Abadi"
            c = _Cand(s, e, "PERSON", holder.name, actor_type="PERSON", role=phrase, refers_to=holder)
            c.country, c.sector, c.anaphoric = holder.country, holder.sector, True
            out.append(c)
        elif cand is not None and any(lex.nominals.get(w) for w in phrase.split()):
            out.append(cand)  # "a police spokesman", "the army chief": the force they speak for
    return out


def _article_labels(art: _Article) -> list[str]:
    """One label per surface form within an article: the NER reads "Ramadi" as a place seven
    times and as a person once; gazetteer entities keep theirs."""
    names = [canonical_name(text).casefold() for text in art.ent_texts]
    votes: dict[str, Counter[str]] = {}
    for ent, name in zip(art.ents, names, strict=True):
        if not ent.ent_id_:
            votes.setdefault(name, Counter())[ent.label_] += 1
    labels = []
    for ent, name in zip(art.ents, names, strict=True):
        counts = votes.get(name)
        if ent.ent_id_ or not counts or len(counts) == 1 or ent.label_ == "NORP":
            labels.append(ent.label_)
        else:
            best = counts.most_common()
            top = [lab for lab, n in best if n == best[0][1]]
            labels.append(ent.label_ if ent.label_ in top else top[0])
    return labels


def _is_author(name: str, authors: Sequence[str]) -> bool:
    folded = name.casefold()
    for author in authors:
        a = author.casefold()
        if folded == a or (" " not in folded and a.split() and a.split()[-1] == folded):
            return True
    return False


def _finish(c: _Cand, article_id: str, art: _Article) -> tuple[ActorMention, ActorEvidence]:
    doc, lex = art.doc, art.lex
    if c.refers_to is not None:
        holder = c.refers_to
        c.key, c.name = holder.key or actor_key("PERSON", holder.name), holder.name
        c.country, c.sector = c.country or holder.country, c.sector or holder.sector
    actor_type = c.actor_type or c.label
    if c.key is None:
        if actor_type == GROUP:
            c.key = group_key(c.country, c.qualifier, c.sector or "")
            c.name = group_name(c.country, c.qualifier_name, c.sector or "", lex)
        else:
            c.key = actor_key(actor_type, c.name)
    last = doc[c.end - 1]
    start, end = doc[c.start].idx, last.idx + len(last)
    mention = ActorMention(
        article_id=article_id,
        actor_id=actor_id_for(c.key),
        text=art.chars(c.start, c.end),
        start=start,
        end=end,
        label=actor_type,
        role=c.role,
        metonym=c.metonym,
    )
    # A bare group noun's alias is the noun ("officials"), not the adjectives around it ("grubby").
    bare = actor_type == GROUP and not (c.country or c.qualifier)
    alias_text = c.role if bare else None
    return mention, ActorEvidence(c.name, actor_type, c.country, c.sector, not c.anaphoric, alias_text)


# ---------------------------------------------------------------- actors across articles and runs


def aggregate_actors(mentions: Iterable[tuple[ActorMention, ActorEvidence]]) -> list[Actor]:
    """One Actor per id: the most frequent name, type, country and sector its mentions give, and
    every surface form as an alias."""
    names: dict[str, Counter[str]] = {}
    types: dict[str, Counter[str]] = {}
    countries: dict[str, Counter[str]] = {}
    sectors: dict[str, Counter[str]] = {}
    aliases: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for mention, ev in mentions:
        aid = mention.actor_id
        names.setdefault(aid, Counter())[ev.name] += 1
        types.setdefault(aid, Counter())[ev.actor_type] += 1
        if ev.country:
            countries.setdefault(aid, Counter())[ev.country] += 1
        if ev.sector:
            sectors.setdefault(aid, Counter())[ev.sector] += 1
        seen = aliases.setdefault(aid, set())
        if ev.alias:
            seen.add(ev.alias_text or canonical_name(mention.text) or mention.text)
        counts[aid] += 1

    def top(table: dict[str, Counter[str]], aid: str) -> str | None:
        c = table.get(aid)
        return min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] if c else None

    return [
        Actor(
            actor_id=aid,
            name=top(names, aid) or "",
            actor_type=top(types, aid) or "",
            country=top(countries, aid),
            sector=top(sectors, aid),
            aliases=sorted(aliases[aid]),
            n_mentions=counts[aid],
        )
        for aid in sorted(names)
    ]


def merge_actors(existing: Iterable[Actor], new: Iterable[Actor]) -> list[Actor]:
    """Fold batches and runs into one row per actor_id.

    The stored name stays (ids and names must not flip between runs); aliases accumulate;
    country and sector keep the first known value; mention counts add up.
    """
    merged: dict[str, Actor] = {}
    for actor in (*existing, *new):
        have = merged.get(actor.actor_id)
        if have is None:
            merged[actor.actor_id] = Actor(
                actor.actor_id,
                actor.name,
                actor.actor_type,
                actor.country,
                actor.sector,
                sorted(set(actor.aliases)),
                actor.n_mentions,
            )
            continue
        have.aliases = sorted(set(have.aliases) | set(actor.aliases))
        have.country = have.country or actor.country
        have.sector = have.sector or actor.sector
        have.n_mentions += actor.n_mentions
    return [merged[k] for k in sorted(merged)]


def most_mentioned(actors: Iterable[Actor], n: int) -> list[Actor]:
    """The `n` actors with the most mentions (ties by name, so the list is stable)."""
    return sorted(actors, key=lambda a: (-a.n_mentions, a.name))[:n]


def suspected_duplicates(actors: Sequence[Actor]) -> list[tuple[Actor, Actor]]:
    """Pairs that look like one entity under two ids: a shared alias, or a person known by a
    surname that is another person's last name ("Blair" and "Tony Blair")."""
    out = []
    for i, a in enumerate(actors):
        a_names = {x.casefold() for x in [a.name, *a.aliases]}
        for b in actors[i + 1 :]:
            b_names = {x.casefold() for x in [b.name, *b.aliases]}
            same = bool(a_names & b_names) and a.actor_type == b.actor_type
            if a.actor_type == b.actor_type == "PERSON":
                short, long = sorted((a.name, b.name), key=lambda n: len(n.split()))
                same = same or (" " not in short and long.split()[-1].casefold() == short.casefold())
            if same:
                out.append((a, b))
    return out


def actors_from_table(table: pa.Table) -> list[Actor]:
    names = [f.name for f in fields(Actor)]
    return [Actor(**{n: row[n] for n in names}) for row in table.select(names).to_pylist()]


def merge_actor_tables(existing: pa.Table, new: list[pa.Table], run_id: str, version: str) -> pa.Table:
    """The actors dataset after this run: stored actors merged with every batch's actors."""
    fresh = [a for t in new for a in actors_from_table(t)]
    merged = merge_actors(actors_from_table(existing), fresh)
    return to_table(merged, ACTORS, run_id=run_id, extractor_version=version)
