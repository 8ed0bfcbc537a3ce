"""The HTML report over an output root: one self-contained page analysts open in a browser.

load.py     the documented columns of each dataset, the ledger and the run history (I/O)
compute.py  what each chart and table shows: pure functions over small frames
charts.py   the Vega-Lite specs (Altair), one thin function per chart
page.py     HTML pieces and the document with the scripts and specs inline
assets.py   the inlined Vega bundle (from vl-convert, cached) and country outlines
build.py    the sections in page order; `write_report` writes the file atomically
"""

from newsevents.tasks.report.build import REPORT_FILE, ReportFile, render_report, write_report

__all__ = ["REPORT_FILE", "ReportFile", "render_report", "write_report"]
