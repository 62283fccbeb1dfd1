#!/usr/bin/env bash
# Make the root zones of the simulated root server system (data/rss/sim/): three versions of a
# small signed root zone (serials 2026110100, 2026110101, 2026110200), each with a ZONEMD
# (RFC 8976, SHA-384), signed like the real root (RSA/SHA-256: a 2048-bit KSK, a 1024-bit ZSK,
# NSEC) by ldns-keygen and ldns-signzone (ldnsutils), valid 2025-01-01 to 2036-12-31; the KSK's
# DS as the trust anchor; the sim's RSI list; and two zones that must be refused (a broken
# signature, a wrong ZONEMD).  The output is committed; run this only to change the zones.  All
# RSI addresses are loopback.
set -euo pipefail
OUT=$(cd "$(dirname "$0")/.." && pwd)/data/rss/sim
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
LETTERS=(a b c d e f g h i j k l m)
TLDS=(com net org arpa de uk jp br fr nl se ch au ca it es pl ru cn in za ng ke mx ar cl
	info biz xyz app dev io co tv me eu asia museum aero coop)
ksk=$(ldns-keygen -a RSASHA256 -b 2048 -k .)
zsk=$(ldns-keygen -a RSASHA256 -b 1024 .)
rm -f ./*.ds
# zone SERIAL EXTRA...: the unsigned zone
zone() {
	local serial=$1
	shift
	printf '. 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. %s 1800 900 604800 86400\n' "$serial"
	for i in "${!LETTERS[@]}"; do
		l=${LETTERS[$i]}
		printf '. 518400 IN NS %s.root-servers.net.\n' "$l"
		printf '%s.root-servers.net. 518400 IN A 127.12.0.%d\n' "$l" $((i + 1))
		printf '%s.root-servers.net. 518400 IN AAAA ::1\n' "$l"
	done
	n=0
	for t in "${TLDS[@]}"; do
		n=$((n + 1))
		if [ "$t" = arpa ]; then
			for l in "${LETTERS[@]}"; do printf 'arpa. 172800 IN NS %s.root-servers.net.\n' "$l"; done
			printf 'arpa. 86400 IN DS 42581 8 2 %064X\n' 4242
			continue
		fi
		for k in 1 2 3; do
			printf '%s. 172800 IN NS ns%d.nic.%s.\n' "$t" "$k" "$t"
			printf 'ns%d.nic.%s. 172800 IN A 192.0.2.%d\n' "$k" "$t" $(((n * 3 + k) % 250 + 1))
			printf 'ns%d.nic.%s. 172800 IN AAAA 2001:db8::%x:%d\n' "$k" "$t" "$n" "$k"
		done
		# two TLDs in three unsigned (no DS), like the early root
		if [ $((n % 3)) -ne 0 ]; then
			printf '%s. 86400 IN DS %d 8 2 %064X\n' "$t" $((n * 1000 + 7)) $((n * 7919))
		fi
	done
	printf '%s\n' "$@"
}
sign() {
	ldns-signzone -i 20250101000000 -e 20361231000000 -z 1:1 -o . -f "$2" "$1" "$zsk" "$ksk" >/dev/null
}
zone 2026110100 >v1.src
zone 2026110101 'new. 172800 IN NS ns1.nic.new.' 'ns1.nic.new. 172800 IN A 192.0.2.200' >v2.src
zone 2026110200 'new. 172800 IN NS ns1.nic.new.' 'ns1.nic.new. 172800 IN A 192.0.2.200' \
	'new. 86400 IN DS 60485 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF' >v3.src
sign v1.src root-2026110100.zone
sign v2.src root-2026110101.zone
sign v3.src root-2026110200.zone
ldns-key2ds -n -2 "$ksk.key" | awk '{print $5, $6, $7, $8}' >root.ds
# bad zones: a signature byte changed; a glue address changed after signing (ZONEMD wrong)
awk 'BEGIN{d=0} !d && $4=="RRSIG" && $5=="SOA" {s=$NF; c=substr(s,1,1); $NF=(c=="A"?"B":"A") substr(s,2); d=1} {print}' \
	root-2026110100.zone >bad-signature.zone
sed 's/^\(ns1\.nic\.com\.[[:space:]].*A[[:space:]]*\)192\.0\.2\.[0-9]*$/\1198.51.100.1/' root-2026110100.zone >bad-zonemd.zone
cmp -s root-2026110100.zone bad-zonemd.zone && { echo "bad-zonemd: nothing changed" >&2; exit 1; }
{
	echo "# the simulated root server system: 13 RSIs on loopback (IPv4 127.12.0.N:5300, IPv6 [::1]:53NN)"
	for i in "${!LETTERS[@]}"; do
		printf '%s 127.12.0.%d:5300 [::1]:%d\n' "${LETTERS[$i]}" $((i + 1)) $((5301 + i))
	done
} >rsi.list
mkdir -p "$OUT"
cp root-2026110100.zone root-2026110101.zone root-2026110200.zone root.ds rsi.list \
	bad-signature.zone bad-zonemd.zone "$OUT/"
echo "wrote $OUT"
