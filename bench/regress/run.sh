#!/usr/bin/env bash
# bench/regress: how long the whole shipped regression suite takes against the eight
# implementations from Debian that ssrwatch starts itself on loopback (the issue's budget: under
# 10 minutes on 2 cores): the authoritative EDNS and DNSSEC suites (the latter on the NSEC and
# the NSEC3 conformance zone) against Knot DNS, NSD, BIND and PowerDNS, then the resolver,
# KSK rollover, algorithm rollover and serve-stale suites against Unbound, Knot Resolver, BIND
# and PowerDNS Recursor (the mock hierarchy on 127.53.0.0/24 port 53: run as root).  Each run
# includes starting and stopping the implementations.  Results: bench/out/regress-<date>.md.
#
#   bash bench/regress/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${SSR_BUILD:-build}
S=$B/ssrwatch
OUT=bench/out
mkdir -p "$OUT"
[ -x "$S" ] || { echo "build first: make build" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "the resolver suites need port 53 on loopback: run as root" >&2; exit 1; }
R=$OUT/regress-$(date -u +%Y-%m-%d).md
now() { date +%s.%N; }
run() { # run LABEL ARGS...: seconds, cases, passed
	local label=$1 t0 t1 rc=0
	shift
	t0=$(now)
	"$S" regress run "$@" --format json --output "$OUT/.regress.json" || rc=$?
	t1=$(now)
	[ "$rc" -le 1 ] || { echo "bench/regress: $label failed (exit $rc)" >&2; exit 1; }
	python3 - "$label" "$t0" "$t1" "$OUT/.regress.json" <<'PY'
import json, sys
label, t0, t1, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
d = json.load(open(path))
print("| %s | %d | %d | %.1f |" % (label, len(d), sum(r["result"] == "pass" for r in d), t1 - t0))
PY
}
{
	echo "# bench/regress $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores"
	echo
	echo "| suite and implementations | results | passed | seconds |"
	echo "|---|---|---|---|"
	T0=$(now)
	Z=data/regress/zones
	run "edns: knot, nsd, bind, pdns" --zone example --impl knot,nsd,bind,pdns
	run "dnssec (NSEC): knot, nsd, bind, pdns" --zone example --suite dnssec --zone-file $Z/conformance.zone --impl knot,nsd,bind,pdns
	run "dnssec (NSEC3): knot, nsd, bind, pdns" --zone example --suite dnssec --zone-file $Z/conformance-nsec3.zone --impl knot,nsd,bind,pdns
	R4=unbound,kresd,bind,pdns-recursor
	run "resolver: unbound, kresd, bind, pdns-recursor" --impl $R4
	run "ksk-rollover: the four resolvers" --impl $R4 --suite ksk-rollover
	run "algorithm-rollover: the four resolvers" --impl $R4 --suite algorithm-rollover
	run "serve-stale: the four resolvers" --impl $R4 --suite serve-stale
	T1=$(now)
	python3 -c "import sys; print(); print('whole shipped suite: %.1f s' % (float(sys.argv[2]) - float(sys.argv[1])))" "$T0" "$T1"
} | tee "$R"
rm -f "$OUT/.regress.json"
