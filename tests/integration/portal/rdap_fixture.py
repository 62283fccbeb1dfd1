#!/usr/bin/env python3
"""A stand-in for registry and RIR RDAP servers on loopback, answering in real RDAP format
(RFC 9083): registrar entities with IANA ids and abuse contacts, IP networks with registrant
and abuse entities, 404s, slow answers and broken JSON.  Writes its port to the file given.

The answer for a domain can be switched at run time: a file <state>/<domain> holding "ok"
makes a broken or failing name answer normally (tests of retries)."""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = sys.argv[2]

REGISTRARS = {
    "reg-one": (1001, "Registrar One LLC", "abuse@reg-one.example", "+1.5555550101"),
    "reg-two": (1002, "Registrar Two GmbH", "abuse@reg-two.example", "+49.3055550102"),
}
# domain -> registrar key, or a failure mode
DOMAINS = {
    "bad-paypal.com": "reg-one",
    "phish-bank.com": "reg-one",
    "malware-drop.com": "reg-two",
    "evil.example": "reg-two",
    "sla-a.com": "reg-one", "sla-b.com": "reg-one", "sla-c.com": "reg-one", "sla-d.com": "reg-one",
    "gone.com": 404,
    "slow.com": "slow",
    "broken.com": "broken",
    "flaky.com": "flaky",
}


def vcard(fn, email=None, tel=None):
    props = [["version", {}, "text", "4.0"], ["fn", {}, "text", fn]]
    if email:
        props.append(["email", {}, "text", email])
    if tel:
        props.append(["tel", {"type": ["voice"]}, "uri", "tel:" + tel])
    return ["vcard", props]


def domain_answer(name, reg):
    iana, fn, email, tel = REGISTRARS[reg]
    return {
        "rdapConformance": ["rdap_level_0", "icann_rdap_response_profile_0"],
        "objectClassName": "domain",
        "handle": name.upper().replace(".", "_") + "-DOM",
        "ldhName": name,
        "status": ["active"],
        "entities": [
            {"objectClassName": "entity", "handle": "REDACTED", "roles": ["registrant"],
             "vcardArray": vcard("REDACTED FOR PRIVACY")},
            {"objectClassName": "entity", "handle": str(iana), "roles": ["registrar"],
             "publicIds": [{"type": "IANA Registrar ID", "identifier": str(iana)}],
             "vcardArray": vcard(fn),
             "entities": [{"objectClassName": "entity", "roles": ["abuse"],
                           "vcardArray": vcard("Abuse Contact", email, tel)}]},
        ],
        "events": [{"eventAction": "registration", "eventDate": "2026-10-01T00:00:00Z"}],
    }


def ip_answer(addr):
    return {
        "rdapConformance": ["rdap_level_0"],
        "objectClassName": "ip network",
        "handle": "NET-192-0-2-0-1",
        "startAddress": "192.0.2.0", "endAddress": "192.0.2.255",
        "ipVersion": "v4", "name": "EXAMPLE-HOSTING-NET",
        "entities": [
            {"objectClassName": "entity", "handle": "EXHOST-1", "roles": ["registrant"],
             "vcardArray": vcard("Example Hosting Inc."),
             "entities": [{"objectClassName": "entity", "handle": "ABUSE-EXHOST",
                           "roles": ["abuse"],
                           "vcardArray": vcard("Abuse", "abuse@hosting.example")}]},
        ],
    }


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, code, body, ctype="application/rdap+json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeouts are tested)

    def do_GET(self):
        with open(os.path.join(STATE, "log"), "a") as f:
            f.write(self.path + "\n")
        parts = self.path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "dns" and parts[1] == "domain":
            name = parts[2].lower()
            mode = DOMAINS.get(name)
            fixed = os.path.exists(os.path.join(STATE, name))
            if mode is None or mode == 404:
                return self.send(404, {"errorCode": 404, "title": "Not Found"})
            if mode == "slow" and not fixed:
                time.sleep(3)
                return self.send(200, domain_answer(name, "reg-one"))
            if mode == "broken" and not fixed:
                return self.send(200, b'{"objectClassName": "domain", "entities": [', )
            if mode == "flaky" and not fixed:
                return self.send(503, {"errorCode": 503, "title": "Unavailable"})
            return self.send(200, domain_answer(name, mode if mode in REGISTRARS else "reg-two"))
        if len(parts) == 3 and parts[0] == "ip4" and parts[1] == "ip":
            if parts[2].startswith("192.0.2."):
                return self.send(200, ip_answer(parts[2]))
            return self.send(404, {"errorCode": 404})
        self.send(404, {"errorCode": 404})


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
with open(sys.argv[1], "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
