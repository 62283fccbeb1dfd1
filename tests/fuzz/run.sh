#!/usr/bin/env bash
# Bounded libFuzzer runs for `make test`: each target gets a seed corpus (zone fixtures from
# tests/data, hand-made feeds and names) and a quarter of SECONDS of fuzzing.  A crash, leak or sanitizer report fails the run.
set -euo pipefail
build=${1:-build-fuzz}
secs=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/zone" "$work/dname" "$work/feed" "$work/abuse" "$work/rdap" "$work/portal" "$work/names" "$work/recs" "$work/traffic" "$work/state" "$work/probe" "$work/regress" "$work/mock" "$work/proof" "$work/rss" "$work/deleg" "$work/czds" "$work/escrow" "$work/shard" "$work/listing"
i=0
for f in "$here"/../data/*.zone; do
	# first byte selects engine/keep-going/owner-index
	for b in 0 1 2 7 8; do printf "\\x0$b" > "$work/zone/seed$i-$b"; head -c 4000 "$f" >> "$work/zone/seed$i-$b"; done
	i=$((i + 1))
done
# directives with quotes and escapes, a bad $ORIGIN, types newer than libzscanner
printf '\x02$ORIGIN \\0320\\ \\\\.tld.\n$TTL 1\n@ NS @\n$ORIGIN \n\tNS x.\n$ORIGIN a.\n@ WALLET "a" b\n_d DSYNC CDS NOTIFY 53 x.\n@ TYPE66 ( CSYNC 1\n 5360 . )\nh HHIT AAEC\n@ NULL \\# 2 abcd\n$INCLUDE "x y" \\064.\n' > "$work/zone/newer"
printf 'www.example.com.' > "$work/dname/a"
printf 'a\\.b\\068c.@' > "$work/dname/b"
printf '\x00evil.example.com\nhttp://a.b.example.co.uk/x\n192.0.2.1\n' > "$work/feed/a"
printf '\x03url,first_seen,category\n"http://x.com/a,b",2026-11-01,phish\n' > "$work/feed/b"
printf '\x04# hosts\n0.0.0.0 a.com b.net # c\n' > "$work/feed/c"
# the batched reader with two and three workers over lines past the first chunks (512 lines)
for b in 32 5a; do
	{ printf "\\x$b"; for i in $(seq 1 1300); do case $((i % 5)) in 0) echo "# c$i" ;; 1) echo "http://w$i.example.com/p" ;; *) echo "h$i.example.org" ;; esac; done; } > "$work/feed/d$b"
done
printf '\x00domain,registrar_id,created\na.alpha,1001,2020-01-01\n"b.bravo",9,2026-13-01\n' > "$work/abuse/a"
printf '\x01ID,Registrar Name,Status\n1,"A, Inc.",Accredited\n' > "$work/abuse/b"
printf '\x02tld,registrar,price,currency,date\nalpha,,9.99,USD,2026-07-01\n,1001,1.5,eur,2026-07-01\n' > "$work/abuse/c"
printf '\x03# feeds\nphishing op phish.txt urls\nspam sh /x/spam.txt\n' > "$work/abuse/d"
printf '\x00{"services":[[["com","co.uk"],["http://a/","https://b/x"]]]}' > "$work/rdap/a"
printf '\x04{"services":[[["192.0.2.0/24","10.0.0.0/8"],["https://rdap.example/"]]]}' > "$work/rdap/b"
printf '\x01{"objectClassName":"domain","entities":[{"roles":["registrar"],"publicIds":[{"type":"IANA Registrar ID","identifier":"292"}],"vcardArray":["vcard",[["fn",{},"text","R"]]],"entities":[{"roles":["abuse"],"vcardArray":["vcard",[["email",{},"text","a@b"],["tel",{},"uri","tel:+1"]]]}]}]}' > "$work/rdap/c"
printf '\x02{"objectClassName":"ip network","handle":"N","name":"NET","entities":[{"roles":["registrant"],"handle":"H","vcardArray":["vcard",[["fn",{},"text","Host"]]]}]}' > "$work/rdap/d"
printf '\x03Zm9vYmFy' > "$work/rdap/e"
printf '\x00# portal\nstore = /tmp/x.db\nlisten = 127.0.0.1:8080\nsla-ack = 3600\nsecure-cookies = yes\n' > "$work/portal/a"
printf '\x00threads=abc\nnonsense\n' > "$work/portal/b"
printf '\x01{"category":"phishing","targets":["https://login.bad-paypal.com/v?x=1"],"evidence":{"imitates":"PayPal","observed":"2026-11-17"},"reporter":{"email":"a@b.example"}}' > "$work/portal/c"
printf '\x01{"category":"malware","targets":["http://xn--pypal-4ve.com/a.exe","b.co.uk"],"ips":["192.0.2.1","2001:db8::1"],"evidence":{"description":"d","sample_sha256":"%s"},"attachments":[{"name":"a.txt","type":"text/plain","data":"aGk="}]}' "$(printf 'ab%.0s' $(seq 32))" > "$work/portal/d"
printf '\x02\x08category\x00\x05other\x07targets\x00\x03x.com\x0battachments\x05a.txt\x02hello there friend' > "$work/portal/form"
printf '\x00paypa1.com' > "$work/names/a"
printf '\x00xn--pypal-4ve.com.evil.example.' > "$work/names/b"
printf '\x00paypal.com.account-check.net' > "$work/names/c"
printf '\x01rnicrosoft-0-vv-cl' > "$work/names/d"
printf '\x02b\xc3\xbccher.de' > "$work/names/e"
printf '\x03paypal.com' > "$work/names/f"
printf '\x00p\xc3\xa0ypal-login.co.uk' > "$work/names/g"
printf '\x00review: X\ntitle: T\npublished: 2021-01-25\n\nid: X-1\ntitle: a\n  b\npriority: high\nmeasure: abuse.report 92\n\nid: X-1.a\nparent: X-1\ntitle: c\n' > "$work/recs/a"
printf '\x01review: Y\ntitle: T\n\nid: Y-1\ntitle: a\nrefs: SSR1-19 SSR2-3.a\n' > "$work/recs/b"
printf '\x02rater,recommendation,score\nr1,SSR2-1,95\nr2,SSR2-1,120\nr1,SSR2-1,80\n"a,b",x1,70\n' > "$work/recs/c"
printf '\x07' > "$work/recs/d"
ssrw="$here/../../build/ssrwatch"
[ -x "$ssrw" ] || ssrw="$build/../build/ssrwatch"
"$ssrw" gen pcap --queries 400 --output "$work/seed.pcap" 2>/dev/null || true
# signed as .com is (RRSIG on DS, NSEC3 chain): the fast path's DNSSEC forms, engines compared
for form in --plain ""; do
	"$ssrw" gen zone --origin fuzz --delegations 40 --signed-delegations $form \
		--output "$work/signed.zone" 2>/dev/null || continue
	printf '\x08' >"$work/zone/signed$form"
	head -c 6000 "$work/signed.zone" >>"$work/zone/signed$form"
done
if [ -f "$work/seed.pcap" ]; then
	# runs of consecutive frames of a generated capture (TCP connections with split, reordered
	# and repeated segments; fragmented answers) as Ethernet seeds: [len][time step][frame]...
	python3 - "$work/seed.pcap" "$work/traffic" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
frames, off = [], 24
while off + 16 <= len(d):
    n = struct.unpack("<I", d[off + 8:off + 12])[0]
    frames.append(d[off + 16:off + 16 + n])
    off += 16 + n
for i in range(0, min(len(frames), 1200), 12):
    seed = b"\x00" + b"".join(struct.pack(">HB", len(f), 0) + f for f in frames[i:i + 12])
    open("%s/run%d" % (sys.argv[2], i), "wb").write(seed)
PY
fi
if [ -f "$work/seed.pcap" ]; then # saved states, exact and approximate, of a small capture
	"$ssrw" traffic stats --interval hour --save-state "$work/st.state" --output /dev/null "$work/seed.pcap" 2>/dev/null &&
		{ printf '\x02' >"$work/state/exact"; cat "$work/st.state" >>"$work/state/exact"; } || true
	"$ssrw" traffic stats --approx --save-state "$work/sa.state" --output /dev/null "$work/seed.pcap" 2>/dev/null &&
		{ printf '\x03' >"$work/state/approx"; cat "$work/sa.state" >>"$work/state/approx"; } || true
	"$ssrw" gen pcap --queries 400 --output /dev/null --root-zone "$work/root.zone" 2>/dev/null &&
		"$ssrw" traffic collisions --root-zone "$work/root.zone" --save-state "$work/sc.state" --output /dev/null "$work/seed.pcap" 2>/dev/null &&
		{ printf '\x0a' >"$work/state/collisions"; cat "$work/sc.state" >>"$work/state/collisions"; } || true
	"$ssrw" traffic trust-anchors --save-state "$work/st2.state" --output /dev/null "$work/seed.pcap" 2>/dev/null &&
		{ printf '\x12' >"$work/state/anchors"; cat "$work/st2.state" >>"$work/state/anchors"; } || true
fi
printf '\x02SSRWTRAF' >"$work/state/magic"
printf '\x07\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01' > "$work/traffic/loop"
# responses: a real one, a compression loop, counts beyond the message, a huge TXT, a FORMERR
# without a question; a record body; a whole record file
printf '\x00\x12\x34\x84\x00\x00\x01\x00\x01\x00\x00\x00\x01\x03www\x07example\x00\x00\x01\x00\x01\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04\xc0\x00\x02\x01\x00\x00\x29\x04\xd0\x00\x00\x80\x00\x00\x0c\x00\x03\x00\x04nsid\x00\x0a\x00\x00' >"$work/probe/answer"
printf '\x01\x12\x34\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x03www\x07example\x00\x00\x01\x00\x01\xc0\x1d\x00\x01' >"$work/probe/loop"
printf '\x01\x12\x34\x84\x00\x00\x01\x00\x09\x00\x00\x00\x00\x03www\x07example\x00\x00\x01\x00\x01' >"$work/probe/counts"
python3 -c 'import sys; t=b"\xff"+b"x"*255; sys.stdout.buffer.write(b"\x00\x12\x34\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x03www\x07example\x00\x00\x10\x00\x01\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x3c"+len(t*200).to_bytes(2,"big")+t*200)' >"$work/probe/txt" || true
printf '\x01\x12\x34\x80\x01\x00\x00\x00\x00\x00\x00\x00\x00' >"$work/probe/formerr"
printf '\x02\x01\x00\x04\x00\x07\x00\x00\x00\x00\x00\x00\x00\x40\x42\x0f\x00\x00\x00\x00\x00\xd2\x04\x00\x00\x40\x9c\x35\x00\x7f\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00ab\x0d\x00\x00\x00\x12\x34\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00' >"$work/probe/record"
printf '\x03SSRPROBE\x01\x00\x00\x00\x05\x00\x00\x00abcde\x00\x00\x00\x00' >"$work/probe/file"
printf '\x04# queries\nwww.example.com A\n  x.example\tAAAA # c\nexample TYPE65534\nbad NOPE\n' >"$work/probe/qfile"
# queries to the mock hierarchy: www.secure. A with DO, nx.secure. A, secure. DS, . NS
python3 -c '
import sys, struct
def q(name, t, do):
    w = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 1 if do is not None else 0)
    for l in name.strip(".").split("."):
        if l: w += bytes([len(l)]) + l.encode()
    w += b"\0" + struct.pack(">HH", t, 1)
    if do is not None: w += b"\0" + struct.pack(">HHIH", 41, 1232, 0x8000 if do else 0, 0)
    return w
for i, (n, t, d) in enumerate([("www.secure.", 1, True), ("nx.secure.", 1, True), ("secure.", 43, True), (".", 2, None), ("x.wild.secure.", 16, False)]):
    open(sys.argv[1] + "/q%d" % i, "wb").write(q(n, t, d))
' "$work/mock" || true
cp "$here/../data/fuzz/proof/"*.bin "$work/proof/" 2>/dev/null || true
cp "$here/../../data/regress/"*.yaml "$here/../../data/delegation/"*.yaml "$work/regress/" 2>/dev/null || true
# delegation checks: a name server and DS line, then answers of two servers to the survey
python3 -c '
import struct, sys
def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.strip(".").split(".") if l) + b"\0"
def rr(owner, t, rdata):
    return name(owner) + struct.pack(">HHIH", t, 1, 3600, len(rdata)) + rdata
def msg(qt, answers, aa=True, rcode=0):
    h = struct.pack(">HHHHHH", 1, 0x8000 | (0x400 if aa else 0) | rcode, 1, len(answers), 0, 0)
    return h + name("example.") + struct.pack(">HH", qt, 1) + b"".join(answers)
soa = lambda s: rr("example.", 6, name("ns1.example.") + name("host.example.") + struct.pack(">IIIII", s, 21600, 3600, 1209600, 3600))
ns = [rr("example.", 2, name("ns1.example.")), rr("example.", 2, name("ns2.example."))]
key = rr("example.", 48, struct.pack(">HBB", 257, 3, 13) + bytes(range(64)))
sig = rr("example.", 46, struct.pack(">HBBIIIH", 48, 13, 1, 3600, 1900000000, 1700000000, 1) + name("example.") + bytes(64))
n3p = rr("example.", 51, struct.pack(">BBHB", 1, 0, 10, 2) + b"ab")
one = [msg(6, [soa(1)]), msg(2, ns), msg(48, [key, sig]), msg(51, [n3p])]
two = [msg(6, [soa(2)]), msg(2, ns[:1]), msg(48, [key]), msg(51, [], rcode=3)]
glue = [msg(1, [rr("ns1.example.", 1, bytes([127, 0, 0, 1]))]), msg(28, [])]
body = b""
for server in (one, two):
    for m in server * 2:
        body += struct.pack(">H", len(m)) + m
for m in glue * 4:
    body += struct.pack(">H", len(m)) + m
open(sys.argv[1] + "/a", "wb").write(b"ns3.example.=127.0.0.9,[::1]:53\n" + body)
open(sys.argv[1] + "/b", "wb").write(b"example. 3600 IN DS 1 13 1 00ff\n" + body[::-1])
' "$work/deleg" || true
printf 'suite: x\nkind: authoritative\ncases:\n  - id: a\n    title: t\n    query: {name: "@", edns: {options: [{code: 8, data: "0001"}]}}\n    expect: {rcode: NOERROR, edns: {echoed: [3]}, answer: {type: SOA, min: 1}, size_max: bufsize}\n' >"$work/regress/small.yaml"
# RSSAC047 inputs: a generated VP state, the simulated RSI list and plan, exclusions, answers
"$ssrw" gen rss-states --month 2026-11 --vps 1 --rsis 3 --days 1 --out "$work" 2>/dev/null &&
	{ printf '\x00' >"$work/rss/state"; head -c 20000 "$work/vp01-2026-11.state" >>"$work/rss/state"; } || true
{ printf '\x01'; cat "$here/../../data/rss/sim/rsi.list"; printf 'A.ROOT-SERVERS.NET. 3600000 AAAA ::1\n'; } >"$work/rss/rsi"
printf '\x02vp1 * 2026-11-01T00:00:00Z 2026-11-02T00:00:00Z a reason\nvp2 a 2026-11-03T00:00:00Z 2026-11-03T01:00:00Z RSO\n' >"$work/rss/excl"
{ printf '\x03'; cat "$here/../../data/rss/sim/plan.txt"; } >"$work/rss/plan"
{ printf '\x05'; head -c 12000 "$here/../data/verify/good.zone"; } >"$work/rss/zone"
{ printf '\x05'; head -c 20000 "$here/../data/verify/nsec3.zone"; } >"$work/rss/zone3"
for q in "$work"/mock/q*; do { printf '\x04'; cat "$q"; } >"$work/rss/resp-$(basename "$q")"; done
half=$((secs / 10))
[ "$half" -ge 5 ] || half=5
"$build/fuzz_zone" -max_total_time="$half" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/" "$work/zone" 2>&1 | tail -n 3
"$build/fuzz_dname" -max_total_time="$half" -max_len=600 -timeout=10 \
	-artifact_prefix="$work/" "$work/dname" 2>&1 | tail -n 3
"$build/fuzz_feed" -max_total_time="$half" -max_len=4096 -timeout=10 \
	-artifact_prefix="$work/" "$work/feed" 2>&1 | tail -n 3
"$build/fuzz_abuse_inputs" -max_total_time="$half" -max_len=4096 -timeout=10 \
	-artifact_prefix="$work/" "$work/abuse" 2>&1 | tail -n 3
"$build/fuzz_rdap" -max_total_time="$half" -max_len=8192 -timeout=10 \
	-artifact_prefix="$work/" "$work/rdap" 2>&1 | tail -n 3
"$build/fuzz_portal" -max_total_time="$half" -max_len=4096 -timeout=10 \
	-artifact_prefix="$work/" "$work/portal" 2>&1 | tail -n 3
"$build/fuzz_names" -max_total_time="$half" -max_len=512 -timeout=10 \
	-artifact_prefix="$work/" "$work/names" 2>&1 | tail -n 3
"$build/fuzz_recs" -max_total_time="$half" -max_len=4096 -timeout=10 \
	-artifact_prefix="$work/" "$work/recs" 2>&1 | tail -n 3
"$build/fuzz_traffic" -max_total_time="$half" -max_len=20000 -timeout=10 \
	-artifact_prefix="$work/" "$work/traffic" 2>&1 | tail -n 3
"$build/fuzz_traffic_state" -max_total_time="$half" -max_len=300000 -timeout=10 \
	-artifact_prefix="$work/" "$work/state" 2>&1 | tail -n 3
"$build/fuzz_probe" -max_total_time="$half" -max_len=70000 -timeout=10 \
	-artifact_prefix="$work/" "$work/probe" 2>&1 | tail -n 3
"$build/fuzz_regress" -max_total_time="$half" -max_len=20000 -timeout=10 \
	-artifact_prefix="$work/" "$work/regress" 2>&1 | tail -n 3
"$build/fuzz_mock" -max_total_time="$half" -max_len=4096 -timeout=10 \
	-artifact_prefix="$work/" "$work/mock" 2>&1 | tail -n 3
"$build/fuzz_proof" -max_total_time="$half" -max_len=4096 -timeout=10 \
	-artifact_prefix="$work/" "$work/proof" 2>&1 | tail -n 3
"$build/fuzz_rss" -max_total_time="$half" -max_len=30000 -timeout=10 \
	-artifact_prefix="$work/" "$work/rss" 2>&1 | tail -n 3
"$build/fuzz_deleg" -max_total_time="$half" -max_len=20000 -timeout=10 \
	-artifact_prefix="$work/" "$work/deleg" 2>&1 | tail -n 3
# CZDS API answers: a request-list page, the link list, not JSON
printf '\x01{"requests":[{"requestId":"r1","tld":"alpha","status":"Approved","expired":"2027-01-01T00:00:00Z"},{"requestId":"r2","tld":"Bravo","status":"Expired","expired":null}],"totalRequests":2}' >"$work/czds/a"
printf '\x02["https://czds-api.icann.org/czds/downloads/alpha.zone","https://x/czds/downloads/.zone"]' >"$work/czds/b"
printf '\x00<html>maintenance</html>' >"$work/czds/c"
"$build/fuzz_czds" -max_total_time="$half" -max_len=4096 -timeout=10 \
	-artifact_prefix="$work/" "$work/czds" 2>&1 | tail -n 3
# escrow deposits: plain (small generated deposit cut to size), with the schemas, in a tar
dep='<?xml version="1.0" encoding="UTF-8"?><rde:deposit type="FULL" id="1" xmlns:rde="urn:ietf:params:xml:ns:rde-1.0" xmlns:rdeDomain="urn:ietf:params:xml:ns:rdeDomain-1.0" xmlns:domain="urn:ietf:params:xml:ns:domain-1.0" xmlns:secDNS="urn:ietf:params:xml:ns:secDNS-1.1" xmlns:rdeHeader="urn:ietf:params:xml:ns:rdeHeader-1.0"><rde:watermark>2026-01-01T00:00:00Z</rde:watermark><rde:rdeMenu><rde:version>1.0</rde:version><rde:objURI>urn:ietf:params:xml:ns:rdeDomain-1.0</rde:objURI></rde:rdeMenu><rde:deletes><rdeDomain:delete><rdeDomain:name>x.example</rdeDomain:name></rdeDomain:delete></rde:deletes><rde:contents><rdeDomain:domain><rdeDomain:name>a.example</rdeDomain:name><rdeDomain:roid>D1-X</rdeDomain:roid><rdeDomain:status s="ok"/><rdeDomain:ns><domain:hostObj>ns1.a.example</domain:hostObj><domain:hostAttr><domain:hostName>ns.b.example</domain:hostName><domain:hostAddr ip="v6">2001:db8::1</domain:hostAddr></domain:hostAttr></rdeDomain:ns><rdeDomain:clID>reg</rdeDomain:clID><rdeDomain:secDNS><secDNS:dsData><secDNS:keyTag>1</secDNS:keyTag><secDNS:alg>13</secDNS:alg><secDNS:digestType>2</secDNS:digestType><secDNS:digest>AB</secDNS:digest></secDNS:dsData></rdeDomain:secDNS></rdeDomain:domain><rdeHeader:header><rdeHeader:tld>example</rdeHeader:tld><rdeHeader:count uri="urn:ietf:params:xml:ns:rdeDomain-1.0">1</rdeHeader:count></rdeHeader:header></rde:contents></rde:deposit>'
printf '\x00%s' "$dep" >"$work/escrow/a"
printf '\x04%s' "$dep" >"$work/escrow/b"
printf '\x00<!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>' >"$work/escrow/c"
printf '%s' "$dep" >"$work/x.xml"
(cd "$work" && tar cf - x.xml) | { printf '\x05'; cat; } >"$work/escrow/d"
"$build/fuzz_escrow" -max_total_time="$half" -max_len=20000 -timeout=10 \
	-artifact_prefix="$work/" "$work/escrow" 2>&1 | tail -n 3
# shard states: a small signed zone whole and in two shards (bit 0 of the first byte recomputes
# the CRC after a mutation)
"$ssrw" gen zone --delegations 60 --signed --seed 2 --output "$work/sh.zone" >/dev/null 2>&1 &&
	for s in 1/1 1/2 2/2; do
		"$ssrw" zone stats --shard "$s" --save-state "$work/sh.state" "$work/sh.zone" 2>/dev/null &&
			{ printf '\x01' >"$work/shard/s${s%/*}-${s#*/}"; cat "$work/sh.state" >>"$work/shard/s${s%/*}-${s#*/}"; }
	done || true
"$build/fuzz_shard" -max_total_time="$half" -max_len=65536 -timeout=10 \
	-artifact_prefix="$work/" "$work/shard" 2>&1 | tail -n 3
# abuse listing parts: every part of the schema-2 fixture store once migrated, whole (bit 0),
# and row bytes made by hand (one row; three rows sharing prefixes and a feed set)
if command -v sqlite3 >/dev/null && sqlite3 "$work/l.db" <"$here/../data/store-v2.sql" &&
	"$ssrw" abuse listings --store "$work/l.db" >/dev/null 2>&1; then
	sqlite3 "$work/l.db" "SELECT writefile('$work/lp' || rowid, data) FROM abuse_listing_part" >/dev/null
	for f in "$work"/lp*; do { printf '\x01'; cat "$f"; } >"$work/listing/${f##*/}"; done
fi
printf '\x00\x01\x00\x05a.com\x03\x01\x00\x00\x02op\x00\x02\x01\x03abc' >"$work/listing/r1"
printf '\x00\x03\x00\x05a.com\x01\x02\x09\x00\x05op,sh\x00\x00\x00\x01\x05b.com\x03\x00\x00\x00\xc0\x9e\x01\x00\x00\x02\x05b.com\x00\x00\x00\x00\x00\x00\x00' >"$work/listing/r3"
"$build/fuzz_listing" -max_total_time="$half" -max_len=65536 -timeout=10 \
	-artifact_prefix="$work/" "$work/listing" 2>&1 | tail -n 3
rm -f /dev/shm/ssrwatch-fuzz-rss-* /dev/shm/ssrwatch-fuzz-portal-*.db* /dev/shm/ssrwatch-fuzz-state-* /dev/shm/ssrwatch-fuzz-probe-* /dev/shm/ssrwatch-fuzz-regress-*
echo "fuzz: 20 passed, 0 failed"
