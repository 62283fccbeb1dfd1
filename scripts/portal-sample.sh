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
c4=$(post /api/v1/reports '{"category":"spam","targets":["evil.example"],"evidence":{"description":"advertised in bulk mail hitting our spam traps"}}' | case_id)
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
echo "portal sample: $db: 4 cases (closed, acknowledged, open, resolved by one party), parties, SLA history"
echo "  logins: admin / admin-sample-1, reg1 / reg-one-sample-1 (Registrar One), reg2 / reg-two-sample-1"
if [ "$serve" = serve ]; then
	echo "  serving on http://127.0.0.1:8080/ (Ctrl-C stops)"
	s portal serve --store "$db" --listen 127.0.0.1:8080 --rdap-dns "$out/dns.json" \
		--rdap-ipv4 "$out/ipv4.json"
else
	echo "  start it: make run PORTAL=1   (or: $ssrwatch portal serve --store $db --rdap-dns $out/dns.json)"
fi
