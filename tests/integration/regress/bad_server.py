#!/usr/bin/env python3
"""A planted non-conforming authoritative server for the regression suite's tests (UDP and TCP on
one loopback port, zone "example."): it sets the reserved header bit in every answer, answers
FORMERR without an OPT record to a plain EDNS0 SOA query, otherwise ignores the EDNS version,
echoes every EDNS option and flag it is sent, answers every opcode as a query, and sends DNSKEY
answers far beyond the advertised buffer without TC.  usage: bad_server.py PORTFILE"""
import socket
import struct
import sys
import threading

ZONE = b"\x07example\x00"


def parse(q):
    qid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", q[:12])
    o = 12
    labels = []
    while q[o] != 0:
        labels.append(q[o + 1:o + 1 + q[o]])
        o += 1 + q[o]
    name = q[12:o + 1]
    qtype, qclass = struct.unpack(">HH", q[o + 1:o + 5])
    o += 5
    opt = None
    if ar >= 1 and q[o] == 0 and struct.unpack(">H", q[o + 1:o + 3])[0] == 41:
        size, ttl, rdlen = struct.unpack(">HIH", q[o + 3:o + 11])
        opt = {"size": size, "version": (ttl >> 16) & 0xff, "flags": ttl & 0xffff,
               "rdata": q[o + 11:o + 11 + rdlen]}
    return qid, flags, name, qtype, qclass, opt


def rr(name, rtype, data, ttl=3600):
    return name + struct.pack(">HHIH", rtype, 1, ttl, len(data)) + data


SOA = b"\x03ns1\xc0\x0c\x0ahostmaster\xc0\x0c" + struct.pack(">IIIII", 1, 3600, 900, 604800, 300)


def answer(q):
    qid, flags, name, qtype, qclass, opt = parse(q)
    rd = flags & 0x0100
    opcode = (flags >> 11) & 0xf
    hflags = 0x8000 | 0x0400 | rd | 0x0040 | (opcode << 11)   # QR AA RD, the Z bit set
    question = name + struct.pack(">HH", qtype, qclass)
    if opt is not None and opt["version"] == 0 and opt["flags"] == 0 and not opt["rdata"] \
            and qtype == 6:
        return struct.pack(">HHHHHH", qid, hflags | 1, 1, 0, 0, 0) + question   # FORMERR
    ans, auth, rcode = [], [], 0
    if name.lower() == ZONE:
        if qtype == 6:
            ans.append(rr(b"\xc0\x0c", 6, SOA))
        elif qtype == 48:                       # DNSKEY: far beyond any 512-byte buffer
            for i in range(12):
                ans.append(rr(b"\xc0\x0c", 48, struct.pack(">HBB", 257, 3, 13) + bytes([i]) * 128))
        else:
            auth.append(rr(b"\xc0\x0c", 6, SOA, 300))
    else:
        rcode = 3
        auth.append(rr(ZONE, 6, SOA.replace(b"\xc0\x0c", ZONE), 300))
    add = []
    if opt is not None:                          # version ignored, options and flags echoed
        add.append(b"\x00" + struct.pack(">HHIH", 41, 1232, opt["flags"], len(opt["rdata"])) +
                   opt["rdata"])
    head = struct.pack(">HHHHHH", qid, hflags | rcode, 1, len(ans), len(auth), len(add))
    return head + question + b"".join(ans) + b"".join(auth) + b"".join(add)


def serve_udp(s):
    while True:
        q, a = s.recvfrom(65535)
        try:
            s.sendto(answer(q), a)
        except Exception:
            pass


def serve_tcp_conn(c):
    buf = b""
    while True:
        d = c.recv(65535)
        if not d:
            break
        buf += d
        while len(buf) >= 2 and len(buf) >= 2 + struct.unpack(">H", buf[:2])[0]:
            n = struct.unpack(">H", buf[:2])[0]
            q, buf = buf[2:2 + n], buf[2 + n:]
            r = answer(q)
            c.sendall(struct.pack(">H", len(r)) + r)
    c.close()


def main():
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    for _ in range(50):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        port = u.getsockname()[1]
        try:
            t.bind(("127.0.0.1", port))
            break
        except OSError:
            u.close()
    t.listen(16)
    threading.Thread(target=serve_udp, args=(u,), daemon=True).start()
    open(sys.argv[1], "w").write(str(port))
    while True:
        c, _ = t.accept()
        threading.Thread(target=serve_tcp_conn, args=(c,), daemon=True).start()


main()
