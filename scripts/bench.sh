#!/usr/bin/env bash
# Throughput, ratios and peak memory of `mmsim run`, whole processes beside the simulation stage.
#   scripts/bench.sh [MAX_PATIENTS]   (default 10000000)
# Environment: MMSIM (binary, default build/release/mmsim), FLAGSHIP_PATIENTS (default 20000; 0 skips the
# flagship), FLOOR_SRC (default ../shared/bench/floor.cpp beside the checkout).
#
# Runs the reference illness-death model (configs/reference/illness_death.toml) at 10^5..MAX patients and the
# flagship (configs/post_cart_salvage.toml, every strategy) at FLAGSHIP_PATIENTS, each at 1 and 2 threads in
# every output mode: default (trajectories + statistics), --no-trajectories, --summary-only, --no-summary.
# Per run it prints the whole command's time (`total s`, GNU time: start-up, simulation, writing and the
# end-of-run statistics) beside the simulation stage's (`stage s`: the run_cohort time mmsim reports, which
# includes compressing and writing the tables), their rates, the peak resident memory and the threads that
# were runnable on average (scripts/runnable_threads.sh: the cores the run keeps busy on an idle machine).
#
# Then the ratios a user's figure can be read against, all from this one run:
#   x floor       patients/s per thread over the floor's patients/s per core (reference model only). The floor
#                 (../shared/bench/floor.cpp: the Philox draws and log/pow calls of a reference patient, no
#                 bookkeeping) is built and run here when that file exists; nothing in the project needs it,
#                 and without it the column says "-" and a note says why.
#   x summary     total time over the same size's --summary-only total time at the same threads.
#   2T/1T         speed-up of 2 threads over 1 (total time at 1 thread / total time at 2 threads).
# The machine's load (uptime) is printed before and after: on a shared machine wall times are noisy, the
# ratios less so, and the runnable-threads column not at all. Re-measure on a quiet machine for figures to
# quote; the header lists everything needed to repeat the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
max=${1:-10000000}
flag_n=${FLAGSHIP_PATIENTS:-20000}
mmsim=${MMSIM:-$root/build/release/mmsim}
floor_src=${FLOOR_SRC:-$root/../shared/bench/floor.cpp}
[[ "$max" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: MAX_PATIENTS must be a positive integer, not '$max'" >&2; exit 2; }
[[ -x "$mmsim" ]] || "$root/scripts/build.sh" release
command -v /usr/bin/time >/dev/null || { echo "bench.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ref_cfg="$root/configs/reference/illness_death.toml"
flag_cfg="$root/configs/post_cart_salvage.toml"
sizes=()
for n in 100000 1000000 10000000 100000000; do (( n <= max )) && sizes+=("$n"); done
(( ${#sizes[@]} > 0 )) || sizes=("$max")
floor_n=10000000  # long enough (~0.5 s on a quiet core) for a steady rate

echo "# scripts/bench.sh $max  (FLAGSHIP_PATIENTS=$flag_n)"
echo "# $("$mmsim" --version | head -1); binary $mmsim"
echo "# git $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' (modified)')"
echo "# $(nproc) cores: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $(uname -sr)"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); load before:$(uptime | sed 's/.*load average://')"

# The floor, in the same run.
floor_rate=""
if [[ -f "$floor_src" ]] && command -v g++ >/dev/null; then
  g++ -O2 -march=native -std=c++20 "$floor_src" -o "$work/floor"
  floor_line=$("$work/floor" "$floor_n")
  floor_rate=$(sed -n 's/.* \([0-9.]*\) M patients\/s\/core.*/\1/p' <<<"$floor_line")
  echo "# floor ($floor_src, g++ -O2 -march=native, n=$floor_n): $floor_line"
else
  echo "# floor skipped: $floor_src not found (or no g++); the 'x floor' column is empty"
fi

results="$work/results"
: >"$results"
run_one() {  # model n threads mode
  local model=$1 n=$2 threads=$3 mode=$4 cfg flag
  cfg=$([[ $model == reference ]] && echo "$ref_cfg" || echo "$flag_cfg")
  flag=$([[ $mode == default ]] && echo "" || echo "$mode")
  # shellcheck disable=SC2086  # $flag is one option or nothing
  /usr/bin/time -f '%e %M' -o "$work/time" "$root/scripts/runnable_threads.sh" \
    "$mmsim" run "$cfg" --patients "$n" --threads "$threads" $flag -o "$work/out.h5" >"$work/stdout" \
    2>"$work/stderr"
  local secs kib stage runnable
  read -r secs kib <"$work/time"
  stage=$(sed -n 's/.* in \([0-9.]*\) s[;)].*/\1/p' "$work/stdout" | tail -1)
  runnable=$(sed -n 's/^runnable threads \([0-9.]*\).*/\1/p' "$work/stderr" | tail -1)
  echo "$model $n $threads $mode $secs ${stage:-0} $kib ${runnable:-0}" >>"$results"
  rm -f "$work/out.h5"
}
modes=(default --no-trajectories --summary-only --no-summary)
for n in "${sizes[@]}"; do
  for threads in 1 2; do
    for mode in "${modes[@]}"; do run_one reference "$n" "$threads" "$mode"; done
  done
done
if (( flag_n > 0 )); then
  for threads in 1 2; do
    for mode in "${modes[@]}"; do run_one flagship "$flag_n" "$threads" "$mode"; done
  done
fi
echo "# load after: $(uptime | sed 's/.*load average://')"
echo

awk -v floor="$floor_rate" '
  { key = $1 " " $2 " " $3 " " $4; m[NR] = $1; n[NR] = $2; t[NR] = $3; mode[NR] = $4; tot[NR] = $5
    st[NR] = $6; kib[NR] = $7; rn[NR] = $8; total[key] = $5 }
  END {
    printf "%-9s %10s %2s %-17s %8s %8s %11s %11s %8s %8s %8s %6s %9s %8s\n", "model", "patients", "T", "mode",
      "total s", "stage s", "total/s", "stage/s", "x floor", "(stage)", "x summ", "2T/1T", "peak MiB", "runnable"
    for (i = 1; i <= NR; ++i) {
      tr = n[i] / tot[i]; sr = (st[i] > 0 ? n[i] / st[i] : 0)
      xf = "-"; xs = "-"
      if (floor != "" && m[i] == "reference") {
        xf = sprintf("%.2f", tr / t[i] / (floor * 1e6)); xs = sprintf("%.2f", sr / t[i] / (floor * 1e6))
      }
      so = total[m[i] " " n[i] " " t[i] " --summary-only"]
      xsum = (so > 0 ? sprintf("%.2f", tot[i] / so) : "-")
      one = total[m[i] " " n[i] " 1 " mode[i]]
      sp = (t[i] == 2 && one > 0 ? sprintf("%.2f", one / tot[i]) : "")
      printf "%-9s %10d %2d %-17s %8.2f %8.2f %11.0f %11.0f %8s %8s %8s %6s %9.1f %8.2f\n", m[i], n[i], t[i],
        mode[i], tot[i], st[i], tr, sr, xf, xs, xsum, sp, kib[i] / 1024, rn[i]
    }
  }' "$results"
echo
echo "# x floor: per-thread patients/s over the floor's per-core rate (total, and (stage) for the simulation stage);"
echo "# x summ: total time over --summary-only at the same size and threads; 2T/1T: 1-thread total / 2-thread total."
