#!/usr/bin/env bash
# Record counts against ldns-read-zone (ldnsutils) and the libzscanner reference on one
# generated zone: all three readers must see the same records.
. "$(dirname "$0")/lib.sh"
command -v ldns-read-zone >/dev/null || { echo "ldns-read-zone missing (scripts/deps.sh installs ldnsutils)"; exit 1; }
"$SSRWATCH" gen zone --origin ldnstest --delegations 30000 --seed 2 --plain --signed --output "$T/l.zone"
ldns_n=$(ldns-read-zone "$T/l.zone" | grep -vc '^;')
"$SSRWATCH" zone stats --format json "$T/l.zone" > "$T/a.json"
"$SSRWATCH" zone stats --format json --engine zscanner "$T/l.zone" > "$T/z.json"
expect_eq "$(json_get "$T/a.json" 'd[0]["records"]["total"]')" "$ldns_n" "records vs ldns-read-zone"
expect_eq "$(json_get "$T/z.json" 'd[0]["records"]["total"]')" "$ldns_n" "zscanner records vs ldns-read-zone"
# per type too
for ty in NS DS A AAAA; do
	n=$(ldns-read-zone "$T/l.zone" | awk -v t=$ty '$4 == t' | wc -l)
	expect_eq "$(json_get "$T/a.json" "d[0]['records']['by_type'].get('$ty', 0)")" "$n" "$ty records vs ldns"
done
# delegations = distinct NS owners below the apex, counted by ldns + sort
n=$(ldns-read-zone "$T/l.zone" | awk '$4 == "NS" && $1 != "ldnstest."{print tolower($1)}' | sort -u | wc -l)
expect_eq "$(json_get "$T/a.json" 'd[0]["delegations"]')" "$n" "delegations vs ldns"
finish
