#!/usr/bin/env python3
"""End-to-end test of 'ssrwatch portal serve': the real server on a loopback port, spoken to over
HTTP with curl (libcurl), RDAP stood in for by rdap_fixture.py, the clock scripted through
SSRWATCH_TEST_CLOCK.  usage: portal_test.py SSRWATCH STORE_URI WORKDIR [SLA_STORE_URI]"""
import json
import os
import signal
import subprocess
import threading
import time

from harness import *  # noqa: F401,F403 (argv, checks, Server, http, fixture)

set_clock(T0)
try:
    run("portal", "directory", "--store", STORE, "--file", os.path.join(W, "dir.csv"))
    run("portal", "account", "--store", STORE, "--login", "admin", "--admin",
        env={"SSRWATCH_PASSWORD": "admin-password-1"})
    ADMIN = run("portal", "token", "--store", STORE, "--login", "admin").stdout.strip()
    BRANDS = os.path.join(W, "brands.txt")
    with open(BRANDS, "w") as f:
        f.write("paypal.com\napple.com\nchase.com\n")
    srv = Server(STORE, extra=("--brands", BRANDS))

    # ---- A. intake and dedup -----------------------------------------------------------------
    phish = {"category": "phishing", "targets": ["https://login.bad-paypal.com/verify?x=1"],
             "evidence": {"imitates": "PayPal", "description": "credential form",
                          "urls": ["https://screens.example.org/1.png"],
                          "observed": "2026-11-17T10:00:00Z"},
             "attachments": [{"name": "shot.txt", "type": "text/plain",
                              "data": "aGVsbG8gd29ybGQ="}],
             "reporter": {"name": "A. Analyst", "email": "analyst@cert.example"}}
    st, r1 = http("POST", srv.base + "/api/v1/reports", phish)
    eq(st, 201, "valid phishing report accepted")
    eq(r1["cases"][0]["domain"], "bad-paypal.com", "reduced to the registered domain")
    eq(r1["cases"][0]["joined"], False, "first report opens a case")
    CASE1 = r1["cases"][0]["id"]
    check(len(r1["token"]) >= 40 and r1["link"].endswith("/r/" + r1["token"]), "reporter link")
    # same domain and category from another reporter and the same reporter: one case
    p2 = dict(phish, targets=["http://www.bad-paypal.com/"], reporter={"email": "b@isp.example"})
    st, r2 = http("POST", srv.base + "/api/v1/reports", p2)
    eq((st, r2["cases"][0]["id"], r2["cases"][0]["joined"]), (201, CASE1, True), "dedup joins")
    st, r3 = http("POST", srv.base + "/api/v1/reports", phish)
    eq(r3["cases"][0]["id"], CASE1, "same reporter again joins")
    # other category on the same domain: its own case; two domains: two cases
    mal = {"category": "malware", "targets": ["http://malware-drop.com/a.exe", "bad-paypal.com"],
           "ips": ["192.0.2.10"], "evidence": {"description": "drops a trojan",
                                                "sample_sha256": "ab" * 32}}
    st, r4 = http("POST", srv.base + "/api/v1/reports", mal)
    eq(st, 201, "malware report accepted")
    eq(sorted(c["domain"] for c in r4["cases"]), ["bad-paypal.com", "malware-drop.com"],
       "one case per registered domain")
    check(all(c["id"] != CASE1 for c in r4["cases"]), "other category: another case")
    CASE_MAL = [c["id"] for c in r4["cases"] if c["domain"] == "malware-drop.com"][0]
    st, rep = http("GET", srv.base + "/api/v1/reports/" + r1["token"])
    eq((st, rep["cases"][0]["id"]), (200, CASE1), "reporter reads the report by token")
    eq(rep["body"]["attachments"][0]["size"], 11, "attachment size recorded")
    # the intake checks each reported host against the protected names (names check's rule)
    pn = rep["body"]["targets"][0].get("protected_names", [])
    eq([(p["brand"], p["position"]) for p in pn], [("paypal.com", "registered")],
       "intake: the reported host imitates paypal.com")

    # ---- B. bad input: precise 4xx, nothing stored -------------------------------------------
    stored = metric(srv, "ssrwatch_reports_stored")
    eq(stored, 4, "reports stored so far")
    st, e = http("POST", srv.base + "/api/v1/reports", raw=b'{"category": "phishing",')
    check(st == 400 and "malformed JSON at line 1" in e["error"], "malformed JSON: %r" % (e,))
    st, e = http("POST", srv.base + "/api/v1/reports", phish, ctype="text/plain")
    eq(st, 415, "wrong content type")
    st, e = http("POST", srv.base + "/api/v1/reports", raw=b"[" + b"1," * 5000000 + b"1]")
    eq(st, 413, "huge body")
    bad = [({"category": "phishing", "targets": ["not a domain!"],
             "evidence": {"imitates": "x"}}, "targets[0]", "not a domain name or URL"),
           ({"category": "phishing", "targets": ["http://x.unknowntld/"],
             "evidence": {"imitates": "x"}}, "targets[0]", "unknown TLD 'unknowntld'"),
           ({"category": "phishing", "targets": ["http://x.com/"]}, "evidence.imitates",
            "needs the brand"),
           ({"category": "phishing", "targets": ["x.com"], "evidence": {"imitates": "y"}},
            "targets", "needs the phishing URL"),
           ({"category": "spam", "targets": ["x.com"], "evidence": {"description": "short",
             "smtp_from": "a@b.example", "source_port": 25}},
            "evidence.description", "at least 20 characters"),
           ({"category": "spam", "targets": ["x.com"],
             "evidence": {"description": "unsolicited bulk mail with this link"}},
            "evidence.smtp_from", "envelope sender"),
           ({"category": "spam", "targets": ["x.com"],
             "evidence": {"description": "unsolicited bulk mail with this link",
                          "smtp_from": "a@b.example", "source_port": 70000}},
            "evidence.source_port", "port number"),
           ({"category": "misleading-name", "targets": ["paypa1.com"],
             "evidence": {"imitates": "PayPal"}},
            "evidence.legitimate_site", "legitimate site"),
           ({"category": "other", "targets": ["x.com"], "evidence": {"description": "x" * 30},
             "attachments": [{"name": "a.txt", "type": "text/html\r\nX: y", "data": "aGk="}]},
            "attachments[0]", "not a media type"),
           ({"category": "other", "targets": ["x.com"], "evidence": {"description": "x" * 30},
             "attachments": [{"name": "a\r\nb.txt", "type": "text/plain", "data": "aGk="}]},
            "attachments[0]", "control characters"),
           ({"category": "nonsense", "targets": ["x.com"]}, "category", "one of phishing"),
           ({"category": "other", "targets": [], "evidence": {"description": "x" * 30}},
            "targets", "at least one"),
           ({"category": "botnet-c2", "targets": ["c2.com"], "ips": ["300.1.1.1"],
             "evidence": {"description": "beacons", "observed": "2026-11-17"}}, "ips[0]",
            "not an IPv4 or IPv6 address"),
           ({"category": "malware", "targets": ["x.com"],
             "evidence": {"description": "d", "sample_sha256": "zz"}},
            "evidence.sample_sha256", "64 hexadecimal"),
           ({"category": "other", "targets": ["x.com"], "evidence": {"description": "y" * 30},
             "attachments": [{"name": "a.bin", "type": "x/y", "data": "QUFB" * 800000}]},
            "attachments[0]", "larger than"),
           ({"category": "other", "targets": ["x.com"], "evidence": {"description": "y" * 30},
             "reporter": {"email": "no-at-sign"}}, "reporter.email", "not an e-mail")]
    for body, field, msg in bad:
        st, e = http("POST", srv.base + "/api/v1/reports", body)
        hit = [f for f in (e.get("fields", []) if isinstance(e, dict) else [])
               if f["field"] == field and msg in f["message"]]
        check(st == 422 and hit, "422 %s '%s': got %s %r" % (field, msg, st, e))
    eq(metric(srv, "ssrwatch_reports_stored"), 4, "nothing stored from bad input")

    # ---- C. routing: registry (directory), registrar (RDAP), host (RDAP IP) -------------------
    def case_admin(cid):
        st, c = http("GET", "%s/api/v1/cases/%d" % (srv.base, cid), token=ADMIN)
        return c if st == 200 else None

    def routed(cid):
        c = case_admin(cid)
        return c if c and c["route_state"] in ("routed", "retry") else None

    c1 = wait_for(lambda: routed(CASE1), "case 1 routed")
    roles = sorted((p["role"], p["name"]) for p in c1["parties"])
    eq(roles, [("registrar", "Registrar One LLC"), ("registry", "VeriSign Global Registry Services")],
       "case 1 parties")
    reg1 = [p for p in c1["parties"] if p["role"] == "registrar"][0]
    eq(reg1["iana_id"], 1001, "registrar IANA id from RDAP")
    cm = wait_for(lambda: routed(CASE_MAL), "malware case routed")
    eq(sorted((p["role"], p["name"]) for p in cm["parties"]),
       [("host", "Example Hosting Inc."), ("registrar", "Registrar Two GmbH"),
        ("registry", "VeriSign Global Registry Services")], "malware case parties with host")
    st, parties = http("GET", srv.base + "/api/v1/parties", token=ADMIN)
    byname = {p["name"]: p for p in parties["parties"]}
    eq(byname["Registrar One LLC"]["email"], "abuse@reg-one.example", "abuse contact from vCard")
    eq(byname["Example Hosting Inc."]["email"], "abuse@hosting.example", "host abuse contact")
    eq(byname["Example Hosting Inc."]["handle"], "EXHOST-1", "host handle")
    # RDAP cache: a second case at the same registrar domain does not ask again
    rdap_log = open(os.path.join(state, "log")).read().splitlines()
    eq(rdap_log.count("/dns/domain/bad-paypal.com"), 1, "RDAP answer cached")

    # failures: 404 (routed without a registrar), broken JSON and 503 and a timeout (retried)
    ids = {}
    for dom in ("gone.com", "broken.com", "flaky.com", "slow.com"):
        st, r = http("POST", srv.base + "/api/v1/reports",
                     {"category": "spam", "targets": [dom],
                      "evidence": {"description": "unsolicited bulk mail with this link",
                                   "smtp_from": "bulk@sender.example", "source_port": 41234}})
        eq(st, 201, "report on " + dom)
        ids[dom] = r["cases"][0]["id"]
    g = wait_for(lambda: routed(ids["gone.com"]), "gone.com routed")
    eq([p["role"] for p in g["parties"]], ["registry"], "404: only the registry")
    check("does not know the domain" in (g["route_error"] or ""), "404 reason kept")
    for dom in ("broken.com", "flaky.com", "slow.com"):
        c = wait_for(lambda: routed(ids[dom]), dom + " tried")
        eq(c["route_state"], "retry", dom + " left to retry")
        eq(c["route_attempts"], 1, dom + " attempts")
        check("registrar" not in [p["role"] for p in c["parties"]], dom + " no registrar yet")
    # the RDAP servers recover; after the backoff the cases reach their registrar
    for dom in ("broken.com", "flaky.com", "slow.com"):
        open(os.path.join(state, dom), "w").write("ok")
    set_clock(T0 + 61)
    for dom in ("broken.com", "flaky.com", "slow.com"):
        c = wait_for(lambda: (lambda c: c if c and c["route_state"] == "routed" else None)(
            case_admin(ids[dom])), dom + " routed after retry")
        if c:
            check("registrar" in [p["role"] for p in c["parties"]], dom + " registrar after retry")
            check(any(e["kind"] == "route-retry" for e in c["events"]), dom + " retry on timeline")

    # ---- E. authorisation ---------------------------------------------------------------------
    pid1, pid2 = byname["Registrar One LLC"]["id"], byname["Registrar Two GmbH"]["id"]
    run("portal", "account", "--store", STORE, "--login", "reg1", "--party", str(pid1),
        env={"SSRWATCH_PASSWORD": "reg1-password-1"})
    run("portal", "account", "--store", STORE, "--login", "reg2", "--party", str(pid2),
        env={"SSRWATCH_PASSWORD": "reg2-password-1"})
    TOK1 = run("portal", "token", "--store", STORE, "--login", "reg1").stdout.strip()
    TOK2 = run("portal", "token", "--store", STORE, "--login", "reg2").stdout.strip()
    st, c = http("GET", "%s/api/v1/cases/%d" % (srv.base, CASE1), token=TOK1)
    eq(st, 200, "registrar reads its case")
    check(all("reporter" not in r["report"] for r in c["reports_received"]),
          "parties do not see reporter contacts")
    eq(len(c["reports_received"]), 3, "the case holds its three reports")
    st, _ = http("GET", "%s/api/v1/cases/%d" % (srv.base, CASE1), token=TOK2)
    eq(st, 404, "another registrar cannot read the case")
    st, _ = http("POST", "%s/api/v1/cases/%d/acknowledge" % (srv.base, CASE1), token=TOK2)
    eq(st, 404, "another registrar cannot act on the case")
    st, _ = http("GET", "%s/api/v1/cases/%d" % (srv.base, CASE1))
    eq(st, 401, "no token")
    st, _ = http("GET", "%s/api/v1/cases/%d" % (srv.base, CASE1), token=r1["token"])
    eq(st, 401, "a reporter token is no API token")
    st, _ = http("GET", "%s/api/v1/reports/%s" % (srv.base, r1["token"][:-1] + ("A" if r1["token"][-1] != "A" else "B")))
    eq(st, 404, "a wrong reporter token reads nothing")
    st, inbox = http("GET", srv.base + "/api/v1/cases", token=TOK1)
    mine = sorted(c["id"] for c in inbox["cases"])
    check(CASE1 in mine and CASE_MAL not in mine, "inbox holds only routed cases: %r" % mine)
    st, inbox2 = http("GET", srv.base + "/api/v1/cases?category=malware", token=TOK2)
    eq([c["id"] for c in inbox2["cases"]], [CASE_MAL], "inbox filter by category")

    # ---- F. actions -------------------------------------------------------------------------
    url = "%s/api/v1/cases/%d" % (srv.base, CASE1)
    st, _ = http("POST", url + "/acknowledge", token=TOK1)
    eq(st, 200, "acknowledge")
    st, e = http("POST", url + "/acknowledge", token=TOK1)
    eq(st, 409, "acknowledge twice")
    st, e = http("POST", url + "/resolve", {"outcome": "no-action"}, token=TOK1)
    check(st == 422 and "reason" in e["error"], "no-action needs a reason")
    st, e = http("POST", url + "/resolve", {"outcome": "maybe"}, token=TOK1)
    eq(st, 422, "unknown outcome")
    st, c = http("POST", url + "/resolve", {"outcome": "suspended"}, token=TOK1)
    eq((st, c["status"]), (200, "closed"), "suspension closes the case")
    # a new report on a closed case's domain opens a new case
    st, r5 = http("POST", srv.base + "/api/v1/reports", phish)
    check(r5["cases"][0]["id"] != CASE1 and not r5["cases"][0]["joined"], "closed case: new case")

    # ---- G. SLA figures from a scripted timeline, computed by hand ---------------------------
    set_clock(T0)
    run("portal", "directory", "--store", SLA_STORE, "--file", os.path.join(W, "dir.csv"))
    run("portal", "account", "--store", SLA_STORE, "--login", "admin", "--admin",
        env={"SSRWATCH_PASSWORD": "admin-password-1"})
    SADMIN = run("portal", "token", "--store", SLA_STORE, "--login", "admin").stdout.strip()
    ss = Server(SLA_STORE)
    D = 86400

    def report(dom):
        st, r = ss_http("POST", "/api/v1/reports", {"category": "spam", "targets": [dom],
                        "evidence": {"description": "unsolicited bulk mail with this link",
                                     "smtp_from": "bulk@sender.example", "source_port": 41234}})
        eq(st, 201, "sla report " + dom)
        cid = r["cases"][0]["id"]
        wait_for(lambda: (lambda c: c[1]["route_state"] == "routed" if c[0] == 200 else None)(
            ss_http("GET", "/api/v1/cases/%d" % cid, token=SADMIN)), "sla case routed")
        return cid

    def ss_http(method, path, body=None, token=None):
        return http(method, ss.base + path, body, token=token)

    ca, cb, cc = report("sla-a.com"), report("sla-b.com"), report("sla-c.com")
    _, sp = ss_http("GET", "/api/v1/parties", token=SADMIN)
    rid = [p["id"] for p in sp["parties"] if p["name"] == "Registrar One LLC"][0]
    run("portal", "account", "--store", SLA_STORE, "--login", "r1", "--party", str(rid),
        env={"SSRWATCH_PASSWORD": "r1-password-12"})
    RT = run("portal", "token", "--store", SLA_STORE, "--login", "r1").stdout.strip()
    for at, cid, act, body in ((3600, ca, "acknowledge", None),
                               (108000, cb, "acknowledge", None),
                               (2 * D, ca, "resolve", {"outcome": "suspended"}),
                               (8 * D, cb, "resolve", {"outcome": "no-action",
                                                       "reason": "content removed by the host"})):
        set_clock(T0 + at)
        st, _ = ss_http("POST", "/api/v1/cases/%d/%s" % (cid, act), body or {}, token=RT)
        eq(st, 200, "sla %s case %d" % (act, cid))
    set_clock(T0 + 9 * D + D // 2)
    report("sla-d.com")
    set_clock(T0 + 10 * D)
    st, api = ss_http("GET", "/api/v1/stats")
    eq(st, 200, "stats endpoint")
    parties = {p["name"]: p for p in api["parties"]}
    r, g, o = parties["Registrar One LLC"], parties["VeriSign Global Registry Services"], api["overall"]
    want_r = {"routed": 4, "acknowledged": 2, "resolved": 2, "mitigated": 1,
              "mitigation_rate": 0.5, "open_acknowledge_breaches": 1, "open_action_breaches": 1,
              "outcomes": {"suspended": 1, "deleted": 0, "transferred": 0, "no-action": 1,
                           "not-ours": 0},
              "time_to_acknowledge": {"n": 2, "median_s": 55800.0, "p90_s": 108000,
                                      "decided": 3, "within_sla": 1,
                                      "share_within_sla": 1 / 3},
              "time_to_action": {"n": 2, "median_s": 432000.0, "p90_s": 691200,
                                 "decided": 3, "within_sla": 1, "share_within_sla": 1 / 3}}
    for k, v in want_r.items():
        eq(r[k], v, "registrar SLA " + k)
    # the registry never acted: case a closed (suspended) on day 2 stops its clock
    want_g = {"routed": 4, "acknowledged": 0, "open_acknowledge_breaches": 2,
              "open_action_breaches": 2,
              "time_to_acknowledge": {"n": 0, "median_s": None, "p90_s": None, "decided": 3,
                                      "within_sla": 0, "share_within_sla": 0.0},
              "time_to_action": {"n": 0, "median_s": None, "p90_s": None, "decided": 2,
                                 "within_sla": 0, "share_within_sla": 0.0}}
    for k, v in want_g.items():
        eq(g[k], v, "registry SLA " + k)
    eq((o["routed"], o["time_to_acknowledge"]["decided"], o["time_to_action"]["decided"],
        o["open_acknowledge_breaches"], o["open_action_breaches"]), (8, 6, 5, 3, 3),
       "overall SLA")
    cli = json.loads(run("portal", "stats", "--store", SLA_STORE, "--at",
                         str(T0 + 10 * D)).stdout)
    eq(cli, api, "portal stats prints what /api/v1/stats serves")
    csv = run("portal", "stats", "--store", SLA_STORE, "--format", "csv", "--at",
              str(T0 + 10 * D)).stdout.splitlines()
    eq(len(csv), 4, "csv: header, two parties, overall")
    check(',Registrar One LLC,registrar,4,2,2,1,55800,108000,1,3,0.333333,432000,691200,1,3,'
          '0.333333,1,1' in csv[1] + csv[2], "csv row of the registrar: %r" % csv)
    check(csv[3].startswith(",all,,8,2,2,1,55800,108000,1,6,"), "csv overall row: %r" % csv)
    table = run("portal", "stats", "--store", SLA_STORE, "--format", "table", "--at",
                str(T0 + 10 * D)).stdout
    check("Registrar One LLC" in table and "432000" in table, "table format: %r" % table)
    eq(ss.stop(), 0, "SLA server stops")

    # ---- H. kill -9 during a load run: every 2xx is in the store ------------------------------
    before = metric(srv, "ssrwatch_reports_stored")
    acked = []
    lock = threading.Lock()
    stop = threading.Event()

    def load(k):
        i = 0
        while not stop.is_set():
            i += 1
            body = {"category": "spam", "targets": ["load-%d-%d.com" % (k, i)],
                    "evidence": {"description": "load test report number %d" % i,
                                 "smtp_from": "bulk@sender.example", "source_port": 25000 + k}}
            try:
                st, r = http("POST", srv.base + "/api/v1/reports", body)
            except Exception:
                continue
            if st == 201:
                with lock:
                    acked.append(r["token"])

    threads = [threading.Thread(target=load, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    srv.p.send_signal(signal.SIGKILL)
    srv.p.wait()
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    check(len(acked) > 20, "load run got answers (%d)" % len(acked))
    srv = Server(STORE, extra=("--brands", BRANDS))
    missing = [t for t in acked if http("GET", srv.base + "/api/v1/reports/" + t)[0] != 200]
    eq(len(missing), 0, "reports answered 2xx before kill -9 and missing after restart")
    n = metric(srv, "ssrwatch_reports_stored")
    check(n is not None and n >= len(acked) + before,
          "stored %r >= answered %d + %d before" % (n, len(acked), before))

    # ---- H2. rate limits: per IP (reports, logins) and per account (API) ---------------------
    RSTORE = os.path.join(W, "rate.db")
    set_clock(T0 + 7 * 86400)
    run("portal", "directory", "--store", RSTORE, "--file", os.path.join(W, "dir.csv"))
    run("portal", "account", "--store", RSTORE, "--login", "admin", "--admin",
        env={"SSRWATCH_PASSWORD": "admin-password-1"})
    RTOK = run("portal", "token", "--store", RSTORE, "--login", "admin").stdout.strip()
    rs = Server(RSTORE, ("--rate-ip", "3", "--rate-account", "4", "--background", "no"))
    spam = {"category": "spam", "targets": ["rate-test.com"],
            "evidence": {"description": "unsolicited bulk mail with this link",
                         "smtp_from": "bulk@sender.example", "source_port": 41234}}
    eq([http("POST", rs.base + "/api/v1/reports", spam)[0] for _ in range(4)],
       [201, 201, 201, 429], "4th report in a minute from one IP refused")
    hdr = subprocess.run(["curl", "-s", "-D", "-", "-o", "/dev/null", "-H",
                          "Content-Type: application/json", "--data-binary", json.dumps(spam),
                          rs.base + "/api/v1/reports"], capture_output=True, text=True).stdout
    check("429" in hdr.splitlines()[0] and "Retry-After: " in hdr, "429 with Retry-After")
    eq(metric(rs, "ssrwatch_reports_stored"), 3, "refused reports not stored")
    eq(metric(rs, "ssrwatch_rate_limited_total"), 2, "rate-limited requests counted")
    set_clock(T0 + 7 * 86400 + 60)
    eq(http("POST", rs.base + "/api/v1/reports", spam)[0], 201, "next minute: accepted again")
    eq([http("GET", rs.base + "/api/v1/cases", token=RTOK)[0] for _ in range(5)],
       [200, 200, 200, 200, 429], "5th API request in a minute from one account refused")
    jar = os.path.join(W, "rate.jar")
    form = subprocess.run(["curl", "-s", "-c", jar, "-b", jar, rs.base + "/login"],
                          capture_output=True, text=True).stdout
    csrf = form.split('name="csrf" value="')[1].split('"')[0]

    def login(user, pw, src="127.0.0.1"):
        out = subprocess.run(["curl", "-s", "-D", "-", "-o", "/dev/null", "--interface", src,
                              "-c", jar, "-b", jar, "-d",
                              "csrf=%s&login=%s&password=%s" % (csrf, user, pw),
                              rs.base + "/login"], capture_output=True, text=True).stdout
        head = out.splitlines()
        ra = [h.split(":", 1)[1].strip() for h in head if h.lower().startswith("retry-after:")]
        return head[0].split()[1] if head else "", ra[0] if ra else None

    # per IP: 10 attempts a minute, whatever the login (each login fails once: no backoff)
    codes = [login("nobody-%d" % i, "wrong")[0] for i in range(11)]
    eq(codes, ["401"] * 10 + ["429"], "11th login attempt in a minute from one IP refused")
    # per login, from any address: 5 failures, then each attempt waits 2, 4, 8 ... s, even
    # with the right password; a success clears it.  Logins longer than the old 71-byte key
    # are limited too.
    set_clock(T0 + 7 * 86400 + 120)
    run("portal", "account", "--store", RSTORE, "--login", "x" * 90,
        env={"SSRWATCH_PASSWORD": "long-login-password-1"})
    for user, pw in (("admin", "admin-password-1"), ("x" * 90, "long-login-password-1")):
        got = [login(user, "wrong", "127.0.0.%d" % (2 + i))[0] for i in range(5)]
        eq(got, ["401"] * 5, "five failures for %s..." % user[:10])
        st, ra = login(user, pw, "127.0.0.9")
        eq((st, ra), ("429", "2"), "the 6th attempt waits 2 s, from another address (%s)" % user[:10])
    set_clock(T0 + 7 * 86400 + 123)
    eq(login("admin", "wrong", "127.0.0.10")[0], "401", "after the wait: tried (and wrong)")
    eq(login("admin", "admin-password-1", "127.0.0.11"), ("429", "4"), "then 4 s")
    set_clock(T0 + 7 * 86400 + 128)
    eq(login("admin", "admin-password-1", "127.0.0.12")[0], "303", "the right password after the wait")
    eq(login("admin", "wrong", "127.0.0.13")[0], "401", "a success cleared the backoff")
    eq(rs.stop(), 0, "rate-limit server stops")

    # ---- H2. the router: every area's answer for an address no route takes ------------------
    for method, path, tok, want_st, want in [
            ("GET", "/nope", None, 404, "There is no page at this address."),
            ("PUT", "/inbox", None, 404, "There is no page at this address."),
            ("GET", "/recs/bad!id", None, 404, "There is no recommendation with this id."),
            ("GET", "/recs/1/x", None, 404, "There is no page at this address."),
            ("GET", "/api/x", None, 404, "no such API endpoint (the API is under /api/v1/)"),
            ("GET", "/api/v1/", None, 404, "no such API endpoint (the API is under /api/v1/)"),
            ("GET", "/api/v2/cases", ADMIN, 404, "no such API endpoint (the API is under /api/v1/)"),
            ("GET", "/api/v1/nope", ADMIN, 404, "no such API endpoint"),
            ("PUT", "/api/v1/parties", ADMIN, 404, "no such API endpoint"),
            ("PUT", "/api/v1/reports", None, 405,
             "POST /api/v1/reports or GET /api/v1/reports/{token}[/xarf]"),
            ("GET", "/api/v1/cases/x", ADMIN, 404, "no such case"),
            ("PUT", "/api/v1/cases/1", ADMIN, 405,
             "GET /api/v1/cases[/{id}[/xarf]], POST .../{id}/acknowledge|resolve"),
            ("GET", "/api/v1/recs/bad!", ADMIN, 404, "no such recommendation"),
            ("GET", "/api/v1/recs/1/x", ADMIN, 405,
             "GET /api/v1/recs[/{id}], POST /api/v1/recs/{id}/status|evidence"),
            ("POST", "/api/v1/cases/1/acknowledge", None, 401,
             "an API token is required (Authorization: Bearer <token>)"),
            ("POST", "/inbox", None, 403, "security token is missing"),
    ]:
        st, body = http(method, srv.base + path, token=tok)
        got = body.get("error") if isinstance(body, dict) else body
        check(st == want_st and want in (got or "").replace("&#39;", "'"),
              "%s %s: %s %r, want %s %r" % (method, path, st, str(got)[:80], want_st, want))
    # repeated and trailing slashes are no segments: the same route
    st, body = http("GET", srv.base + "/api/v1//cases/", token=ADMIN)
    check(st == 200 and "cases" in body, "GET /api/v1//cases/ is the case list (%s)" % st)
    st, body = http("GET", srv.base + "/healthz")
    eq((st, body.get("status")), (200, "ok"), "/healthz")

    # ---- H2. protected names at intake (issue 25): kept with each target --------------------
    st, r5 = http("POST", srv.base + "/api/v1/reports",
                  dict(phish, targets=["https://AppIe-id-verify.blogspot.com/x",
                                       "https://secure-chase-login.malware-drop.com/",
                                       "https://www.malware-drop.com/"],
                       reporter={"email": "c@isp.example"}))
    eq(st, 201, "report with look-alike hosts accepted")
    st, rep5 = http("GET", srv.base + "/api/v1/reports/" + r5["token"])
    got = [[(p["brand"], p["position"], p.get("provider")) for p in t.get("protected_names", [])]
           for t in rep5["body"]["targets"]]
    eq(got, [[("apple.com", "registered", "blogspot.com")],
             [("chase.com", "subdomain", None)], []],
       "intake: brand, position and provider per target (case as written, provider user)")

    # ---- I. graceful stop -------------------------------------------------------------------
    eq(srv.stop(), 0, "SIGTERM: clean exit")
    al = open(os.path.join(W, "access.log")).read().splitlines()
    def status(line):
        try:
            return json.loads(line)["status"]
        except ValueError:
            return -1
    bad = [l for l in al if status(l) < 100]
    check(len(al) > 50 and not bad, "access log lines (not JSON with a status: %r)" % bad[:2])
    check(all("/r/" not in l or "..." in l for l in al), "report tokens not in the access log")
finally:
    finish()
