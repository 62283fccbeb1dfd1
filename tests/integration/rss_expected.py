#!/usr/bin/env python3
"""rss_expected.py PLAN REPORT.json VPS [EXCLUDED_VPS]: derive every RSSAC047 figure of the
simulated root server system from its plan alone (never from ssrwatch's records) and compare it
with ssrwatch's report.  A model of what each planted fault does to a query:

  down, refused     no NOERROR answer: unavailable (RSSAC047 [ppo]), no correctness response,
                    no serial
  delay MS          answered, MS later
  stale             answered from the zone published before the current one
  alter, badsig     answered; a correctness answer is incorrect (rrset, signature)
  truncate          UDP answers empty with TC: available, no serial over UDP; correctness
                    retried over TCP: correct
Every VP measures every interval over UDP and TCP, IPv4 and IPv6, one correctness query per
RSI.  Prints what differs and exits 1 when anything does.
"""
import json
import statistics
import sys

K = 8


def load_plan(path):
    plan = {"faults": [], "publish": [], "rsis": []}
    for line in open(path):
        w = line.split("#")[0].split()
        if not w:
            continue
        if w[0] == "intervals":
            plan["intervals"] = int(w[1])
        elif w[0] == "rsi":
            plan["rsis"].append(w[1])
        elif w[0] == "publish":
            plan["publish"].append(int(w[1]))
        elif w[0] == "fault":
            plan["faults"].append((w[1], int(w[2]), int(w[3]), w[4], int(w[5]) if len(w) > 5 else 0))
    return plan


def fault(plan, rsi, t):
    for f in plan["faults"]:
        if f[0] == rsi and f[1] <= t < f[2]:
            return f
    return None


def main():
    plan = load_plan(sys.argv[1])
    rep = json.load(open(sys.argv[2]))
    vps = sys.argv[3].split(",")
    excluded = set(sys.argv[4].split(",")) if len(sys.argv) > 4 and sys.argv[4] else set()
    vps = [v for v in vps if v not in excluded]
    n, rsis = plan["intervals"], sorted(plan["rsis"])
    bad = []

    def check(what, got, want):
        if got != want:
            bad.append("%s: report %r, plan %r" % (what, got, want))

    # the zone version each RSI serves in interval t (0: the initial zone)
    def version(t):
        return sum(1 for p in plan["publish"] if p <= t)

    def served(rsi, t):
        f = fault(plan, rsi, t)
        if f and f[3] in ("down", "refused"):
            return None
        v = version(t)
        return v - 1 if f and f[3] == "stale" and v > 0 else v

    by_id = {r["id"]: r for r in rep["rsi"]}
    tfs = ["udp4", "tcp4", "udp6", "tcp6"]
    rss_min = 0
    for rsi in rsis:
        r = by_id[rsi]
        up = sum(1 for t in range(n) if served(rsi, t) is not None)
        for tf in tfs:
            a = r["data"]["availability"][tf]
            check("%s %s sent" % (rsi, tf), a["sent"], n * len(vps))
            check("%s %s answered" % (rsi, tf), a["answered"], up * len(vps))
            # RSSAC047 [ydw]: 96%
            want = "pass" if up * 100 >= 96 * n else "fail"
            check("%s %s availability" % (rsi, tf), r["availability"][tf], want)
        # correctness: RSSAC047 [skm] [ahw]
        wrong = {"rrset": 0, "signature": 0}
        for t in range(n):
            f = fault(plan, rsi, t)
            if f and f[3] == "alter":
                wrong["rrset"] += 1
            if f and f[3] == "badsig":
                wrong["signature"] += 1
        c = r["data"]["correctness"]
        check("%s correctness responses" % rsi, c["responses"], up * len(vps))
        check("%s incorrect" % rsi, c["incorrect"], (wrong["rrset"] + wrong["signature"]) * len(vps))
        check("%s incorrect by reason" % rsi, c["incorrect_by_reason"],
              {k: v * len(vps) for k, v in wrong.items() if v})
        check("%s unchecked" % rsi, c["unchecked"], 0)
        want = "nodata" if up == 0 else ("fail" if any(wrong.values()) else "pass")
        check("%s correctness" % rsi, r["correctness"], want)
        # latency: the plan's delays decide the verdicts ([zuc] 250 ms UDP, [bpl] 500 ms TCP)
        delayed = [fault(plan, rsi, t) for t in range(n) if served(rsi, t) is not None]
        delays = [f[4] if f and f[3] == "delay" else 0 for f in delayed]
        for tf in tfs:
            lat = r["data"]["latency"][tf]
            if not delays:
                check("%s %s latency" % (rsi, tf), r["latency"][tf], "nodata")
                continue
            med = statistics.median(delays)
            limit = 500 if tf.startswith("tcp") else 250
            check("%s %s latency" % (rsi, tf), r["latency"][tf], "pass" if med < limit else "fail")
            if not med <= lat["median_ms"] < med + 100:
                bad.append("%s %s median latency %.3f ms, plan %s ms (+ under 100 ms of loopback)"
                           % (rsi, tf, lat["median_ms"], med))
    # RSS availability per transport: RSSAC047 [cvf]
    for t in range(n):
        up = sum(1 for rsi in rsis if served(rsi, t) is not None)
        rss_min += min(K, up) * len(vps)
    for tf in tfs:
        a = rep["rss"]["availability"][tf]
        check("rss %s sum min(k, r)" % tf, a["sum_min_k_r"], rss_min)
        check("rss %s sum k" % tf, a["sum_k"], K * n * len(vps))
        want = "pass" if rss_min * 100000 >= 99999 * K * n * len(vps) else "fail"
        check("rss %s availability" % tf, a["verdict"], want)
    # publication latency: RSSAC047 [yxn] [kvg] [udz]
    pubs, cens, hist = [], 0, {}
    per_rsi = {rsi: [] for rsi in rsis}
    for p in plan["publish"]:
        first = min(t for t in range(n) if any((served(r, t) or 0) >= version(p) and served(r, t) is not None for r in rsis))
        check("serial %d published at" % version(p), first, p)
        for rsi in rsis:
            seen = [t for t in range(first, n) if served(rsi, t) is not None and served(rsi, t) >= version(p)]
            for _ in vps:
                if not seen:
                    cens += 1
                    continue
                m = (seen[0] - first) * 5
                per_rsi[rsi].append(m)
                pubs.append(m)
                hist[seen[0] - first] = hist.get(seen[0] - first, 0) + 1
    for rsi in rsis:
        p = by_id[rsi]["data"]["publication_latency"]
        check("%s publication samples" % rsi, p["samples"], len(per_rsi[rsi]))
        if per_rsi[rsi]:
            check("%s publication median" % rsi, p["median_min"], float(statistics.median(per_rsi[rsi])))
    p = rep["rss"]["publication_latency"]
    check("rss publication samples", p["samples"], len(pubs))
    check("rss publication censored", p["censored"], cens)
    check("rss publication median", p["median_min"], float(statistics.median(pubs)) if pubs else 0.0)
    got_hist = {i: v for i, v in enumerate(rep["publication_latency_histogram"]) if v}
    check("publication histogram", got_hist, hist)
    # RSS correctness: RSSAC047 [ywo]
    total_wrong = sum(by_id[r]["data"]["correctness"]["incorrect"] for r in rsis)
    check("rss correctness verdict", rep["rss"]["correctness"]["verdict"], "fail" if total_wrong else "pass")
    for b in bad:
        print("MISMATCH:", b)
    print("%d figures differ from the plan" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
