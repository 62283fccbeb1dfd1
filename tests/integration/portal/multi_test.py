#!/usr/bin/env python3
"""Two 'portal serve' instances on one PostgreSQL store (issue 23), both running the routing and
delivery workers with claims (claim-lease-s): reports sent to either are routed and delivered
exactly once each (one mail per case to the registry, no duplicate); then one instance is
killed (SIGKILL) while work is due, and the other finishes everything once the dead one's
claims have expired on the scripted clock: no case lost, and every case's deliveries under one
Message-ID each (a mail the killed instance sent but could not record is sent again with the
same Message-ID, so that a receiver keeps one: SMTP has no exactly-once of its own).
usage: multi_test.py SSRWATCH STORE_URI WORKDIR"""
import email
import email.policy
import os
import re
import signal
import subprocess
import threading

from harness import *  # noqa: F401,F403 (argv, checks, Server, http, fixture)

SD = os.path.join(W, "sinks")
SMTP_PORT, HOOK_PORT = start_sinks(SD, "unused")
LEASE = 60


def mailed_cases(with_ids=False):
    """The case ids of the mails received, in arrival order (duplicates kept); with_ids: pairs
    (case id, Message-ID)."""
    d = os.path.join(SD, "mail")
    ids = []
    for f in sorted(os.listdir(d), key=lambda f: int(f.split(".")[0])):
        if f.endswith(".eml"):
            m = email.message_from_bytes(open(os.path.join(d, f), "rb").read(),
                                         policy=email.policy.default)
            hit = re.search(r"\[ssrwatch case (\d+)\]", str(m["Subject"]))
            cid = int(hit.group(1)) if hit else -1
            ids.append((cid, str(m["Message-ID"])) if with_ids else cid)
    return ids


def report(srv, i):
    st, r = http("POST", srv.base + "/api/v1/reports", {
        "category": "phishing", "targets": ["https://login.victim%d.com/x" % i],
        "evidence": {"imitates": "A Bank", "description": "credential form"},
        "reporter": {"email": "analyst%d@cert.example" % i}})
    return st, r


set_clock(T0)
try:
    run("portal", "directory", "--store", STORE, "--file", os.path.join(W, "dir.csv"))
    common = ("--smtp-url", "smtp://127.0.0.1:%d" % SMTP_PORT, "--smtp-from",
              "portal@ssrwatch.example", "--claim-lease-s", str(LEASE), "--retry-max", "4")
    a = Server(STORE, common)
    b = Server(STORE, common)

    # ---- both instances take reports; every case is mailed once ------------------------------
    N = 40
    cases = set()
    for i in range(N):
        st, r = report(a if i % 2 == 0 else b, i)
        eq(st, 201, "report %d accepted" % i)
        cases.update(c["id"] for c in r.get("cases", []))
    eq(len(cases), N, "one case per reported domain")
    wait_for(lambda: len(mailed_cases()) >= N, "a mail per case", timeout=60)
    time.sleep(3)  # both workers kept polling: a duplicate would have come by now
    got = mailed_cases()
    eq(sorted(got), sorted(cases), "each case mailed exactly once (no duplicate, none lost)")

    # ---- a form served by one instance is accepted by the other; a session works on both ----
    run("portal", "account", "--store", STORE, "--login", "admin", "--admin",
        env={"SSRWATCH_PASSWORD": "admin-password-1"})
    jar = os.path.join(W, "multi.jar")
    form = subprocess.run(["curl", "-s", "-c", jar, "-b", jar, a.base + "/login"],
                          capture_output=True, text=True).stdout
    csrf = form.split('name="csrf" value="')[1].split('"')[0]
    head = subprocess.run(["curl", "-s", "-D", "-", "-o", "/dev/null", "-c", jar, "-b", jar,
                           "-d", "csrf=%s&login=admin&password=admin-password-1" % csrf,
                           b.base + "/login"], capture_output=True, text=True).stdout
    code = head.splitlines()[0].split()[1] if head else ""
    eq(code, "303", "the login form from instance A posted to instance B logs in")
    page = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-b", jar,
                           a.base + "/admin"], capture_output=True, text=True).stdout
    eq(page, "200", "the session made on B is valid on A")

    # ---- rate limits shared in the store: 6 reports a minute from one address, counted over
    # both instances together (each alone would let 6 through) ------------------------------
    lim = ("--rate-ip", "6", "--shared-limits", "yes", "--background", "no")
    e = Server(STORE, lim)
    f2 = Server(STORE, lim)
    codes = [report(e if i % 2 == 0 else f2, 500 + i)[0] for i in range(8)]
    eq(codes, [201] * 6 + [429, 429], "the 7th report in a minute refused, whichever instance")
    # ... and the login backoff: failures on both instances count for the login together (5
    # free, then a wait), so two instances do not double an attacker's guesses
    jar2 = os.path.join(W, "backoff.jar")
    form = subprocess.run(["curl", "-s", "-c", jar2, "-b", jar2, e.base + "/login"],
                          capture_output=True, text=True).stdout
    csrf2 = form.split('name="csrf" value="')[1].split('"')[0]

    def bad_login(s):
        head = subprocess.run(["curl", "-s", "-D", "-", "-o", "/dev/null", "-c", jar2, "-b", jar2,
                               "-d", "csrf=%s&login=admin&password=wrong" % csrf2,
                               s.base + "/login"], capture_output=True, text=True).stdout
        return head.splitlines()[0].split()[1] if head else ""
    codes = [bad_login(e if i % 2 == 0 else f2) for i in range(7)]
    eq(codes, ["401"] * 5 + ["429", "429"],
       "the 6th failed login in a row waits, whichever instance it reaches")
    e.stop()
    f2.stop()

    # ---- one instance killed while work is due: the other finishes it, once -------------------
    more = set()
    for i in range(N, N + 20):
        st, r = report(a if i % 2 == 0 else b, i)
        eq(st, 201, "report %d accepted" % i)
        more.update(c["id"] for c in r.get("cases", []))
        if i == N + 5:
            b.p.send_signal(signal.SIGKILL)  # mid-load: its claims stay until the lease ends
            b.p.wait()
            b = a  # the rest goes to the survivor
    set_clock(T0 + LEASE + 5)  # the dead instance's claims have expired
    wait_for(lambda: set(mailed_cases()) >= more, "the survivor finishes", timeout=90)
    time.sleep(3)
    got = mailed_cases(with_ids=True)
    eq(sorted(set(c for c, _ in got if c in more)), sorted(more), "after the kill: no case lost")
    ids = {}
    for c, mid in got:
        ids.setdefault(c, set()).add(mid)
    eq(sorted(c for c, m in ids.items() if len(m) != 1), [],
       "every case's mail under one Message-ID (a resend is recognisably the same mail)")
    dups = len(got) - len(set(got))
    check(dups <= 1, "at most the mail in flight at the kill sent again (%d)" % dups)
    eq(sorted(c for c, _ in got if c in cases), sorted(cases), "the first cases untouched")
    # ---- behind a load balancer (Debian's haproxy), under load, one instance killed ----------
    c = Server(STORE, common)
    d = Server(STORE, common)
    lbport = free_port()
    cfg = os.path.join(W, "haproxy.cfg")
    with open(cfg, "w") as f:
        f.write("global\n  maxconn 256\ndefaults\n  mode http\n  timeout connect 1s\n"
                "  timeout client 30s\n  timeout server 30s\n  retries 2\n"
                "  option redispatch\nfrontend fe\n  bind 127.0.0.1:%d\n"
                "  default_backend portal\nbackend portal\n  balance roundrobin\n"
                "  option httpchk GET /healthz\n"
                "  server c 127.0.0.1:%d check inter 200ms fall 1 rise 1\n"
                "  server d 127.0.0.1:%d check inter 200ms fall 1 rise 1\n"
                % (lbport, c.port, d.port))
    lb = subprocess.Popen(["haproxy", "-db", "-f", cfg], stdout=subprocess.DEVNULL,
                          stderr=open(os.path.join(W, "haproxy.log"), "w"))
    SERVERS.append(lb)
    lbbase = "http://127.0.0.1:%d" % lbport
    wait_for(lambda: http("GET", lbbase + "/healthz")[0] == 200, "the load balancer up")

    class Via:  # the load balancer, as report() wants a server
        base = lbbase

    def reports_stored():
        out = subprocess.run(["psql", "-Atq", STORE, "-c",
                              "SELECT COUNT(*), COUNT(DISTINCT body) FROM report"],
                             capture_output=True, text=True).stdout.strip()
        return tuple(int(x) for x in out.split("|"))

    before = reports_stored()[0]
    acked, errors = {}, 0
    lock = threading.Lock()

    def send(i):
        global errors
        st, r = report(Via, 1000 + i)
        with lock:
            if st == 201:
                acked[r["token"]] = {x["id"] for x in r["cases"]}
            else:
                errors += 1

    threads = []
    for i in range(120):
        if i == 40:
            d.p.send_signal(signal.SIGKILL)  # in the middle of the load
        t = threading.Thread(target=send, args=(i,))
        t.start()
        threads.append(t)
        if len(threads) >= 8:
            threads.pop(0).join()
    for t in threads:
        t.join()
    d.p.wait()
    check(len(acked) >= 100, "most reports acknowledged through the balancer (%d, %d errors)"
          % (len(acked), errors))
    # every acknowledged report is stored, once, and readable through the balancer
    stored = [http("GET", lbbase + "/api/v1/reports/" + tok)[0] for tok in acked]
    eq(stored.count(200), len(acked), "every acknowledged report stored")
    total, distinct = reports_stored()
    eq(total, distinct, "no report stored twice")
    check(len(acked) <= total - before <= 120,
          "stored: every acknowledged one, at most what was sent (%d new, %d acknowledged)"
          % (total - before, len(acked)))
    lbcases = set().union(*acked.values()) if acked else set()
    set_clock(T0 + 2 * LEASE + 10)  # the killed instance's claims have expired
    wait_for(lambda: set(mailed_cases()) >= lbcases, "every acknowledged case mailed",
             timeout=120)
    time.sleep(3)
    got = [(cid, mid) for cid, mid in mailed_cases(with_ids=True) if cid in lbcases]
    ids = {}
    for cid, mid in got:
        ids.setdefault(cid, set()).add(mid)
    eq(sorted(cid for cid, m in ids.items() if len(m) != 1), [],
       "behind the balancer: every case's mail under one Message-ID")
    eq(a.stop(), 0, "SIGTERM: the survivor exits cleanly")
    eq(c.stop(), 0, "SIGTERM: the balanced survivor exits cleanly")
finally:
    finish()
