#!/usr/bin/env bash
# Throughput and peak memory of `mmsim run` on the reference illness-death model.
#   scripts/bench.sh [MAX_PATIENTS]   (default 10000000)
# For each cohort size 10^5..MAX, threads 1 and 2, and the three output modes, prints patients per second of the
# simulation and output stage (`sim/s`: the run_cohort time mmsim reports), of the whole command (`total/s`,
# including start-up and the end-of-run statistics, which are O(n log n) and single-pass per endpoint), and the
# peak resident memory (GNU time). `--no-summary` is the default mode without the end-of-run statistics: the
# memory of simulating and writing alone, which the block size bounds whatever the cohort size.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
max=${1:-10000000}
mmsim="$root/build/release/mmsim"
[[ -x "$mmsim" ]] || "$root/scripts/build.sh" release
command -v /usr/bin/time >/dev/null || { echo "bench.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cfg="$root/configs/reference/illness_death.toml"
printf '%-10s %-7s %-17s %9s %12s %14s %12s %10s\n' patients threads mode "total s" "sim/s" "sim/s/thread" "total/s" "peak MiB"
for n in 100000 1000000 10000000; do
  (( n > max )) && continue
  for threads in 1 2; do
    for mode in default --no-summary --no-trajectories --summary-only; do
      flag=$([[ $mode == default ]] && echo "" || echo "$mode")
      /usr/bin/time -f '%e %M' -o "$work/time" "$mmsim" run "$cfg" --patients "$n" --threads "$threads" $flag \
        -o "$work/out.h5" >"$work/stdout"
      read -r secs kib <"$work/time"
      sim=$(sed -n 's/.* in \([0-9.]*\) s[;)].*/\1/p' "$work/stdout" | tail -1)
      awk -v n="$n" -v t="$threads" -v m="$mode" -v s="$secs" -v k="$kib" -v q="$sim" \
        'BEGIN { r = (q > 0 ? n / q : 0); printf "%-10d %-7d %-17s %9.2f %12.0f %14.0f %12.0f %10.1f\n", n, t, m, s, r, r / t, n / s, k / 1024 }'
      rm -f "$work/out.h5"
    done
  done
done
