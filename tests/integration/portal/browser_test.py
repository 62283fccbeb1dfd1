#!/usr/bin/env python3
"""Sets up a store (registry directory, the registrar and its login), starts the portal and the
RDAP fixture, and runs tests/browser/portal_flow.py (Debian's chromium through python3-selenium)
against it; then checks in the store, through the API, that what the browser did was committed.
usage: browser_test.py SSRWATCH STORE_URI WORKDIR"""
import os
import sys

from harness import *  # noqa: F401,F403 (argv, checks, Server, http, fixture)

set_clock(T0)
try:
    registrar_one(STORE)
    run("portal", "account", "--store", STORE, "--login", "admin", "--admin",
        env={"SSRWATCH_PASSWORD": "admin-password-1"})
    ADMIN = run("portal", "token", "--store", STORE, "--login", "admin").stdout.strip()
    brands = os.path.join(W, "brands.txt")
    with open(brands, "w") as f:
        f.write("paypal.com\napple.com\n")
    srv = Server(STORE, extra=("--brands", brands))
    sys.path.insert(0, os.path.join(HERE, "..", "..", "browser"))
    import portal_flow
    ok = portal_flow.run(srv.base, {"REG_LOGIN": "reg1", "REG_PW": "reg1-password-1",
                                    "ADMIN_LOGIN": "admin", "ADMIN_PW": "admin-password-1",
                                    "OUT": W})
    check(ok, "browser flow")
    # what the browser did is in the store
    st, cases = http("GET", srv.base + "/api/v1/cases", token=ADMIN)
    eq(st, 200, "admin lists cases")
    eq([(c["domain"], c["status"]) for c in cases["cases"]], [("bad-paypal.com", "closed")],
       "one case, closed through the pages")
    st, c = http("GET", "%s/api/v1/cases/%d" % (srv.base, cases["cases"][0]["id"]), token=ADMIN)
    rep = c["reports_received"][0]["report"]
    eq(rep["attachments"][0]["name"], "screenshot.png", "the attachment sent by the form")
    eq(rep["attachments"][0]["size"], 16, "attachment size")
    eq(rep["reporter"]["email"], "analyst@cert.example", "the reporter contact is kept")
    eq(metric(srv, "ssrwatch_reports_stored"), 1, "the refused form stored nothing")
    st, ps = http("GET", srv.base + "/api/v1/parties", token=ADMIN)
    three = [p for p in ps["parties"] if p["iana_id"] == 1003]
    eq([(p["name"], p["email"]) for p in three],
       [("Registrar <Three> & Co", "abuse@reg-three.example")], "party added through /admin")
    eq(srv.stop(), 0, "SIGTERM: clean exit")
finally:
    finish()
