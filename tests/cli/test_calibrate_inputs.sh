#!/usr/bin/env bash
# `mmsim calibrate` refuses, before fitting anything, what would otherwise run to the end and write nonsense:
# a bound outside the model's legal range (before this check, `upper = 100` on a probability ran 400 invalid
# evaluations at objective 1e12), shift weights that do not cancel (they move mass out of a probability
# vector), and a state file whose values are strings or NaN (they were reported as "not in the state file"
# or started the fit from NaN). Each case: exit 2, the message names file, line and key, and neither the
# parameter file nor the fit table changes. Runs on a copy of configs/ and models/ so that a regression can
# never overwrite the shipped fit.
source "$2/tests/cli/lib.sh"
cp -r "$root/configs" "$root/models" "$work/"
mkdir -p "$work/results"
cal="$work/configs/calibration/default.toml"
params="$work/models/myeloma/params/calibrated.toml"
sum_before=$(sha256sum "$params" | cut -d' ' -f1)

expect() {  # expect FRAGMENT FILE [ARGS...]: calibrate FILE exits 2 naming FRAGMENT and writes nothing
  local frag=$1 file=$2
  shift 2
  "$mmsim" calibrate "$file" --patients 200 --max-evaluations 2 "$@" >"$work/stdout" 2>"$work/stderr"
  local code=$?
  if [[ $code -ne 2 ]]; then echo "FAIL $(basename "$file") $*: exit $code, expected 2"; fail=1; fi
  if ! grep -qF -- "$frag" "$work/stderr"; then
    echo "FAIL $(basename "$file"): message lacks '$frag'; got: $(head -c 900 "$work/stderr")"; fail=1
  fi
  if [[ $(sha256sum "$params" | cut -d' ' -f1) != "$sum_before" ]]; then
    echo "FAIL $(basename "$file"): the parameter file changed"; fail=1
    cp "$root/models/myeloma/params/calibrated.toml" "$params"
  fi
  if [[ -e "$work/results/calibration.md" ]]; then
    echo "FAIL $(basename "$file"): a fit table was written"; fail=1; rm -f "$work/results/calibration.md"
  fi
}

# A probability bound the model refuses: the message points at the bound's line.
line=$(grep -n '^upper = 0.15$' "$cal" | head -1 | cut -d: -f1)
sed "${line}s/.*/upper = 100/" "$cal" >"$work/configs/calibration/bad_bound.toml"
expect "bad_bound.toml:$line:9: error: parameter[0].upper: upper = 100 makes the model of karmma.toml refuse" \
  "$work/configs/calibration/bad_bound.toml"

# Shift weights that do not sum to zero.
line=$(grep -n '^weights = \[1.0, -1.0\]$' "$cal" | head -1 | cut -d: -f1)
sed "${line}s/.*/weights = [1.0, -0.5]/" "$cal" >"$work/configs/calibration/bad_shift.toml"
expect "bad_shift.toml:$line:11: error: parameter[2].weights: a shift moves mass between its paths, so its weights must sum to 0 (they sum to 0.5)" \
  "$work/configs/calibration/bad_shift.toml"

# State files with a string, a NaN, no [best] table, and broken TOML.
state="$work/results/calibration_state.toml"
printf 'objective = 1\nevaluations = 3\n\n[best]\nide_cel_dropout = "0.05"\n' >"$state"
expect "calibration_state.toml:5:19: error: best.ide_cel_dropout: expected a finite number, found a string" "$cal" --resume
printf 'objective = 1\nevaluations = 3\n\n[best]\nide_cel_dropout = nan\n' >"$state"
expect "calibration_state.toml:5:19: error: best.ide_cel_dropout: expected a finite number, found nan" "$cal" --resume
printf 'objective = 1\n' >"$state"
expect "best: the state file has no [best] table" "$cal" --resume
printf '[best\n' >"$state"
expect "calibration_state.toml:1" "$cal" --resume
if grep -q "TOML syntax error" "$work/stderr"; then :; else echo "FAIL: broken state file not reported as TOML syntax"; fail=1; fi

[[ $fail -eq 0 ]] && echo "calibrate input checks: ok"
exit $fail
