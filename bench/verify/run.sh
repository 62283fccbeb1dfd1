#!/usr/bin/env bash
# bench/verify: `ssrwatch zone verify` against Debian's ldns-verify-zone (ldnsutils) and BIND's
# dnssec-verify (bind9-utils) on the same generated zones signed by ldns-signzone with NSEC3
# (no iterations, no salt) and ZONEMD, each run pinned to 2 cores: an ECDSA P-256 zone and an
# RSA/SHA-256 zone (the algorithm of .com).  ssrwatch runs twice: with its ECDSA fast path
# (OpenSSL) and with libdnssec for every signature (SSRWATCH_CRYPTO=libdnssec, the reference).  Every verifier must call the zone valid.
# (kzonecheck, named in the issue, is not in Debian 12's knot packages.)  Sizes: VERIFY_ECDSA
# and VERIFY_RSA delegations (default 100000 and 30000; signing them takes ~15 s and ~20 s).
# Results: bench/out/verify-<date>.md.
#
#   bash bench/verify/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${SSR_BUILD:-build}
S=$(pwd)/$B/ssrwatch
OUT=bench/out
mkdir -p "$OUT"
[ -x "$S" ] || { echo "build first: make build" >&2; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
R=$OUT/verify-$(date -u +%Y-%m-%d).md
# zone NAME DELEGATIONS ALG KSK-BITS ZSK-BITS: a signed zone in $W/NAME.zone
zone() {
	"$S" gen zone --origin example --delegations "$2" --seed 1 --plain --output "$W/$1.src"
	(cd "$W" && k=$(ldns-keygen -a "$3" ${4:+-b $4} -k example.) && z=$(ldns-keygen -a "$3" ${5:+-b $5} example.) &&
		ldns-signzone -n -t 0 -i 20250101000000 -e 20361231000000 -z 1:1 -o example. -f "$1.zone" "$1.src" "$z" "$k" >/dev/null)
}
# run LABEL CMD...: seconds and peak MiB; the command must succeed (the zone valid)
run() {
	local label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/time" taskset -c 0,1 "$@" >/dev/null 2>"$W/err" ||
		{ echo "bench/verify: $label failed: $(tail -3 "$W/err")" >&2; exit 1; }
	read -r s k <"$W/time"
	echo "| $label | $s | $((k / 1024)) |"
}
ECDSA=${VERIFY_ECDSA:-100000}
RSA=${VERIFY_RSA:-30000}
zone ecdsa "$ECDSA" ECDSAP256SHA256
zone rsa "$RSA" RSASHA256 2048 1280
{
	echo "# bench/verify $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores (runs pinned to 2)"
	for z in ecdsa rsa; do
		n=$(grep -c . "$W/$z.zone")
		echo
		echo "$z zone: $n records ($( [ $z = ecdsa ] && echo "$ECDSA" || echo "$RSA") delegations, NSEC3, ZONEMD)"
		echo
		echo "| verifier | seconds | peak MiB |"
		echo "|---|---|---|"
		run "ssrwatch zone verify" "$S" zone verify --origin example. --max-records 100000000 "$W/$z.zone"
		run "ssrwatch zone verify (libdnssec only)" env SSRWATCH_CRYPTO=libdnssec "$S" zone verify \
			--origin example. --max-records 100000000 "$W/$z.zone"
		run "ldns-verify-zone" ldns-verify-zone "$W/$z.zone"
		run "dnssec-verify (BIND)" dnssec-verify -o example. "$W/$z.zone"
	done
} | tee "$R"
echo "bench/verify: $R"
