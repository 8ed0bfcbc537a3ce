"""The report as one HTML string: sections of headline numbers, charts and tables, with the
Vega scripts, the chart specs and the map's outlines inline (the page fetches nothing).

Charts render in the browser with vega-embed; when all have rendered (or failed) the page sets
`window.newseventsReport.done` and `<html data-rendered>`, which the browser test waits for.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

Formatter = Callable[[Any], str]

STYLE = """
:root { --ink:#263238; --muted:#607d8b; --line:#cfd8dc; --bg:#ffffff; --panel:#f5f7f8; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header, section, footer { max-width:1040px; margin:0 auto; padding:12px 24px; }
header { padding-top:20px; }
h1 { font-size:24px; margin:0 0 4px; }
h2 { font-size:19px; margin:18px 0 6px; padding-top:10px; border-top:2px solid var(--line); }
h3 { font-size:15px; margin:16px 0 4px; }
p.meta, p.note, footer { color:var(--muted); }
p.note { margin:4px 0 8px; }
nav a { margin-right:14px; color:#1565c0; text-decoration:none; }
.tiles { display:flex; flex-wrap:wrap; gap:10px; margin:10px 0; }
.tile { background:var(--panel); border-radius:6px; padding:8px 14px; min-width:130px; }
.tile b { display:block; font-size:20px; }
.tile span { color:var(--muted); font-size:12px; }
.row { display:flex; flex-wrap:wrap; gap:24px; align-items:flex-start; }
.row > div { flex:1 1 440px; min-width:0; }
.chart { margin:6px 0; min-height:40px; }
.empty { color:var(--muted); font-style:italic; }
details { margin:4px 0 12px; }
summary { cursor:pointer; color:var(--muted); }
table { border-collapse:collapse; margin:6px 0; font-size:13px; }
th, td { border-bottom:1px solid var(--line); padding:3px 8px; text-align:left; vertical-align:top; }
th { background:var(--panel); }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
td.text { max-width:520px; }
.path { color:var(--muted); font-size:12px; word-break:break-all; }
.vega-bind { margin:4px 0; color:var(--muted); }
"""

EMBED = """
const specs = JSON.parse(document.getElementById("report-specs").textContent);
const state = (window.newseventsReport = { rendered: [], errors: [], done: false });
const jobs = Object.entries(specs).map(([id, spec]) =>
  vegaEmbed("#" + id, spec, { actions: false, renderer: "svg" })
    .then(() => state.rendered.push(id))
    .catch((err) => {
      state.errors.push(id + ": " + err);
      console.error("chart " + id + " failed:", err);
    })
);
Promise.all(jobs).then(() => {
  state.done = true;
  document.documentElement.dataset.rendered = "true";
});
"""


def esc(value: Any) -> str:
    """Escaped text; a missing value (None, NaN) is an empty cell, never "nan"."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def number(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


@dataclass(slots=True)
class Page:
    """Collects the body's HTML and the chart specs it refers to, in page order."""

    specs: dict[str, dict[str, Any]] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def chart(self, chart_id: str, spec: dict[str, Any] | None, empty: str) -> None:
        """The chart's box (filled in the browser), or a sentence saying why there is none."""
        if spec is None:
            self.add(f'<p class="empty">{esc(empty)}</p>')
            return
        if chart_id in self.specs:
            raise ValueError(f"chart id {chart_id!r} used twice")
        self.specs[chart_id] = spec
        self.add(f'<div class="chart" id="{esc(chart_id)}" data-chart="{esc(chart_id)}"></div>')


def tiles(items: Sequence[tuple[str, str]]) -> str:
    """Headline numbers: (value, label) pairs."""
    cells = "".join(f'<div class="tile"><b>{esc(v)}</b><span>{esc(label)}</span></div>' for v, label in items)
    return f'<div class="tiles">{cells}</div>'


def _safe_href(href: Any) -> str | None:
    if not isinstance(href, str):
        return None
    return href if href.lower().startswith(("http://", "https://", "file://")) else None


def table(
    frame: pd.DataFrame,
    columns: Sequence[tuple[str, str]],
    formats: dict[str, Formatter] | None = None,
    link: tuple[str, str] | None = None,
    path: str | None = None,
) -> str:
    """An HTML table of `columns` ((key, header) pairs). `link` = (text column, href column)
    makes that cell a link; `path` adds the article's path under it, so it can be found
    without the link too."""
    if frame.empty:
        return '<p class="empty">No rows.</p>'
    formats = formats or {}
    head = "".join(f"<th>{esc(h)}</th>" for _, h in columns)
    body = []
    for row in frame.to_dict("records"):
        cells = []
        for key, _ in columns:
            value = row.get(key)
            if key in formats:
                cells.append(f'<td class="num">{esc(formats[key](value))}</td>')
                continue
            text = esc(value)
            if link is not None and key == link[0]:
                href = _safe_href(row.get(link[1]))
                text = f'<a href="{esc(href)}">{text}</a>' if href else text
                if path is not None and row.get(path):
                    text += f'<div class="path">{esc(row[path])}</div>'
            cells.append(f'<td class="text">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def numbers(markup: str, summary: str = "numbers") -> str:
    """A chart's table, folded under it (the tooltips show the same numbers)."""
    return f"<details><summary>{esc(summary)}</summary>{markup}</details>"


def document(title: str, body: str, specs: dict[str, dict[str, Any]], bundle: str) -> str:
    """The whole file: styles, body, the chart specs as JSON, then the scripts that draw them."""
    # "</" cannot close the script element once escaped; JSON.parse reads "<\\/" as "</".
    spec_json = json.dumps(specs, allow_nan=False, separators=(",", ":")).replace("</", "<\\/")
    script = bundle.replace("</script", "<\\/script")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n"
        f'<script type="application/json" id="report-specs">{spec_json}</script>\n'
        f'<script type="module">{script}</script>\n'
        f'<script type="module">{EMBED}</script>\n</body>\n</html>\n'
    )
