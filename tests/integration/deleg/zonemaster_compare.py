#!/usr/bin/env python3
"""Compare `ssrwatch delegation check --format json` with Debian's zonemaster-cli (--json --raw
--level INFO) on the same delegation, case by case.  Each of our checks that has Zonemaster
equivalents is compared with them: Zonemaster found a problem when one of its cases logged a
message of level WARNING or above; we found one when the check failed or could not run.  A
disagreement fails unless it is listed below as deliberate (with the reason); a listed
difference that no longer occurs fails too, so the list stays true.
usage: zonemaster_compare.py ZONE OURS.json ZONEMASTER.json"""
import json
import sys

# our check -> the Zonemaster test cases it corresponds to
MAP = {
    "ns-count": ["DELEGATION01"],
    "ns-hostname": ["SYNTAX04"],
    "zone-name": ["SYNTAX01", "SYNTAX02", "SYNTAX03"],
    "address-distinct": ["DELEGATION02"],
    "address-public": ["ADDRESS01"],
    "referral-size": ["DELEGATION03"],
    "reachable-udp": ["CONNECTIVITY01"],
    "reachable-tcp": ["CONNECTIVITY02"],
    "authoritative": ["DELEGATION04", "DELEGATION06"],
    "no-recursion": ["NAMESERVER01"],
    "edns": ["NAMESERVER02", "NAMESERVER10", "NAMESERVER11", "NAMESERVER12", "NAMESERVER13",
             "NAMESERVER14"],
    "soa-serial": ["CONSISTENCY01"],
    "soa-rname": ["CONSISTENCY02"],
    "soa-timers": ["CONSISTENCY03"],
    "ns-consistent": ["CONSISTENCY04"],
    "glue-consistent": ["CONSISTENCY05"],
    "soa-mname": ["CONSISTENCY06"],
    "soa-values": ["ZONE02", "ZONE03", "ZONE04", "ZONE05"],
    "ds-digest": ["DNSSEC01"],
    "ds-match": ["DNSSEC02"],
    "nsec3-params": ["DNSSEC03"],
    "algorithm": ["DNSSEC05"],
    "dnskey-signed": ["DNSSEC08"],
    "soa-signed": ["DNSSEC09"],
}

# (zone, our check): why we differ from Zonemaster on purpose
DELIBERATE = {
    ("good.", "address-public"):
        "the tests run on loopback with --allow-private; Zonemaster has no such switch",
    ("bad.", "address-public"):
        "the tests run on loopback with --allow-private; Zonemaster has no such switch",
    ("bad.", "reachable-udp"):
        "Zonemaster folds the lame server's missing SOA/NS into CONNECTIVITY01 and also asks "
        "127.31.1.99, the address the zone itself gives ns1.bad.; we report the lame server once "
        "(authoritative) and the address once (glue-consistent): every server we were given "
        "answers over UDP",
    ("bad.", "reachable-tcp"):
        "as reachable-udp, over TCP (CONNECTIVITY02)",
    ("bad.", "algorithm"):
        "Zonemaster's DNSSEC05 counts the lame server's missing DNSKEY answer; we judge the "
        "algorithms of the authoritative answers (the lame server is reported by authoritative)",
}

LEVELS = {"WARNING", "ERROR", "CRITICAL"}


def main():
    zone, ours_path, zm_path = sys.argv[1:4]
    ours = {c["id"]: c for c in json.load(open(ours_path))["checks"]}
    zm = json.load(open(zm_path))
    ran = {m["testcase"] for m in zm}
    problem = {}
    for m in zm:
        if m["level"] in LEVELS:
            problem.setdefault(m["testcase"], []).append(m["tag"])
    bad = 0
    for check, cases in MAP.items():
        if check not in ours:
            print(f"FAIL: {zone} {check}: not in our report")
            bad += 1
            continue
        zcases = [c for c in cases if c in ran]
        if not zcases:
            print(f"  {zone} {check:20} Zonemaster did not run {'/'.join(cases)}: not compared")
            continue
        zt = sorted({t for c in zcases for t in problem.get(c, [])})
        zp = bool(zt)
        op = ours[check]["result"] in ("fail", "error")
        why = DELIBERATE.get((zone, check))
        verdict = "agree" if zp == op else "deliberate" if why else "DISAGREE"
        print(f"  {zone} {check:20} ours {ours[check]['result']:5} zonemaster "
              f"{'problem' if zp else 'ok':7} {'/'.join(zcases)} {' '.join(zt)} -> {verdict}")
        if zp != op and not why:
            print(f"FAIL: {zone} {check}: ours {ours[check]['result']} "
                  f"({ours[check]['message'][:200]}), Zonemaster {zt or 'no problem'}")
            bad += 1
        if zp == op and why:
            print(f"FAIL: {zone} {check}: listed as a deliberate difference but both agree")
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
