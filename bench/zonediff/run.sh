#!/usr/bin/env bash
# bench/zonediff: `ssrwatch zone diff` on two snapshots of a generated .com-like zone at two
# sizes (ZDIFF_SIZES, default "1000000 5000000" delegations), the second snapshot with every
# 997th record dropped, every 1009th NS record's target changed and the SOA serial moved on,
# written in shuffled order; peak RSS must not grow with the zone (--memory 256).  The peer,
# on the smaller size only (it holds both zones in memory): Debian's ldns-compare-zones -a
# (ldnsutils).  Runs pinned to 2 cores.  Results: bench/out/zonediff-<date>.md.
#
#   bash bench/zonediff/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${SSR_BUILD:-build}
S=$(pwd)/$B/ssrwatch
OUT=bench/out
mkdir -p "$OUT"
[ -x "$S" ] || { echo "build first: make build" >&2; exit 1; }
W=${ZDIFF_TMP:-$(mktemp -d)}
trap 'rm -rf "$W"' EXIT
R=$OUT/zonediff-$(date -u +%Y-%m-%d).md
run() { # run LABEL CMD...: seconds and peak MiB
	local label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/time" taskset -c 0,1 "$@" >"$W/stdout" 2>"$W/err" ||
		[ "$label" = "ldns-compare-zones -a" ] ||
		{ echo "bench/zonediff: $label failed: $(tail -3 "$W/err")" >&2; exit 1; }
	read -r s k <"$W/time"
	echo "| $label | $s | $((k / 1024)) |"
}
SIZES=${ZDIFF_SIZES:-"1000000 5000000"}
first=1
{
	echo "# bench/zonediff $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores (runs pinned to 2)"
	for n in $SIZES; do
		"$S" gen zone --origin com --delegations "$n" --seed 1 --plain --output "$W/old.zone"
		awk 'NR % 997 != 0 { if ($0 ~ / NS / && NR % 1009 == 0) { sub(/ NS .*/, " NS ns9.changed.example.") }
		     if ($0 ~ / SOA /) { $7 = $7 + 1 } print }' "$W/old.zone" |
			awk 'NR <= 2 { print; next } { print rand() "\t" $0 }' | sort -S 1G -k1,1 | cut -f2- >"$W/new.zone"
		echo
		echo "$n delegations: $(wc -l <"$W/old.zone") and $(wc -l <"$W/new.zone") lines, $(($(stat -c %s "$W/old.zone") >> 20)) MiB each; new snapshot shuffled"
		echo
		echo "| tool | seconds | peak MiB |"
		echo "|---|---|---|"
		run "ssrwatch zone diff --memory 256" "$S" zone diff --origin com --memory 256 --tmp-dir "$W" \
			--format json --output "$W/diff.json" "$W/old.zone" "$W/new.zone"
		echo "| (changes: $(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(', '.join('%s %d' % kv for kv in d['summary']['changes'].items() if kv[1]), '; runs', d['summary']['runs'])" "$W/diff.json")) | | |"
		run "ssrwatch zone diff --memory 64" "$S" zone diff --origin com --memory 64 --tmp-dir "$W" \
			--format csv --output "$W/diff.csv" "$W/old.zone" "$W/new.zone"
		if [ -n "$first" ]; then
			run "ldns-compare-zones -a" ldns-compare-zones -a "$W/old.zone" "$W/new.zone"
			first=
		fi
		rm -f "$W/old.zone" "$W/new.zone" "$W/diff.json" "$W/diff.csv"
	done
} | tee "$R"
echo "bench/zonediff: $R"
