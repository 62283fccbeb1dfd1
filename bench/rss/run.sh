#!/usr/bin/env bash
# bench/rss: the RSSAC047 monthly report at the issue's size — a month (30 days) of states from
# 20 VPs, 13 RSIs x 4 transports every five minutes plus 13 correctness answers per interval
# (8,640 intervals x 65 measurements per VP: 11.2 million measurements) — merged and reported
# (the issue's target: under 60 s and 1 GiB on 2 cores); and one VP's measurement overhead,
# CPU per interval, measured on the simulated root server system (scripts/rss-sim.sh: Knot DNS,
# NSD, the relay, three VPs, every address loopback, 80 s).  Results: bench/out/rss-<date>.md.
#
#   bash bench/rss/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${SSR_BUILD:-build}
S=$B/ssrwatch
OUT=bench/out
mkdir -p "$OUT"
[ -x "$S" ] || { echo "build first: make build" >&2; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
R=$OUT/rss-$(date -u +%Y-%m-%d).md
# measure LABEL CMD...: wall seconds and peak RSS (MiB) of the best of three runs, on 2 cores
measure() {
	local label=$1 best="" mem=""
	shift
	for _ in 1 2 3; do
		/usr/bin/time -f "%e %M" -o "$W/time" taskset -c 0,1 "$@" >/dev/null
		read -r s k <"$W/time"
		if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $s < $best else 1)"; then
			best=$s
			mem=$((k / 1024))
		fi
	done
	echo "| $label | $best | $mem |"
}
t0=$(date +%s.%N)
"$S" gen rss-states --month 2026-11 --vps 20 --rsis 13 --timeouts 5 --out "$W/st"
t1=$(date +%s.%N)
states=("$W"/st/*.state)
bytes=$(du -cb "${states[@]}" | tail -1 | cut -f1)
{
	echo "# bench/rss $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores (runs pinned to 2)"
	echo
	printf 'Input: %d VP states of 2026-11 (30 days), %s MB, generated in %.1f s.\n\n' \
		"${#states[@]}" "$((bytes / 1000000))" "$(python3 -c "print($t1 - $t0)")"
	echo "| step | seconds | peak MiB |"
	echo "|---|---|---|"
	measure "rss report --format json (20 states)" "$S" rss report --month 2026-11 --format json --output "$W/r.json" "${states[@]}"
	measure "rss report --format html (20 states)" "$S" rss report --month 2026-11 --format html --output "$W/r.html" "${states[@]}"
	measure "rss merge (20 states into one)" "$S" rss merge --output "$W/all.state" "${states[@]}"
	measure "rss report --format json (the merged state)" "$S" rss report --month 2026-11 --format json --output "$W/r2.json" "$W/all.state"
	cmp -s "$W/r.json" "$W/r2.json" && echo && echo "The report of the merged state is byte-identical to the report of the 20 states."
} | tee "$R"
# one VP's overhead: CPU per interval on the simulated RSS (13 RSIs x 4 + 13 queries)
SSRWATCH=$S bash scripts/rss-sim.sh "$W/sim" >/dev/null 2>&1
{
	echo
	echo "Measurement overhead on the simulated RSS (24 intervals, 13 RSIs; each VP's own CPU"
	echo "time, zone loading and checking included):"
	echo
	for v in vp1 vp2 vp3; do
		printf -- '- %s: %s\n' "$v" "$(grep -o '[0-9.]* ms per interval' "$W/sim/$v.err")"
	done
} | tee -a "$R"
echo "bench/rss: $R"
