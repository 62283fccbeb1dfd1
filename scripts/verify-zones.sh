#!/usr/bin/env bash
# Make the zones of the zone verify test (tests/data/verify/): example., NSEC, signed with
# ldns-signzone (RSA/SHA-256 KSK and ZSK, valid 2025-01-01 to 2036-12-31) with ZONEMD SHA-384
# and SHA-512, and copies with one planted fault each.  The output is committed; run this only
# to change them.
#   good.zone          no fault
#   badsig.zone        the signature of a DS changed
#   expired.zone       one RRSIG (of a DS) from a signing that expired in 2020
#   unsigned.zone      the RRSIG of an A record removed
#   chain.zone         one name's NSEC and its RRSIG removed (the chain breaks)
#   zonemd.zone        a glue address changed (unsigned data: only ZONEMD sees it)
#   nsec3.zone         the same zone with NSEC3 (no iterations, no salt: RFC 9276), no fault
#   nsec3-optout.zone  NSEC3 with opt-out (insecure delegations without an NSEC3)
#   nsec3-chain.zone   one NSEC3 and its RRSIG removed (a name without NSEC3, the chain breaks)
set -euo pipefail
OUT=$(cd "$(dirname "$0")/.." && pwd)/tests/data/verify
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
ksk=$(ldns-keygen -a RSASHA256 -b 2048 -k example.)
zsk=$(ldns-keygen -a RSASHA256 -b 1024 example.)
{
	printf 'example. 3600 IN SOA ns1.example. hostmaster.example. 2026120601 3600 900 604800 300\n'
	printf 'example. 3600 IN NS ns1.example.\nexample. 3600 IN NS ns2.example.\n'
	printf 'ns1.example. 3600 IN A 192.0.2.1\nns2.example. 3600 IN A 192.0.2.2\n'
	printf 'www.example. 3600 IN A 192.0.2.10\nwww.example. 3600 IN AAAA 2001:db8::10\n'
	for i in $(seq 1 20); do
		printf 'd%02d.example. 3600 IN NS ns.d%02d.example.\n' "$i" "$i"
		printf 'ns.d%02d.example. 3600 IN A 198.51.100.%d\n' "$i" "$i"
		[ $((i % 2)) -eq 0 ] && printf 'd%02d.example. 3600 IN DS %d 8 2 %064X\n' "$i" $((i * 111)) $((i * 7919))
	done
	true
} >src.zone
ldns-signzone -i 20250101000000 -e 20361231000000 -z 1:1 -z 1:2 -o example. -f good.zone src.zone "$zsk" "$ksk" >/dev/null
ldns-signzone -i 20190101000000 -e 20200101000000 -o example. -f old.zone src.zone "$zsk" "$ksk" >/dev/null
# badsig: the first DS signature's last base64 character changed
awk 'BEGIN{d=0} !d && $4=="RRSIG" && $5=="DS" {s=$NF; c=substr(s,length(s)-2,1); $NF=substr(s,1,length(s)-3) (c=="A"?"B":"A") substr(s,length(s)-1); d=1} {print}' good.zone >badsig.zone
# expired: the RRSIG of d02.example. DS from the old signing instead
old=$(awk '$1=="d02.example." && $4=="RRSIG" && $5=="DS"' old.zone)
awk -v old="$old" '$1=="d02.example." && $4=="RRSIG" && $5=="DS" {print old; next} {print}' good.zone >expired.zone
# unsigned: the RRSIG over www.example. A removed
awk '!($1=="www.example." && $4=="RRSIG" && $5=="A")' good.zone >unsigned.zone
# chain: d05.example.'s NSEC and its RRSIG removed
awk '!($1=="d05.example." && ($4=="NSEC" || ($4=="RRSIG" && $5=="NSEC")))' good.zone >chain.zone
# zonemd: a glue address changed
sed 's/^\(ns\.d03\.example\.[[:space:]].*A[[:space:]]*\)198\.51\.100\.3$/\1198.51.100.99/' good.zone >zonemd.zone
ldns-signzone -n -t 0 -i 20250101000000 -e 20361231000000 -z 1:1 -o example. -f nsec3.zone src.zone "$zsk" "$ksk" >/dev/null
ldns-signzone -n -t 0 -p -i 20250101000000 -e 20361231000000 -o example. -f nsec3-optout.zone src.zone "$zsk" "$ksk" >/dev/null
# the NSEC3 of www.example. (its hash: the owner whose bitmap has A and AAAA) removed
h=$(awk '$4=="NSEC3" && / A AAAA RRSIG/ {print $1; exit}' nsec3.zone)
[ -n "$h" ] || { echo "verify-zones: no NSEC3 of www" >&2; exit 1; }
awk -v h="$h" '!($1==h && ($4=="NSEC3" || ($4=="RRSIG" && $5=="NSEC3")))' nsec3.zone >nsec3-chain.zone
for f in badsig expired unsigned chain zonemd nsec3-chain; do
	cmp -s good.zone $f.zone && { echo "verify-zones: $f: nothing changed" >&2; exit 1; }
done
mkdir -p "$OUT"
cp good.zone badsig.zone expired.zone unsigned.zone chain.zone zonemd.zone nsec3.zone \
	nsec3-optout.zone nsec3-chain.zone "$OUT/"
echo "wrote $OUT"
