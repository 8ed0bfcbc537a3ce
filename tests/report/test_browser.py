"""The report opened in headless Chromium, as an analyst would: no request leaves the page, no
console error, every section there, and ink in every chart's box of the screenshot."""

from __future__ import annotations

import io

import pytest

from newsevents.tasks.report.browser import ChartBox, PageVisit, find_chromium, visit_page
from newsevents.tasks.report.build import SECTIONS, write_report
from tests.conftest import SAMPLES
from tests.report.frames import CHART_IDS
from tests.stages.test_stages import run_stages

pytestmark = pytest.mark.slow


ONE_ARTICLE = """Army retakes river town after week of fighting

Published 3 March 2025

Iraqi troops attacked Islamic State fighters in Ramadi on Monday, the army said.

"We will hold the bridge," said General Ali Hassan, the commander of the operation.

The United Nations called for talks between the two sides in Baghdad.
"""


def chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip(
            "Chromium is not installed, so the page cannot be opened in a browser: .ci/run installs "
            "Debian's `chromium` package with apt-get, which failed or is unavailable on this machine"
        )
    return path


def ink(screenshot: bytes, box: ChartBox, background: tuple[int, int, int] = (255, 255, 255)) -> float:
    """Share of the box's pixels that differ visibly from the page background."""
    from PIL import Image, ImageChops

    image = Image.open(io.BytesIO(screenshot)).convert("RGB")
    crop = image.crop((int(box.x), int(box.y), int(box.x + box.width), int(box.y + box.height)))
    diff = ImageChops.difference(crop, Image.new("RGB", crop.size, background)).convert("L")
    histogram = diff.histogram()
    return sum(histogram[16:]) / max(1, sum(histogram))


def assert_offline_and_clean(visit: PageVisit) -> None:
    assert visit.requests == [], "the page asked the network for something"
    assert visit.console_errors == [] and visit.chart_errors == []
    assert visit.done, "the charts never reported they were drawn"
    assert visit.sections == list(SECTIONS)


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory, cfg, nlp):
    root = tmp_path_factory.mktemp("sample-out")
    run_stages(SAMPLES, root, cfg)
    return write_report(root)


def test_sample_report_renders_offline_with_ink_in_every_chart(sample_report):
    visit = visit_page(sample_report.path, chromium())
    assert_offline_and_clean(visit)
    assert [c.id for c in visit.charts] == CHART_IDS
    for box in visit.charts:
        assert box.drawn and box.width > 150 and box.height > 60, box
        assert ink(visit.screenshot, box) > 0.02, box.id
    assert sample_report.n_bytes < 10_000_000


def test_an_empty_output_and_a_one_article_output_render_cleanly(tmp_path, cfg, nlp):
    empty_in, one_in = tmp_path / "empty", tmp_path / "one"
    empty_in.mkdir()
    one_in.mkdir()
    (one_in / "army.txt").write_text(ONE_ARTICLE, encoding="utf-8")
    run_stages(empty_in, tmp_path / "empty-out", cfg)
    run_stages(one_in, tmp_path / "one-out", cfg)

    empty = visit_page(write_report(tmp_path / "empty-out").path, chromium())
    assert_offline_and_clean(empty)
    assert [c.id for c in empty.charts] == ["chart-stage-times", "chart-run-trend"]  # the run itself

    one = visit_page(write_report(tmp_path / "one-out").path, chromium())
    assert_offline_and_clean(one)
    drawn = {c.id for c in one.charts if c.drawn and ink(one.screenshot, c) > 0.02}
    assert {"chart-events-per-day", "chart-place-map", "chart-top-actors", "chart-languages"} <= drawn


def test_the_check_catches_requests_errors_and_blank_boxes(tmp_path):
    """The same check on a page that misbehaves: it must see what the report never does."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html><body><section id="events" data-section></section>'
        '<div id="blank" data-chart style="width:300px;height:100px"></div>'
        '<img src="http://newsevents.invalid/pixel.png">'
        '<script>console.error("boom"); window.newseventsReport = {done: true, errors: []};</script>'
        "</body></html>",
        encoding="utf-8",
    )
    visit = visit_page(page, chromium(), timeout=20)
    assert visit.requests == ["http://newsevents.invalid/pixel.png"]
    assert any("boom" in e for e in visit.console_errors)
    (blank,) = visit.charts
    assert not blank.drawn and ink(visit.screenshot, blank) == 0.0
