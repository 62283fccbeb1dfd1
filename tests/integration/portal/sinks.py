#!/usr/bin/env python3
"""Delivery receivers on loopback for the portal tests: an SMTP server (RFC 5321: EHLO/HELO,
MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) that writes each message to
<dir>/mail/N.eml, and a webhook receiver that checks the X-Ssrwatch-Signature HMAC-SHA256 with
the secret given and writes each call to <dir>/hooks/N.json ({headers, body, sig_ok}).

Faults, switched by files in <dir>: 'smtp-fail' makes the SMTP server answer 451 to DATA;
'hook-fail' holding a number N makes the next N webhook calls answer 500.
usage: sinks.py DIR SECRET    (writes "smtp_port hook_port" to DIR/ports)"""
import hashlib
import hmac
import json
import os
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

D, SECRET = sys.argv[1], sys.argv[2].encode()
os.makedirs(os.path.join(D, "mail"), exist_ok=True)
os.makedirs(os.path.join(D, "hooks"), exist_ok=True)
lock = threading.Lock()
count = {"mail": 0, "hooks": 0}


def save(kind, data):
    with lock:
        count[kind] += 1
        n = count[kind]
    path = os.path.join(D, kind, "%d.%s" % (n, "eml" if kind == "mail" else "json"))
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


class SMTP(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 sink.test ESMTP ready")
        mail_from, rcpt = None, []
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            cmd = line.decode("ascii", "replace").strip()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-sink.test" if verb == "EHLO" else "250 sink.test")
                if verb == "EHLO":
                    self.reply("250-8BITMIME")
                    self.reply("250 SIZE 20000000")
            elif verb == "MAIL":
                mail_from, rcpt = cmd[10:].strip(), []
                self.reply("250 ok")
            elif verb == "RCPT":
                rcpt.append(cmd[8:].strip())
                self.reply("250 ok")
            elif verb == "DATA":
                if os.path.exists(os.path.join(D, "smtp-fail")):
                    self.reply("451 4.3.0 try again later")
                    continue
                self.reply("354 go ahead")
                body = []
                while True:
                    l = self.rfile.readline(1 << 20)
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    body.append(l[1:] if l.startswith(b"..") else l)
                env = ("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" %
                       (mail_from, ",".join(rcpt))).encode()
                save("mail", env + b"".join(body))
                self.reply("250 queued")
            elif verb == "RSET":
                mail_from, rcpt = None, []
                self.reply("250 ok")
            elif verb == "NOOP":
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 command not implemented")


class Hook(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        fail = os.path.join(D, "hook-fail")
        with lock:
            left = int(open(fail).read() or 0) if os.path.exists(fail) else 0
            if left > 0:
                open(fail, "w").write(str(left - 1))
        sig = self.headers.get("X-Ssrwatch-Signature", "")
        parts = dict(p.split("=", 1) for p in sig.split(",") if "=" in p)
        want = hmac.new(SECRET, parts.get("t", "").encode() + b"." + body,
                        hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(want, parts.get("v1", ""))
        save("hooks", json.dumps({"headers": dict(self.headers), "sig_ok": ok,
                                  "failed": left > 0, "body": body.decode()}).encode())
        code = 500 if left > 0 else (200 if ok else 401)
        self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


class TSMTP(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


smtp = TSMTP(("127.0.0.1", 0), SMTP)
hook = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
hook.daemon_threads = True
threading.Thread(target=smtp.serve_forever, daemon=True).start()
with open(os.path.join(D, "ports.tmp"), "w") as f:
    f.write("%d %d" % (smtp.server_address[1], hook.server_address[1]))
os.replace(os.path.join(D, "ports.tmp"), os.path.join(D, "ports"))
hook.serve_forever()
