#!/usr/bin/env python3
"""Independent reference for `ssrwatch abuse report` on a `gen abuse` world.

Reads the raw generated files (zones, feeds, registration data, prices) -- not the store --
recomputes every metric as docs/METHODOLOGY.md defines it, and compares with the JSON report.
Usage: abuse_reference.py WORLD_DIR REPORT_JSON PERIOD_FROM PERIOD_TO
"""
import datetime as dt
import json
import math
import os
import re
import sys

world, report_path, pfrom, pto = sys.argv[1:5]
rep = json.load(open(report_path))
CATS = ["phishing", "malware", "botnet_cc", "spam"]


def day(s):
    return (dt.date.fromisoformat(s) - dt.date(1970, 1, 1)).days


dates = [l.strip() for l in open(os.path.join(world, "dates.txt")) if l.strip()]
tlds = sorted({f.split("-")[0] for f in os.listdir(os.path.join(world, "zones"))})

zone = {}  # (tld, date) -> set of domains
for t in tlds:
    for d in dates:
        s = set()
        for line in open(os.path.join(world, "zones", f"{t}-{d}.zone")):
            f = line.split()
            if len(f) >= 3 and f[1] == "NS" and f[0] != "@" and not f[0].startswith("$"):
                s.add(f"{f[0]}.{t}")
        zone[(t, d)] = s

IP = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


def regdom(host):
    host = host.lower().rstrip(".")
    if IP.match(host):
        return None
    labels = host.split(".")
    if len(labels) < 2 or labels[-1] not in tlds:
        return None
    return ".".join(labels[-2:])


listed = {}  # (tld, date) -> {domain: [cats set, feed_first_seen]}
for d in dates:
    fd = os.path.join(world, "feeds", d)
    for t in tlds:
        listed[(t, d)] = {}

    def add(host, cat, first=None):
        r = regdom(host)
        if r is None:
            return
        e = listed[(r.split(".")[1], d)].setdefault(r, [set(), None])
        e[0].add(cat)
        if first is not None:
            fday = day(first)
            e[1] = fday if e[1] is None else min(e[1], fday)

    for line in open(os.path.join(fd, "phishing.urls")):
        line = line.strip()
        if line and not line.startswith("#"):
            add(line.split("://", 1)[1].split("/", 1)[0], "phishing")
    for i, line in enumerate(open(os.path.join(fd, "malware.csv"))):
        if i == 0:
            continue
        dom, first, _ = line.strip().split(",")
        add(dom, "malware", first)
    for line in open(os.path.join(fd, "spam.txt")):
        line = line.strip()
        if line and not line.startswith("#"):
            add(line, "spam")
    for line in open(os.path.join(fd, "botnet.hosts")):
        line = line.strip()
        if line and not line.startswith("#"):
            add(line.split()[1], "botnet_cc")

regs = {}  # (tld, date) -> {domain: (registrar, created)}
for d in dates:
    for t in tlds:
        regs[(t, d)] = {}
    for i, line in enumerate(open(os.path.join(world, "registrations", f"{d}.csv"))):
        if i == 0:
            continue
        dom, rid, created = line.strip().split(",")
        regs[(dom.split(".")[1], d)][dom] = (int(rid), day(created))

names = {}
for i, line in enumerate(open(os.path.join(world, "registrars.csv"))):
    if i == 0:
        continue
    m = re.match(r'^(\d+),"([^"]*)",', line)
    names[int(m.group(1))] = m.group(2)

P = [d for d in dates if pfrom <= d <= pto]
last = P[-1]


def abused(t, dom, d):
    return dom in listed[(t, d)] and dom in zone[(t, d)]


def new_counts():
    return dict(abused=0, cat=[0] * 4, malicious=0, compromised=0, unknown=0, new=0,
                mz=[], md=[], open=0)


total = new_counts()
T = {t: new_counts() for t in tlds}
R = {}
series = {(t, d): dict(abused=0, new=0, persisting=0, mitigated=0, cat=[0] * 4) for t in tlds
          for d in P}
reg_abused_at = {}


def registrar_of(t, dom):
    for d in reversed(dates):
        if dom in regs[(t, d)]:
            return regs[(t, d)][dom]
    return (0, None)


for t in tlds:
    doms = set()
    for d in dates:
        doms |= set(listed[(t, d)])
    for dom in sorted(doms):
        ab = [abused(t, dom, d) for d in dates]
        if not any(ab):
            continue
        first_listed = min(min(day(d), listed[(t, d)][dom][1] or day(d))
                           for d, a in zip(dates, ab) if a)
        rid, created = registrar_of(t, dom)
        in_p = any(a for d, a in zip(dates, ab) if d in P)
        g = R.setdefault(rid, new_counts())
        cs = [T[t], total, g]
        if in_p:
            cats = set()
            for d, a in zip(dates, ab):
                if a and d in P:
                    cats |= listed[(t, d)][dom][0]
            age = first_listed - created
            for c in cs:
                c["abused"] += 1
                for i, cat in enumerate(CATS):
                    c["cat"][i] += cat in cats
                if age < 30:
                    c["malicious"] += 1
                else:
                    c["compromised"] += 1
        for j, d in enumerate(dates):
            if d not in P:
                continue
            now, before = ab[j], j > 0 and ab[j - 1]
            s = series[(t, d)]
            if now:
                s["abused"] += 1
                for i, cat in enumerate(CATS):
                    s["cat"][i] += cat in listed[(t, d)][dom][0]
                if before:
                    s["persisting"] += 1
                else:
                    s["new"] += 1
                    for c in cs:
                        c["new"] += 1
                reg_abused_at[(rid, d)] = reg_abused_at.get((rid, d), 0) + 1
                if d == last:
                    for c in cs:
                        c["open"] += 1
            elif before:
                k = j - 1
                while k > 0 and ab[k - 1]:
                    k -= 1
                start = day(dates[k])
                ff = listed[(t, dates[k])][dom][1]
                if ff is not None and ff < start:
                    start = ff
                days = day(d) - start
                removed = dom not in zone[(t, d)]
                s["mitigated"] += 1
                for c in cs:
                    (c["mz"] if removed else c["md"]).append(days)

mean_dom = {t: sum(len(zone[(t, d)]) for d in P) / len(P) for t in tlds}
reg_dom = {}
reg_dom_at = {}
for t in tlds:
    for d in P:
        cnt = {}
        for dom, (rid, _) in regs[(t, d)].items():
            cnt[rid] = cnt.get(rid, 0) + 1
        for rid, c in cnt.items():
            reg_dom[rid] = reg_dom.get(rid, 0) + c / len(P)
            reg_dom_at[(rid, d)] = reg_dom_at.get((rid, d), 0) + c

failures = []
checked = [0]


def close(a, b, rel=1e-6, absol=1.5e-6):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and math.isnan(a):
        return b is None
    return abs(a - b) <= max(absol, rel * abs(b))


def check(path, want, got, rel=1e-6):
    checked[0] += 1
    if not close(want, got, rel):
        failures.append(f"{path}: want {want}, got {got}")


def r6(x):
    return round(x * 1e6) / 1e6


def median(v):
    if not v:
        return None
    v = sorted(v)
    n = len(v)
    return float(v[n // 2]) if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def check_counts(path, c, o, domains, ta, with_domains=True):
    if with_domains:
        check(path + ".domains", domains, o["domains"])
        check(path + ".rate_per_10k", r6(c["abused"] / domains * 1e4) if domains else 0,
              o["rate_per_10k"])
    check(path + ".abused", c["abused"], o["abused"])
    check(path + ".share_of_abuse", r6(c["abused"] / ta) if ta else 0, o["share_of_abuse"])
    for i, cat in enumerate(CATS):
        check(f"{path}.categories.{cat}", c["cat"][i], o["categories"][cat])
    check(path + ".malicious", c["malicious"], o["malicious"])
    check(path + ".compromised", c["compromised"], o["compromised"])
    check(path + ".age_unknown", 0, o["age_unknown"])
    check(path + ".new_listings", c["new"], o["new_listings"])
    check(path + ".open_at_end", c["open"], o["open_at_end"])
    m = o["mitigation"]
    check(path + ".mitigation.removed_from_zone", len(c["mz"]), m["removed_from_zone"])
    check(path + ".mitigation.delisted", len(c["md"]), m["delisted"])
    check(path + ".mitigation.total", len(c["mz"]) + len(c["md"]), m["total"])
    check(path + ".mitigation.median_days", median(c["mz"] + c["md"]), m["median_days"])
    check(path + ".mitigation.median_days_removed_from_zone", median(c["mz"]),
          m["median_days_removed_from_zone"])
    check(path + ".mitigation.median_days_delisted", median(c["md"]), m["median_days_delisted"])


ta = total["abused"]
check_counts("totals", total, rep["totals"], sum(mean_dom.values()), ta)
check("snapshots", len(P), len(rep["snapshots"]))
for o in rep["tlds"]:
    t = o["tld"]
    check_counts(f"tlds[{t}]", T[t], o, mean_dom[t], ta)
    for s in o["series"]:
        d = s["date"]
        w = series[(t, d)]
        check(f"tlds[{t}].series[{d}].domains", len(zone[(t, d)]), s["domains"])
        for k in ("abused", "new", "persisting", "mitigated"):
            check(f"tlds[{t}].series[{d}].{k}", w[k], s[k])
        check(f"tlds[{t}].series[{d}].rate_per_10k", r6(w["abused"] / len(zone[(t, d)]) * 1e4),
              s["rate_per_10k"])
        for i, cat in enumerate(CATS):
            check(f"tlds[{t}].series[{d}].categories.{cat}", w["cat"][i], s["categories"][cat])
check("tlds count", len(tlds), len(rep["tlds"]))
for o in rep["registrars"]:
    rid = o["iana_id"]
    check_counts(f"registrars[{rid}]", R.get(rid, new_counts()), o, reg_dom.get(rid, 0), ta)
    if o["name"] != names[rid]:
        failures.append(f"registrars[{rid}].name: want {names[rid]!r}, got {o['name']!r}")
    for s in o["series"]:
        d = s["date"]
        check(f"registrars[{rid}].series[{d}].abused", reg_abused_at.get((rid, d), 0), s["abused"])
        check(f"registrars[{rid}].series[{d}].domains", reg_dom_at.get((rid, d), 0), s["domains"])
check("registrars count", len([r for r in reg_dom if r]), len(rep["registrars"]))

# concentration


def gini(x):
    x = sorted(x)
    n, s = len(x), sum(x)
    if s == 0:
        return 0.0
    return 2 * sum((i + 1) * v for i, v in enumerate(x)) / (n * s) - (n + 1) / n


ents = {
    "tlds": {t: (mean_dom[t], T[t]["abused"]) for t in tlds},
    "registrars": {r: (reg_dom.get(r, 0), R.get(r, new_counts())["abused"])
                   for r in reg_dom if r},
}
for kind, e in ents.items():
    c = rep["concentration"][kind]
    ab = [a for _, a in e.values()]
    tot = sum(ab)
    check(f"concentration.{kind}.entities", len(ab), c["entities"])
    check(f"concentration.{kind}.top_n_share", r6(sum(sorted(ab, reverse=True)[:10]) / tot),
          c["top_n_share"])
    check(f"concentration.{kind}.gini", r6(gini(ab)), c["gini"])
    check(f"concentration.{kind}.hhi", r6(sum((a / tot * 100) ** 2 for a in ab)), c["hhi"])
    lz = c["lorenz"]
    check(f"concentration.{kind}.lorenz points", len(ab) + 1, len(lz))
    cum = 0
    for i, a in enumerate(sorted(ab)):
        cum += a
        check(f"concentration.{kind}.lorenz[{i + 1}]", r6(cum / tot), lz[i + 1][1])


# outliers: exact binomial upper tail by summing log-space terms


def binom_sf(k, n, p):
    if k == 0:
        return 1.0
    logs = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * math.log(p) +
            (n - i) * math.log1p(-p) for i in range(k, n + 1)]
    m = max(logs)
    return math.exp(m) * sum(math.exp(v - m) for v in logs)


for kind, e in ents.items():
    o = rep["outliers"][kind]
    p0 = sum(a for _, a in e.values()) / sum(dm for dm, _ in e.values())
    check(f"outliers.{kind}.population_rate_per_10k", r6(p0 * 1e4), o["population_rate_per_10k"])
    tested = [(k, round(dm), a) for k, (dm, a) in sorted(e.items()) if a >= 5 and round(dm) >= 100]
    ps = [binom_sf(a, n, p0) for _, n, a in tested]
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    q = [0.0] * m
    run = 1.0
    for rank in range(m - 1, -1, -1):
        i = order[rank]
        run = min(run, ps[i] * m / (rank + 1))
        q[i] = run
    check(f"outliers.{kind}.tested", m, o["tested"])
    got = {str(x["tld" if kind == "tlds" else "iana_id"]): x for x in o["entities"]}
    for (key, n, a), p, qq in zip(tested, ps, q):
        x = got.get(str(key))
        if x is None:
            failures.append(f"outliers.{kind}[{key}] missing")
            continue
        check(f"outliers.{kind}[{key}].p_value", p, x["p_value"], rel=2e-5)
        check(f"outliers.{kind}[{key}].q_value", qq, x["q_value"], rel=2e-5)
        if (qq <= 0.05) != x["flagged"]:
            failures.append(f"outliers.{kind}[{key}].flagged")

planted = json.load(open(os.path.join(world, "planted.json")))
flagged = {str(x.get("tld", x.get("iana_id"))) for k in ("tlds", "registrars")
           for x in rep["outliers"][k]["entities"] if x["flagged"]}
for p in planted["tlds"] + planted["registrars"]:
    if str(p) not in flagged:
        failures.append(f"planted outlier {p} not flagged")

# prices: Spearman (average ranks), OLS of ln((k + 0.5) / n * 1e4) on price; the t quantile
# here comes from integrating the t density numerically (a different method from ssrwatch's)


def t_cdf(x, df):
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    f = lambda u: c * (1 + u * u / df) ** (-(df + 1) / 2)
    n = 20000
    a, b = 0.0, abs(x)
    h = (b - a) / n
    s = f(a) + f(b) + sum((4 if i % 2 else 2) * f(a + i * h) for i in range(1, n))
    half = s * h / 3
    return 0.5 + half if x >= 0 else 0.5 - half


def t_q975(df):
    lo, hi = 0.0, 100.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < 0.975:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def ranks(x):
    idx = sorted(range(len(x)), key=lambda i: x[i])
    r = [0.0] * len(x)
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and x[idx[j + 1]] == x[idx[i]]:
            j += 1
        for k in range(i, j + 1):
            r[idx[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def pearson(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


prices = {}
for i, line in enumerate(open(os.path.join(world, "prices.csv"))):
    if i == 0:
        continue
    tld, reg, price, cur, date = line.strip().split(",")
    if date <= pto:
        prices[("tld", tld) if tld else ("registrar", reg)] = float(price)
for kind, pk in (("tlds", "tld"), ("registrars", "registrar")):
    a = rep["prices"][kind][0]
    pts = [(prices[(pk, str(k))], a_ / dm * 1e4, math.log((a_ + 0.5) / dm * 1e4))
           for k, (dm, a_) in sorted(ents[kind].items(), key=lambda kv: str(kv[0]))
           if (pk, str(k)) in prices and dm > 0]
    x = [p[0] for p in pts]
    y = [p[1] for p in pts]
    ly = [p[2] for p in pts]
    n = len(pts)
    check(f"prices.{kind}.n", n, a["n"])
    rho = pearson(ranks(x), ranks(y))
    check(f"prices.{kind}.spearman.rho", r6(rho), a["spearman"]["rho"])
    if abs(rho) < 1:
        tt = rho * math.sqrt((n - 2) / (1 - rho * rho))
        check(f"prices.{kind}.spearman.p_value", 2 * (1 - t_cdf(abs(tt), n - 2)),
              a["spearman"]["p_value"], rel=1e-4)
    mx, my = sum(x) / n, sum(ly) / n
    sxx = sum((v - mx) ** 2 for v in x)
    b = sum((u - mx) * (v - my) for u, v in zip(x, ly)) / sxx
    a0 = my - b * mx
    sse = sum((v - a0 - b * u) ** 2 for u, v in zip(x, ly))
    se = math.sqrt(sse / (n - 2) / sxx)
    tq = t_q975(n - 2)
    ll = a["log_linear"]
    check(f"prices.{kind}.slope", r6(b), ll["slope"])
    check(f"prices.{kind}.intercept", r6(a0), ll["intercept"])
    check(f"prices.{kind}.slope_ci95.lo", r6(b - tq * se), ll["slope_ci95"][0], rel=1e-5)
    check(f"prices.{kind}.slope_ci95.hi", r6(b + tq * se), ll["slope_ci95"][1], rel=1e-5)

if failures:
    print(f"abuse_reference: {len(failures)} of {checked[0]} checks failed")
    for f in failures[:40]:
        print("  " + f)
    sys.exit(1)
print(f"abuse_reference: all {checked[0]} values match")
