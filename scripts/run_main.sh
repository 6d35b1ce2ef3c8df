#!/usr/bin/env bash
# Quick start, command 1: installs what is missing, builds (Release), runs the main job -- the flagship scenario
# (the embedded default of `mmsim run`: salvage strategies after BCMA CAR-T failure) -- and draws its
# Kaplan-Meier and cumulative-incidence figures. Extra arguments go to `mmsim run` (e.g. --patients 1000000 --threads 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install_deps.sh"
"$root/scripts/build.sh" release
cd "$root"
out=results/post_cart_salvage.h5
./build/release/mmsim run -o "$out" "$@"
# Figures from the curves stored in the run file (README "Figures"), under results/ (not committed).
for endpoint in pfs_after_relapse os_after_relapse; do
  /usr/bin/python3 scripts/plot_km.py "$out" --endpoint "$endpoint" --median --pvalue \
    --out "results/post_cart_salvage_${endpoint}_km.png"
done
/usr/bin/python3 scripts/plot_cif.py "$out" --analysis pfs_after_relapse_events \
  --out results/post_cart_salvage_pfs_after_relapse_events_cif.png
/usr/bin/python3 scripts/plot_cif.py "$out" --analysis death_cause --out results/post_cart_salvage_death_cause_cif.png
