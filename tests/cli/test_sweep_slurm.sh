#!/usr/bin/env bash
# A sweep as a SLURM job array (scripts/slurm_submit_sweep.sh: 3 array tasks + a merge job with
# --dependency=afterok) on a one-node SLURM cluster this test starts itself: munged, slurmctld and slurmd in the
# foreground, in the background of this script, bound to loopback only, every daemon stopped by its PID on exit.
# The merged result must be bit-identical to an unsharded run. Fails (never skips) when SLURM is missing.
set -u
mmsim=$1
root=$(cd "$2" && pwd)
source "$root/tests/cli/sweep_lib.sh"
for tool in munged slurmctld slurmd sbatch squeue sinfo setpriv; do
  command -v $tool >/dev/null || { echo "FAIL: $tool not found (scripts/install_deps.sh --cluster installs SLURM)"; exit 1; }
done
id munge >/dev/null 2>&1 || { echo "FAIL: no munge user (install munge)"; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "FAIL: starting a SLURM cluster needs root"; exit 1; }

work=$(mktemp -d /tmp/mmsim-slurm.XXXXXX)
chmod 0711 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
start_ns=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - start_ns) / 1000000 )) ms"; }

# --- munge: own key, socket and logs, run as the munge user ---------------------------------------------
m="$work/munge"
mkdir -p "$m/run"
dd if=/dev/urandom of="$m/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$m"
chmod 0711 "$m/run"
chmod 0600 "$m/munge.key"
chmod 0711 "$m"  # slurm (root) and job steps reach the socket through it
setpriv --reuid=munge --regid=munge --init-groups munged -F --socket="$m/run/munge.socket" \
  --key-file="$m/munge.key" --pid-file="$m/run/munged.pid" --log-file="$m/munged.log" \
  --seed-file="$m/munged.seed" --origin=127.0.0.1 >"$work/munged.out" 2>&1 &
pids+=($!)

# --- slurm: generated config, loopback only ---------------------------------------------------------------
host=$(hostname -s)
s="$work/slurm"
mkdir -p "$s/state" "$s/spool"
cpus=$(nproc)
cat >"$s/slurm.conf" <<CONF
ClusterName=mmsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16917
SlurmdPort=16918
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$m/run/munge.socket
CredType=cred/munge
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
StateSaveLocation=$s/state
SlurmdSpoolDir=$s/spool
SlurmctldPidFile=$s/slurmctld.pid
SlurmdPidFile=$s/slurmd.pid
SlurmctldLogFile=$s/slurmctld.log
SlurmdLogFile=$s/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerParameters=batch_sched_delay=0,sched_interval=2,bf_interval=1
SlurmdParameters=config_overrides
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$s/slurm.conf"
for ((i = 0; i < 50; i++)); do [[ -S "$m/run/munge.socket" ]] && break; sleep 0.1; done
[[ -S "$m/run/munge.socket" ]] || { echo "FAIL: munged did not start"; cat "$m/munged.log"; exit 1; }
slurmctld -D -f "$SLURM_CONF" >"$s/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >"$s/slurmd.out" 2>&1 &
pids+=($!)
for ((i = 0; i < 150; i++)); do
  sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix)' && break
  sleep 0.2
done
sinfo -h -o '%t' | grep -qE '^(idle|mix)' || {
  echo "FAIL: the SLURM node did not come up"; sinfo; tail -20 "$s/slurmctld.log" "$s/slurmd.log"; exit 1
}
echo "cluster up after $(elapsed)"

# --- the sweep: unsharded reference, then a 3-task array + merge job ------------------------------------
sweep="$root/tests/data/sweeps/psa.toml"
"$mmsim" sweep "$sweep" -o "$work/serial" -q --threads 2 || note_fail "unsharded run"
jobs=$(cd "$work" && MMSIM="$mmsim" bash "$root/scripts/slurm_submit_sweep.sh" "$sweep" "$work/array" 3 -- -q) ||
  { echo "FAIL: sbatch"; exit 1; }
read -r array_job merge_job <<<"$jobs"
submitted=$(date +%s%N)
for ((i = 0; i < 600; i++)); do
  [[ -z "$(squeue -h -j "$array_job,$merge_job" 2>/dev/null)" ]] && break
  sleep 0.2
done
echo "array of 3 + merge ran in $(( ($(date +%s%N) - submitted) / 1000000 )) ms (jobs $array_job, $merge_job)"
[[ -z "$(squeue -h -j "$array_job,$merge_job" 2>/dev/null)" ]] || { note_fail "jobs still queued"; squeue; }
for k in 0 1 2; do
  [[ -e "$work/array/shards/shard-$k-of-3.h5" ]] || { note_fail "no shard $k of 3"; cat "$work/array/logs/task-$k.out"; }
done
[[ -e "$work/array/sweep.h5" ]] || { note_fail "the merge job did not run"; cat "$work/array/logs/merge.out"; }
same_sweep "$work/serial/sweep.h5" "$work/array/sweep.h5" || note_fail "SLURM array result differs from unsharded"
cmp -s "$work/serial/sweep.csv" "$work/array/sweep.csv" || note_fail "SLURM sweep.csv differs"
echo "total $(elapsed)"
exit $fail
