#!/usr/bin/env python3
"""Shared by the portal's end-to-end tests: argv (SSRWATCH STORE_URI WORKDIR ...), checks, the
scripted clock, the server under test, HTTP through curl, and the RDAP fixture with its
bootstrap files and a registry directory.  Importing it starts the fixture; finish() stops
every process, fails on sanitizer reports and exits with the tally."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

SSR, STORE, W = sys.argv[1], sys.argv[2], sys.argv[3]
SLA_STORE = sys.argv[4] if len(sys.argv) > 4 else os.path.join(W, "sla.db")
HERE = os.path.dirname(os.path.abspath(__file__))
fails = 0
checks = 0


def check(cond, what):
    global fails, checks
    checks += 1
    if not cond:
        fails += 1
        print("FAIL:", what, file=sys.stderr)


def eq(got, want, what):
    check(got == want, "%s: got %r, want %r" % (what, got, want))


T0 = 1795000000  # 2026-11-18T...Z, a fixed start for the scripted clock
CLOCK = os.path.join(W, "clock")


def set_clock(t):
    with open(CLOCK + ".tmp", "w") as f:
        f.write(str(t))
    os.replace(CLOCK + ".tmp", CLOCK)


def run(*args, env=None, ok=True):
    e = dict(os.environ, SSRWATCH_TEST_CLOCK=CLOCK)
    e.update(env or {})
    p = subprocess.run([SSR, *args], capture_output=True, text=True, env=e)
    if ok and p.returncode != 0:
        raise SystemExit("ssrwatch %s failed: %s" % (" ".join(args), p.stderr))
    return p


SERVERS = []


class Server:
    def __init__(self, store, extra=()):
        self.log = os.path.join(W, "serve-%d.log" % time.time_ns())
        env = dict(os.environ, SSRWATCH_TEST_CLOCK=CLOCK)
        self.p = subprocess.Popen(
            [SSR, "-v", "portal", "serve", "--store", store, "--listen", "127.0.0.1:0",
             "--threads", "4", "--rdap-dns", BOOT_DNS, "--rdap-ipv4", BOOT_V4,
             "--rdap-timeout-ms", "1000", "--retry-base-s", "60", "--rate-ip", "0",
             "--stats-cache-s", "0",
             "--access-log", os.path.join(W, "access.log"), *extra],
            stderr=open(self.log, "w"), env=env)
        SERVERS.append(self.p)
        for _ in range(200):
            time.sleep(0.05)
            txt = open(self.log).read()
            # the listening line itself: workers may log other loopback URLs (the RDAP
            # fixture's) before it
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", txt)
            if m:
                self.port = int(m.group(1))
                self.base = "http://127.0.0.1:%d" % self.port
                return
            if self.p.poll() is not None:
                break
        raise SystemExit("server did not start: " + open(self.log).read())

    def stop(self, sig=signal.SIGTERM):
        self.p.send_signal(sig)
        return self.p.wait(timeout=30)


def http(method, url, body=None, token=None, ctype="application/json", raw=None):
    """(status, parsed JSON or text) through the curl command line tool (libcurl)."""
    args = ["curl", "-s", "-S", "-o", "-", "-w", "\n%{http_code}", "-X", method, url]
    if token:
        args += ["-H", "Authorization: Bearer " + token]
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    if data is not None:
        args += ["-H", "Content-Type: " + ctype, "--data-binary", "@-"]
    p = subprocess.run(args, input=data, capture_output=True)
    out = p.stdout.decode("utf-8", "replace")
    text, _, code = out.rpartition("\n")
    try:
        return int(code), json.loads(text)
    except ValueError:
        return int(code or 0), text


def wait_for(pred, what, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    check(False, "timed out waiting for " + what)
    return None


def metric(srv, name):
    _, text = http("GET", srv.base + "/metrics")
    for line in text.splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    return None


# ---- fixtures ------------------------------------------------------------------------------
state = os.path.join(W, "rdap-state")
os.makedirs(state, exist_ok=True)
portf = os.path.join(W, "rdap.port")
fixture = subprocess.Popen([sys.executable, os.path.join(HERE, "rdap_fixture.py"), portf, state])
for _ in range(100):
    if os.path.exists(portf) and open(portf).read():
        break
    time.sleep(0.05)
RP = int(open(portf).read())
BOOT_DNS = os.path.join(W, "dns.json")
BOOT_V4 = os.path.join(W, "ipv4.json")
json.dump({"version": "1.0", "publication": "2026-11-01T00:00:00Z", "services": [
    [["com", "net"], ["http://127.0.0.1:%d/dns/" % RP]],
    [["example"], ["http://127.0.0.1:%d/dns" % RP]]]}, open(BOOT_DNS, "w"))
json.dump({"version": "1.0", "services": [
    [["192.0.2.0/24"], ["http://127.0.0.1:%d/ip4/" % RP]],
    [["198.51.100.0/24"], ["http://127.0.0.1:%d/nowhere/" % RP]]]}, open(BOOT_V4, "w"))
with open(os.path.join(W, "dir.csv"), "w") as f:
    f.write("tld,operator,email,rdap_base\n"
            "com,VeriSign Global Registry Services,abuse@verisign.example,\n"
            "example,Example Registry Ltd,abuse@registry.example,\n")



def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_sinks(d, secret):
    """The SMTP and webhook sinks (sinks.py) writing into d; returns (smtp_port, hook_port)."""
    os.makedirs(d, exist_ok=True)
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "sinks.py"), d, secret])
    SERVERS.append(p)
    for _ in range(100):
        if os.path.exists(os.path.join(d, "ports")):
            break
        time.sleep(0.05)
    return tuple(map(int, open(os.path.join(d, "ports")).read().split()))


def registrar_one(store):
    """The registry directory, party 'Registrar One LLC' (IANA 1001) and its login reg1 (password
    reg1-password-1) in store; returns the party id."""
    run("portal", "directory", "--store", store, "--file", os.path.join(W, "dir.csv"))
    pid = run("portal", "party", "--store", store, "--kind", "registrar", "--name",
              "Registrar One LLC", "--iana-id", "1001").stdout.strip()
    run("portal", "account", "--store", store, "--login", "reg1", "--party", pid,
        env={"SSRWATCH_PASSWORD": "reg1-password-1"})
    return pid


def finish():
    """Stop the fixture and every server, check their logs for sanitizer reports, exit.
    Called from a 'finally:'; an exception on its way out counts as a failure."""
    exc = sys.exc_info()[1]
    if exc is not None:
        import traceback
        traceback.print_exc()
        check(False, "the test stopped early: %s" % exc)
    fixture.kill()
    for p in SERVERS:  # never leave a server behind (it would hold ctest's output pipe)
        if p.poll() is None:
            p.kill()
            p.wait()
    # a sanitizer report in any server's log fails the test
    for f in os.listdir(W):
        if f.startswith("serve-") and f.endswith(".log"):
            txt = open(os.path.join(W, f)).read()
            check("runtime error" not in txt and "Sanitizer" not in txt,
                  "sanitizer report in %s: %s" % (f, txt[-2000:]))
    print("%d passed, %d failed" % (checks - fails, fails))
    sys.exit(1 if fails else 0)
