#!/usr/bin/env bash
# Configures and builds mmsim.  scripts/build.sh [release|asan]   (default release; build dir build/<kind>)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-release}
jobs=$(nproc 2>/dev/null || echo 2)
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release -DMMSIM_WERROR=ON) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMSIM_WERROR=ON -DMMSIM_SANITIZE=ON) ;;
  *) echo "build.sh: unknown build kind '$kind' (release|asan)" >&2; exit 2 ;;
esac
cmake -S "$root" -B "$root/build/$kind" "${flags[@]}" >/dev/null
cmake --build "$root/build/$kind" -j "$jobs" -- --no-print-directory 2>&1 | grep -vE '^\[ *[0-9]+%\]' || true
test "${PIPESTATUS[0]}" -eq 0
