#!/usr/bin/env bash
# bench/portal: sustained report intake of `ssrwatch portal serve` on loopback, driven by wrk
# with report.lua (valid reports, JSON, distinct domains; 1 in 10 joins an existing case), the
# embedded SQLite store (WAL, synchronous=FULL: every 2xx is committed before it is sent).
#
#   bash bench/portal/run.sh [SECONDS [CONNECTIONS]]        default 30 32
#
# Routing runs in the background as in production (registry from the directory; no RDAP, so
# no network wait).  wrk and the server share the machine's cores.  After the run the reports
# in the store must equal the 201 answers the server sent (ssrwatch_reports_accepted_total),
# and those the 2xx wrk counted plus at most one answer per connection still in flight when
# wrk stopped (wrk closes those sockets without reading the answer); the script fails if not.
# Results: bench/out/portal-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR=${1:-30}
CONNS=${2:-32}
THREADS=${THREADS:-0}
B=${SSR_BUILD:-build}
OUT=bench/out
mkdir -p "$OUT"
[ -x $B/ssrwatch ] || { echo "build first: make build" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: bash scripts/deps.sh" >&2; exit 1; }
T=$(mktemp -d)
SRV=
trap '[ -n "$SRV" ] && kill $SRV 2>/dev/null; rm -rf "$T"' EXIT
S=$B/ssrwatch
DB="$T/bench.db"
printf 'tld,operator,email,rdap_base\ncom,VeriSign,abuse@verisign.example,\nnet,VeriSign,abuse@verisign.example,\norg,Public Interest Registry,abuse@pir.example,\n' >"$T/dir.csv"
$S portal directory --store "$DB" --file "$T/dir.csv" 2>/dev/null
$S portal serve --store "$DB" --listen 127.0.0.1:0 --threads "$THREADS" --rate-ip 0 \
	--access-log "$T/access.log" 2>"$T/serve.log" &
SRV=$!
for _ in $(seq 100); do grep -q 'listening on' "$T/serve.log" && break; sleep 0.05; done
PORT=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$T/serve.log" | head -1)
URL="http://127.0.0.1:$PORT"
count() { sqlite3 "$DB" 'SELECT count(*) FROM report'; }
accepted() { curl -s "$URL/metrics" | awk '$1=="ssrwatch_reports_accepted_total"{print $2}'; }
# an 8 MB form POST without its CSRF cookie (refused from its headers), and one with the cookie
# whose description is 8 MB (read, capped at 256 KiB a field, refused): client time and the
# server's CPU time, on the idle server
python3 - "$URL" "$SRV" >"$T/big.txt" <<'PY'
import os, re, socket, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
host, port = url.split("//")[1].split(":")
def cpu():
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")
def post(extra, body):
    s = socket.create_connection((host, int(port)))
    c0, t = cpu(), time.time()
    try:
        s.sendall(b"POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                  b"\r\nConnection: close\r\nContent-Length: %d\r\n%s\r\n" % (len(body), extra) + body)
    except OSError:
        pass
    out = b""
    while True:
        try:
            d = s.recv(65536)
        except OSError:
            break
        if not d:
            break
        out += d
    ms = (time.time() - t) * 1000
    time.sleep(0.2)
    return out.split(b"\r\n")[0].decode().split()[1], ms, cpu() - c0
r = urllib.request.urlopen(url + "/report")
cookie = r.headers["Set-Cookie"].split(";")[0]
tok = re.search(rb'name="csrf" value="([^"]+)"', r.read()).group(1)
a = post(b"", b"description=" + b"a" * 8000000)
b = post(b"Cookie: " + cookie.encode() + b"\r\n", b"csrf=" + tok + b"&category=other&targets=x.com&description=" + b"a" * 8000000)
print("| 8 MB form POST, no CSRF cookie | %s | %.1f | %.0f |" % a)
print("| 8 MB form POST, 8 MB description | %s | %.1f | %.0f |" % b)
PY
# warm-up (not counted)
wrk -t2 -c"$CONNS" -d3s -s bench/portal/report.lua "$URL" >/dev/null
sleep 1
before=$(count)
acc0=$(accepted)
# the SLA figures asked for while reports pour in (2 connections), and the WAL's size sampled
wrk -t1 -c2 -d"${DUR}s" "$URL/api/v1/stats" >"$T/stats.txt" &
SW=$!
( peak=0; end=$((SECONDS + DUR + 1)); while [ $SECONDS -lt $end ]; do
	s=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0); [ "$s" -gt "$peak" ] && peak=$s; sleep 0.1
done; echo "$peak" >"$T/walpeak" ) &
WP=$!
wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -s bench/portal/report.lua "$URL" >"$T/wrk.txt"
wait $SW $WP
sleep 1
walpeak=$(cat "$T/walpeak")
truncs=$(curl -s "$URL/metrics" | awk '$1=="ssrwatch_store_wal_truncations_total"{print $2}')
srps=$(awk '$1=="Requests/sec:" {printf "%.0f", $2}' "$T/stats.txt")
after=$(count)
acc1=$(accepted)
commits=$(curl -s "$URL/metrics" | awk '$1=="ssrwatch_store_commits_total"{print $2}')
writes=$(curl -s "$URL/metrics" | awk '$1=="ssrwatch_store_writes_total"{print $2}')
kill -TERM $SRV
wait $SRV || true
SRV=
stored=$((after - before))
acc=$((acc1 - acc0))
ok=$(awk '$1=="status" && $2>=200 && $2<300 {s+=$3} END {print s+0}' "$T/wrk.txt")
non2xx=$(awk '$1=="status" && ($2<200 || $2>=300) {s+=$3} END {print s+0}' "$T/wrk.txt")
val() { awk -v k="$1" '$1==k {print $2}' "$T/wrk.txt"; }
dur=$(val duration_us)
rps=$(python3 -c "print(f'{$ok/($dur/1e6):.0f}')")
ms() { python3 -c "print(f'{$1/1000:.1f}')"; }
D=$(date -u +%Y-%m-%d)
{
	echo "# bench/portal $D"
	echo
	echo "wrk -t2 -c$CONNS -d${DUR}s, server --threads $THREADS (0: 32 per CPU), SQLite WAL synchronous=FULL, $(nproc) cores"
	echo
	echo "| reports/s (2xx) | p50 ms | p90 ms | p99 ms | max ms | 2xx seen by wrk | non-2xx | socket errors | 201 sent | stored | stored == sent | writes per commit |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"
	echo "| $rps | $(ms "$(val latency_p50_us)") | $(ms "$(val latency_p90_us)") | $(ms "$(val latency_p99_us)") | $(ms "$(val latency_max_us)") | $ok | $non2xx | $(val socket_errors) | $acc | $stored | $([ "$stored" -eq "$acc" ] && echo yes || echo NO) | $(python3 -c "print(f'{$writes/max($commits,1):.1f}')") |"
	echo
	echo "While the reports poured in: /api/v1/stats answered $srps requests/s (2 connections); the"
	echo "SQLite write-ahead log peaked at $(python3 -c "print(f'{$walpeak/2**20:.1f}')") MB and was emptied $truncs times (wal-max-mb 64)."
	echo
	echo "| abusive request | status | client ms | server CPU ms |"
	echo "|---|---:|---:|---:|"
	cat "$T/big.txt"
	echo
	echo '```'
	cat "$T/wrk.txt"
	echo '```'
} | tee "$OUT/portal-$D.md"
[ "$stored" -eq "$acc" ] || { echo "bench/portal: stored $stored != 201 sent $acc" >&2; exit 1; }
[ "$ok" -le "$acc" ] && [ $((acc - ok)) -le "$CONNS" ] ||
	{ echo "bench/portal: wrk saw $ok 2xx, the server sent $acc" >&2; exit 1; }
