# The delegation tests' name servers, started by test_delegation.sh inside a network namespace
# of its own (only loopback exists there; every server listens on port 53 of a 127.x address):
#   127.30.0.1   Knot DNS: the root zone "." (a.root.test.), delegating good. and bad.
#   good.        Knot 127.30.1.1 and ::1 (ns1.good.), NSD 127.30.2.1 (ns2.good.), BIND 127.30.3.1
#                (ns3.good.): one signed zone (ECDSA P-256, NSEC3 0 iterations, no salt)
#   bad.         the planted problems, one per check:
#                ns1.bad. Knot 127.31.1.1      the zone says ns1.bad. A 127.31.1.99 (glue)
#                ns2.bad. NSD 127.31.2.1       serves serial 2, the others 1 (SOA serial)
#                a.root.test. 127.30.0.1       the root server: a referral, no AA (lame)
#                ns4.bad. BIND 127.31.4.1      recursion for anyone (open recursion)
#                ns5.bad. edns_proxy 127.31.5.1 -> Knot 127.31.1.1, OPT records removed (EDNS)
#                DS: SHA-256 of the KSK, SHA-1 of the KSK, one that matches no key
# Needs: knotd, nsd, named, ldns-keygen, ldns-signzone, ldns-key2ds, python3, ip (iproute2).
# D: the working directory; pids in $D/pids.

net_lo_up() { # the namespace's loopback up, with every server address on it (BIND listens
	# only on addresses an interface has)
	ip link set lo up
	for a in 127.30.0.1 127.30.1.1 127.30.2.1 127.30.3.1 127.31.1.1 127.31.2.1 127.31.4.1 \
		127.31.5.1; do
		ip addr add "$a/32" dev lo
	done
}

net_zone() { # net_zone ORIGIN SERIAL FILE BODY (the SOA names ns1.ORIGIN, or a.root.test.)
	local m="ns1.$1 hostmaster.$1"
	[ "$1" = . ] && m="a.root.test. hostmaster.root.test."
	cat >"$3" <<Z
\$ORIGIN $1
\$TTL 3600
@ IN SOA $m $2 21600 3600 1209600 3600
$4
Z
}

net_sign() { # net_sign ORIGIN IN OUT KEYDIR: ldns-signzone with the keys of KEYDIR
	ldns-signzone -n -t 0 -e 20360101000000 -f "$3" "$2" "$4/ksk" "$4/zsk" >/dev/null
}

net_keys() { # net_keys ORIGIN KEYDIR: a KSK and a ZSK (ECDSA P-256), DS files
	mkdir -p "$2"
	(cd "$2" && k=$(ldns-keygen -a ECDSAP256SHA256 -k "$1") && for f in "$k".*; do mv "$f" "ksk.${f##*.}"; done &&
		z=$(ldns-keygen -a ECDSAP256SHA256 "$1") && for f in "$z".*; do mv "$f" "zsk.${f##*.}"; done &&
		rm -f ./*.ds && ldns-key2ds -n -2 ksk.key >ds2 && ldns-key2ds -n -1 ksk.key >ds1)
}

net_knot() { # net_knot NAME ADDR[,ADDR] ZONE FILE [ZONE FILE]...
	local n=$1 a=$2
	shift 2
	mkdir -p "$D/$n"
	{
		printf 'server:\n    listen: [ %s ]\n    rundir: %s\n    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n' "$(echo "$a" | sed 's/,/@53, /g; s/$/@53/')" "$D/$n"
		printf 'database:\n    storage: %s\nlog:\n  - target: stderr\n    any: warning\nzone:\n' "$D/$n"
		while [ $# -gt 0 ]; do
			printf '  - domain: %s\n    file: %s\n    zonefile-sync: -1\n    journal-content: none\n' "$1" "$2"
			shift 2
		done
	} >"$D/$n/knot.conf"
	knotd -c "$D/$n/knot.conf" >"$D/$n/log" 2>&1 &
	echo $! >>"$D/pids"
}

net_nsd() { # net_nsd NAME ADDR ZONE FILE
	mkdir -p "$D/$1"
	cat >"$D/$1/nsd.conf" <<C
server:
    ip-address: $2@53
    username: ""
    chroot: ""
    zonesdir: "$D/$1"
    zonelistfile: "$D/$1/zone.list"
    database: ""
    pidfile: "$D/$1/nsd.pid"
    xfrdfile: "$D/$1/xfrd.state"
    xfrdir: "$D/$1"
    logfile: "$D/$1/log"
    server-count: 1
remote-control:
    control-enable: no
zone:
    name: "$3"
    zonefile: "$4"
C
	nsd -d -c "$D/$1/nsd.conf" >>"$D/$1/log" 2>&1 &
	echo $! >>"$D/pids"
}

net_bind() { # net_bind NAME ADDR ZONE FILE RECURSION(yes|no)
	mkdir -p "$D/$1"
	printf '. NS a.root.test.\na.root.test. A 127.30.0.1\n' >"$D/$1/hints"
	cat >"$D/$1/named.conf" <<C
options {
	directory "$D/$1";
	pid-file "$D/$1/named.pid";
	session-keyfile "$D/$1/session.key";
	managed-keys-directory "$D/$1";
	listen-on port 53 { $2; };
	listen-on-v6 { none; };
	query-source address $2;
	recursion $5;
	allow-recursion { any; };
	allow-query { any; };
	notify no;
	dnssec-validation no;
};
controls { };
zone "." { type hint; file "$D/$1/hints"; };
zone "$3" { type primary; file "$4"; };
C
	named -g -4 -c "$D/$1/named.conf" >"$D/$1/log" 2>&1 &
	echo $! >>"$D/pids"
}

net_wait() { # net_wait ADDR ZONE: until ADDR answers ZONE SOA (5 s)
	for _ in $(seq 100); do
		"$SSRWATCH" probe query --server "$1" --timeout-ms 200 "$2" SOA >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "FAIL: nothing answers $2 SOA at $1" >&2
	for f in "$D"/*/log; do echo "== $f" >&2; tail -5 "$f" >&2; done
	return 1
}

net_stop() {
	[ -f "$D/pids" ] || return 0
	while read -r p; do kill "$p" 2>/dev/null || true; done <"$D/pids"
	sleep 0.3
	while read -r p; do kill -9 "$p" 2>/dev/null || true; done <"$D/pids"
	rm -f "$D/pids"
}

net_start() {
	net_lo_up
	net_keys good. "$D/keys-good"
	net_keys bad. "$D/keys-bad"
	net_zone . 2026120700 "$D/root.zone" "@ NS a.root.test.
a.root.test. A 127.30.0.1
good. NS ns1.good.
good. NS ns2.good.
good. NS ns3.good.
ns1.good. A 127.30.1.1
ns2.good. A 127.30.2.1
ns3.good. A 127.30.3.1
bad. NS ns1.bad.
bad. NS ns2.bad.
bad. NS a.root.test.
bad. NS ns4.bad.
bad. NS ns5.bad.
ns1.bad. A 127.31.1.1
ns2.bad. A 127.31.2.1
ns4.bad. A 127.31.4.1
ns5.bad. A 127.31.5.1"
	net_zone good. 2026120701 "$D/good.zone.in" "@ NS ns1.good.
@ NS ns2.good.
@ NS ns3.good.
ns1 A 127.30.1.1
ns2 A 127.30.2.1
ns3 A 127.30.3.1
www A 127.30.9.9"
	local badbody="@ NS ns1.bad.
@ NS ns2.bad.
@ NS a.root.test.
@ NS ns4.bad.
@ NS ns5.bad.
ns1 A 127.31.1.99
ns2 A 127.31.2.1
ns4 A 127.31.4.1
ns5 A 127.31.5.1
www A 127.31.9.9"
	net_zone bad. 1 "$D/bad1.zone.in" "$badbody"
	net_zone bad. 2 "$D/bad2.zone.in" "$badbody"
	net_sign good. "$D/good.zone.in" "$D/good.zone" "$D/keys-good"
	net_sign bad. "$D/bad1.zone.in" "$D/bad1.zone" "$D/keys-bad"
	net_sign bad. "$D/bad2.zone.in" "$D/bad2.zone" "$D/keys-bad"
	: >"$D/pids"
	net_knot root 127.30.0.1 . "$D/root.zone"
	net_knot good-knot 127.30.1.1,::1 good. "$D/good.zone"
	net_nsd good-nsd 127.30.2.1 good. "$D/good.zone"
	net_bind good-bind 127.30.3.1 good. "$D/good.zone" no
	net_knot bad-knot 127.31.1.1 bad. "$D/bad1.zone"
	net_nsd bad-nsd 127.31.2.1 bad. "$D/bad2.zone"
	net_bind bad-bind 127.31.4.1 bad. "$D/bad1.zone" yes
	python3 "$SSR_SOURCE/tests/integration/deleg/edns_proxy.py" 127.31.5.1 127.31.1.1 >"$D/proxy.log" 2>&1 &
	echo $! >>"$D/pids"
	net_wait 127.30.0.1 . && net_wait 127.30.1.1 good. && net_wait 127.30.2.1 good. &&
		net_wait 127.30.3.1 good. && net_wait 127.31.1.1 bad. && net_wait 127.31.2.1 bad. &&
		net_wait 127.31.4.1 bad. && net_wait 127.31.5.1 bad.
}
