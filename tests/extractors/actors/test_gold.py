"""Actors on real text: ConfliBERT's gold actor spans and a slice of the BBC corpus (../shared)."""

from __future__ import annotations

import pytest

from benchmarks.actors_conflibert import gold_sentences
from newsevents.tasks.extractors.actors.aggregate import aggregate_actors
from newsevents.tasks.extractors.actors.extract import extract_mentions
from newsevents.tasks.ingest.clean import clean_doc
from newsevents.tasks.ingest.readers import read_file
from newsevents.tasks.records import Article
from newsevents.tasks.store.actors import most_mentioned, suspected_duplicates
from tests.conftest import needs_shared

pytestmark = pytest.mark.shared


def test_conflibert_source_and_target_spans_are_actor_mentions(nlp):
    sents = gold_sentences(needs_shared("gold", "conflibert", "cameo_ner", "test.txt"), limit=120)
    found = total = 0
    for sent, doc in zip(sents, nlp.pipe(s.text for s in sents), strict=True):
        spans = [(m.start, m.end) for m, _ in extract_mentions(doc, sent.sid)]
        for tag, a, b in sent.spans:
            if tag in ("S", "T"):
                total += 1
                found += any(s < b and a < e for s, e in spans)
    assert total > 200 and found / total >= 0.85


def test_bbc_politics_top_actors_are_distinct_entities(nlp, cfg):
    folder = needs_shared("corpora", "bbc", "politics")
    texts = []
    for path in sorted(folder.glob("*.txt"))[:50]:
        for raw in read_file(path, path.name, cfg.input.max_file_bytes).docs:
            art = clean_doc(raw)
            if isinstance(art, Article):
                texts.append(art.text)
    pairs = [p for i, doc in enumerate(nlp.pipe(texts)) for p in extract_mentions(doc, f"bbc{i}")]
    top = most_mentioned(aggregate_actors(pairs), 20)
    names = {a.name for a in top}
    assert {"Tony Blair", "United Kingdom", "Conservative Party", "Labour Party"} <= names
    assert not [(a.name, b.name) for a, b in suspected_duplicates(top)]
