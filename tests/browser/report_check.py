#!/usr/bin/env python3
"""The quarterly abuse report (HTML) in headless Chromium at 1280 pixels, JavaScript off: its
charts and tables render; the "abuse over time" chart's x axis is labelled with the snapshot
dates (it was labelled 0..6), the labels do not overlap and stay inside the chart; nothing is
wider than the window; flagged outlier rows are marked.
usage: report_check.py REPORT.html REPORT.json"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import Browser, Tally  # noqa: E402


def main(html, js):
    rep = json.load(open(js))
    t = Tally()
    b = Browser(js=False, width=1280, height=900)
    try:
        b.get("file://" + os.path.abspath(html))
        count = lambda css: len(b.find_all(css))
        t.check(count("svg") >= 5, "charts drawn: %d svg" % count("svg"))
        t.check(count("polyline") >= 5, "series drawn: %d polylines" % count("polyline"))
        t.check(count("circle") >= 1, "scatter points drawn")
        t.check(count("table") >= 6, "tables: %d" % count("table"))
        flagged = rep["outliers"]["tlds"]["flagged"] + rep["outliers"]["registrars"]["flagged"]
        t.check(count("tr.flagged") == flagged, "flagged rows %d, want %d"
                % (count("tr.flagged"), flagged))
        ticks = b.texts("#chart-series text.xtick")
        dates = rep["snapshots"]
        t.check(len(ticks) >= 2 and all(re.fullmatch(r"\d{4}-\d\d-\d\d", x) for x in ticks),
                "the time axis is labelled with dates: %r" % ticks)
        t.check(set(ticks) <= set(dates) and ticks[0] == dates[0] and ticks[-1] == dates[-1],
                "the labels are the report's snapshot dates, first to last: %r vs %r"
                % (ticks, dates))
        boxes = b.js("return [...document.querySelectorAll('#chart-series text.xtick')]"
                     ".map(e => { const r = e.getBoundingClientRect();"
                     " return [r.left, r.right]; })")
        svg = b.js("const r = document.querySelector('#chart-series')"
                   ".getBoundingClientRect(); return [r.left, r.right];")
        t.check(all(boxes[i][1] <= boxes[i + 1][0] for i in range(len(boxes) - 1)),
                "the date labels do not overlap: %r" % boxes)
        t.check(all(svg[0] <= l and r <= svg[1] for l, r in boxes),
                "the date labels stay inside the chart")
        wide = b.js("return document.documentElement.scrollWidth <= "
                    "document.documentElement.clientWidth")
        t.check(wide, "the report fits a 1280-pixel window")
    finally:
        b.quit()
    return t.summary("report")


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1], sys.argv[2]) else 1)
