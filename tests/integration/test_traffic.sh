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
expect_rc 2 "$S" traffic stats --zone-depth x "$T/c.pcap"
printf '; nothing\n' >"$T/empty.zone"
expect_rc 1 "$S" traffic collisions --root-zone "$T/empty.zone" "$T/c.pcap"
expect_grep "$T/err" "root zone '$T/empty.zone': no TLD delegation"
expect_rc 2 "$S" traffic collisions "$T/c.pcap"
expect_rc 2 "$S" traffic stats --interval week "$T/g.pcap"
expect_rc 2 "$S" traffic stats --ports 0 "$T/g.pcap"
finish
