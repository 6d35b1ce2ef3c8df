#!/usr/bin/env bash
# Quick start, command 1: installs what is missing, builds (Release), runs the main job -- the flagship scenario
# (the embedded default of `mmsim run`: salvage strategies after BCMA CAR-T failure) -- and draws its
# Kaplan-Meier figures. Extra arguments go to `mmsim run` (e.g. --patients 1000000 --threads 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install_deps.sh"
"$root/scripts/build.sh" release
cd "$root"
out=results/post_cart_salvage.h5
./build/release/mmsim run -o "$out" "$@"
for endpoint in pfs_after_relapse os_after_relapse; do
  /usr/bin/python3 scripts/plot_km.py "$out" --endpoint "$endpoint"
done
