#!/bin/bash
# ssrwatch probe query | read against a real Knot DNS (knotd from Debian) started on loopback:
# UDP and TCP, flags and EDNS options as the server sees them, NSID, records written and read
# back; a port nobody serves (timeout, refused); bad input.  knotd is always stopped.
. "$(dirname "$0")/lib.sh"
S=$SSRWATCH
PORT=$(free_port)
mkdir -p "$T/knot"
cat >"$T/knot/example.zone" <<ZONE
\$ORIGIN example.
\$TTL 3600
@ IN SOA ns1 hostmaster 2026120601 3600 900 604800 300
@ IN NS ns1
ns1 IN A 127.0.0.1
www IN A 192.0.2.1
www IN AAAA 2001:db8::1
txt IN TXT "hello" "world"
*.wild IN A 192.0.2.7
ZONE
KPID=
trap 'kill $KPID 2>/dev/null; wait $KPID 2>/dev/null || true; rm -rf "$T"' EXIT
start_knotd example. "$T/knot/example.zone" "$PORT" ssrwatch-test-nsid

# UDP: an answer with the record, AA, the NSID asked for
expect_rc 0 "$S" probe query --server "127.0.0.1:$PORT" --nsid --format json www.example A
expect_eq "$(json_get "$T/out" 'd["outcome"] + " " + d["transport"] + " " + d["answer"]["rcode"]')" "answer udp NOERROR" "udp answer"
expect_eq "$(json_get "$T/out" '" ".join(d["answer"]["flags"])')" "qr aa" "flags"
expect_grep "$T/out" '"www.example. +\\t3600\\tA\\t192.0.2.1"'
expect_eq "$(json_get "$T/out" 'd["answer"]["edns"]["nsid_text"]')" "ssrwatch-test-nsid" "NSID"
expect_eq "$(json_get "$T/out" 'd["source"].startswith("127.0.0.1:") and d["rtt_us"] > 0')" "True" "source and rtt"
# TCP, DO, 0x20 and a wildcard
expect_rc 0 "$S" probe query --server "127.0.0.1:$PORT" --tcp --do --0x20 --format json a.b.wild.example A
expect_eq "$(json_get "$T/out" 'd["transport"] + " " + str(d["answer"]["edns"]["do"])')" "tcp True" "tcp, DO echoed"
expect_grep "$T/out" '192.0.2.7'
# NXDOMAIN, and the text form
expect_rc 0 "$S" probe query --server "127.0.0.1:$PORT" nope.example A
expect_grep "$T/out" 'status: NXDOMAIN \(3\)'
expect_grep "$T/out" '^;; AUTHORITY SECTION:'
# EDNS version 1 -> BADVERS (RFC 6891); an unknown opcode -> NOTIMP; no EDNS -> no OPT back
expect_rc 0 "$S" probe query --server "127.0.0.1:$PORT" --edns-version 1 --format json example SOA
expect_eq "$(json_get "$T/out" 'd["answer"]["rcode"]')" "BADVERS" "EDNS1"
expect_rc 0 "$S" probe query --server "127.0.0.1:$PORT" --opcode 15 --format json example SOA
expect_eq "$(json_get "$T/out" 'd["answer"]["rcode"]')" "NOTIMP" "opcode 15"
expect_rc 0 "$S" probe query --server "127.0.0.1:$PORT" --no-edns --format json example SOA
expect_eq "$(json_get "$T/out" 'd["answer"]["edns"]')" "None" "no EDNS, no OPT"
# an unknown EDNS option is not echoed; a cookie is answered with a server cookie
expect_rc 0 "$S" probe query --server "127.0.0.1:$PORT" --option 65001:abcd --cookie --format json example SOA
expect_eq "$(json_get "$T/out" '65001 in d["answer"]["edns"]["options"]')" "False" "unknown option not echoed"

# records: two exchanges written, read back as JSON lines and text
expect_rc 0 "$S" probe query --server "127.0.0.1:$PORT" --record "$T/a.rec" www.example AAAA
expect_rc 0 "$S" probe read "$T/a.rec"
expect_eq "$(wc -l <"$T/out")" "1" "one record"
expect_grep "$T/out" '2001:db8::1'
expect_rc 0 "$S" probe read --format text "$T/a.rec"
expect_grep "$T/out" 'over udp: answer'
printf 'garbage' >"$T/bad.rec"
expect_rc 1 "$S" probe read "$T/bad.rec"
expect_grep "$T/err" "records '.*bad.rec' offset 0: not a probe record file"

# nobody there: refused over UDP (the ICMP port unreachable, matched to its query) and over TCP;
# recorded, exit status 1
DEAD=$(free_port)
expect_rc 1 "$S" probe query --server "127.0.0.1:$DEAD" --timeout-ms 3000 --record "$T/d.rec" example SOA
expect_grep "$T/err" "no answer from 127.0.0.1:$DEAD over udp: refused"
expect_rc 1 "$S" probe query --server "127.0.0.1:$DEAD" --tcp --timeout-ms 2000 example SOA
expect_grep "$T/err" "over tcp: refused"
expect_rc 0 "$S" probe read "$T/d.rec"
expect_grep "$T/out" '"outcome":"refused"'

# probe run: a query file sent in full, every answer counted and recorded
printf '# queries\nwww.example A\nwww.example AAAA\nnope.example\nexample SOA\n' >"$T/q.txt"
expect_rc 0 "$S" probe run --server "127.0.0.1:$PORT" --queries "$T/q.txt" --repeat 5 --max-inflight 4 --format json --record "$T/run.rec"
expect_eq "$(json_get "$T/out" 'str(d["exchanges"]) + " " + str(d["outcomes"]["answer"]) + " " + json.dumps(d["rcodes"], sort_keys=True)')" '20 20 {"NOERROR": 15, "NXDOMAIN": 5}' "probe run counts"
expect_rc 0 "$S" probe read "$T/run.rec"
expect_eq "$(wc -l <"$T/out")" "20" "every exchange of the run recorded"
expect_rc 0 "$S" probe run --server "127.0.0.1:$PORT" --queries "$T/q.txt" --tcp --pipeline 2
expect_grep "$T/out" '^exchanges 4: answer 4, timeout 0'
# bad query files: file and line, nothing sent
printf 'www.example A\nwww.example NOPE\n' >"$T/bad1.txt"
expect_rc 1 "$S" probe run --server "127.0.0.1:$PORT" --queries "$T/bad1.txt"
expect_grep "$T/err" "queries '.*bad1.txt' line 2: unknown type 'NOPE'"
printf 'a..b A\n' >"$T/bad2.txt"
expect_rc 1 "$S" probe run --server "127.0.0.1:$PORT" --queries "$T/bad2.txt"
expect_grep "$T/err" "queries '.*bad2.txt' line 1: query: bad name 'a..b'"
printf '# nothing\n' >"$T/empty.txt"
expect_rc 1 "$S" probe run --server "127.0.0.1:$PORT" --queries "$T/empty.txt"
expect_grep "$T/err" "no query in it"
expect_rc 1 "$S" probe run --server "127.0.0.1:$PORT" --queries "$T/missing.txt"
expect_rc 2 "$S" probe run --server "127.0.0.1:$PORT"
expect_grep "$T/err" "--server and --queries are required"

# bad input: usage errors, nothing sent
expect_rc 2 "$S" probe query example SOA
expect_grep "$T/err" "--server is required"
expect_rc 2 "$S" probe query --server localhost example
expect_grep "$T/err" "bad --server 'localhost'"
expect_rc 2 "$S" probe query --server 127.0.0.1 example NOTATYPE
expect_grep "$T/err" "unknown type 'NOTATYPE'"
expect_rc 2 "$S" probe query --server 127.0.0.1 'a..b' A
expect_grep "$T/err" "bad name 'a..b'"
expect_rc 2 "$S" probe query --server 127.0.0.1 --option 12:abc example
expect_grep "$T/err" "bad --option '12:abc'"
expect_rc 2 "$S" probe query --server 127.0.0.1 --opcode 16 example
expect_grep "$T/err" "bad --opcode '16'"
finish
