#!/usr/bin/env bash
# bench/escrow: a generated FULL escrow deposit (ESCROW_SIZES, default "1000000 5000000" domains,
# a .com-like zone from gen zone; contacts one per 10 domains) validated by `ssrwatch escrow
# validate` (XML Schema + every RST StandardRDE check) against `xmllint --stream --schema` on the
# same file with the same schemas (the schema pass alone), and xmllint --stream without a schema
# (the parse floor); peak RSS must not grow with the deposit apart from the documented
# cross-reference sets.  Then the restore drill on the smaller size (Knot DNS on loopback) with
# its phase times, from the plain and from the RyDE (OpenPGP) deposit.  Runs pinned to 2 cores.
# Results: bench/out/escrow-<date>.md.
#
#   bash bench/escrow/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${SSR_BUILD:-build}
S=$(pwd)/$B/ssrwatch
XSD=$(pwd)/data/escrow/escrow.xsd
OUT=bench/out
mkdir -p "$OUT"
[ -x "$S" ] || { echo "build first: make build" >&2; exit 1; }
W=${ESCROW_TMP:-$(mktemp -d)}
GH="$W/gnupg"
mkdir -p -m 700 "$GH"
trap 'gpgconf --homedir "$GH" --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
R=$OUT/escrow-$(date -u +%Y-%m-%d).md
run() { # run LABEL OKSTATUS CMD...: seconds and peak MiB
	local label=$1 okst=$2
	shift 2
	local rc=0
	/usr/bin/time -f "%e %M" -o "$W/time" taskset -c 0,1 "$@" >"$W/stdout" 2>"$W/err" || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq "$okst" ] ||
		{ echo "bench/escrow: $label failed ($rc): $(tail -3 "$W/err")" >&2; exit 1; }
	read -r s k < <(tail -n 1 "$W/time")
	echo "| $label | $s | $((k / 1024)) |"
}
SIZES=${ESCROW_SIZES:-"1000000 5000000"}
first=1
{
	echo "# bench/escrow $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores (runs pinned to 2)"
	for n in $SIZES; do
		"$S" gen zone --origin com --delegations "$n" --seed 1 --output "$W/z.zone"
		"$S" gen escrow --zone "$W/z.zone" --tld com --dir "$W/d" --contacts $((n / 10)) >/dev/null
		F="$W/d/com_2026-01-01_full_S1_R0.xml"
		echo
		echo "$n domains: deposit $(($(stat -c %s "$F") >> 20)) MiB of XML"
		echo
		echo "| tool | seconds | peak MiB |"
		echo "|---|---|---|"
		run "ssrwatch escrow validate (schema + RST checks)" 0 "$S" escrow validate "$F" --format json --output "$W/v.json"
		echo "| (valid: $(python3 -c "import json,sys; d=json.load(open(sys.argv[1]))[0]; print(d['valid'], '; cross-reference sets', d['xref_bytes'] >> 20, 'MiB')" "$W/v.json")) | | |"
		run "xmllint --stream --schema (schema pass only)" 0 xmllint --noout --stream --schema "$XSD" "$F"
		run "ssrwatch escrow validate --no-schema (RST checks)" 1 "$S" escrow validate --no-schema "$F"
		run "xmllint --stream (parse only)" 0 xmllint --noout --stream "$F"
		if [ -n "$first" ]; then
			first=
			echo
			echo "restore drill, $n domains (Knot DNS on 127.0.0.1), phases in seconds:"
			echo
			echo "| deposit | decrypt | parse | build | load | verify | deposit to a correct server | delegations as the original |"
			echo "|---|---|---|---|---|---|---|---|"
			port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
			taskset -c 0,1 "$S" escrow drill --deposit "$F" --apex "$W/z.zone" --dir "$W/drill" \
				--compare-zone "$W/z.zone" --port "$port" --format json --output "$W/dr.json" >"$W/drill.err" 2>&1 ||
				{ echo "bench/escrow: the drill failed: $(tail -3 "$W/drill.err"; head -c 600 "$W/dr.json")" >&2; exit 1; }
			python3 -c "import json,sys; d=json.load(open(sys.argv[1])); r=d['restore']; print('| XML | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d of %d (%d retries) |' % (r['decrypt_s'], r['parse_s'], r['build_s'], d['load_s'], d['verify_s'], d['answering_s'], d['matched'], d['checked'], d['retries']))" "$W/dr.json"
			rm -rf "$W/drill" "$W/d"
			"$S" gen escrow --zone "$W/z.zone" --tld com --dir "$W/d" --contacts $((n / 10)) --encrypt --gnupg-home "$GH" >/dev/null
			port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
			taskset -c 0,1 "$S" escrow drill --deposit "$W/d/com_2026-01-01_full_S1_R0.ryde" --gnupg-home "$GH" \
				--apex "$W/z.zone" --dir "$W/drill" --compare-zone "$W/z.zone" --port "$port" --format json \
				--output "$W/dr.json" >"$W/drill.err" 2>&1 ||
				{ echo "bench/escrow: the RyDE drill failed: $(tail -3 "$W/drill.err"; head -c 600 "$W/dr.json")" >&2; exit 1; }
			python3 -c "import json,sys; d=json.load(open(sys.argv[1])); r=d['restore']; print('| RyDE (OpenPGP) | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d of %d (%d retries) |' % (r['decrypt_s'], r['parse_s'], r['build_s'], d['load_s'], d['verify_s'], d['answering_s'], d['matched'], d['checked'], d['retries']))" "$W/dr.json"
			echo
			echo "| tool | seconds | peak MiB |"
			echo "|---|---|---|"
			run "ssrwatch escrow validate (RyDE: decrypt + schema + RST)" 0 "$S" escrow validate \
				"$W/d/com_2026-01-01_full_S1_R0.ryde" --gnupg-home "$GH"
			rm -rf "$W/drill"
		fi
		rm -rf "$W/d" "$W/z.zone"
	done
} | tee "$R"
echo "bench/escrow: $R"
