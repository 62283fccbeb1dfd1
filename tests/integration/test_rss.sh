#!/usr/bin/env bash
# Integration: RSSAC047 against the simulated root server system (scripts/rss-sim.sh: Knot DNS
# and NSD behind the fault-injecting relay, three VPs, every address loopback).  Every figure of
# the report is compared with what tests/integration/rss_expected.py derives from the plan
# alone; the report is the same byte for byte whatever the order or grouping of the states;
# bad states, months and files are refused with the file and offset named.
# RSSAC047 [rps] [ntt] [nuc] [vmx] [fdy] [gwm] [vpj] [tkw] [hnr] [dew] [otd]
. "$(dirname "$0")/lib.sh"
S=$SSRWATCH
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIM=$ROOT/data/rss/sim
EXPECT="python3 $(dirname "$0")/rss_expected.py"

# The wall clock of the VPs and the relay steps 4 s (more than one simulated interval) ahead
# in the middle of the run, as an NTP correction on a CI machine once did: they time the
# simulation on the machine's monotonic clock, so no interval is lost, moved or excluded.
# libfaketime (Debian's faketime) moves CLOCK_REALTIME only (DONT_FAKE_MONOTONIC).
FT=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -1)
[ -n "$FT" ] || fail "libfaketime is missing (scripts/deps.sh installs faketime)"
echo "+0" >"$T/faketime"
cat >"$T/ssrwatch-ft" <<W
#!/bin/sh
export LD_PRELOAD=$FT FAKETIME_TIMESTAMP_FILE=$T/faketime FAKETIME_NO_CACHE=1 DONT_FAKE_MONOTONIC=1
export ASAN_OPTIONS="\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0"
exec "$S" "\$@"
W
chmod +x "$T/ssrwatch-ft"
(sleep 36 && echo "+4" >"$T/faketime") &
stepper=$!
SSRWATCH=$T/ssrwatch-ft bash "$ROOT/scripts/rss-sim.sh" "$T/sim" >"$T/sim.out" 2>&1 || fail "the simulation failed: $(tail -c 600 "$T/sim.out")"
wait "$stepper" 2>/dev/null || true
# the step took effect in the wrapped processes' wall clock (else this proves nothing)
ahead=$(($(LD_PRELOAD=$FT FAKETIME_TIMESTAMP_FILE=$T/faketime FAKETIME_NO_CACHE=1 date +%s) - $(date +%s)))
[ "$ahead" -ge 3 ] && [ "$ahead" -le 5 ] && ok || fail "the faked wall clock is $ahead s ahead, want 4"
for v in vp1 vp2 vp3; do expect_grep "$T/sim/$v.err" "24 intervals, [0-9]+ queries, 0 skipped as already measured, 0 clock jumps"; done
a=$T/sim/state/vp1-2026-11.state
b=$T/sim/state/vp2-2026-11.state
c=$T/sim/state/vp3-2026-11.state
for f in "$a" "$b" "$c"; do [ -s "$f" ] && ok || fail "no state $f"; done
# vp3 took its zones by AXFR from the distribution server; vp1 refused the two bad zones
expect_grep "$T/sim/vp3.err" "24 intervals"
if grep -q "axfr" "$T/sim/vp3.err"; then fail "vp3 AXFR: $(grep axfr "$T/sim/vp3.err" | head -2)"; else ok; fi
expect_grep "$T/sim/vp1.err" "root zone not used: zone '.*bad-signature.zone': '.' type 6: RRSIG by key [0-9]+: does not verify"
expect_grep "$T/sim/vp1.err" "root zone not used: zone '.*bad-zonemd.zone': '.' type 63: ZONEMD SHA-384 digest does not match the zone"

# every figure against the plan
expect_rc 0 "$S" rss report --month 2026-11 --format json --output "$T/r.json" "$a" "$b" "$c"
expect_rc 0 $EXPECT "$SIM/plan.txt" "$T/r.json" vp1,vp2,vp3
cat "$T/out"
# any order, any grouping: byte-identical
expect_rc 0 "$S" rss report --month 2026-11 --format json --output "$T/r2.json" "$c" "$a" "$b"
cmp -s "$T/r.json" "$T/r2.json" && ok || fail "the report depends on the order of the states"
expect_rc 0 "$S" rss merge --output "$T/ca.state" "$c" "$a"
expect_rc 0 "$S" rss report --month 2026-11 --format json --output "$T/r3.json" "$b" "$T/ca.state"
cmp -s "$T/r.json" "$T/r3.json" && ok || fail "the report of merged states differs"
expect_rc 0 "$S" rss merge --output "$T/all.state" "$T/ca.state" "$b"
expect_rc 0 "$S" rss report --month 2026-11 --format json --output "$T/r4.json" "$T/all.state"
cmp -s "$T/r.json" "$T/r4.json" && ok || fail "the report of one merged state differs"
# a state twice: refused, both files named; nothing written
expect_rc 1 "$S" rss report --month 2026-11 --output "$T/no.json" "$a" "$T/ca.state"
expect_grep "$T/err" "VP 'vp1' interval 0 is also in"
[ ! -e "$T/no.json" ] && ok || fail "a failed report left a file"
# the text, CSV and HTML forms; RSI figures as pass/fail, RSS values
expect_rc 0 "$S" rss report --month 2026-11 "$a" "$b" "$c"
expect_grep "$T/out" "^c +pass +pass +pass +pass +fail +pass +fail +pass +pass +pass"
expect_grep "$T/out" "availability % +99.47916 +fail"
expect_rc 0 "$S" rss report --month 2026-11 --format csv --output "$T/r.csv" "$a" "$b" "$c"
expect_grep "$T/r.csv" "^2026-11,rsi,e,correctness,,fail,"
expect_grep "$T/r.csv" "^2026-11,rss,rss,availability,udp4,fail,99.47916,72$"
expect_rc 0 "$S" rss report --month 2026-11 --format html --output "$T/r.html" "$a" "$b" "$c"
for id in rsi rss chart-availability chart-latency chart-publication; do expect_grep "$T/r.html" "id=\"$id\""; done
# exclusions (RSSAC047 [raz] [xjv]): vp2 left out all month, b at vp1 for the first hour
cat >"$T/excl.txt" <<X
vp2 * 2026-11-01T00:00:00Z 2026-12-01T00:00:00Z the VP's upstream failed
vp1 b 2026-11-01T00:00:00Z 2026-11-01T01:00:00Z RSO maintenance, announced
X
expect_rc 0 "$S" rss report --month 2026-11 --exclusions "$T/excl.txt" --format json --output "$T/rx.json" "$a" "$b" "$c"
expect_eq "$(json_get "$T/rx.json" '[e["measurements_removed"] for e in d["exclusions"]]')" "[1560, 60]" "measurements removed"
expect_eq "$(json_get "$T/rx.json" 'd["rsi"][1]["data"]["availability"]["udp4"]["sent"]')" "36" "b's UDP4 queries left"
expect_eq "$(json_get "$T/rx.json" 'd["rss"]["availability"]["udp4"]["vp_intervals"]')" "48" "RSS VP intervals without vp2"
expect_rc 1 "$S" rss report --month 2026-11 --exclusions "$T/sim/relay.log" "$a"
expect_grep "$T/err" "exclusions '.*relay.log' line 1: want 'VP RSI FROM TO REASON'"
# the store and the tracker: Rec 22's live figure
expect_rc 0 "$S" recs import --store "$T/rs.db"
expect_rc 0 "$S" rss report --month 2026-11 --store "$T/rs.db" --output /dev/null "$a" "$b" "$c"
expect_rc 0 "$S" recs show SSR2-22 --store "$T/rs.db" --today 2026-12-06 --format json
expect_eq "$(json_get "$T/out" 'd["live"]["figure"] + " " + str(d["live"]["stale"])')" "RSSAC047: 3 of 13 RSIs pass every threshold; 5 RSS thresholds missed False" "Rec 22 live figure"
# bad input: a torn state, another month, not a state; nothing reported from a failed merge
cp "$a" "$T/torn.state"
truncate -s -100 "$T/torn.state"
expect_rc 1 "$S" rss report --month 2026-11 "$T/torn.state"
expect_grep "$T/err" "rss state '.*torn.state' offset [0-9]+: truncated record"
expect_rc 1 "$S" rss report --month 2026-10 "$a"
expect_grep "$T/err" "VP 'vp1' is of month 2026-11, not 2026-10"
expect_rc 1 "$S" rss report --month 2026-11 "$SIM/plan.txt"
expect_grep "$T/err" "rss state '.*plan.txt' offset 0: not an RSS state"
expect_rc 2 "$S" rss report "$a"
# a restart resumes and --repair cuts a torn record off
mkdir -p "$T/re"
cp "$T/torn.state" "$T/re/vp1-2026-11.state"
remeasure() { # nominal time: interval 30 of the simulated month, after the last one recorded
	"$S" rss measure --rsi "$SIM/rsi.list" --vp vp1 --region Europe --state-dir "$T/re" --intervals 1 \
		--timeout-ms 100 --sim-start 2026-11-01T00:00:00Z --sim-epoch-ms $(($(date +%s%3N) - 30000)) \
		--sim-interval-ms 1000 --no-ipv6 "$@"
}
expect_rc 1 remeasure
expect_grep "$T/err" "rss state '.*vp1-2026-11.state' offset [0-9]+: truncated record"
expect_rc 0 remeasure --repair
expect_grep "$T/err" "1 intervals"
expect_rc 0 "$S" rss report --month 2026-11 --format json --output "$T/re.json" "$T/re/vp1-2026-11.state"
expect_eq "$(json_get "$T/re.json" 'd["vp_intervals"]')" "24" "intervals after the repair and one more"
# the raw exchanges are readable libprobe records
rec=$(find "$T/sim/raw" -name 'vp1-*.rec' | head -1)
[ -n "$rec" ] && ok || fail "no raw records"
expect_rc 0 "$S" probe read "$rec"
expect_grep "$T/out" "NSID|nsid"
# requirements: every implemented one cited in the code
expect_rc 0 "$S" rss requirements
if grep -q "NOT CITED" "$T/out"; then fail "requirements not cited: $(grep 'NOT CITED' "$T/out" | head -3)"; else ok; fi
expect_grep "$T/out" "^\[vno\] 4.8 +out-of-scope"
expect_rc 0 "$S" rss zone-check --trust-anchor-file "$SIM/root.ds" "$SIM/root-2026110200.zone"
expect_rc 1 "$S" rss zone-check --trust-anchor-file "$SIM/root.ds" "$SIM/bad-zonemd.zone"
finish
