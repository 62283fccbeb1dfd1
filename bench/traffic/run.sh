#!/usr/bin/env bash
# bench/traffic: `ssrwatch traffic stats` on a generated root-like capture against tshark
# (dissecting the DNS fields, as people do to count) and dnscap (reading the file, every DNS
# message selected, written to /dev/null), same file, same run; and with --approx.
#
#   bash bench/traffic/run.sh [QUERIES]        default 5300000 (about 10M packets)
#
# Timed with /usr/bin/time (wall, peak RSS); ssrwatch pinned to one core.  Results:
# bench/out/traffic-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
Q=${1:-5300000}
S=build/ssrwatch
OUT=bench/out
mkdir -p "$OUT"
[ -x $S ] || { echo "build first: make build" >&2; exit 1; }
T=${TRAFFIC_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$T"
trap '[ -z "${TRAFFIC_BENCH_DIR:-}" ] && rm -rf "$T"' EXIT
# a capture kept from an older generator would not have its handshakes and fragments
[ -f "$T/b.pcap" ] && [ "$T/b.pcap" -nt $S ] || $S gen pcap --queries "$Q" --output "$T/b.pcap"
cat "$T/b.pcap" >/dev/null # every tool reads it from the page cache
/usr/bin/time -f "%e %M" -o "$T/t1" taskset -c 0 $S traffic stats --format json --output "$T/s.json" "$T/b.pcap"
read -r w1 m1 <"$T/t1"
pk=$(python3 -c "import json; print(json.load(open('$T/s.json'))['packets']['total'])")
/usr/bin/time -f "%e %M" -o "$T/t4" taskset -c 0 $S traffic stats --approx --format json --output "$T/a.json" "$T/b.pcap"
read -r w4 m4 <"$T/t4"
/usr/bin/time -f "%e %M" -o "$T/t2" tshark -r "$T/b.pcap" -T fields -e dns.qry.name -e dns.flags.rcode >/dev/null 2>&1
read -r w2 m2 <"$T/t2"
w3=n/a
m3=n/a
if command -v dnscap >/dev/null; then
	/usr/bin/time -f "%e %M" -o "$T/t3" dnscap -r "$T/b.pcap" -w /dev/null >/dev/null 2>&1 || true
	read -r w3 m3 <"$T/t3" || true
fi
mb=$(du -m "$T/b.pcap" | cut -f1)
{
	echo "# bench/traffic $(date +%F): $pk packets, $mb MB"
	echo
	echo "| tool | wall s | packets/s | peak RSS MB | vs ssrwatch |"
	echo "|---|---|---|---|---|"
	printf '| ssrwatch traffic stats (1 core) | %s | %.0f | %.0f | 1.0x |\n' "$w1" "$(echo "$pk / $w1" | bc -l)" "$(echo "$m1 / 1024" | bc -l)"
	printf '| ssrwatch traffic stats --approx (1 core) | %s | %.0f | %.0f | %.2fx |\n' "$w4" "$(echo "$pk / $w4" | bc -l)" "$(echo "$m4 / 1024" | bc -l)" "$(echo "$w4 / $w1" | bc -l)"
	printf '| tshark -T fields dns.qry.name, dns.flags.rcode | %s | %.0f | %.0f | %.2fx the time |\n' "$w2" "$(echo "$pk / $w2" | bc -l)" "$(echo "$m2 / 1024" | bc -l)" "$(echo "$w2 / $w1" | bc -l)"
	if [ "$w3" != n/a ]; then
		printf '| dnscap -r FILE -w /dev/null | %s | %.0f | %.0f | %.2fx the time |\n' "$w3" "$(echo "$pk / $w3" | bc -l)" "$(echo "$m3 / 1024" | bc -l)" "$(echo "$w3 / $w1" | bc -l)"
	fi
} >"$OUT/traffic-$(date +%F).md"
cat "$OUT/traffic-$(date +%F).md"
