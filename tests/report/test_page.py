"""The HTML pieces and the chart specs: escaping, links, empty charts, inlined data."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from newsevents.tasks.report import charts, compute, page
from tests.report.frames import D, event, frame


def test_missing_values_print_as_empty_cells_and_text_is_escaped():
    assert page.esc(None) == page.esc(math.nan) == ""
    assert page.esc("<b>&") == "&lt;b&gt;&amp;"
    assert page.number(1234567) == "1,234,567" and page.number(2.5) == "2.50" and page.number(None) == "–"
    assert page.percent(0.1234) == "12.3%" and page.percent(None) == "n/a"


def test_tables_link_only_web_and_file_addresses_and_show_the_path():
    rows = pd.DataFrame(
        {
            "title": ["Safe <story>", "Script", "No link"],
            "href": ["https://example.org/a?x=1&y=2", "javascript:alert(1)", None],
            "path": ["wire/a.txt", "wire/b.txt", "wire/c.txt"],
            "n": [1, 2000, 3],
        }
    )
    markup = page.table(
        rows, [("title", "article"), ("n", "n")], {"n": page.number}, ("title", "href"), "path"
    )
    assert '<a href="https://example.org/a?x=1&amp;y=2">Safe &lt;story&gt;</a>' in markup
    assert "javascript:" not in markup and ">Script<div" in markup
    assert markup.count('<div class="path">') == 3 and '<td class="num">2,000</td>' in markup
    assert page.table(rows.iloc[:0], [("title", "t")]) == '<p class="empty">No rows.</p>'


def test_a_chart_is_a_box_with_its_spec_or_a_sentence_saying_why_not():
    p = page.Page()
    p.chart("chart-a", {"mark": "bar"}, "nothing")
    p.chart("chart-b", None, "No claims.")
    assert p.specs == {"chart-a": {"mark": "bar"}}
    assert 'data-chart="chart-a"' in p.parts[0] and p.parts[1] == '<p class="empty">No claims.</p>'
    with pytest.raises(ValueError, match="chart-a"):
        p.chart("chart-a", {"mark": "line"}, "")


def test_the_document_cannot_be_closed_early_by_data_or_script_text():
    specs = {"chart-a": {"data": {"values": [{"title": "</script><script>alert(1)</script>"}]}}}
    doc = page.document("t", "<p>body</p>", specs, "var s = '</script>';")
    assert doc.count("</script>") == 3  # the specs, the bundle and the embedding script, nothing more
    start = doc.index('id="report-specs">') + len('id="report-specs">')
    text = doc[start : doc.index("</script>", start)]
    assert json.loads(text) == specs  # "<\/" reads back as "</"


TYPES = compute.event_types([])


def test_empty_frames_give_no_chart():
    empty = pd.DataFrame()
    assert (
        charts.events_per_day(
            compute.events_per_day(frame("events", []), compute.Window(None, None, "day")), TYPES
        )
        is None
    )
    assert charts.place_map(compute.event_places(frame("events", [])), {"features": []}, TYPES) is None
    assert charts.actor_pairs(compute.actor_pairs(frame("events", []), frame("actors", [])), TYPES) is None
    assert charts.top_speakers(compute.top_speakers(frame("claims", []), frame("actors", []))) is None
    assert charts.claim_kinds(compute.claim_kinds(frame("claims", []))) is None
    assert charts.stage_times(compute.stage_times(None)) is None
    assert charts.run_trend(empty, empty) is None


def test_events_chart_filters_non_facts_behind_a_checkbox_and_colours_types_alike():
    events = frame(
        "events",
        [
            event("ASSAULT", event_date=D(2025, 1, 2)),
            event("AGREE", aux_mode="future", event_date=D(2025, 1, 3)),
        ],
    )
    per_day = compute.events_per_day(events, compute.Window(D(2025, 1, 1), D(2025, 1, 31), "month"))
    spec = charts.events_per_day(per_day, TYPES, "month")
    assert spec["params"][0]["name"] == charts.NON_FACT_PARAM and spec["params"][0]["value"] is False
    assert {"filter": f"{charts.NON_FACT_PARAM} || datum.fact"} in spec["transform"]
    assert spec["encoding"]["x"]["timeUnit"] == "utcyearmonth"
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"][:2] == ["AGREE", "CONSULT"]
    assert scale["range"][scale["domain"].index("ASSAULT")] == charts.TYPE_COLOURS["ASSAULT"]
    data = next(iter(spec["datasets"].values()))
    assert {"day": "2025-01-01", "event_type": "AGREE", "fact": False, "n": 1} in data


def test_map_carries_the_outlines_once_as_a_named_dataset():
    events = frame("events", [event("ASSAULT", place_text="Ramadi", latitude=33.4, longitude=43.3)])
    outlines = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "X", "geometry": None}]}
    spec = charts.place_map(compute.event_places(events), outlines, TYPES)
    assert spec["datasets"][charts.WORLD] == outlines["features"]
    assert (
        spec["layer"][0]["data"] == {"name": charts.WORLD} and spec["layer"][0]["mark"]["type"] == "geoshape"
    )
    assert spec["projection"]["type"] == "equalEarth"


def test_world_outlines_come_from_the_package_with_rounded_coordinates():
    from newsevents.tasks.report.assets import world_outlines

    world = world_outlines()
    ids = {f["id"] for f in world["features"]}
    assert len(world["features"]) > 150 and {"FRA", "IRQ", "USA", "BRA"} <= ids
    ring = next(f for f in world["features"] if f["id"] == "FRA")["geometry"]["coordinates"][0][0]
    assert all(round(x, 2) == x for point in ring for x in point)
    assert len(json.dumps(world)) < 400_000


def test_actors_without_a_sector_are_grey_never_a_sector_colour():
    actors = pd.DataFrame(
        {"name": ["A", "B", "C"], "sector": ["MIL", None, "GOV"], "n_events": [3, 2, 1], "actor_type": "ORG"}
    ).assign(country=None, as_source=1, as_target=0, n_mentions=1)
    scale = charts.top_actors(actors)["encoding"]["color"]["scale"]
    assert scale["domain"] == ["GOV", "MIL", "none"] and scale["range"][-1] == "#bdbdbd"
    assert "#bdbdbd" not in scale["range"][:-1]
