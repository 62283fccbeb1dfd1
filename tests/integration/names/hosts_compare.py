#!/usr/bin/env python3
"""Compare `ssrwatch names check --format csv` over `gen names --hosts`' hosts.txt with its
truth.csv: per shape, the share of planted names found with their brand, one of the accepted
kinds, the position and the provider; innocents reported; the false-positive rate on the benign
names.

    hosts_compare.py TRUTH CHECK_CSV [--max-fp RATE] [--markdown]

Exit 0 only when every planted name is found exactly (brand, kind, position, provider), no
innocent is reported and the benign false-positive rate is at most RATE (default 0.01)."""
import csv
import sys
from collections import defaultdict


def main():
    args = sys.argv[1:]
    max_fp = 0.01
    md = "--markdown" in args
    if "--max-fp" in args:
        max_fp = float(args[args.index("--max-fp") + 1])
    truth = list(csv.DictReader(open(args[0], encoding="utf-8")))
    out = list(csv.DictReader(open(args[1], encoding="utf-8")))
    rows = defaultdict(list)
    for r in out:
        if r["brand"]:
            rows[r["name"]].append(r)
    shapes = {}
    problems = []
    fp_brands = defaultdict(int)
    for t in truth:
        s = shapes.setdefault(t["shape"], {"n": 0, "ok": 0, "brand": 0, "flagged": 0})
        s["n"] += 1
        mine = rows.get(t["name"], [])
        if t["expect"] == "match":
            hit = [r for r in mine if r["brand"] == t["brand"]]
            if hit:
                s["brand"] += 1
                r = hit[0]
                kinds = set(r["kinds"].split(","))
                want = set(t["kinds"].split("|"))
                if kinds & want and r["position"] == t["position"] and \
                        r["provider"] == t["provider"]:
                    s["ok"] += 1
                else:
                    problems.append(f"{t['shape']} {t['name']}: kinds {r['kinds']} position "
                                    f"{r['position']} provider '{r['provider']}', want "
                                    f"{t['kinds']} {t['position']} '{t['provider']}'")
            else:
                problems.append(f"{t['shape']} {t['name']}: {t['brand']} not found"
                                f"{' (reported ' + mine[0]['brand'] + ')' if mine else ''}")
        elif mine:
            s["flagged"] += 1
            for r in mine:
                fp_brands[r["brand"]] += 1
            if t["expect"] == "innocent":
                problems.append(f"innocent {t['name']} reported: {mine[0]['brand']} "
                                f"{mine[0]['kinds']} ({mine[0]['detail']})")
    b = shapes.get("benign", {"n": 0, "flagged": 0})
    fp = b["flagged"] / b["n"] if b["n"] else 0.0
    if fp > max_fp:
        problems.append(f"benign false-positive rate {fp:.4%} above {max_fp:.2%}")
    if md:
        print("| shape | names | found (brand, kind, position, provider) | brand found | flagged |")
        print("|---|---|---|---|---|")
    for name, s in shapes.items():
        if md:
            planted = s["ok"] + s["brand"] > 0 or name not in ("near-miss", "benign")
            rec = f"{s['ok']} ({100 * s['ok'] / s['n']:.1f}%)" if planted else "-"
            brand = f"{s['brand']}" if planted else "-"
            flagged = f"{s['flagged']} ({100 * s['flagged'] / s['n']:.2f}%)"
            print(f"| {name} | {s['n']} | {rec} | {brand} | {flagged} |")
        else:
            print(f"{name}: {s['n']} names, {s['ok']} found exactly, {s['brand']} with the "
                  f"brand, {s['flagged']} flagged")
    top = sorted(fp_brands.items(), key=lambda x: -x[1])[:8]
    print(f"benign false positives {b['flagged']} of {b['n']} ({fp:.4%}); by brand: "
          + ", ".join(f"{k} {v}" for k, v in top))
    print(f"problems {len(problems)}")
    for p in problems[:30]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
