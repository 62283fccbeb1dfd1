#!/bin/bash
# ssrwatch probe over DNS over TLS (RFC 7858) against a real Unbound from Debian serving DoT on
# loopback with the test certificate (tests/data/tls: self-signed for dot.test): opportunistic
# (any certificate), verified against the CA and the name, a wrong name, an untrusted
# certificate, plain TCP to the TLS port, a bad CA file; the record file keeps the transport;
# probe run over TLS with connections reused.  Unbound is always stopped.
. "$(dirname "$0")/lib.sh"
S=$SSRWATCH
UNBOUND=$(command -v unbound || echo /usr/sbin/unbound)
[ -x "$UNBOUND" ] || { echo "FAIL: unbound is missing (scripts/deps.sh installs it)"; exit 1; }
PORT=$(free_port)
CERT=$SSR_TEST_DATA/tls
cat >"$T/data.conf" <<CONF
server:
    local-zone: "dot.test." static
    local-data: "www.dot.test. A 192.0.2.53"
    local-data: "dot.test. SOA ns.dot.test. hostmaster.dot.test. 1 3600 900 604800 300"
CONF
sed "s|@PORT@|$PORT|g; s|@CERT@|$CERT|g; s|@DIR@|$T|g" "$CERT/unbound-dot.conf" >"$T/unbound.conf"
"$UNBOUND" -d -c "$T/unbound.conf" >"$T/unbound.log" 2>&1 &
UPID=$!
trap 'kill $UPID 2>/dev/null; wait $UPID 2>/dev/null || true; rm -rf "$T"' EXIT
for _ in $(seq 100); do "$S" probe query --server "127.0.0.1:$PORT" --tls --timeout-ms 300 www.dot.test A >/dev/null 2>&1 && break; sleep 0.05; done

# opportunistic: any certificate
expect_rc 0 "$S" probe query --server "127.0.0.1:$PORT" --tls --format json --record "$T/r.rec" www.dot.test A
expect_eq "$(json_get "$T/out" 'd["transport"] + " " + d["outcome"] + " " + d["answer"]["answer"][0].split()[-1]')" "tls answer 192.0.2.53" "an answer over TLS"
# verified: the CA and the name
expect_rc 0 "$S" probe query --server "127.0.0.1:$PORT" --tls --tls-verify --tls-name dot.test --tls-ca "$CERT/dot.pem" www.dot.test A
expect_grep "$T/out" "over tls: answer"
# a name the certificate does not carry, and a CA that did not sign it: no query sent
expect_rc 1 "$S" probe query --server "127.0.0.1:$PORT" --tls --tls-verify --tls-name other.test --tls-ca "$CERT/dot.pem" --record "$T/f.rec" www.dot.test A
expect_grep "$T/err" "over tls: tlsfail"
expect_rc 1 "$S" probe query --server "127.0.0.1:$PORT" --tls --tls-verify --tls-name dot.test www.dot.test A
expect_grep "$T/err" "over tls: tlsfail"
# plain TCP to the TLS port: the server closes on the garbage
expect_rc 1 "$S" probe query --server "127.0.0.1:$PORT" --tcp --timeout-ms 2000 www.dot.test A
expect_grep "$T/err" "over tcp: (reset|timeout)"
# TLS to a port nobody serves: refused, not a TLS failure
DEAD=$(free_port)
expect_rc 1 "$S" probe query --server "127.0.0.1:$DEAD" --tls www.dot.test A
expect_grep "$T/err" "over tls: refused"
# the record files keep the transport and the outcome
expect_rc 0 "$S" probe read "$T/r.rec"
expect_eq "$(json_get "$T/out" 'd["transport"] + "/" + d["outcome"]')" "tls/answer" "an answer recorded"
expect_rc 0 "$S" probe read "$T/f.rec"
expect_eq "$(json_get "$T/out" 'd["transport"] + "/" + d["outcome"] + " " + str(d.get("answer"))')" "tls/tlsfail None" "a TLS failure recorded"
# many queries over reused TLS connections
for i in $(seq 200); do echo "www.dot.test A"; done >"$T/q.txt"
expect_rc 0 "$S" probe run --server "127.0.0.1:$PORT" --tls --queries "$T/q.txt" --max-inflight 20 --format json
expect_eq "$(json_get "$T/out" 'str(d["outcomes"]["answer"]) + " " + str(d["outcomes"]["timeout"])')" "200 0" "200 answers over TLS"
# bad input
expect_rc 1 "$S" probe query --server "127.0.0.1:$PORT" --tls --tls-ca "$T/unbound.conf" www.dot.test A
expect_grep "$T/err" "tls ca '.*unbound.conf': no certificate in it"
expect_rc 2 "$S" probe query --server "127.0.0.1:$PORT" --tls --tcp www.dot.test A
expect_grep "$T/err" "--tcp or --tls, not both"
expect_rc 2 "$S" probe query --server "127.0.0.1:$PORT" --tls-verify www.dot.test A
expect_grep "$T/err" "need --tls"
finish
