#!/usr/bin/env bash
# Configures and builds mmsim.  scripts/build.sh [release|asan]   (default release; build dir build/<kind>)
# Prints only errors; the full log of the last build is build/<kind>/build.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-release}
jobs=$(nproc 2>/dev/null || echo 2)
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release -DMMSIM_WERROR=ON) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMSIM_WERROR=ON -DMMSIM_SANITIZE=ON) ;;
  *) echo "build.sh: unknown build kind '$kind' (release|asan)" >&2; exit 2 ;;
esac
# A compiler cache, when the machine has one, makes rebuilds of several checkouts cheap; CI has none.
command -v ccache >/dev/null 2>&1 && flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
dir="$root/build/$kind"
mkdir -p "$dir"
log="$dir/build.log"
if ! { cmake -S "$root" -B "$dir" "${flags[@]}" && cmake --build "$dir" -j "$jobs"; } >"$log" 2>&1; then
  grep -E "error|Error" -A5 "$log" | head -100 >&2 || tail -50 "$log" >&2
  echo "build.sh: the $kind build failed; full log: $log" >&2
  exit 1
fi
