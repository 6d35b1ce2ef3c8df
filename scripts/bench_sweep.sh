#!/usr/bin/env bash
# Time of the flagship PSA (configs/sweeps/psa.toml: post_cart_salvage, every strategy) on this machine.
#   scripts/bench_sweep.sh [POINTS] [PATIENTS]        (default 1000 points x 10000 patients, --threads 2)
# Environment: MMSIM (binary, default build/release/mmsim), THREADS (default 2), KEEP=1 keeps the output
# directory (printed), OUTDIR (use this directory instead of a temporary one; it must not hold another sweep).
# Runs the first POINTS draws of the PSA (the draws are keyed by (seed, point, parameter), so they are the same
# points as in the 1000-point sweep) from an empty OUTDIR, including the merge, under GNU time, and prints
# points/s, total minutes, CPU seconds per point, peak resident memory and the extrapolation to 1000 points.
# The machine's load average is printed too: on a loaded machine wall times are longer than CPU time / threads,
# and "runnable threads" (scripts/runnable_threads.sh: time the threads ran or waited for a core, over the wall
# time) is the figure of the thread scaling that the load does not change.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
points=${1:-1000}
patients=${2:-10000}
threads=${THREADS:-2}
mmsim=${MMSIM:-$root/build/release/mmsim}
sweep_src="$root/configs/sweeps/psa.toml"
[[ "$points" =~ ^[1-9][0-9]*$ ]] || { echo "bench_sweep.sh: POINTS must be a positive integer, not '$points'" >&2; exit 2; }
[[ "$patients" =~ ^[1-9][0-9]*$ ]] || { echo "bench_sweep.sh: PATIENTS must be a positive integer, not '$patients'" >&2; exit 2; }
[[ -x "$mmsim" ]] || "$root/scripts/build.sh" release
if [[ ! -x /usr/bin/time ]]; then
  echo "bench_sweep.sh: GNU time missing; installing it (apt-get install time)" >&2
  apt-get install -y -qq time >/dev/null || { echo "bench_sweep.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
fi

work=$(mktemp -d)
if [[ -n "${OUTDIR:-}" ]]; then out=$OUTDIR; else out="$work/out"; fi
cleanup() { rm -rf "$work"; }
[[ "${KEEP:-0}" == 1 || -n "${OUTDIR:-}" ]] || trap cleanup EXIT
# The same sweep with `samples` = POINTS and the base scenario by absolute path.
base_rel=$(sed -n 's/^base *= *"\(.*\)".*/\1/p' "$sweep_src")
sweep="$work/psa_${points}.toml"
sed -e "s|^samples *=.*|samples = $points|" -e "s|^base *=.*|base = \"$(dirname "$sweep_src")/$base_rel\"|" \
  "$sweep_src" >"$sweep"

echo "# mmsim sweep $sweep_src: $points point(s) x $patients patients, --threads $threads"
echo "# $("$mmsim" --version | head -1); $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$root/scripts/runnable_threads.sh" \
  "$mmsim" sweep "$sweep" -o "$out" --patients "$patients" --threads "$threads" -q 2>"$work/runnable"
read -r wall user sys kib <"$work/time"
runnable=$(sed -n 's/^runnable threads \([0-9.]*\).*/\1/p' "$work/runnable")
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v p="$points" -v r="${runnable:-0}" -v w="$wall" -v u="$user" -v s="$sys" -v k="$kib" -v t="$threads" 'BEGIN {
  cpu = u + s
  printf "points            %d\n", p
  printf "wall              %.1f s (%.2f min)\n", w, w / 60
  printf "points/s          %.3f\n", p / w
  printf "CPU s per point   %.3f (user %.1f s + sys %.1f s)\n", cpu / p, u, s
  printf "CPU use           %.2f cores of %d threads\n", cpu / w, t
  printf "runnable threads  %.2f of %d (the cores it keeps busy on an idle machine, whatever the load now)\n", r, t
  printf "peak memory       %.1f MiB (max resident)\n", k / 1024
  printf "1000 points       %.1f min at this rate; %.1f min at best (CPU time spread perfectly over %d threads)\n", \
    1000 * w / p / 60, 1000 * cpu / p / t / 60, t
}'
[[ "${KEEP:-0}" == 1 || -n "${OUTDIR:-}" ]] && echo "# output kept in $out"
exit 0
