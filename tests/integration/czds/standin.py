#!/usr/bin/env python3
"""A stand-in for ICANN's CZDS and account APIs on loopback, for the czds monitor's tests.  It
plays one day of a script (script.json: per day, per TLD the access request and how its zone
file is served) and logs every request to LOG (one JSON line each).
  POST /api/authenticate               {"username","password"} -> {"accessToken"} or 401
  POST /czds/requests/all              paged {"requests": [...], "totalRequests"}
  GET  /czds/downloads/links           ["http://.../czds/downloads/TLD.zone", ...]
  HEAD|GET /czds/downloads/TLD.zone    the gzip'd zone (Last-Modified, Content-Length, Range)
  POST /czds/requests/extension/ID     200, or 400 with a reason
  GET  /czds/terms/condition           {"version": "..."}
  POST /czds/requests/create           200
Serve modes: ok, 403 (with the script's reason), late (Last-Modified after 06:00), truncated
(half the body, then the connection closes), truncated-once (the first GET truncated, then
Range requests honoured), hang-head (HEAD answers after 10 s), stale (the file's serial is the
script's 'serial', older than the live one), notjson-links (the link list is HTML).
usage: standin.py SCRIPT DAY FILES_DIR PORTFILE LOG"""
import gzip
import http.server
import json
import socketserver
import sys
import threading
import time
from email.utils import formatdate
from datetime import datetime, timezone

SCRIPT, DAY, FILES, PORTFILE, LOG = sys.argv[1:6]
script = json.load(open(SCRIPT))
day = script["days"][DAY]
TOKEN = "tok-" + DAY
gets = {}
lock = threading.Lock()


def zone_bytes(tld):
    t = day["tlds"][tld]
    if "file" in t:
        text = open(FILES + "/" + t["file"], "rb").read()
    else:
        text = ("$ORIGIN %s.\n$TTL 3600\n@ SOA ns1.nic.%s. hostmaster.nic.%s. %d 1800 900 604800 86400\n"
                "@ NS ns1.nic.%s.\n@ NS ns2.nic.%s.\n" % (tld, tld, tld, t["serial"], tld, tld)).encode()
        for i in range(t.get("delegations", 200)):
            text += ("d%d.%s. NS ns1.host%d.example.net.\n" % (i, tld, i % 17)).encode()
    return gzip.compress(text, mtime=0)


def modified(tld):
    hh, mm = day["tlds"][tld].get("modified", "04:00").split(":")
    d = datetime.strptime(DAY, "%Y-%m-%d").replace(hour=int(hh), minute=int(mm), tzinfo=timezone.utc)
    return formatdate(d.timestamp(), usegmt=True)


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def note(self, code):
        with lock, open(LOG, "a") as f:
            f.write(json.dumps({"method": self.command, "path": self.path, "status": code,
                                "range": self.headers.get("Range")}) + "\n")

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send(self, code, obj=None, raw=None, ctype="application/json"):
        data = raw if raw is not None else (json.dumps(obj).encode() if obj is not None else b"")
        self.note(code)
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def authed(self):
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            self.send(401, {"message": "Authentication failed"})
            return False
        return True

    def do_POST(self):
        b = self.body()
        if self.path == "/api/authenticate":
            c = json.loads(b or b"{}")
            if c.get("username") == script["username"] and c.get("password") == script["password"]:
                return self.send(200, {"accessToken": TOKEN, "message": "Authentication Successful"})
            return self.send(401, {"message": "Invalid username or password"})
        if not self.authed():
            return None
        if self.path == "/czds/requests/all":
            q = json.loads(b)
            page, size = q["pagination"]["page"], q["pagination"]["size"]
            reqs = [{"requestId": "req-" + tld, "tld": tld, "ulabel": tld, "status": t["status"],
                     "ftp_ips": [], "reason": "research", "last_updated": DAY + "T00:00:00Z",
                     "expired": t.get("expires"), "sftp": False}
                    for tld, t in sorted(day["tlds"].items()) if t.get("status")]
            return self.send(200, {"requests": reqs[page * size:(page + 1) * size],
                                   "totalRequests": len(reqs)})
        if self.path.startswith("/czds/requests/extension/"):
            tld = self.path.rsplit("/", 1)[1][4:]
            t = day["tlds"].get(tld, {})
            if t.get("extension") == "refused":
                return self.send(400, {"message": "Extension not allowed yet"})
            return self.send(200, {"requestId": "req-" + tld, "status": "Approved"})
        if self.path == "/czds/requests/create":
            return self.send(200, {"requestId": "new", "status": "Submitted"})
        return self.send(404, {"message": "no such endpoint"})

    def do_GET(self):
        self.get_or_head()

    def do_HEAD(self):
        self.get_or_head()

    def get_or_head(self):
        if not self.authed():
            return None
        if self.path == "/czds/downloads/links":
            if day.get("links") == "notjson":
                return self.send(200, raw=b"<html>maintenance</html>", ctype="text/html")
            port = self.server.server_address[1]
            return self.send(200, ["http://127.0.0.1:%d/czds/downloads/%s.zone" % (port, tld)
                                   for tld, t in sorted(day["tlds"].items())
                                   if t.get("status") == "Approved"])
        if self.path == "/czds/terms/condition":
            return self.send(200, {"version": "2.0", "content": "terms"})
        if self.path.startswith("/czds/downloads/") and self.path.endswith(".zone"):
            tld = self.path[len("/czds/downloads/"):-5]
            t = day["tlds"].get(tld)
            if t is None or t.get("status") != "Approved":
                return self.send(404, {"message": "Not found"})
            serve = t.get("serve", "ok")
            if serve == "403":
                return self.send(403, {"message": t.get("reason", "Forbidden")})
            if serve == "hang-head" and self.command == "HEAD":
                time.sleep(10)
            data = zone_bytes(tld)
            start = 0
            rng = self.headers.get("Range")
            with lock:
                n = gets[tld] = gets.get(tld, 0) + (self.command == "GET")
            cut = self.command == "GET" and (serve == "truncated" or (serve == "truncated-once" and n == 1))
            if rng and serve == "truncated-once" and not cut:
                start = int(rng.split("=")[1].split("-")[0])
            part = data[start:]
            self.note(206 if start else 200)
            self.send_response(206 if start else 200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Last-Modified", modified(tld))
            self.send_header("Content-Length", str(len(part)))
            if start:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
            self.end_headers()
            if self.command == "GET":
                if cut:
                    self.wfile.write(part[:len(part) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return None
                self.wfile.write(part)
            return None
        return self.send(404, {"message": "no such endpoint"})


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = S(("127.0.0.1", 0), H)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(PORTFILE + ".tmp", PORTFILE)
srv.serve_forever()
