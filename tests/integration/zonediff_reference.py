#!/usr/bin/env python3
"""Reference for `zone diff` on the generator's --plain zones (one record per line, absolute
names, TTL and class optional): mutate a zone, and compute the changes a correct diff reports.
  zonediff_reference.py mutate IN OUT SEED   a changed, shuffled copy of IN (delegations removed
                                             and added, NS, DS and glue sets changed, SOA serial)
  zonediff_reference.py expect OLD NEW ORIGIN the expected changes, one "kind owner type nold nnew"
                                             line each, sorted"""
import random
import sys

TYPES = {"A", "AAAA", "NS", "DS", "SOA", "DNSKEY", "RRSIG", "NSEC", "NSEC3", "NSEC3PARAM",
         "ZONEMD", "CDS", "CDNSKEY", "TXT", "MX", "CNAME"}
CLASSES = {"IN", "CH", "HS"}


def records(path):
    out = []
    for line in open(path):
        if not line.strip() or line[0] in ";$":
            continue
        w = line.split()
        i = 1
        ttl = None
        if w[i].isdigit():
            ttl = w[i]
            i += 1
        if w[i].upper() in CLASSES:
            i += 1
        out.append((w[0].lower(), w[i].upper(), " ".join(w[i + 1:]).lower(), ttl, line))
    return out


def sets(path):
    s = {}
    for owner, t, rd, _, _ in records(path):
        s.setdefault((owner, t), set()).add(rd)
    return s


def labels(name):
    return [l for l in name.rstrip(".").split(".") if l][::-1]


def under(name, parent, eq=False):
    n, p = labels(name), labels(parent)
    return (len(n) > len(p) or (eq and len(n) == len(p))) and n[:len(p)] == p


def expect(old, new, origin):
    a, b = sets(old), sets(new)
    origin = origin.lower().rstrip(".") + "."
    owners = sorted({o for o, _ in a} | {o for o, _ in b}, key=labels)
    deleg = {0: set(), 1: set()}
    for side, s in ((0, a), (1, b)):
        for (o, t) in s:
            if t == "NS" and o != origin:
                deleg[side].add(o)

    def ancestors(name):  # the proper ancestors of name, as names
        l = labels(name)
        return [".".join(l[:i][::-1]) + "." for i in range(1, len(l))]

    for side in (0, 1):  # a delegation under another one is occluded
        deleg[side] = {d for d in deleg[side] if not any(x in deleg[side] for x in ancestors(d))}
    bytype = {}
    for side, s in ((0, a), (1, b)):
        for (o, t) in s:
            bytype.setdefault(o, set()).add(t)
    out = []
    for o in owners:
        types = sorted(bytype[o])
        sa = {t: a.get((o, t), set()) for t in types}
        sb = {t: b.get((o, t), set()) for t in types}
        d0, d1 = o in deleg[0], o in deleg[1]
        cut = [any(x in deleg[s] for x in ancestors(o)) for s in (0, 1)]
        for t in types:
            if o == origin:
                kind = "apex" if t in ("SOA", "NS", "DNSKEY", "ZONEMD", "CDS", "CDNSKEY",
                                       "NSEC3PARAM") else "other"
            elif d0 or d1:
                if t == "NS":
                    kind = ("delegation-added" if d1 and not d0 else
                            "delegation-removed" if d0 and not d1 else "ns")
                elif t == "DS":
                    kind = "ds"
                else:
                    kind = "other"
            elif cut[0] or cut[1]:
                kind = "glue" if t in ("A", "AAAA") else "other"
            else:
                kind = "other"
            if sa[t] != sb[t] or kind.startswith("delegation-"):
                out.append("%s %s %s %d %d" % (kind, o, t, len(sa[t]), len(sb[t])))
    return sorted(out)


def mutate(src, dst, seed):
    rnd = random.Random(int(seed))
    recs = records(src)
    origin = recs[0][0]
    delegs = sorted({o for o, t, _, _, _ in recs if t == "NS" and o != origin})
    glue_owners = sorted({o for o, t, _, _, _ in recs if t in ("A", "AAAA")})
    gone = set(rnd.sample(delegs, 50))
    ns_change = set(rnd.sample([d for d in delegs if d not in gone], 30))
    with_ds = sorted({o for o, t, _, _, _ in recs if t == "DS"} - gone)
    ds_change = set(rnd.sample(with_ds, min(20, len(with_ds))))
    def gone_under(name):
        l = labels(name)
        return any(".".join(l[:i][::-1]) + "." in gone for i in range(1, len(l) + 1))

    glue_change = set(rnd.sample([g for g in glue_owners if not gone_under(g)], 10))
    lines = []
    for owner, t, rd, ttl, line in recs:
        if gone_under(owner):
            continue
        if t == "SOA":
            w = line.split()
            i = w.index("SOA") + 3
            w[i] = str(int(w[i]) + 1)
            line = " ".join(w) + "\n"
        elif t == "NS" and owner in ns_change and rd.startswith("ns1."):
            line = "%s NS ns1.changed-%d.example.net.\n" % (owner, rnd.randrange(1000))
        elif t == "DS" and owner in ds_change:
            w = rd.split()
            line = "%s DS %s %s %s %s\n" % (owner, w[0], w[1], w[2],
                                           "%064x" % rnd.getrandbits(256))
        elif t in ("A", "AAAA") and owner in glue_change:
            line = ("%s A 198.51.100.%d\n" % (owner, rnd.randrange(256)) if t == "A" else
                    "%s AAAA 2001:db8::%x\n" % (owner, rnd.randrange(65536)))
        lines.append(line)
    for i in range(40):
        name = "added-%d.%s" % (i, origin)
        lines.append("%s NS ns1.added-host.example.net.\n" % name)
        lines.append("%s NS ns%d.%s\n" % (name, i, name))
        lines.append("ns%d.%s A 192.0.2.%d\n" % (i, name, i))
        if i % 3 == 0:
            lines.append("%s DS %d 13 2 %064x\n" % (name, 1000 + i, rnd.getrandbits(256)))
    rnd.shuffle(lines)
    with open(dst, "w") as f:
        f.write("$ORIGIN %s\n$TTL 3600\n" % origin)
        f.writelines(lines)


if __name__ == "__main__":
    if sys.argv[1] == "mutate":
        mutate(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        print("\n".join(expect(sys.argv[2], sys.argv[3], sys.argv[4])))
