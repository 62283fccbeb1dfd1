#!/usr/bin/env bash
# bench/names: `ssrwatch names scan` on a generated zone with planted look-alikes, against the
# issue's target (10M delegations x 10k brands in < 60 s on one core, memory independent of
# the zone size), and against dnstwist (Debian package) on the same brands.
#
#   bash bench/names/run.sh [DELEGATIONS [BRANDS...]]        default 10000000 1000 10000
#
# For each brand count: gen names (brands, zone, truth), names scan timed with /usr/bin/time
# (wall, peak RSS), the truth comparison (every planted look-alike with its kind, no innocent),
# and the same scan on a zone a tenth of the size (peak RSS must not follow the zone).
# dnstwist: its Fuzzer (no DNS) on a sample of the brands, timed, extrapolated to all brands
# (dnstwist checks one brand at a time: the work is linear in brands), and recall of
# `names check` on its permutations (bench/names/dnstwist_recall.py).
# Results: bench/out/names-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10000000}
shift || true
BRANDS=("$@")
[ ${#BRANDS[@]} -gt 0 ] || BRANDS=(1000 10000)
B=build
S=$B/ssrwatch
OUT=bench/out
mkdir -p "$OUT"
[ -x $S ] || { echo "build first: make build" >&2; exit 1; }
command -v dnstwist >/dev/null || { echo "dnstwist missing: bash scripts/deps.sh" >&2; exit 1; }
T=${NAMES_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$T"
trap '[ -z "${NAMES_BENCH_DIR:-}" ] && rm -rf "$T"' EXIT
REP=$OUT/names-$(date +%F).md
{
	echo "# bench/names $(date +%F): $N delegations"
	echo
	echo "| brands | zone MB | gen s | scan wall s | scan user s | peak RSS MB | RSS at N/10 MB | delegations/s | look-alikes | truth |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
} >"$REP"
for nb in "${BRANDS[@]}"; do
	d=$T/w-$nb
	gen=cached
	if [ ! -f "$d/zone.txt" ]; then
		t0=$(date +%s.%N)
		$S gen names --dir "$d" --brands "$nb" --delegations "$N" --seed 1
		gen=$(printf '%.0f' "$(echo "$(date +%s.%N) - $t0" | bc)")
	fi
	/usr/bin/time -f "%e %U %M" -o "$T/time" taskset -c 0 $S names scan --brands "$d/brands.txt" \
		--format csv --output "$T/scan.csv" "$d/zone.txt" 2>"$T/err"
	read -r wall user rss <"$T/time"
	if python3 tests/integration/names/truth_compare.py "$d/truth.csv" "$T/scan.csv" >"$T/cmp"; then truth="all found, no innocent"; else truth="FAILED: $(head -1 "$T/cmp")"; fi
	head -n $((N / 10 + 3)) "$d/zone.txt" >"$T/tenth.zone"
	/usr/bin/time -f "%M" -o "$T/time10" $S names scan --quiet --brands "$d/brands.txt" --format csv \
		--output /dev/null "$T/tenth.zone"
	rss10=$(cat "$T/time10")
	dele=$(grep -oE '[0-9]+ delegations' "$T/err" | head -1 | cut -d' ' -f1)
	found=$(($(wc -l <"$T/scan.csv") - 1))
	mb=$(du -m "$d/zone.txt" | cut -f1)
	printf '| %s | %s | %s | %s | %s | %.0f | %.0f | %.0f | %s | %s |\n' "$nb" "$mb" \
		"$gen" "$wall" "$user" "$(echo "$rss / 1024" | bc -l)" \
		"$(echo "$rss10 / 1024" | bc -l)" "$(echo "$dele / $wall" | bc -l)" "$found" "$truth" >>"$REP"
	cat "$T/cmp"
done
# the phishing-shaped host corpus (issue 25): names check over every shape, innocents and benign
# dictionary compounds, timed on one core; per-shape recall and the false-positive rate
HP=${HOSTS_PER_SHAPE:-500}
HB=${HOSTS_BENIGN:-1000000}
$S gen names --hosts --dir "$T/hosts" --per-shape "$HP" --benign "$HB" --seed 1
/usr/bin/time -f "%e %U %M" -o "$T/htime" taskset -c 0 $S names check --quiet \
	--brands "$T/hosts/brands.txt" --format csv --output "$T/hosts/out.csv" - <"$T/hosts/hosts.txt"
read -r hwall huser hrss <"$T/htime"
{
	echo
	echo "## Host names as phishing names them (gen names --hosts, $HP per shape, $HB benign)"
	echo
	printf 'names check: %s names in %s s wall (%s s user, one core), peak RSS %.0f MB\n\n' \
		"$(wc -l <"$T/hosts/hosts.txt")" "$hwall" "$huser" "$(echo "$hrss / 1024" | bc -l)"
	python3 tests/integration/names/hosts_compare.py "$T/hosts/truth.csv" "$T/hosts/out.csv" \
		--max-fp 1 --markdown || true
} >>"$REP"
# dnstwist: permutation generation per brand, on a sample of the last brand file
nb=${BRANDS[-1]}
SAMPLE=${DNSTWIST_SAMPLE:-50}
head -n $((SAMPLE + 1)) "$T/w-$nb/brands.txt" | grep -v '^#' | sed 's/$//' |
	awk -F. '{ print ($2 == "" ? $1 ".com" : $0) }' >"$T/sample.txt"
dt=$(python3 - "$T/sample.txt" <<'PY'
import sys, time
sys.path.insert(0, "/usr/lib/python3/dist-packages")
import dnstwist
names = [l.strip() for l in open(sys.argv[1]) if l.strip()]
t = time.perf_counter()
n = 0
for d in names:
    f = dnstwist.Fuzzer(d)
    f.generate()
    n += len(f.domains)
print(f"{time.perf_counter() - t:.3f} {len(names)} {n}")
PY
)
read -r dsecs dn dperms <<<"$dt"
{
	echo
	echo "dnstwist $(dpkg-query -W -f='${Version}' dnstwist) Fuzzer.generate() (no DNS) on $dn brands: ${dsecs} s, $dperms permutations;"
	printf 'extrapolated to %s brands: %.0f s to generate %.0f permutations, before any lookup against the zone.\n' \
		"$nb" "$(echo "$dsecs * $nb / $dn" | bc -l)" "$(echo "$dperms * $nb / $dn" | bc -l)"
	echo
	echo "## Recall on dnstwist's permutations"
	echo
	echo '```'
} >>"$REP"
python3 bench/names/dnstwist_recall.py $S "$OUT/names-recall.json" paypal.com google.com amazon.com \
	microsoft.com apple.com facebook.com netflix.com instagram.com linkedin.com wellsfargo.com \
	$(head -n 11 "$T/sample.txt") >>"$REP"
echo '```' >>"$REP"
cat "$REP"
