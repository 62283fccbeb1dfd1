#!/usr/bin/env bash
# bench/zone: ssrwatch zone stats against its peers on the same generated zones, same run.
#
#   bash bench/zone/run.sh [SIZES]        default SIZES="1000000 5000000"
#
# Tools (each reads the whole file; output discarded):
#   ssrwatch      ssrwatch zone stats --format json (full statistics, AUTO engine, parallel
#                 parts on all CPUs: the default)
#   ssrwatch-1t   the same with --threads 1 (one core, like every peer); its tokenizer's
#                 kernel chosen at run time (AVX2 where the CPU has it)
#   ssrwatch-1t-sse2, ssrwatch-1t-scalar   the same with --simd sse2 / --simd scalar
#   ssrwatch-zs   ssrwatch zone stats --engine zscanner (same statistics, libzscanner reader)
#   ssr-count     the ssrwatch reader alone, one thread, counting records (bench/zone/ssr_count.c:
#                 no statistics, 7 shared libraries instead of the CLI's 64): the like of
#                 zscan-count and of simdzone's parse
#   zscan-count   minimal libzscanner reader that only counts records (bench/zone/zscan_count.c)
#   ldns          ldns-read-zone -E SOA (parses every record, prints only the SOA)
#   named         named-checkzone -q with post-load checks off (BIND's loader only; its
#                 integrity checks try to resolve out-of-zone NS names over the network)
#   simdzone      NLnet Labs simdzone `zone-bench parse` (one core, AVX2 kernel where the CPU
#                 has it), when SIMDZONE_SRC names a source tree: built here into
#                 bench/out/simdzone-build, never committed or linked into ssrwatch
# Zones: `ssrwatch gen zone --plain` (the form every tool parses; ldns rejects class-before-TTL)
# and the default mixed form (relative/omitted owners, multi-line DS) for the ssrwatch engines;
# the plain form also with the delegations shuffled (`gen zone --unsorted`: registry dumps in
# insertion order; the same records), which ssrwatch counts in one pass when each owner is in
# one run (issue 24); and signed as .com is (`--signed-delegations`: RRSIG on every DS, an
# opt-out NSEC3 chain) and with an NSEC chain through every delegation (`--nsec`, as the root
# zone has it), both plain.
# Then an interleaved pass (INTERLEAVE rounds, default 7: each tool once per round, so that this
# virtual machine's drifting speed hits all alike): min and median wall per tool, the ratios
# to simdzone's parse where it was built.
# Wall time from hyperfine (warm page cache, median of RUNS), peak RSS from /usr/bin/time.
# Results: bench/out/zone-<date>.md (copy the table into docs/PERFORMANCE.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${1:-"1000000 5000000"}
RUNS=${RUNS:-3}
B=build
OUT=bench/out
mkdir -p "$OUT"
[ -x $B/ssrwatch ] || { echo "build first: make build" >&2; exit 1; }
for t in hyperfine ldns-read-zone named-checkzone; do command -v $t >/dev/null || { echo "missing $t (scripts/deps.sh)" >&2; exit 1; }; done
SZ=""
if [ -n "${SIMDZONE_SRC:-}" ]; then
	cmake -S "$SIMDZONE_SRC" -B "$OUT/simdzone-build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$OUT/simdzone-build" -j "$(nproc)" --target zone-bench >/dev/null
	SZ="$OUT/simdzone-build/zone-bench"
fi
report="$OUT/zone-$(date -u +%Y%m%d).md"
{
	echo "# bench/zone $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
	echo
	echo "| zone | tool | wall s (median) | MB/s | peak RSS MB | records | vs zscan-count |"
	echo "|---|---|---:|---:|---:|---:|---:|"
} > "$report"

rm -f "$report.int"
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

for n in $SIZES; do
	for form in plain mixed unsorted signed nsec; do
		z="$OUT/bench-$n-$form.zone"
		[ -f "$z" ] || $B/ssrwatch gen zone --origin example --delegations "$n" --seed 1 \
			$([ $form != mixed ] && echo --plain) $([ $form = unsorted ] && echo --unsorted) \
			$([ $form = signed ] && echo --signed-delegations) \
			$([ $form = nsec ] && echo --signed-delegations --nsec) \
			--output "$z"
		mb=$(du -m --apparent-size "$z" | cut -f1)
		recs=$($B/zscan-count example. "$z" | cut -d' ' -f1)
		declare -A cmd=(
			[ssrwatch]="$B/ssrwatch zone stats --quiet --format json $z"
			[ssrwatch-1t]="$B/ssrwatch zone stats --quiet --format json --threads 1 $z"
			[ssrwatch-1t-sse2]="$B/ssrwatch zone stats --quiet --format json --threads 1 --simd sse2 $z"
			[ssrwatch-1t-scalar]="$B/ssrwatch zone stats --quiet --format json --threads 1 --simd scalar $z"
			[ssrwatch-zs]="$B/ssrwatch zone stats --quiet --format json --engine zscanner --threads 1 $z"
			[zscan-count]="$B/zscan-count example. $z"
			[ssr-count]="$B/ssr-count example. $z"
			[ldns]="ldns-read-zone -E SOA $z"
			[named]="named-checkzone -q -i none -n ignore -k ignore -m ignore -M ignore -S ignore -r ignore example $z"
			[simdzone]="$SZ parse $z"
		)
		tools="zscan-count ssrwatch ssrwatch-1t ssrwatch-1t-sse2 ssrwatch-1t-scalar ssrwatch-zs ssr-count"
		[ -n "$SZ" ] && tools="$tools simdzone"
		[ $form = plain ] && tools="$tools ldns named"
		declare -A med=()
		for t in $tools; do
			hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$OUT/h.json" "${cmd[$t]}" >/dev/null 2>&1 \
				|| hyperfine --warmup 1 --runs "$RUNS" -i --export-json "$OUT/h.json" "${cmd[$t]}" >/dev/null
			med[$t]=$(python3 -c "import json;print(json.load(open('$OUT/h.json'))['results'][0]['median'])")
			peak=$(rss ${cmd[$t]})
			echo "$n $form $t ${med[$t]} s, $peak KB" >&2
			printf '| %s %s | %s | %.3f | %.0f | %.0f | %s | %s |\n' "$n" "$form" "$t" "${med[$t]}" \
				"$(python3 -c "print($mb/${med[$t]})")" "$(python3 -c "print($peak/1024)")" "$recs" \
				"$(python3 -c "print('%.2fx' % (${med[zscan-count]:-${med[$t]}}/${med[$t]}))")" >> "$report"
		done
		# interleaved: the same tools round by round
		itools="zscan-count ssr-count ssrwatch-1t ssrwatch"
		[ -n "$SZ" ] && itools="simdzone $itools"
		declare -A ts=()
		for ((r = 0; r < ${INTERLEAVE:-7}; r++)); do
			for t in $itools; do
				s0=$(date +%s%N)
				${cmd[$t]} >/dev/null 2>&1
				ts[$t]+="$((($(date +%s%N) - s0) / 1000000)) "
			done
		done
		for t in $itools; do
			read -r lo mid < <(echo ${ts[$t]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{print a[1], a[int((NR+1)/2)]}')
			vs=""
			[ -n "$SZ" ] && vs=$(echo ${ts[simdzone]} | tr ' ' '\n' | sort -n | awk -v m="$mid" '{a[NR]=$1} END{printf "%.2fx", m / a[int((NR+1)/2)]}')
			echo "$n $form $t interleaved min $lo ms median $mid ms ${vs:+($vs simdzone)}" >&2
			printf '| %s %s | %s | %.3f | %.3f | %s |\n' "$n" "$form" "$t" \
				"$(python3 -c "print($mid/1000)")" "$(python3 -c "print($lo/1000)")" \
				"${vs:--}" >> "$report.int"
		done
		unset cmd med ts
	done
done
{
	echo
	echo "Interleaved (${INTERLEAVE:-7} rounds, each tool once per round):"
	echo
	echo "| zone | tool | wall s (median) | wall s (min) | vs simdzone (medians) |"
	echo "|---|---|---:|---:|---:|"
	cat "$report.int"
} >> "$report"
rm -f "$report.int"
echo "results: $report"
cat "$report"
