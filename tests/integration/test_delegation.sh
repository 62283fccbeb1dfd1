#!/usr/bin/env bash
# delegation check against real name servers (Knot DNS, NSD, BIND) with planted problems, in a
# network namespace of its own (only loopback exists in it: nothing can leave the machine, and
# every server has port 53 of its own 127.x address); compared case by case with Debian's
# zonemaster-cli on the same delegations (tests/integration/deleg/).
if [ -z "${SSR_IN_NETNS:-}" ]; then
	# root: a network namespace; otherwise one owned by a user namespace of our own
	if [ "$(id -u)" -eq 0 ]; then
		exec unshare -n env SSR_IN_NETNS=1 bash "$0" "$@"
	fi
	exec unshare -rn env SSR_IN_NETNS=1 bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/deleg/net.sh"
D=$T/net
mkdir -p "$D"
trap 'net_stop; rm -rf "$T"' EXIT
for t in knotd nsd named ldns-signzone ldns-keygen ldns-key2ds zonemaster-cli ip; do
	command -v "$t" >/dev/null || { echo "FAIL: $t is missing (scripts/deps.sh installs it)"; exit 1; }
done
net_start || exit 1

dsf() { awk '{print $5" "$6" "$7" "$8}' "$1"; } # a DS file's rdata
GOOD_NS=(--ns ns1.good.=127.30.1.1 --ns ns2.good.=127.30.2.1 --ns ns3.good.=127.30.3.1)
BAD_NS=(--ns ns1.bad.=127.31.1.1 --ns ns2.bad.=127.31.2.1 --ns a.root.test.=127.30.0.1
	--ns ns4.bad.=127.31.4.1 --ns ns5.bad.=127.31.5.1)
read -r btag balg _ _ < <(dsf "$D/keys-bad/ds2")
BOGUS="$btag $balg 2 $(printf 'ab%.0s' $(seq 32))" # the KSK's tag, a digest of nothing
BAD_DS=(--ds "$(dsf "$D/keys-bad/ds2")" --ds "$(dsf "$D/keys-bad/ds1")" --ds "$BOGUS")
printf '127.30.1.0/24 64500\n127.30.2.0/24 64501\n127.30.3.0/24 64500\n' >"$T/asn"

# ---- a correct delegation passes every check ------------------------------------------------
expect_rc 0 "$SSRWATCH" delegation check --zone good. "${GOOD_NS[@]}" --ds "$(dsf "$D/keys-good/ds2")" \
	--allow-private --asn-table "$T/asn" --timeout-ms 2000 --format json --output "$T/good.json" \
	--record "$T/good.rec"
expect_eq "$(json_get "$T/good.json" "[c['id'] for c in d['checks'] if c['result'] != 'pass']")" "[]" \
	"good.: checks that did not pass"
expect_eq "$(json_get "$T/good.json" "d['passed']")" "True" "good.: passed"
expect_grep "$T/good.json" '"message": "2 ASes: AS64500, AS64501"'
expect_rc 0 "$SSRWATCH" delegation check --zone good. "${GOOD_NS[@]}" --ds "$(dsf "$D/keys-good/ds2")" \
	--allow-private --timeout-ms 2000 --format html --output "$T/good.html"
expect_grep "$T/good.html" '<strong>Passed</strong>'
# without --allow-private, loopback addresses fail address-public (an error: not passed)
expect_rc 1 "$SSRWATCH" delegation check --zone good. "${GOOD_NS[@]}" --timeout-ms 2000
expect_grep "$T/out" 'fail  error    address-public .*loopback'
expect_grep "$T/out" 'skip  error    ds-match'

# ---- IPv6: ns1.good. also on ::1, which the zone does not give it (no AAAA): only the glue
# check fails; an IPv6 vantage point asks only the IPv6 address
expect_rc 1 "$SSRWATCH" delegation check --zone good. --ns ns1.good.=127.30.1.1,::1 --ns ns2.good.=127.30.2.1 \
	--ns ns3.good.=127.30.3.1 --ds "$(dsf "$D/keys-good/ds2")" --allow-private --timeout-ms 2000 \
	--format json --output "$T/v6.json"
expect_eq "$(json_get "$T/v6.json" "[c['id'] for c in d['checks'] if c['result'] not in ('pass', 'skip')]")" "['glue-consistent']" "IPv6 glue"
expect_grep "$T/v6.json" "serves ns1.good. AAAA '', the delegation's glue has 1 address"
expect_eq "$(json_get "$T/v6.json" "[c['message'] for c in d['checks'] if c['id'] == 'reachable-udp'][0]")" "every server (4 addresses) as expected" "IPv6 address asked"
expect_rc 1 "$SSRWATCH" delegation check --zone good. --ns ns1.good.=127.30.1.1,::1 --ns ns2.good.=127.30.2.1 \
	--source ::1 --allow-private --timeout-ms 2000 --format json --output "$T/v6src.json"
expect_eq "$(json_get "$T/v6src.json" "(d['sources'], sorted({e['server'] for c in d['checks'] for e in c['evidence']}))")" \
	"(['::1'], ['ns1.good. [::1]:53'])" "an IPv6 vantage point asks the IPv6 address only"

# ---- the planted problems: exactly those checks fail, each naming its server ---------------
expect_rc 1 "$SSRWATCH" delegation check --zone bad. "${BAD_NS[@]}" "${BAD_DS[@]}" --allow-private \
	--timeout-ms 2000 --format json --output "$T/bad.json" --record "$T/bad.rec"
expect_eq "$(json_get "$T/bad.json" "sorted(c['id'] for c in d['checks'] if c['result'] != 'pass' and c['id'] != 'as-diversity')")" \
	"['authoritative', 'authoritative-tcp', 'ds-digest', 'ds-match', 'edns', 'glue-consistent', 'no-recursion', 'soa-serial']" \
	"bad.: the failing checks"
msg() { json_get "$T/bad.json" "[c['message'] for c in d['checks'] if c['id'] == '$1'][0]"; }
has() { # has CHECK REGEX: the check's message matches
	if msg "$1" | grep -Eq -- "$2"; then ok; else fail "bad. $1: '$(msg "$1" | head -c 300)' lacks /$2/"; fi
}
hasnt() {
	if msg "$1" | grep -Eq -- "$2"; then fail "bad. $1: '$(msg "$1" | head -c 300)' has /$2/"; else ok; fi
}
has authoritative '^a\.root\.test\. 127\.30\.0\.1:53: aa clear'
has no-recursion '^ns4\.bad\. 127\.31\.4\.1:53: ra set'
has edns 'ns5\.bad\. 127\.31\.5\.1:53: edns \[noopt\]'
hasnt edns 'ns[124]\.bad\.'
has edns '1 server address not authoritative for the zone left out'
has soa-serial "'2' from ns2\.bad\. 127\.31\.2\.1:53"
has glue-consistent "serves ns1\.bad\. A '127\.31\.1\.99'"
has ds-digest "DS [0-9]+: digest type 1 \(SHA-1\)"
hasnt ds-digest 'digest of'
has ds-match "^DS $btag $balg 2 matches no DNSKEY"
expect_eq "$(json_get "$T/bad.json" "d['failed']['error']")" "8" "bad.: failed error checks"
# every failing check that rests on exchanges names them, and they are in the record file
"$SSRWATCH" probe read "$T/bad.rec" >"$T/bad.lines"
json_get "$T/bad.json" "'\n'.join(str(e['exchange']) for c in d['checks'] if c['result'] == 'fail' for e in c['evidence'])" >"$T/seqs"
for c in authoritative no-recursion edns soa-serial glue-consistent ds-match; do
	n=$(json_get "$T/bad.json" "[len(c['evidence']) for c in d['checks'] if c['id'] == '$c'][0]")
	[ "$n" -gt 0 ] && ok || fail "bad. $c: no evidence"
done
while read -r s; do
	grep -q "\"seq\": *$s[,}]" "$T/bad.lines" && ok || fail "exchange $s is not in the record file"
done <"$T/seqs"

# ---- Zonemaster on the same delegations, case by case --------------------------------------
printf '. 3600000 IN NS a.root.test.\na.root.test. 3600000 IN A 127.30.0.1\n' >"$T/hints"
zm() { # zm ZONE OUT NS... -- DS...
	local z=$1 out=$2 args=()
	shift 2
	while [ $# -gt 0 ]; do args+=("$1"); shift; done
	timeout 300 zonemaster-cli --hints "$T/hints" --no-ipv6 --json --raw --level INFO --no-progress \
		"${args[@]}" "$z" >"$out" 2>"$out.err" || true
	[ -s "$out" ] || { fail "zonemaster-cli $z: no output: $(head -c 300 "$out.err")"; return 1; }
}
zds() { awk '{print "--ds", $5","$6","$7","$8}' "$1"; }
# shellcheck disable=SC2046
zm good. "$T/zm-good.json" --ns ns1.good./127.30.1.1 --ns ns2.good./127.30.2.1 --ns ns3.good./127.30.3.1 \
	$(zds "$D/keys-good/ds2") &&
	{ python3 "$SSR_SOURCE/tests/integration/deleg/zonemaster_compare.py" good. "$T/good.json" "$T/zm-good.json" && ok ||
		fail "good.: zonemaster comparison"; }
# shellcheck disable=SC2046
zm bad. "$T/zm-bad.json" --ns ns1.bad./127.31.1.1 --ns ns2.bad./127.31.2.1 --ns a.root.test./127.30.0.1 \
	--ns ns4.bad./127.31.4.1 --ns ns5.bad./127.31.5.1 $(zds "$D/keys-bad/ds2") $(zds "$D/keys-bad/ds1") \
	--ds "$btag,$balg,2,$(printf 'ab%.0s' $(seq 32))" &&
	{ python3 "$SSR_SOURCE/tests/integration/deleg/zonemaster_compare.py" bad. "$T/bad.json" "$T/zm-bad.json" && ok ||
		fail "bad.: zonemaster comparison"; }

# ---- servers that do not answer: the checks that need answers could not run (errors) -------
expect_rc 1 "$SSRWATCH" delegation check --zone good. --ns ns1.good.=127.30.9.1 --ns ns2.good.=127.30.9.2 \
	--allow-private --timeout-ms 500 --format json --output "$T/dead.json"
expect_eq "$(json_get "$T/dead.json" "sorted(c['id'] for c in d['checks'] if c['result'] == 'error')")" \
	"['dnskey-consistent', 'glue-consistent', 'ns-consistent', 'ns-match', 'soa-mname', 'soa-rname', 'soa-serial', 'soa-timers', 'soa-values', 'transport-consistent']" \
	"dead servers: checks that could not run"
expect_eq "$(json_get "$T/dead.json" "[c['result'] for c in d['checks'] if c['id'] == 'reachable-udp'][0]")" "fail" \
	"dead servers: reachable-udp"

# ---- a name server without an address is looked up through --resolver ----------------------
expect_rc 1 "$SSRWATCH" delegation check --zone good. --ns ns1.good. --ns ns2.good.=127.30.2.1 \
	--resolver 127.31.4.1 --allow-private --timeout-ms 2000 --format json --output "$T/lookup.json"
expect_eq "$(json_get "$T/lookup.json" "[n['addresses'] for n in d['nameservers'] if n['name'] == 'ns1.good.'][0]")" \
	"['127.30.1.1:53']" "looked-up address"
has_lookup=$(json_get "$T/lookup.json" "[c['message'] for c in d['checks'] if c['id'] == 'ns-addresses'][0]")
case $has_lookup in *"'ns1.good.' is in the zone and needs glue"*) ok ;; *) fail "ns-addresses: $has_lookup" ;; esac

# ---- zone diff --check: the post-change audit of a root zone update -------------------------
# the update: good. gets its DS, bad. gains a fifth name server; a.root.test. is unchanged
{ cat "$D/root.zone"; awk '{print "good. 86400 IN DS", $5, $6, $7, $8}' "$D/keys-good/ds2"; } >"$T/root2.zone"
expect_rc 0 "$SSRWATCH" zone diff --origin . "$D/root.zone" "$T/root2.zone" --check --allow-private \
	--timeout-ms 2000 --format json --output "$T/audit.json"
expect_eq "$(json_get "$T/audit.json" "[(c['kind'], c['owner']) for c in d['changes']]")" "[('ds', 'good.')]" "root update: changes"
expect_eq "$(json_get "$T/audit.json" "[(v['delegation'], v['passed'], v['ds']) for v in d['checks']]")" \
	"[('good.', True, 1)]" "root update: good. audited with its new DS"
sed -i 's/^bad\. NS ns1\.bad\.$/bad. NS ns1.bad.\nbad. NS ns6.bad./' "$T/root2.zone"
expect_rc 1 "$SSRWATCH" zone diff --origin . "$D/root.zone" "$T/root2.zone" --check --allow-private \
	--timeout-ms 2000 --format json --output "$T/audit.json"
expect_eq "$(json_get "$T/audit.json" "[(v['delegation'], v['passed']) for v in d['checks']]")" \
	"[('bad.', False), ('good.', True)]" "root update: bad. audited too"
expect_eq "$(json_get "$T/audit.json" "sorted(f['id'] for v in d['checks'] if v['delegation'] == 'bad.' for f in v['failed'])")" \
	"['authoritative', 'authoritative-tcp', 'edns', 'glue-consistent', 'no-recursion', 'ns-addresses', 'ns-match', 'soa-serial']" \
	"root update: bad.'s failures (ns6.bad. has no glue and is not in the zone's NS set)"

# ---- the audit in shards (issue 23): every N-th delegation per shard, merged: the same report
zd() { "$SSRWATCH" zone diff --origin . "$D/root.zone" "$T/root2.zone" --check --allow-private --timeout-ms 2000 "$@"; }
expect_rc 1 zd --format table --output "$T/audit.table"
for N in 1 2 3; do
	for i in $(seq 1 $N); do expect_rc 0 zd --shard "$i/$N" --save-state "$T/zd$N-$i.state"; done
	expect_rc 1 "$SSRWATCH" merge --format json --output "$T/m.json" $(ls "$T"/zd$N-*.state | sort -r)
	expect_eq "$(cmp -s "$T/m.json" "$T/audit.json" && echo same)" same "audit in $N shards: json identical"
	expect_rc 1 "$SSRWATCH" merge --output "$T/m.table" "$T"/zd$N-*.state
	expect_eq "$(cmp -s "$T/m.table" "$T/audit.table" && echo same)" same "audit in $N shards: table identical"
done
expect_rc 1 "$SSRWATCH" merge "$T/zd3-1.state" "$T/zd3-2.state"
expect_grep "$T/err" "shard 3 of 3 missing"
cp "$T/root2.zone" "$T/root2.keep"
echo "zz. 86400 IN NS ns1.zz." >>"$T/root2.zone"
expect_rc 1 "$SSRWATCH" merge "$T"/zd2-*.state
expect_grep "$T/err" "the zones changed since the shards ran"
mv "$T/root2.keep" "$T/root2.zone"
expect_rc 2 zd --shard 1/2 --save-state "$T/x.state" --record "$T/x.rec"
expect_grep "$T/err" "--shard goes without --record"
expect_rc 2 "$SSRWATCH" zone diff --origin . "$D/root.zone" "$T/root2.zone" --shard 1/2 --save-state "$T/x.state"
expect_grep "$T/err" "--shard needs --check"

# ---- bad input ------------------------------------------------------------------------------
expect_rc 2 "$SSRWATCH" delegation check --zone good. --ns ns1.good.=127.0.0.300
expect_grep "$T/err" "name server 'ns1.good.': bad address '127.0.0.300'"
expect_rc 2 "$SSRWATCH" delegation check --zone good. --ns ns1.good.=127.30.1.1 --ds "1 13 2 xyz"
expect_grep "$T/err" "bad DS '1 13 2 xyz'"
printf '# anchors\n%s\n1 13 2 not-hex\n' "$(dsf "$D/keys-good/ds2")" >"$T/ds.txt"
expect_rc 1 "$SSRWATCH" delegation check --zone good. --ns ns1.good.=127.30.1.1 --ds-file "$T/ds.txt"
expect_grep "$T/err" "ds file '.*ds.txt' line 3: delegation: bad DS '1 13 2 not-hex'"
expect_rc 2 "$SSRWATCH" delegation check --zone good. --ns ns1.good.=127.30.1.1 --ns NS1.good=127.30.1.2
expect_grep "$T/err" "name server 'ns1.good.' given twice"
expect_rc 1 "$SSRWATCH" delegation check --zone good. --ns ns1.good. --ns ns2.good.=127.30.2.1 --allow-private
expect_grep "$T/out" "fail  error    ns-addresses .*'ns1.good.' has no address \\(none given, and no resolver"
printf 'suite: x\nkind: delegation\ncases:\n  - id: a\n    title: t\n    check: no-such-rule\n' >"$T/x.yaml"
expect_rc 1 "$SSRWATCH" delegation check --zone good. --ns ns1.good.=127.30.1.1 --suite "$T/x.yaml"
expect_grep "$T/err" "x.yaml' line 4: unknown check 'no-such-rule'"
printf 'suite: x\nkind: delegation\ncases:\n  - id: a\n    title: t\n    check: ns-count\n    query: {type: SOA}\n' >"$T/y.yaml"
expect_rc 1 "$SSRWATCH" delegation check --zone good. --ns ns1.good.=127.30.1.1 --suite "$T/y.yaml"
expect_grep "$T/err" "y.yaml.* line 7.*a case is a query or a check, not both"
printf '1.2.3.0/24 64500\nnot a line\n' >"$T/badasn"
expect_rc 1 "$SSRWATCH" delegation check --zone good. "${GOOD_NS[@]}" --allow-private --asn-table "$T/badasn"
expect_grep "$T/err" "asn table '.*badasn' line 2: not 'PREFIX/LEN ASN'"
finish
