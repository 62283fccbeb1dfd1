#!/usr/bin/env bash
# Integration: zone verify on zones signed by ldns-signzone with one planted fault each
# (scripts/verify-zones.sh): exactly the planted problems are found, and Debian's
# ldns-verify-zone agrees on which zones are valid.
. "$(dirname "$0")/lib.sh"
S=$SSRWATCH
V=$SSR_TEST_DATA/verify
NOW=2026-12-06T00:00:00Z
verify() { "$S" zone verify --origin example. --now "$NOW" "$@"; }
zm='example. ZONEMD error: ZONEMD SHA-(384|512) digest does not match the zone'
# good: valid, both ZONEMD digests (SHA-384, SHA-512) match, the whole NSEC chain checked
expect_rc 0 verify --format json "$V/good.zone"
expect_eq "$(json_get "$T/out" 'd["valid"], d["zonemd"]["checked"], d["zonemd"]["valid"], d["dnssec"]["chain_checked"], d["dnssec"]["signatures_checked"] == d["dnssec"]["signatures_valid"], d["dnssec"]["problems"]')" "(True, 2, True, True, True, [])" "good zone"
# each fault, and nothing else (ZONEMD covers every record, so every change also breaks it)
check() { # check ZONE 'planted problem line' EXPECTED-PROBLEMS
	expect_rc 1 verify "$V/$1.zone"
	expect_grep "$T/out" "^$2\$"
	expect_eq "$(grep -c ' error: \| warning: ' "$T/out")" "$3" "$1: problems"
	if [ "$1" != zonemd ]; then expect_grep "$T/out" "$zm"; fi
}
check badsig 'd02.example. DS error: RRSIG by key [0-9]+: does not verify' 3
check expired 'd02.example. DS error: RRSIG by key [0-9]+: expired' 3
check unsigned 'www.example. A error: not signed' 3
check chain 'd05.example. NSEC error: no NSEC \(the name is not in the chain\)' 3
check zonemd "$zm" 2
# NSEC3 (RFC 5155 7.1): the chain walked, every name and empty non-terminal hashed and found,
# bitmaps exact; opt-out honoured; a missing NSEC3 found twice (the name, the chain)
for f in nsec3 nsec3-optout; do
	expect_rc 0 verify --format json "$V/$f.zone"
	expect_eq "$(json_get "$T/out" 'd["dnssec"]["nsec3"], d["dnssec"]["chain_checked"], d["dnssec"]["names_in_chain"], d["skipped"]')" "(True, True, 24, [])" "$f chain"
done
expect_rc 1 verify "$V/nsec3-chain.zone"
expect_grep "$T/out" "^www.example. NSEC3 error: no NSEC3 for this name \\(its hash is not in the chain\\)$"
expect_grep "$T/out" "^[0-9a-v]{32}.example. NSEC3 error: NSEC3 next hashed owner is not the following hash \\(the chain breaks\\)$"
expect_eq "$(grep -c ' error: ' "$T/out")" "3" "nsec3-chain: problems"
# ldns-verify-zone agrees on every zone
for f in good badsig expired unsigned chain zonemd nsec3 nsec3-optout nsec3-chain; do
	want=1
	case $f in good | nsec3 | nsec3-optout) want=0 ;; esac
	got=0
	ldns-verify-zone "$V/$f.zone" >/dev/null 2>&1 || got=1
	expect_eq "$got" "$want" "ldns-verify-zone on $f"
done
# time: valid now, expired after 2036-12-31, warned of within the horizon
expect_rc 1 "$S" zone verify --origin example. --now 2037-01-02T00:00:00Z "$V/good.zone"
expect_grep "$T/out" "www.example. A error: RRSIG by key [0-9]+: expired"
expect_rc 0 "$S" zone verify --origin example. --now 2036-12-28T00:00:00Z --horizon 7 --format json "$V/good.zone"
expect_eq "$(json_get "$T/out" 'd["dnssec"]["warnings"] == d["dnssec"]["signatures_checked"]')" "True" "every signature expires within 7 days"
# the same findings on one thread and on four
expect_rc 1 verify --threads 1 --format json --output "$T/t1.json" "$V/badsig.zone"
expect_rc 1 verify --threads 4 --format json --output "$T/t4.json" "$V/badsig.zone"
cmp -s "$T/t1.json" "$T/t4.json" && ok || fail "findings differ by thread count"
# the trust anchor: the zone's KSK, or another key
ds=$(awk '$4 == "DNSKEY" && $5 == 257 {print}' "$V/good.zone" | head -1 >"$T/ksk.key"; ldns-key2ds -n -2 "$T/ksk.key" | awk '{print $5, $6, $7, $8}')
expect_rc 0 verify --trust-anchor "$ds" "$V/good.zone"
expect_rc 1 verify --trust-anchor "12345 8 2 0000000000000000000000000000000000000000000000000000000000000000" "$V/good.zone"
expect_grep "$T/out" "example. DNSKEY error: no DNSKEY matches a DS of the trust anchor"
# bad input
expect_rc 2 "$S" zone verify "$V/good.zone"
expect_rc 2 verify --now yesterday "$V/good.zone"
expect_rc 1 "$S" zone verify --origin example. "$SSR_TEST_DATA/../../README.md"
expect_grep "$T/err" "README.md"
finish
