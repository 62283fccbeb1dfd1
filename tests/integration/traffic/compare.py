#!/usr/bin/env python3
"""Checks of `ssrwatch traffic stats` against the generator's truth, tshark, and YAML.
usage: compare.py truth TRUTH.json STATS.json | yaml STATS.yaml | tshark PCAP STATS.json"""
import json
import subprocess
import sys


def truth(tpath, spath):
    t = json.load(open(tpath))
    s = json.load(open(spath))
    bad = 0
    if len(s["periods"]) != 1:
        print("periods: %d, want 1" % len(s["periods"]))
        return 1
    p = s["periods"][0]
    for k in ("start-period", "traffic-volume", "traffic-sizes", "rcode-volume", "unique-sources"):
        if t[k] != p[k]:
            bad += 1
            print("%s differs:\n  truth %s\n  got   %s" % (k, json.dumps(t[k])[:400], json.dumps(p[k])[:400]))
    if s["malformed"]["dns-short"] != t["malformed-dns-short"]:
        bad += 1
        print("malformed dns-short %d, truth %d" % (s["malformed"]["dns-short"], t["malformed-dns-short"]))
    print("truth: %d differences" % bad)
    return 1 if bad else 0


def yaml_check(path):
    import yaml
    docs = list(yaml.safe_load_all(open(path)))
    metrics = [d["metric"] for d in docs]
    want = ["traffic-volume", "traffic-sizes", "rcode-volume", "unique-sources"]
    ok = metrics == want and all(d["version"] == "rssac002v3" for d in docs)
    ok = ok and all(k in docs[0] for k in ("dns-udp-queries-received-ipv4", "dns-tcp-responses-sent-ipv6"))
    ok = ok and isinstance(docs[1]["udp-request-sizes"], dict) and "num-sources-ipv6-aggregate" in docs[3]
    print("yaml: %d documents %s %s" % (len(docs), metrics, "ok" if ok else "BAD"))
    return 0 if ok else 1


def tshark(pcap, spath):
    s = json.load(open(spath))["periods"][0]["traffic-volume"]
    bad = 0
    for t in ("udp", "tcp"):
        for v, ipf in (("ipv4", "ip"), ("ipv6", "ipv6")):
            for q, flag in (("queries-received", 0), ("responses-sent", 1)):
                f = "%s && %s && dns.flags.response == %d && !_ws.malformed" % (t, ipf, flag)
                out = subprocess.run(["tshark", "-r", pcap, "-Y", f, "-T", "fields", "-e",
                                      "frame.number"], capture_output=True, text=True).stdout
                n = len(out.split())
                key = "dns-%s-%s-%s" % (t, q, v)
                if n != s[key]:
                    bad += 1
                    print("%s: tshark %d, ssrwatch %d" % (key, n, s[key]))
    print("tshark: %d differences" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    sys.exit(truth(*sys.argv[2:4]) if cmd == "truth" else yaml_check(sys.argv[2]) if cmd == "yaml"
             else tshark(*sys.argv[2:4]))
