#!/usr/bin/env bash
# names scan / check / permute and gen names through the real binary: planted look-alikes all
# found with their kind and no innocent, IDN homoglyphs through their A-labels, the reverse
# lookup, bad brand files and zones, the store (replace, rollback) and the abuse report section.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
S=$SSRWATCH

# ---- planted zone: every look-alike with its kind, no innocent ------------------------------
expect_rc 0 "$S" gen names --dir "$T/w" --brands 300 --delegations 30000 --plants 4 --seed 7
expect_rc 0 "$S" names scan --brands "$T/w/brands.txt" --format csv --output "$T/scan.csv" "$T/w/zone.txt"
expect_grep "$T/err" "^names scan: 3[0-9]{4} delegations, [0-9]+ imitate a brand"
if python3 "$here/names/truth_compare.py" "$T/w/truth.csv" "$T/scan.csv" >"$T/cmp" 2>&1; then ok; else fail "truth: $(cat "$T/cmp")"; fi
expect_grep "$T/cmp" "problems 0"
# the truth has every kind, IDN homoglyphs (A-labels) and innocents in it
for k in homoglyph omission insertion repetition addition replacement transposition vowel-swap \
	hyphenation bitsquat combosquat tld-swap near-miss own-domain; do
	expect_grep "$T/w/truth.csv" ",$k,"
done
expect_grep "$T/w/truth.csv" "^xn--[a-z0-9-]+\.com,[a-z.]+,homoglyph,match"
expect_grep "$T/scan.csv" "^xn--[a-z0-9-]+\.com,com,[^,]+,[a-z.]+,homoglyph"
# same seed, same bytes
expect_rc 0 "$S" gen names --dir "$T/w2" --brands 300 --delegations 30000 --plants 4 --seed 7
expect_eq "$(cat "$T/w/zone.txt" "$T/w/truth.csv" | sha256sum)" "$(cat "$T/w2/zone.txt" "$T/w2/truth.csv" | sha256sum)" "gen names determinism"
# --kinds narrows, JSON has the same rows, compressed input reads the same
expect_rc 0 "$S" names scan --quiet --brands "$T/w/brands.txt" --kinds homoglyph --format csv "$T/w/zone.txt"
expect_eq "$(tail -n +2 "$T/out" | grep -vc ',homoglyph' || true)" "0" "--kinds homoglyph rows"
gzip -c "$T/w/zone.txt" >"$T/zone.gz"
expect_rc 0 "$S" names scan --quiet --brands "$T/w/brands.txt" --format json --output "$T/scan.json" "$T/zone.gz"
expect_eq "$(json_get "$T/scan.json" 'len(d)')" "$(($(wc -l <"$T/scan.csv") - 1))" "json rows == csv rows"

# ---- names check: the reverse lookup ---------------------------------------------------------
printf 'paypal.com\ngoogle\nmicrosoft.com\n' >"$T/b.txt"
expect_rc 0 "$S" names check --brands "$T/b.txt" --format csv paypa1.com xn--pypal-4ve.com раypal.net \
	paypal-login.com pay.pal.com paypal.com example.org rnicrosoft.com
expect_grep "$T/out" "^paypa1.com,paypa1.com,,paypal.com,\"homoglyph,replacement\",0.95"
expect_grep "$T/out" "^xn--pypal-4ve.com,xn--pypal-4ve.com,pаypal.com,paypal.com,homoglyph"
expect_grep "$T/out" "^раypal.net,xn--ypal-43d9g.net,раypal.net,paypal.com,homoglyph"
expect_grep "$T/out" "^paypal-login.com,.*combosquat"
expect_grep "$T/out" "^pay.pal.com,pal.com,,paypal.com,subdomain"
expect_grep "$T/out" "^paypal.com,,,,,,,,$"
expect_grep "$T/out" "^example.org,,,,,,,,$"
expect_grep "$T/out" "^rnicrosoft.com,.*microsoft.com,homoglyph"
printf 'g00gle.de\n# comment\nbad..name\n' | "$S" names check --brands "$T/b.txt" --format json - >"$T/c.json" 2>"$T/c.err" || fail "check from stdin"
expect_eq "$(json_get "$T/c.json" 'd[0]["brand"] + " " + ",".join(d[0]["kinds"])')" "google homoglyph" "check json"
expect_grep "$T/c.err" "names check: 'bad..name': bad label"

# ---- bad input ------------------------------------------------------------------------------
printf 'paypal\nbad name\n\xff\npaypal\n' >"$T/bad.txt"
expect_rc 0 "$S" names check --brands "$T/bad.txt" paypa1.com
expect_grep "$T/err" "brands '$T/bad.txt' line 2: invalid name 'bad name'"
expect_grep "$T/err" "line 3: not UTF-8"
expect_grep "$T/err" "1 brands from .* \(4 lines: 0 blank or comments, 1 duplicates, 1 invalid, 1 not UTF-8\)"
printf '# nothing\n' >"$T/empty.txt"
expect_rc 1 "$S" names check --brands "$T/nothere.txt" paypa1.com
expect_grep "$T/err" "brands '$T/nothere.txt': cannot open"
expect_rc 1 "$S" names scan --brands "$T/empty.txt" "$T/w/zone.txt"
expect_grep "$T/err" "brands '$T/empty.txt': no valid brand"
expect_rc 2 "$S" names scan --brands "$T/b.txt" --kinds homoglyph,wat "$T/w/zone.txt"
expect_grep "$T/err" "unknown kind 'wat'"
expect_rc 2 "$S" names scan --brands "$T/b.txt" --store "$T/x.db" "$T/w/zone.txt"
expect_grep "$T/err" "--store and --date go together"
# a zone with an undecodable xn-- label: counted, not fatal
printf 'com. 3600 IN SOA a. b. 1 2 3 4 5\nxn--zz-zzzzzzzzzz.com. 3600 IN NS ns.x.net.\npaypa1.com. 3600 IN NS ns.x.net.\n' >"$T/puny.zone"
expect_rc 0 "$S" names scan --brands "$T/b.txt" --format csv "$T/puny.zone"
expect_grep "$T/err" "1 bad punycode"
expect_grep "$T/out" "^paypa1.com,com"
# a broken zone: the error names file and line
printf 'com. 3600 IN SOA a. b. 1 2 3 4 5\npaypa1.com. 3600 IN NS ns.x.net.\nbad.com. 1w2q IN NS ns.x.net.\n' >"$T/broken.zone"
expect_rc 1 "$S" names scan --brands "$T/b.txt" "$T/broken.zone"
expect_grep "$T/err" "zone '$T/broken.zone' line 3"
# a failed scan leaves no output file behind, complete or not
expect_rc 1 "$S" names scan --brands "$T/b.txt" --format csv --output "$T/half.csv" "$T/broken.zone"
[ ! -e "$T/half.csv" ] && [ ! -e "$T/half.csv.tmp" ] && ok || fail "a failed scan left an output file"
expect_rc 1 "$S" names scan --brands "$T/b.txt" --output "$T/no/such/dir.csv" "$T/puny.zone"
expect_grep "$T/err" "cannot write '$T/no/such/dir.csv.tmp'"
expect_rc 2 "$S" names check --brands "$T/b.txt" --min-score 2 paypa1.com
expect_grep "$T/err" "bad score '2'"

# ---- store: scans into a date, a repeat replaces, a failure leaves it as it was ---------------
db=$T/names.db
expect_rc 0 "$S" names scan --quiet --brands "$T/w/brands.txt" --store "$db" --date 2026-09-28 "$T/w/zone.txt"
planted=$(($(wc -l <"$T/scan.csv") - 1))
expect_eq "$(sqlite3 "$db" 'SELECT count(*) FROM names_match')" "$planted" "stored matches"
expect_eq "$(sqlite3 "$db" "SELECT zone || ' ' || delegations FROM names_scan")" "com $(grep -c ' NS ns1\.' "$T/w/zone.txt")" "stored scan row"
expect_rc 0 "$S" names scan --quiet --brands "$T/w/brands.txt" --store "$db" --date 2026-09-28 "$T/w/zone.txt"
expect_eq "$(sqlite3 "$db" 'SELECT count(*) FROM names_match')" "$planted" "a repeat replaces"
expect_rc 1 "$S" names scan --quiet --brands "$T/b.txt" --store "$db" --date 2026-09-28 "$T/puny.zone" "$T/broken.zone"
expect_eq "$(sqlite3 "$db" 'SELECT count(*) FROM names_match')" "$planted" "failed scan rolled back"
expect_eq "$(sqlite3 "$db" 'SELECT count(*) FROM names_scan')" "1" "failed scan rolled back (scans)"
expect_rc 2 "$S" names scan --brands "$T/b.txt" --store "$db" --date 2026-13-01 "$T/puny.zone"

# ---- abuse report: the misleading-name category, apart from abuse -----------------------------
"$S" gen abuse --dir "$T/world" --domains 3000 >/dev/null
last=$(tail -n 1 "$T/world/dates.txt")
zones=()
for z in "$T/world"/zones/*-"$last".zone; do zones+=(--zone "$z"); done
expect_rc 0 "$S" abuse ingest --store "$db" --date "$last" "${zones[@]}" \
	--feed "phishing:p:$T/world/feeds/$last/phishing.urls"
expect_rc 0 "$S" names scan --quiet --brands "$T/w/brands.txt" --store "$db" --date "$last" "$T/w/zone.txt"
expect_rc 0 "$S" abuse report --store "$db" --period "$last..$last" --format json --output "$T/rep.json"
expect_eq "$(json_get "$T/rep.json" 'd["misleading_names"]["zones"][0]["domains"]')" "$planted" "report look-alikes"
expect_eq "$(json_get "$T/rep.json" 'round(d["misleading_names"]["rate_per_10k"], 4)')" \
	"$(python3 -c "print(round(1e4 * $planted / $(sqlite3 "$db" "SELECT delegations FROM names_scan WHERE scan_date='$last'"), 4))")" "report rate"
expect_rc 0 "$S" abuse report --store "$db" --period "$last..$last" --output "$T/rep.html"
expect_grep "$T/rep.html" '<table id="misleading">'

# ---- abuse ingest --brands: listed hosts that imitate a protected name (issue 25) --------------
d1=$(awk '$2 == "NS" { print $1 }' "$T/world/zones/bravo-$last.zone" | grep -v '^@' | sed -n 5p)
d2=$(awk '$2 == "NS" { print $1 }' "$T/world/zones/bravo-$last.zone" | grep -v '^@' | sed -n 9p)
d1=${d1%.}; d2=${d2%.}
case "$d1" in *.bravo) ;; *) d1=$d1.bravo ;; esac
case "$d2" in *.bravo) ;; *) d2=$d2.bravo ;; esac
printf '%s  Test hosting\n' "$d2" >"$T/prov.txt"
printf 'paypal.com\napple.com\nchase.com\n' >"$T/ib.txt"
{
	echo "https://PaypaI-login.$d1/signin"
	echo "https://secure-paypal-verify.$d1/a"
	echo "http://appleid-help.$d2/x"
	echo "https://www.$d1/plain"
	echo "https://purchase-orders.$d2/p"
} >"$T/brandfeed.urls"
expect_rc 0 "$S" abuse ingest --store "$db" --date "$last" "${zones[@]}" \
	--feed "phishing:p:$T/world/feeds/$last/phishing.urls" --feed "phishing:lure:$T/brandfeed.urls" \
	--brands "$T/ib.txt" --providers "$T/prov.txt" --format json
expect_eq "$(json_get "$T/out" '[z["imitating"]["hosts"] for z in d["zones"] if z["tld"] == "bravo"][0]')" "3" "ingest: imitating hosts"
expect_eq "$(sqlite3 -separator ' ' "$db" "SELECT host, brand, position, coalesce(provider, '-') FROM abuse_imitation WHERE snapshot_date = '$last' ORDER BY host, brand" | tr '\n' '|')" \
	"PaypaI-login.$d1 paypal.com subdomain -|appleid-help.$d2 apple.com registered $d2|secure-paypal-verify.$d1 paypal.com subdomain -|" "ingest: imitations stored"
expect_rc 0 "$S" abuse report --store "$db" --period "$last..$last" --format json --output "$T/rep2.json"
expect_eq "$(json_get "$T/rep2.json" '[(z["hosts"], z["domains"], z["under_provider"], z["top_brands"][0]["brand"], z["top_providers"][0]["provider"]) for z in d["imitating_names"]["zones"] if z["tld"] == "bravo"][0]')" \
	"(3, 2, 1, 'paypal.com', '$d2')" "report: imitating names"
expect_rc 0 "$S" abuse report --store "$db" --period "$last..$last" --output "$T/rep2.html"
expect_grep "$T/rep2.html" '<table id="imitating">'
# a re-ingest without brands replaces the date: its imitations go with it
expect_rc 0 "$S" abuse ingest --store "$db" --date "$last" "${zones[@]}" \
	--feed "phishing:p:$T/world/feeds/$last/phishing.urls" --feed "phishing:lure:$T/brandfeed.urls"
expect_eq "$(sqlite3 "$db" "SELECT count(*) FROM abuse_imitation")" "0" "re-ingest replaces imitations"
expect_rc 1 "$S" abuse ingest --store "$db" --date "$last" "${zones[@]}" \
	--feed "phishing:p:$T/world/feeds/$last/phishing.urls" --brands "$T/nope.txt"
expect_grep "$T/err" "nope.txt"

# ---- issue 25: host names as phishing names them (gen names --hosts) -----------------------------
expect_rc 0 "$S" gen names --hosts --dir "$T/h" --seed 5 --per-shape 30 --benign 20000
"$S" names check --quiet --brands "$T/h/brands.txt" --format csv --output "$T/h/out.csv" - <"$T/h/hosts.txt" ||
	fail "names check over the host corpus"
# every shape found with its brand, kind, position and provider; no innocent; benign FP <= 0.2%
if python3 "$here/names/hosts_compare.py" "$T/h/truth.csv" "$T/h/out.csv" --max-fp 0.002 >"$T/hcmp" 2>&1; then ok; else fail "host corpus: $(cat "$T/hcmp")"; fi
for shape in provider-user provider-deep throwaway-sub glued leet case brand-tld context near-miss benign; do
	expect_grep "$T/h/truth.csv" ",$shape,"
done
expect_grep "$T/h/hosts.txt" "I" # names as written, with capitals
expect_rc 0 "$S" gen names --hosts --dir "$T/h2" --seed 5 --per-shape 30 --benign 20000
expect_eq "$(cat "$T/h/hosts.txt" "$T/h/truth.csv" | sha256sum)" "$(cat "$T/h2/hosts.txt" "$T/h2/truth.csv" | sha256sum)" "gen names --hosts determinism"
expect_rc 1 "$S" gen names --hosts --dir "$T/h3" --dict "$T/none.txt"
expect_grep "$T/err" "word list '$T/none.txt'"
printf 'apple\nbanana\n' >"$T/tiny.txt"
expect_rc 1 "$S" gen names --hosts --dir "$T/h3" --dict "$T/tiny.txt"
expect_grep "$T/err" "word list '$T/tiny.txt': [0-9]+ usable words .* needs 1000"
# the issue's own examples from a public phishing list: brand, position, provider
expect_rc 0 "$S" names check --brands "$T/h/brands.txt" --format json appleaccounthelp.sytes.net \
	app10paypal.blogspot.com alertchasesupp001.000webhostapp.com b-chase-com-515be.firebaseapp.com \
	2018microsoft0utlook.editor.multiscreensite.com account-amazon-updata-openid-senter-error.pgdfss.com \
	account.microsoftt.opalsdka.com accesspaypalinformation.com 1team-1paypal-1acc3s.com paypa1fr.com \
	100-americaamazon-900.com appIe.com.se acmeofficesupply.com purchase.com snapple.com
cp "$T/out" "$T/ex.json"
expect_eq "$(json_get "$T/ex.json" '"|".join(" ".join(str(r.get(k) or "") for k in ("name", "brand", "position", "provider")) for r in d)')" \
"appleaccounthelp.sytes.net apple.com registered sytes.net|\
app10paypal.blogspot.com paypal.com registered blogspot.com|\
alertchasesupp001.000webhostapp.com chase.com registered 000webhostapp.com|\
b-chase-com-515be.firebaseapp.com chase.com registered firebaseapp.com|\
2018microsoft0utlook.editor.multiscreensite.com microsoft.com registered editor.multiscreensite.com|\
2018microsoft0utlook.editor.multiscreensite.com outlook.com registered editor.multiscreensite.com|\
account-amazon-updata-openid-senter-error.pgdfss.com amazon.com subdomain |\
account.microsoftt.opalsdka.com microsoft.com subdomain |\
accesspaypalinformation.com paypal.com registered |\
1team-1paypal-1acc3s.com paypal.com registered |\
paypa1fr.com paypal.com registered |\
100-americaamazon-900.com amazon.com registered |\
appIe.com.se apple.com registered com.se|\
acmeofficesupply.com   |\
purchase.com   |\
snapple.com   " "the issue's examples"

# ---- permute: dnstwist's CSV shape -------------------------------------------------------------
expect_rc 0 "$S" names permute paypal.com
expect_eq "$(head -2 "$T/out" | tr '\n' ' ')" "fuzzer,domain *original,paypal.com " "permute header"
expect_grep "$T/out" "^homoglyph,xn--"
expect_grep "$T/out" "^bitsquat,paypcl.com$"
expect_rc 0 "$S" names permute --kinds omission paypal.com
expect_eq "$(tail -n +3 "$T/out" | cut -d, -f1 | sort -u)" "omission" "permute --kinds"
expect_rc 1 "$S" names permute com
finish
