"""The report's sections, in page order, from the datasets; and the file written atomically."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsevents import EXTRACTOR_VERSION
from newsevents.tasks.report import charts, compute
from newsevents.tasks.report.assets import vega_bundle, world_outlines
from newsevents.tasks.report.load import Datasets, load_datasets
from newsevents.tasks.report.page import Page, document, esc, number, numbers, percent, table, tiles

REPORT_FILE = "report.html"
SECTIONS = ("events", "places", "actors", "claims", "batch")


@dataclass(frozen=True, slots=True)
class ReportFile:
    path: Path
    n_bytes: int
    seconds: float


def _window_note(window: compute.Window, n_undated: int, any_published: bool) -> str:
    if window.start is None:
        return ""
    span = f"{window.start.isoformat()} to {window.end.isoformat()}" if window.end else ""
    parts = [f"Shown: {span}, per {window.unit}."]
    if window.n_before or window.n_after:
        parts.append(
            f"{window.n_before:,} dated fact event(s) before it and {window.n_after:,} after it are not "
            "drawn (<code>newsevents report OUT --since DATE</code> moves the start)."
        )
    if not any_published:
        parts.append(
            f"No article has a publication date, so only dates the texts give place events in time "
            f"({n_undated:,} fact events have none)."
        )
    return '<p class="note">' + " ".join(parts) + "</p>"


def _events(
    page: Page, data: Datasets, window: compute.Window, any_published: bool, links: Any, types: list[str]
) -> None:
    fig = compute.event_figures(data.events)
    page.add('<section id="events" data-section="events"><h2>Events per day</h2>')
    page.add(
        tiles(
            [
                (number(fig["n_facts"]), "fact events"),
                (number(fig["n_non_facts"]), "non-factual mentions (not counted)"),
                (percent(fig["publication_share"]), "dated only by publication"),
                (number(fig["n_undated"]), "fact events with no date"),
            ]
        )
    )
    page.add(
        '<p class="note">Facts only: events whose <code>aux_mode</code> is negated, hypothetical or '
        "future are left out unless the box under the chart is ticked. “Dated only by publication” "
        "is the share of fact events whose text gives no date of its own "
        "(<code>date_precision = 'publication'</code>).</p>"
    )
    page.add(_window_note(window, fig["n_undated"], any_published))
    per_day = compute.events_per_day(data.events, window)
    page.chart(
        "chart-events-per-day",
        charts.events_per_day(per_day, types, window.unit),
        "No dated events in the window.",
    )
    totals = compute.type_totals(data.events)
    page.add(
        numbers(
            table(
                totals,
                [
                    ("event_type", "type"),
                    ("facts", "facts"),
                    ("all", "all mentions"),
                    ("publication_dated", "facts dated by publication"),
                ],
                {"facts": number, "all": number, "publication_dated": number},
            ),
            "events by type",
        )
    )
    sample = table(
        compute.recent_events(data.events, data.actors, links),
        [
            ("event_date", "date"),
            ("event_type", "type"),
            ("source", "source"),
            ("trigger", "trigger"),
            ("target", "target"),
            ("place", "place"),
            ("title", "article"),
        ],
        link=("title", "href"),
        path="path",
    )
    page.add(numbers(sample, "a sample of fact events, newest articles first, with their article"))
    page.add("</section>")


def _places(page: Page, data: Datasets, types: list[str]) -> None:
    fig = compute.event_figures(data.events)
    places = compute.event_places(data.events)
    page.add('<section id="places" data-section="places"><h2>Where</h2>')
    page.add(
        tiles(
            [
                (percent(fig["place_share"]), "fact events with a place the text ties them to"),
                (percent(fig["located_share"]), "fact events with coordinates"),
                (number(len(places)), "places on the map"),
            ]
        )
    )
    page.add(
        '<p class="note">One circle per place: its area is the number of fact events there, its colour the '
        "most frequent type (hover for the breakdown). Places come from the event's own clause, or the "
        "article's focal place.</p>"
    )
    page.chart("chart-place-map", charts.place_map(places, world_outlines(), types), "No located events.")
    page.add(
        numbers(
            table(
                places.head(30),
                [("place", "place"), ("country", "country"), ("n", "events"), ("types", "by type")],
                {"n": number},
            ),
            "busiest places",
        )
    )
    page.add("</section>")


def _actors(page: Page, data: Datasets, types: list[str]) -> None:
    pairs = compute.actor_pairs(data.events, data.actors)
    actors = compute.top_actors(data.events, data.actors)
    page.add('<section id="actors" data-section="actors"><h2>Who acts on whom</h2>')
    page.add(
        '<p class="note">The source → target pairs in most fact events (both actors resolved), by type; '
        "and the actors in most fact events, with their country and sector.</p>"
    )
    page.add("<h3>Most active pairs</h3>")
    page.chart("chart-actor-pairs", charts.actor_pairs(pairs, types), "No event has both actors resolved.")
    page.add(
        numbers(
            table(
                compute.pair_table(pairs),
                [("source", "source"), ("target", "target"), ("total", "events"), ("types", "by type")],
                {"total": number},
            ),
            "pairs",
        )
    )
    page.add("<h3>Top actors</h3>")
    page.chart("chart-top-actors", charts.top_actors(actors), "No actors yet.")
    page.add(
        table(
            actors,
            [
                ("name", "actor"),
                ("actor_type", "type"),
                ("country", "country"),
                ("sector", "sector"),
                ("as_source", "as source"),
                ("as_target", "as target"),
                ("n_mentions", "mentions"),
            ],
            {"as_source": number, "as_target": number, "n_mentions": number},
        )
    )
    page.add("</section>")


def _claims(page: Page, data: Datasets, links: Any) -> None:
    kinds = compute.claim_kinds(data.claims)
    speakers = compute.top_speakers(data.claims, data.actors)
    direct = kinds.loc[kinds["kind"] == "direct", "share"]
    page.add('<section id="claims" data-section="claims"><h2>Who is quoted</h2>')
    page.add(
        tiles(
            [
                (number(len(data.claims)), "claims"),
                (percent(direct.iloc[0] if len(direct) else None), "direct quotes"),
                (number(int(data.claims["speaker"].isna().sum())), "unattributed"),
            ]
        )
    )
    page.add("<h3>Direct or reported</h3>")
    page.chart("chart-claim-kinds", charts.claim_kinds(kinds), "No claims.")
    page.add(
        numbers(
            table(
                kinds,
                [("kind", "kind"), ("n", "claims"), ("share", "share")],
                {"n": number, "share": percent},
            ),
            "kinds",
        )
    )
    page.add("<h3>Most quoted</h3>")
    page.chart("chart-top-speakers", charts.top_speakers(speakers), "No attributed claims.")
    kind_cols = ["direct", "indirect", "mixed"]
    page.add(
        numbers(
            table(
                compute.speaker_table(speakers),
                [("speaker", "speaker"), *[(k, k) for k in kind_cols], ("total", "claims")],
                dict.fromkeys([*kind_cols, "total"], number),
            ),
            "speakers",
        )
    )
    page.add("<h3>Recent claims</h3>")
    page.add('<p class="note">Newest articles first (undated last), two claims each at most.</p>')
    page.add(
        table(
            compute.recent_claims(data.claims, data.actors, links),
            [
                ("published", "published"),
                ("speaker", "speaker"),
                ("kind", "kind"),
                ("content", "claim"),
                ("title", "article"),
            ],
            link=("title", "href"),
            path="path",
        )
    )
    page.add("</section>")


def _batch(page: Page, data: Datasets) -> None:
    runs = compute.run_table(data.history, data.articles, data.rejects)
    record = data.history[-1] if data.history else None
    last = compute.batch_figures(runs, record)
    page.add('<section id="batch" data-section="batch"><h2>The batch</h2>')
    if last["run_id"] is None:
        page.add('<p class="empty">No run has committed anything here yet.</p>')
    else:
        page.add(
            f'<p class="note">Latest run <code>{esc(last["run_id"])}</code> ({esc(last["kind"])}, started '
            f"{esc(last['started'])}); {number(len(runs))} run(s) in this output.</p>"
        )
        page.add(
            tiles(
                [
                    (number(last["n_articles"]), "articles read"),
                    (number(last["n_duplicates"]), "duplicates"),
                    (number(last["n_rejected"]), "rejected"),
                    (number(last["n_extracted"]), "extracted"),
                    (number(last["seconds"]), "seconds in stages"),
                ]
            )
        )
        for warning in last.get("warnings") or []:
            page.add(f'<p class="note">warning: {esc(warning)}</p>')
    reasons = compute.reject_reasons(data.rejects)
    langs = compute.languages(data.articles)
    stages = compute.stage_times(record if record and last["run_id"] == record["run_id"] else None)
    page.add(
        '<p class="note">Rejects and languages count every run shown here (all of them, or those '
        "started since the <code>--since</code> day).</p>"
    )
    page.add('<div class="row"><div><h3>Rejects by reason</h3>')
    page.chart(
        "chart-reject-reasons",
        charts.counts(reasons, "reason", "files or records", "#d6604d"),
        "Nothing rejected.",
    )
    page.add(numbers(table(reasons, [("reason", "reason"), ("n", "rejected")], {"n": number}), "reasons"))
    page.add("</div><div><h3>Languages of the articles read</h3>")
    page.chart("chart-languages", charts.counts(langs, "language", "articles", "#3288bd"), "No articles.")
    page.add(numbers(table(langs, [("language", "language"), ("n", "articles")], {"n": number}), "languages"))
    page.add('</div></div><div class="row"><div><h3>Time per stage (latest run)</h3>')
    page.chart("chart-stage-times", charts.stage_times(stages), "No stage times recorded for the latest run.")
    page.add(
        numbers(table(stages, [("stage", "stage"), ("seconds", "seconds")], {"seconds": number}), "stages")
    )
    page.add("</div><div></div></div><h3>Last runs</h3>")
    recent = runs.tail(30)
    page.chart("chart-run-trend", charts.run_trend(compute.run_trend(recent), recent), "No runs yet.")
    page.add(
        numbers(
            table(
                recent.iloc[::-1],
                [
                    ("run_id", "run"),
                    ("kind", "kind"),
                    ("n_articles", "articles"),
                    ("n_duplicates", "duplicates"),
                    ("n_rejected", "rejected"),
                    ("n_extracted", "extracted"),
                    ("seconds", "seconds"),
                ],
                dict.fromkeys(["n_articles", "n_duplicates", "n_rejected", "n_extracted", "seconds"], number),
            ),
            "runs",
        )
    )
    page.add(
        '<p class="note">Runs with no entry in <code>_state/history/</code> (committed before it existed) '
        "are counted from their rows, without times.</p></section>"
    )


def render_report(data: Datasets, root_label: str, since: dt.date | None, generated_at: str) -> str:
    """The whole page for `data` (already read); `since` narrows it as `compute.since_filter` says."""
    links = compute.article_links(data.articles, data.ledger)  # before the filter: old articles keep titles
    shown = compute.since_filter(data, since)
    types = compute.event_types(shown.events["event_type"].dropna())
    window = compute.day_window(shown.events, data.articles, since)
    any_published = bool(data.articles["published_at"].notna().any())
    page = Page()
    page.add(
        "<header><h1>newsevents report</h1>"
        f'<p class="meta">Output <code>{esc(root_label)}</code> · generated {esc(generated_at)} · '
        f"extractor {esc(EXTRACTOR_VERSION)}"
        + (f" · since {esc(since.isoformat())}" if since else "")
        + "</p><nav>"
        + "".join(f'<a href="#{s}">{s}</a>' for s in SECTIONS)
        + "</nav>"
    )
    page.add(
        tiles(
            [
                (number(len(shown.articles)), "articles"),
                (number(len(shown.events)), "event rows"),
                (number(len(shown.actors)), "actors"),
                (number(len(shown.claims)), "claims"),
                (number(len(shown.rejects)), "rejects"),
            ]
        )
        + "</header>"
    )
    _events(page, shown, window, any_published, links, types)
    _places(page, shown, types)
    _actors(page, shown, types)
    _claims(page, shown, links)
    _batch(page, shown)
    page.add(
        "<footer>Charts: Vega-Lite (via Altair and vl-convert), drawn in this page with no network access. "
        "Country outlines: Natural Earth 1:110m (public domain) as shipped by the countryinfo package. "
        "Datasets and columns: docs/datasets.md.</footer>"
    )
    return document(f"newsevents report: {root_label}", "\n".join(page.parts), page.specs, vega_bundle())


def write_report(root: Path, html: Path | None = None, since: dt.date | None = None) -> ReportFile:
    """Read the datasets under `root` and write the page to `html` (default root/report.html)
    under a temporary name first, so a reader never opens half a report."""
    t0 = time.perf_counter()
    target = html or root / REPORT_FILE
    data = load_datasets(root)
    generated = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = render_report(data, str(root), since, generated)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return ReportFile(target, target.stat().st_size, round(time.perf_counter() - t0, 3))
