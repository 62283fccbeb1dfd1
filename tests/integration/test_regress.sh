#!/bin/bash
# ssrwatch regress: the shipped EDNS suite against a real Knot DNS (all ok), a planted
# non-conforming server (exactly the tags it earns) and a dead address (every case marked with
# the reason, the other targets unaffected); JSON, JUnit, the record file; byte-identical results
# across runs; bad suite files named with file, line and key.  Every server is stopped.
. "$(dirname "$0")/lib.sh"
S=$SSRWATCH
# the implementations' working directories under this test's own TMPDIR: the checks that
# nothing is left behind see this test's daemons only (other tests run beside it)
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
HERE=$(cd "$(dirname "$0")" && pwd)
KPORT=$(free_port)
mkdir -p "$T/knot"
printf '$ORIGIN example.\n$TTL 3600\n@ SOA ns1 hostmaster 1 3600 900 604800 300\n@ NS ns1\nns1 A 127.0.0.1\nwww A 192.0.2.1\n' >"$T/knot/example.zone"
KPID= BPID=
trap 'kill $KPID $BPID 2>/dev/null; wait $KPID $BPID 2>/dev/null || true; rm -rf "$T"' EXIT
start_knotd example. "$T/knot/example.zone" "$KPORT" ssrwatch-test
python3 "$HERE/regress/bad_server.py" "$T/bad.port" &
BPID=$!
for _ in $(seq 100); do [ -s "$T/bad.port" ] && break; sleep 0.05; done
BPORT=$(cat "$T/bad.port")
DEAD=$(free_port)

expect_rc 0 "$S" regress list --format json
expect_eq "$(json_get "$T/out" 'd[0]["suite"] + " " + str(len(d[0]["cases"]))')" "edns 22" "shipped suite"

run() { "$S" regress run --zone example --target "knot=127.0.0.1:$KPORT" --target "bad=127.0.0.1:$BPORT" "$@"; }
expect_rc 1 run --format json --record "$T/r.rec" --output "$T/a.json"
expect_eq "$(json_get "$T/a.json" 'len(d)')" "44" "22 cases x 2 targets"
expect_eq "$(json_get "$T/a.json" 'sorted(set(r["result"] for r in d if r["target"] == "knot"))')" "['pass']" "knot passes every case"
# the planted server earns exactly these tags
want='{"edns": "formerr noopt nosoa", "edns1": "noerror answer", "edns1opt": "noerror echoed", "edns512": "toobig", "ednsflags": "mbz", "ednsopt": "echoed", "ednstcp": "formerr noopt nosoa", "opcode": "noerror", "zflag": "mbz"}'
expect_eq "$(json_get "$T/a.json" 'json.dumps({r["case"]: " ".join(r["tags"]) for r in d if r["target"] == "bad" and r["result"] == "fail"}, sort_keys=True)')" "$want" "the planted server's tags"
expect_eq "$(json_get "$T/a.json" 'sum(1 for r in d if r["target"] == "bad" and r["tags"] == ["ok"])')" "13" "the rest ok"
expect_eq "$(json_get "$T/a.json" '[r["codes"] for r in d if r["target"] == "bad" and r["case"] == "edns"][0]')" "['RCODE', 'OPT_MISSING', 'ANSWER_COUNT']" "stable codes"
# every exchange recorded; the record of a failing case is the one its result names
expect_rc 0 "$S" probe read "$T/r.rec"
expect_eq "$(wc -l <"$T/out")" "44" "44 exchanges recorded"
expect_grep "$T/out" '"label":"edns/edns512@bad"'
# the same run again: the same bytes (no timings in the results)
expect_rc 1 run --format json --record "$T/r2.rec" --output "$T/b.json"
if cmp -s "$T/a.json" "$T/b.json"; then ok; else fail "two runs differ: $(diff "$T/a.json" "$T/b.json" | head -5)"; fi
# JUnit
expect_rc 1 run --format junit --output "$T/j.xml"
expect_eq "$(python3 -c 'import sys, xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); print(" ".join("%s:%s/%s" % (s.get("name"), s.get("failures"), s.get("tests")) for s in r))' "$T/j.xml")" "knot:0/22 bad:9/22" "junit suites"
# the HTML matrix: a row per case, a column per target, each cell linked to its exchange
expect_rc 1 run --format html --record "$T/h.rec" --output "$T/m.html"
expect_eq "$(grep -c '^<tr><td>edns</td>' "$T/m.html")" "22" "a row per case"
expect_eq "$(grep -o '<td class="fail"' "$T/m.html" | wc -l)" "9" "the planted server's failures in red"
expect_eq "$(grep -c '<h3 id="x' "$T/m.html")" "44" "every deciding exchange shown"
expect_grep "$T/m.html" '<a href="#x[0-9]+">formerr noopt nosoa</a>'
# a dead target: its cases marked timeout, knot's unaffected
expect_rc 1 "$S" regress run --zone example --target "knot=127.0.0.1:$KPORT" --target "dead=127.0.0.1:$DEAD" --timeout-ms 300 --format json
expect_eq "$(json_get "$T/out" 'sorted(set(" ".join(r["tags"]) for r in d if r["target"] == "dead"))')" "['refused']" "dead target: refused (TCP, and UDP by ICMP)"
expect_eq "$(json_get "$T/out" 'sorted(set(r["result"] for r in d if r["target"] == "knot"))')" "['pass']" "knot still passes"
# knot alone: exit 0
expect_rc 0 "$S" regress run --zone example --target "knot=127.0.0.1:$KPORT" --suite edns

# ---- shards (issue 23): the targets dealt round robin, the verdicts merged in the run's order:
# exactly the single run's report in every format; with --impl each shard starts its own
three() { run --target "knot2=127.0.0.1:$KPORT" "$@"; } # (a dead target's ICMP is not deterministic)
for f in json table junit; do expect_rc 1 three --format $f --output "$T/one.$f"; done
for N in 1 2 3 4; do
	for i in $(seq 1 $N); do expect_rc 0 three --shard "$i/$N" --save-state "$T/rs$N-$i.state"; done
	expect_rc 1 "$S" merge --format json --output "$T/m.json" $(ls "$T"/rs$N-*.state | sort -r)
	expect_eq "$(cmp -s "$T/m.json" "$T/one.json" && echo same)" same "regress in $N shards: json identical"
	for f in table junit; do
		expect_rc 1 "$S" merge --format $f --output "$T/m.$f" "$T"/rs$N-*.state
		expect_eq "$(cmp -s "$T/m.$f" "$T/one.$f" && echo same)" same "regress in $N shards: $f identical"
	done
done
expect_rc 1 "$S" merge "$T/rs3-1.state" "$T/rs3-3.state"
expect_grep "$T/err" "shard 2 of 3 missing"
expect_rc 2 three --shard 1/2 --save-state "$T/x.state" --record "$T/x.rec"
expect_grep "$T/err" "--shard goes without --record"
expect_rc 2 three --shard 1/2
expect_grep "$T/err" "--shard and --save-state go together"
expect_rc 0 "$S" regress run --zone example --impl knot,nsd --format json --store "$T/s1.db" --date 2026-12-01 --output "$T/i1.json"
for i in 1 2; do
	expect_rc 0 "$S" regress run --zone example --impl knot,nsd --shard $i/2 --save-state "$T/ri-$i.state"
done
expect_rc 0 "$S" merge --format json --store "$T/s2.db" --date 2026-12-01 --output "$T/i2.json" "$T"/ri-*.state
expect_eq "$(cmp -s "$T/i1.json" "$T/i2.json" && echo same)" same "--impl in 2 shards (one each): json identical"
expect_eq "$(sqlite3 "$T/s2.db" 'select target, implementation, suite, cases, passed from regress_run order by 1')" \
	"$(sqlite3 "$T/s1.db" 'select target, implementation, suite, cases, passed from regress_run order by 1')" "the merge stores what the run stores"

# implementations started by ssrwatch itself on loopback: Knot DNS, NSD, BIND and PowerDNS,
# versions recorded, nothing left running or behind.  Knot, NSD and BIND conform; PowerDNS 4.7
# drops a query with TC set and one with an unknown opcode (no answer at all: the Compliance
# Tester's "timeout" for its tc and opcode probes)
expect_rc 1 "$S" regress run --zone example --impl knot,nsd,bind,pdns --format json
expect_eq "$(json_get "$T/out" 'sorted(set((r["target"], r["implementation"], r["result"]) for r in d if r["target"] != "pdns"))')" "[('bind', 'bind', 'pass'), ('knot', 'knot', 'pass'), ('nsd', 'nsd', 'pass')]" "knot, nsd and bind started and conforming"
expect_eq "$(json_get "$T/out" 'json.dumps({r["case"]: " ".join(r["tags"]) for r in d if r["target"] == "pdns" and r["result"] != "pass"}, sort_keys=True)')" '{"opcode": "timeout", "tc": "timeout"}' "pdns: exactly its two dropped probes"
expect_eq "$(json_get "$T/out" 'all(r["version"][:1].isdigit() and "." in r["version"] for r in d)')" "True" "versions recorded"
expect_eq "$(pgrep -f "$TMPDIR/ssrwatch-(knot|nsd|bind|pdns)-" | wc -l)" "0" "no daemon left running"
expect_eq "$(ls "$TMPDIR" | grep -c '^ssrwatch-\(knot\|nsd\|bind\|pdns\|zone\)-' || true)" "0" "no working directory left"
# the DNSSEC behaviour suite on the shipped conformance zone, signed with NSEC, then NSEC3: Knot,
# NSD and BIND send every answer, referral and denial proof; PowerDNS (its bind backend told the
# zone is presigned) answers a DNAME with NXDOMAIN
Z=$SSR_SOURCE/data/regress/zones
expect_rc 1 "$S" regress run --zone example --suite dnssec --zone-file "$Z/conformance.zone" --impl knot,nsd,bind,pdns --format json
expect_eq "$(json_get "$T/out" 'len(d)')" "40" "10 cases x 4 servers"
expect_eq "$(json_get "$T/out" 'json.dumps(sorted(r["target"] + "/" + r["case"] for r in d if r["result"] != "pass"))')" '["pdns/dname-synthesis"]' "NSEC: all proofs there"
expect_rc 0 "$S" regress run --zone example --suite dnssec --zone-file "$Z/conformance-nsec3.zone" --impl knot,nsd,bind --format json
expect_eq "$(json_get "$T/out" 'sorted(set(r["result"] for r in d))')" "['pass']" "NSEC3: all proofs there"
# PowerDNS serving the NSEC3 zone without NSEC3 metadata (the testbed does not set it) sends
# unsigned NSEC records of its own: the checker refuses them
expect_rc 1 "$S" regress run --zone example --suite dnssec --zone-file "$Z/conformance-nsec3.zone" --impl pdns --format json
expect_eq "$(json_get "$T/out" '[r["details"] for r in d if r["case"] == "nodata-proof"][0]')" "no nodata proof: an NSEC without its RRSIG" "an unsigned denial is no proof"
# the run's figures in the store: the tracker shows Rec 20's live figure
expect_rc 0 "$S" recs import --store "$T/rg.db"
expect_rc 0 "$S" regress run --zone example --impl knot,nsd --store "$T/rg.db" --date 2026-12-01
expect_rc 0 "$S" recs show SSR2-20 --store "$T/rg.db" --today 2026-12-06 --format json
expect_eq "$(json_get "$T/out" 'd["live"]["figure"] + " " + str(d["live"]["stale"])')" "44 of 44 regression cases pass on 2 targets False" "Rec 20 live figure"
expect_rc 2 "$S" regress run --zone example --impl bind9000
expect_grep "$T/err" "unknown authoritative implementation 'bind9000' \\(knot, nsd, bind, pdns\\)"
expect_rc 2 "$S" regress run --zone example --impl unbound
expect_grep "$T/err" "unknown authoritative implementation 'unbound'"
expect_rc 2 "$S" regress run --zone example --suite resolver --target "knot=127.0.0.1:$KPORT"
expect_grep "$T/err" "a resolver suite \\('resolver'\\) takes no --zone"
# an implementation that does not start (its zone is broken): its cases fail with the reason,
# the other target is tested; nothing is left running
printf '$ORIGIN example.\n@ SOA broken\n' >"$T/broken.zone"
expect_rc 1 "$S" regress run --zone example --impl knot --zone-file "$T/broken.zone" --target "live=127.0.0.1:$KPORT" --format json
expect_grep "$T/err" "knot did not answer"
expect_eq "$(json_get "$T/out" 'sorted(set((r["target"], r["result"], " ".join(r["tags"])) for r in d))')" "[('knot', 'fail', 'down'), ('live', 'pass', 'ok')]" "a target that did not start fails, the other goes on"
expect_eq "$(pgrep -f "$TMPDIR/ssrwatch-knot-" | wc -l)" "0" "the failed start left nothing running"

# differential: the same queries to knot (twice, as two targets) and the planted server; what
# differs is pinned on the odd one out, asked twice; with two targets nobody can be blamed
printf 'example SOA\nwww.example A\n' >"$T/q.txt"
expect_rc 1 "$S" regress diff --queries "$T/q.txt" --target "knot=127.0.0.1:$KPORT" --target "knot2=127.0.0.1:$KPORT" --target "bad=127.0.0.1:$BPORT" --format json --record "$T/d.rec"
expect_eq "$(json_get "$T/out" 'str(d["queries"]) + " " + str(d["disagreements"])')" "2 7" "two queries, seven disagreements"
expect_eq "$(json_get "$T/out" 'sorted((r["query"], r["field"], r["odd"]) for r in d["differences"])')" "[('example', 'answer', 'bad'), ('example', 'flags', 'bad'), ('example', 'rcode', 'bad'), ('www.example', 'answer', 'bad'), ('www.example', 'authority', 'bad'), ('www.example', 'flags', 'bad'), ('www.example', 'rcode', 'bad')]" "the odd one out"
expect_eq "$(json_get "$T/out" '[r["values"] for r in d["differences"] if r["query"] == "example" and r["field"] == "rcode"][0]')" "{'bad': 'FORMERR', 'knot': 'NOERROR', 'knot2': 'NOERROR'}" "values per target"
expect_rc 0 "$S" probe read "$T/d.rec"
expect_eq "$(wc -l <"$T/out")" "12" "both rounds recorded (2 queries x 3 targets, twice)"
expect_rc 0 "$S" regress diff --queries "$T/q.txt" --target "a=127.0.0.1:$KPORT" --target "b=127.0.0.1:$KPORT"
expect_grep "$T/out" "2 queries to 2 targets, 0 timeouts, 0 disagreements"
# the queries from a zone file (every distinct name and type) and from a capture (the distinct
# questions of its queries; responses left out)
expect_rc 0 "$S" regress diff --zone-file "$T/knot/example.zone" --target "a=127.0.0.1:$KPORT" --target "b=127.0.0.1:$KPORT" --format json
expect_eq "$(json_get "$T/out" 'str(d["queries"]) + " " + str(d["disagreements"])')" "4 0" "a zone's four names and types"
expect_rc 1 "$S" regress diff --zone-file "$T/knot/example.zone" --target "knot=127.0.0.1:$KPORT" --target "knot2=127.0.0.1:$KPORT" --target "bad=127.0.0.1:$BPORT" --format json
expect_eq "$(json_get "$T/out" 'sorted(set(r["odd"] for r in d["differences"]))')" "['bad']" "the odd one out, from a zone"
python3 - "$T/q.pcap" <<'PY'
import struct, sys
def q(qid, name, qtype, qr=False):
    w = struct.pack(">HHHHHH", qid, 0x8180 if qr else 0x0100, 1, 0, 0, 0)
    for l in name.split("."):
        if l: w += bytes([len(l)]) + l.encode()
    return w + b"\0" + struct.pack(">HH", qtype, 1)
def ip_udp(payload, sport, dport):
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 2]))
    s = sum(struct.unpack(">10H", ip)); s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16)
    return ip[:10] + struct.pack(">H", ~s & 0xffff) + ip[12:] + udp
msgs = [ip_udp(q(1, "www.example", 1), 40000, 53), ip_udp(q(2, "example", 6), 40001, 53),
        ip_udp(q(3, "WWW.example", 1), 40002, 53), ip_udp(q(4, "nx.example", 28), 40003, 53),
        ip_udp(q(1, "www.example", 1, qr=True), 53, 40000)]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
    for i, m in enumerate(msgs):
        f.write(struct.pack("<IIII", 1765000000 + i, 0, len(m), len(m)) + m)
PY
# a raw-IP capture (LINKTYPE_RAW, which libpcap reports as DLT_RAW) is read by traffic too
expect_rc 0 "$S" traffic stats --format json "$T/q.pcap"
expect_eq "$(json_get "$T/out" 'str(d["packets"]["dns_messages"]) + " " + str(d["malformed"]["link"])')" "5 0" "raw IP decoded"
expect_rc 0 "$S" regress diff --capture "$T/q.pcap" --target "a=127.0.0.1:$KPORT" --target "b=127.0.0.1:$KPORT" --format json --record "$T/c.rec"
expect_eq "$(json_get "$T/out" 'str(d["queries"]) + " " + str(d["disagreements"])')" "3 0" "a capture's three distinct questions (case folded, the response left out)"
expect_rc 1 "$S" regress diff --capture "$T/knot/example.zone" --target "a=127.0.0.1:$KPORT" --target "b=127.0.0.1:$KPORT"
expect_grep "$T/err" "example.zone"
printf '$ORIGIN example.\n@ SOA broken\n' >"$T/zbad.zone"
expect_rc 1 "$S" regress diff --zone-file "$T/zbad.zone" --target "a=127.0.0.1:$KPORT" --target "b=127.0.0.1:$KPORT"
expect_grep "$T/err" "zone '.*zbad.zone' line 2"
expect_rc 2 "$S" regress diff --queries "$T/q.txt" --origin example --target "a=127.0.0.1:$KPORT" --target "b=127.0.0.1:$KPORT"
expect_grep "$T/err" "--origin goes with --zone-file"
expect_rc 2 "$S" regress diff --queries "$T/q.txt" --capture "$T/q.pcap" --target "a=127.0.0.1:$KPORT" --target "b=127.0.0.1:$KPORT"
expect_grep "$T/err" "one of --queries, --capture or --zone-file"
printf 'example SOA\nexample BOGUS\n' >"$T/qbad.txt"
expect_rc 1 "$S" regress diff --queries "$T/qbad.txt" --target "a=127.0.0.1:$KPORT" --target "b=127.0.0.1:$KPORT"
expect_grep "$T/err" "queries '.*qbad.txt' line 2: unknown type 'BOGUS'"
expect_rc 2 "$S" regress diff --queries "$T/q.txt" --target "a=127.0.0.1:$KPORT"
expect_grep "$T/err" "2 to 8 --target"

# bad suite files: file, line and key; nothing runs
bad() { # bad TEXT REGEX
	printf "$1" >"$T/s.yaml"
	expect_rc 1 "$S" regress list --suite "$T/s.yaml"
	expect_grep "$T/err" "regress '$T/s.yaml' $2"
}
head='suite: x\nkind: authoritative\ncases:\n'
bad "${head}  - id: a\n    title: t\n    query: {name: \"@\"}\n    expect: {rcode: NOERROR}\n    extra: 1\n" "line 8: key 'extra': unknown in a case"
bad "${head}  - id: a\n    title: t\n    query: {type: NOPE}\n    expect: {}\n" "line 6: key 'type': unknown type 'NOPE'"
bad "${head}  - id: a\n    title: t\n    query: {}\n" "line 4: key 'expect': missing"
bad "${head}  - id: a\n    title: t\n    query: {}\n    expect: {}\n  - id: a\n    title: u\n    query: {}\n    expect: {}\n" "line 8: key 'id': 'a' already at line 4"
bad "${head}  - id: a\n    title: t\n    query: {edns: false}\n    expect: {edns: {version: 0}, opt: false}\n" "line [0-9]+: key 'edns': expectations of an OPT record that must be absent"
bad "${head}  - id: a\n    title: t\n    query: {}\n    expect: {answer: {min: 3, max: 1}}\n" "line [0-9]+: key 'min': min 3 above max 1"
bad "${head}  - id: a\n    title: t\n    query: {opcode: 99}\n    expect: {}\n" "line [0-9]+: key 'opcode': a number from 0 to 15, not '99'"
bad "${head}  - id: a\n    title: t\n    query: {}\n    expect: {rcode: BADVERS, opt: false}\n" "line [0-9]+: key 'rcode': an extended rcode needs the OPT record"
bad "${head}  - id: a\n    title: t\n    query: {}\n    expect: {proof: maybe}\n" "line [0-9]+: key 'proof': nxdomain, nodata, wildcard or nods, not 'maybe'"
bad "${head}  - id: a\n    title: t\n    query: {}\n    expect: {proof: nodata}\n" "line [0-9]+: key 'proof': a denial proof needs DO set"
bad "${head}  - id: a\n    title: t\n    query: {}\n    expect: {authority: {type: NS, min: 2, max: 1}}\n" "line [0-9]+: key 'min': min 2 above max 1"
bad "suite: x\nkind: stub\ncases: []\n" "line 2: key 'kind': authoritative, resolver or delegation, not 'stub'"
bad "suite: x\nkind: authoritative\ncases: [\n" "line [0-9]+: not YAML"
bad "suite: &a x\nkind: *a\ncases: []\n" "line [0-9]+: aliases are not allowed"
# a delegation suite is listed, but runs only as delegation check
expect_rc 0 "$S" regress list --suite "$SSR_SOURCE/data/delegation/iana.yaml"
expect_rc 1 "$S" regress run --zone example --target a=127.0.0.1:9 --suite "$SSR_SOURCE/data/delegation/iana.yaml"
expect_grep "$T/err" "is a delegation suite: run it with 'delegation check'"
expect_rc 2 "$S" regress run --zone example
expect_grep "$T/err" "at least one --target or --impl is required"
expect_rc 2 "$S" regress run --suite edns --target "knot=127.0.0.1:$KPORT"
expect_grep "$T/err" "suite 'edns' is authoritative: it needs --zone"
expect_rc 2 "$S" regress run --zone example --target nope
expect_grep "$T/err" "bad --target 'nope'"
finish
