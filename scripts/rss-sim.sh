#!/usr/bin/env bash
# rss-sim.sh OUTDIR [PLAN]: run the simulated root server system of data/rss/sim/ and measure
# it from three vantage points, every address on loopback:
#   - a Knot DNS distribution server (127.12.9.1:5300) serving the root zone, NOTIFYing
#   - a Knot DNS and an NSD secondary (127.12.1.1, 127.12.1.2) that transfer it
#   - a Knot DNS server holding the previous zone (127.12.1.3: the plan's stale faults)
#   - ssrwatch gen rss-relay in front of the 13 RSIs (127.12.0.1-13:5300, [::1]:5301-5313)
#     applying the plan's faults and publishing its new zones on schedule
#   - ssrwatch rss measure as vp1 and vp2 (OUTDIR/zones: the zones published so far) and vp3
#     (AXFR from the
#     distribution server), sources 127.12.2.1-3 and ::1
# Leaves OUTDIR/state/*.state, OUTDIR/raw/, OUTDIR/relay.log and the daemons' logs; stops
# every process it started, whatever happens.  SSRWATCH: the binary (default build/ssrwatch).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SSRWATCH=${SSRWATCH:-$ROOT/build/ssrwatch}
SIM=$ROOT/data/rss/sim
OUT=${1:?usage: rss-sim.sh OUTDIR [PLAN]}
PLAN=${2:-$SIM/plan.txt}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
W=$OUT/daemons
rm -rf "$W" "$OUT/state" "$OUT/raw" "$OUT/zones"
mkdir -p "$W/dist" "$W/ksec" "$W/kold" "$W/nsd" "$OUT/state" "$OUT/raw" "$OUT/zones"
KNOTD=$(command -v knotd || echo /usr/sbin/knotd)
KNOTC=$(command -v knotc || echo /usr/sbin/knotc)
NSD=$(command -v nsd || echo /usr/sbin/nsd)
for b in "$KNOTD" "$KNOTC" "$NSD"; do
	[ -x "$b" ] || { echo "rss-sim: $b is missing (scripts/deps.sh installs knot and nsd)" >&2; exit 1; }
done
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
IMS=$(awk '$1 == "interval-ms" {print $2}' "$PLAN")
N=$(awk '$1 == "intervals" {print $2}' "$PLAN")
FIRST=$SIM/root-2026110100.zone
cp "$FIRST" "$W/dist/root.zone"
cp "$FIRST" "$W/kold/root.zone"
# the VPs' zone directory: the zones published so far, and two that must be refused
cp "$FIRST" "$SIM/bad-signature.zone" "$SIM/bad-zonemd.zone" "$OUT/zones/"

# knot_conf DIR ADDR NSID ZONE-LINES: a Knot DNS configuration
knot_conf() {
	cat >"$1/knot.conf" <<CONF
server:
    listen: $2@5300
    rundir: $1
    nsid: $3
database:
    storage: $1
log:
  - target: stderr
    any: warning
remote:
  - id: dist
    address: 127.12.9.1@5300
  - id: ksec
    address: 127.12.1.1@5300
    via: 127.12.9.1
  - id: nsd
    address: 127.12.1.2@5300
    via: 127.12.9.1
acl:
  - id: xfr
    address: 127.0.0.0/8
    action: transfer
  - id: notify
    address: 127.0.0.0/8
    action: notify
template:
  - id: default
    semantic-checks: off
    zonefile-sync: -1
    journal-content: none
zone:
$4
CONF
}
knot_conf "$W/dist" 127.12.9.1 dist "  - domain: .
    file: $W/dist/root.zone
    notify: [ksec, nsd]
    acl: xfr"
knot_conf "$W/ksec" 127.12.1.1 knot-secondary "  - domain: .
    master: dist
    acl: notify
    file: $W/ksec/root.zone"
knot_conf "$W/kold" 127.12.1.3 knot-stale "  - domain: .
    file: $W/kold/root.zone"
cat >"$W/nsd/nsd.conf" <<CONF
server:
    ip-address: 127.12.1.2@5300
    port: 5300
    username: ""
    chroot: ""
    zonesdir: "$W/nsd"
    zonelistfile: "$W/nsd/zone.list"
    database: ""
    pidfile: "$W/nsd/nsd.pid"
    xfrdfile: "$W/nsd/xfrd.state"
    xfrdir: "$W/nsd"
    logfile: "$W/nsd/nsd.log"
    nsid: "ascii_nsd-secondary"
    server-count: 1
    verbosity: 1
remote-control:
    control-enable: no
zone:
    name: "."
    zonefile: "$W/nsd/root.zone"
    request-xfr: AXFR 127.12.9.1@5300 NOKEY
    allow-notify: 127.0.0.0/8 NOKEY
CONF
for d in dist kold ksec; do
	"$KNOTD" -c "$W/$d/knot.conf" >"$W/$d/knotd.log" 2>&1 &
	pids+=($!)
done
"$NSD" -d -c "$W/nsd/nsd.conf" >"$W/nsd/nsd.out" 2>&1 &
pids+=($!)
# each server answers the first zone before the clock starts (at most 15 s)
for a in 127.12.9.1 127.12.1.3 127.12.1.1 127.12.1.2; do
	up=0
	for _ in $(seq 150); do
		if "$SSRWATCH" probe query --server "$a:5300" --timeout-ms 200 --format json . SOA 2>/dev/null |
			grep -q '"rcode": "NOERROR"'; then
			up=1
			break
		fi
		sleep 0.1
	done
	[ "$up" = 1 ] || { echo "rss-sim: the server on $a:5300 did not serve the root zone" >&2; tail -5 "$W"/*/*.log "$W/nsd/nsd.out" >&2 || true; exit 1; }
done
cat >"$W/publish.sh" <<PUB
#!/bin/sh
# publish.sh NEW PREVIOUS: the distribution server takes NEW, the stale server PREVIOUS, the
# VPs' zone directory gets NEW
cp "\$1" "$OUT/zones/.new.tmp" && mv "$OUT/zones/.new.tmp" "$OUT/zones/\$(basename "\$1")"
cp "\$1" "$W/dist/root.zone.tmp" && mv "$W/dist/root.zone.tmp" "$W/dist/root.zone"
"$KNOTC" -c "$W/dist/knot.conf" zone-reload . >/dev/null
cp "\$2" "$W/kold/root.zone.tmp" && mv "$W/kold/root.zone.tmp" "$W/kold/root.zone"
"$KNOTC" -c "$W/kold/knot.conf" zone-reload . >/dev/null
PUB
chmod +x "$W/publish.sh"
EPOCH=$(($(date +%s%3N) + 3000))
"$SSRWATCH" gen rss-relay --plan "$PLAN" --rsi "$SIM/rsi.list" --epoch-ms "$EPOCH" \
	--on-publish "$W/publish.sh" --log "$OUT/relay.log" 2>"$OUT/relay.err" &
relay=$!
pids+=($relay)
common=(--rsi "$SIM/rsi.list" --state-dir "$OUT/state" --raw-dir "$OUT/raw"
	--trust-anchor-file "$SIM/root.ds" --intervals "$N" --timeout-ms 800
	--sim-start 2026-11-01T00:00:00Z --sim-epoch-ms "$EPOCH" --sim-interval-ms "$IMS" --src6 ::1)
vps=()
"$SSRWATCH" rss measure "${common[@]}" --vp vp1 --region Europe --src4 127.12.2.1 \
	--zone-dir "$OUT/zones" --seed 1 2>"$OUT/vp1.err" &
vps+=($!)
"$SSRWATCH" rss measure "${common[@]}" --vp vp2 --region Africa --src4 127.12.2.2 \
	--zone-dir "$OUT/zones" --seed 2 --case-randomize --cookie 2>"$OUT/vp2.err" &
vps+=($!)
"$SSRWATCH" rss measure "${common[@]}" --vp vp3 --region North-America --src4 127.12.2.3 \
	--axfr 127.12.9.1:5300 --seed 3 2>"$OUT/vp3.err" &
vps+=($!)
pids+=("${vps[@]}")
rc=0
for p in "${vps[@]}"; do wait "$p" || rc=1; done
wait "$relay" || rc=1
[ "$rc" = 0 ] || { echo "rss-sim: a vantage point or the relay failed:" >&2; tail -5 "$OUT"/*.err >&2; }
exit "$rc"
