#!/usr/bin/env python3
"""Compare `ssrwatch names scan --format csv` output with `gen names`' truth.csv.

Exit 0 only when every planted look-alike is reported for its brand with its kind among the
reported kinds, no innocent (near miss, the owner's own domain) is reported at all, and no
filler name is reported.  Prints the counts and the first problems."""
import csv
import sys


def main():
    truth = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
    out = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
    found = {}
    for r in out:
        found.setdefault(r["domain"], []).append(r)
    problems = []
    planted = innocents = 0
    for t in truth:
        rows = found.get(t["domain"], [])
        if t["expect"] == "match":
            planted += 1
            mine = [r for r in rows if r["brand"] == t["brand"]]
            if not mine:
                problems.append(f"missed {t['domain']} ({t['kind']} of {t['brand']})")
            elif t["kind"] not in mine[0]["kinds"].split(","):
                problems.append(f"{t['domain']}: kinds {mine[0]['kinds']}, planted {t['kind']}")
        else:
            innocents += 1
            if rows:
                problems.append(f"innocent {t['domain']} ({t['kind']}) reported: {rows[0]}")
    known = {t["domain"] for t in truth}
    extra = [r for r in out if r["domain"] not in known]
    for r in extra[:5]:
        problems.append(f"filler reported: {r}")
    print(f"planted {planted}, innocents {innocents}, reported rows {len(out)}, "
          f"problems {len(problems) + max(0, len(extra) - 5)}")
    for p in problems[:20]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
