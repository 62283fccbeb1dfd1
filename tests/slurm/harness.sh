#!/usr/bin/env bash
# A real single-node Slurm cluster for the test suite (Debian's slurm-wlm and munge), on
# loopback, in a throw-away directory: munged with its own key and socket, slurmctld and slurmd
# in the foreground of background processes, one node with two CPUs, one partition.
#   harness.sh start STATE_DIR   writes STATE_DIR/slurm.conf (export SLURM_CONF=...)
#   harness.sh stop STATE_DIR    cancels every job, stops the daemons, removes the directory
# CTest runs start/stop as a fixture around the tests that need Slurm.  slurmd runs jobs as
# their users and needs root: run as another user, start fails with the reason (a test that
# cannot run is an error, never a pass).
set -euo pipefail
cmd=${1:?usage: harness.sh start|stop STATE_DIR}
state=${2:?state directory missing}

need() { command -v "$1" >/dev/null || { echo "slurm harness: $1 missing (bash scripts/deps.sh)" >&2; exit 1; }; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

stop() {
	[ -f "$state/dir" ] || return 0
	local d
	d=$(cat "$state/dir")
	if [ -f "$d/slurm.conf" ]; then
		SLURM_CONF=$d/slurm.conf scancel --quiet --user="$(id -un)" 2>/dev/null || true
	fi
	for p in slurmd slurmctld; do
		if [ -f "$d/$p.pid" ]; then
			kill "$(cat "$d/$p.pid")" 2>/dev/null || true
		fi
	done
	for _ in $(seq 1 50); do # bounded: 10 s
		alive=0
		for p in slurmd slurmctld; do
			[ -f "$d/$p.pid" ] && kill -0 "$(cat "$d/$p.pid")" 2>/dev/null && alive=1
		done
		[ $alive = 0 ] && break
		sleep 0.2
	done
	for p in slurmd slurmctld; do
		[ -f "$d/$p.pid" ] && kill -9 "$(cat "$d/$p.pid")" 2>/dev/null || true
	done
	[ -S "$d/munge.sock" ] && munged -s --socket="$d/munge.sock" >/dev/null 2>&1 || true
	[ -f "$d/munged.pid" ] && kill "$(cat "$d/munged.pid")" 2>/dev/null || true
	case "$d" in /tmp/ssrwatch-slurm.*) rm -rf "$d" ;; esac
	rm -f "$state/dir" "$state/slurm.conf"
}

case "$cmd" in
start)
	for t in munged slurmctld slurmd sbatch sinfo scancel python3; do need "$t"; done
	[ "$(id -u)" -eq 0 ] || { echo "slurm harness: slurmd must run as root (it starts jobs as their users)" >&2; exit 1; }
	# slurmd initialises its cgroup plugin even with proctrack/linuxproc and task/none
	[ -n "$(ls /sys/fs/cgroup 2>/dev/null)" ] ||
		{ echo "slurm harness: no cgroup file system on /sys/fs/cgroup (slurmd needs one)" >&2; exit 1; }
	mkdir -p "$state"
	stop
	d=$(mktemp -d /tmp/ssrwatch-slurm.XXXXXX)
	chmod 711 "$d" # munged wants its socket's directory searchable
	echo "$d" >"$state/dir"
	mkdir -p "$d/state" "$d/spool"
	head -c 1024 /dev/urandom >"$d/munge.key"
	chmod 600 "$d/munge.key"
	munged -f --socket="$d/munge.sock" --key-file="$d/munge.key" --pid-file="$d/munged.pid" \
		--log-file="$d/munged.log" --seed-file="$d/munge.seed" ||
		{ cat "$d/munged.log" >&2 2>/dev/null; exit 1; }
	host=$(hostname -s)
	p1=$(free_port)
	p2=$(free_port)
	cat >"$d/slurm.conf" <<EOF
ClusterName=ssrtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$p1
SlurmdPort=$p2
AuthType=auth/munge
AuthInfo=socket=$d/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=2000 State=UNKNOWN
PartitionName=ssr Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
	export SLURM_CONF=$d/slurm.conf
	setsid slurmctld -D -i >"$d/slurmctld.out" 2>&1 </dev/null &
	echo $! >"$d/slurmctld.pid"
	sleep 1
	setsid slurmd -D -N "$host" >"$d/slurmd.out" 2>&1 </dev/null &
	echo $! >"$d/slurmd.pid"
	for _ in $(seq 1 60); do # bounded: 30 s
		if [ "$(sinfo -h -o %t 2>/dev/null)" = idle ]; then
			cp "$d/slurm.conf" "$state/slurm.conf"
			echo "slurm harness: $(slurmctld -V) on 127.0.0.1:$p1, node $host idle"
			exit 0
		fi
		sleep 0.5
	done
	echo "slurm harness: the node did not come up" >&2
	tail -n 20 "$d/slurmctld.log" "$d/slurmd.log" "$d/slurmd.out" >&2 2>/dev/null || true
	stop
	exit 1
	;;
stop)
	stop
	;;
*)
	echo "usage: harness.sh start|stop STATE_DIR" >&2
	exit 2
	;;
esac
