"""The HTML report on a real output: time, size, and a browser check with a screenshot.

    python benchmarks/report.py [OUT] [--runs 3] [--screenshot docs/report.png]

OUT is the output root of a finished run (default /tmp/bbc-out, which
`newsevents run ../shared/data/corpora/bbc --out /tmp/bbc-out` makes in a few minutes). Each
timing is `newsevents report OUT` in a fresh process, so it includes Python's start and the
imports (Altair, pandas, pyarrow): what the nightly step and a person at the terminal pay.

- cold: an empty NEWSEVENTS_CACHE_DIR, so the Vega bundle is built by vl-convert (once per
  machine and vl-convert version; later reports read it from the cache);
- warm: the bundle cached, `--runs` times; the best and the median are printed.

Then the page is opened in headless Chromium (requests, console errors, charts drawn), and with
--screenshot the top of the page (events and map) is saved, downscaled, for the README.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_report(out: Path, html: Path, cache: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one `newsevents report` process. On a shared machine the wall time
    grows with other people's load; the CPU time is what the report itself costs."""
    exe = str(Path(sys.executable).with_name("newsevents"))
    env = {**os.environ, "NEWSEVENTS_CACHE_DIR": str(cache)}
    cpu0, t0 = _child_cpu(), time.perf_counter()
    subprocess.run([exe, "report", str(out), "--html", str(html)], check=True, env=env, capture_output=True)
    return time.perf_counter() - t0, _child_cpu() - cpu0


def save_screenshot(png: bytes, path: Path, height: int, width: int) -> int:
    """The page's top `height` pixels, scaled to `width` and reduced to 256 colours."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    top = image.crop((0, 0, image.width, min(height, image.height)))
    scaled = top.resize((width, round(top.height * width / top.width)), Image.Resampling.LANCZOS)
    scaled.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/bbc-out"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, help="PNG to write (the top of the page)")
    parser.add_argument("--shot-height", type=int, default=2050)
    parser.add_argument("--shot-width", type=int, default=1000)
    args = parser.parse_args()
    if not (args.out / "articles").is_dir():
        sys.exit(f"{args.out} is not an output root (no articles dataset): run `newsevents run` first")

    from newsevents.tasks.report.browser import find_chromium, visit_page

    with tempfile.TemporaryDirectory(prefix="newsevents-report-") as tmp:
        html, cache = Path(tmp) / "report.html", Path(tmp) / "cache"
        load = os.getloadavg()[0]
        cold = timed_report(args.out, html, cache)
        warm = [timed_report(args.out, html, cache) for _ in range(args.runs)]
        size = html.stat().st_size
        walls, cpus = [w for w, _ in warm], [c for _, c in warm]
        print(f"output        {args.out} (load average {load:.1f} on {os.cpu_count()} cores at the start)")
        print(f"report size   {size:,} bytes ({size / 1e6:.2f} MB)")
        print(f"cold          {cold[0]:.2f} s wall, {cold[1]:.2f} s CPU (vl-convert builds the bundle)")
        print(
            f"warm          wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
            f"CPU median {statistics.median(cpus):.2f} s ({len(warm)} runs)"
        )
        if find_chromium() is None:
            print("chromium      not installed: no browser check")
            return
        visit = visit_page(html)
        drawn = sum(c.drawn for c in visit.charts)
        print(
            f"chromium      {len(visit.requests)} requests, {len(visit.console_errors)} console errors, "
            f"{drawn}/{len(visit.charts)} charts drawn, sections {', '.join(visit.sections)}"
        )
        if args.screenshot:
            n = save_screenshot(visit.screenshot, args.screenshot, args.shot_height, args.shot_width)
            print(f"screenshot    {args.screenshot} ({n:,} bytes)")


if __name__ == "__main__":
    main()
