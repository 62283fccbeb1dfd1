#!/usr/bin/env bash
# bench/abuse: ssrwatch abuse ingest (zone x feed join) against the zone statistics pass alone
# and against the obvious shell pipeline, on the same generated inputs in the same run.
#
#   bash bench/abuse/run.sh [DELEGATIONS [FEED_ENTRIES]]     default 20000000 2000000 (the issue)
#
# Inputs: `ssrwatch gen zone --plain` (one TLD zone) and `ssrwatch gen feed --shape urls` (a
# uniform sample of the zone's delegations as URLs with www./subdomains/paths, 5% names under
# the TLD that are not delegated, 1% lines to reject), `gen registrations` for attribution.
# Commands (wall: hyperfine median of RUNS, warm page cache; peak RSS: /usr/bin/time):
#   zone-stats     ssrwatch zone stats --format json ZONE                  (the baseline)
#   ingest         ssrwatch abuse ingest, empty store, first snapshot: zone statistics +
#                  join + first-seen index of every delegation + store (SQLite)
#   ingest-next    the same zone as the next snapshot (old index merged, listings tracked)
#   ingest-attrib  ingest with --registrations and --registrars (2 CSV readers on top)
#   pipeline       awk host extraction from the URLs, registered domain = last two labels,
#                  sort -u of feed and of the zone's NS owners, join; count of listed
#                  delegations only (LC_ALL=C, sort on all cores)
# The listed-and-delegated count of ssrwatch and of the pipeline must agree; the run stops if
# not.  A second zone 1/4 the size with the same feed checks that peak RSS does not grow with
# the zone.  Results: bench/out/abuse-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-20000000}
F=${2:-2000000}
RUNS=${RUNS:-3}
B=build
OUT=bench/out
mkdir -p "$OUT"
[ -x $B/ssrwatch ] || { echo "build first: make build" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "missing hyperfine (scripts/deps.sh)" >&2; exit 1; }
export LC_ALL=C
S=$B/ssrwatch
zone=$OUT/abuse-$N.zone
small=$OUT/abuse-$((N / 4)).zone
feed=$OUT/abuse-$N-$F.urls
regs=$OUT/abuse-$N.regs.csv
rl=$OUT/abuse-registrars.csv
st=$OUT/abuse-bench.db
[ -f "$zone" ] || $S gen zone --origin example --delegations "$N" --seed 1 --plain --output "$zone"
[ -f "$small" ] || $S gen zone --origin example --delegations $((N / 4)) --seed 1 --plain --output "$small"
[ -f "$feed" ] || $S gen feed --zone "$zone" --entries "$F" --seed 1 --output "$feed"
[ -f "$regs" ] || $S gen registrations --zone "$zone" --registrars 200 --registrar-list "$rl" --output "$regs"
date=2026-11-23
ingest="$S abuse ingest --store $st --date $date --allow-date-mismatch --format json --zone $zone --feed phishing:bench:$feed"
clean="rm -rf $st $st-wal $st-shm $st.index"

# the pipeline as a script of its own (hyperfine runs commands through sh)
cat > "$OUT/pipeline.sh" <<PIPE
export LC_ALL=C
# registered domain of each URL's host (every name here is under a one-label TLD)
grep -v '^#' "$feed" | awk -F/ '{h=tolower(\$3); sub(/:.*/, "", h); n=split(h, l, "."); if (n >= 2 && h !~ /^[0-9.]+\$/) print l[n-1] "." l[n]}' |
	sort -u -S 25% > "$OUT/p.feed"
awk '\$2=="NS"||\$3=="NS"||\$4=="NS" {o=tolower(\$1); sub(/\\.\$/, "", o); if (o != "example") print o}' "$zone" |
	sort -u -S 25% > "$OUT/p.zone"
join "$OUT/p.feed" "$OUT/p.zone" | wc -l
PIPE

report="$OUT/abuse-$(date -u +%Y%m%d).md"
{
	echo "# bench/abuse $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
	echo "zone: $N delegations, $(du -L -m --apparent-size "$zone" | cut -f1) MB; feed: $F URLs"
	echo
	echo "| command | wall s (median) | vs zone-stats | peak RSS MB |"
	echo "|---|---:|---:|---:|"
} > "$report"

median() { python3 -c "import json,sys; print('%.3f' % json.load(open(sys.argv[1]))['results'][0]['median'])" "$1"; }
rss() { /usr/bin/time -f %M bash -c "$1" 2>&1 >/dev/null | tail -n 1; }
declare -A wall mem
run() { # run NAME PREPARE COMMAND
	local name=$1 prep=$2 cmd=$3
	hyperfine --warmup 1 --runs "$RUNS" --prepare "$prep" --export-json "$OUT/h.json" "$cmd" >/dev/null
	wall[$name]=$(median "$OUT/h.json")
	bash -c "$prep"
	mem[$name]=$(( $(rss "$cmd") / 1024 ))
	echo "$name: ${wall[$name]} s, ${mem[$name]} MB" >&2
}
run zone-stats true "$S zone stats --quiet --format json $zone"
run ingest "$clean" "$ingest"
# the next snapshot: the index of the first is merged, listings of the first are tracked
run ingest-next "$clean; $ingest >/dev/null" "$ingest"
run ingest-attrib "$clean" "$ingest --registrations $regs --registrars $rl"
run pipeline "rm -f $OUT/p.feed $OUT/p.zone" "bash $OUT/pipeline.sh"
# ingest of a zone 1/4 the size with the same feed: peak RSS must not grow with the zone
$clean
small_rss=$(( $(rss "$S abuse ingest --store $st --date $date --allow-date-mismatch --format json --zone $small --feed phishing:bench:$feed") / 1024 ))

# the same answer: listed registered domains delegated in the zone
$clean
$ingest > "$OUT/ingest.json"
ours=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['zones'][0]['listed_in_zone'])" "$OUT/ingest.json")
theirs=$(bash "$OUT/pipeline.sh" | tr -d ' ')
if [ "$ours" != "$theirs" ]; then
	echo "bench/abuse: listed-in-zone differs: ssrwatch $ours, pipeline $theirs" >&2
	exit 1
fi
for k in zone-stats ingest ingest-next ingest-attrib pipeline; do
	ratio=$(python3 -c "print('%.2f' % (${wall[$k]} / ${wall[zone-stats]}))")
	echo "| $k | ${wall[$k]} | ${ratio}x | ${mem[$k]} |" >> "$report"
done
# the ratio again with the two commands alternating (zone stats, ingest, zone stats, ...): a
# virtual machine whose speed drifts over minutes moves hyperfine's blocks of runs apart
pairs=""
ratios=()
for r in $(seq "$RUNS"); do
	t0=$(date +%s.%N); $S zone stats --quiet --format json $zone >/dev/null; t1=$(date +%s.%N)
	$clean
	$ingest >/dev/null; t2=$(date +%s.%N)
	zs=$(python3 -c "print('%.2f' % ($t1 - $t0))"); ig=$(python3 -c "print('%.2f' % ($t2 - $t1))")
	pairs="$pairs $ig/$zs"
	ratios+=("$(python3 -c "print('%.3f' % ($ig / $zs))")")
done
mid=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')
{
	echo
	echo "- alternating, ingest/zone-stats s:$pairs; ratio median ${mid}x"
	echo "- listed and delegated: $ours (ssrwatch) = $theirs (pipeline)"
	echo "- join overhead (ingest / zone-stats - 1): $(python3 -c "print('%+.0f%%' % (100 * (${wall[ingest]} / ${wall[zone-stats]} - 1)))")"
	echo "- pipeline / ingest: $(python3 -c "print('%.2fx' % (${wall[pipeline]} / ${wall[ingest]}))")"
	echo "- peak RSS of ingest, same feed: $((N / 4)) delegations ${small_rss} MB, $N delegations ${mem[ingest]} MB"
	echo "- ingest phases (ssrwatch -v, one run):"
	$clean
	$S -v abuse ingest --store $st --date $date --allow-date-mismatch --zone $zone --feed phishing:bench:$feed 2>&1 >/dev/null |
		sed -n 's/^ssrwatch: info: ingest \(.*\)/  - \1/p'
} >> "$report"
$clean
rm -f "$OUT/p.feed" "$OUT/p.zone" "$OUT/h.json" "$OUT/pipeline.sh"
cat "$report"
