#!/usr/bin/env python3
"""A planted EDNS violation for the delegation tests: a UDP and TCP proxy on LISTEN (loopback,
port 53) in front of a real name server at UPSTREAM that removes the OPT record from every answer
(as a middlebox that does not know EDNS does): EDNS queries get answers without OPT, an EDNS
version 1 query loses its BADVERS.  Every query is forwarded once, with a 2 s timeout.
usage: edns_proxy.py LISTEN UPSTREAM"""
import socket
import struct
import sys
import threading


def skip_name(m, o):
    while True:
        n = m[o]
        if n & 0xC0 == 0xC0:
            return o + 2
        if n == 0:
            return o + 1
        o += 1 + n


def strip_opt(m):
    """The message without its OPT record when that is the last record; else unchanged."""
    try:
        qd, an, ns, ar = struct.unpack(">HHHH", m[4:12])
        o = 12
        for _ in range(qd):
            o = skip_name(m, o) + 4
        last = None
        for _ in range(an + ns + ar):
            start = o
            o = skip_name(m, o)
            rtype, _, _, rdlen = struct.unpack(">HHIH", m[o:o + 10])
            o += 10 + rdlen
            last = (start, rtype)
        if ar == 0 or last is None or last[1] != 41 or o != len(m):
            return m
        return m[:10] + struct.pack(">H", ar - 1) + m[12:last[0]]
    except (IndexError, struct.error):
        return m


def ask(q, upstream, tcp):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
    s.settimeout(2)
    try:
        if tcp:
            s.connect(upstream)
            s.sendall(struct.pack(">H", len(q)) + q)
            ln = b""
            while len(ln) < 2:
                b = s.recv(2 - len(ln))
                if not b:
                    return None
                ln += b
            want = struct.unpack(">H", ln)[0]
            r = b""
            while len(r) < want:
                b = s.recv(want - len(r))
                if not b:
                    return None
                r += b
            return r
        s.sendto(q, upstream)
        return s.recv(65535)
    except OSError:
        return None
    finally:
        s.close()


def udp(listen, upstream):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(listen)
    while True:
        q, peer = s.recvfrom(65535)
        r = ask(q, upstream, False)
        if r is not None:
            s.sendto(strip_opt(r), peer)


def tcp_conn(c, upstream):
    c.settimeout(5)
    try:
        while True:
            ln = c.recv(2)
            if len(ln) < 2:
                return
            want = struct.unpack(">H", ln)[0]
            q = b""
            while len(q) < want:
                b = c.recv(want - len(q))
                if not b:
                    return
                q += b
            r = ask(q, upstream, True)
            if r is None:
                return
            r = strip_opt(r)
            c.sendall(struct.pack(">H", len(r)) + r)
    except OSError:
        pass
    finally:
        c.close()


def tcp(listen, upstream):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(listen)
    s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=tcp_conn, args=(c, upstream), daemon=True).start()


def main():
    listen = (sys.argv[1], 53)
    upstream = (sys.argv[2], 53)
    for a in (listen[0], upstream[0]):
        if not a.startswith("127."):
            sys.exit("edns_proxy: loopback addresses only")
    threading.Thread(target=udp, args=(listen, upstream), daemon=True).start()
    tcp(listen, upstream)


if __name__ == "__main__":
    main()
