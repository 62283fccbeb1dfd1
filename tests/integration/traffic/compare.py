#!/usr/bin/env python3
"""Checks of `ssrwatch traffic stats` against the generator's truth, tshark, and YAML.
usage: compare.py truth TRUTH.json STATS.json | yaml STATS.yaml | tshark PCAP STATS.json [PORT]"""
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
    for reason, n in s["malformed"].items():  # every reason: planted ones exactly, others none
        if n != t["malformed"].get(reason, 0):
            bad += 1
            print("malformed %s %d, truth %d" % (reason, n, t["malformed"].get(reason, 0)))
    for k, n in t["reassembly"].items():
        if s["reassembly"][k] != n:
            bad += 1
            print("reassembly %s %d, truth %d" % (k, s["reassembly"][k], n))
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


def tshark(pcap, spath, port=None):
    s = json.load(open(spath))["periods"][0]["traffic-volume"]
    bad = 0
    for t in ("udp", "tcp"):
        for v, ipf in (("ipv4", "ip"), ("ipv6", "ipv6")):
            for q, flag in (("queries-received", 0), ("responses-sent", 1)):
                # a frame may carry several messages (TCP): count the flags, not the frames
                f = "%s && %s && dns && !_ws.malformed" % (t, ipf)
                cmd = ["tshark", "-r", pcap, "-o", "tcp.reassemble_out_of_order:TRUE"]
                if port:  # DNS on another port: decode it as DNS
                    cmd += ["-d", "udp.port==%s,dns" % port, "-d", "tcp.port==%s,dns" % port]
                out = subprocess.run(cmd + ["-Y", f, "-T", "fields", "-e", "dns.flags.response"],
                                     capture_output=True, text=True).stdout
                n = sum(v in (str(flag), ("True" if flag else "False")) for v in out.replace(",", " ").split())
                key = "dns-%s-%s-%s" % (t, q, v)
                if n != s[key]:
                    bad += 1
                    print("%s: tshark %d, ssrwatch %d" % (key, n, s[key]))
    print("tshark: %d differences" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    sys.exit(truth(*sys.argv[2:4]) if cmd == "truth" else yaml_check(sys.argv[2]) if cmd == "yaml"
             else tshark(*sys.argv[2:5]))
