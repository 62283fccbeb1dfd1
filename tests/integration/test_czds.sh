#!/usr/bin/env bash
# czds run against a stand-in CZDS server on loopback (tests/integration/czds/standin.py) that
# plays tests/integration/czds/script.json day by day: expiring access (warned, extended, then
# refused), a 403 with its reason, a late file, a truncated download resumed on a second run,
# a stale file (serial behind the live SOA asked of a real Knot DNS), expired and pending
# access, ZONEMD valid and invalid (zones signed by ldns-signzone), a HEAD that hangs, a link
# list that is not JSON.  Each day's rows must equal the script's expectations, and the stored
# availability report what they add up to; the tracker's Rec 25 entry shows the live figure.
. "$(dirname "$0")/lib.sh"
C="$SSR_SOURCE/tests/integration/czds"
S=$SSRWATCH
SPID=
# knotd is waited for: it writes into $T/knot while it stops, and rm would race with it
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; [ -n "${KPID:-}" ] && { kill "$KPID" 2>/dev/null; wait "$KPID" 2>/dev/null || true; }; rm -rf "$T"' EXIT
mkdir -p "$T/files" "$T/zones"
# hotel: signed with ZONEMD; india: the same, then one record changed (ZONEMD no longer matches);
# kilo: ZONEMD right, signatures expired before the days played
for z in hotel india kilo; do
	exp=20361231000000
	[ "$z" = kilo ] && exp=20260101000000
	printf '$ORIGIN %s.\n$TTL 3600\n@ SOA ns1.nic.%s. hostmaster.nic.%s. 5 1800 900 604800 86400\n@ NS ns1.nic.%s.\nns1.nic A 127.0.0.1\nd1 NS ns1.example.net.\n' \
		"$z" "$z" "$z" "$z" >"$T/files/$z.src"
	(cd "$T/files" && k=$(ldns-keygen -a ECDSAP256SHA256 -k "$z.") && ldns-signzone -i 20250101000000 \
		-e "$exp" -z 1:1 -o "$z." -f "$z.zone" "$z.src" "$k" >/dev/null)
done
sed -i 's/^\(ns1\.nic\.india\.[[:space:]].*A[[:space:]]*\)127\.0\.0\.1/\1127.0.0.2/' "$T/files/india.zone"
grep -q '127.0.0.2' "$T/files/india.zone" && ok || fail "india.zone was not changed"
# the live SOA serials: a real Knot DNS serving alpha, bravo and foxtrot on loopback
KPORT=$(free_port)
mkdir -p "$T/knot"
{
	printf 'server:\n    listen: 127.0.0.1@%s\n    rundir: %s\ndatabase:\n    storage: %s\nlog:\n  - target: stderr\n    any: warning\nzone:\n' "$KPORT" "$T/knot" "$T/knot"
	for z in alpha bravo foxtrot; do
		serial=$(json_get "$C/script.json" "d['live']['$z']")
		printf '$ORIGIN %s.\n$TTL 3600\n@ SOA ns1.nic.%s. hostmaster.nic.%s. %s 1800 900 604800 86400\n@ NS ns1.nic.%s.\n' \
			"$z" "$z" "$z" "$serial" "$z" >"$T/zones/$z.zone"
		printf '  - domain: %s.\n    file: %s\n' "$z" "$T/zones/$z.zone"
	done
} >"$T/knot/knot.conf"
knotd -c "$T/knot/knot.conf" >"$T/knot/log" 2>&1 &
KPID=$!
for _ in $(seq 100); do
	$S probe query --server "127.0.0.1:$KPORT" --timeout-ms 200 foxtrot. SOA >/dev/null 2>&1 && break
	sleep 0.05
done
printf 'correct horse\n' >"$T/pw"
start() { # start DAY: the stand-in playing DAY; its address in URL
	rm -f "$T/port"
	python3 "$C/standin.py" "$C/script.json" "$1" "$T/files" "$T/port" "$T/standin.log" &
	SPID=$!
	for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
	URL="http://127.0.0.1:$(cat "$T/port")"
}
stop() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null || true; SPID=; }
run() { # run DAY OUT [extra...]
	local d=$1 out=$2
	shift 2
	"$S" czds run --auth-url "$URL" --czds-url "$URL" --username monitor@example.test \
		--password-file "$T/pw" --dir "$T/dl" --day "$d" --store "$T/s.db" --warn-days 10 \
		--extend --request-reason "SSR research" --timeout-s 2 --format json --output "$out" \
		--soa-server "alpha=127.0.0.1:$KPORT" --soa-server "bravo=127.0.0.1:$KPORT" \
		--soa-server "foxtrot=127.0.0.1:$KPORT" "$@"
}
check() { python3 "$C/check.py" day "$C/script.json" "$@" && ok || fail "czds $1: rows differ from the script"; }

start 2026-12-01
expect_rc 1 run 2026-12-01 "$T/d1.json"
check 2026-12-01 "$T/d1.json"
expect_grep "$T/err" "warning: access to 'bravo' expires in 7 days"
expect_grep "$T/err" "warning: 'delta': the file was modified at 2026-12-01T09:30:00Z, not by 06:00"
[ -s "$T/dl/2026-12-01/alpha.zone.gz" ] && ok || fail "alpha's file is not kept"
[ -s "$T/dl/2026-12-01/echo.zone.gz.part" ] && ok || fail "echo's partial file is not kept for a resume"
# the same day again: echo resumes from where it stopped (a Range request), and is complete
expect_rc 0 run 2026-12-01 "$T/d1b.json" --tld echo
expect_eq "$(json_get "$T/d1b.json" "[(r['tld'], r['downloaded'], r['error']) for r in d]")" "[('echo', True, None)]" "echo resumed"
expect_grep "$T/standin.log" '"path": "/czds/downloads/echo.zone", "status": 206, "range": "bytes=[0-9]+-"'
expect_eq "$(zcat "$T/dl/2026-12-01/echo.zone.gz" | grep -c ' NS ns1.host')" "4000" "the resumed file is whole"
grep -q '"path": "/czds/requests/extension/req-bravo", "status": 200' "$T/standin.log" && ok || fail "no extension request"
grep -q '"path": "/czds/requests/create", "status": 200' "$T/standin.log" && ok || fail "no access request"
stop
start 2026-12-02
expect_rc 1 run 2026-12-02 "$T/d2.json"
check 2026-12-02 "$T/d2.json"
expect_eq "$(json_get "$T/d2.json" "[round(r['size_change'], 6) for r in d if r['tld'] == 'alpha']")" "[0.0]" "size change against the day before"
stop
start 2026-12-03
expect_rc 1 run 2026-12-03 "$T/d3.json" --tld alpha
check 2026-12-03 "$T/d3.json"
expect_grep "$T/err" "downloads/links: the answer is not a JSON array: '<html>maintenance</html>'"
stop
# a wrong password: the run fails, naming the request
start 2026-12-03
printf 'wrong\n' >"$T/pw"
expect_rc 1 run 2026-12-03 "$T/d4.json" --tld alpha
expect_grep "$T/err" "authenticate: HTTP 401: .*Invalid username or password"
printf 'correct horse\n' >"$T/pw"
stop
# the availability report adds up what the script expects; every format
expect_rc 0 "$S" czds report --store "$T/s.db" --format json --output "$T/rep.json"
python3 "$C/check.py" report "$C/script.json" "$T/rep.json" >"$T/rep.err" 2>&1 || true
[ ! -s "$T/rep.err" ] && ok || fail "report: $(cat "$T/rep.err")"
expect_rc 0 "$S" czds report --store "$T/s.db" --from 2026-12-02 --to 2026-12-02 --format json --output "$T/rep2.json"
expect_eq "$(json_get "$T/rep2.json" "[(t['tld'], t['days'], t['downloaded']) for t in d['tlds']][:3] + [d['overall']['days']]")" \
	"[('alpha', 1, 1), ('bravo', 1, 1), ('charlie', 1, 1), 6]" "report of one day"
expect_rc 0 "$S" czds report --store "$T/s.db" --format csv --output "$T/rep.csv"
# alpha: day 1 stale, day 2 fine, day 3 failed (the wrong password: status unknown)
expect_grep "$T/rep.csv" '^alpha,3,2,2,1,1,0,0,0,2,0\.6667,unknown,,'
expect_rc 0 "$S" czds report --store "$T/s.db" --format html --output "$T/rep.html"
expect_grep "$T/rep.html" '<td>hotel</td><td>1</td><td>1</td>'
# the tracker's Rec 25 entry: the latest day's figure
expect_rc 0 "$S" recs import --store "$T/s.db"
expect_rc 0 "$S" recs show SSR2-25 --store "$T/s.db" --today 2026-12-04 --format json
expect_grep "$T/out" "zone files: 0 of 1 TLDs downloaded complete, 0 on time, 0 fresh"
# bad input
expect_rc 2 "$S" czds run --dir "$T/dl"
expect_rc 2 "$S" czds run --dir "$T/dl" --username u --password-file "$T/pw" --day 2026-13-01
expect_rc 2 "$S" czds report
finish
