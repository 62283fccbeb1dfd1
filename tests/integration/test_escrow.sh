#!/usr/bin/env bash
# ssrwatch escrow (SSR2 Rec 26): generated deposits validate clean and each planted fault raises
# exactly its RST code; RyDE (tar, OpenPGP) decrypted in memory with a real gpg keyring; bad input
# is an error with file and line; reconcile lists exactly the planted differences; restore from a
# FULL + DIFF equals the later zone; the drill serves the restored zone with Knot DNS and NSD
# (signed too) on loopback and every delegation answers like the original zone and server.
. "$(dirname "$0")/lib.sh"
S=$SSRWATCH
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
GH="$T/gnupg"
mkdir -m 700 "$GH"
cleanup() {
	gpgconf --homedir "$GH" --kill gpg-agent >/dev/null 2>&1 || true
	gpgconf --homedir "$T/empty-gnupg" --kill gpg-agent >/dev/null 2>&1 || true
	# knotd is waited for: it writes into $T while it stops, and rm would race with it
	[ -n "${KPID:-}" ] && { kill "$KPID" 2>/dev/null; wait "$KPID" 2>/dev/null; } || true
	rm -rf "$T"
}
trap cleanup EXIT

codes() { # codes REPORT.json: the codes raised, sorted, space-separated
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join(sorted(c['code'] for c in d[0]['codes'])))" "$1"
}

"$S" gen zone --delegations 300 --seed 5 --plain --output "$T/p1.zone" >/dev/null

# 1. a clean deposit: valid, no code, and xmllint accepts it against the same schemas
expect_rc 0 "$S" gen escrow --zone "$T/p1.zone" --tld example --dir "$T/clean" --date 2026-01-01
FULL="$T/clean/example_2026-01-01_full_S1_R0.xml"
expect_rc 0 "$S" escrow validate "$FULL" --format json --output "$T/v.json"
expect_eq "$(codes "$T/v.json")" "" "codes of a clean deposit"
expect_eq "$(json_get "$T/v.json" 'd[0]["valid"]')" "True" "clean deposit valid"
expect_eq "$(json_get "$T/v.json" 'd[0]["objects"]["domain"]["found"]')" "300" "domains found"
expect_rc 0 xmllint --noout --stream --schema "$SSR_SOURCE/data/escrow/escrow.xsd" "$FULL"
# the minimum data model and the host attribute model validate clean too
expect_rc 0 "$S" gen escrow --zone "$T/p1.zone" --tld example --dir "$T/min" --minimum --host-attributes
expect_rc 0 "$S" escrow validate "$T/min/example_2026-01-01_full_S1_R0.xml" --format json --output "$T/m.json"
expect_eq "$(json_get "$T/m.json" 'd[0]["data_model"]+"/"+d[0]["host_model"]')" "minimum/attributes" "models"
expect_rc 0 xmllint --noout --stream --schema "$SSR_SOURCE/data/escrow/escrow.xsd" "$T/min/example_2026-01-01_full_S1_R0.xml"

# a deposit written the way RFC 9022's examples are: the header first, pretty-printed counts,
# a registrar's voice with an extension, "ok" beside other status values, the file not named
# by the convention (so the TLD comes from the header)
cat >"$T/handwritten.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rde:deposit type="FULL" id="20101017001"
  xmlns:domain="urn:ietf:params:xml:ns:domain-1.0" xmlns:rde="urn:ietf:params:xml:ns:rde-1.0"
  xmlns:rdeHeader="urn:ietf:params:xml:ns:rdeHeader-1.0" xmlns:rdeDom="urn:ietf:params:xml:ns:rdeDomain-1.0"
  xmlns:rdeHost="urn:ietf:params:xml:ns:rdeHost-1.0" xmlns:rdeRegistrar="urn:ietf:params:xml:ns:rdeRegistrar-1.0"
  xmlns:rdeEppParams="urn:ietf:params:xml:ns:rdeEppParams-1.0" xmlns:epp="urn:ietf:params:xml:ns:epp-1.0">
  <rde:watermark>2010-10-17T00:00:00Z</rde:watermark>
  <rde:rdeMenu>
    <rde:version>1.0</rde:version>
    <rde:objURI>urn:ietf:params:xml:ns:rdeHeader-1.0</rde:objURI>
    <rde:objURI>urn:ietf:params:xml:ns:rdeHost-1.0</rde:objURI>
    <rde:objURI>urn:ietf:params:xml:ns:rdeDomain-1.0</rde:objURI>
    <rde:objURI>urn:ietf:params:xml:ns:rdeRegistrar-1.0</rde:objURI>
    <rde:objURI>urn:ietf:params:xml:ns:rdeEppParams-1.0</rde:objURI>
  </rde:rdeMenu>
  <rde:contents>
    <rdeHeader:header>
      <rdeHeader:tld>test</rdeHeader:tld>
      <rdeHeader:count
        uri="urn:ietf:params:xml:ns:rdeDomain-1.0">1
        </rdeHeader:count>
      <rdeHeader:count uri="urn:ietf:params:xml:ns:rdeHost-1.0">1</rdeHeader:count>
      <rdeHeader:count uri="urn:ietf:params:xml:ns:rdeRegistrar-1.0">1</rdeHeader:count>
      <rdeHeader:count uri="urn:ietf:params:xml:ns:rdeEppParams-1.0">1</rdeHeader:count>
    </rdeHeader:header>
    <rdeDom:domain>
      <rdeDom:name>example2.test</rdeDom:name>
      <rdeDom:roid>Dexample2-TEST</rdeDom:roid>
      <rdeDom:status s="ok"/>
      <rdeDom:status s="clientUpdateProhibited"/>
      <rdeDom:ns><domain:hostObj>ns1.example2.test</domain:hostObj></rdeDom:ns>
      <rdeDom:clID>RegistrarX</rdeDom:clID>
      <rdeDom:crRr>RegistrarX</rdeDom:crRr>
      <rdeDom:crDate>1999-04-03T22:00:00.0Z</rdeDom:crDate>
      <rdeDom:exDate>2015-04-03T22:00:00.0Z</rdeDom:exDate>
    </rdeDom:domain>
    <rdeHost:host>
      <rdeHost:name>ns1.example2.test</rdeHost:name>
      <rdeHost:roid>Hns1_example2_test-TEST</rdeHost:roid>
      <rdeHost:status s="ok"/>
      <rdeHost:status s="linked"/>
      <rdeHost:addr ip="v6">1080:0:0:0:8:800:200C:417A
      </rdeHost:addr>
      <rdeHost:clID>RegistrarX</rdeHost:clID>
    </rdeHost:host>
    <rdeRegistrar:registrar>
      <rdeRegistrar:id>RegistrarX</rdeRegistrar:id>
      <rdeRegistrar:name>Registrar X</rdeRegistrar:name>
      <rdeRegistrar:gurid>8</rdeRegistrar:gurid>
      <rdeRegistrar:status>ok</rdeRegistrar:status>
      <rdeRegistrar:postalInfo type="int"><rdeRegistrar:addr><rdeRegistrar:city>Dulles</rdeRegistrar:city>
        <rdeRegistrar:cc>US</rdeRegistrar:cc></rdeRegistrar:addr></rdeRegistrar:postalInfo>
      <rdeRegistrar:voice x="1234">+1.7035555555
      </rdeRegistrar:voice>
      <rdeRegistrar:email>jdoe@example.test</rdeRegistrar:email>
      <rdeRegistrar:crDate>2005-04-03T22:00:00.0Z</rdeRegistrar:crDate>
    </rdeRegistrar:registrar>
    <rdeEppParams:eppParams>
      <rdeEppParams:version>1.0</rdeEppParams:version>
      <rdeEppParams:lang>en</rdeEppParams:lang>
      <rdeEppParams:objURI>urn:ietf:params:xml:ns:domain-1.0</rdeEppParams:objURI>
      <rdeEppParams:objURI>urn:ietf:params:xml:ns:host-1.0</rdeEppParams:objURI>
      <rdeEppParams:svcExtension>
        <epp:extURI>urn:ietf:params:xml:ns:rgp-1.0</epp:extURI>
        <epp:extURI>urn:ietf:params:xml:ns:secDNS-1.1</epp:extURI>
      </rdeEppParams:svcExtension>
      <rdeEppParams:dcp><epp:access><epp:all/></epp:access><epp:statement><epp:purpose><epp:admin/></epp:purpose>
        <epp:recipient><epp:ours/></epp:recipient><epp:retention><epp:stated/></epp:retention></epp:statement>
      </rdeEppParams:dcp>
    </rdeEppParams:eppParams>
  </rde:contents>
</rde:deposit>
XML
expect_rc 1 "$S" escrow validate "$T/handwritten.xml" --format json --output "$T/hw.json"
expect_eq "$(codes "$T/hw.json")" "RDE_INVALID_FILENAME" "a deposit in the RFC's style (only its file name is off)"
expect_rc 0 xmllint --noout --stream --schema "$SSR_SOURCE/data/escrow/escrow.xsd" "$T/handwritten.xml"
# the same deposit with the domain under another TLD: the header's TLD judges the names
sed 's/<rdeDom:name>example2.test</<rdeDom:name>example2.other</' "$T/handwritten.xml" >"$T/handwritten2.xml"
expect_rc 1 "$S" escrow validate "$T/handwritten2.xml" --format json --output "$T/hw2.json"
expect_eq "$(codes "$T/hw2.json")" "RDE_DOMAIN_HAS_INVALID_NAME RDE_INVALID_FILENAME" "a name outside the header's TLD"

# 2. every planted fault raises exactly its code (and the exit status is 1)
echo SSRW >"$T/repos.txt"
while read -r fault code; do
	rm -rf "$T/f"
	expect_rc 0 "$S" gen escrow --zone "$T/p1.zone" --tld example --dir "$T/f" --fault "$fault"
	expect_rc 1 "$S" escrow validate "$T"/f/* --repo-ids "$T/repos.txt" --format json --output "$T/f.json"
	expect_eq "$(codes "$T/f.json")" "$code" "fault $fault"
done <<'EOF'
count RDE_OBJECT_COUNT_MISMATCH
menu-uri RDE_MENU_AND_HEADER_URIS_DIFFER
registrar RDE_DOMAIN_HAS_INVALID_CLID
contact RDE_DOMAIN_HAS_MISSING_CONTACT
registrant RDE_DOMAIN_HAS_INVALID_REGISTRANT
host RDE_DOMAIN_HAS_MISSING_NAMESERVER
crdate RDE_DOMAIN_HAS_INVALID_CRDATE
exdate RDE_DOMAIN_HAS_INVALID_EXDATE
duplicate RDE_DOMAIN_HAS_NON_UNIQUE_NAME
roid RDE_DOMAIN_HAS_INVALID_ROID
status RDE_DOMAIN_HAS_MISSING_STATUS
schema RDE_SCHEMA_VALIDATION_ERROR
host-addr RDE_HOST_HAS_MISSING_IP_ADDRESS
host-ip RDE_HOST_HAS_INVALID_IP_ADDRESS
email RDE_CONTACT_HAS_INVALID_EMAIL
cc RDE_CONTACT_HAS_INVALID_CC
postalinfo RDE_CONTACT_HAS_MULTIPLE_POSTALINFO_TYPES
gurid RDE_REGISTRAR_HAS_MISSING_GURID
nndn RDE_NNDN_CONFLICTS_WITH_DOMAIN
idn RDE_IDN_OBJECT_MISSING
epp-ext RDE_EPP_PARAMS_MISSING_EXTURI
policy RDE_POLICY_OBJECT_MISSING
truncated RDE_XML_PARSE_ERROR
doctype RDE_XML_PARSE_ERROR
filename RDE_INVALID_FILENAME
EOF
# the schema fault is one xmllint rejects as well; the table names the element and line
rm -rf "$T/f"
"$S" gen escrow --zone "$T/p1.zone" --tld example --dir "$T/f" --fault schema >/dev/null
expect_rc 3 xmllint --noout --stream --schema "$SSR_SOURCE/data/escrow/escrow.xsd" "$T"/f/*.xml
expect_rc 1 "$S" escrow validate "$T"/f/*.xml
expect_grep "$T/out" "RDE_SCHEMA_VALIDATION_ERROR"
expect_grep "$T/out" "line [0-9]+: .*colour"
cp "$T/out" "$T/threaded.txt"
# the schema pass in the parsing thread gives the same report
expect_rc 1 "$S" escrow validate "$T"/f/*.xml --schema-inline
sed -i 's/ in [0-9.]* s$//' "$T/out" "$T/threaded.txt"
expect_eq "$(diff "$T/out" "$T/threaded.txt" && echo same)" "same" "threaded and inline schema pass"
# rde-01 with the test's TLDs and the RST rule that the deposit is FULL
expect_rc 1 "$S" escrow validate "$FULL" --tld other --format json --output "$T/t.json"
expect_eq "$(codes "$T/t.json")" "RDE_INVALID_FILENAME" "a TLD not of the test"
# a data model given that the deposit does not follow
expect_rc 1 "$S" escrow validate "$T/min/example_2026-01-01_full_S1_R0.xml" --model maximum --format json --output "$T/mm.json"
expect_grep "$T/mm.json" "RDE_MISSING_OBJECT_URI"
expect_grep "$T/mm.json" "RDE_DOMAIN_HAS_MISSING_REGISTRANT"

# 3. RyDE: encrypted to a generated key, signed; decrypted in memory (nothing on disk)
expect_rc 0 "$S" gen escrow --zone "$T/p1.zone" --tld example --dir "$T/ryde" --encrypt --gnupg-home "$GH"
RYDE="$T/ryde/example_2026-01-01_full_S1_R0.ryde"
[ -f "$RYDE" ] && [ -f "${RYDE%.ryde}.sig" ] && [ ! -e "${RYDE%.ryde}.xml" ] && ok || fail "gen escrow --encrypt left $(ls "$T/ryde")"
expect_rc 0 "$S" escrow validate "$RYDE" --gnupg-home "$GH" --rst --tld example --format json --output "$T/r.json"
expect_eq "$(codes "$T/r.json")" "" "codes of the RyDE deposit"
expect_eq "$(json_get "$T/r.json" 'd[0]["encrypted"]')" "True" "encrypted"
expect_eq "$(json_get "$T/r.json" '[c["state"] for c in d[0]["checks"]][:4]')" "['run', 'run', 'run', 'run']" "rde-01..04 ran"
expect_eq "$(find "$TMPDIR" -type f | wc -l)" "0" "temporary files after decryption"
rm -rf "$T/rs"
expect_rc 0 "$S" gen escrow --zone "$T/p1.zone" --tld example --dir "$T/rs" --encrypt --gnupg-home "$GH" --fault signature
expect_rc 1 "$S" escrow validate "$T"/rs/*.ryde --gnupg-home "$GH" --format json --output "$T/rs.json"
expect_eq "$(codes "$T/rs.json")" "RDE_INVALID_SIGNATURE" "a signature over other bytes"
# a keyring without the keys: decryption fails (critical), the signer is unknown, nothing passes
mkdir -m 700 "$T/empty-gnupg"
expect_rc 1 "$S" escrow validate "$RYDE" --gnupg-home "$T/empty-gnupg" --format json --output "$T/e.json"
expect_eq "$(codes "$T/e.json")" "RDE_DECRYPTION_FAILED RDE_INVALID_SIGNATURE" "no keys"
expect_grep "$T/e.json" "no secret key|cannot be decrypted"
expect_eq "$(json_get "$T/e.json" 'd[0]["valid"]')" "False" "undecryptable deposit is not valid"
expect_grep "$T/e.json" '"state": "not-run"'
# the signature of a .ryde is required: without it rde-02 could not run
cp "$RYDE" "$T/nosig_2026-01-01_full_S1_R0.ryde"
expect_rc 1 "$S" escrow validate "$T/nosig_2026-01-01_full_S1_R0.ryde" --gnupg-home "$GH" --tld nosig --format json --output "$T/ns.json"
expect_grep "$T/ns.json" 'no signature file'

# 4. bad input: errors name the file and line; no partial result passes
printf 'this is not XML\n' >"$T/bad_2026-01-01_full_S1_R0.xml"
expect_rc 1 "$S" escrow validate "$T/bad_2026-01-01_full_S1_R0.xml"
expect_grep "$T/out" "RDE_XML_PARSE_ERROR"
expect_grep "$T/out" "bad_2026-01-01_full_S1_R0.xml' line 1"
python3 - "$T/bomb_2026-01-01_full_S1_R0.xml" <<'PY'
import sys
ents = '<!ENTITY a0 "lol">' + ''.join('<!ENTITY a%d "%s">' % (i, ('&a%d;' % (i - 1)) * 10) for i in range(1, 10))
open(sys.argv[1], 'w').write('<?xml version="1.0"?>\n<!DOCTYPE d [' + ents + ']>\n<rde:deposit xmlns:rde="urn:ietf:params:xml:ns:rde-1.0" type="FULL" id="1">&a9;</rde:deposit>\n')
PY
expect_rc 1 "$S" escrow validate "$T/bomb_2026-01-01_full_S1_R0.xml"
expect_grep "$T/out" "DOCTYPE is not allowed"
python3 - "$T/deep_2026-01-01_full_S1_R0.xml" <<'PY'
import sys
open(sys.argv[1], 'w').write('<?xml version="1.0"?>\n<rde:deposit xmlns:rde="urn:ietf:params:xml:ns:rde-1.0" type="FULL" id="1"><rde:contents>' + '<x>' * 200 + '</x>' * 200 + '</rde:contents></rde:deposit>\n')
PY
expect_rc 1 "$S" escrow validate "$T/deep_2026-01-01_full_S1_R0.xml"
expect_grep "$T/out" "nested deeper than 64"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<rde:deposit xmlns:rde="urn:ietf:params:xml:ns:rde-1.0" type="FULL" id="1">\n<rde:watermark>caf\xe9</rde:watermark></rde:deposit>\n' >"$T/enc_2026-01-01_full_S1_R0.xml"
expect_rc 1 "$S" escrow validate "$T/enc_2026-01-01_full_S1_R0.xml"
expect_grep "$T/out" "RDE_XML_PARSE_ERROR"
expect_grep "$T/out" "line 3"
# a truncated tar and a truncated gzip stream
mkdir "$T/tar" "$T/tar2"
(cd "$T/clean" && tar cf "$T/tar/example_2026-01-01_full_S1_R0.tar" example_2026-01-01_full_S1_R0.xml)
head -c 200000 "$T/tar/example_2026-01-01_full_S1_R0.tar" >"$T/tar2/example_2026-01-01_full_S1_R0.tar"
expect_rc 0 "$S" escrow validate "$T/tar/example_2026-01-01_full_S1_R0.tar"
# CSV members: their RFC 4180 syntax is checked (the CSV model itself is not read: not valid)
printf 'a,b,"c ""x"" d"\r\n1,2,3\r\n' >"$T/tar/good.csv"
printf 'a,b,c\n1,"2"x,3\n' >"$T/tar/bad.csv"
printf 'a,b\n1,2,3\n' >"$T/tar/short.csv"
cp "$FULL" "$T/tar/"
mkdir "$T/tar/csv"
(cd "$T/tar" && tar cf "$T/tar/csv/example_2026-01-01_full_S1_R0.tar" example_2026-01-01_full_S1_R0.xml good.csv bad.csv short.csv)
expect_rc 1 "$S" escrow validate "$T/tar/csv/example_2026-01-01_full_S1_R0.tar" --format json --output "$T/csv.json"
expect_eq "$(json_get "$T/csv.json" '[c["count"] for c in d[0]["codes"] if c["code"] == "RDE_INVALID_CSV"][0]')" "2" "CSV members with RFC 4180 errors"
expect_grep "$T/csv.json" 'bad.csv'
expect_grep "$T/csv.json" '3 fields where the first record has 2'
expect_eq "$(json_get "$T/csv.json" 'd[0]["checks"][3]["state"]')" "not-run" "rde-04 with CSV members"
expect_rc 1 "$S" escrow validate "$T/tar2/example_2026-01-01_full_S1_R0.tar"
expect_grep "$T/out" "truncated|ends early"
# compressed deposits go through the project's input layer (gzip, zstd)
mkdir "$T/z"
zstd -q -c "$FULL" >"$T/z/example_2026-01-01_full_S1_R0.xml"
expect_rc 0 "$S" escrow validate "$T/z/example_2026-01-01_full_S1_R0.xml"
gzip -c "$FULL" | head -c 20000 >"$T/gz_2026-01-01_full_S1_R0.xml.gz"
expect_rc 1 "$S" escrow validate "$T/gz_2026-01-01_full_S1_R0.xml.gz"
expect_grep "$T/out" "RDE_XML_PARSE_ERROR"
expect_grep "$T/out" "truncated gzip stream at offset [0-9]+"
expect_rc 1 "$S" escrow validate "$T/no-such-deposit.xml"
expect_grep "$T/err" "no-such-deposit.xml"
# long owner and host names (lines of ~430 bytes, six NS): restored in full, nothing cut
L=$(printf 'a%.0s' $(seq 63))
{
	echo "example. 3600 IN SOA ns.example. h.example. 1 7200 3600 1209600 3600"
	echo "example. 3600 IN NS ns.example."
	echo "ns.example. 3600 IN A 127.0.0.1"
	for i in 1 2 3 4 5 6; do echo "$L.$L.$L.example. 3600 IN NS h$i.$L.$L.$L.net."; done
} >"$T/long.zone"
expect_rc 0 "$S" gen escrow --zone "$T/long.zone" --tld example --dir "$T/long" --date 2026-01-01
expect_rc 0 "$S" escrow restore --deposit "$T/long/example_2026-01-01_full_S1_R0.xml" --apex "$T/long.zone" --out "$T/long-r.zone"
expect_eq "$(grep -c "^$L\.$L\.$L\.example\. [0-9]* IN NS h[1-6]\.$L\.$L\.$L\.net\.$" "$T/long-r.zone")" "6" "long names restored"
expect_rc 0 "$S" escrow reconcile --deposit "$T/long/example_2026-01-01_full_S1_R0.xml" --zone "$T/long.zone"
# an option file that cannot be read fails the run and names the file
expect_rc 1 "$S" escrow validate "$FULL" --repo-ids "$T/no-such-repos.txt"
expect_grep "$T/err" "list '.*no-such-repos.txt': No such file"
# an unknown generator fault is refused, nothing written
mkdir -p "$T/nf"
expect_rc 1 "$S" gen escrow --zone "$T/p1.zone" --tld example --dir "$T/nf" --fault nosuch
expect_grep "$T/err" "unknown fault 'nosuch'"
expect_eq "$(ls "$T/nf" | wc -l)" "0" "nothing written for a bad fault"
# a broken schema is an error, never a pass
printf '<schema' >"$T/broken.xsd"
expect_rc 1 "$S" escrow validate "$FULL" --schema "$T/broken.xsd" --format json --output "$T/bs.json"
expect_grep "$T/bs.json" '"valid": false'

# 5. restore and reconcile: FULL of p1 + DIFF to p2 (one delegation removed, one added, an NS
# set, a DS set and a glue address changed), a domain put on hold
python3 - "$T/p1.zone" "$T/p2.zone" >"$T/planted" <<'PY'
import sys
def parse(l):
    f = l.split()
    if not f or f[0][0] in ';$': return None
    i = 1
    if i < len(f) and f[i].isdigit(): i += 1
    if i < len(f) and f[i] == 'IN': i += 1
    return (f[0], f[i], f[i + 1:]) if i < len(f) else None
L = open(sys.argv[1]).read().split('\n')
deleg = []
for l in L:
    p = parse(l)
    if p and p[1] == 'NS' and p[0] != 'example.' and p[0] not in deleg: deleg.append(p[0])
rm, nschg, dsadd = deleg[3], deleg[10], deleg[20]
glue = [parse(l)[0] for l in L if parse(l) and parse(l)[1] == 'A'][0]
out = []
for l in L:
    p = parse(l)
    if p and p[0] == rm: continue
    if p and p[0] == nschg and p[1] == 'NS' and not any('ns9.changed' in x for x in out):
        l = l.replace(p[2][0], 'ns9.changed-host.net.')
    if p and p[1] == 'A' and p[0] == glue: l = l.replace(p[2][0], '198.51.100.77')
    out.append(l)
    if p and p[0] == dsadd and p[1] == 'NS' and not any('12345 13 2' in x for x in out):
        out.append(dsadd + ' 86400 IN DS 12345 13 2 ' + 'AB' * 32)
out += ['added-by-diff.example. 172800 IN NS ns1.added-host.org.',
        'added-by-diff.example. 172800 IN NS ns2.added-host.org.']
open(sys.argv[2], 'w').write('\n'.join(out) + '\n')
print(rm.rstrip('.'), nschg.rstrip('.'), dsadd.rstrip('.'), glue.rstrip('.'), deleg[40].rstrip('.'))
PY
read -r RM NSCHG DSADD GLUE HOLD <"$T/planted"
expect_rc 0 "$S" gen escrow --zone "$T/p2.zone" --diff-from "$T/p1.zone" --tld example --dir "$T/clean" --date 2026-01-02
DIFF="$T/clean/example_2026-01-02_diff_S1_R0.xml"
expect_rc 0 "$S" escrow validate "$DIFF" --format json --output "$T/d.json"
expect_eq "$(json_get "$T/d.json" 'd[0]["type"]+" "+d[0]["prev_id"]')" "DIFF 20260101001" "the DIFF and its prevId"
# the FULL with one domain on serverHold (still delegated in the zone)
sed "/<rdeDomain:name>$HOLD<\/rdeDomain:name>/,/<\/rdeDomain:domain>/ s/<rdeDomain:status s=\"[a-zA-Z]*\"\/>/<rdeDomain:status s=\"serverHold\"\/>/" "$FULL" >"$T/held_2026-01-01_full_S1_R0.xml"
expect_rc 1 "$S" escrow reconcile --deposit "$T/held_2026-01-01_full_S1_R0.xml" --zone "$T/p2.zone" --format json --output "$T/rc.json"
expect_eq "$(json_get "$T/rc.json" '" ".join("%s=%d" % (k, v["count"]) for k, v in sorted(d["categories"].items()))')" \
	"deposit-only=1 ds-differ=1 glue-differ=1 held-in-zone=1 ns-differ=1 zone-only=1" "reconcile categories"
expect_eq "$(json_get "$T/rc.json" 'd["categories"]["zone-only"]["examples"][0].split(":")[0]')" "added-by-diff.example" "zone-only"
expect_eq "$(json_get "$T/rc.json" 'd["categories"]["deposit-only"]["examples"][0].split(":")[0]')" "$RM" "deposit-only"
expect_eq "$(json_get "$T/rc.json" 'd["categories"]["held-in-zone"]["examples"][0].split(":")[0]')" "$HOLD" "held-in-zone"
expect_eq "$(json_get "$T/rc.json" 'd["categories"]["ns-differ"]["examples"][0].split(":")[0]')" "$NSCHG" "ns-differ"
expect_eq "$(json_get "$T/rc.json" 'd["categories"]["ds-differ"]["examples"][0].split(":")[0]')" "$DSADD" "ds-differ"
expect_eq "$(json_get "$T/rc.json" 'd["categories"]["glue-differ"]["examples"][0].split(":")[0]')" "$GLUE" "glue-differ"
# FULL + DIFF restores exactly the later zone's delegations; with the DIFF reconcile is clean
expect_rc 0 "$S" escrow restore --deposit "$DIFF" --deposit "$FULL" --apex "$T/p2.zone" --out "$T/restored.zone" --format json --output "$T/rst.json"
expect_eq "$(json_get "$T/rst.json" 'd["diffs_applied"]')" "1" "DIFFs applied"
expect_rc 0 "$S" zone diff --origin example "$T/restored.zone" "$T/p2.zone" --format json --output "$T/zd.json"
expect_eq "$(json_get "$T/zd.json" 'sum(v for k, v in d["summary"]["changes"].items() if k not in ("other",))')" "0" "restored vs the later zone"
expect_rc 0 "$S" escrow reconcile --deposit "$FULL" --deposit "$DIFF" --zone "$T/p2.zone"
# a DIFF that does not chain is refused
sed 's/prevId="20260101001"/prevId="20251231001"/' "$DIFF" >"$T/gap_2026-01-02_diff_S1_R0.xml"
expect_rc 1 "$S" escrow restore --deposit "$FULL" --deposit "$T/gap_2026-01-02_diff_S1_R0.xml" --apex "$T/p2.zone" --out "$T/gap.zone"
expect_grep "$T/err" "gap in the deposit chain"
[ ! -e "$T/gap.zone" ] && ok || fail "a refused restore left a zone file"
# the same changes as an INCR (it follows the last FULL or INCR) restore the same zone; an INCR
# that does not follow the FULL is refused
sed 's/type="DIFF"/type="INCR"/' "$DIFF" >"$T/incr_2026-01-02_incr_S1_R0.xml"
expect_rc 0 "$S" escrow restore --deposit "$FULL" --deposit "$T/incr_2026-01-02_incr_S1_R0.xml" --apex "$T/p2.zone" --out "$T/incr.zone"
expect_rc 0 "$S" zone diff --origin example "$T/incr.zone" "$T/p2.zone" --format json --output "$T/zdi.json"
expect_eq "$(json_get "$T/zdi.json" 'sum(v for k, v in d["summary"]["changes"].items() if k not in ("other",))')" "0" "restored with an INCR vs the later zone"
sed 's/prevId="20260101001"/prevId="20251201001"/' "$T/incr_2026-01-02_incr_S1_R0.xml" >"$T/incr2_2026-01-02_incr_S1_R0.xml"
expect_rc 1 "$S" escrow restore --deposit "$FULL" --deposit "$T/incr2_2026-01-02_incr_S1_R0.xml" --apex "$T/p2.zone" --out "$T/incr2.zone"
expect_grep "$T/err" "gap in the deposit chain: INCR"
# restore straight from the RyDE deposit
expect_rc 0 "$S" escrow restore --deposit "$RYDE" --apex "$T/p1.zone" --out "$T/r1.zone" --gnupg-home "$GH"
expect_rc 0 "$S" zone diff --origin example "$T/r1.zone" "$T/p1.zone" --format json --output "$T/zd1.json"
expect_eq "$(json_get "$T/zd1.json" 'sum(v for k, v in d["summary"]["changes"].items() if k not in ("other",))')" "0" "restored from RyDE vs the zone"
expect_eq "$(find "$TMPDIR" -type f | wc -l)" "0" "temporary files after restore"

# 6. the drill: Knot DNS and NSD serve the restored zone; every delegation as in p2
PORT=$(free_port)
expect_rc 0 "$S" escrow drill --deposit "$FULL" --deposit "$DIFF" --apex "$T/p2.zone" --dir "$T/drill" \
	--compare-zone "$T/p2.zone" --listen 127.0.0.1 --port "$PORT" --format json --output "$T/dr.json"
expect_eq "$(json_get "$T/dr.json" 'str(d["passed"])+" "+str(d["checked"])+" "+str(d["matched"])')" "True 300 300" "knot drill"
expect_eq "$(json_get "$T/dr.json" 'd["server"].split()[0]')" "knot" "drill server"
expect_eq "$(json_get "$T/dr.json" 'str(d["within_threshold"])+" "+str(d["load_s"] > 0)')" "True True" "drill timing"
PORT=$(free_port)
expect_rc 0 "$S" escrow drill --deposit "$FULL" --deposit "$DIFF" --apex "$T/p2.zone" --dir "$T/drill-nsd" \
	--compare-zone "$T/p2.zone" --server nsd --listen 127.0.0.1 --port "$PORT" --format json --output "$T/dn.json"
expect_eq "$(json_get "$T/dn.json" 'str(d["passed"])+" "+d["server"].split()[0]')" "True nsd" "nsd drill"
# signed with ldns-signzone keys
mkdir "$T/keys"
(cd "$T/keys" && ldns-keygen -a ECDSAP256SHA256 -k example >/dev/null && ldns-keygen -a ECDSAP256SHA256 example >/dev/null)
KEYS=()
for k in "$T"/keys/*.private; do KEYS+=(--sign-key "${k%.private}"); done
PORT=$(free_port)
expect_rc 0 "$S" escrow drill --deposit "$FULL" --apex "$T/p1.zone" --dir "$T/drill-signed" \
	--compare-zone "$T/p1.zone" --port "$PORT" "${KEYS[@]}" --format json --output "$T/ds.json"
expect_eq "$(json_get "$T/ds.json" 'str(d["passed"])+" "+str(d["signed"])+" "+str(d["sign_s"] > 0)')" "True True True" "signed drill"
# against the original server (Knot serving p2) instead of the zone file
OPORT=$(free_port)
start_knotd example "$T/p2.zone" "$OPORT" original
PORT=$(free_port)
expect_rc 0 "$S" escrow drill --deposit "$FULL" --deposit "$DIFF" --apex "$T/p2.zone" --dir "$T/drill-srv" \
	--compare-server "127.0.0.1#$OPORT" --port "$PORT" --format json --output "$T/dsrv.json"
expect_eq "$(json_get "$T/dsrv.json" 'str(d["passed"])+" "+str(d["matched"])')" "True 300" "drill against the original server"
# a drill that restores the wrong state fails: the FULL alone against the later server
PORT=$(free_port)
expect_rc 1 "$S" escrow drill --deposit "$FULL" --apex "$T/p2.zone" --dir "$T/drill-bad" \
	--compare-server "127.0.0.1#$OPORT" --port "$PORT" --format json --output "$T/dbad.json"
expect_eq "$(json_get "$T/dbad.json" 'str(d["passed"])+" "+str(d["mismatched"] + d["unanswered"])')" "False 4" "drill of the stale FULL"
kill "$KPID" 2>/dev/null || true
wait "$KPID" 2>/dev/null || true

# 7. the store and the tracker: validations and the last drill (SSR2 Rec 26)
expect_rc 1 "$S" escrow validate "$FULL" "$T/bad_2026-01-01_full_S1_R0.xml" --store "$T/s.db"
expect_eq "$(sqlite3 "$T/s.db" "SELECT file || ':' || valid || ':' || code_list FROM escrow_check ORDER BY file")" \
	"bad_2026-01-01_full_S1_R0.xml:0:RDE_XML_PARSE_ERROR
example_2026-01-01_full_S1_R0.xml:1:" "stored validations"
PORT=$(free_port)
expect_rc 0 "$S" escrow drill --deposit "$FULL" --apex "$T/p1.zone" --dir "$T/drill-store" \
	--compare-zone "$T/p1.zone" --port "$PORT" --store "$T/s.db"
expect_eq "$(sqlite3 "$T/s.db" "SELECT tld || ' ' || checked || ' ' || matched || ' ' || passed FROM escrow_drill")" "example 300 300 1" "stored drill"
expect_rc 0 "$S" recs import --store "$T/s.db"
expect_rc 0 "$S" recs show SSR2-26 --store "$T/s.db" --format json
expect_grep "$T/out" "last EBERO drill: a correctly answering server [0-9]+ s after the deposit \\(4 h threshold\\), 300 of 300 delegations"
finish
