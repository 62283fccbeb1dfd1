#!/usr/bin/env bash
# A real PostgreSQL server for the test suite, on loopback, in a throw-away data directory.
#   harness.sh start STATE_DIR   initdb + pg_ctl start; writes STATE_DIR/uri (admin database)
#   harness.sh stop STATE_DIR    fast shutdown, data directory removed
#   harness.sh createdb STATE_DIR NAME   a fresh (dropped first) database; prints its URI.  It
#     collates en-US (ICU), as production databases do, so that an ORDER BY that forgets
#     COLLATE "C" gives a different order than SQLite and the tests see it.
# CTest runs start/stop as a fixture around every test that needs PostgreSQL.  The server runs as
# the invoking user, or as 'postgres' when invoked as root (PostgreSQL refuses to run as root).
set -euo pipefail
cmd=${1:?usage: harness.sh start|stop|createdb STATE_DIR [NAME]}
state=${2:?state directory missing}

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
	[ -x "$d/initdb" ] && { bindir=$d; break; }
done
[ -n "$bindir" ] || { echo "pg harness: no PostgreSQL server found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
start)
	mkdir -p "$state"
	if [ -f "$state/datadir" ] && [ -d "$(cat "$state/datadir")" ]; then
		"$0" stop "$state" || true
	fi
	data=$(mktemp -d /tmp/ssrwatch-pg.XXXXXX)
	[ "$(id -u)" -eq 0 ] && chown postgres: "$data"
	chmod 700 "$data"
	echo "$data" > "$state/datadir"
	as_pg "$bindir/initdb" -D "$data/db" -U ssr --auth=trust -E UTF8 --locale=C >"$state/initdb.log" 2>&1 ||
		{ cat "$state/initdb.log" >&2; exit 1; }
	# a free port: try a few, pg_ctl -w fails fast when the port is taken
	for try in 1 2 3 4 5 6 7 8; do
		port=$((20000 + (RANDOM % 20000)))
		if as_pg "$bindir/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 start \
			-o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
			>/dev/null 2>&1; then
			echo "postgresql://ssr@127.0.0.1:$port/postgres" > "$state/uri"
			echo "$port" > "$state/port"
			echo "pg harness: $("$bindir/postgres" --version) on 127.0.0.1:$port"
			exit 0
		fi
		grep -q "Address already in use\|could not bind" "$data/server.log" 2>/dev/null || break
	done
	cat "$data/server.log" >&2 || true
	exit 1
	;;
stop)
	[ -f "$state/datadir" ] || exit 0
	data=$(cat "$state/datadir")
	[ -d "$data/db" ] && as_pg "$bindir/pg_ctl" -D "$data/db" -m fast -w stop >/dev/null 2>&1 || true
	case "$data" in /tmp/ssrwatch-pg.*) rm -rf "$data" ;; esac
	rm -f "$state/datadir" "$state/uri" "$state/port"
	;;
createdb)
	name=${3:?database name missing}
	[ -f "$state/uri" ] || { echo "pg harness: no server (run '$0 start $state' first)" >&2; exit 1; }
	port=$(cat "$state/port")
	PGOPTIONS="-c client_min_messages=warning" psql -q -h 127.0.0.1 -p "$port" -U ssr -d postgres -v ON_ERROR_STOP=1 \
		-c "DROP DATABASE IF EXISTS \"$name\"" \
		-c "CREATE DATABASE \"$name\" LOCALE_PROVIDER icu ICU_LOCALE 'en-US' TEMPLATE template0" >/dev/null
	echo "postgresql://ssr@127.0.0.1:$port/$name"
	;;
*)
	echo "pg harness: unknown command '$cmd'" >&2
	exit 2
	;;
esac
