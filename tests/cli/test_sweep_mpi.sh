#!/usr/bin/env bash
# mpirun -n 3 (through scripts/mpirun_sweep.sh): every rank runs its shard, rank 0 merges; the merged result is
# bit-identical to an unsharded run. Kept on loopback in a network namespace when possible. Fails (never skips)
# without mpirun or without MPI built in.
source "$2/tests/cli/lib.sh"
source "$root/tests/cli/sweep_lib.sh"
command -v mpirun >/dev/null || { echo "FAIL: mpirun not found (scripts/install_deps.sh --cluster installs it)"; exit 1; }
"$mmsim" --version | grep -q ', mpi' || { echo "FAIL: mmsim was built without MPI"; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
sweep="$root/tests/data/sweeps/psa.toml"

"$mmsim" sweep "$sweep" -o "$work/serial" -q --threads 2 || note_fail "unsharded run"
launch=(env MMSIM="$mmsim" bash "$root/scripts/mpirun_sweep.sh" 3 "$sweep" "$work/mpi" --threads 1)
start=$(date +%s%N)
if unshare -n true 2>/dev/null; then
  command -v ip >/dev/null || { echo "FAIL: ip not found (scripts/install_deps.sh --cluster installs iproute2)"; exit 1; }
  unshare -n bash -c 'ip link set lo up && "$@"' _ "${launch[@]}" </dev/null >"$work/out" 2>&1 || note_fail "mpirun"
else
  "${launch[@]}" </dev/null >"$work/out" 2>&1 || note_fail "mpirun"
fi
echo "mpirun -n 3 (launch, 12 points, merge): $(( ($(date +%s%N) - start) / 1000000 )) ms"
grep -q "shard 2/3 from MPI" "$work/out" || { note_fail "ranks did not shard by MPI rank"; cat "$work/out"; }
grep -q "merged 12 point" "$work/out" || { note_fail "rank 0 did not merge"; cat "$work/out"; }
for k in 0 1 2; do [[ -e "$work/mpi/shards/shard-$k-of-3.h5" ]] || note_fail "no shard $k of 3"; done
same_sweep "$work/serial/sweep.h5" "$work/mpi/sweep.h5" || note_fail "MPI result differs from unsharded"
cmp -s "$work/serial/sweep.csv" "$work/mpi/sweep.csv" || note_fail "MPI sweep.csv differs"
exit $fail
