#!/usr/bin/env bash
# Regenerates results/flagship.md (and flagship_tornado.png beside it): the flagship scenario's answer.
#   scripts/flagship_report.sh                  # about 2-4 minutes on 2 cores with the defaults below
# Steps: (1) the base case, `mmsim run configs/post_cart_salvage.toml` (BASE_PATIENTS), summarised with
# `mmsim report --reference REFERENCE`; (2) a PSA of configs/sweeps/psa.toml cut to PSA_SAMPLES draws of
# PSA_PATIENTS patients (its laws: configs/sweeps/flagship_parameters.toml, means = the calibrated base);
# (3) the one-way sweep configs/sweeps/flagship_oneway.toml (ONEWAY_PATIENTS) and its tornado
# (scripts/plot_tornado.py); (4) scripts/flagship_report.py writes the Markdown, strategies as the run has them.
# Environment: MMSIM (binary), THREADS, BASE_PATIENTS, PSA_SAMPLES, PSA_PATIENTS, ONEWAY_PATIENTS, REFERENCE,
# OUT (the Markdown file), WORK (keep the intermediate files there; default: a temporary folder, removed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mmsim=${MMSIM:-$root/build/release/mmsim}
threads=${THREADS:-2}
base_patients=${BASE_PATIENTS:-20000}
psa_samples=${PSA_SAMPLES:-200}
psa_patients=${PSA_PATIENTS:-4000}
oneway_patients=${ONEWAY_PATIENTS:-10000}
reference=${REFERENCE:-mechanism_guided}
out=${OUT:-$root/results/flagship.md}
py=/usr/bin/python3
[ -x "$mmsim" ] || { echo "flagship_report.sh: no mmsim binary at $mmsim (scripts/build.sh release, or set MMSIM)" >&2; exit 2; }
if [ -n "${WORK:-}" ]; then
  work=$WORK; rm -rf "$work"; mkdir -p "$work"
else
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fi
start=$(date +%s)

echo "flagship_report: base case, $base_patients patients" >&2
"$mmsim" run "$root/configs/post_cart_salvage.toml" --patients "$base_patients" --threads "$threads" --summary-only \
  --reference "$reference" -q -o "$work/base.h5"
"$mmsim" report "$work/base.h5" --format json > "$work/base.json" 2> "$work/base_warnings.txt"

# The shipped PSA with fewer draws: its own file includes psa.toml and overrides samples (and base, which a
# sweep file names relative to itself).
cat > "$work/psa.toml" <<EOF
include = ["$root/configs/sweeps/psa.toml"]
base = "$root/configs/post_cart_salvage.toml"
samples = $psa_samples
EOF
echo "flagship_report: PSA, $psa_samples draws x $psa_patients patients" >&2
"$mmsim" sweep "$work/psa.toml" --list > "$work/psa_list.txt" 2> "$work/psa_warnings.txt" ||
  { cat "$work/psa_warnings.txt" >&2; exit 2; }
"$mmsim" sweep "$work/psa.toml" -o "$work/psa" --patients "$psa_patients" --threads "$threads" -q

echo "flagship_report: one-way sweep, $oneway_patients patients per point" >&2
"$mmsim" sweep "$root/configs/sweeps/flagship_oneway.toml" -o "$work/oneway" --patients "$oneway_patients" \
  --threads "$threads" -q
"$py" "$root/scripts/plot_tornado.py" "$work/oneway" --strategy "$reference" --top 15 \
  --out "$(dirname "$out")/flagship_tornado.png" --csv "$work/tornado.csv" > "$work/tornado.txt"

"$py" "$root/scripts/flagship_report.py" --work "$work" --out "$out" --reference "$reference" \
  --base-patients "$base_patients" --psa-samples "$psa_samples" --psa-patients "$psa_patients" \
  --oneway-patients "$oneway_patients" --threads "$threads" --seconds "$(( $(date +%s) - start ))" \
  --revision "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "flagship_report: wrote $out in $(( $(date +%s) - start )) s" >&2
