#!/usr/bin/env bash
# Plain, gzip, zstd and stdin give the same statistics; corrupt input is a clear error;
# an unsorted zone is counted exactly (second pass), on stdin only with --owner-index.
. "$(dirname "$0")/lib.sh"
"$SSRWATCH" gen zone --delegations 20000 --seed 4 --signed --output "$T/g.zone"
gzip -c "$T/g.zone" > "$T/g.zone.gz"
zstd -q -c "$T/g.zone" > "$T/g.zone.zst"
strip() { python3 -c "import json,sys; d=json.load(open(sys.argv[1]))
for z in d:
    for k in ('file','raw_bytes'): z.pop(k)
print(json.dumps(d, sort_keys=True))" "$1"; }
"$SSRWATCH" zone stats --format json "$T/g.zone" > "$T/plain.json"
want=$(strip "$T/plain.json")
for f in "$T/g.zone.gz" "$T/g.zone.zst"; do
	expect_rc 0 "$SSRWATCH" zone stats --format json "$f"
	expect_eq "$(strip "$T/out")" "$want" "stats of $f"
done
"$SSRWATCH" zone stats --format json - < "$T/g.zone" > "$T/stdin.json"
expect_eq "$(strip "$T/stdin.json")" "$want" "stats from stdin"
expect_eq "$(json_get "$T/plain.json" 'd[0]["raw_bytes"] == d[0]["bytes"]')" True "plain raw bytes"
"$SSRWATCH" zone stats --format json "$T/g.zone.gz" > "$T/gz.json"
expect_eq "$(json_get "$T/gz.json" 'd[0]["raw_bytes"] < d[0]["bytes"]')" True "gzip raw bytes"
# parallel parts: the same figures as one piece
"$SSRWATCH" zone stats --threads 1 --format json "$T/g.zone" > "$T/t1.json"
"$SSRWATCH" -v zone stats --threads 2 --format json "$T/g.zone" > "$T/t2.json" 2>"$T/t2.err"
expect_grep "$T/t2.err" "read in 2 parallel parts"
expect_eq "$(cmp "$T/t1.json" "$T/t2.json" && echo same)" same "two parts, the same report byte for byte"
# truncated and corrupt compressed input
head -c 100000 "$T/g.zone.gz" > "$T/t.zone.gz"
expect_rc 1 "$SSRWATCH" zone stats "$T/t.zone.gz"
expect_grep "$T/err" "truncated gzip stream"
head -c 100000 "$T/g.zone.zst" > "$T/t.zone.zst"
expect_rc 1 "$SSRWATCH" zone stats "$T/t.zone.zst"
expect_grep "$T/err" "truncated zstd stream"
# unsorted: same figures through the owner index
{ head -n 8 "$T/g.zone"; tail -n +9 "$T/g.zone" | grep -v '^\s' | grep -v '($' | grep -v '^\s*[0-9A-F]* )$' | shuf --random-source=<(yes); } > "$T/u.zone"
"$SSRWATCH" zone stats --format json "$T/u.zone" > "$T/u.json" 2> "$T/u.err"
expect_grep "$T/u.err" "second pass"
expect_eq "$(json_get "$T/u.json" 'd[0]["owner_index"]')" memory "unsorted uses the owner index"
"$SSRWATCH" zone stats --format json --owner-index "$T/u.zone" > "$T/u2.json"
expect_eq "$(json_get "$T/u.json" 'd[0]["delegations"]')" "$(json_get "$T/u2.json" 'd[0]["delegations"]')" "owner index both ways"
expect_rc 1 "$SSRWATCH" zone stats - < "$T/u.zone"
expect_grep "$T/err" "cannot be read twice"
expect_rc 0 "$SSRWATCH" zone stats --owner-index --format json - < "$T/u.zone"
expect_eq "$(json_get "$T/out" 'd[0]["delegations"]')" "$(json_get "$T/u2.json" 'd[0]["delegations"]')" "stdin with --owner-index"
finish
