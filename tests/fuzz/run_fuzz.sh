#!/usr/bin/env bash
# Builds a libFuzzer target with clang (build/fuzz, its own build directory: the g++ builds are untouched) and
# fuzzes it for SECONDS (default 60).
#   tests/fuzz/run_fuzz.sh [SECONDS] [libFuzzer options...]
#   MMSIM_FUZZ_TARGET=run_file tests/fuzz/run_fuzz.sh [SECONDS] ...   the HDF5 run-file reader instead
# Targets:
#   config    (default) the config loader, the model readers and a few simulated patients (fuzz_config.cpp);
#             seeds: every shipped config and parameter file and every config of the tests.
#   run_file  RunFileReader on damaged HDF5 files (fuzz_run_file.cpp); seeds: small runs made with
#             ${MMSIM:-build/release/mmsim}. Not part of scripts/test.sh: it finds HDF5 handles left open on
#             error paths (leaks) at once, which issue 16's HDF5 error-handling work is to fix.
# What the fuzzer finds is kept in build/fuzz/corpus-TARGET, so later runs start further. A crash, a sanitizer
# report, a leak, a hang (> 10 s for one input) or an input needing over 2 GB stops the run with exit 1; the
# input that did it is kept in build/fuzz/artifacts/ and is replayed with: build/fuzz/tests/fuzz/fuzz_TARGET FILE
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
shift || true
target=${MMSIM_FUZZ_TARGET:-config}
[[ "$target" == config || "$target" == run_file ]] || { echo "run_fuzz.sh: unknown target '$target'" >&2; exit 2; }
dir="$root/build/fuzz"
corpus="$dir/corpus-$target"
seeds="$dir/seeds-$target"
mkdir -p "$corpus" "$dir/artifacts" "$seeds"
flags=(-DMMSIM_FUZZ=ON -DMMSIM_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++
       -DCMAKE_C_COMPILER=clang)
command -v ccache >/dev/null 2>&1 && flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
log="$dir/build.log"
if ! { cmake -S "$root" -B "$dir" "${flags[@]}" && cmake --build "$dir" --target "fuzz_$target" -j "$(nproc)"; } >"$log" 2>&1; then
  grep -E "error|Error" -A5 "$log" | head -60 >&2 || tail -40 "$log" >&2
  echo "run_fuzz.sh: the fuzz build failed; full log: $log" >&2
  exit 1
fi
options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$dir/artifacts/"
         -print_final_stats=1)
if [[ "$target" == config ]]; then
  # Seeds under names that say where they come from (libFuzzer reads every file of the directory).
  find "$root/configs" "$root/models/myeloma/params" "$root/tests/data" -name '*.toml' | while read -r f; do
    cp "$f" "$seeds/$(echo "${f#"$root"/}" | tr '/' '_')"
  done
  options+=(-max_len=65536 -dict="$root/tests/fuzz/toml.dict")
else
  mmsim=${MMSIM:-$root/build/release/mmsim}
  [[ -x "$mmsim" ]] || { echo "run_fuzz.sh: the run_file seeds are made with $mmsim: build it first" >&2; exit 1; }
  cfg="$root/configs/reference/illness_death.toml"
  "$mmsim" run "$cfg" --patients 20 -q -o "$seeds/trajectories.h5"
  "$mmsim" run "$cfg" --patients 20 --summary-only -q -o "$seeds/summary_only.h5"
  options+=(-max_len=32768)
fi
cd "$dir"
echo "fuzzing $target for ${seconds} s ($(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) inputs in $corpus)"
"$dir/tests/fuzz/fuzz_$target" "${options[@]}" "$@" "$corpus" "$seeds" >"$dir/fuzz-$target.log" 2>&1 || {
  tail -60 "$dir/fuzz-$target.log"
  echo "run_fuzz.sh: the fuzzer found a problem (log: $dir/fuzz-$target.log; input kept in $dir/artifacts/)" >&2
  exit 1
}
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|cov: " "$dir/fuzz-$target.log" | tail -3
