#!/bin/bash
# Real traffic: a real DNS server (Knot DNS) on loopback, real clients (kdig: UDP, TCP,
# truncation and TCP fallback, several queries on one TCP connection, EDNS options, IPv4 and
# IPv6), captured by dumpcap as pcapng on 'lo' (Ethernet) and 'any' (Linux cooked).
# ssrwatch's counts per transport and family must equal tshark's and the queries sent.  Skipped
# (not failed) where the machine cannot capture; the committed captures of such a run are
# checked in test_traffic.sh either way.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
S=$SSRWATCH
for t in knotd kdig dumpcap tshark; do
	command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 0; }
done
PORT=${SSR_LIVE_PORT:-$((20000 + $$ % 20000))}
"$S" gen pcap --queries 10 --output /dev/null --root-zone "$T/root.zone"
python3 - "$T/root.zone" <<'PY'
import sys
txt = " ".join('"%s"' % ("x" * 250) for _ in range(12))  # a 3 KB answer: truncated over UDP
open(sys.argv[1], "a").write("big. 3600 IN TXT %s\n" % txt)
PY
cat >"$T/knot.conf" <<CONF
server:
    rundir: "$T"
    listen: [ 127.0.0.1@$PORT, ::1@$PORT ]
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$T/db"
log:
  - target: stderr
    any: error
zone:
  - domain: .
    storage: "$T"
    file: "root.zone"
CONF
knotd -c "$T/knot.conf" >"$T/knotd.log" 2>&1 &
knot=$!
for _ in $(seq 50); do # the server answers (before the captures start: probes are not counted)
	kdig @127.0.0.1 -p $PORT . SOA +timeout=1 +retry=0 >/dev/null 2>&1 && break
	sleep 0.2
done
dumpcap -q -i lo -f "port $PORT" -w "$T/lo.pcapng" >"$T/dc1.log" 2>&1 &
dc1=$!
dumpcap -q -i any -f "port $PORT" -w "$T/any.pcapng" >"$T/dc2.log" 2>&1 &
dc2=$!
cleanup() { kill "$knot" "$dc1" "$dc2" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
for _ in $(seq 50); do # both captures are running
	[ -s "$T/lo.pcapng" ] && [ -s "$T/any.pcapng" ] && break
	sleep 0.2
done
sleep 0.5
if ! kill -0 "$dc1" 2>/dev/null || ! kill -0 "$dc2" 2>/dev/null; then
	echo "SKIP: cannot capture here: $(cat "$T/dc1.log" "$T/dc2.log" | head -c 300)"
	exit 0
fi
q() { kdig -p $PORT +timeout=2 +retry=0 "$@" >/dev/null 2>&1 || true; }
q @127.0.0.1 com. NS
q @127.0.0.1 +tcp org. NS
q @::1 net. NS
q @::1 +tcp de. NS
q @127.0.0.1 +dnssec +nsid +cookie uk. NS
q @127.0.0.1 +subnet=192.0.2.0/24 jp. NS
q @::1 +subnet=2001:db8::/56 br. NS
q @127.0.0.1 home. A
q @127.0.0.1 corp. AAAA
q @127.0.0.1 +noedns big. TXT
q @::1 +noedns big. TXT
q @127.0.0.1 +tcp +keepopen com. NS net. NS org. NS
q @127.0.0.1 _ta-4f66. NULL
q @127.0.0.1 +edns=0 +bufsize=1232 www.example.com. A
sleep 1
kill -INT "$dc1" "$dc2"
wait "$dc1" "$dc2" 2>/dev/null || true
for f in lo any; do
	expect_rc 0 "$S" traffic stats --ports $PORT --format json --output "$T/$f.json" "$T/$f.pcapng"
	if python3 "$here/traffic/compare.py" tshark "$T/$f.pcapng" "$T/$f.json" $PORT >"$T/cmp" 2>&1; then ok; else fail "$f: $(cat "$T/cmp")"; fi
	# the 16 questions asked, the two truncated ones again over TCP, each answered once
	v=$(json_get "$T/$f.json" 'sorted(d["periods"][0]["traffic-volume"].items())')
	expect_eq "$v" "[('dns-tcp-queries-received-ipv4', 5), ('dns-tcp-queries-received-ipv6', 2), ('dns-tcp-responses-sent-ipv4', 5), ('dns-tcp-responses-sent-ipv6', 2), ('dns-udp-queries-received-ipv4', 8), ('dns-udp-queries-received-ipv6', 3), ('dns-udp-responses-sent-ipv4', 8), ('dns-udp-responses-sent-ipv6', 3)]" "$f: queries and responses"
	expect_eq "$(json_get "$T/$f.json" 'd["periods"][0]["rcode-volume"]')" "{'0': 15, '3': 3}" "$f: NXDOMAIN for .home, .corp, example.com"
	expect_eq "$(json_get "$T/$f.json" 'sum(d["malformed"].values())')" "0" "$f: nothing malformed"
done
expect_eq "$(json_get "$T/lo.json" 'd["periods"][0]["traffic-volume"]')" "$(json_get "$T/any.json" 'd["periods"][0]["traffic-volume"]')" "lo (Ethernet) and any (Linux cooked) agree"
expect_eq "$(json_get "$T/lo.json" 'd["periods"][0]["privacy"]["ecs"]')" "2" "client subnet queries"
# keep the captures as fixtures (tests/data/traffic was made with SSR_LIVE_PORT=5300)
if [ -n "${SSR_KEEP_CAPTURES:-}" ]; then cp "$T/lo.pcapng" "$T/any.pcapng" "$SSR_KEEP_CAPTURES/"; fi
finish
