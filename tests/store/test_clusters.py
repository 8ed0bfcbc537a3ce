"""Event clusters: one row per real event, counted over distinct non-duplicate articles and
outlets, recomputed across runs."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from newsevents.tasks.store.clusters import ArticleRow, EventRow, cluster_events, source_key
from newsevents.tasks.store.queries import run_query
from tests.stages.test_stages import run_stages


def ev(eid, aid, day, etype="ASSAULT", src="s1", tgt="t1", geo=7):
    return EventRow(eid, aid, etype, src, tgt, geo, date(2015, 5, day) if day else None)


ARTICLES = {
    "a1": ArticleRow("a1", "Wire One"),
    "a2": ArticleRow("a2", None, "https://www.example-news.org/world/1"),
    "a3": ArticleRow("a3", "wire one"),  # the same outlet, spelt differently
    "a4": ArticleRow("a4", "Other", duplicate_of="a1"),
}


def test_same_key_within_a_day_is_one_cluster():
    clusters = cluster_events([ev("e1", "a1", 18), ev("e2", "a2", 19), ev("e3", "a3", 18)], ARTICLES)
    assert len(clusters) == 1
    c = clusters[0]
    assert (c.n_events, c.n_articles, c.n_sources) == (3, 3, 2)
    assert (c.date_start, c.date_end) == (date(2015, 5, 18), date(2015, 5, 19))
    assert c.event_ids == ["e1", "e2", "e3"]


def test_dates_chain_but_gaps_split():
    clusters = cluster_events(
        [ev("e1", "a1", 1), ev("e2", "a2", 2), ev("e3", "a3", 3), ev("e4", "a1", 9)], ARTICLES
    )
    assert sorted(c.n_events for c in clusters) == [1, 3]


def test_any_difference_in_the_key_splits():
    rows = [ev("e1", "a1", 18), ev("e2", "a2", 18, etype="PROTEST"), ev("e3", "a2", 18, src=None),
            ev("e4", "a2", 18, geo=8)]  # fmt: skip
    assert len(cluster_events(rows, ARTICLES)) == 4


def test_duplicates_are_not_counted_and_undated_events_stand_alone():
    clusters = cluster_events([ev("e1", "a1", 18), ev("e2", "a4", 18), ev("e3", "a2", None)], ARTICLES)
    assert sorted((c.n_articles, c.date_start is None) for c in clusters) == [(1, False), (1, True)]


def test_source_key():
    assert source_key(ArticleRow("x", " Reuters ")) == "reuters"
    assert source_key(ArticleRow("x", None, "https://www.bbc.co.uk/news/1")) == "bbc.co.uk"
    assert source_key(ArticleRow("x")) is None


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


STORY = "Israel released twenty Palestinian prisoners on Monday, officials said."


def test_clusters_across_articles_and_runs(tmp_path, cfg, nlp):
    inp, root = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    _write(
        inp / "day1.jsonl",
        [
            {"id": "w1", "text": STORY, "published_at": "2015-05-19", "publisher": "Wire One"},
            {
                "id": "w2",
                "text": "Israel released twenty Palestinian prisoners on Monday.",
                "published_at": "2015-05-20",
                "publisher": "Daily Two",
            },
            {"id": "w3", "text": "Police arrested five men in Haifa.", "published_at": "2015-05-20"},
        ],
    )
    first = run_stages(inp, root, cfg)
    clusters = pd.read_parquet(root / "event_clusters")
    release = clusters[clusters.event_type == "RETREAT"]
    assert len(release) == 1
    assert (release.n_articles.iloc[0], release.n_sources.iloc[0]) == (2, 2)
    events = pd.read_parquet(root / "events")
    assert set(clusters.event_ids.explode()) == set(events.event_id)  # every event is in one cluster

    # A second run with a copy (a duplicate) and a new outlet's report of the same release.
    _write(
        inp / "day2.jsonl",
        [
            {"id": "w4", "text": STORY, "published_at": "2015-05-19", "publisher": "Copycat"},
            {
                "id": "w5",
                "text": "On Monday Israel released twenty Palestinian prisoners.",
                "published_at": "2015-05-21",
                "publisher": "Third Post",
            },
        ],
    )
    run_stages(inp, root, cfg)
    clusters = pd.read_parquet(root / "event_clusters")
    release = clusters[clusters.event_type == "RETREAT"].iloc[0]
    assert (release.n_articles, release.n_sources) == (3, 3)
    assert first.totals["event_clusters"] == len(clusters)  # joined, not added

    top = run_query(root, "top-events", limit=1).iloc[0]
    assert (top.event_type, top.source, top.n_articles) == ("RETREAT", "Israel", 3)
