#!/usr/bin/env bash
# zone diff: the changes between two generated snapshots equal an independent reference
# (tests/integration/zonediff_reference.py) whatever the input order and compression, the same
# with runs spilled to disk under a 1 MiB budget (peak buffer within it); formats; --all; bad
# input leaves no output behind.
. "$(dirname "$0")/lib.sh"
REF="$SSR_SOURCE/tests/integration/zonediff_reference.py"
S=$SSRWATCH
$S gen zone --origin example --delegations 20000 --plain --output "$T/a.zone" 2>/dev/null
python3 "$REF" mutate "$T/a.zone" "$T/b.zone" 7
python3 "$REF" expect "$T/a.zone" "$T/b.zone" example >"$T/expect"
gzip -c "$T/b.zone" >"$T/b.zone.gz"
got() { # got JSON: the changes as the reference writes them
	json_get "$1" "'\n'.join(sorted('%s %s %s %d %d' % (c['kind'], c['owner'], c['type'], len(c['old']), len(c['new'])) for c in d['changes']))"
}
expect_rc 0 $S zone diff --origin example "$T/a.zone" "$T/b.zone.gz" --format json --output "$T/mem.json"
got "$T/mem.json" >"$T/got"
if cmp -s "$T/expect" "$T/got"; then ok; else fail "changes differ from the reference: $(diff "$T/expect" "$T/got" | head -5)"; fi
expect_eq "$(wc -l <"$T/expect")" "$(json_get "$T/mem.json" "sum(d['summary']['changes'].values())")" "summary counts every change"
expect_eq "$(json_get "$T/mem.json" "d['summary']['runs']")" "[0, 0]" "sorted in memory by default"
expect_eq "$(json_get "$T/mem.json" "d['summary']['serials']")" "[2026112301, 2026112302]" "serials"
# a 1 MiB budget: runs on disk, the same changes in the same order, the buffer within budget
expect_rc 0 $S zone diff --origin example --memory 1 --tmp-dir "$T" "$T/a.zone" "$T/b.zone.gz" --format json --output "$T/disk.json"
expect_eq "$(json_get "$T/disk.json" "d['changes'] == json.load(open('$T/mem.json'))['changes']")" "True" "spilled runs give the same changes"
expect_eq "$(json_get "$T/disk.json" "all(r >= 3 for r in d['summary']['runs'])")" "True" "several runs per file"
expect_eq "$(json_get "$T/disk.json" "d['summary']['peak_buffer_bytes'] <= (1 << 20)")" "True" "peak buffer within --memory"
expect_eq "$(ls "$T" | grep -c ssrwatch-zdiff || true)" "0" "no run files left behind"
# the other way round: additions and removals swap
expect_rc 0 $S zone diff --origin example "$T/b.zone" "$T/a.zone" --format json --output "$T/rev.json"
expect_eq "$(json_get "$T/rev.json" "d['summary']['changes']['delegation-added']")" \
	"$(json_get "$T/mem.json" "d['summary']['changes']['delegation-removed']")" "reversed diff"
# CSV and the table
expect_rc 0 $S zone diff --origin example "$T/a.zone" "$T/b.zone" --format csv --output "$T/d.csv"
expect_eq "$(head -1 "$T/d.csv")" "kind,owner,type,delegation,old,new" "csv header"
expect_eq "$(($(wc -l <"$T/d.csv") - 1))" "$(wc -l <"$T/expect")" "csv rows"
expect_grep "$T/d.csv" '^delegation-added,added-0\.example\.,NS,added-0\.example\.,,'
expect_rc 0 $S zone diff --origin example "$T/a.zone" "$T/b.zone"
expect_grep "$T/out" '^glue +ns[0-9]+\.added-[0-9]+\.example\. A'
expect_grep "$T/out" '^    \+ 192\.0\.2\.'
expect_grep "$T/out" 'delegation-added 40, delegation-removed 50, ns 30, ds 4[0-9], glue [0-9]+, apex 1, other 0'
# other RRsets: counted, listed with --all
{ cat "$T/a.zone"; echo 'www.example. 3600 IN TXT "hello"'; } >"$T/c.zone"
expect_rc 0 $S zone diff --origin example "$T/a.zone" "$T/c.zone" --format json --output "$T/o.json"
expect_eq "$(json_get "$T/o.json" "(len(d['changes']), d['summary']['changes']['other'])")" "(0, 1)" "other counted"
expect_rc 0 $S zone diff --origin example --all "$T/a.zone" "$T/c.zone" --format json --output "$T/o.json"
expect_eq "$(json_get "$T/o.json" "[(c['kind'], c['owner'], c['new']) for c in d['changes']]")" \
	"[('other', 'www.example.', ['\"hello\"'])]" "other listed"
# identical zones: no change
expect_rc 0 $S zone diff --origin example "$T/a.zone" "$T/a.zone" --format json --output "$T/same.json"
expect_eq "$(json_get "$T/same.json" "(d['changes'], sum(d['summary']['changes'].values()))")" "([], 0)" "no changes"
# bad input: the error names the file and line; nothing half-written is left
{ head -100 "$T/b.zone"; echo 'bad.example. NS'; } >"$T/bad.zone"
expect_rc 1 $S zone diff --origin example "$T/a.zone" "$T/bad.zone" --format json --output "$T/bad.json"
expect_grep "$T/err" "zone '.*bad.zone' line 101: "
[ ! -e "$T/bad.json" ] && ok || fail "a failed diff left its output"
{ head -10 "$T/a.zone"; echo 'www.other. A 127.0.0.1'; } >"$T/out.zone"
expect_rc 1 $S zone diff --origin example "$T/a.zone" "$T/out.zone"
expect_grep "$T/err" "line 11: a record outside the zone 'example.'"
expect_rc 1 $S zone diff --origin example "$T/a.zone" "$T/nonexistent.zone"
expect_grep "$T/err" "nonexistent.zone"
expect_rc 2 $S zone diff --origin example "$T/a.zone"
expect_rc 2 $S zone diff --memory 0 "$T/a.zone" "$T/b.zone"
finish
