#!/usr/bin/env bash
# A sweep as a SLURM job array (scripts/slurm_submit_sweep.sh: 3 array tasks + a merge job with
# --dependency=afterok) on a one-node SLURM cluster this test starts itself: munged, slurmctld and slurmd in the
# foreground, in the background of this script, bound to loopback only, every daemon stopped by its PID on exit.
# The merged result must be bit-identical to an unsharded run. Fails (never skips) when SLURM is missing.
#
# Independent of the host's name resolution: with NoInAddrAny the daemons bind to the address their host name
# resolves to, so with Debian's "127.0.1.1 <hostname>" line slurmd never reached slurmctld (listening on
# 127.0.0.1), and with no entry slurmctld could not start. The test therefore re-runs itself in private UTS and
# mount namespaces (unshare -u -m), names the host "mmsimnode" there and gives it a private /etc/hosts
# (bind-mounted, invisible outside) that maps it to 127.0.0.1. Daemons that die or never come up fail the test
# at once with their logs, instead of polling until ctest's timeout.
set -u
if [[ -z "${MMSIM_SLURM_NAMESPACE:-}" ]]; then
  [[ $(id -u) -eq 0 ]] || { echo "FAIL: starting a SLURM cluster needs root"; exit 1; }
  unshare -u -m true 2>/dev/null || { echo "FAIL: unshare -u -m (private host name and /etc/hosts) is not permitted"; exit 1; }
  exec unshare -u -m env MMSIM_SLURM_NAMESPACE=1 bash "$0" "$@"
fi
mmsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")  # absolute: the jobs run elsewhere
root=$(cd "$2" && pwd)
source "$root/tests/cli/sweep_lib.sh"
for tool in munged slurmctld slurmd sbatch squeue sinfo setpriv timeout mount hostname; do
  command -v $tool >/dev/null || { echo "FAIL: $tool not found (scripts/install_deps.sh --cluster installs SLURM)"; exit 1; }
done
id munge >/dev/null 2>&1 || { echo "FAIL: no munge user (install munge)"; exit 1; }
[[ -e /etc/hosts ]] || { echo "FAIL: no /etc/hosts to mask with the cluster's own (create one: 127.0.0.1 localhost)"; exit 1; }

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

# --- the host, as the daemons see it: a fixed name on loopback, whatever the real host's resolution ---------
host=mmsimnode
hostname "$host"
printf '127.0.0.1 localhost %s\n' "$host" >"$work/hosts"
chmod 0644 "$work/hosts"
mount --bind "$work/hosts" /etc/hosts || { echo "FAIL: cannot mount a private /etc/hosts"; exit 1; }
[[ "$(getent ahostsv4 "$host" | awk 'NR == 1 {print $1}')" == 127.0.0.1 ]] ||
  { echo "FAIL: $host does not resolve to 127.0.0.1 in the test's namespace: $(getent ahostsv4 "$host")"; exit 1; }
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
s="$work/slurm"
mkdir -p "$s/state" "$s/spool"
cpus=$(nproc)
# Ports from the PID, so that two checkouts testing at once on one machine rarely meet (loopback only).
ctld_port=${MMSIM_SLURM_PORT:-$((20000 + ($$ % 5000) * 2))}
cat >"$s/slurm.conf" <<CONF
ClusterName=mmsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$((ctld_port + 1))
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
MessageTimeout=5
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
ctld=$!
slurmd -D -f "$SLURM_CONF" -N "$host" >"$s/slurmd.out" 2>&1 &
pids+=($!)
slurmd_pid=$!
daemon_logs() {
  for f in "$m/munged.log" "$work/munged.out" "$s/slurmctld.out" "$s/slurmctld.log" "$s/slurmd.out" "$s/slurmd.log"; do
    [[ -s "$f" ]] && { echo "--- $f (last 25 lines)"; tail -n 25 "$f"; }
  done
}
daemons_alive() {  # fails, with the logs, as soon as a daemon has exited
  local name pid
  for name in munged:${pids[0]} slurmctld:$ctld slurmd:$slurmd_pid; do
    pid=${name#*:}
    kill -0 "$pid" 2>/dev/null || { echo "FAIL: ${name%%:*} exited during the test"; daemon_logs; return 1; }
  done
}
up=0
deadline=$((SECONDS + 20))  # start-up takes about 1 s
while ((SECONDS < deadline)); do
  daemons_alive || exit 1
  if timeout 5 sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix)'; then up=1; break; fi
  sleep 0.2
done
[[ $up -eq 1 ]] || { echo "FAIL: the SLURM node did not come up within 20 s"; timeout 5 sinfo; daemon_logs; exit 1; }
echo "cluster up after $(elapsed)"

# --- the sweep: unsharded reference, then a 3-task array + merge job ------------------------------------
sweep="$root/tests/data/sweeps/psa.toml"
"$mmsim" sweep "$sweep" -o "$work/serial" -q --threads 2 || note_fail "unsharded run"
jobs=$(cd "$work" && MMSIM="$mmsim" bash "$root/scripts/slurm_submit_sweep.sh" "$sweep" "$work/array" 3 -- -q) ||
  { echo "FAIL: sbatch"; exit 1; }
read -r array_job merge_job <<<"$jobs"
submitted=$(date +%s%N)
deadline=$((SECONDS + 180))  # about 5 s here
while ((SECONDS < deadline)); do
  daemons_alive || exit 1
  [[ -z "$(timeout 5 squeue -h -j "$array_job,$merge_job" 2>/dev/null)" ]] && break
  sleep 0.2
done
echo "array of 3 + merge ran in $(( ($(date +%s%N) - submitted) / 1000000 )) ms (jobs $array_job, $merge_job)"
[[ -z "$(timeout 5 squeue -h -j "$array_job,$merge_job" 2>/dev/null)" ]] || { note_fail "jobs still queued"; timeout 5 squeue; daemon_logs; }
for k in 0 1 2; do
  [[ -e "$work/array/shards/shard-$k-of-3.h5" ]] || { note_fail "no shard $k of 3"; cat "$work/array/logs/task-$k.out"; }
done
[[ -e "$work/array/sweep.h5" ]] || { note_fail "the merge job did not run"; cat "$work/array/logs/merge.out"; }
same_sweep "$work/serial/sweep.h5" "$work/array/sweep.h5" || note_fail "SLURM array result differs from unsharded"
cmp -s "$work/serial/sweep.csv" "$work/array/sweep.csv" || note_fail "SLURM sweep.csv differs"
echo "total $(elapsed)"
exit $fail
