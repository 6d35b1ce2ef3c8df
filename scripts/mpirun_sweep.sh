#!/usr/bin/env bash
# Runs a sweep over MPI ranks: every rank runs shard rank-of-size, rank 0 merges when all have finished.
#
#   scripts/mpirun_sweep.sh RANKS SWEEP.toml OUTDIR [mmsim sweep options]
#
# e.g. scripts/mpirun_sweep.sh 4 configs/sweeps/psa.toml results/psa --threads 2
# --bind-to none lets each rank's worker threads use more than one core (OpenMPI binds a rank to one core
# otherwise). On a cluster, add a hostfile or run inside an allocation (salloc/sbatch with srun --mpi=pmix).
# Set MMSIM to the mmsim binary (default: build/release/mmsim here); it must say "mpi" in 'mmsim --version'.
set -euo pipefail
if [[ $# -lt 3 ]]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
ranks=$1
sweep=$2
outdir=$3
shift 3
mmsim=${MMSIM:-$(pwd)/build/release/mmsim}
if ! "$mmsim" --version | grep -q ', mpi'; then
  echo "mpirun_sweep.sh: $mmsim was built without MPI" >&2
  exit 2
fi
exec mpirun -n "$ranks" --bind-to none "$mmsim" sweep "$sweep" -o "$outdir" "$@"
