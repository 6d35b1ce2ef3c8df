#!/usr/bin/env bash
# Quick start, command 1: installs what is missing, builds (Release) and runs the main job: the flagship
# scenario (embedded default of `mmsim run`), then draws its survival figure.  Extra arguments go to `mmsim run`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install_deps.sh"
"$root/scripts/build.sh" release
cd "$root"
./build/release/mmsim run "$@"
