#!/usr/bin/env python3
"""Delivery end to end: routed cases reach each party by e-mail (a real SMTP conversation with
sinks.py: text part + XARF v4 attachment, no reporter contact) and by signed webhook (HMAC-SHA256
checked by the receiver), failures retry with exponential backoff on the scripted clock, give up
after retry-max attempts, and every attempt is in the delivery log.  XARF export endpoints.
usage: delivery_test.py SSRWATCH STORE_URI WORKDIR"""
import base64
import email
import email.policy
import hashlib
import json
import os
import subprocess
import sys
import time

from harness import *  # noqa: F401,F403 (argv, checks, Server, http, fixture)

SECRET = "webhook-secret-of-reg-one"
SD = os.path.join(W, "sinks")
SMTP_PORT, HOOK_PORT = start_sinks(SD, SECRET)


def mails():
    d = os.path.join(SD, "mail")
    return [email.message_from_bytes(open(os.path.join(d, f), "rb").read(),
                                     policy=email.policy.default)
            for f in sorted(os.listdir(d), key=lambda f: int(f.split(".")[0]))
            if f.endswith(".eml")]


def hooks():
    d = os.path.join(SD, "hooks")
    return [json.load(open(os.path.join(d, f)))
            for f in sorted(os.listdir(d), key=lambda f: int(f.split(".")[0]))
            if f.endswith(".json")]


set_clock(T0)
try:
    run("portal", "directory", "--store", STORE, "--file", os.path.join(W, "dir.csv"))
    run("portal", "party", "--store", STORE, "--kind", "registrar", "--name",
        "Registrar One LLC", "--iana-id", "1001", "--email", "abuse@reg-one.example",
        "--webhook", "http://127.0.0.1:%d/hook" % HOOK_PORT, "--secret", SECRET,
        "--delivery", "email,webhook")
    run("portal", "party", "--store", STORE, "--kind", "host", "--name", "Example Hosting Inc.",
        "--handle", "EXHOST-1", "--webhook", "http://127.0.0.1:9/never", "--secret", "x",
        "--delivery", "webhook")
    run("portal", "account", "--store", STORE, "--login", "admin", "--admin",
        env={"SSRWATCH_PASSWORD": "admin-password-1"})
    ADMIN = run("portal", "token", "--store", STORE, "--login", "admin").stdout.strip()
    srv = Server(STORE, ("--smtp-url", "smtp://127.0.0.1:%d" % SMTP_PORT, "--smtp-from",
                         "portal@ssrwatch.example", "--retry-max", "4",
                         "--webhook-timeout-ms", "2000"))

    def case(cid):
        return http("GET", "%s/api/v1/cases/%d" % (srv.base, cid), token=ADMIN)[1]

    def log_of(cid, channel, party=None):
        return [(d["attempt"], d["state"]) for d in case(cid).get("deliveries", [])
                if d["channel"] == channel and (party is None or d["party_id"] == party)]

    # ---- e-mail to registry and registrar; webhook fails twice, then succeeds -----------------
    open(os.path.join(SD, "hook-fail"), "w").write("2")
    shot = b"\x89PNG\r\n\x1a\n fake screenshot bytes"
    st, r = http("POST", srv.base + "/api/v1/reports", {
        "category": "phishing", "targets": ["https://login.bad-paypal.com/verify"],
        "evidence": {"imitates": "PayPal", "description": "credential form",
                     "observed": "2026-11-17T10:00:00Z",
                     "urls": ["https://screens.example.org/1.png"]},
        "attachments": [{"name": "shot.png", "type": "image/png",
                         "data": base64.b64encode(shot).decode()}],
        "reporter": {"name": "A. Analyst", "email": "analyst@cert.example"}})
    eq(st, 201, "report accepted")
    CID, TOKEN = r["cases"][0]["id"], r["token"]
    wait_for(lambda: len(mails()) >= 2, "two mails (registry, registrar)")
    ms = {str(m["To"]).strip("<>"): m for m in mails()}
    eq(sorted(ms), ["abuse@reg-one.example", "abuse@verisign.example"], "mail recipients")
    m = ms.get("abuse@reg-one.example")
    if m:
        eq(m["X-Envelope-From"], "<portal@ssrwatch.example>", "envelope sender")
        check("[ssrwatch case %d]" % CID in m["Subject"] and "bad-paypal.com" in m["Subject"],
              "subject: %s" % m["Subject"])
        text = m.get_body(("plain",)).get_content()
        check("bad-paypal.com" in text and "/cases/%d" % CID in text and "PayPal" in text,
              "mail text names domain, link, brand")
        raw = m.as_string()
        check("analyst@cert.example" not in raw and "A. Analyst" not in raw,
              "the reporter's contact is not in the mail")
        att = [p for p in m.iter_attachments()]
        eq([a.get_filename() for a in att], ["xarf-case-%d.json" % CID], "XARF attachment")
        x = json.loads(att[0].get_content()) if att else [{}]
        eq(len(x), 1, "one XARF report per portal report")
        x = x[0]
        eq((x.get("xarf_version"), x.get("category"), x.get("type")),
           ("4.0.0", "content", "phishing"), "XARF class")
        eq(x.get("source_identifier"), "bad-paypal.com", "XARF source")
        eq(x.get("url"), "https://login.bad-paypal.com/verify", "XARF url")
        eq(x.get("target_brand"), "PayPal", "XARF brand")
        eq(x.get("timestamp"), "2026-11-17T10:00:00Z", "XARF timestamp from 'observed'")
        ev = x.get("evidence", [])
        eq(base64.b64decode(ev[0]["payload"]) if ev else None, shot, "evidence bytes")
        eq(ev[0]["hash"] if ev else None, "sha256:" + hashlib.sha256(shot).hexdigest(),
           "evidence hash")
        MAIL_XARF_ID = x.get("report_id")
        check(len(x.get("report_id", "")) == 36 and x["report_id"][14] == "4", "UUID v4 id")
        check("analyst@cert.example" not in json.dumps(x), "no reporter contact in XARF")
    else:
        MAIL_XARF_ID = None
    wait_for(lambda: len(hooks()) >= 1, "first webhook call")
    eq(log_of(CID, "webhook"), [(1, "retry")], "webhook attempt 1 failed, retry")
    eq(sorted(log_of(CID, "email")), [(1, "sent"), (1, "sent")], "mails logged as sent")
    set_clock(T0 + 61)  # first retry after retry-base (60 s)
    wait_for(lambda: len(hooks()) >= 2, "second webhook call")
    time.sleep(1.5)
    eq(len(hooks()), 2, "no third call before the backoff (120 s) passes")
    set_clock(T0 + 61 + 121)
    wait_for(lambda: len(hooks()) >= 3, "third webhook call")
    wait_for(lambda: log_of(CID, "webhook") == [(1, "retry"), (2, "retry"), (3, "sent")],
             "webhook log: retry, retry, sent")
    h = hooks()
    check(all(c["sig_ok"] for c in h), "every webhook signature verifies")
    eq([c["failed"] for c in h], [True, True, False], "receiver answered 500, 500, 200")
    b = json.loads(h[-1]["body"])
    eq((b["event"], b["case"]["id"], b["case"]["domain"]), ("case.routed", CID, "bad-paypal.com"),
       "webhook body")
    eq(b["xarf"][0]["type"], "phishing", "webhook carries XARF")
    check("analyst@cert.example" not in h[-1]["body"], "no reporter contact in the webhook")
    eq(h[-1]["headers"].get("X-Ssrwatch-Event"), "case.routed", "event header")

    # ---- SMTP temporary failure, then recovery after the backoff ------------------------------
    open(os.path.join(SD, "smtp-fail"), "w").write("1")
    n0 = len(mails())
    st, r2 = http("POST", srv.base + "/api/v1/reports", {
        "category": "phishing", "targets": ["http://phish-bank.com/login"],
        "evidence": {"imitates": "Example Bank"}})
    CID2 = r2["cases"][0]["id"]
    wait_for(lambda: len(log_of(CID2, "email")) >= 2, "mail attempts for case 2")
    eq(sorted(log_of(CID2, "email")), [(1, "retry"), (1, "retry")], "451: both mails to retry")
    det = [d["detail"] for d in case(CID2)["deliveries"] if d["channel"] == "email"]
    check(all("451" in d or "smtp" in d for d in det), "SMTP failure detail: %r" % det)
    os.remove(os.path.join(SD, "smtp-fail"))
    set_clock(T0 + 61 + 121 + 61)
    wait_for(lambda: len(mails()) >= n0 + 2, "mails after recovery")
    wait_for(lambda: sorted(log_of(CID2, "email")) == [(1, "retry"), (1, "retry"), (2, "sent"),
                                                       (2, "sent")], "mail log retry, sent")

    # ---- a webhook that never answers: failed after retry-max (4) attempts ---------------------
    st, r3 = http("POST", srv.base + "/api/v1/reports", {
        "category": "malware", "targets": ["http://malware-drop.com/a.exe"],
        "ips": ["192.0.2.10"], "evidence": {"description": "drops a trojan"}})
    CID3 = r3["cases"][0]["id"]
    c3 = wait_for(lambda: (lambda c: c if c["route_state"] == "routed" else None)(case(CID3)),
                  "malware case routed")
    host = [p for p in c3["parties"] if p["role"] == "host"]
    eq([p["name"] for p in host], ["Example Hosting Inc."], "host party from the profile")
    hp = host[0]["party_id"] if host else 0
    t = T0 + 61 + 121 + 61
    for k in range(1, 5):
        wait_for(lambda: len(log_of(CID3, "webhook", hp)) >= k, "host webhook attempt %d" % k)
        t += 60 << k
        set_clock(t)
    wait_for(lambda: log_of(CID3, "webhook", hp) == [(1, "retry"), (2, "retry"), (3, "retry"),
                                                      (4, "failed")], "gave up after 4")
    time.sleep(1.2)
    eq(len(log_of(CID3, "webhook", hp)), 4, "no attempt after giving up")

    # ---- XARF export endpoints -----------------------------------------------------------------
    st, x = http("GET", "%s/api/v1/cases/%d/xarf" % (srv.base, CID), token=ADMIN)
    eq((st, x["case_id"], len(x["xarf"])), (200, CID, 1), "case XARF export")
    check("analyst@cert.example" not in json.dumps(x), "case export hides the reporter")
    st, x = http("GET", "%s/api/v1/reports/%s/xarf" % (srv.base, TOKEN))
    eq(st, 200, "reporter's XARF export")
    eq(x["xarf"][0]["reporter"]["contact"], "analyst@cert.example", "reporter's own export names them")
    st, xc = http("GET", "%s/api/v1/cases/%d/xarf" % (srv.base, CID), token=ADMIN)
    eq(x["xarf"][0]["report_id"], xc["xarf"][0]["report_id"], "stable XARF report id")
    eq(xc["xarf"][0]["report_id"], MAIL_XARF_ID, "the same id as in the mailed XARF")
    st, _ = http("GET", "%s/api/v1/cases/%d/xarf" % (srv.base, CID))
    eq(st, 401, "case export needs a token")
    st, _ = http("GET", "%s/api/v1/reports/%s/xarf" % (srv.base, "A" * 43))
    eq(st, 404, "wrong reporter token")
    eq(srv.stop(), 0, "SIGTERM: clean exit")
finally:
    finish()  # stops the sinks with the servers
