#!/bin/bash
# ssrwatch regress, resolver suite: the mock hierarchy on 127.53.0.1-10 port 53 (needs root,
# as the tests run) and the four resolvers from Debian started by ssrwatch, each asking
# upstream from an address of its own; JSON, HTML matrix, record file; the same results twice;
# a non-resolver as a target fails; bad hierarchies refused; nothing left running.
# Port 53 on 127.53.0.0/24: as root, or else in a network namespace of its own (a user
# namespace maps us to root there; its loopback is brought up first), or else through sudo.
if [ "$(id -u)" -ne 0 ] && [ -z "${SSR_IN_NETNS:-}" ]; then
	if unshare -rn true 2>/dev/null; then
		exec env SSR_IN_NETNS=1 unshare -rn bash -c 'python3 -c "
import socket, fcntl, struct
s = socket.socket()
f = struct.unpack(\"16sH\", fcntl.ioctl(s, 0x8913, struct.pack(\"16sH14s\", b\"lo\", 0, bytes(14)))[:18])[1]
fcntl.ioctl(s, 0x8914, struct.pack(\"16sH14s\", b\"lo\", f | 1, bytes(14)))
" && exec bash "$0"' "$0"
	elif sudo -n true 2>/dev/null; then
		exec sudo -n env SSR_IN_NETNS=1 SSRWATCH="$SSRWATCH" SSR_SOURCE="$SSR_SOURCE" SSR_TEST_DATA="$SSR_TEST_DATA" bash "$0"
	fi
	echo "FAIL: port 53 on loopback needs root, a user namespace or sudo"
	exit 1
fi
. "$(dirname "$0")/lib.sh"
S=$SSRWATCH
# the implementations' working directories under this test's own TMPDIR: the checks that
# nothing is left behind see this test's daemons only (other tests run beside it)
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
for b in unbound kresd named pdns_recursor; do
	command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || { echo "FAIL: $b is missing (scripts/deps.sh installs it)"; exit 1; }
done
expect_rc 0 "$S" regress list --suite resolver --format json
expect_eq "$(json_get "$T/out" 'd[0]["suite"] + " " + str(len(d[0]["cases"]))')" "resolver 17" "the shipped resolver suite"

run() { "$S" regress run --impl unbound,kresd,bind,pdns-recursor "$@"; }
expect_rc 1 run --format json --record "$T/r.rec" --output "$T/a.json"
expect_eq "$(json_get "$T/a.json" 'len(d)')" "68" "17 cases x 4 resolvers"
expect_eq "$(json_get "$T/a.json" 'sorted(set((r["implementation"], r["version"][:1].isdigit()) for r in d))')" "[('bind', True), ('kresd', True), ('pdns-recursor', True), ('unbound', True)]" "four resolvers, versions recorded"
# Unbound 1.17, Knot Resolver 5.6 and BIND 9.18 pass every case; PowerDNS Recursor 4.8 answers
# SERVFAIL to a CD query for a zone whose signatures expired (the others give the data)
expect_eq "$(json_get "$T/a.json" 'json.dumps({r["target"] + "/" + r["case"]: r["codes"] for r in d if r["result"] != "pass"}, sort_keys=True)')" '{"pdns-recursor/bogus-expired-cd": ["RCODE", "ANSWER_COUNT"]}' "exactly the known failure"
expect_eq "$(json_get "$T/a.json" '[r["details"] for r in d if r["target"] == "unbound" and r["case"] == "bogus-wrong-ds"][0]')" "" "a bogus answer judged SERVFAIL"
# every exchange recorded, 'before' queries labelled with their step
expect_rc 0 "$S" probe read "$T/r.rec"
expect_eq "$(wc -l <"$T/out")" "76" "68 cases and 8 queries sent before"
expect_grep "$T/out" '"label":"resolver/negative-cache#1@kresd"'
# the same run again: the same bytes
expect_rc 1 run --format json --record "$T/r2.rec" --output "$T/b.json"
if cmp -s "$T/a.json" "$T/b.json"; then ok; else fail "two runs differ: $(diff "$T/a.json" "$T/b.json" | head -5)"; fi
# the HTML matrix: a row per case, a column per resolver
expect_rc 1 run --format html --record "$T/h.rec" --output "$T/m.html"
expect_eq "$(grep -c '^<tr><td>resolver</td>' "$T/m.html")" "17" "a row per case"
expect_eq "$(grep -o '<td class="fail"' "$T/m.html" | wc -l)" "1" "one failing cell"
expect_eq "$(pgrep -f "$TMPDIR/ssrwatch-(unbound|kresd|bind|pdns-recursor)-" | wc -l)" "0" "no resolver left running"
expect_eq "$(ls "$TMPDIR" | grep -c '^ssrwatch-\(unbound\|kresd\|bind\|pdns-recursor\)-' || true)" "0" "no working directory left"

# the root KSK rollover: the mock root walks the RFC 5011 timeline (publish, 30-day hold-down,
# revoke, remove) while the resolvers' clock jumps (libssrclock). Unbound, Knot Resolver and
# BIND take up KSK2 and keep validating, answer the RFC 8509 sentinel and send RFC 8145 key
# tags; PowerDNS Recursor (no RFC 5011: its trust anchor is the configured DS) goes bogus once
# KSK1 is revoked
expect_rc 1 "$S" regress run --impl unbound,kresd,bind,pdns-recursor --suite ksk-rollover --format json --output "$T/k.json"
expect_eq "$(json_get "$T/k.json" 'len(d)')" "40" "10 rollover cases x 4 resolvers"
expect_eq "$(json_get "$T/k.json" 'json.dumps(sorted(r["target"] + "/" + r["case"] for r in d if r["result"] != "pass"))')" '["pdns-recursor/key-tag-signal", "pdns-recursor/remove", "pdns-recursor/remove-dnskey", "pdns-recursor/revoke", "pdns-recursor/sentinel-is-ta-new", "pdns-recursor/sentinel-not-ta-old"]' "each resolver's rollover outcome"
expect_eq "$(json_get "$T/k.json" '[r["tags"] for r in d if r["target"] == "pdns-recursor" and r["case"] == "remove"][0]')" "['servfail', 'noad', 'answer']" "bogus after the rollover"
expect_rc 1 "$S" regress run --impl unbound,kresd,bind,pdns-recursor --suite ksk-rollover --format json --output "$T/k2.json"
if cmp -s "$T/k.json" "$T/k2.json"; then ok; else fail "two rollover runs differ: $(diff "$T/k.json" "$T/k2.json" | head -5)"; fi
expect_rc 1 "$S" regress run --impl unbound,pdns-recursor --suite ksk-rollover --format html --output "$T/k.html"
expect_eq "$(grep -c '^<tr><td>ksk-rollover</td>' "$T/k.html")" "10" "the rollover in the matrix, a row per case"
expect_eq "$(grep -o '<td class="fail"' "$T/k.html" | wc -l)" "3" "PowerDNS Recursor's three failed errors in red"
expect_eq "$(ls "$TMPDIR" | grep -c '^ssrwatch-clock-' || true)" "0" "no clock file left"
# the root's algorithm rollover (RSASHA256 to ECDSAP256SHA256, the trust anchor by RFC 5011):
# the same picture, PowerDNS Recursor bogus once the algorithm-8 KSK is revoked
expect_rc 1 "$S" regress run --impl unbound,kresd,bind,pdns-recursor --suite algorithm-rollover --format json --output "$T/a.json"
expect_eq "$(json_get "$T/a.json" 'json.dumps(sorted(r["target"] + "/" + r["case"] for r in d if r["result"] != "pass"))')" '["pdns-recursor/remove", "pdns-recursor/remove-dnskey", "pdns-recursor/revoke"]' "each resolver's algorithm rollover"
# serve-stale where configured (RFC 8767): the zone's server goes silent, the clock moves past
# the TTL; Unbound, BIND and PowerDNS Recursor serve the stale answer; Knot Resolver 5.6 with its
# serve_stale module answers SERVFAIL when its internal request timeout expires
expect_rc 1 "$S" regress run --impl unbound,kresd,bind,pdns-recursor --suite serve-stale --format json --output "$T/st.json"
expect_eq "$(json_get "$T/st.json" 'json.dumps(sorted(r["target"] + "/" + r["case"] for r in d if r["result"] != "pass"))')" '["kresd/stale"]' "who serves stale"
# a resolver killed during the run: its cases from then on fail with the reason, the others
# go on, nothing is left running
("$S" regress run --impl unbound,kresd,bind --suite ksk-rollover --format json --output "$T/kill.json" >"$T/kill.out" 2>&1 && echo 0 >"$T/kill.rc" || echo $? >"$T/kill.rc") &
RUNPID=$!
sleep 7
pkill -9 -f "$TMPDIR/ssrwatch-kresd-" || true
wait $RUNPID || true
expect_eq "$(cat "$T/kill.rc")" "1" "the run ends (exit 1: failed cases)"
expect_eq "$(json_get "$T/kill.json" '[r["result"] for r in d if r["target"] == "kresd" and r["case"] == "start"][0]')" "pass" "kresd answered before it died"
expect_eq "$(json_get "$T/kill.json" '[r["details"] for r in d if r["target"] == "kresd" and r["case"] == "remove"][0]')" "kresd died during the run (signal 9)" "the reason on its later cases"
expect_eq "$(json_get "$T/kill.json" 'sorted(set(r["result"] for r in d if r["target"] != "kresd"))')" "['pass']" "unbound and bind unaffected"
expect_eq "$(pgrep -f "$TMPDIR/ssrwatch-(unbound|kresd|bind)-" | wc -l)" "0" "nothing left running"
# a live resolver cannot follow a timeline that moves the clock
expect_rc 1 "$S" regress run --target "root=127.53.0.1" --suite ksk-rollover --timeout-ms 500
expect_grep "$T/err" "step 'publish' moves the clock: only resolvers started by ssrwatch"

# the mock root itself as a 'resolver' (a live target): no recursion, every case fails
expect_rc 1 "$S" regress run --target "root=127.53.0.1" --suite resolver --format json --timeout-ms 1000
expect_eq "$(json_get "$T/out" 'sum(1 for r in d if r["result"] == "fail") >= 15')" "True" "an authoritative server is no resolver"
expect_eq "$(json_get "$T/out" '[r["codes"] for r in d if r["case"] == "secure"][0]')" "['FLAG_AD', 'ANSWER_COUNT']" "a referral is not an answer"

# a resolver that may not reach the hierarchy: an unknown resolver name is refused first
expect_rc 2 "$S" regress run --impl nsd
expect_grep "$T/err" "unknown resolver 'nsd' \\(unbound, kresd, bind, pdns-recursor\\)"

# bad hierarchies and upstream expectations: file, line and key; nothing runs
D=$SSR_SOURCE/data/regress
bad() { # bad TEXT REGEX
	printf "$1" >"$T/bad.yaml"
	expect_rc 1 "$S" regress list --suite "$T/bad.yaml"
	expect_grep "$T/err" "regress '$T/bad.yaml' $2"
}
h="suite: x\nkind: resolver\nhierarchy:\n  root_ns: a.root.mock.\n  trust_anchor: $D/hierarchy/root.ds\n  servers:\n    - {name: root, address: 127.53.0.1, zone: ., file: $D/hierarchy/root.zone}\n"
c='cases:\n  - id: a\n    title: t\n    query: {name: www.secure., type: A, rd: true}\n    expect: {rcode: NOERROR}\n'
bad "${h}${c}    upstream:\n      - {server: nope, under: secure., min_count: 1}\n" "line 9: key 'upstream': no mock server 'nope' in the hierarchy"
bad "${h}${c}    upstream:\n      - {server: root, under: secure, min_count: 1}\n" "line 14: key 'under': 'secure' must end with a dot"
bad "${h}${c}    upstream:\n      - {server: root, under: secure.}\n" "line 14: key 'upstream': nothing expected"
bad "${h}${c}    upstream:\n      - {server: root, under: secure., min_count: 3, max_count: 1}\n" "line 14: key 'min_count': min_count 3 above max_count 1"
bad "${h}    - {name: x, address: 192.0.2.1, zone: x., file: $D/hierarchy/root.zone}\n${c}" "line 8: key 'address': '192.0.2.1' is not an IPv4 loopback address"
bad "${h}    - {name: x, address: 127.53.0.2, zone: x., file: $D/hierarchy/root.zone, behaviour: slow}\n${c}" "line 8: key 'behaviour': normal, truncate-udp or drop, not 'slow'"
bad "suite: x\nkind: resolver\n${c}" "line 1: key 'hierarchy': missing"
bad "suite: x\nkind: authoritative\n${c}    before:\n      - {name: a.}\n" "line 4: key 'before': only for resolver suites"
bad "${h/hierarchy\/root.ds/nothere.ds}${c}" "line 5: key 'trust_anchor': cannot read"
bad "${h}timeline:\n  - {name: start, after: 1d}\n${c}" "line 9: key 'name': letters, digits"
bad "${h}timeline:\n  - {name: s1, after: 3q}\n${c}" "line 9: key 'after': a duration"
bad "${h}timeline:\n  - {name: s1, files: {nope: x.zone}}\n${c}" "line 9: key 'nope': no mock server of that name"
bad "${h}timeline:\n  - {name: s1, behaviours: {root: slow}}\n${c}" "line 9: key 'root': normal, truncate-udp or drop"
bad "${h}timeline:\n  - {name: s1, behaviours: {nope: drop}}\n${c}" "line 9: key 'nope': no mock server of that name"
printf '257 3 13\n' >"$T/short.dnskey"
nl='\n'
bad "${h/trust_anchor:/managed_key: $T/short.dnskey$nl  trust_anchor:}${c}" "line 5: key 'managed_key': '.*short.dnskey' does not hold 'FLAGS PROTOCOL ALGORITHM KEY'"
bad "${h}${c}    step: later\n" "line 13: key 'step': no step 'later' in the timeline"
finish
