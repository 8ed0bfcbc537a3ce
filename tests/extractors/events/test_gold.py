"""Event typing against the shared gold sets, scored with the evaluation's own loader and
scorer (../shared/eval/events_gold.py) but without the pipeline around it, so it stays fast.
The thresholds sit a little under what the branch measures: a regression guard, not a target."""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime

import pytest

from newsevents.tasks.extractors.actors.extract import extract_mentions
from newsevents.tasks.extractors.events.extract import extract_events
from newsevents.tasks.records import ArticleContext
from tests.conftest import ROOT, needs_shared

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def scorer():
    needs_shared("gold", "plover")
    path = ROOT.parent / "shared" / "eval" / "events_gold.py"
    if not path.exists():
        pytest.skip(f"{path} not available")
    spec = importlib.util.spec_from_file_location("events_gold", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _type_f1(scorer, nlp, set_name: str, limit: int | None = None) -> float:
    sents = scorer.load_gold(set_name, limit=limit)
    pred = {}
    for s, doc in zip(sents, nlp.pipe(s.text for s in sents), strict=True):
        published = datetime.fromisoformat(s.date) if s.date else None
        mentions = [m for m, _ in extract_mentions(doc, s.id)]
        events = extract_events(doc, ArticleContext(s.id, published), mentions, [])
        pred[s.id] = [(e.event_type, e.start, None, None) for e in events]
    metrics, _ = scorer.score(set_name, sents, pred, 0)
    return metrics["type_f1"]


def test_petr2_type_f1(scorer, nlp):
    assert _type_f1(scorer, nlp, "petr2") >= 0.62


def test_case2021_type_f1(scorer, nlp):
    assert _type_f1(scorer, nlp, "case2021", limit=300) >= 0.75
