"""The claims lexicon (config/lexicons/claims.toml): speech verbs and nouns, source words, quote knobs."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import Field
from spacy.strings import hash_string

from newsevents.tasks.config import StrictModel, default_lexicons, load_toml_as
from newsevents.tasks.nlp.inflect import noun_forms, verb_forms


class _Verbs(StrictModel):
    clause: list[str]
    infinitive: list[str]
    object: list[str]
    addressee: list[str]
    question: list[str]
    pretend: list[str]
    describe: list[str]
    regard: list[str]
    refuse: list[str]
    quote_only: list[str]
    object_prepositions: list[str]
    preposition: dict[str, list[str]]


class _Nouns(StrictModel):
    clause: list[str]
    preposition: dict[str, list[str]]


class _Sources(StrictModel):
    anonymous: list[str]
    voice: list[str]
    organisations: list[str]
    depictions: list[str]
    female: list[str]
    male: list[str]
    titles: dict[str, list[str]]


class _Quotes(StrictModel):
    min_words: int = Field(ge=1)
    continuation_paragraphs: int = Field(ge=0)
    merge_continuations: bool


class _Names(StrictModel):
    female: list[str]
    male: list[str]


class ClaimsFile(StrictModel):
    verbs: _Verbs
    irregular: dict[str, list[str]]
    nouns: _Nouns
    sources: _Sources
    names: _Names
    quotes: _Quotes


@dataclass(frozen=True, slots=True)
class ClaimRules:
    """The lexicon and knobs of claim extraction, as read from config/claims.toml."""

    verb_forms: dict[str, str]  # inflected form -> base form
    clause_verbs: frozenset[str]
    infinitive_verbs: frozenset[str]
    object_verbs: frozenset[str]
    addressee_verbs: frozenset[str]
    question_verbs: frozenset[str]
    pretend_forms: frozenset[str]  # every form of a verb whose infinitive is no statement
    as_verbs: frozenset[str]
    regard_verbs: frozenset[str]
    refuse_verbs: frozenset[str]
    quote_only: frozenset[str]
    object_preps: frozenset[str]
    preposition_verbs: dict[str, frozenset[str]]
    clause_nouns: frozenset[str]
    preposition_nouns: dict[str, frozenset[str]]  # every form -> its prepositions
    anonymous: frozenset[str]
    voice: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()
    depictions: frozenset[str] = frozenset()
    female: frozenset[str] = frozenset()
    male: frozenset[str] = frozenset()
    titles: dict[str, frozenset[str]] = field(default_factory=dict)  # role -> its abbreviations
    female_names: frozenset[str] = frozenset()
    male_names: frozenset[str] = frozenset()
    # Hashes of every lowercase cue word, to find candidate tokens without visiting each token.
    cue_hashes: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.uint64))
    min_words: int = 3
    continuation_paragraphs: int = 1
    merge_continuations: bool = True


def rules_from_toml(data: dict | ClaimsFile) -> ClaimRules:
    """Validate the lexicon (unknown keys are refused, like config/default.toml) and expand it."""
    cfg = data if isinstance(data, ClaimsFile) else ClaimsFile.model_validate(data)
    bases = {
        *cfg.verbs.clause,
        *cfg.verbs.infinitive,
        *cfg.verbs.object,
        *cfg.verbs.preposition,
        *cfg.verbs.describe,
        *cfg.verbs.regard,
    }
    forms: dict[str, str] = {}
    for base in sorted(bases):
        for form in verb_forms(base, cfg.irregular.get(base, ())):
            forms.setdefault(form, base)
    nouns = {f for n in cfg.nouns.clause for f in noun_forms(n)}
    noun_preps = {f: frozenset(p) for n, p in cfg.nouns.preposition.items() for f in noun_forms(n)}
    cue_words = {*forms, *nouns, *noun_preps, "according"}
    return ClaimRules(
        cue_hashes=np.array(sorted(hash_string(w) for w in cue_words), dtype=np.uint64),
        verb_forms=forms,
        clause_verbs=frozenset(cfg.verbs.clause),
        infinitive_verbs=frozenset(cfg.verbs.infinitive),
        object_verbs=frozenset(cfg.verbs.object),
        addressee_verbs=frozenset(cfg.verbs.addressee),
        question_verbs=frozenset(cfg.verbs.question),
        pretend_forms=frozenset(
            f for v in cfg.verbs.pretend for f in verb_forms(v, cfg.irregular.get(v, ()))
        ),
        as_verbs=frozenset(cfg.verbs.describe),
        regard_verbs=frozenset(cfg.verbs.regard),
        refuse_verbs=frozenset(cfg.verbs.refuse),
        quote_only=frozenset(cfg.verbs.quote_only),
        object_preps=frozenset(cfg.verbs.object_prepositions),
        preposition_verbs={v: frozenset(p) for v, p in cfg.verbs.preposition.items()},
        clause_nouns=frozenset(nouns),
        preposition_nouns=noun_preps,
        anonymous=frozenset(f for n in cfg.sources.anonymous for f in noun_forms(n)),
        voice=frozenset(f for n in cfg.sources.voice for f in noun_forms(n)),
        organisations=frozenset(cfg.sources.organisations),
        depictions=frozenset(f for n in cfg.sources.depictions for f in noun_forms(n)),
        female=frozenset(cfg.sources.female),
        male=frozenset(cfg.sources.male),
        titles={r: frozenset(a) for r, a in cfg.sources.titles.items()},
        female_names=frozenset(cfg.names.female),
        male_names=frozenset(cfg.names.male),
        min_words=cfg.quotes.min_words,
        continuation_paragraphs=cfg.quotes.continuation_paragraphs,
        merge_continuations=cfg.quotes.merge_continuations,
    )


def load_rules(path: str | Path | None = None) -> ClaimRules:
    """The claims lexicon at `path` (default: the configured one), read once per process."""
    return _load_rules(Path(path) if path is not None else default_lexicons().claims)


@functools.lru_cache(maxsize=4)
def _load_rules(path: Path) -> ClaimRules:
    return rules_from_toml(load_toml_as(path, ClaimsFile))
