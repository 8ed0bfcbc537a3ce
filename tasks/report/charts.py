"""Vega-Lite specs (built with Altair) of the report's charts: thin, one function per chart.

Each takes the frame its `compute` function made and returns a spec dict, or None when there
is nothing to draw (the page then says so instead of showing empty axes). Every mark carries a
tooltip with its numbers; the page adds a table under each chart.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from newsevents.tasks.report.compute import PLOVER_TYPES

Spec = dict[str, Any]
WIDE, HALF = 980, 430
# Cooperative types in greens and blues, verbal conflict in purples, material conflict in
# oranges and reds: the balance of a day reads from its colours.
TYPE_COLOURS = dict(
    zip(
        PLOVER_TYPES,
        [
            "#1b7837",
            "#5aae61",
            "#a6dba0",
            "#66c2a5",
            "#3288bd",
            "#74add1",
            "#abd9e9",
            "#c2a5cf",
            "#9970ab",
            "#762a83",
            "#fdae61",
            "#e6c229",
            "#f46d43",
            "#d6604d",
            "#b2182b",
            "#67001f",
        ],
        strict=True,
    )
)
KIND_COLOURS = {"direct": "#3288bd", "indirect": "#fdae61", "mixed": "#9970ab"}
NON_FACT_PARAM = "include_non_facts"


def _type_scale(types: list[str]) -> alt.Scale:
    """The same colour for a type in every chart; types the palette lacks get a grey."""
    return alt.Scale(domain=types, range=[TYPE_COLOURS.get(t, "#9e9e9e") for t in types])


def _spec(chart: alt.TopLevelMixin) -> Spec:
    # to_dict validates against the Vega-Lite schema: a bad spec fails here, not in the browser.
    return chart.configure_view(stroke=None).configure_axis(labelLimit=260).to_dict()


TIME_UNITS = {
    "day": "utcyearmonthdate",
    "week": "utcyearmonthdate",
    "month": "utcyearmonth",
    "year": "utcyear",
}
WORLD = "world"


def _count_axis(title: str) -> alt.Axis:
    return alt.Axis(title=title, tickMinStep=1, format="~s")


def events_per_day(per_day: pd.DataFrame, types: list[str], unit: str = "day") -> Spec | None:
    """Stacked bars of events per day (or per `unit`) by type; a checkbox adds the non-factual
    mentions. A week's bar stands at its Monday."""
    if per_day.empty:
        return None
    time_unit = TIME_UNITS[unit]
    label = "week of" if unit == "week" else unit
    include = alt.param(
        name=NON_FACT_PARAM,
        value=False,
        bind=alt.binding_checkbox(name="include non-factual mentions (negated, hypothetical, future) "),
    )
    chart = (
        alt.Chart(per_day)
        .add_params(include)
        .transform_filter(f"{NON_FACT_PARAM} || datum.fact")
        .mark_bar()
        .encode(
            x=alt.X(f"{time_unit}(day):T", title=f"event date (per {unit})"),
            y=alt.Y("sum(n):Q", axis=_count_axis("events"), stack="zero"),
            color=alt.Color("event_type:N", title="PLOVER type", scale=_type_scale(types)),
            order=alt.Order("event_type:N"),
            tooltip=[
                alt.Tooltip(f"{time_unit}(day):T", title=label),
                alt.Tooltip("event_type:N", title="type"),
                alt.Tooltip("sum(n):Q", title="events"),
            ],
        )
        .properties(width=WIDE - 170, height=280)
    )
    return _spec(chart)


def place_map(places: pd.DataFrame, outlines: dict[str, Any], types: list[str]) -> Spec | None:
    """Country outlines with one circle per place: area by events, colour by its main type.

    The outlines join the spec as a named dataset after Altair has built it: passed through
    Altair they would be deep-copied at every step (seconds for ~170 KB of coordinates).
    """
    if places.empty:
        return None
    land = alt.Chart(alt.NamedData(WORLD)).mark_geoshape(fill="#eceff1", stroke="#b0bec5", strokeWidth=0.5)
    points = (
        alt.Chart(places)
        .mark_circle(opacity=0.8, stroke="white", strokeWidth=0.5)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("n:Q", title="events", scale=alt.Scale(range=[20, 1200])),
            color=alt.Color("top_type:N", title="main type", scale=_type_scale(types)),
            order=alt.Order("n:Q", sort="descending"),
            tooltip=[
                alt.Tooltip("place:N"),
                alt.Tooltip("country:N"),
                alt.Tooltip("n:Q", title="events"),
                alt.Tooltip("types:N", title="by type"),
            ],
        )
    )
    chart = alt.layer(land, points).project(type="equalEarth").properties(width=WIDE - 170, height=440)
    spec = _spec(chart)
    spec.setdefault("datasets", {})[WORLD] = outlines["features"]
    return spec


def _bar(
    frame: pd.DataFrame,
    y: str,
    x: str,
    colour: alt.Color | alt.value,
    tooltip: list[alt.Tooltip],
    width: int,
    sort: Any = "-x",
) -> Spec | None:
    if frame.empty:
        return None
    n = frame[y.split(":")[0]].nunique()
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(y=alt.Y(y, sort=sort, title=None), x=x, color=colour, tooltip=tooltip)
        .properties(width=width, height=max(60, 22 * n))
    )
    return _spec(chart)


def actor_pairs(pairs: pd.DataFrame, types: list[str]) -> Spec | None:
    return _bar(
        pairs,
        "pair:N",
        alt.X("sum(n):Q", axis=_count_axis("fact events")),
        alt.Color("event_type:N", title="PLOVER type", scale=_type_scale(types)),
        [
            alt.Tooltip("source:N"),
            alt.Tooltip("target:N"),
            alt.Tooltip("event_type:N", title="type"),
            alt.Tooltip("n:Q", title="events of this type"),
            alt.Tooltip("total:Q", title="events of the pair"),
        ],
        WIDE - 450,
        sort=alt.EncodingSortField("total", op="max", order="descending"),
    )


# Tableau 10, then grey for actors with no sector, so "none" never looks like a sector.
SECTOR_COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
]


def top_actors(actors: pd.DataFrame) -> Spec | None:
    frame = actors.assign(sector=actors["sector"].fillna("none"))
    sectors = sorted(set(frame["sector"]) - {"none"})
    palette = [SECTOR_COLOURS[i % len(SECTOR_COLOURS)] for i in range(len(sectors))]
    return _bar(
        frame,
        "name:N",
        alt.X("n_events:Q", axis=_count_axis("fact events as source or target")),
        alt.Color(
            "sector:N",
            title="sector",
            scale=alt.Scale(domain=[*sectors, "none"], range=[*palette, "#bdbdbd"]),
        ),
        [
            alt.Tooltip("name:N"),
            alt.Tooltip("actor_type:N", title="type"),
            alt.Tooltip("country:N"),
            alt.Tooltip("sector:N"),
            alt.Tooltip("as_source:Q", title="as source"),
            alt.Tooltip("as_target:Q", title="as target"),
            alt.Tooltip("n_mentions:Q", title="mentions"),
        ],
        WIDE - 450,
    )


def _kind_colour() -> alt.Color:
    return alt.Color(
        "kind:N",
        title="kind",
        scale=alt.Scale(domain=list(KIND_COLOURS), range=list(KIND_COLOURS.values())),
    )


def top_speakers(speakers: pd.DataFrame) -> Spec | None:
    return _bar(
        speakers,
        "speaker:N",
        alt.X("sum(n):Q", axis=_count_axis("claims")),
        _kind_colour(),
        [
            alt.Tooltip("speaker:N"),
            alt.Tooltip("kind:N"),
            alt.Tooltip("n:Q", title="claims of this kind"),
            alt.Tooltip("total:Q", title="claims"),
        ],
        WIDE - 450,
        sort=alt.EncodingSortField("total", op="max", order="descending"),
    )


def claim_kinds(kinds: pd.DataFrame) -> Spec | None:
    return _bar(
        kinds[kinds["n"] > 0],
        "kind:N",
        alt.X("n:Q", axis=_count_axis("claims")),
        _kind_colour(),
        [alt.Tooltip("kind:N"), alt.Tooltip("n:Q", title="claims"), alt.Tooltip("share:Q", format=".1%")],
        HALF - 120,
        sort=list(KIND_COLOURS),
    )


def counts(frame: pd.DataFrame, label: str, title: str, colour: str = "#546e7a") -> Spec | None:
    """One bar per label (reject reasons, languages), longest first."""
    return _bar(
        frame,
        f"{label}:N",
        alt.X("n:Q", axis=_count_axis(title)),
        alt.value(colour),
        [alt.Tooltip(f"{label}:N"), alt.Tooltip("n:Q", title=title)],
        HALF - 130,
    )


def stage_times(stages: pd.DataFrame) -> Spec | None:
    return _bar(
        stages,
        "stage:N",
        alt.X("seconds:Q", title="seconds"),
        alt.value("#78909c"),
        [alt.Tooltip("stage:N"), alt.Tooltip("seconds:Q", format=".2f")],
        HALF - 130,
        sort=list(stages["stage"]),
    )


def run_trend(trend: pd.DataFrame, runs: pd.DataFrame) -> Spec | None:
    """Counts per run (lines) over the last runs, and their seconds when recorded."""
    if trend.empty:
        return None
    x = alt.X("started:O", title="run (UTC start)", sort=list(runs["started"]), axis=alt.Axis(labelAngle=-40))
    lines = (
        alt.Chart(trend)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", axis=_count_axis("per run")),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=["articles read", "duplicates", "rejected"],
                    range=["#3288bd", "#fdae61", "#d6604d"],
                ),
            ),
            tooltip=[alt.Tooltip("run_id:N", title="run"), alt.Tooltip("measure:N"), alt.Tooltip("value:Q")],
        )
        .properties(width=WIDE - 320, height=180)
    )
    timed = runs[runs["seconds"].notna()]
    if timed.empty:
        return _spec(lines)
    seconds = (
        alt.Chart(timed)
        .mark_bar(color="#90a4ae")
        .encode(
            x=x,
            y=alt.Y("seconds:Q", title="seconds"),
            tooltip=[alt.Tooltip("run_id:N", title="run"), alt.Tooltip("seconds:Q", format=".1f")],
        )
        .properties(width=WIDE - 320, height=120)
    )
    return _spec(alt.vconcat(lines, seconds).resolve_scale(color="independent"))
