#!/usr/bin/env bash
# Install the Debian packages ssrwatch needs, and only the missing ones.
# One list, used by `make run`, `make test` and CI.  Root installs directly, others through sudo.
set -euo pipefail
PKGS=(
	build-essential cmake pkg-config clang clang-format libclang-rt-14-dev
	libknot-dev libzstd-dev zlib1g-dev libsqlite3-dev sqlite3 libpq-dev postgresql libjansson-dev
	libgnutls28-dev libpsl-dev publicsuffix libidn2-dev libcmocka-dev libmicrohttpd-dev libargon2-dev libcurl4-openssl-dev
	libicu-dev dnstwist bc libpcap-dev tshark dnscap python3-yaml knot knot-dnsutils
	zstd ldnsutils bind9-utils hyperfine time python3 gzip coreutils curl wrk
	chromium chromium-driver python3-selenium python3-jsonschema
	dnsperf libyaml-dev nsd bind9 pdns-server pdns-backend-bind unbound knot-resolver pdns-recursor
	iproute2 zonemaster-cli libssl-dev
	libxml2-dev libxml2-utils libgpgme-dev gnupg
	wamerican slurm-wlm munge haproxy faketime
)
# Only Debian 12's own archive: the browser tests drive Debian's chromium through
# chromium-driver and python3-selenium with Debian's /usr/bin/python3 (no npm, no PyPI).
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# DNS servers are installed for the tests to start on loopback themselves: their packages must
# not start system services on port 53 (policy-rc.d 101 refuses; one we place is removed after)
placed=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod +x /usr/sbin/policy-rc.d
	placed=1
fi
rc=0
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
[ -z "$placed" ] || $SUDO rm -f /usr/sbin/policy-rc.d
exit $rc
