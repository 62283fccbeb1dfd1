#!/bin/bash
# A sample abuse report portal: a store with a registry directory, registrars, a host, logins,
# and cases in every state (open, acknowledged, closed) made through the real server over a
# few scripted days, so the inbox, case pages and SLA statistics have something to show.
# RDAP answers come from the test suite's stand-in RDAP server on loopback (real RDAP JSON).
#
#   scripts/portal-sample.sh SSRWATCH OUTDIR [serve]
#
# With 'serve' the portal then runs in the foreground on http://127.0.0.1:8080/ until Ctrl-C.
set -euo pipefail
ssrwatch=$(realpath "$1")
out=$2
serve=${3:-}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(realpath "$out")
db=$out/portal.db
rm -f "$db" "$db-wal" "$db-shm" "$out"/rdap.port "$out"/clock
rm -rf "$out/rdap-state"
mkdir -p "$out/rdap-state"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# the stand-in RDAP server and the bootstrap files pointing at it
python3 "$here/tests/integration/portal/rdap_fixture.py" "$out/rdap.port" "$out/rdap-state" &
pids+=($!)
for _ in $(seq 100); do [ -s "$out/rdap.port" ] && break; sleep 0.05; done
rp=$(cat "$out/rdap.port")
printf '{"version":"1.0","services":[[["com","net"],["http://127.0.0.1:%s/dns/"]],[["example"],["http://127.0.0.1:%s/dns/"]]]}\n' "$rp" "$rp" >"$out/dns.json"
printf '{"version":"1.0","services":[[["192.0.2.0/24"],["http://127.0.0.1:%s/ip4/"]]]}\n' "$rp" >"$out/ipv4.json"
cat >"$out/directory.csv" <<'EOF'
tld,operator,email,rdap_base
com,VeriSign Global Registry Services,abuse@verisign.example,
net,VeriSign Global Registry Services,abuse@verisign.example,
example,Example Registry Ltd,abuse@registry.example,
EOF

# scripted clock: the sample's history runs over the days before now
clock=$out/clock
now=$(date +%s)
t0=$((now - 6 * 86400))
at() { echo "$1" >"$clock.tmp" && mv "$clock.tmp" "$clock"; }
at "$t0"
export SSRWATCH_TEST_CLOCK=$clock
s() { "$ssrwatch" "$@"; }
s portal directory --store "$db" --file "$out/directory.csv"
r1=$(s portal party --store "$db" --kind registrar --name "Registrar One LLC" --iana-id 1001 --email abuse@reg-one.example)
r2=$(s portal party --store "$db" --kind registrar --name "Registrar Two GmbH" --iana-id 1002 --email abuse@reg-two.example)
SSRWATCH_PASSWORD=admin-sample-1 s portal account --store "$db" --login admin --admin
SSRWATCH_PASSWORD=reg-one-sample-1 s portal account --store "$db" --login reg1 --party "$r1"
SSRWATCH_PASSWORD=reg-two-sample-1 s portal account --store "$db" --login reg2 --party "$r2"
tok1=$(s portal token --store "$db" --login reg1 --label sample)
tok2=$(s portal token --store "$db" --login reg2 --label sample)

"$ssrwatch" portal serve --store "$db" --listen 127.0.0.1:0 --threads 4 --rdap-dns "$out/dns.json" \
	--rdap-ipv4 "$out/ipv4.json" 2>"$out/seed.log" &
srv=$!
pids+=($srv)
for _ in $(seq 100); do grep -q 'listening on' "$out/seed.log" && break; sleep 0.05; done
url=$(sed -n 's|.*listening on \(http://[0-9.:]*\)/.*|\1|p' "$out/seed.log" | head -1)
post() { curl -sf -H 'Content-Type: application/json' --data-binary "$2" "$url$1"; }
act() {
	local body='{}'
	[ $# -ge 3 ] && body=$3
	curl -sf -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
		--data-binary "$body" "$url/api/v1/cases/$2" >/dev/null
}
case_id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["cases"][0]["id"])'; }
routed() { # wait until the case has its registrar
	for _ in $(seq 100); do
		curl -sf -H "Authorization: Bearer $2" "$url/api/v1/cases/$1" >/dev/null && return 0
		sleep 0.1
	done
	echo "portal-sample: case $1 was not routed" >&2
	exit 1
}

c1=$(post /api/v1/reports '{"category":"phishing","targets":["https://login.bad-paypal.com/verify"],"evidence":{"imitates":"PayPal","description":"PayPal login copy collecting passwords"},"reporter":{"name":"Sample CERT","email":"cert@cert.example"}}' | case_id)
c2=$(post /api/v1/reports '{"category":"malware","targets":["http://malware-drop.com/invoice.exe"],"ips":["192.0.2.10"],"evidence":{"description":"serves an infostealer","sample_sha256":"'"$(printf 'ab%.0s' $(seq 32))"'"}}' | case_id)
c3=$(post /api/v1/reports '{"category":"phishing","targets":["http://phish-bank.com/online"],"evidence":{"imitates":"Example Bank"}}' | case_id)
at $((t0 + 3600))
post /api/v1/reports '{"category":"phishing","targets":["https://www.bad-paypal.com/"],"evidence":{"imitates":"PayPal"},"reporter":{"email":"user@isp.example"}}' >/dev/null
c4=$(post /api/v1/reports '{"category":"spam","targets":["evil.example"],"evidence":{"description":"advertised in bulk mail hitting our spam traps","smtp_from":"offers@bulk-sender.example","source_port":41877,"subject":"Your order is waiting"}}' | case_id)
routed "$c1" "$tok1"
routed "$c2" "$tok2"
routed "$c3" "$tok1"
routed "$c4" "$tok2"
at $((t0 + 5 * 3600))
act "$tok1" "$c1/acknowledge"
at $((t0 + 20 * 3600))
act "$tok1" "$c1/resolve" '{"outcome":"suspended"}'
at $((t0 + 2 * 86400))
act "$tok2" "$c2/acknowledge"
at $((t0 + 4 * 86400))
act "$tok2" "$c4/resolve" '{"outcome":"no-action","reason":"no abuse found on the site"}'
at "$now"
kill -TERM "$srv"
wait "$srv" || true
unset SSRWATCH_TEST_CLOCK
# the recommendation tracker on the same store, with live evidence from ssrwatch's own
# measurements: an abuse snapshot, zone statistics, a names scan (and the portal's SLAs above)
s recs import --store "$db" >/dev/null
s gen abuse --dir "$out/world" --domains 5000 --snapshots 2 --step 7 \
	--start "$(date -u -d '-14 days' +%F)" >/dev/null
last=$(tail -n 1 "$out/world/dates.txt")
zones=()
for z in "$out/world"/zones/*-"$last".zone; do zones+=(--zone "$z"); done
s abuse ingest --store "$db" --date "$last" "${zones[@]}" \
	--feed "phishing:openphish-like:$out/world/feeds/$last/phishing.urls" \
	--feed "malware:urlhaus-like:$out/world/feeds/$last/malware.csv" >/dev/null
s zone stats --store "$db" --date "$last" "$out/world"/zones/alpha-"$last".zone >/dev/null
s gen names --dir "$out/names" --brands 50 --delegations 5000 >/dev/null
s names scan --quiet --brands "$out/names/brands.txt" --store "$db" --date "$last" \
	"$out/names/zone.txt" >/dev/null
SSRWATCH_PASSWORD=editor-sample-1 s portal account --store "$db" --login editor >/dev/null
s recs editor editor --store "$db"
rs() { s recs set "$@" --store "$db" --by editor >/dev/null; }
rs SSR2-13 in-progress --reason "DAAR-style reports produced quarterly by ssrwatch"
rs SSR2-17 implemented --reason "central portal live: intake, routing, SLAs"
s recs evidence SSR2-17 --store "$db" --by editor --metric >/dev/null
rs SSR2-17 verified
rs SSR2-18 in-progress
rs SSR2-19 in-design --reason "kinds and scores defined; measured apart from abuse"
s recs evidence SSR2-19 --store "$db" --by editor --metric >/dev/null
rs SSR2-24 in-progress
rs SSR2-6 pending --reason "awaiting a board decision on the C-suite position"
rs SSR1-19 implemented --reason "this tracker"
rs SSR1-27 implemented --reason "this tracker"
s recs evidence SSR1-19 --store "$db" --by editor --url https://www.icann.org/resources/reviews/specific-reviews/ssr \
	--note "review page" >/dev/null
s recs actions add --store "$db" --title "Publish the quarterly abuse report" --owner OCTO \
	--due "$(date -u -d '-10 days' +%F)" --recs "SSR2-13 CCT-16" --by editor >/dev/null
s recs actions add --store "$db" --title "Board resolution on SSR2-6" --owner "ICANN Board" \
	--due "$(date -u -d '+30 days' +%F)" --recs SSR2-6 --by editor >/dev/null
# a prioritisation survey as the SSR2 team ran it: 5 raters, scores 50-100
python3 - "$out/ratings.csv" <<'PY'
import sys
medium = {4, 24, 27, 28}  # and 30, which these raters rate as high
with open(sys.argv[1], "w") as f:
    f.write("rater,recommendation,score\n")
    for r in range(1, 6):
        for n in range(1, 32):
            base = 78 if n in medium else 91
            f.write("rater%d,SSR2-%d,%d\n" % (r, n, base + (n * 7 + r * 3) % 7 - 3))
PY
s recs survey import "$out/ratings.csv" --store "$db" --survey ssr2-2020 >/dev/null
echo "recommendation tracker: 60 recommendations (SSR1, SSR2, CCT 16) with live evidence;"
echo "  dashboard at /recs, editor login editor / editor-sample-1"
echo "portal sample: $db: 4 cases (closed, acknowledged, open, resolved by one party), parties, SLA history"
echo "  logins: admin / admin-sample-1, reg1 / reg-one-sample-1 (Registrar One), reg2 / reg-two-sample-1"
if [ "$serve" = serve ]; then
	echo "  serving on http://127.0.0.1:8080/ (Ctrl-C stops)"
	s portal serve --store "$db" --listen 127.0.0.1:8080 --rdap-dns "$out/dns.json" \
		--rdap-ipv4 "$out/ipv4.json"
else
	echo "  start it: make run PORTAL=1   (or: $ssrwatch portal serve --store $db --rdap-dns $out/dns.json)"
fi
