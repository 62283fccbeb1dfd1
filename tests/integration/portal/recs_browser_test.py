#!/usr/bin/env python3
"""The recommendation tracker in the browser: imports the shipped catalogue, makes an editor
and a registrar login, starts the portal and runs tests/browser/recs_flow.py (Debian's chromium
through python3-selenium); then checks the
history and the evidence through the API.
usage: recs_browser_test.py SSRWATCH STORE_URI WORKDIR"""
import os
import sys

from harness import *  # noqa: F401,F403

set_clock(T0)
try:
    out = run("recs", "import", "--store", STORE).stdout
    check("SSR1: 28 recommendations" in out and "SSR2: 31 recommendations" in out
          and "CCT: 1 recommendations" in out, "import counts: " + out)
    run("portal", "account", "--store", STORE, "--login", "ed",
        env={"SSRWATCH_PASSWORD": "editor-password-1"})
    run("recs", "editor", "ed", "--store", STORE)
    pid = run("portal", "party", "--store", STORE, "--kind", "registrar", "--name",
              "Registrar One LLC", "--iana-id", "1001").stdout.strip()
    run("portal", "account", "--store", STORE, "--login", "reg1", "--party", pid,
        env={"SSRWATCH_PASSWORD": "reg1-password-1"})
    ED = run("portal", "token", "--store", STORE, "--login", "ed").stdout.strip()
    REG = run("portal", "token", "--store", STORE, "--login", "reg1").stdout.strip()
    srv = Server(STORE)
    sys.path.insert(0, os.path.join(HERE, "..", "..", "browser"))
    import recs_flow
    ok = recs_flow.run(srv.base, {"ED_LOGIN": "ed", "ED_PW": "editor-password-1",
                                  "REG_LOGIN": "reg1", "REG_PW": "reg1-password-1", "OUT": W})
    check(ok, "browser flow")
    # the browser's changes, through the API (public read)
    st, r = http("GET", srv.base + "/api/v1/recs/SSR2-19")
    eq(st, 200, "GET /api/v1/recs/SSR2-19")
    eq(r["status"], "verified", "status after the flow")
    eq([(e["actor"], e["from"], e["to"]) for e in r["history"]],
       [("ed", "not-started", "implemented"), ("ed", "implemented", "verified")],
       "history: only the allowed changes, in order")
    eq(r["history"][0]["reason"], "scan and report in production", "the reason typed")
    eq([(e["kind"], e["ref"]) for e in r["evidence_items"]],
       [("url", "https://www.icann.org/ssr2-rec19?a=1&b=<2>")], "the evidence item")
    # the API enforces the same rules
    st, e = http("POST", srv.base + "/api/v1/recs/SSR2-19/status", {"status": "in-progress"},
                 token=REG)
    eq(st, 403, "a registrar's token cannot change the tracker")
    st, e = http("POST", srv.base + "/api/v1/recs/SSR2-19/status", {"status": "in-progress"})
    eq(st, 401, "no token, no change")
    st, e = http("POST", srv.base + "/api/v1/recs/SSR2-20/status", {"status": "verified"},
                 token=ED)
    eq(st, 422, "workflow refusal through the API")
    check("only an implemented recommendation" in e.get("error", ""), "the rule: %s" % e)
    st, e = http("POST", srv.base + "/api/v1/recs/SSR2-19/status",
                 {"status": "in-progress", "reason": "evidence withdrawn"}, token=ED)
    eq((st, e.get("status")), (200, "in-progress"), "reopen with a reason")
    st, e = http("POST", srv.base + "/api/v1/recs/NOPE-1/status", {"status": "in-design"},
                 token=ED)
    eq(st, 404, "unknown recommendation")
    st, e = http("POST", srv.base + "/api/v1/recs/SSR2-20/evidence",
                 {"kind": "url", "ref": "javascript:alert(1)"}, token=ED)
    eq(st, 422, "only http(s) evidence URLs")
    st, d = http("GET", srv.base + "/api/v1/recs")
    eq(len([x for x in d["recommendations"] if not x["parent"]]), 60, "28 + 31 + 1 in the API")
    eq(srv.stop(), 0, "SIGTERM: clean exit")
finally:
    finish()
