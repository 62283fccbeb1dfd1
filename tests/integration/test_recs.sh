#!/bin/bash
# The recommendation tracker through the CLI, on SQLite and on PostgreSQL (the same outputs):
# the shipped catalogue, user catalogues, bad catalogues with file and line, the workflow,
# evidence (live metrics), action items (overdue), the survey against values computed by hand,
# and the report in three formats.
. "$(dirname "$0")/lib.sh"
: "${SSR_PG_STATE:?run through ctest: SSR_PG_STATE names the test server}"
S=$SSRWATCH
D=2026-11-23
AT=1795400000

# ---- catalogue errors (no store is touched) ------------------------------------------------
printf 'review: ATRT3\ntitle: Third ATRT\n\nid: ATRT3-1\ntitle: a\nrefs: SSR2-99\n' >"$T/badref.recs"
expect_rc 1 "$S" recs import --store "$T/never.db" "$T/badref.recs"
expect_grep "$T/err" "catalogue '$T/badref.recs' line 6: 'ATRT3-1' refers to unknown 'SSR2-99'"
printf 'review: SSR2\ntitle: again\n' >"$T/dup.recs"
expect_rc 1 "$S" recs import --store "$T/never.db" "$T/dup.recs"
expect_grep "$T/err" "line 1: review 'SSR2' already defined in"
printf 'review: X\ntitle: T\n\nid: X-1\ntitle: a\n\nid: X-1\ntitle: b\n' >"$T/dupid.recs"
expect_rc 1 "$S" recs import --store "$T/never.db" "$T/dupid.recs"
expect_grep "$T/err" "catalogue '$T/dupid.recs' line 7: duplicate id 'X-1' \(first at '$T/dupid.recs' line 4\)"
[ ! -e "$T/never.db" ] && ok || fail "a refused catalogue created a store"

# a user review beside the shipped ones, referring to them
printf 'review: ATRT3\ntitle: Third Accountability and Transparency Review\npublished: 2020-05-29\n\nid: ATRT3-1\ntitle: Track review recommendations publicly\npriority: high\nowner: MSSI\nrefs: SSR1-19 SSR1-27\nmeasure: portal.cases 30\n' >"$T/atrt3.recs"
printf 'rater,recommendation,score\nr1,SSR2-1,95\nr2,SSR2-1,90\nr3,SSR2-1,85\nr1,SSR2-24,76\nr2,SSR2-24,78\nr3,SSR2-24,80\nr1,SSR2-28,75\nr2,SSR2-28,77\nr1,SSR2-19,92\nr2,SSR2-19,96\nr1,SSR2-13,49\nr1,SSR2-99,80\nmallory,SSR2-1,50\nr1,SSR2-1,70\n' >"$T/ratings.csv"
printf 'r1\nr2\nr3\n' >"$T/raters.txt"

flow() { # flow STORE TAG
	local st=$1 tag=$2
	expect_rc 0 "$S" recs import --store "$st" "$T/atrt3.recs"
	expect_grep "$T/out" "^SSR1: 28 recommendations, 0 sub-items"
	expect_grep "$T/out" "^SSR2: 31 recommendations, 13 sub-items"
	expect_grep "$T/out" "^CCT: 1 recommendations"
	expect_grep "$T/out" "^ATRT3: 1 recommendations"
	expect_rc 0 "$S" recs import --store "$st" # again: nothing duplicated
	expect_rc 0 "$S" recs list --store "$st" --format json --today $D
	expect_eq "$(json_get "$T/out" 'len(d)')" "74" "$tag: 28 + 31 + 13 + 1 + 1 rows"
	expect_rc 0 "$S" recs list --store "$st" --review SSR2 --priority medium --format csv --today $D
	expect_eq "$(tail -n +2 "$T/out" | cut -d, -f1 | tr '\n' ' ')" "SSR2-4 SSR2-4.a SSR2-4.b SSR2-24 SSR2-27 SSR2-28 SSR2-30 " "$tag: medium SSR2"
	# workflow
	expect_rc 1 "$S" recs set SSR2-17 verified --store "$st" --by ana --at $AT
	expect_grep "$T/err" "recs set: SSR2-17: not-started -> verified: only an implemented recommendation can be verified"
	expect_rc 0 "$S" recs set SSR2-17 in-progress --store "$st" --by ana --at $AT
	expect_rc 1 "$S" recs set SSR2-17 in-design --store "$st" --by ana --at $AT
	expect_grep "$T/err" "in-progress -> in-design needs a reason"
	expect_rc 0 "$S" recs set SSR2-17 implemented --store "$st" --by ana --at $((AT + 60)) --reason "portal live"
	expect_rc 1 "$S" recs set SSR2-17 verified --store "$st" --by ana --at $((AT + 120))
	expect_grep "$T/err" "needs at least one evidence item"
	expect_rc 1 "$S" recs set SSR2-17 done --store "$st" --by ana
	expect_grep "$T/err" "unknown status 'done'"
	expect_rc 1 "$S" recs set NOPE-1 in-design --store "$st" --by ana
	expect_grep "$T/err" "no recommendation 'NOPE-1'"
	expect_rc 2 "$S" recs evidence SSR2-17 --store "$st" --by ana --url ftp://x
	expect_rc 1 "$S" recs evidence SSR2-19 --store "$st" --by ana --metric --today $D
	expect_grep "$T/err" "'SSR2-19' has no stored measurement to cite"
	expect_rc 0 "$S" recs evidence SSR2-17 --store "$st" --by ana --url https://example.org/portal --note "launch" --at $((AT + 180))
	expect_rc 0 "$S" recs set SSR2-17 verified --store "$st" --by ana --at $((AT + 240))
	expect_rc 0 "$S" recs set SSR2-17 in-progress --store "$st" --by bo --reason "audit found gaps" --at $((AT + 300))
	expect_rc 0 "$S" recs show SSR2-17 --store "$st" --format json --today $D
	expect_eq "$(json_get "$T/out" '" ".join(e["from"] + ">" + e["to"] for e in d["history"])')" \
		"not-started>in-progress in-progress>implemented implemented>verified verified>in-progress" "$tag: history"
	expect_eq "$(json_get "$T/out" 'd["status"] + " " + str(d["evidence"])')" "in-progress 1" "$tag: status and evidence"
	# live evidence: a names scan stored for a date 100 days before today is stale (cadence 92)
	"$S" gen names --dir "$T/n" --brands 20 --delegations 500 >/dev/null
	expect_rc 0 "$S" names scan --quiet --brands "$T/n/brands.txt" --store "$st" --date 2026-08-15 "$T/n/zone.txt"
	expect_rc 0 "$S" recs show SSR2-19 --store "$st" --format json --today $D
	expect_eq "$(json_get "$T/out" 'd["live"]["date"] + " " + str(d["live"]["age_days"]) + " " + str(d["live"]["stale"])')" "2026-08-15 100 True" "$tag: stale live evidence"
	expect_rc 0 "$S" recs show SSR2-19 --store "$st" --format json --today 2026-09-01
	expect_eq "$(json_get "$T/out" 'd["live"]["stale"]')" "False" "$tag: fresh within the cadence"
	expect_rc 0 "$S" recs evidence SSR2-19 --store "$st" --by ana --metric --today $D --at $AT
	expect_grep "$T/out" "evidence #2 \(metric\) names.scan 2026-08-15: [0-9]+ look-alikes in [0-9]+ delegations of 1 zones"
	# action items
	expect_rc 0 "$S" recs actions add --store "$st" --title "Quarterly names report" --owner OCTO --due 2026-10-01 --recs "SSR2-19 CCT-16" --by ana --at $AT
	expect_rc 0 "$S" recs actions add --store "$st" --title "Board decision" --owner Board --due 2027-01-15 --recs SSR2-6 --by ana --at $AT
	expect_rc 1 "$S" recs actions add --store "$st" --title x --owner y --recs "SSR2-1 NOPE-2" --by ana
	expect_grep "$T/err" "no recommendation 'NOPE-2'"
	expect_rc 0 "$S" recs actions --store "$st" --format json --today $D
	expect_eq "$(json_get "$T/out" '" ".join(str(a["id"]) + ":" + str(a["overdue"]) for a in d)')" "1:True 2:False" "$tag: overdue"
	expect_rc 0 "$S" recs actions set 1 done --store "$st" --by ana --at $AT
	expect_rc 1 "$S" recs actions set 1 done --store "$st" --by ana
	expect_grep "$T/err" "already done"
	expect_rc 0 "$S" recs actions --store "$st" --format json --today $D
	expect_eq "$(json_get "$T/out" 'd[0]["overdue"]')" "False" "$tag: done is not overdue"
	# survey: rows counted, values by hand
	expect_rc 1 "$S" recs survey import "$T/ratings.csv" --store "$st" --raters "$T/no-raters.txt"
	expect_grep "$T/err" "input '$T/no-raters.txt': cannot open"
	# a raters file with a line over the cap, or that is not UTF-8: refused, nothing imported
	{ echo ana; head -c 300 /dev/zero | tr '\0' r; echo; } > "$T/long-raters.txt"
	expect_rc 1 "$S" recs survey import "$T/ratings.csv" --store "$st" --raters "$T/long-raters.txt"
	expect_grep "$T/err" "raters '$T/long-raters.txt' line 2: longer than 255 bytes"
	printf 'ana\nb\377b\n' > "$T/bad-raters.txt"
	expect_rc 1 "$S" recs survey import "$T/ratings.csv" --store "$st" --raters "$T/bad-raters.txt"
	expect_grep "$T/err" "raters '$T/bad-raters.txt' line 2: not UTF-8"
	expect_rc 1 "$S" recs survey import "$T/badref.recs" --store "$st"
	expect_grep "$T/err" "survey '$T/badref.recs'"
	expect_rc 0 "$S" recs survey import "$T/ratings.csv" --store "$st" --raters "$T/raters.txt"
	expect_grep "$T/out" "14 rows, 10 ratings stored; skipped: 1 scores outside 50-100, 1 unknown recommendations, 1 unknown raters, 1 repeated, 0 malformed"
	expect_rc 0 "$S" recs survey report --store "$st" --format json
	# SSR2-1: 85 90 95 -> mean 90, median 90, Q1 87.5, Q3 92.5; SSR2-24: 76 78 80 -> 78, IQR 2;
	# SSR2-28: 75 77 -> 76, Q1 75.5; SSR2-19: 92 96 -> 94.  Means 90 78 76 94: breaks {76, 78}
	# {90, 94} -> medium, medium, high, high; published: 28 and 24 medium, 1 and 19 high: 4 of 4
	expect_eq "$(json_get "$T/out" '" ".join("%s:%g/%g/%g/%g/%g:%s" % (r["id"], r["mean"], r["median"], r["q1"], r["q3"], r["iqr"], r["class"]) for r in d["recommendations"])')" \
		"SSR2-1:90/90/87.5/92.5/5:high SSR2-19:94/94/93/95/2:high SSR2-24:78/78/77/79/2:medium SSR2-28:76/76/75.5/76.5/1:medium" "$tag: survey by hand"
	expect_eq "$(json_get "$T/out" '"%d/%d %d %.6f" % (d["agree"], d["compared"], d["raters"], d["gvf"])')" \
		"4/4 3 0.957447" "$tag: agreement, raters, GVF (1 - SDCM/SDAM = 1 - (2 + 8) / 235)"
	expect_rc 0 "$S" recs survey report --store "$st" --classes 3 --format json
	# three classes: {76, 78} {90} {94} (SDCM 2) -> medium, high, low, low
	expect_eq "$(json_get "$T/out" '" ".join(r["class"] for r in d["recommendations"])')" "medium high low low" "$tag: 3 classes"
	# the report
	expect_rc 0 "$S" recs report --store "$st" --format json --today $D --output "$T/$tag.json"
	expect_eq "$(json_get "$T/$tag.json" '[ (r["id"], r["recommendations"], r["counts"]["in-progress"]) for r in d["reviews"] ]')" \
		"[('ATRT3', 1, 0), ('CCT', 1, 0), ('SSR1', 28, 0), ('SSR2', 31, 1)]" "$tag: counts by review"
	expect_rc 0 "$S" recs report --store "$st" --format csv --today $D --output "$T/$tag.csv"
	expect_eq "$(grep -c '^SSR2-' "$T/$tag.csv")" "44" "$tag: CSV rows"
	expect_grep "$T/$tag.csv" '^SSR2-19,SSR2,,Update handling of abusive naming,high,3 SSR of the DNS,,not-started,0,1,names.scan,2026-08-15,[0-9]+ look-alikes in [0-9]+ delegations of 1 zones,yes,0,0$'
	expect_rc 0 "$S" recs report --store "$st" --format html --today $D --output "$T/$tag.html"
	expect_rc 2 "$S" recs report --store "$st" --format pdf
	expect_rc 2 "$S" recs list --store "$st" extra-argument
	expect_grep "$T/$tag.html" '<svg id="chart-status"'
	expect_grep "$T/$tag.html" '<td>SSR2-17</td><td>Establish a central abuse report portal</td><td>high</td><td></td><td>in-progress</td>'
	# roles
	SSRWATCH_PASSWORD=pw-editor-123 "$S" portal account --store "$st" --login ana >/dev/null 2>&1
	expect_rc 0 "$S" recs editor ana --store "$st"
	expect_rc 1 "$S" recs editor nobody --store "$st"
	expect_grep "$T/err" "no account 'nobody'"
}
flow "$T/recs.db" sqlite
pg=$(bash "$SSR_PG_HARNESS" createdb "$SSR_PG_STATE" "it_recs_$$")
flow "$pg" postgresql
# both backends: the same report, byte for byte
if cmp -s "$T/sqlite.json" "$T/postgresql.json" && cmp -s "$T/sqlite.csv" "$T/postgresql.csv" &&
	cmp -s "$T/sqlite.html" "$T/postgresql.html"; then ok; else fail "reports differ between SQLite and PostgreSQL: $(diff "$T/sqlite.json" "$T/postgresql.json" | head -5)"; fi
expect_rc 2 "$S" recs list
expect_grep "$T/err" "--store is required"
expect_rc 1 "$S" recs list --store "$T/missing.db"
finish
