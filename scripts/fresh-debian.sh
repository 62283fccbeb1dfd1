#!/usr/bin/env bash
# Prove that a README command works on a stock Debian 12: debootstrap a minbase bookworm chroot
# with only git, make and ca-certificates, clone this repository into it and run the command
# there (as root, as a new user on a fresh machine would).
#
#   bash scripts/fresh-debian.sh [options] [--] COMMAND...      e.g.  make test
#
#   --dir DIR     build the chroot in DIR (default: a new directory under $TMPDIR or /tmp)
#   --keep        keep the chroot afterwards (default: removed, also on failure)
#   --rev REV     what to clone (default: HEAD of this checkout; uncommitted changes are not
#                 part of a clone, as on CI)
#   --log FILE    also write the command's output to FILE
#
# The chroot uses this machine's Debian mirror (its apt sources for bookworm and its Acquire
# settings) and this machine's extra CA certificates (/usr/local/share/ca-certificates), so it
# works behind the same proxies the machine does.  Needs root (debootstrap, mount); installs
# debootstrap on the host when it is missing.  Every mount is undone on exit.
set -euo pipefail

die() { echo "fresh-debian: $*" >&2; exit 2; }

DIR="" KEEP=0 REV=HEAD LOG=""
while [ $# -gt 0 ]; do
	case "$1" in
	--dir) DIR=$2; shift 2 ;;
	--keep) KEEP=1; shift ;;
	--rev) REV=$2; shift 2 ;;
	--log) LOG=$2; shift 2 ;;
	--help | -h) sed -n '2,18p' "$0"; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option '$1'" ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || die "no command given (e.g. 'make test')"
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap and mounts)"
SRC=$(cd "$(dirname "$0")/.." && pwd)
git -C "$SRC" rev-parse --verify -q "$REV^{commit}" >/dev/null || die "no commit '$REV' in $SRC"

if ! command -v debootstrap >/dev/null 2>&1; then
	echo "fresh-debian: installing debootstrap on the host" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2
fi

# The machine's Debian mirror: the first URI its apt sources use for the bookworm suite
# (deb822 .sources or one-line .list files).
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	mirror=$(awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm( |$|\n)/ && /Components:[^\n]*main/ {
		if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { u = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", u); print u; exit } }' "$f")
	[ -n "$mirror" ] && break
done
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }')
fi
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
echo "fresh-debian: mirror $mirror" >&2

if [ -z "$DIR" ]; then
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/fresh-debian.XXXXXX")
else
	mkdir -p "$DIR"
fi
ROOT=$(cd "$DIR" && pwd)
[ "$ROOT" != / ] || die "refusing to use / as the chroot"
# the chroot's / as a real one: users other than root (postgres) must traverse it (mktemp
# makes it 0700)
chmod 755 "$ROOT"

mounted=()
cleanup() {
	local rc=$?
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount -l "${mounted[$i]}" 2>/dev/null || true
	done
	# processes the command left behind inside the chroot (a daemon a test did not stop)
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ] && kill -9 "${p#/proc/}" 2>/dev/null || true
	done
	if [ "$KEEP" -eq 0 ]; then
		# never follow a mount point that is still there
		if ! grep -q " $ROOT/" /proc/mounts; then rm -rf --one-file-system "$ROOT"; fi
	else
		echo "fresh-debian: chroot kept in $ROOT" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$ROOT/usr/bin/git" ]; then
	echo "fresh-debian: debootstrap --variant=minbase bookworm into $ROOT" >&2
	debootstrap --variant=minbase --include=git,make,ca-certificates bookworm "$ROOT" "$mirror" >&2
fi

# the machine's apt settings for its mirror: its Debian sources and Acquire:: options
rm -f "$ROOT/etc/apt/sources.list"
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
	[ -f "$f" ] || continue
	grep -qE 'debian\.org|debian-security|/debian/?( |$)' "$f" || continue
	grep -q 'bookworm' "$f" || continue
	cp "$f" "$ROOT/etc/apt/${f#/etc/apt/}"
done
[ -n "$(ls "$ROOT/etc/apt/sources.list.d/" 2>/dev/null)" ] || [ -f "$ROOT/etc/apt/sources.list" ] ||
	echo "deb $mirror bookworm main" >"$ROOT/etc/apt/sources.list"
for f in /etc/apt/apt.conf.d/*; do
	[ -f "$f" ] && grep -q '^Acquire::' "$f" && cp "$f" "$ROOT/etc/apt/apt.conf.d/"
done
# the machine's CA certificates (proxies that re-sign TLS)
if [ -n "$(ls /usr/local/share/ca-certificates/ 2>/dev/null)" ]; then
	cp -r /usr/local/share/ca-certificates/. "$ROOT/usr/local/share/ca-certificates/"
	chroot "$ROOT" update-ca-certificates >/dev/null
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true

mnt() { # mnt TYPE SOURCE TARGET [OPTIONS]
	mkdir -p "$3"
	if [ "$1" = bind ]; then mount --bind "$2" "$3"; else mount -t "$1" ${4:+-o "$4"} "$2" "$3"; fi
	mounted+=("$3")
}
mnt proc proc "$ROOT/proc"
mnt sysfs sys "$ROOT/sys"
# a booted machine has its cgroup hierarchy mounted (slurmd, in the cluster tests, needs it)
if mountpoint -q /sys/fs/cgroup; then
	mkdir -p "$ROOT/sys/fs/cgroup"
	mount --rbind /sys/fs/cgroup "$ROOT/sys/fs/cgroup"
	mounted+=("$ROOT/sys/fs/cgroup")
fi
mnt bind /dev "$ROOT/dev"
mnt devpts devpts "$ROOT/dev/pts" newinstance,ptmxmode=0666
mnt tmpfs shm "$ROOT/dev/shm" mode=1777
mnt tmpfs run "$ROOT/run" mode=0755
mnt tmpfs tmp "$ROOT/tmp" mode=1777

# a clean clone of what is committed, as CI sees it
rm -rf "$ROOT/root/ssrwatch"
git clone -q --no-hardlinks "$SRC" "$ROOT/root/ssrwatch"
git -C "$ROOT/root/ssrwatch" checkout -q --detach "$(git -C "$SRC" rev-parse "$REV^{commit}")"
echo "fresh-debian: $(git -C "$SRC" rev-parse --short "$REV^{commit}"): running '$*' in the chroot" >&2

# a login environment of a stock machine: nothing from this host's PATH (pyenv, newer Node.js)
cmd=$(printf '%q ' "$@")
start=$(date +%s)
set +e
if [ -n "$LOG" ]; then
	chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash -c "cd /root/ssrwatch && $cmd" 2>&1 | tee "$LOG"
	rc=${PIPESTATUS[0]}
else
	chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash -c "cd /root/ssrwatch && $cmd"
	rc=$?
fi
set -e
echo "fresh-debian: '$*' exited $rc after $(($(date +%s) - start)) s" >&2
exit "$rc"
