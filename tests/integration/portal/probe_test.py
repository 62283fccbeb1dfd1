#!/usr/bin/env python3
"""The portal probed as an attacker and a careless client would, on loopback: bodies refused
from their headers (an 8 MB form POST without its cookie, a Content-Length over the cap, both
Content-Length and chunked, an API write without a token), form fields over their cap, file
names with line breaks, non-UTF-8 fields, declared media types that are not ones; one address
holding connections open with a header line every second; the SQLite WAL under sustained
writes; /stats served from a short cache; sessions and API tokens revoked when a password
changes; a CSRF cookie the client made up; a path that is not UTF-8 in the access log; and
every category's XARF export against the XARF project's published schemas.
usage: probe_test.py SSRWATCH STORE_URI WORKDIR"""
import json
import os
import re
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.parse

from harness import *  # noqa: F401,F403

SCHEMAS = os.path.join(HERE, "..", "..", "data", "xarf")


def raw(port, data, src="127.0.0.1", timeout=10.0, send_all=True):
    """Send bytes on a new connection, read the answer to its end; (status line, body, ms)."""
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    t = time.time()
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed before taking everything: what we want
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    head, _, body = out.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body, round((time.time() - t) * 1000, 1)


def cpu_ms(pid):
    """User + system CPU time of a process so far, in ms."""
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def csrf_of(srv):
    out = subprocess.run(["curl", "-s", "-D", "-", srv.base + "/report"],
                         capture_output=True, text=True).stdout
    cookie = re.search(r"Set-Cookie: (ssr_csrf=[^;]+)", out).group(1)
    tok = re.search(r'name="csrf" value="([^"]+)"', out).group(1)
    return cookie, tok


set_clock(T0)
try:
    pid = registrar_one(STORE)
    srv = Server(STORE, ("--conn-per-ip", "4", "--header-timeout-s", "2",
                         "--stats-cache-s", "30", "--background", "no"))
    P = srv.port
    cookie, tok = csrf_of(srv)

    # ---- A. refused from the headers, the body unread --------------------------------------
    big = b"description=" + b"a" * 8000000
    hdr = (b"POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
           b"\r\nContent-Length: %d\r\n\r\n" % len(big))
    c0 = cpu_ms(srv.p.pid)
    st, body, ms = raw(P, hdr + big)
    c1 = cpu_ms(srv.p.pid)
    eq(st.split()[1], "403", "8 MB form POST without the CSRF cookie: refused")
    print("8 MB form POST without its cookie: %s in %.1f ms, server CPU %.0f ms" % (st, ms, c1 - c0))
    st, _, ms = raw(P, b"POST /report HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n"
                       b"Content-Type: application/x-www-form-urlencoded\r\n\r\n", timeout=5)
    eq(st.split()[1], "413", "Content-Length over the cap: 413 at once (%s ms)" % ms)
    st, _, _ = raw(P, b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                      b"\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    eq(st.split()[1], "400", "Content-Length and chunked together: 400")
    st, _, _ = raw(P, b"POST /api/v1/cases/1/acknowledge HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
    eq(st.split()[1], "401", "an API write without a token: 401 before the body")
    eq(metric(srv, "ssrwatch_refused_before_body_total"), 4, "four answered from their headers")
    st, _, _ = raw(P, b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/jsonx"
                      b"\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
    eq(st.split()[1], "415", "application/jsonx is not JSON")

    # with its cookie, a field over its cap: the body is read (linearly) and refused with why
    form = ("csrf=%s&category=other&targets=x.com&description=" % tok).encode() + b"a" * 8000000
    c0 = cpu_ms(srv.p.pid)
    st, body, ms = raw(P, b"POST /report HTTP/1.1\r\nHost: x\r\nCookie: " + cookie.encode() +
                       b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d"
                       b"\r\nConnection: close\r\n\r\n" % len(form) + form)
    c1 = cpu_ms(srv.p.pid)
    eq(st.split()[1], "413", "an 8 MB description field: 413")
    check(b"field &#39;description&#39; longer than 262144 bytes" in body, "the page says which field")
    print("8 MB description with the cookie: %s in %.1f ms, server CPU %.0f ms" % (st, ms, c1 - c0))
    eq(metric(srv, "ssrwatch_reports_stored"), 0, "nothing stored")

    def multipart(fields, files=()):
        b = b"BoUnDaRy42"
        parts = [b"--" + b + b'\r\nContent-Disposition: form-data; name="' + k.encode() +
                 b'"\r\n\r\n' + v + b"\r\n" for k, v in fields]
        for fn, ctype, data in files:
            parts.append(b"--" + b + b'\r\nContent-Disposition: form-data; name="attachments";'
                         b' filename="' + fn + b'"\r\nContent-Type: ' + ctype + b"\r\n\r\n" +
                         data + b"\r\n")
        body = b"".join(parts) + b"--" + b + b"--\r\n"
        return raw(P, b"POST /report HTTP/1.1\r\nHost: x\r\nCookie: " + cookie.encode() +
                   b"\r\nContent-Type: multipart/form-data; boundary=" + b + b"\r\n"
                   b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)

    base = [("csrf", tok.encode()), ("category", b"other"), ("targets", b"x.com"),
            ("description", b"x" * 40)]
    for fn in (b"a\r\nb.txt", b"a\nb.txt", b"a\x00b.txt"):
        st, body, _ = multipart(base, [(fn, b"text/plain", b"hello")])
        eq(st.split()[1], "422", "file name %r: refused, never dropped" % fn)
        check(b"file name" in body, "the page says it is the file name")
    st, body, _ = multipart(base, [(b"page.html", b"text/html<script>", b"<b>")])
    eq(st.split()[1], "422", "a declared type that is not a media type")
    check(b"is not a media type" in body, "the reason shown")
    st, body, _ = multipart([("csrf", tok.encode()), ("category", b"other"),
                             ("targets", b"x.com"), ("description", b"caf\xe9 " * 10)])
    eq(st.split()[1], "422", "a field that is not UTF-8: refused, not dropped")
    check(b"is not valid UTF-8" in body, "the reason shown")
    eq(metric(srv, "ssrwatch_reports_stored"), 0, "still nothing stored")

    # a CSRF cookie the client made up (the old check took any 43 characters)
    fake = "A" * 43
    st, _, _ = raw(P, ("POST /report HTTP/1.1\r\nHost: x\r\nCookie: ssr_csrf=%s\r\n"
                       "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
                       "Connection: close\r\n\r\ncsrf=%s" % (fake, 5 + len(fake), fake)).encode())
    eq(st.split()[1], "403", "a self-made double-submit token is refused")
    st, _, _ = raw(P, ("POST /report HTTP/1.1\r\nHost: x\r\nCookie: %s.%s\r\n"
                       "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\n"
                       "Connection: close\r\n\r\ncsrf=" % (cookie, "0" * 4)).encode())
    eq(st.split()[1], "403", "a token with a changed MAC is refused")

    # a path that is not UTF-8 still gets its access log line (escaped)
    st, _, _ = raw(P, b"GET /r/%FF%FE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    time.sleep(0.2)
    log = open(os.path.join(W, "access.log")).read()
    check('"path":"/r/%FF%..."' in log, "the non-UTF-8 path in the access log (escaped)")

    # ---- B. one address holding connections: per-IP limit, header deadline ------------------
    slow = []
    for i in range(6):
        s = socket.socket()
        s.bind(("127.0.0.2", 0))
        s.connect(("127.0.0.1", P))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        slow.append(s)

    def trickle():
        for _ in range(8):
            for s in slow:
                try:
                    s.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass
            time.sleep(1)

    tr = threading.Thread(target=trickle)
    tr.start()
    time.sleep(0.3)
    st, _, ms = raw(P, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    eq(st.split()[1], "200", "another address is served while one holds its 4 (%s ms)" % ms)
    tr.join()
    closed = 0
    for s in slow:
        s.settimeout(1)
        try:
            closed += s.recv(10) == b""
        except (socket.timeout, ConnectionResetError):
            closed += 0
        s.close()
    eq(closed, 6, "every trickling connection closed (4 by the deadline, 2 never let in)")
    check(metric(srv, "ssrwatch_header_timeouts_total") >= 4, "header deadline counted")
    slog = open(srv.log).read()
    eq(slog.count("sent no complete request within 2 s"), 1, "one log line for the cause")

    # ---- C. /stats from a short cache -----------------------------------------------------------
    a = http("GET", srv.base + "/api/v1/stats")[1]
    b = http("GET", srv.base + "/api/v1/stats")[1]
    eq(a["at"], b["at"], "two requests within the cache's life: the same figures")
    eq((metric(srv, "ssrwatch_stats_computed_total"), metric(srv, "ssrwatch_stats_cached_total")),
       (1, 1), "computed once, served twice")
    set_clock(T0 + 3600)  # the portal's clock moved past the cache's life
    c = http("GET", srv.base + "/api/v1/stats")[1]
    eq(c["at"], T0 + 3600, "recomputed when the clock moved on")
    set_clock(T0)

    # ---- D. revocation: a new password logs the account out everywhere ------------------------
    jar = os.path.join(W, "jar")
    subprocess.run(["curl", "-s", "-c", jar, "-b", jar, "-o", "/dev/null", srv.base + "/login"])
    lt = re.search(r"ssr_csrf\t(\S+)", open(jar).read()).group(1)
    subprocess.run(["curl", "-s", "-c", jar, "-b", jar, "-o", "/dev/null", "-d",
                    "csrf=%s&login=reg1&password=reg1-password-1" % lt, srv.base + "/login"])
    inbox = lambda: subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                    "-b", jar, srv.base + "/inbox"],
                                   capture_output=True, text=True).stdout
    eq(inbox(), "200", "logged in")
    t1 = run("portal", "token", "--store", STORE, "--login", "reg1", "--label", "ci").stdout.strip()
    t2 = run("portal", "token", "--store", STORE, "--login", "reg1", "--label", "ops").stdout.strip()
    eq(http("GET", srv.base + "/api/v1/cases", token=t1)[0], 200, "token works")
    lst = run("portal", "token", "--store", STORE, "--login", "reg1", "--list").stdout
    eq([l.split("\t")[1] for l in lst.splitlines()], ["ci", "ops"], "tokens listed by label")
    out = run("portal", "token", "--store", STORE, "--login", "reg1", "--revoke", "--label", "ci")
    eq(out.stdout.strip(), "1 token revoked", "revoke by label")
    eq(http("GET", srv.base + "/api/v1/cases", token=t1)[0], 401, "revoked token refused")
    eq(http("GET", srv.base + "/api/v1/cases", token=t2)[0], 200, "the other token still works")
    out = run("portal", "account", "--store", STORE, "--login", "reg1", "--party", pid,
              env={"SSRWATCH_PASSWORD": "reg1-password-2"})
    check("1 session logged out, 1 API token revoked" in out.stderr, "said: " + out.stderr)
    eq(inbox(), "303", "the old session is gone after the password change")
    eq(http("GET", srv.base + "/api/v1/cases", token=t2)[0], 401, "and so is the API token")
    # expired sessions are purged (a login clears them; so does a watchdog every 10 minutes)
    db = sqlite3.connect(STORE)
    db.execute("INSERT INTO web_session VALUES ('dead', 1, 'x', %d)" % (T0 - 10))
    db.commit()
    subprocess.run(["curl", "-s", "-c", jar, "-b", jar, "-o", "/dev/null", "-d",
                    "csrf=%s&login=reg1&password=reg1-password-2" % lt, srv.base + "/login"])
    eq(inbox(), "200", "logged in with the new password")
    eq(db.execute("SELECT count(*) FROM web_session WHERE digest = 'dead'").fetchone()[0], 0,
       "the expired session was purged")
    db.close()

    # ---- E. XARF exports of every category validate against the published schemas ------------
    reports = {
        "phishing": {"targets": ["https://login.bad-paypal.com/x"],
                     "evidence": {"imitates": "PayPal", "description": "a copy of the login page"}},
        "malware": {"targets": ["http://mal.example.com/a.exe"],
                    "evidence": {"description": "serves a trojan dropper", "sample_sha256": "ab" * 32}},
        "botnet-c2": {"targets": ["c2.bad-botnet.com"], "ips": ["192.0.2.1"],
                      "evidence": {"description": "beacons every minute", "observed": "2026-11-17"}},
        "spam": {"targets": ["spam-link-example.com"],
                 "evidence": {"description": "unsolicited bulk mail with this link",
                              "smtp_from": "bulk@sender.example", "source_port": 41234,
                              "subject": "You won"}},
        "misleading-name": {"targets": ["paypa1.com"],
                            "evidence": {"imitates": "PayPal",
                                         "legitimate_site": "https://www.paypal.com/"}},
        "other": {"targets": ["other-bad.com"],
                  "evidence": {"description": "something else bad happening here"},
                  "attachments": [{"name": "shot.png", "type": "Image/PNG; q=1", "data": "aGk="}]},
    }
    files = []
    for cat, body in reports.items():
        st, r = http("POST", srv.base + "/api/v1/reports", dict(body, category=cat))
        eq(st, 201, "a %s report: %s" % (cat, json.dumps(r)[:300] if st != 201 else ""))
        st, x = http("GET", "%s/api/v1/reports/%s/xarf" % (srv.base, r["token"]))
        f = os.path.join(W, "xarf-%s.json" % cat)
        json.dump(x["xarf"], open(f, "w"))
        files.append(f)
        if cat == "other":
            eq(x["xarf"][0]["evidence"][0]["content_type"], "image/png",
               "the declared type, checked and lowercased")
    # a spam report through the form, with the fields the form now asks for
    st, _, _ = multipart([("csrf", tok.encode()), ("category", b"spam"),
                          ("targets", b"form-spam-example.com"),
                          ("description", b"unsolicited bulk mail with this link"),
                          ("smtp_from", b"bulk@sender.example"), ("source_port", b"2525")])
    eq(st.split()[1], "303", "a spam report through the form")
    p = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "xarf_validate.py"), SCHEMAS]
                       + files, capture_output=True, text=True)
    print(p.stdout, end="")
    check(p.returncode == 0, "every category's XARF export validates: " + p.stdout[-600:])
    eq(srv.stop(), 0, "SIGTERM: clean exit")

    # ---- F. the SQLite WAL stays bounded under sustained writes --------------------------------
    WSTORE = os.path.join(W, "wal.db")
    run("portal", "directory", "--store", WSTORE, "--file", os.path.join(W, "dir.csv"))
    ws = Server(WSTORE, ("--wal-max-mb", "4", "--background", "no"))
    lua = os.path.join(HERE, "wal_load.lua")
    load = subprocess.Popen(["wrk", "-t2", "-c16", "-d20s", "-s", lua, ws.base + "/"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    walf, peak, end = WSTORE + "-wal", 0, time.time() + 20
    while time.time() < end and load.poll() is None:
        peak = max(peak, os.path.getsize(walf) if os.path.exists(walf) else 0)
        if (metric(ws, "ssrwatch_store_wal_truncations_total") or 0) >= 3:
            break
        time.sleep(0.1)
    load.terminate()
    out = load.communicate()[0]
    n = metric(ws, "ssrwatch_store_wal_truncations_total")
    stored = metric(ws, "ssrwatch_reports_stored")
    print("WAL under load: %d reports stored, peak %.1f MB, %d truncations (limit 4 MB)"
          % (stored, peak / 2**20, n))
    check(n >= 1, "the log was emptied when passive checkpoints fell behind")
    check(peak < (4 + 60) * 2**20, "the WAL stayed bounded: peak %d bytes" % peak)
    eq(ws.stop(), 0, "WAL server stops")
    check(not os.path.exists(walf) or os.path.getsize(walf) <= 4 * 2**20,
          "after the stop the log is at most its limit")
finally:
    finish()
