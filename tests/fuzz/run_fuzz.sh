#!/usr/bin/env bash
# Builds the libFuzzer target of the config loader with clang (build/fuzz, its own build directory: the g++
# builds are untouched) and fuzzes it for SECONDS (default 60).
#   tests/fuzz/run_fuzz.sh [SECONDS] [libFuzzer options...]
# The seed corpus is every shipped config and parameter file and every bad config of the tests; what the fuzzer
# finds is kept in build/fuzz/corpus, so later runs start further. A crash, a sanitizer report, a leak, a hang
# (> 10 s for one input) or an input needing over 2 GB stops the run with exit 1; the input that did it is kept
# in build/fuzz/artifacts/ and is replayed with: build/fuzz/tests/fuzz/fuzz_config FILE
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
shift || true
dir="$root/build/fuzz"
mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/seeds"
flags=(-DMMSIM_FUZZ=ON -DMMSIM_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++
       -DCMAKE_C_COMPILER=clang)
command -v ccache >/dev/null 2>&1 && flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
log="$dir/build.log"
if ! { cmake -S "$root" -B "$dir" "${flags[@]}" && cmake --build "$dir" --target fuzz_config -j "$(nproc)"; } >"$log" 2>&1; then
  grep -E "error|Error" -A5 "$log" | head -60 >&2 || tail -40 "$log" >&2
  echo "run_fuzz.sh: the fuzz build failed; full log: $log" >&2
  exit 1
fi
# Seeds under names that say where they come from (libFuzzer reads every file of the directory).
find "$root/configs" "$root/models/myeloma/params" "$root/tests/data" -name '*.toml' | while read -r f; do
  cp "$f" "$dir/seeds/$(echo "${f#"$root"/}" | tr '/' '_')"
done
cd "$dir"
echo "fuzzing the config loader for ${seconds} s ($(ls seeds | wc -l) seeds, $(ls corpus | wc -l) inputs in build/fuzz/corpus)"
"$dir/tests/fuzz/fuzz_config" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -dict="$root/tests/fuzz/toml.dict" -artifact_prefix="$dir/artifacts/" -print_final_stats=1 "$@" \
  corpus seeds >"$dir/fuzz.log" 2>&1 || {
  tail -60 "$dir/fuzz.log"
  echo "run_fuzz.sh: the fuzzer found a problem (log: $dir/fuzz.log; input kept in $dir/artifacts/)" >&2
  exit 1
}
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|cov: " "$dir/fuzz.log" | tail -3
