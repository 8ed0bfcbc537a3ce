"""The entity ruler: tags the actor lexicon's aliases (and country names) in the parse.

A spaCy component added after the NER by `nlp.model.load_model`; it reads the lexicon named in
its component config, so `--config` can point the whole pipeline at other lexicons.
"""

from __future__ import annotations

from collections.abc import Mapping

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from newsevents.tasks.extractors.actors.lexicon import ActorLexicon, load_lexicon

RULER_NAME = "actor_gazetteer"


def _short_acronym(text: str) -> bool:
    return len(text) <= 3 and text.isupper()


def _shouting(doc: Doc, start: int, end: int) -> bool:
    """True when the words around a match are upper case too ("WHAT IS NEXT"): a headline, not IS."""
    words = [t for t in (doc[start - 1] if start else None, doc[end] if end < len(doc) else None) if t]
    words = [t for t in words if t.is_alpha]
    return bool(words) and all(t.is_upper and len(t) > 1 for t in words)


class ActorRuler:
    """Tags gazetteer aliases as entities whose `ent_id_` is the actor key.

    Named gazetteer actors (ORG, PERSON) win over any NER entity they overlap: the NER reads
    "Daesh" as a place and "al-Qaeda militants" as one organisation. Group names (NORP: "Shia",
    "Kurdish"), country names and demonyms only fill gaps the NER left ("Uzbekistan finally
    opened the bridge" has no entity), so "Christian Aid" and "Georgia Tech" stay what they are.
    """

    def __init__(self, nlp: Language, name: str = RULER_NAME, lexicon: str = ""):
        self.name = name
        lex = load_lexicon(lexicon or None)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries = lex.entries
        for key, entry in lex.entries.items():
            patterns = []
            for alias in entry.aliases:
                patterns.append(nlp.make_doc(alias))
                if alias.startswith("al-"):  # "Al-Qaeda" opening a sentence
                    patterns.append(nlp.make_doc("A" + alias[1:]))
            self.matcher.add(key, patterns)
        self.countries = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_label: dict[tuple[str, str], list[str]] = {}
        for text, label, iso3 in lex.country_surfaces:
            by_label.setdefault((label, iso3), []).append(text)
        for (label, iso3), texts in by_label.items():
            self.countries.add(f"{label}:{iso3}", [nlp.make_doc(t) for t in texts])

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        named: list[Span] = []
        groups: list[Span] = []
        for match_id, start, end in self.matcher(doc):
            key = strings[match_id]
            entry = self.entries[key]
            if _short_acronym(doc[start:end].text) and _shouting(doc, start, end):
                continue
            span = Span(doc, start, end, label=entry.actor_type, span_id=key)
            (groups if entry.actor_type == "NORP" else named).append(span)
        for match_id, start, end in self.countries(doc):  # gap fillers: never over an NER entity
            label = strings[match_id].split(":", 1)[0]
            if not (_short_acronym(doc[start:end].text) and _shouting(doc, start, end)):
                groups.append(Span(doc, start, end, label=label))
        if not named and not groups:
            return doc
        named = filter_spans(named)
        taken = {i for s in named for i in range(s.start, s.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        taken |= {i for e in kept for i in range(e.start, e.end)}
        free_groups = [g for g in filter_spans(groups) if not any(i in taken for i in range(g.start, g.end))]
        doc.ents = sorted([*named, *kept, *free_groups], key=lambda s: s.start)
        return doc


@Language.factory(RULER_NAME, default_config={"lexicon": ""})
def make_actor_ruler(nlp: Language, name: str, lexicon: str) -> ActorRuler:
    return ActorRuler(nlp, name, lexicon)


def add_actor_ruler(nlp: Language, lexicon: str = "") -> Language:
    """Put the ruler after the NER (or last), once; `lexicon` is the actors TOML ("" = configured)."""
    if RULER_NAME not in nlp.pipe_names:
        nlp.add_pipe(
            RULER_NAME, after="ner" if "ner" in nlp.pipe_names else None, config={"lexicon": str(lexicon)}
        )
    return nlp


def phrase_matcher(
    vocab: Vocab, table: str, lex: ActorLexicon | None = None
) -> tuple[PhraseMatcher, dict[str, str | None]]:
    """A LOWER-attribute matcher over one lexicon table ("roles" or "nominals"), built once per
    vocab and kept on the lexicon."""
    lex = lex or load_lexicon()
    key = (id(vocab), table)
    cached = lex.matchers.get(key)
    if cached is not None and cached[0] is vocab:
        return cached[1]
    built = _build_matcher(vocab, getattr(lex, table))
    lex.matchers[key] = (vocab, built)
    return built


def _build_matcher(
    vocab: Vocab, phrases: Mapping[str, str | None]
) -> tuple[PhraseMatcher, dict[str, str | None]]:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for phrase in phrases:
        tokens = tokenizer(phrase)
        patterns = [Doc(vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])]
        words = phrase.split()
        if len(words) != len(tokens):
            # "sen.", "lt. col.": the tokenizer keeps a capitalised abbreviation ("Sen.") whole in
            # a text but splits its lower-case form, so match the words as written too.
            patterns.append(Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False]))
        matcher.add(phrase, patterns)
    return matcher, dict(phrases)
