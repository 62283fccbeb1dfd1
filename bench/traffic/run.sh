#!/usr/bin/env bash
# bench/traffic: `ssrwatch traffic stats` on a generated root-like capture against tshark
# (dissecting the DNS fields, as people do to count) and dnscap (reading the file, every DNS
# message selected, written to /dev/null), same file, same run; and with --approx.
#
#   bash bench/traffic/run.sh [QUERIES]        default 5300000 (about 10M packets)
#
# Timed with /usr/bin/time (wall, peak RSS); ssrwatch with --threads 1 pinned to one core, and
# on every core (one reader, a decoding worker per core; the output must be the same bytes, the
# run stops if not).  Results:
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
/usr/bin/time -f "%e %M" -o "$T/t1" taskset -c 0 $S traffic stats --threads 1 --format json --output "$T/s.json" "$T/b.pcap"
read -r w1 m1 <"$T/t1"
/usr/bin/time -f "%e %M" -o "$T/t5" $S traffic stats --format json --output "$T/s5.json" "$T/b.pcap"
read -r w5 m5 <"$T/t5"
cmp -s "$T/s.json" "$T/s5.json" || { echo "every core: another result than one thread" >&2; exit 1; }
/usr/bin/time -f "%e %M" -o "$T/t6" $S traffic stats --approx --format json --output "$T/a6.json" "$T/b.pcap"
read -r w6 m6 <"$T/t6"
pk=$(python3 -c "import json; print(json.load(open('$T/s.json'))['packets']['total'])")
/usr/bin/time -f "%e %M" -o "$T/t4" taskset -c 0 $S traffic stats --threads 1 --approx --format json --output "$T/a.json" "$T/b.pcap"
read -r w4 m4 <"$T/t4"
cmp -s "$T/a.json" "$T/a6.json" || { echo "every core, --approx: another result than one thread" >&2; exit 1; }
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
	printf '| ssrwatch traffic stats (%s cores: reader + workers) | %s | %.0f | %.0f | %.2fx |\n' "$(nproc)" "$w5" "$(echo "$pk / $w5" | bc -l)" "$(echo "$m5 / 1024" | bc -l)" "$(echo "$w5 / $w1" | bc -l)"
	printf '| ssrwatch traffic stats --approx (%s cores) | %s | %.0f | %.0f | %.2fx |\n' "$(nproc)" "$w6" "$(echo "$pk / $w6" | bc -l)" "$(echo "$m6 / 1024" | bc -l)" "$(echo "$w6 / $w1" | bc -l)"
	printf '| tshark -T fields dns.qry.name, dns.flags.rcode | %s | %.0f | %.0f | %.2fx the time |\n' "$w2" "$(echo "$pk / $w2" | bc -l)" "$(echo "$m2 / 1024" | bc -l)" "$(echo "$w2 / $w1" | bc -l)"
	if [ "$w3" != n/a ]; then
		printf '| dnscap -r FILE -w /dev/null | %s | %.0f | %.0f | %.2fx the time |\n' "$w3" "$(echo "$pk / $w3" | bc -l)" "$(echo "$m3 / 1024" | bc -l)" "$(echo "$w3 / $w1" | bc -l)"
	fi
} >"$OUT/traffic-$(date +%F).md"
cat "$OUT/traffic-$(date +%F).md"
