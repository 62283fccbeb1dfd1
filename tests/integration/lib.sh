# Helpers for integration tests: set -e, a scratch dir, assertions that say what failed.
set -euo pipefail
: "${SSRWATCH:?SSRWATCH must point at the binary}"
: "${SSR_TEST_DATA:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
checks=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }
# expect_rc WANT CMD...: run CMD, compare exit status; output in $T/out, $T/err
expect_rc() {
	local want=$1; shift
	local rc=0
	"$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" -ne "$want" ]; then fail "'$*' exited $rc, want $want; stderr: $(head -c 400 "$T/err")"; else ok; fi
}
expect_grep() { # expect_grep FILE REGEX
	if grep -Eq -- "$2" "$1"; then ok; else fail "$1 lacks /$2/: $(head -c 400 "$1")"; fi
}
expect_eq() { # expect_eq GOT WANT WHAT
	if [ "$1" = "$2" ]; then ok; else fail "$3: got '$1', want '$2'"; fi
}
# jq-free JSON field: json_get FILE EXPR (python3 is on every Debian machine this runs on)
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$1" "$2"; }
finish() {
	echo "$checks passed, $fails failed"
	[ "$fails" -eq 0 ]
}
# free_port: a loopback port nobody listens on now
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# start_knotd ORIGIN ZONEFILE PORT NSID: Debian's knotd on 127.0.0.1:PORT serving the zone, its
# files in $T/knot, its pid in KPID (the caller's EXIT trap stops it); returns once it answers
# the zone's SOA (at most 5 s)
start_knotd() {
	local knotd
	knotd=$(command -v knotd || echo /usr/sbin/knotd)
	[ -x "$knotd" ] || { echo "FAIL: knotd is missing (scripts/deps.sh installs knot)"; exit 1; }
	mkdir -p "$T/knot"
	cat >"$T/knot/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$3
    rundir: $T/knot
    nsid: $4
database:
    storage: $T/knot
log:
  - target: stderr
    any: warning
zone:
  - domain: $1
    file: $2
CONF
	"$knotd" -c "$T/knot/knot.conf" >"$T/knot/knotd.log" 2>&1 &
	KPID=$!
	for _ in $(seq 100); do
		"$SSRWATCH" probe query --server "127.0.0.1:$3" --timeout-ms 200 "$1" SOA >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "FAIL: knotd did not answer: $(tail -c 300 "$T/knot/knotd.log")"
	exit 1
}
