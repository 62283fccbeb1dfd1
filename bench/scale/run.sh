#!/usr/bin/env bash
# bench/scale: the same zone, capture and feed by the single process and by 1, 2 and 4 map tasks +
# merge (issue 23), on this machine.  Each map task is timed alone on one core (taskset -c 0:
# what one machine of N would spend), then all of them at once with as many in parallel as this
# machine has cores; the merge is timed on its own, with the states' sizes.  The model for N
# machines: T(N) = max over tasks of the task's time + the merge's time.  Every merged output is
# compared with the single run's (must be identical); for abuse ingest (the zone joined with a
# feed of 10% of its delegations as URLs, first snapshot) the summary and the store's rows.
#
#   bash bench/scale/run.sh [DELEGATIONS [QUERIES]]     default 2000000 2000000
# Results: bench/out/scale-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-2000000}
Q=${2:-2000000}
S=$PWD/build/ssrwatch
[ -x "$S" ] || { echo "build first: make build" >&2; exit 1; }
T=${SCALE_BENCH_DIR:-$(mktemp -d)}
export S T
mkdir -p "$T" bench/out
trap '[ -z "${SCALE_BENCH_DIR:-}" ] && rm -rf "$T"' EXIT
REP=bench/out/scale-$(date +%F).md
cores=$(nproc)
secs() { /usr/bin/time -f %e -o "$T/t" "$@" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; exit 1; }; cat "$T/t"; }

[ -f "$T/z.zone" ] || "$S" gen zone --delegations "$N" --signed --seed 5 --output "$T/z.zone" >/dev/null 2>&1
[ -f "$T/c.pcap" ] || "$S" gen pcap --queries "$Q" --output "$T/c.pcap" >/dev/null 2>&1
[ -f "$T/a.zone" ] || "$S" gen zone --origin example --delegations "$N" --seed 1 --plain --output "$T/a.zone" >/dev/null 2>&1
[ -f "$T/a.urls" ] || "$S" gen feed --zone "$T/a.zone" --entries $((N / 10)) --seed 1 --output "$T/a.urls" >/dev/null 2>&1
zmb=$(du -m "$T/z.zone" | cut -f1)
cmb=$(du -m "$T/c.pcap" | cut -f1)
{
	echo "# bench/scale $(date +%F): $N delegations ($zmb MB), $Q queries ($cmb MB), $cores cores"
	echo
	echo "| engine | run | tasks | task wall s (max / mean, alone on one core) | all tasks wall s ($cores at a time) | merge wall s | states MB | model T(N machines) s | output |"
	echo "|---|---|---|---|---|---|---|---|---|"
} >"$REP"

# abuse ingest: a store of its own per run (the single run's, or the merge's); the rows compared
abuse_args="--date 2026-11-23 --allow-date-mismatch --zone $T/a.zone --feed phishing:bench:$T/a.urls"
export abuse_args
rows() { "$S" abuse listings --store "$1" | md5sum; }
for eng in zone traffic abuse; do
	if [ $eng = abuse ]; then
		single() { rm -rf "$T"/a1.db*; taskset -c 0 "$S" abuse ingest --store "$T/a1.db" $abuse_args --threads 1 --format json >"$T/single.json"; }
		map() { ${PIN:-} "$S" abuse ingest --store "$T/am.db" $abuse_args --threads 1 --shard "$1/$2" --save-state "$T/s-$1.state"; }
	elif [ $eng = zone ]; then
		single() { taskset -c 0 "$S" zone stats --threads 1 --format json "$T/z.zone" >"$T/single.json"; }
		map() { ${PIN:-} "$S" zone stats --threads 1 --shard "$1/$2" --save-state "$T/s-$1.state" "$T/z.zone"; }
	else
		single() { taskset -c 0 "$S" traffic stats --threads 1 --format json "$T/c.pcap" >"$T/single.json"; }
		map() { ${PIN:-} "$S" traffic stats --threads 1 --shard "$1/$2" --save-state "$T/s-$1.state" "$T/c.pcap"; }
	fi
	export -f single map
	cat "$T/z.zone" "$T/c.pcap" >/dev/null # warm page cache; the first timed run is not the cold one
	secs bash -c single >/dev/null
	w=$(secs bash -c single)
	printf '| %s | single process, one core | 1 | %s | - | - | - | %s | - |\n' "$eng" "$w" "$w" >>"$REP"
	for n in 1 2 4; do
		rm -f "$T"/s-*.state
		max=0
		sum=0
		for i in $(seq 1 $n); do
			t=$(PIN="taskset -c 0" secs bash -c "map $i $n")
			sum=$(echo "$sum + $t" | bc -l)
			max=$(echo "if ($t > $max) $t else $max" | bc -l)
		done
		mean=$(echo "$sum / $n" | bc -l)
		rm -f "$T"/s-*.state
		all=$(PIN= secs bash -c "seq 1 $n | xargs -P $cores -I{} bash -c 'map {} $n'")
		mb=$(du -cm "$T"/s-*.state | tail -1 | cut -f1)
		rm -rf "$T"/am.db*
		m=$(secs "$S" merge --format json --output "$T/merged.json" "$T"/s-*.state)
		same=$(cmp -s "$T/merged.json" "$T/single.json" && echo identical || echo DIFFERENT)
		if [ $eng = abuse ] && [ "$(rows "$T/am.db")" != "$(rows "$T/a1.db")" ]; then
			same="DIFFERENT rows"
		fi
		printf '| %s | %d map tasks + merge | %d | %.2f / %.2f | %s | %s | %s | %.2f | %s |\n' \
			"$eng" "$n" "$n" "$max" "$mean" "$all" "$m" "$mb" "$(echo "$max + $m" | bc -l)" "$same" >>"$REP"
	done
done
cat "$REP"
