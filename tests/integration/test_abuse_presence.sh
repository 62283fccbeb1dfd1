#!/bin/bash
# abuse ingest: which listed domains are delegated, against set membership computed apart
# (presence_world.py), for one zone written in canonical order (the merge of present.c decides
# every delegation), in text order and shuffled (the merge gives up where the order breaks; the
# probes decide the rest), canonical with one owner late, and with a $ORIGIN change that makes
# two parallel parts read again in one piece; in one part and in two.
. "$(dirname "$0")/lib.sh"
here=$(dirname "$0")
mkdir -p "$T/z"
expect_rc 0 python3 "$here/presence_world.py" "$T/z" "$T/feed.urls" "$T/expect.csv"
for order in canonical text shuffled late origin; do
	want=$T/expect.csv
	[ "$order" = origin ] && want=$T/expect.csv.origin
	for threads in 1 2; do
		rm -rf "$T/p.db" "$T/p.db.index"
		expect_rc 0 "$SSRWATCH" -v abuse ingest --store "$T/p.db" --date 2026-11-23 \
			--zone "$T/z/$order.zone" --feed "phishing:f:$T/feed.urls" --threads "$threads"
		cp "$T/err" "$T/log"
		if [ "$threads" = 2 ] && [ "$order" = origin ]; then
			expect_grep "$T/log" "parallel parts did not fit together"
		elif [ "$threads" = 2 ]; then
			expect_grep "$T/log" "read in 2 parallel parts"
		fi
		merged=$(sed -n 's/.*presence: \([0-9]*\) delegations merged.*/\1/p' "$T/log")
		probed=$(sed -n 's/.*merged with the listings, \([0-9]*\) probed.*/\1/p' "$T/log")
		case $order in
		canonical | origin) expect_eq "$probed" 0 "$order/$threads: delegations probed" ;;
		*) [ "${probed:-0}" -gt 0 ] && ok || fail "$order/$threads: the merge never gave up" ;;
		esac
		[ "${merged:-0}" -gt 0 ] && ok || fail "$order/$threads: nothing merged"
		expect_rc 0 "$SSRWATCH" abuse listings --store "$T/p.db"
		python3 - "$T/out" "$want" "$order/$threads" >"$T/cmp" 2>&1 <<'PY' && ok || fail "$(cat "$T/cmp")"
import csv, sys
got = {r["domain"]: r["in_zone"] for r in csv.DictReader(open(sys.argv[1]))}
want = dict(l.strip().split(",") for l in open(sys.argv[2]))
bad = [d for d in want if got.get(d) != want[d]]
extra = [d for d in got if d not in want]
if bad or extra or not any(v == "1" for v in want.values()):
    print(f"{sys.argv[3]}: {len(bad)} listings with the wrong presence, e.g. "
          f"{[(d, got.get(d), want[d]) for d in bad[:5]]}; {len(extra)} unexpected")
    sys.exit(1)
PY
	done
done
finish
