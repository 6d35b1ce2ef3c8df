#!/usr/bin/env bash
# Submits a sweep to SLURM: an N-task job array (scripts/slurm_sweep.sbatch) and a merge job that runs only when
# every task succeeded (--dependency=afterok). Prints "ARRAY_JOB_ID MERGE_JOB_ID".
#
#   scripts/slurm_submit_sweep.sh SWEEP.toml OUTDIR N [extra sbatch options for the array...] [-- mmsim options]
#
# e.g. scripts/slurm_submit_sweep.sh configs/sweeps/psa.toml results/psa 64 --partition=long -- --patients 10000
# A failed task leaves the merge job pending-never-runnable (it is cancelled: --kill-on-invalid-dep=yes); re-run
# the failed shards with 'mmsim sweep SWEEP -o OUTDIR --shard K/N' (completed points are skipped), then
# 'mmsim merge OUTDIR --shards N'. Set MMSIM to the mmsim binary (default: build/release/mmsim here).
set -euo pipefail
if [[ $# -lt 3 ]]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
sweep=$1
outdir=$2
n=$3
shift 3
sbatch_opts=()
while [[ $# -gt 0 && "$1" != "--" ]]; do sbatch_opts+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
export MMSIM=${MMSIM:-$(pwd)/build/release/mmsim}
mkdir -p "$outdir/logs"
array=$(sbatch --parsable --array="0-$((n - 1))" --output="$outdir/logs/task-%a.out" "${sbatch_opts[@]}" \
  "$here/slurm_sweep.sbatch" "$sweep" "$outdir" "$@")
array=${array%%;*}
merge=$(sbatch --parsable --job-name=mmsim-merge --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$outdir/logs/merge.out" --wrap="\"$MMSIM\" merge \"$outdir\" --shards $n")
merge=${merge%%;*}
echo "$array $merge"
