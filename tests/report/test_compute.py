"""What each chart and table of the report shows, on small frames written here."""

from __future__ import annotations

import pandas as pd
import pytest

from newsevents.tasks.report import compute
from tests.report.frames import D, article, datasets, event, frame, records, utc


def test_facts_are_rows_the_text_does_not_mark_as_negated_hypothetical_or_future():
    events = frame(
        "events",
        [
            event("ASSAULT", aux_mode=m)
            for m in (None, "reported", "historical", "negated", "hypothetical", "future")
        ],
    )
    assert compute.is_fact(events).tolist() == [True, True, True, False, False, False]


def test_event_figures_share_publication_dates_and_places_among_facts():
    events = frame(
        "events",
        [
            event("ASSAULT", date_precision="publication", event_date=D(2025, 1, 2), place_text="Ramadi"),
            event("ASSAULT", date_precision="day", event_date=D(2025, 1, 1), latitude=1.0, longitude=2.0),
            event("AGREE", date_precision="publication", event_date=D(2025, 1, 2), place_text="Baghdad"),
            event("AGREE"),
            event("THREATEN", aux_mode="future", date_precision="publication", place_text="Mosul"),
        ],
    )
    fig = compute.event_figures(events)
    assert (fig["n_events"], fig["n_facts"], fig["n_non_facts"], fig["n_undated"]) == (5, 4, 1, 1)
    assert fig["publication_share"] == pytest.approx(2 / 4)
    assert fig["place_share"] == pytest.approx(2 / 4)
    assert fig["located_share"] == pytest.approx(1 / 4)
    assert compute.event_figures(frame("events", []))["publication_share"] is None  # n/a, not 0%


def test_window_is_the_last_days_up_to_the_latest_publication():
    articles = frame("articles", [article("a", published_at=utc("2025-06-30")), article("b")])
    events = frame(
        "events",
        [
            event("AGREE", event_date=D(2025, 6, 1)),
            event("AGREE", event_date=D(2020, 1, 1)),
            event("AGREE", event_date=D(2025, 7, 10)),
            event("AGREE", aux_mode="future", event_date=D(2019, 1, 1)),
        ],
    )
    window = compute.day_window(events, articles, None)
    assert (window.start, window.end, window.unit) == (D(2025, 4, 2), D(2025, 6, 30), "day")
    assert (window.n_before, window.n_after) == (1, 1)  # facts only: the future mention is not counted
    since = compute.day_window(events, articles, D(2024, 1, 1))
    assert (since.start, since.end, since.unit, since.n_before) == (D(2024, 1, 1), D(2025, 6, 30), "week", 1)


def test_window_without_publication_dates_spans_the_dated_events_in_wider_bins():
    articles = frame("articles", [article("a")])
    events = frame(
        "events", [event("AGREE", event_date=D(1990, 5, 1)), event("AGREE", event_date=D(2004, 3, 2))]
    )
    window = compute.day_window(events, articles, None)
    assert (window.start, window.end, window.unit) == (D(1990, 5, 1), D(2004, 3, 2), "month")
    empty = compute.day_window(frame("events", []), frame("articles", []), None)
    assert empty.start is None and compute.events_per_day(frame("events", []), empty).empty


def test_events_per_day_bins_by_the_window_unit_and_keeps_the_fact_flag():
    events = frame(
        "events",
        [
            event("AGREE", event_date=D(2025, 6, 4)),  # a Wednesday
            event("AGREE", event_date=D(2025, 6, 2)),
            event("AGREE", aux_mode="negated", event_date=D(2025, 6, 3)),
            event("ASSAULT", event_date=D(2025, 6, 2)),
            event("ASSAULT", event_date=D(2025, 5, 1)),  # before the window
            event("ASSAULT"),
        ],
    )
    days = compute.events_per_day(events, compute.Window(D(2025, 6, 1), D(2025, 6, 30), "day"))
    assert days.to_dict("records") == [
        {"day": "2025-06-02", "event_type": "AGREE", "fact": True, "n": 1},
        {"day": "2025-06-02", "event_type": "ASSAULT", "fact": True, "n": 1},
        {"day": "2025-06-03", "event_type": "AGREE", "fact": False, "n": 1},
        {"day": "2025-06-04", "event_type": "AGREE", "fact": True, "n": 1},
    ]
    weeks = compute.events_per_day(events, compute.Window(D(2025, 6, 1), D(2025, 6, 30), "week"))
    assert set(weeks["day"]) == {"2025-06-02"} and weeks["n"].sum() == 4
    years = compute.events_per_day(events, compute.Window(D(2025, 1, 1), D(2025, 12, 31), "year"))
    assert set(years["day"]) == {"2025-01-01"} and years["n"].sum() == 5


def test_type_totals_count_facts_all_and_publication_dated():
    events = frame(
        "events",
        [
            event("ASSAULT", date_precision="publication"),
            event("ASSAULT", aux_mode="hypothetical", date_precision="publication"),
            event("AGREE"),
        ],
    )
    assert compute.type_totals(events).to_dict("records") == [
        {"event_type": "ASSAULT", "facts": 1, "all": 2, "publication_dated": 1},
        {"event_type": "AGREE", "facts": 1, "all": 1, "publication_dated": 0},
    ]


def test_places_group_fact_events_per_point_with_their_main_type():
    ramadi = {"latitude": 33.42, "longitude": 43.3, "country": "IRQ"}
    events = frame(
        "events",
        [
            event("ASSAULT", place_text="Ramadi", **ramadi),
            event("ASSAULT", place_text="ramadi city", **ramadi),
            event("AGREE", place_text="Ramadi", **ramadi),
            event("COERCE", aux_mode="future", place_text="Ramadi", **ramadi),  # not a fact
            event("AGREE", place_text="Geneva", latitude=46.2, longitude=6.14, country="CHE"),
            event("AGREE", place_text="Nowhere"),  # no coordinates: not on the map
        ],
    )
    places = compute.event_places(events)
    assert places[["place", "country", "n", "top_type", "types"]].to_dict("records") == [
        {"place": "Ramadi", "country": "IRQ", "n": 3, "top_type": "ASSAULT", "types": "ASSAULT 2, AGREE 1"},
        {"place": "Geneva", "country": "CHE", "n": 1, "top_type": "AGREE", "types": "AGREE 1"},
    ]
    assert len(compute.event_places(events, limit=1)) == 1
    assert compute.event_places(frame("events", [])).empty


def test_a_tie_between_types_goes_to_the_earlier_plover_type():
    point = {"latitude": 1.0, "longitude": 1.0}
    events = frame("events", [event("ASSAULT", **point), event("AGREE", **point)])
    assert compute.event_places(events)["top_type"].tolist() == ["AGREE"]
    assert compute.event_places(events)["place"].tolist() == ["1.00, 1.00"]  # no name: its coordinates


ACTORS = frame(
    "actors",
    [
        {"actor_id": "us", "name": "United States", "actor_type": "GPE", "country": "USA", "n_mentions": 9},
        {"actor_id": "irq", "name": "Iraq", "actor_type": "GPE", "country": "IRQ", "n_mentions": 5},
        {"actor_id": "is", "name": "Islamic State", "actor_type": "ORG", "sector": "REB", "n_mentions": 7},
        {"actor_id": "quiet", "name": "Quiet Person", "actor_type": "PERSON", "n_mentions": 1},
        {"actor_id": "never", "name": "Never Mentioned", "actor_type": "ORG", "n_mentions": 0},
    ],
)


def _pair(etype: str, source: str | None, target: str | None, **kw) -> dict:
    return event(etype, source_actor_id=source, target_actor_id=target, **kw)


PAIR_EVENTS = frame(
    "events",
    [
        _pair("ASSAULT", "is", "irq"),
        _pair("ASSAULT", "is", "irq"),
        _pair("COERCE", "is", "irq"),
        _pair("SUPPORT", "us", "irq"),
        _pair("SUPPORT", "us", "irq", aux_mode="hypothetical"),  # not a fact
        _pair("ACCUSE", "irq", None),  # no target: not a pair
    ],
)


def test_actor_pairs_rank_resolved_pairs_with_counts_by_type():
    pairs = compute.actor_pairs(PAIR_EVENTS, ACTORS)
    assert pairs[["pair", "event_type", "n", "total"]].to_dict("records") == [
        {"pair": "Islamic State → Iraq", "event_type": "ASSAULT", "n": 2, "total": 3},
        {"pair": "Islamic State → Iraq", "event_type": "COERCE", "n": 1, "total": 3},
        {"pair": "United States → Iraq", "event_type": "SUPPORT", "n": 1, "total": 1},
    ]
    assert compute.actor_pairs(PAIR_EVENTS, ACTORS, limit=1)["pair"].unique().tolist() == [
        "Islamic State → Iraq"
    ]
    assert compute.pair_table(pairs).to_dict("records") == [
        {"source": "Islamic State", "target": "Iraq", "total": 3, "types": "ASSAULT 2, COERCE 1"},
        {"source": "United States", "target": "Iraq", "total": 1, "types": "SUPPORT 1"},
    ]


def test_top_actors_rank_by_fact_events_then_mentions_with_country_and_sector():
    top = compute.top_actors(PAIR_EVENTS, ACTORS)
    cols = ["name", "country", "sector", "as_source", "as_target", "n_events", "n_mentions"]
    assert records(top[cols]) == [
        {
            "name": "Iraq",
            "country": "IRQ",
            "sector": None,
            "as_source": 1,
            "as_target": 4,
            "n_events": 5,
            "n_mentions": 5,
        },
        {
            "name": "Islamic State",
            "country": None,
            "sector": "REB",
            "as_source": 3,
            "as_target": 0,
            "n_events": 3,
            "n_mentions": 7,
        },
        {
            "name": "United States",
            "country": "USA",
            "sector": None,
            "as_source": 1,
            "as_target": 0,
            "n_events": 1,
            "n_mentions": 9,
        },
        {
            "name": "Quiet Person",
            "country": None,
            "sector": None,
            "as_source": 0,
            "as_target": 0,
            "n_events": 0,
            "n_mentions": 1,
        },
    ]


CLAIMS = frame(
    "claims",
    [
        {
            "article_id": "a1",
            "speaker": "Mr Smith",
            "speaker_actor_id": "us",
            "kind": "direct",
            "content": "x",
        },
        {
            "article_id": "a1",
            "speaker": "he",
            "speaker_actor_id": "us",
            "kind": "indirect",
            "content": "y",
            "attribution": "pronoun",
        },
        {"article_id": "a2", "speaker": "he", "kind": "indirect", "content": "z", "attribution": "pronoun"},
        {
            "article_id": "a2",
            "speaker": "officials",
            "kind": "indirect",
            "content": "w",
            "attribution": "anonymous",
        },
        {"article_id": "a3", "speaker": None, "kind": "mixed", "content": "v"},
    ],
)


def test_speakers_are_resolved_actors_else_the_phrase_but_never_a_bare_pronoun():
    names = compute.speaker_names(CLAIMS, ACTORS)
    assert [n if isinstance(n, str) else None for n in names] == [
        "United States",
        "United States",
        None,
        "officials",
        None,
    ]
    speakers = compute.top_speakers(CLAIMS, ACTORS)
    assert speakers.to_dict("records") == [
        {"speaker": "United States", "kind": "direct", "n": 1, "total": 2},
        {"speaker": "United States", "kind": "indirect", "n": 1, "total": 2},
        {"speaker": "officials", "kind": "indirect", "n": 1, "total": 1},
    ]
    assert compute.speaker_table(speakers).to_dict("records") == [
        {"speaker": "United States", "direct": 1, "indirect": 1, "mixed": 0, "total": 2},
        {"speaker": "officials", "direct": 0, "indirect": 1, "mixed": 0, "total": 1},
    ]


def test_claim_kinds_share_direct_and_reported_speech():
    kinds = compute.claim_kinds(CLAIMS)
    assert kinds.to_dict("records") == [
        {"kind": "direct", "n": 1, "share": pytest.approx(0.2)},
        {"kind": "indirect", "n": 3, "share": pytest.approx(0.6)},
        {"kind": "mixed", "n": 1, "share": pytest.approx(0.2)},
    ]
    assert compute.claim_kinds(frame("claims", []))["share"].isna().all()


LINK_ARTICLES = frame(
    "articles",
    [
        article("a1", title="Old story", published_at=utc("2025-01-01"), url="https://example.org/a1"),
        article(
            "a2",
            title="New story",
            published_at=utc("2025-03-01"),
            source_path="feeds/x.jsonl",
            source_id="rec-7",
        ),
        article("a3", title=None, source_path="wire/untitled.txt"),
    ],
)
LEDGER = pd.DataFrame(
    {
        "input_path": ["/data/in/feeds/x.jsonl", "/data/in/wire/untitled.txt"],
        "source_path": ["feeds/x.jsonl", "wire/untitled.txt"],
    }
)


def test_article_links_prefer_the_url_else_the_input_file_with_the_record_id():
    links = compute.article_links(LINK_ARTICLES, LEDGER).set_index("article_id")
    assert links.loc["a1", "href"] == "https://example.org/a1"
    assert links.loc["a2", "href"] == "file:///data/in/feeds/x.jsonl"
    assert links.loc["a2", "path"] == "feeds/x.jsonl#rec-7" and links.loc["a2", "published"] == "2025-03-01"
    assert links.loc["a3", "title"] == "wire/untitled.txt"  # no title: its path
    unknown = compute.article_links(LINK_ARTICLES, LEDGER.iloc[:0]).set_index("article_id")
    assert pd.isna(unknown.loc["a3", "href"])


def test_recent_claims_come_from_the_newest_articles_two_each_clipped():
    claims = frame(
        "claims",
        [{"article_id": "a1", "speaker": "Old", "kind": "direct", "content": "old"}]
        + [
            {"article_id": "a2", "speaker": f"S{i}", "kind": "direct", "content": "word " * 100}
            for i in range(3)
        ]
        + [{"article_id": "a3", "speaker": "Undated", "kind": "direct", "content": "undated"}],
    )
    links = compute.article_links(LINK_ARTICLES, LEDGER)
    sample = compute.recent_claims(claims, ACTORS, links, limit=4, max_chars=40)
    assert sample["speaker"].tolist() == ["S0", "S1", "Old", "Undated"]
    assert sample["title"].tolist()[:3] == ["New story", "New story", "Old story"]
    assert len(sample["content"][0]) == 40 and sample["content"][0].endswith("…")


def test_recent_events_name_resolved_actors_and_keep_unresolved_phrases():
    events = frame(
        "events",
        [
            _pair("ASSAULT", "is", None, target_text="the town", event_date=D(2025, 2, 27), article_id="a2"),
            _pair("AGREE", None, "us", source_text="rebels", aux_mode="future", article_id="a2"),
        ],
    )
    sample = compute.recent_events(events, ACTORS, compute.article_links(LINK_ARTICLES, LEDGER))
    assert sample[["event_date", "source", "target", "title"]].to_dict("records") == [
        {"event_date": "2025-02-27", "source": "Islamic State", "target": "the town", "title": "New story"}
    ]


def test_rejects_and_languages_are_counted_biggest_first():
    rejects = frame("rejects", [{"reason": r} for r in ("empty", "bad_json", "empty")])
    assert compute.reject_reasons(rejects).to_dict("records") == [
        {"reason": "empty", "n": 2},
        {"reason": "bad_json", "n": 1},
    ]
    articles = frame("articles", [article("a", language="en"), article("b"), article("c", language="en")])
    assert compute.languages(articles).to_dict("records") == [
        {"language": "en", "n": 2},
        {"language": "unknown", "n": 1},
    ]


RUN_1, RUN_2 = "20250101T020000Z-aaaaaa", "20250102T020000Z-bbbbbb"


def test_runs_come_from_the_history_else_from_their_rows():
    articles = frame(
        "articles",
        [
            article("a", run_id=RUN_1),
            article("b", run_id=RUN_1, duplicate_of="a"),
            article("c", run_id=RUN_2),
        ],
    )
    rejects = frame("rejects", [{"reason": "empty", "run_id": RUN_1}])
    history = [
        {
            "run_id": RUN_2,
            "kind": "run",
            "n_articles": 1,
            "n_duplicates": 0,
            "n_rejected": 0,
            "n_extracted": 1,
            "stage_seconds": {"read": 1.5, "extract": 2.0},
        },
        {"run_id": "20250103T020000Z-cccccc", "kind": "reprocess", "n_extracted": 2, "stage_seconds": {}},
    ]
    runs = compute.run_table(history, articles, rejects)
    assert runs[["started", "kind", "n_articles", "n_duplicates", "n_rejected"]].to_dict("records") == [
        {
            "started": "2025-01-01T02:00:00Z",
            "kind": "run",
            "n_articles": 2,
            "n_duplicates": 1,
            "n_rejected": 1,
        },
        {
            "started": "2025-01-02T02:00:00Z",
            "kind": "run",
            "n_articles": 1,
            "n_duplicates": 0,
            "n_rejected": 0,
        },
        {
            "started": "2025-01-03T02:00:00Z",
            "kind": "reprocess",
            "n_articles": 0,
            "n_duplicates": 0,
            "n_rejected": 0,
        },
    ]
    assert (
        pd.isna(runs["seconds"][0])
        and runs["seconds"][1] == pytest.approx(3.5)
        and pd.isna(runs["seconds"][2])
    )
    trend = compute.run_trend(runs, last=2)
    assert set(trend["run_id"]) == {RUN_2, "20250103T020000Z-cccccc"} and len(trend) == 6
    assert compute.stage_times(history[0]).to_dict("records") == [
        {"stage": "read", "seconds": 1.5},
        {"stage": "extract", "seconds": 2.0},
    ]
    stored = {"stage_seconds": {"commit": 1, "dedup": 2, "extract": 3, "plan": 4, "read": 5, "zzz": 6}}
    assert compute.stage_times(stored)["stage"].tolist() == [
        "plan",
        "read",
        "dedup",
        "extract",
        "commit",
        "zzz",
    ]
    assert compute.stage_times(None).empty
    last = compute.batch_figures(runs.iloc[:2], history[0])
    assert last["run_id"] == RUN_2 and last["warnings"] == []
    assert compute.batch_figures(runs.iloc[:0], None) == {"run_id": None}
    assert compute.run_started("not-a-run") is None


def test_since_keeps_events_dated_claims_published_and_runs_started_from_that_day():
    data = datasets(
        articles=[
            article("old", published_at=utc("2025-01-01"), run_id=RUN_1),
            article("new", published_at=utc("2025-03-01"), run_id=RUN_2),
            article("undated", run_id=RUN_2),
        ],
        events=[
            event("AGREE", event_date=D(2025, 2, 28)),
            event("AGREE", event_date=D(2025, 1, 1)),
            event("AGREE"),
        ],
        claims=[{"article_id": a, "kind": "direct", "content": "c"} for a in ("old", "new", "undated")],
        rejects=[{"reason": "empty", "run_id": RUN_1}],
        history=[{"run_id": RUN_1}, {"run_id": RUN_2}],
    )
    shown = compute.since_filter(data, D(2025, 1, 2))
    assert shown.events["event_date"].tolist() == [D(2025, 2, 28)]
    assert shown.claims["article_id"].tolist() == ["new"]
    assert set(shown.articles["article_id"]) == {"new", "undated"} and shown.rejects.empty
    assert [r["run_id"] for r in shown.history] == [RUN_2]
    assert compute.since_filter(data, None) is data
    assert list(compute.since_filter(datasets(), D(2025, 1, 2)).events.columns) == list(data.events.columns)


def test_event_types_keep_the_plover_order_and_add_new_ones_last():
    types = compute.event_types(["ASSAULT", "INVESTIGATE", "AGREE"])
    assert types[:2] == ["AGREE", "CONSULT"] and types[-1] == "INVESTIGATE" and len(types) == 17
