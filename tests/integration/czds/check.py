#!/usr/bin/env python3
"""Compare a `czds run --format json` day with the stand-in script's expectations, or the
stored availability (`czds report --format json`) with what the script's expectations add up
to.
  check.py day SCRIPT DAY OUT.json [expect|expect_again]
  check.py report SCRIPT REPORT.json"""
import json
import re
import sys


def day(script, d, out, key):
    want = json.load(open(script))["days"][d]["tlds"]
    got = {r["tld"]: r for r in json.load(open(out))}
    bad = 0
    if sorted(got) != sorted(want):
        print("FAIL: %s: TLDs %s, the script has %s" % (d, sorted(got), sorted(want)))
        return 1
    for tld, t in sorted(want.items()):
        exp = t.get(key) or t["expect"]
        for k, v in exp.items():
            g = got[tld].get(k)
            ok = (re.search(v, g or "") is not None) if isinstance(v, str) and v.startswith("^") else g == v
            if not ok:
                print("FAIL: %s %s %s: got %r, want %r" % (d, tld, k, g, v))
                bad += 1
    return bad


def report(script, out):
    s = json.load(open(script))
    agg = {}
    for d, dd in sorted(s["days"].items()):
        for tld, t in dd["tlds"].items():
            e = dict(t["expect"], **t.get("expect_again", {}))  # the day's last run is kept
            a = agg.setdefault(tld, {"days": 0, "downloaded": 0, "on_time": 0, "fresh": 0,
                                     "stale": 0, "zonemd_valid": 0, "zonemd_invalid": 0})
            a["days"] += 1
            a["downloaded"] += e.get("downloaded") is True
            a["on_time"] += e.get("on_time") is True
            a["fresh"] += e.get("fresh") is True
            a["stale"] += e.get("fresh") is False
            a["zonemd_valid"] += e.get("zonemd") == "valid"
            a["zonemd_invalid"] += e.get("zonemd") == "invalid"
    got = {r["tld"]: r for r in json.load(open(out))["tlds"]}
    bad = 0
    for tld, a in sorted(agg.items()):
        for k, v in a.items():
            if tld not in got or got[tld][k] != v:
                print("FAIL: report %s %s: got %r, want %r" % (tld, k, got.get(tld, {}).get(k), v))
                bad += 1
    return bad


if __name__ == "__main__":
    if sys.argv[1] == "day":
        n = day(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else "expect")
    else:
        n = report(sys.argv[2], sys.argv[3])
    sys.exit(1 if n else 0)
