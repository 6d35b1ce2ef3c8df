#!/usr/bin/env bash
# Regenerates the fitted parameters, results/calibration.md and results/validation.md (docs/calibration.md):
#   1. the whole-sequence fit: models/myeloma/params/calibrated.toml and the fit table results/calibration.md
#      (mmsim calibrate configs/calibration/default.toml; pass --report-only to rewrite the table without a fit,
#      --resume to continue an interrupted fit);
#   2. the flagship's salvage table appended to results/calibration.md (not fitted: shown for judgement);
#   3. the held-out validation, results/validation.md (scripts/validation_report.py);
#   4. the checks of tests/cli/test_validation_report.sh (calibration targets in band, validation passes).
# Usage: scripts/calibrate_all.sh [MMSIM] [mmsim calibrate options...]   (MMSIM default build/release/mmsim)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mmsim=${1:-$root/build/release/mmsim}
shift || true
cd "$root"
nice -n 10 "$mmsim" calibrate configs/calibration/default.toml "$@"
{
  echo
  echo "## Flagship: the first salvage line after BCMA CAR-T, per strategy (not fitted)"
  echo
  nice -n 10 /usr/bin/python3 scripts/validation_report.py "$mmsim" --salvage-only
} >> results/calibration.md
nice -n 10 /usr/bin/python3 scripts/validation_report.py "$mmsim"
nice -n 10 /usr/bin/python3 scripts/calibration_check.py "$mmsim" ||
  echo "calibrate_all: targets outside their band (above): see results/calibration.md, 'Targets outside'"
