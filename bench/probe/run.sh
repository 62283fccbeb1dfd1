#!/usr/bin/env bash
# bench/probe: queries per second of the active measurement engine (`ssrwatch probe run`, every
# answer matched strictly and summarised; with --record every exchange also written) against
# dnsperf and kdig on the same Knot DNS server on loopback, the same query file, in the same run.
#
#   bash bench/probe/run.sh [QUERIES [INFLIGHT]]        default 200000 100
#
# knotd runs on CPU 0 with one UDP and one TCP worker, the clients one at a time on CPU 1, so
# that "per core" means one core for the client.  Each client is run three times; the median
# run is reported.  Results: bench/out/probe-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-200000}
INFL=${2:-100}
B=${SSR_BUILD:-build}
S=$B/ssrwatch
OUT=bench/out
mkdir -p "$OUT"
[ -x "$S" ] || { echo "build first: make build" >&2; exit 1; }
for t in knotd dnsperf kdig taskset unbound; do
	command -v $t >/dev/null || [ -x /usr/sbin/$t ] || { echo "$t missing: bash scripts/deps.sh" >&2; exit 1; }
done
KNOTD=$(command -v knotd || echo /usr/sbin/knotd)
T=$(mktemp -d)
KP=
trap '[ -n "$KP" ] && kill $KP 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# a zone of 10,000 names and a query file that asks for them, their AAAA, some that do not exist
python3 - "$T" <<'PY'
import random, sys
t = sys.argv[1]
random.seed(7)
with open(t + "/bench.zone", "w") as z:
    z.write("$ORIGIN bench.\n$TTL 3600\n@ SOA ns1 h 1 3600 900 604800 300\n@ NS ns1\nns1 A 127.0.0.1\n")
    for i in range(10000):
        z.write("h%d A 192.0.2.%d\nh%d AAAA 2001:db8::%x\n" % (i, i % 250 + 1, i, i))
with open(t + "/q.txt", "w") as q:
    for i in range(10000):
        r = random.random()
        n = random.randrange(10000)
        q.write("h%d.bench A\n" % n if r < 0.6 else "h%d.bench AAAA\n" % n if r < 0.9 else "x%d.bench A\n" % i)
PY
cat >"$T/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$PORT
    rundir: $T
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: $T
log:
  - target: stderr
    any: error
zone:
  - domain: bench.
    file: $T/bench.zone
CONF
taskset -c 0 "$KNOTD" -c "$T/knot.conf" 2>"$T/knotd.log" &
KP=$!
for _ in $(seq 100); do $S probe query --server 127.0.0.1:$PORT --timeout-ms 100 bench SOA >/dev/null 2>&1 && break; sleep 0.05; done
REP=$(( (N + 9999) / 10000 ))
median() { sort -n | sed -n 2p; }
ours() { # ours EXTRA...: answers per second
	taskset -c 1 $S probe run --server 127.0.0.1:$PORT --queries "$T/q.txt" --repeat $REP \
		--max-inflight $INFL --format json "$@" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["answers_per_second"], d["outcomes"]["answer"], d["exchanges"])'
}
peer() { # peer EXTRA...: dnsperf's queries per second
	taskset -c 1 dnsperf -s 127.0.0.1 -p $PORT -d "$T/q.txt" -n $REP -q $INFL "$@" 2>&1 |
		awk '/Queries per second/ {printf "%d\n", $4}'
}
u1=$( (for _ in 1 2 3; do ours | cut -d' ' -f1; done) | median)
u2=$( (for _ in 1 2 3; do ours --record "$T/r.rec" | cut -d' ' -f1; done) | median)
d1=$( (for _ in 1 2 3; do peer; done) | median)
t1=$( (for _ in 1 2 3; do ours --tcp | cut -d' ' -f1; done) | median)
d2=$( (for _ in 1 2 3; do peer -m tcp; done) | median)
# DNS over TLS: Unbound (knotd 3.2 has no DoT) serving the same zone as an auth-zone on CPU 0
# with the test certificate; connections reused (ssrwatch pipelines up to 32 per connection,
# dnsperf keeps its own)
TPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CERT=tests/data/tls
cat >"$T/data.conf" <<CONF
auth-zone:
    name: "bench."
    zonefile: "$T/bench.zone"
    for-downstream: yes
    for-upstream: no
CONF
sed "s|@PORT@|$TPORT|g; s|@CERT@|$PWD/$CERT|g; s|@DIR@|$T|g" "$CERT/unbound-dot.conf" >"$T/unbound.conf"
UNBOUND=$(command -v unbound || echo /usr/sbin/unbound)
taskset -c 0 "$UNBOUND" -d -c "$T/unbound.conf" 2>"$T/unbound.log" &
UP=$!
KP="$KP $UP"
for _ in $(seq 100); do $S probe query --server 127.0.0.1:$TPORT --tls --timeout-ms 300 bench SOA >/dev/null 2>&1 && break; sleep 0.05; done
tls_ours() {
	taskset -c 1 $S probe run --server 127.0.0.1:$TPORT --tls --queries "$T/q.txt" --repeat $REP \
		--max-inflight $INFL --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["answers_per_second"])'
}
tls_peer() {
	taskset -c 1 dnsperf -s 127.0.0.1 -p $TPORT -m dot -d "$T/q.txt" -n $REP -q $INFL 2>&1 |
		awk '/Queries per second/ {printf "%d\n", $4}'
}
s1=$( (for _ in 1 2 3; do tls_ours; done) | median)
s2=$( (for _ in 1 2 3; do tls_peer; done) | median)
# kdig: one process per query, as a shell loop uses it
k0=$(date +%s%N)
head -n 300 "$T/q.txt" | while read -r name type; do kdig +short @127.0.0.1 -p $PORT "$name" "$type" >/dev/null; done
k1=$(date +%s%N)
kq=$(( 300 * 1000000000 / (k1 - k0) ))
rec=$(stat -c %s "$T/r.rec")
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
{
	echo "# bench/probe $(date -u +%Y-%m-%d)"
	echo
	echo "$N queries ($(wc -l <"$T/q.txt") distinct: 60% A, 30% AAAA, 10% NXDOMAIN) to knotd $(knotd -V | awk '{print $NF}') on loopback (CPU 0), $INFL in flight, client on CPU 1; median of 3 runs; answers per second."
	echo
	echo "| client | UDP | TCP | TLS (Unbound $("$UNBOUND" -V | awk '/Version/ {print $2}')) |"
	echo "|---|---|---|---|"
	printf '| %s | %s | %s | %s |\n' "ssrwatch probe run" "$u1" "$t1" "$s1"
	printf '| %s | %s | %s | %s |\n' "ssrwatch probe run --record (every exchange written)" "$u2" "-" "-"
	printf '| %s | %s | %s | %s |\n' "dnsperf $(dpkg-query -W -f '${Version}' dnsperf 2>/dev/null)" "$d1" "$d2" "$s2"
	printf '| %s | %s | %s | %s |\n' "kdig, one process per query" "$kq" "-" "-"
	echo
	echo "Ratios: ssrwatch/dnsperf UDP $(ratio $u1 $d1), TCP $(ratio $t1 $d2), TLS $(ratio $s1 $s2); with records UDP $(ratio $u2 $d1); record file $((rec / 1024)) KiB for $N exchanges."
} | tee "$OUT/probe-$(date -u +%Y%m%d).md"
