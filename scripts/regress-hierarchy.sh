#!/usr/bin/env bash
# Make the mock DNS hierarchy of the resolver suite (data/regress/hierarchy/): a root and ten
# TLDs on 127.53.0.1-10, signed with ECDSA P-256 (algorithm 13) by BIND's dnssec-keygen and
# dnssec-signzone (bind9-utils), signatures valid 2025-01-01 to 2036-12-31 (expired.: 2020).
# The output is committed; run this only to change the hierarchy.  Every address is loopback.
#   secure.      signed, DS in the root          insecure.    unsigned, no DS
#   expired.     signatures expired in 2020      wrongds.     the root's DS matches no key
#   nokey.       signed, DNSKEY RRset removed    unknownalg.  DS of algorithm 253 (unsupported)
#   tc.          its server truncates over UDP   dead.        its server never answers
#   qmin.        a deep name (QNAME minimisation)
set -euo pipefail
OUT=$(cd "$(dirname "$0")/.." && pwd)/data/regress/hierarchy
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
VALID=(-s 20250101000000 -e 20361231000000)
soa() { printf '$TTL 3600\n%s SOA ns.%s hostmaster.%s 2026120601 3600 900 604800 300\n%s NS ns.%s\nns.%s A 127.53.0.%s\n' "$1" "$1" "$1" "$1" "$1" "$1" "$2"; }
# zone N body...: the unsigned zone file
zone() {
	local z=$1 n=$2
	shift 2
	{ soa "$z" "$n"; printf '%s\n' "$@"; } >"$z.src"
}
# sign ZONE [signzone options]: a CSK, NSEC, one record per line; its DS into ZONE.ds
sign() {
	local z=$1
	shift
	local k
	k=$(dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -n ZONE "$z")
	mkdir -p "k$z" && mv "$k".* "k$z/"
	dnssec-signzone -q -P -S -K "k$z" -z -O full -o "$z" -f "$z.signed" "$@" "$z.src" >/dev/null
	k="k$z/$k"
	dnssec-dsfromkey -a SHA-256 "$k.key" | awk '{d=""; for (i = 7; i <= NF; i++) d = d $i; print $1, "3600", "IN", "DS", $4, $5, $6, d}' >"$z.ds"
}
zone secure. 2 'www A 192.0.2.1' 'www AAAA 2001:db8::1' 'c1 CNAME c2.insecure.' \
	'*.wild TXT "wildcard"' 'nodata TXT "only TXT here"'
zone insecure. 3 'www A 192.0.2.2' 'c2 CNAME www.secure.'
zone expired. 4 'www A 192.0.2.3' 'cd A 192.0.2.3'
zone wrongds. 5 'www A 192.0.2.4'
zone nokey. 6 'www A 192.0.2.5'
zone unknownalg. 7 'www A 192.0.2.6'
zone tc. 8 'www A 192.0.2.7' 'www TXT "truncated over UDP by its server"'
zone dead. 9 'www A 192.0.2.8'
zone qmin. 10 'a.b.c.d A 192.0.2.9'
sign secure. "${VALID[@]}"
sign expired. -s 20200101000000 -e 20200201000000
sign wrongds. "${VALID[@]}"
sign nokey. "${VALID[@]}"
# the DS of wrongds. points at no key: its digest's last hex digit changed
awk '{d=$NF; c=substr(d,length(d)); $NF=substr(d,1,length(d)-1) (c=="0"?"1":"0"); print}' wrongds..ds >w && mv w wrongds..ds
# nokey.: the DNSKEY RRset and its signature taken out
awk '!($4 == "DNSKEY" || ($4 == "RRSIG" && $5 == "DNSKEY"))' nokey..signed >n && mv n nokey..signed
{
	printf '$TTL 86400\n. SOA a.root.mock. hostmaster.root.mock. 2026120601 1800 900 604800 86400\n'
	printf '. NS a.root.mock.\na.root.mock. A 127.53.0.1\n'
	n=2
	for z in secure insecure expired wrongds nokey unknownalg tc dead qmin; do
		printf '%s. NS ns.%s.\nns.%s. A 127.53.0.%s\n' "$z" "$z" "$z" "$n"
		n=$((n + 1))
	done
	cat secure..ds expired..ds wrongds..ds nokey..ds
	# an algorithm no validator implements (253, PRIVATEDNS): the delegation is insecure
	printf 'unknownalg. 3600 IN DS 12345 253 2 %s\n' "$(printf 'ssrwatch' | sha256sum | cut -c1-64)"
} >..src
sign . "${VALID[@]}"
awk '{print $5, $6, $7, $8}' ..ds >"$OUT/root.ds"
cp ..signed "$OUT/root.zone"
for z in secure expired wrongds nokey; do cp "$z..signed" "$OUT/$z.zone"; done
for z in insecure unknownalg tc dead qmin; do cp "$z..src" "$OUT/$z.zone"; done
echo "hierarchy written to $OUT"

# The root KSK rollover (RFC 5011) of the rollover suite (data/regress/rollover/): a root with
# KSK1, KSK2 and a ZSK, one zone file per step of the timeline; secure. as above.
#   root-0: DNSKEY {KSK1, ZSK}, the DNSKEY RRset signed by KSK1 (the trust anchor)
#   root-1: KSK2 published {KSK1, KSK2, ZSK}, signed by KSK1
#   root-2: KSK2 signs, KSK1 revoked {KSK1+REVOKE, KSK2, ZSK}, signed by both
#   root-3: KSK1 removed {KSK2, ZSK}, signed by KSK2
ROLL=$(dirname "$OUT")/rollover
SUITE=$(dirname "$OUT")/ksk-rollover.yaml
old_tags=$(cat "$ROLL/key-tags" 2>/dev/null || true)
mkdir -p "$ROLL" kroll
cd kroll
ksk1=$(dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -n ZONE .)
ksk2=$(dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -n ZONE .)
zsk=$(dnssec-keygen -q -a ECDSAP256SHA256 -n ZONE .)
cp "$ksk1.key" "$ksk1.private" ../ # the unrevoked KSK1 for root-0 and root-1
ksk1r=$(dnssec-revoke -r "$ksk1" 2>/dev/null | sed 's/\.key$//; s/.*\///')
ksk1r=$(basename "$ksk1r")
cd ..
tag() { echo "$1" | sed 's/.*+//; s/^0*//'; }
# secure. of the rollover: the RFC 8509 sentinel names as A records of their own (the sentinel
# applies to A and AAAA only; a wildcard would let a resolver synthesise them from its cache)
mkdir rsec
cd rsec
{
	cat ../secure..src
	printf 'root-key-sentinel-is-ta-%s A 192.0.2.11\n' "$(tag "$ksk2")"
	printf 'root-key-sentinel-is-ta-%s A 192.0.2.12\n' "$(tag "$ksk1")"
	printf 'root-key-sentinel-not-ta-%s A 192.0.2.13\n' "$(tag "$ksk1")"
} >secure..src
sign secure. "${VALID[@]}"
cd ..
rootsrc() { # rootsrc KEY...: the root zone with these DNSKEYs
	printf '$TTL 86400\n. SOA a.root.mock. hostmaster.root.mock. 2026120601 1800 900 604800 86400\n'
	printf '. NS a.root.mock.\na.root.mock. A 127.53.0.1\n'
	printf 'secure. NS ns.secure.\nns.secure. A 127.53.0.2\n'
	cat rsec/secure..ds
	for k in "$@"; do grep -v '^;' "$k.key" | sed 's/^\. /. 3600 /'; done
}
rsign() { # rsign N KSK... : root-N.zone signed by the KSKs (and the ZSK)
	local n=$1 args=()
	shift
	for k in "$@"; do args+=(-k "$k"); done
	dnssec-signzone -q -P -O full -o . "${VALID[@]}" "${args[@]}" -f "$ROLL/root-$n.zone" root-$n.src "kroll/$zsk" >/dev/null
	sed -i '/^; File written on/d' "$ROLL/root-$n.zone"
}
cp "$ksk1.key" "$ksk1.private" kroll/ 2>/dev/null || true
rootsrc "kroll/$ksk1" "kroll/$zsk" >root-0.src && rsign 0 "kroll/$ksk1"
rootsrc "kroll/$ksk1" "kroll/$ksk2" "kroll/$zsk" >root-1.src && rsign 1 "kroll/$ksk1"
rootsrc "kroll/$ksk1r" "kroll/$ksk2" "kroll/$zsk" >root-2.src && rsign 2 "kroll/$ksk1r" "kroll/$ksk2"
rootsrc "kroll/$ksk2" "kroll/$zsk" >root-3.src && rsign 3 "kroll/$ksk2"
dnssec-dsfromkey -a SHA-256 "kroll/$ksk1.key" | awk '{d=""; for (i = 7; i <= NF; i++) d = d $i; print $4, $5, $6, d}' >"$ROLL/root.ds"
grep -v '^;' "kroll/$ksk1.key" | awk '{k=""; for (i = 7; i <= NF; i++) k = k $i; print $4, $5, $6, k}' >"$ROLL/root.dnskey"
for k in "$ksk1" "$ksk2" "$ksk1r"; do tag "$k"; done >"$ROLL/key-tags"
cp rsec/secure..signed "$ROLL/secure.zone"
# the suite names the key tags: the new ones replace the old
if [ -n "$old_tags" ]; then
	set -- $old_tags
	o1=$1 o2=$2 o3=$3
	set -- $(cat "$ROLL/key-tags")
	sed -i "s/\b$o1\b/K1TAG/g; s/\b$o2\b/K2TAG/g; s/\b$o3\b/K1RTAG/g" "$SUITE"
	sed -i "s/K1RTAG/$3/g; s/K1TAG/$1/g; s/K2TAG/$2/g" "$SUITE"
fi
echo "rollover written to $ROLL"

# The root algorithm rollover (RSASHA256 to ECDSAP256SHA256; RFC 6781 4.1.4 with RFC 5011 for
# the trust anchor): rollover/alg-N.zone, one per step; secure. as in the KSK rollover.
#   alg-0: {KSK8, ZSK8}, signed with algorithm 8 (KSK8 is the trust anchor)
#   alg-1: {KSK8, ZSK8, KSK13, ZSK13}, every RRset signed with both algorithms
#   alg-2: KSK8 revoked {KSK8+REVOKE, ZSK8, KSK13, ZSK13}, both algorithms
#   alg-3: {KSK13, ZSK13}, algorithm 13 only
mkdir kalg
cd kalg
k8=$(dnssec-keygen -q -a RSASHA256 -b 2048 -f KSK -n ZONE .)
z8=$(dnssec-keygen -q -a RSASHA256 -b 2048 -n ZONE .)
k13=$(dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -n ZONE .)
z13=$(dnssec-keygen -q -a ECDSAP256SHA256 -n ZONE .)
mkdir unrevoked && cp "$k8".* unrevoked/
k8r=$(basename "$(dnssec-revoke -r "$k8" 2>/dev/null | sed 's/\.key$//')")
cp unrevoked/* .
cd ..
asign() { # asign N "KSK..." ZSK...: alg-N.zone with these keys' DNSKEYs, signed by all of them
	local n=$1 ksks=$2 args=() keys=()
	shift 2
	for k in $ksks; do args+=(-k "kalg/$k"); keys+=("kalg/$k"); done
	for z in "$@"; do keys+=("kalg/$z"); done
	rootsrc "${keys[@]}" >alg-$n.src
	local zs=()
	for z in "$@"; do zs+=("kalg/$z"); done
	dnssec-signzone -q -P -O full -o . "${VALID[@]}" "${args[@]}" -f "$ROLL/alg-$n.zone" alg-$n.src "${zs[@]}" >/dev/null
	sed -i '/^; File written on/d' "$ROLL/alg-$n.zone"
}
asign 0 "$k8" "$z8"
asign 1 "$k8 $k13" "$z8" "$z13"
asign 2 "$k8r $k13" "$z8" "$z13"
asign 3 "$k13" "$z13"
dnssec-dsfromkey -a SHA-256 "kalg/$k8.key" | awk '{d=""; for (i = 7; i <= NF; i++) d = d $i; print $4, $5, $6, d}' >"$ROLL/alg.ds"
grep -v '^;' "kalg/$k8.key" | awk '{k=""; for (i = 7; i <= NF; i++) k = k $i; print $4, $5, $6, k}' >"$ROLL/alg.dnskey"
echo "algorithm rollover written to $ROLL"

# The conformance zone of the authoritative DNSSEC suite (data/regress/zones/): example., one
# signed with NSEC and one with NSEC3 (SHA-1, 0 iterations, no salt: RFC 9276), each with a
# wildcard, a CNAME, a DNAME, an insecure delegation and a signed one, with glue.
ZONES=$(dirname "$OUT")/zones
mkdir -p "$ZONES" conf
cd conf
{
	printf '$TTL 3600\n@ SOA ns1 hostmaster 2026120601 3600 900 604800 300\n@ NS ns1\n'
	printf 'ns1 A 127.0.0.1\nwww A 192.0.2.1\nwww AAAA 2001:db8::1\ntxt TXT "ssrwatch conformance zone"\n'
	printf '*.wild TXT "wildcard"\ncname CNAME www\ndname DNAME example.net.\n'
	printf 'sub NS ns.sub\nns.sub A 192.0.2.53\nsecsub NS ns.secsub\nns.secsub A 192.0.2.54\n'
	printf 'secsub DS 12345 13 2 %s\n' "$(printf 'secsub' | sha256sum | cut -c1-64)"
} >example.src
kc=$(dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -n ZONE example.)
dnssec-signzone -q -P -S -K . -z -O full -o example. "${VALID[@]}" -f "$ZONES/conformance.zone" example.src >/dev/null
dnssec-signzone -q -P -S -K . -z -O full -o example. -3 - -H 0 "${VALID[@]}" -f "$ZONES/conformance-nsec3.zone" example.src >/dev/null
sed -i '/^; File written on/d' "$ZONES/conformance.zone" "$ZONES/conformance-nsec3.zone"
cd ..
echo "conformance zones written to $ZONES"
