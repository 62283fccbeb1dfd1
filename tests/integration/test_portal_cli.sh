#!/bin/bash
# Bad input to the portal's offline commands and to 'portal serve' set-up: each gets a clear
# error naming the file, line or option and the reason, and stores nothing.
. "$(dirname "$0")/lib.sh"
S=$T/a.db
err() { # err WANT_RC REGEX CMD...: exit status and the message
	local rc=$1 re=$2; shift 2
	expect_rc "$rc" "$@"
	expect_grep "$T/err" "$re"
}
dir() { printf "$2" > "$T/$1"; echo "$T/$1"; }

# registry directory: one transaction, so one bad row stores none of the file
err 1 "directory '.*d1.csv' line 3: bad TLD 'bad tld' \(A-label expected\)" \
	"$SSRWATCH" portal directory --store "$S" --file "$(dir d1.csv 'tld,operator,email,rdap_base\ncom,VeriSign,abuse@v.example,\nbad tld,X,,\n')"
expect_eq "$(sqlite3 "$S" 'SELECT COUNT(*) FROM registry') $(sqlite3 "$S" 'SELECT COUNT(*) FROM party')" \
	"0 0" "a failed directory load stores nothing"
err 1 "line 2: TLD 'com' has no operator" \
	"$SSRWATCH" portal directory --store "$S" --file "$(dir d2.csv 'tld,operator\ncom,\n')"
err 1 "line 1: header has no 'operator' column" \
	"$SSRWATCH" portal directory --store "$S" --file "$(dir d3.csv 'tld,email\ncom,a@b\n')"
err 1 "line 2: TLD 'com': RDAP base 'ftp://x' is not a URL" \
	"$SSRWATCH" portal directory --store "$S" --file "$(dir d4.csv 'tld,operator,rdap_base\ncom,V,ftp://x\n')"
err 1 "directory '.*d5.json' line 1 column [0-9]+:" \
	"$SSRWATCH" portal directory --store "$S" --file "$(dir d5.json '[{"tld":"com","operator":"V"},')"
err 1 "directory '.*d6.json' entry 1: TLD 'net' has no operator" \
	"$SSRWATCH" portal directory --store "$S" --file "$(dir d6.json '[{"tld":"com","operator":"V"},{"tld":"net"}]')"
err 2 "--file is required" "$SSRWATCH" portal directory --store "$S"
expect_rc 0 "$SSRWATCH" portal directory --store "$S" --file "$(dir ok.csv 'tld,operator,email\ncom,VeriSign,abuse@v.example\n')"
expect_eq "$(sqlite3 "$S" 'SELECT tld, operator, email FROM registry')" "com|VeriSign|abuse@v.example" "directory row"

# parties
err 1 "party: kind must be registrar, registry or host" "$SSRWATCH" portal party --store "$S" --kind bogus --name X
err 1 "party 'X': 'nope' is not an e-mail address" "$SSRWATCH" portal party --store "$S" --kind registrar --name X --email nope
err 1 "party 'X': webhook delivery needs a webhook URL" "$SSRWATCH" portal party --store "$S" --kind registrar --name X --delivery webhook
err 1 "party 'X': webhook 'ftp://h/' is not an http\(s\) URL" "$SSRWATCH" portal party --store "$S" --kind host --name X --webhook ftp://h/
err 1 "party 'X': unknown delivery 'fax'" "$SSRWATCH" portal party --store "$S" --kind host --name X --delivery fax
err 1 "party 'X': iana_id must be a positive integer" "$SSRWATCH" portal party --store "$S" --kind registrar --name X --iana-id abc
err 2 "unknown option '--colour'" "$SSRWATCH" portal party --store "$S" --colour red
expect_rc 0 "$SSRWATCH" portal party --store "$S" --kind registrar --name "Reg A" --iana-id 7 --email abuse@a.example
pid=$(cat "$T/out")
expect_rc 0 "$SSRWATCH" portal party --store "$S" --kind registrar --name "Reg A renamed" --iana-id 7
expect_eq "$(cat "$T/out")" "$pid" "same IANA id updates the party"

# accounts and tokens
err 1 "account 'u': the password needs 10 to 200 characters" env SSRWATCH_PASSWORD=short "$SSRWATCH" portal account --store "$S" --login u
err 1 "account 'u': no party 99" env SSRWATCH_PASSWORD=longenough1 "$SSRWATCH" portal account --store "$S" --login u --party 99
err 2 "no password: --password-file FILE or SSRWATCH_PASSWORD" env -u SSRWATCH_PASSWORD "$SSRWATCH" portal account --store "$S" --login u
err 1 "token: no account 'nobody'" "$SSRWATCH" portal token --store "$S" --login nobody
expect_eq "$(sqlite3 "$S" 'SELECT COUNT(*) FROM account')" 0 "no account from bad input"
printf 'longenough-2\n' > "$T/pw"
expect_rc 0 "$SSRWATCH" portal account --store "$S" --login u --party "$pid" --password-file "$T/pw"
expect_grep <(sqlite3 "$S" "SELECT pw_hash FROM account WHERE login = 'u'") '^\$argon2id\$v=19\$m=19456,t=2,p=1\$'

# serve: config file and set-up errors name the file and line; nothing starts
err 1 "config '.*c1.conf' line 3: bad threads 'two' \(a whole number from 0 to 4096\)" \
	"$SSRWATCH" portal serve --config "$(dir c1.conf "store = $S\nlisten = 127.0.0.1:0\nthreads = two\n")"
err 1 "config '.*c2.conf' line 2: unknown setting 'bogus-key'" \
	"$SSRWATCH" portal serve --config "$(dir c2.conf "store = $S\nbogus-key = 1\n")"
err 1 "config '.*c3.conf' line 2: expected 'key = value'" \
	"$SSRWATCH" portal serve --config "$(dir c3.conf "store = $S\njust words\n")"
err 1 "config '.*c4.conf' line 1: bad sla-ack '0' \(a whole number, at least 1\)" \
	"$SSRWATCH" portal serve --config "$(dir c4.conf "sla-ack = 0\n")"
err 2 "listen: 'nohost' is not ADDRESS:PORT" "$SSRWATCH" portal serve --store "$S" --listen nohost
err 2 "--store is required" "$SSRWATCH" portal serve --listen 127.0.0.1:0
err 2 "smtp-url: 'mail.example:25' is not an smtp:// or smtps:// URL" \
	"$SSRWATCH" portal serve --store "$S" --listen 127.0.0.1:0 --smtp-url mail.example:25
err 2 "smtp-from: 'portal at example' is not an e-mail address" \
	"$SSRWATCH" portal serve --store "$S" --listen 127.0.0.1:0 --smtp-from 'portal at example'
err 1 "config '.*c5.conf' line 2: bad retry-max '0' \(a whole number, at least 1\)" \
	"$SSRWATCH" portal serve --config "$(dir c5.conf "store = $S\nretry-max = 0\n")"
err 1 "rdap bootstrap '.*b1.json' service 0: no http\(s\) URL" \
	"$SSRWATCH" portal serve --store "$S" --listen 127.0.0.1:0 --rdap-dns "$(dir b1.json '{"services":[[["com"],["ftp://x"]]]}')"
err 1 "rdap bootstrap '.*b2.json' service 0: bad prefix '10.0.0.0/33'" \
	"$SSRWATCH" portal serve --store "$S" --listen 127.0.0.1:0 --rdap-ipv4 "$(dir b2.json '{"services":[[["10.0.0.0/33"],["https://x/"]]]}')"
err 1 "rdap bootstrap '.*b3.json' line 1 column" \
	"$SSRWATCH" portal serve --store "$S" --listen 127.0.0.1:0 --rdap-dns "$(dir b3.json 'store = x')"
err 1 "rdap bootstrap '.*nothere.json': cannot open" \
	"$SSRWATCH" portal serve --store "$S" --listen 127.0.0.1:0 --rdap-dns "$T/nothere.json"
err 1 "brands '.*nothere-brands.txt': cannot open" \
	"$SSRWATCH" portal serve --store "$S" --listen 127.0.0.1:0 --brands "$T/nothere-brands.txt"
err 2 "bad --claim-lease-s 'soon' \\(a whole number from 0 to 86400\\)" "$SSRWATCH" portal serve --store "$S" --listen 127.0.0.1:0 --claim-lease-s soon
# libmicrohttpd's own messages go through ssrwatch's log, not its stderr logger
expect_eq "$(grep -c MHD "$T/err" || true)" 0 "no raw libmicrohttpd messages"

# stats
err 1 "store '.*nothere.db': no such file" "$SSRWATCH" portal stats --store "$T/nothere.db"
expect_eq "$(test -e "$T/nothere.db" && echo created || echo absent)" absent "stats creates no store"
err 2 "unknown format 'xml'" "$SSRWATCH" portal stats --store "$S" --format xml
err 2 "--at: a time" "$SSRWATCH" portal stats --store "$S" --at yesterday
err 2 "bad --sla-ack '0' \\(a whole number, at least 1\\)" "$SSRWATCH" portal stats --store "$S" --sla-ack 0
err 2 "unknown portal command 'frobnicate'" "$SSRWATCH" portal frobnicate
finish
