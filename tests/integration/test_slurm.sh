#!/usr/bin/env bash
# A real Slurm (tests/slurm/harness.sh: munged, slurmctld, slurmd on this machine, one node with
# two CPUs): `cluster slurm --submit` runs a 4-task array and the merge for a generated zone and
# a generated capture, and the merged results are byte-identical to the single-process runs;
# then one map task is killed, the merge does not run, and resubmit.sh runs only that index and
# the merge again.  Every wait is bounded.
. "$(dirname "$0")/lib.sh"
: "${SSR_SLURM_STATE:?the slurm fixture must be running}"
export SLURM_CONF=$SSR_SLURM_STATE/slurm.conf
[ -f "$SLURM_CONF" ] || { echo "FAIL: no running Slurm (harness start failed)" >&2; exit 1; }
S=$SSRWATCH
cd "$T"

# until no job is left in the queue (at most $1 seconds); false when time ran out
drain() {
	local n=$(($1 * 2))
	while [ $n -gt 0 ]; do
		[ -z "$(squeue -h -o %i 2>/dev/null)" ] && return 0
		sleep 0.5
		n=$((n - 1))
	done
	squeue >&2
	return 1
}

"$S" gen zone --delegations 60000 --signed --seed 11 --output "$T/z.zone" >/dev/null 2>&1
echo "$T/z.zone" >zone.list
"$S" zone stats --threads 1 --format json "$T/z.zone" >zone.single.json
"$S" gen pcap --output "$T/c.pcap" --queries 40000 --tcp-holes 40 >/dev/null 2>&1
editcap -c 20000 "$T/c.pcap" "$T/part.pcap" >/dev/null
ls "$T"/part_*.pcap >cap.list
"$S" traffic stats --format json $(cat cap.list) >cap.single.json

"$S" gen abuse --dir "$T/W" --domains 20000 --snapshots 2 --registrars 20 >/dev/null 2>&1
d=$(head -1 "$T/W/dates.txt")
ls "$T"/W/zones/*-"$d".zone >abuse.list
feeds=(--feed "phishing:op:$T/W/feeds/$d/phishing.urls" --feed "malware:uh:$T/W/feeds/$d/malware.csv"
	--feed "spam:sh:$T/W/feeds/$d/spam.txt" --feed "botnet_cc:c2:$T/W/feeds/$d/botnet.hosts"
	--registrations "$T/W/registrations/$d.csv" --date "$d")
zones=()
while read -r z; do zones+=(--zone "$z"); done <abuse.list
"$S" abuse ingest --store "$T/a1.db" "${zones[@]}" "${feeds[@]}" --format json >abuse.single.json
adump() { sqlite3 "$1" .dump | sed -E "s/,'[0-9-]+T[0-9:]+Z'//g" | md5sum; md5sum <"$1.index/alpha.fsi"; }

# ---- the zone, the capture and an abuse ingest, 4 map tasks each and their merges ---------------
expect_rc 0 "$S" cluster slurm --engine zone --inputs zone.list --tasks 4 --out "$T/zj" \
	--merge-arg --format --merge-arg json --submit
expect_grep "$T/out" "map job [0-9]+ \(array 1-4\), merge job [0-9]+"
expect_rc 0 "$S" cluster slurm --engine traffic-stats --inputs cap.list --tasks 4 --out "$T/tj" \
	--merge-arg --format --merge-arg json --submit
expect_rc 0 "$S" cluster slurm --engine abuse --inputs abuse.list --tasks 4 --out "$T/aj" \
	--merge-arg --format --merge-arg json --submit -- --store "$T/a4.db" "${feeds[@]}"
drain 300 && ok || fail "the jobs did not finish in 300 s"
expect_eq "$(ls "$T"/zj/states | wc -l)" 4 "four zone shard states"
expect_eq "$(cmp -s "$T/aj/result" abuse.single.json && echo same)" same "abuse: the Slurm run's summary is the single run's"
expect_eq "$(adump "$T/a4.db")" "$(adump "$T/a1.db")" "abuse: the Slurm run stored what the single run stored"
expect_eq "$(cmp -s "$T/zj/result" zone.single.json && echo same)" same "zone: the Slurm run's result is the single run's"
expect_eq "$(cmp -s "$T/tj/result" cap.single.json && echo same)" same "capture: the Slurm run's result is the single run's"

# ---- a killed map task: no merge; resubmit.sh runs only that index, then the merge --------------
expect_rc 0 "$S" cluster slurm --engine zone --inputs zone.list --tasks 4 --out "$T/kj" \
	--merge-arg --format --merge-arg json --submit --hold
map=$(cat "$T/kj/job.map")
merge=$(cat "$T/kj/job.merge")
scancel "${map}_3" # killed before it ran: the array's other tasks go on
scontrol release "$map"
drain 300 && ok || fail "the held array did not finish in 300 s"
expect_eq "$(ls "$T"/kj/states | tr '\n' ' ')" "shard-1.state shard-2.state shard-4.state " "task 3 left no state"
expect_eq "$(test -e "$T/kj/result" && echo yes || echo no)" no "no merge after a failed task"
expect_eq "$(scontrol show job "$merge" 2>/dev/null | grep -c 'JobState=COMPLETED' || true)" 0 "the merge job did not complete"
before=$(stat -c %Y "$T"/kj/states/shard-{1,2,4}.state | tr '\n' ' ')
sleep 1 # a re-run of another task would show in its state's time
expect_rc 0 bash "$T/kj/resubmit.sh"
expect_grep "$T/out" "shards 3 again"
drain 300 && ok || fail "the re-run did not finish in 300 s"
expect_eq "$(stat -c %Y "$T"/kj/states/shard-{1,2,4}.state | tr '\n' ' ')" "$before" "only task 3 ran again"
expect_eq "$(cmp -s "$T/kj/result" zone.single.json && echo same)" same "after the re-run: the single run's result"
# nothing missing: resubmit only merges
rm "$T/kj/result"
expect_rc 0 bash "$T/kj/resubmit.sh"
expect_grep "$T/out" "every shard has its state"
drain 120 && ok || fail "the merge did not finish in 120 s"
expect_eq "$(cmp -s "$T/kj/result" zone.single.json && echo same)" same "merge again"

# ---- bad input ----------------------------------------------------------------------------------
printf '%s\n/nonexistent/x.zone\n' "$T/z.zone" >bad.list
expect_rc 1 "$S" cluster slurm --engine zone --inputs bad.list --tasks 2 --out "$T/bj"
expect_grep "$T/err" "inputs 'bad.list' line 2: '/nonexistent/x.zone'"
expect_rc 1 "$S" cluster slurm --engine wat --inputs zone.list --tasks 2 --out "$T/bj"
expect_grep "$T/err" "unknown engine 'wat'"
expect_rc 1 "$S" cluster slurm --engine zone --inputs zone.list --tasks 2 --out "$T/bj" --partition 'a b'
expect_grep "$T/err" "--partition 'a b': letters, digits"
expect_rc 2 "$S" cluster slurm --engine zone --inputs zone.list --out "$T/bj"
expect_grep "$T/err" "--tasks and --out are required"
finish
