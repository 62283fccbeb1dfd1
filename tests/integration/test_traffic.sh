#!/bin/bash
# traffic stats through the real binary: generated captures counted exactly as the generator's
# truth; the same counts as tshark per transport and family; RSSAC002 YAML that parses; pcapng,
# gzip and stdin read the same; bad and truncated captures.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
S=$SSRWATCH
C=$here/traffic/compare.py
expect_rc 0 "$S" gen pcap --queries 30000 --seed 3 --output "$T/g.pcap" --truth "$T/truth.json"
expect_rc 0 "$S" traffic stats --format json --output "$T/s.json" "$T/g.pcap"
if python3 "$C" truth "$T/truth.json" "$T/s.json" >"$T/cmp" 2>&1; then ok; else fail "truth: $(cat "$T/cmp")"; fi
expect_rc 0 "$S" traffic stats --server b.root-servers.net --output "$T/s.yaml" "$T/g.pcap"
if python3 "$C" yaml "$T/s.yaml" >"$T/cmp" 2>&1; then ok; else fail "yaml: $(cat "$T/cmp")"; fi
expect_grep "$T/s.yaml" "^service: b.root-servers.net$"
expect_grep "$T/s.yaml" "^start-period: 2026-11-23T00:00:00Z$"
if command -v tshark >/dev/null; then
	if python3 "$C" tshark "$T/g.pcap" "$T/s.json" >"$T/cmp" 2>&1; then ok; else fail "$(cat "$T/cmp")"; fi
	# pcapng (written by editcap) gives the same figures
	editcap -F pcapng "$T/g.pcap" "$T/g.pcapng"
	expect_rc 0 "$S" traffic stats --format json --output "$T/ng.json" "$T/g.pcapng"
	expect_eq "$(json_get "$T/ng.json" 'json.dumps(d["periods"])')" "$(json_get "$T/s.json" 'json.dumps(d["periods"])')" "pcapng == pcap"
fi
# real captures (test_traffic_live.sh on this project's machine: Knot DNS and kdig on port
# 5300, dumpcap pcapng on 'lo' and 'any'): the questions asked, and tshark's counts
for f in knot-lo knot-any-sll; do
	cap=$SSR_TEST_DATA/traffic/$f.pcapng
	expect_rc 0 "$S" traffic stats --ports 5300 --format json --output "$T/$f.json" "$cap"
	expect_eq "$(json_get "$T/$f.json" 'sorted(d["periods"][0]["traffic-volume"].items())')" "[('dns-tcp-queries-received-ipv4', 5), ('dns-tcp-queries-received-ipv6', 2), ('dns-tcp-responses-sent-ipv4', 5), ('dns-tcp-responses-sent-ipv6', 2), ('dns-udp-queries-received-ipv4', 8), ('dns-udp-queries-received-ipv6', 3), ('dns-udp-responses-sent-ipv4', 8), ('dns-udp-responses-sent-ipv6', 3)]" "$f: queries and responses"
	expect_eq "$(json_get "$T/$f.json" 'd["periods"][0]["privacy"]["ecs"], d["periods"][0]["privacy"]["cookie"], sum(d["malformed"].values())')" "(2, 1, 0)" "$f: ECS, cookie, nothing malformed"
	if command -v tshark >/dev/null; then
		if python3 "$C" tshark "$cap" "$T/$f.json" 5300 >"$T/cmp" 2>&1; then ok; else fail "$f: $(cat "$T/cmp")"; fi
	fi
done
gzip -c "$T/g.pcap" >"$T/g.pcap.gz"
zstd -q -c "$T/g.pcap" >"$T/g.pcap.zst"
expect_rc 0 "$S" traffic stats --format json --output "$T/gz.json" "$T/g.pcap.gz"
cmp -s "$T/gz.json" "$T/s.json" && ok || fail "gzip input differs"
"$S" traffic stats --format json - <"$T/g.pcap.zst" >"$T/zst.json" && cmp -s "$T/zst.json" "$T/s.json" && ok || fail "zstd on stdin differs"
# --out DIR: one RSSAC002 file per metric per day, the same documents as the stream
expect_rc 0 "$S" traffic stats --out "$T/rssac" "$T/g.pcap"
expect_eq "$(ls "$T/rssac" | tr '\n' ' ')" "a-root-20261123-rcode-volume.yaml a-root-20261123-traffic-sizes.yaml a-root-20261123-traffic-volume.yaml a-root-20261123-unique-sources.yaml " "--out files"
expect_rc 0 "$S" traffic stats --output "$T/a.yaml" "$T/g.pcap"
cat "$T/rssac/a-root-20261123-traffic-volume.yaml" "$T/rssac/a-root-20261123-traffic-sizes.yaml" \
	"$T/rssac/a-root-20261123-rcode-volume.yaml" "$T/rssac/a-root-20261123-unique-sources.yaml" >"$T/cat.yaml"
cmp -s "$T/cat.yaml" "$T/a.yaml" && ok || fail "--out files differ from the stream"
# two captures of one day add up; hourly periods
expect_rc 0 "$S" traffic stats --format json --output "$T/two.json" "$T/g.pcap" "$T/g.pcap.gz"
expect_eq "$(json_get "$T/two.json" 'd["periods"][0]["traffic-volume"]["dns-udp-queries-received-ipv4"]')" \
	"$(json_get "$T/s.json" '2 * d["periods"][0]["traffic-volume"]["dns-udp-queries-received-ipv4"]')" "two files add up"
expect_eq "$(json_get "$T/two.json" 'd["periods"][0]["unique-sources"]')" "$(json_get "$T/s.json" 'd["periods"][0]["unique-sources"]')" "sources are a set"
expect_rc 0 "$S" traffic stats --interval hour --format json --output "$T/h.json" "$T/g.pcap"
expect_eq "$(json_get "$T/h.json" 'len(d["periods"])')" "24" "24 hourly periods"
expect_eq "$(json_get "$T/h.json" 'sum(p["traffic-volume"]["dns-udp-queries-received-ipv6"] for p in d["periods"])')" \
	"$(json_get "$T/s.json" 'd["periods"][0]["traffic-volume"]["dns-udp-queries-received-ipv6"]')" "hours add up to the day"
# another port: nothing is DNS
expect_rc 0 "$S" traffic stats --ports 9 --format json --output "$T/p.json" "$T/g.pcap"
expect_eq "$(json_get "$T/p.json" 'd["packets"]["dns_messages"]')" "0" "--ports 9 (generated client ports are 1024 and up)"
# bad input
printf 'this is not a capture file at all\n' >"$T/text.pcap"
expect_rc 1 "$S" traffic stats "$T/text.pcap"
expect_grep "$T/err" "capture '$T/text.pcap': not a pcap or pcapng file"
head -c 100000 "$T/g.pcap" >"$T/cut.pcap"
expect_rc 0 "$S" traffic stats --format json --output "$T/cut.json" "$T/cut.pcap"
expect_grep "$T/err" "capture '$T/cut.pcap' after [0-9]+ packets: .*truncated"
expect_eq "$(json_get "$T/cut.json" 'd["packets"]["total"] > 300')" "True" "packets before the cut counted"
# name collisions (Rec 28): per undelegated TLD, equal to the generator's count and tshark's
expect_rc 0 "$S" gen pcap --queries 30000 --seed 5 --output "$T/c.pcap" --truth "$T/ct.json" --root-zone "$T/root.zone"
expect_rc 0 "$S" traffic collisions --root-zone "$T/root.zone" --output "$T/col.json" "$T/c.pcap"
expect_eq "$(json_get "$T/col.json" 'sorted((t["tld"], t["queries"]) for t in d["tlds"])')" \
	"$(json_get "$T/ct.json" 'sorted(d["collisions"].items())')" "collisions == truth"
expect_eq "$(json_get "$T/col.json" 'd["delegated_tlds"]')" "18" "delegated TLDs read from the root zone"
expect_eq "$(json_get "$T/col.json" '[t["reserved"] is not None for t in d["tlds"] if t["tld"] in ("home", "local", "internal", "lan")]')" \
	"$(json_get "$T/col.json" '[t["tld"] != "lan" for t in d["tlds"] if t["tld"] in ("home", "local", "internal", "lan")]')" "reserved names flagged, .lan not"
expect_eq "$(json_get "$T/col.json" 'all(t["sources"] <= t["queries"] and t["second_level_labels"] <= t["queries"] for t in d["tlds"])')" "True" "sources and labels bounded by queries"
if command -v tshark >/dev/null; then
	home=$(tshark -r "$T/c.pcap" -o tcp.reassemble_out_of_order:TRUE -Y 'dns.flags.response == 0 && !_ws.malformed && dns.qry.name matches "(^|\\.)home$"' -T fields -e frame.number 2>/dev/null | wc -l)
	expect_eq "$(json_get "$T/col.json" '[t["queries"] for t in d["tlds"] if t["tld"] == "home"][0]')" "$home" ".home queries == tshark"
fi
expect_rc 0 "$S" traffic collisions --root-zone "$T/root.zone" --format csv --top 2 "$T/c.pcap"
expect_eq "$(wc -l <"$T/out")" "3" "--top 2: header and two rows"
expect_grep "$T/out" '^tld,queries,sources,second_level_labels,top_second_level,reserved$'
expect_rc 0 "$S" traffic collisions --root-zone "$T/root.zone" --format html --output "$T/col.html" "$T/c.pcap"
expect_grep "$T/col.html" '<svg id="chart-collisions"'
# privacy signals and trust anchor telemetry against the generator's own counts
expect_rc 0 "$S" traffic stats --format json --output "$T/cs.json" "$T/c.pcap"
for k in queries qname_minimised ecs cookie edns; do
	expect_eq "$(json_get "$T/cs.json" "d['periods'][0]['privacy']['$k']")" "$(json_get "$T/ct.json" "d['privacy']['$k']")" "privacy $k"
done
expect_eq "$(json_get "$T/cs.json" 'd["periods"][0]["privacy"]["ecs_source_prefix"]')" \
	"$(json_get "$T/ct.json" '{"ipv4": d["privacy"]["ecs_ipv4"], "ipv6": d["privacy"]["ecs_ipv6"]}')" "ECS prefix lengths"
expect_rc 0 "$S" traffic stats --zone-depth 1 --format json --output "$T/cs1.json" "$T/c.pcap"
expect_eq "$(json_get "$T/cs1.json" 'd["periods"][0]["privacy"]["qname_minimised"] == d["periods"][0]["privacy"]["queries"]')" "True" "as a TLD server every 2-label query is minimised"
expect_rc 0 "$S" traffic trust-anchors --output "$T/ta.json" "$T/c.pcap"
expect_eq "$(json_get "$T/ta.json" 'd["do_queries"]')" "$(json_get "$T/ct.json" 'd["anchors"]["do_queries"]')" "DO queries"
for k in ta_queries edns_key_tag sentinel; do
	expect_eq "$(json_get "$T/ta.json" "sorted((t, v['queries']) for t, v in d['$k'].items())")" \
		"$(json_get "$T/ct.json" "sorted(d['anchors']['$k'].items())")" "trust anchors $k"
done
expect_eq "$(json_get "$T/ta.json" 'all(v["resolvers"] <= v["queries"] and v["resolvers"] > 0 for k in ("ta_queries", "edns_key_tag", "sentinel") for v in d[k].values())')" "True" "resolvers bounded by queries"
# a connection whose client sends each length in a segment of its own, with holes in the
# capture (one ending before a message's body, one inside a body): the framing is found again
# and every message whose bytes were captured is counted (tshark counts 10 of the 23 queries)
expect_rc 0 "$S" gen pcap --queries 3000 --seed 4 --tcp-holes 5 --output "$T/holes.pcap" --truth "$T/holes.json"
expect_rc 0 "$S" traffic stats --format json --output "$T/hs.json" "$T/holes.pcap"
if python3 "$C" truth "$T/holes.json" "$T/hs.json" >"$T/cmp" 2>&1; then ok; else fail "holes truth: $(cat "$T/cmp")"; fi
expect_eq "$(json_get "$T/hs.json" 'd["malformed"]["tcp-gap"], d["malformed"]["tcp-resync"]')" "(10, 5)" "holes and resynchronisations counted"
# mergeable state: two days captured apart, saved, merged == one run over both files
expect_rc 0 "$S" gen pcap --queries 20000 --seed 8 --date 2026-11-24 --output "$T/d2.pcap"
expect_rc 0 "$S" traffic stats --save-state "$T/d1.state" --output /dev/null "$T/g.pcap"
expect_rc 0 "$S" traffic stats --save-state "$T/d2.state" --output /dev/null "$T/d2.pcap"
expect_rc 0 "$S" traffic stats --format json --output "$T/both.json" "$T/g.pcap" "$T/d2.pcap"
expect_rc 0 "$S" traffic merge --format json --output "$T/merged.json" "$T/d1.state" "$T/d2.state"
expect_eq "$(json_get "$T/merged.json" 'len(d["periods"])')" "2" "two days"
cmp -s "$T/merged.json" "$T/both.json" && ok || fail "merged states differ from one run over both captures"
# a state of an earlier build (its counters end before 'tcp-resync') still merges
python3 - "$T/d2.state" "$T/d2old.state" <<'PY'
import struct, sys, zlib
b = bytearray(open(sys.argv[1], "rb").read())
n = struct.unpack_from("<I", b, 21)[0]
assert n == 26, n
del b[25 + 25 * 8:25 + 26 * 8]
struct.pack_into("<I", b, 21, 25)
b[-4:] = struct.pack("<I", zlib.crc32(bytes(b[:-4])))
open(sys.argv[2], "wb").write(b)
PY
expect_rc 0 "$S" traffic merge --format json --output "$T/merged2.json" "$T/d1.state" "$T/d2old.state"
cmp -s "$T/merged2.json" "$T/both.json" && ok || fail "a state with the earlier counters does not merge the same"
# hours saved apart merge into the day exactly (editcap cuts the capture at hour boundaries)
if command -v editcap >/dev/null; then
	editcap -B "2026-11-23 09:00:00" "$T/g.pcap" "$T/h1.pcap"
	editcap -A "2026-11-23 09:00:00" -B "2026-11-23 17:00:00" "$T/g.pcap" "$T/h2.pcap"
	editcap -A "2026-11-23 17:00:00" "$T/g.pcap" "$T/h3.pcap"
	for h in 1 2 3; do "$S" traffic stats --interval hour --save-state "$T/h$h.state" --output /dev/null "$T/h$h.pcap"; done
	expect_rc 0 "$S" traffic merge --format json --output "$T/hm.json" "$T/h1.state" "$T/h2.state" "$T/h3.state"
	expect_eq "$(json_get "$T/hm.json" 'd["periods"]')" "$(json_get "$T/s.json" 'd["periods"]')" "hourly states merged into the day"
	expect_rc 0 "$S" traffic merge --interval hour --format json --output "$T/hh.json" "$T/h1.state" "$T/h3.state" "$T/h2.state"
	expect_eq "$(json_get "$T/hh.json" 'len(d["periods"])')" "24" "hourly states kept hourly"
fi
# --approx: HyperLogLog within 3 standard errors (2.44%) of the exact counts; states merge
expect_rc 0 "$S" traffic stats --approx --save-state "$T/a1.state" --format json --output "$T/ap.json" "$T/g.pcap"
expect_eq "$(json_get "$T/ap.json" 'all(abs(v - e) <= 0.0244 * e for v, e in zip(d["periods"][0]["unique-sources"].values(), '"$(json_get "$T/s.json" 'list(d["periods"][0]["unique-sources"].values())')"'))')" "True" "approx within 2.44%"
expect_eq "$(json_get "$T/ap.json" 'd["periods"][0]["unique-sources-method"]["method"]')" "hyperloglog" "method named"
expect_eq "$(json_get "$T/ap.json" 'd["periods"][0]["traffic-volume"]')" "$(json_get "$T/s.json" 'd["periods"][0]["traffic-volume"]')" "approx changes only the sources"
expect_rc 0 "$S" traffic merge --approx --format json --output "$T/am.json" "$T/a1.state" "$T/d1.state"
expect_eq "$(json_get "$T/am.json" 'd["periods"][0]["unique-sources"]')" "$(json_get "$T/ap.json" 'd["periods"][0]["unique-sources"]')" "a set merged into its own sketch adds nothing"
# bad states: named with the offset, nothing written
expect_rc 1 "$S" traffic merge --output "$T/no.yaml" "$T/a1.state"
expect_grep "$T/err" "state '$T/a1.state' offset 21: an approximate \(--approx\) state merges only with --approx"
head -c 5000 "$T/d1.state" >"$T/cut.state"
expect_rc 1 "$S" traffic merge --output "$T/no.yaml" "$T/d1.state" "$T/cut.state"
expect_grep "$T/err" "state '$T/cut.state' offset 5000: truncated"
python3 -c "import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[3000] ^= 1; open(sys.argv[2], 'wb').write(b)" "$T/d1.state" "$T/flip.state"
expect_rc 1 "$S" traffic merge --output "$T/no.yaml" "$T/flip.state"
expect_grep "$T/err" "state '$T/flip.state' offset [0-9]+: (checksum mismatch|bad|counter|more)"
expect_rc 1 "$S" traffic merge --output "$T/no.yaml" "$T/g.pcap"
expect_grep "$T/err" "state '$T/g.pcap' offset 0: not an ssrwatch traffic state"
expect_rc 1 "$S" traffic merge --interval hour --output "$T/no.yaml" "$T/d1.state"
expect_grep "$T/err" "its interval does not divide the interval asked for"
expect_rc 1 "$S" traffic merge --zone-depth 1 --output "$T/no.yaml" "$T/d1.state"
expect_grep "$T/err" "made with another --zone-depth"
[ ! -e "$T/no.yaml" ] && [ ! -e "$T/no.yaml.tmp" ] && ok || fail "a failed merge left output"
zstd -q -c "$T/d1.state" >"$T/d1.state.zst"
expect_rc 0 "$S" traffic merge --format json --output "$T/z.json" "$T/d1.state.zst"
expect_eq "$(json_get "$T/z.json" 'd["periods"]')" "$(json_get "$T/s.json" 'd["periods"]')" "a zstd state"
# --output and --save-state to a device or FIFO write into it (never renamed over it)
expect_eq "$(stat -c %F /dev/null)" "character special file" "/dev/null is still a device"
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/fifo.out" &
expect_rc 0 "$S" traffic stats --output "$T/fifo" "$T/g.pcap"
wait
cmp -s "$T/fifo.out" "$T/a.yaml" && ok || fail "output through a FIFO differs"
[ -p "$T/fifo" ] && ok || fail "the FIFO was replaced"
# collisions and trust-anchors states merge too (two days' captures)
expect_rc 0 "$S" traffic collisions --root-zone "$T/root.zone" --top 0 --output "$T/cb.json" "$T/c.pcap" "$T/d2.pcap"
expect_rc 0 "$S" traffic collisions --root-zone "$T/root.zone" --save-state "$T/c1.st" --output /dev/null "$T/c.pcap"
expect_rc 0 "$S" traffic collisions --root-zone "$T/root.zone" --save-state "$T/c2.st" --output /dev/null "$T/d2.pcap"
expect_rc 0 "$S" traffic merge --top 0 --output "$T/cm.json" "$T/c1.st" "$T/c2.st"
cmp -s "$T/cb.json" "$T/cm.json" && ok || fail "merged collisions states differ from one run"
expect_rc 0 "$S" traffic merge --format csv --top 2 "$T/c1.st" "$T/c2.st"
expect_eq "$(wc -l <"$T/out")" "3" "merged collisions as CSV"
expect_rc 0 "$S" traffic trust-anchors --output "$T/tb.json" "$T/c.pcap" "$T/d2.pcap"
expect_rc 0 "$S" traffic trust-anchors --save-state "$T/t1.st" --output /dev/null "$T/c.pcap"
expect_rc 0 "$S" traffic trust-anchors --save-state "$T/t2.st" --output /dev/null "$T/d2.pcap"
expect_rc 0 "$S" traffic merge --output "$T/tm.json" "$T/t1.st" "$T/t2.st"
expect_eq "$(json_get "$T/tm.json" 'd')" "$(json_get "$T/tb.json" 'd')" "merged trust-anchor states == one run"
expect_rc 1 "$S" traffic merge --output "$T/no.yaml" "$T/c1.st" "$T/t1.st"
expect_grep "$T/err" "state '$T/t1.st' offset 8: a 'traffic trust-anchors' state"
expect_rc 2 "$S" traffic merge --format yaml "$T/c1.st"
printf '; other\n. 86400 IN SOA a. b. 1 1 1 1 1\nxyz. 86400 IN NS a.nic.xyz.\n' >"$T/other.zone"
expect_rc 0 "$S" traffic collisions --root-zone "$T/other.zone" --save-state "$T/c3.st" --output /dev/null "$T/c.pcap"
expect_rc 1 "$S" traffic merge "$T/c1.st" "$T/c3.st"
expect_grep "$T/err" "state '$T/c3.st' offset [0-9]+: made against another root zone"
# reassembly knobs and checksums (the generator writes correct IPv4 header checksums only)
expect_rc 0 "$S" traffic stats --reassembly-memory 1 --reassembly-timeout 5 --format json --output "$T/k.json" "$T/g.pcap"
expect_eq "$(json_get "$T/k.json" 'd["periods"][0]["traffic-volume"]')" "$(json_get "$T/s.json" 'd["periods"][0]["traffic-volume"]')" "small reassembly limits still enough here"
expect_rc 0 "$S" traffic stats --verify-checksums --format json --output "$T/ck.json" "$T/g.pcap"
expect_eq "$(json_get "$T/ck.json" 'd["periods"], d["malformed"]["checksum"]')" "$(json_get "$T/s.json" 'd["periods"], 0')" "--verify-checksums: the generator's checksums are right"
# one byte of a DNS payload changed: its checksum no longer matches
python3 - "$T/g.pcap" "$T/bad.pcap" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
off = 24
while True:  # the first IPv4 UDP packet: flip a byte of its DNS message
    n = struct.unpack("<I", d[off + 8:off + 12])[0]
    f = off + 16
    if d[f + 12:f + 14] == b"\x08\x00" and d[f + 23] == 17:
        d[f + 14 + 20 + 8 + 3] ^= 0x40
        break
    off += 16 + n
open(sys.argv[2], "wb").write(d)
PY
expect_rc 0 "$S" traffic stats --verify-checksums --format json --output "$T/ck2.json" "$T/bad.pcap"
expect_eq "$(json_get "$T/ck2.json" 'd["malformed"]["checksum"], d["packets"]["dns_messages"]')" "$(json_get "$T/s.json" '1, d["packets"]["dns_messages"] - 1')" "a bad UDP checksum counted, its message not"
expect_rc 2 "$S" traffic stats --reassembly-memory 0 "$T/g.pcap"
expect_grep "$T/err" "bad --reassembly-memory '0'"
expect_rc 2 "$S" traffic stats --reassembly-timeout 0 "$T/g.pcap"
expect_grep "$T/err" "bad --reassembly-timeout '0'"
expect_rc 2 "$S" gen pcap --date 2026-13-01 --output "$T/x.pcap"
expect_grep "$T/err" "bad date '2026-13-01'"
expect_rc 2 "$S" traffic merge --top x "$T/d1.state"
expect_rc 2 "$S" traffic merge
expect_rc 2 "$S" traffic stats --zone-depth x "$T/c.pcap"
printf '; nothing\n' >"$T/empty.zone"
expect_rc 1 "$S" traffic collisions --root-zone "$T/empty.zone" "$T/c.pcap"
expect_grep "$T/err" "root zone '$T/empty.zone': no TLD delegation"
expect_rc 2 "$S" traffic collisions "$T/c.pcap"
expect_rc 2 "$S" traffic stats --interval week "$T/g.pcap"
expect_rc 2 "$S" traffic stats --ports 0 "$T/g.pcap"
finish
