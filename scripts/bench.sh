#!/usr/bin/env bash
# Throughput and peak memory of `mmsim run` on the reference illness-death model.
#   scripts/bench.sh [MAX_PATIENTS]   (default 10000000)
# For each cohort size 10^5..MAX, threads 1 and 2, and the three output modes, prints patients per second
# (wall clock, whole command including file writing) and peak resident memory (GNU time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
max=${1:-10000000}
mmsim="$root/build/release/mmsim"
[[ -x "$mmsim" ]] || "$root/scripts/build.sh" release
command -v /usr/bin/time >/dev/null || { echo "bench.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cfg="$root/configs/reference/illness_death.toml"
printf '%-12s %-8s %-16s %12s %14s %16s %12s\n' patients threads mode seconds patients/s "per thread/s" "peak MiB"
for n in 100000 1000000 10000000; do
  (( n > max )) && continue
  for threads in 1 2; do
    for mode in default --no-trajectories --summary-only; do
      flag=$([[ $mode == default ]] && echo "" || echo "$mode")
      /usr/bin/time -f '%e %M' -o "$work/time" "$mmsim" run "$cfg" --patients "$n" --threads "$threads" $flag -q \
        -o "$work/out.h5"
      read -r secs kib <"$work/time"
      awk -v n="$n" -v t="$threads" -v m="$mode" -v s="$secs" -v k="$kib" \
        'BEGIN { r = (s > 0 ? n / s : 0); printf "%-12d %-8d %-16s %12.2f %14.0f %16.0f %12.1f\n", n, t, m, s, r, r / t, k / 1024 }'
      rm -f "$work/out.h5"
    done
  done
done
