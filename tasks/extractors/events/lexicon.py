"""The PLOVER trigger lexicon (config/lexicons/events.toml), parsed and inflected once per process.

The pipeline runs without spaCy's lemmatizer (it is excluded for speed), so the lexicon is
looked up by surface form: every base form is expanded here into its inflections ("seize" ->
seizes, seized, seizing; "strike" -> strikes, struck) and every lookup is one dict access.
Over-generated forms ("visitted") never occur in text, so generation errs on the generous side.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
from pydantic import Field, ValidationError
from spacy.strings import hash_string

from newsevents.tasks.config import ConfigError, StrictModel, default_lexicons, load_toml_as
from newsevents.tasks.nlp.inflect import noun_forms, verb_forms

PLOVER_TYPES = frozenset(
    {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
        "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    }
)  # fmt: skip
# Types whose refusal is itself an event ("would not provide support" is a REJECT): PLOVER
# codes the negation of cooperation as rejection, and the negation of conflict as nothing.
COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"})
CONFLICTUAL = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "THREATEN", "PROTEST", "ACCUSE"})

CONDITION_KINDS = frozenset({"subject", "object", "modifier", "prep", "head", "no-object"})
# Classes that are answered from entity labels and mentions rather than from word lists.
# Classes the parse decides, not a word list: a place or actor mention, a person (named, or a
# person noun or pronoun), a personal pronoun ("denied it").
# "clause" is a clausal complement ("agree that ...").
ENTITY_CLASSES = frozenset({"place", "actor", "person", "pronoun", "clause"})


class LexiconError(ConfigError):
    """The lexicon file has a rule or class that cannot be used; the message names it."""


@dataclass(frozen=True, slots=True)
class Condition:
    kind: str
    values: frozenset[str] = frozenset()
    negate: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    event_type: str
    mode: str | None
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class NounEntry:
    """A noun trigger; `before` are words that must precede it ("suicide" bombing), `of` the
    noun its "of" phrase must hold ("state of emergency")."""

    rules: tuple[Rule, ...]
    before: tuple[str, ...] = ()
    of: str | None = None


@dataclass(frozen=True, slots=True)
class Frames:
    intent: frozenset[str]
    request: frozenset[str]
    coerce: frozenset[str]
    cause: frozenset[str]
    negating: frozenset[str]
    preventing: frozenset[str]
    transfer: frozenset[str]
    instrument: frozenset[str]
    noun_frames: dict[str, str]
    transparent: frozenset[str]
    future: frozenset[str]
    reporting: frozenset[str]
    hypothetical_modals: frozenset[str]
    future_modals: frozenset[str]
    hypothetical_modifiers: frozenset[str]
    future_modifiers: frozenset[str]
    descriptive: frozenset[str]


class _Settings(StrictModel):
    historical_days: int = Field(ge=0)


class _LightVerbs(StrictModel):
    verbs: list[str]
    reversed: list[str]
    occurrence: list[str]


class _Frames(StrictModel):
    intent: list[str]
    request: list[str]
    coerce: list[str]
    cause: list[str]
    negating: list[str]
    preventing: list[str]
    transparent: list[str]
    transfer: list[str]
    future: list[str]
    instrument: list[str]
    reporting: list[str]
    hypothetical_modals: list[str]
    future_modals: list[str]
    hypothetical_modifiers: list[str]
    future_modifiers: list[str]
    descriptive: list[str]


Rules = str | list[str]


class _Speech(StrictModel):
    cues: list[str]
    negative: list[str]
    positive: list[str]
    denial: list[str]
    negative_threshold: float = Field(lt=0)
    positive_threshold: float = Field(gt=0)
    strong_negative: float = Field(lt=0)


class EventsFile(StrictModel):
    """config/lexicons/events.toml; an unknown section ("[verbz]") or key is refused, named."""

    settings: _Settings
    verbs: dict[str, Rules]
    verb_objects: dict[str, Rules]
    verb_prep_objects: dict[str, Rules]
    nouns: dict[str, Rules]
    light_verbs: _LightVerbs
    frames: _Frames
    noun_frames: dict[str, str]
    speech: _Speech
    classes: dict[str, list[str]]
    irregular: dict[str, list[str]]


@functools.cache
def vader_valence() -> Mapping[str, float]:
    """Word -> mean valence (-4..4) from the vaderSentiment package's lexicon file (read as data;
    the analyser itself is not used: it scores whole texts, we need the words of one predicate)."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    out: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            out[parts[0]] = float(parts[1])
    return out


@dataclass(frozen=True, slots=True)
class SpeechLexicon:
    """[speech] of the events lexicon, with the valence table it extends."""

    cues: frozenset[str]  # reporting verb forms whose statement may be a speech act
    negative: frozenset[str]  # words VADER lacks that condemn ("thug", "pandering")
    positive: frozenset[str]
    denial: frozenset[str]  # "nonsense", "untrue", "baseless"
    negative_threshold: float
    positive_threshold: float
    strong_negative: float = -2.5
    valence: Mapping[str, float] = field(default_factory=dict, repr=False)

    def score(self, word: str) -> float:
        w = word.lower()
        if w in self.negative:
            return -3.0
        if w in self.positive:
            return 3.0
        v = self.valence.get(w)
        if v is None and w.endswith("s"):
            v = self.valence.get(w[:-1])
        return v or 0.0


@dataclass(slots=True)
class Lexicon:
    settings: _Settings
    # verb base -> [(particle or None, rules)], most specific (with particle) first
    verbs: dict[str, list[tuple[str | None, tuple[Rule, ...]]]]
    verb_objects: dict[tuple[str, str], tuple[Rule, ...]]
    verb_prep_objects: dict[tuple[str, str, str], tuple[Rule, ...]]
    nouns: dict[str, list[NounEntry]]
    light: frozenset[str]
    light_particles: dict[str, frozenset[str]]
    reversed: frozenset[str]
    occurrence: frozenset[str]
    frames: Frames
    classes: dict[str, frozenset[str]]
    speech: SpeechLexicon | None = None
    verb_base: dict[str, str] = field(default_factory=dict)
    noun_base: dict[str, str] = field(default_factory=dict)
    # Verb bases that start any trigger (alone, with a particle, or in an idiom): the one
    # lookup every verb of a text pays before any parse walking.
    verb_triggers: frozenset[str] = frozenset()
    # spaCy LOWER hashes of every surface form that can head a trigger: a text's tokens are
    # screened against it in one vectorised step before any Token object is made.
    form_hashes: frozenset[int] = frozenset()
    form_hash_array: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.uint64))

    def verb_lemma(self, form: str) -> str:
        """Base form of a verb form; unknown forms are stripped of a regular ending."""
        form = form.lower()
        base = self.verb_base.get(form)
        if base is not None:
            return base
        return _naive_verb_base(form)

    def noun_lemma(self, form: str) -> str:
        form = form.lower()
        base = self.noun_base.get(form)
        if base is not None:
            return base
        return _naive_noun_base(form)

    def in_class(self, name: str, form: str) -> bool:
        words = self.classes.get(name)
        return words is not None and form.lower() in words


# ---------------------------------------------------------------- inflection


def _naive_verb_base(form: str) -> str:
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if form.endswith(suffix) and len(form) - len(suffix) >= 3:
            return form[: -len(suffix)] + repl
    return form


def _naive_noun_base(form: str) -> str:
    if form.endswith("ies") and len(form) > 4:
        return form[:-3] + "y"
    if form.endswith(("ches", "shes", "sses", "xes")):
        return form[:-2]
    if form.endswith("s") and not form.endswith(("ss", "us", "is")) and len(form) > 3:
        return form[:-1]
    return form


# ---------------------------------------------------------------- parsing


def parse_rule(text: str, classes: dict[str, frozenset[str]]) -> Rule:
    """'TYPE[/mode] [if kind:value|value, ...]' -> Rule."""
    head, _, cond_text = text.partition(" if ")
    head = head.strip()
    etype, _, mode = head.partition("/")
    if etype not in PLOVER_TYPES:
        raise LexiconError(f"rule {text!r}: {etype!r} is not a PLOVER event type")
    conditions = []
    for raw in filter(None, (c.strip() for c in cond_text.split(","))):
        kind, _, value = raw.partition(":")
        negate = kind.startswith("!") or value.startswith("!")
        kind, value = kind.lstrip("!"), value.lstrip("!")
        if kind not in CONDITION_KINDS:
            raise LexiconError(f"rule {text!r}: unknown condition {kind!r}")
        values = frozenset(v.strip().lower() for v in value.split("|") if v.strip())
        if kind in ("subject", "object", "modifier"):
            unknown = [v for v in values if v not in classes and v not in ENTITY_CLASSES]
            if unknown:
                raise LexiconError(f"rule {text!r}: unknown class {unknown[0]!r}")
        conditions.append(Condition(kind, values, negate))
    return Rule(etype, mode.strip() or None, tuple(conditions))


def _rules(value: str | list[str], classes: dict[str, frozenset[str]]) -> tuple[Rule, ...]:
    items = [value] if isinstance(value, str) else list(value)
    return tuple(parse_rule(v, classes) for v in items)


def build_lexicon(data: dict | EventsFile) -> Lexicon:
    """Typed, inflected lookup tables from the TOML document."""
    if not isinstance(data, EventsFile):
        try:
            data = EventsFile.model_validate(data)
        except ValidationError as exc:
            raise LexiconError(f"invalid event lexicon: {exc}") from None
    data = data.model_dump()
    irregular: dict[str, list[str]] = {
        k.lower(): [f.lower() for f in v] for k, v in data["irregular"].items()
    }
    verb_base: dict[str, str] = {}
    noun_base: dict[str, str] = {}

    def add_verb(base: str) -> None:
        for form in verb_forms(base, irregular.get(base, ())):
            verb_base.setdefault(form, base)

    def add_noun(base: str) -> None:
        for form in noun_forms(base):
            noun_base.setdefault(form, base)

    classes: dict[str, frozenset[str]] = {}
    for name, words in data["classes"].items():
        forms: set[str] = set()
        for w in words:
            *pre, last = w.lower().split()
            for f in noun_forms(last):
                forms.add(" ".join([*pre, f]))
            add_noun(last)
        classes[name] = frozenset(forms)

    verbs: dict[str, list[tuple[str | None, tuple[Rule, ...]]]] = {}
    for key, value in data["verbs"].items():
        base, *rest = key.lower().split()
        particle = " ".join(rest) or None
        verbs.setdefault(base, []).append((particle, _rules(value, classes)))
        add_verb(base)
    for entries in verbs.values():
        entries.sort(key=lambda e: e[0] is None)

    verb_objects = {}
    for key, value in data["verb_objects"].items():
        v, n = key.lower().split(maxsplit=1)
        verb_objects[(v, n)] = _rules(value, classes)
        add_verb(v)
        add_noun(n)
    verb_prep_objects = {}
    for key, value in data["verb_prep_objects"].items():
        v, p, *n = key.lower().split()
        verb_prep_objects[(v, p, n[-1])] = _rules(value, classes)
        add_verb(v)
        add_noun(n[-1])

    nouns: dict[str, list[NounEntry]] = {}
    for key, value in data["nouns"].items():
        words = key.lower().split()
        rules = _rules(value, classes)
        if len(words) >= 3 and words[1] == "of":
            entry = NounEntry(rules, of=words[2])
            head = words[0]
        else:
            entry = NounEntry(rules, before=tuple(words[:-1]))
            head = words[-1]
        nouns.setdefault(head, []).append(entry)
        add_noun(head)
    for entries in nouns.values():
        entries.sort(key=lambda e: -(len(e.before) + (e.of is not None)))

    light_words: set[str] = set()
    light_particles: dict[str, set[str]] = {}
    for phrase in data["light_verbs"]["verbs"]:
        base, *rest = phrase.lower().split()
        light_words.add(base)
        add_verb(base)
        if rest:
            light_particles.setdefault(base, set()).add(" ".join(rest))
    reversed_words = set()
    for phrase in data["light_verbs"]["reversed"]:
        base = phrase.lower().split()[0]
        reversed_words.add(base)
        add_verb(base)
    occurrence = set()
    for phrase in data["light_verbs"]["occurrence"]:
        base = phrase.lower().split()[0]
        occurrence.add(base)
        add_verb(base)

    fr = data["frames"]

    def verbset(name: str) -> frozenset[str]:
        out = set()
        for phrase in fr[name]:
            words = phrase.lower().split()
            base = words[-1] if words[0] == "be" and len(words) > 1 else words[0]
            out.add(base)
            if words[0] != "be":
                add_verb(base)
        return frozenset(out)

    frames = Frames(
        intent=verbset("intent"),
        request=verbset("request"),
        coerce=verbset("coerce"),
        cause=verbset("cause"),
        negating=verbset("negating"),
        preventing=verbset("preventing"),
        transfer=verbset("transfer"),
        instrument=verbset("instrument"),
        noun_frames={k.lower(): v.lower().split()[0] for k, v in data["noun_frames"].items()},
        transparent=verbset("transparent"),
        future=verbset("future"),
        reporting=verbset("reporting"),
        hypothetical_modals=frozenset(w.lower() for w in fr["hypothetical_modals"]),
        future_modals=frozenset(w.lower() for w in fr["future_modals"]),
        hypothetical_modifiers=frozenset(w.lower() for w in fr["hypothetical_modifiers"]),
        future_modifiers=frozenset(w.lower() for w in fr["future_modifiers"]),
        descriptive=verbset("descriptive"),
    )
    for base in irregular:
        add_verb(base)
    # Head conditions name verbs too ("head:impose|declare"): make their forms known.
    for rules in [r for entries in nouns.values() for e in entries for r in e.rules]:
        for cond in rules.conditions:
            if cond.kind == "head":
                for v in cond.values:
                    add_verb(v)

    verb_triggers = frozenset(verbs) | {v for v, _ in verb_objects} | {v for v, _, _ in verb_prep_objects}
    forms = {f for f, b in verb_base.items() if b in verb_triggers}
    for f, b in noun_base.items():
        if b in nouns:
            forms.add(f)
            forms.add(f.rsplit("-", 1)[-1])  # "sit-in" is tokenized "sit", "-", "in"
    return Lexicon(
        settings=_Settings(**data["settings"]),
        verbs=verbs,
        verb_objects=verb_objects,
        verb_prep_objects=verb_prep_objects,
        nouns=nouns,
        light=frozenset(light_words),
        light_particles={k: frozenset(v) for k, v in light_particles.items()},
        reversed=frozenset(reversed_words),
        occurrence=frozenset(occurrence),
        frames=frames,
        classes=classes,
        speech=SpeechLexicon(
            cues=frozenset(f for b in data["speech"]["cues"] for f in verb_forms(b, irregular.get(b, ()))),
            negative=frozenset(w.lower() for w in data["speech"]["negative"]),
            positive=frozenset(w.lower() for w in data["speech"]["positive"]),
            denial=frozenset(w.lower() for w in data["speech"]["denial"]),
            negative_threshold=data["speech"]["negative_threshold"],
            positive_threshold=data["speech"]["positive_threshold"],
            strong_negative=data["speech"]["strong_negative"],
            valence=vader_valence(),
        ),
        verb_base=verb_base,
        noun_base=noun_base,
        verb_triggers=verb_triggers,
        form_hashes=frozenset(hash_string(f) for f in forms),
        form_hash_array=np.array(sorted(hash_string(f) for f in forms), dtype=np.uint64),
    )


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The lexicon at `path` (default: the configured one), parsed once per process."""
    return _load_lexicon(Path(path) if path is not None else default_lexicons().events)


@functools.lru_cache(maxsize=4)
def _load_lexicon(path: Path) -> Lexicon:
    return build_lexicon(load_toml_as(path, EventsFile))
