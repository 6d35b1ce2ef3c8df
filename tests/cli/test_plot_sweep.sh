#!/usr/bin/env bash
# scripts/plot_sweep.py on small sweeps of every design kind (tests/data/sweeps/: the two-arm illness-death
# model; configs/sweeps/illness_death_grid.toml), a few seconds in all:
#   * one-way -> tornado, grid with 2 parameters -> heat map, grid with 1 parameter -> line plot,
#     PSA -> difference distribution, probability best and scatter, LHS -> scatter; PNG and SVG non-empty;
#   * --metric median, --strategy, --absolute and --out work;
#   * a bad endpoint, a missing OUTDIR, an OUTDIR without sweep.h5 and an unknown strategy exit non-zero with a
#     message naming the problem.
# Needs /usr/bin/python3 with h5py, numpy and matplotlib (Debian packages); under CI=true their absence fails
# the test, otherwise it is skipped with a note.
source "$2/tests/cli/lib.sh"
plot="$root/scripts/plot_sweep.py"

if ! "$py" -c "import h5py, numpy, matplotlib" 2>/dev/null; then
  if [[ "${CI:-}" == true ]]; then echo "FAIL: $py lacks h5py/numpy/matplotlib"; exit 1; fi
  echo "SKIP: $py lacks h5py/numpy/matplotlib (apt-get install python3-h5py python3-matplotlib)"; exit 0
fi

run_sweep() {  # run_sweep NAME SWEEP [options]
  local name=$1 sweep=$2; shift 2
  "$mmsim" sweep "$sweep" -o "$work/$name" --threads 2 -q "$@" >"$work/$name.out" 2>&1 ||
    { cat "$work/$name.out"; note_fail "mmsim sweep $sweep"; return 1; }
}
# A 1-parameter grid over the two-arm model (line plot with a difference panel).
cat >"$work/grid1.toml" <<EOF
base = "$root/tests/data/sweeps/two_arm.toml"
design = "grid"
patients = 300
reference = "standard"

[[parameter]]
path = "strategies[1].hazard_multipliers.\"on_therapy->progressed\""
name = "hr_new_drug"
values = [0.5, 0.7, 0.9]
EOF
run_sweep oneway "$root/tests/data/sweeps/oneway.toml"
run_sweep grid2 "$root/configs/sweeps/illness_death_grid.toml" --patients 300
run_sweep grid1 "$work/grid1.toml"
run_sweep psa "$root/tests/data/sweeps/psa.toml" --patients 300
run_sweep lhs "$root/tests/data/sweeps/lhs.toml" --patients 300

check_plots() {  # check_plots PREFIX KIND...
  local prefix=$1; shift
  for kind in "$@"; do
    for ext in png svg; do
      [[ -s "${prefix}_$kind.$ext" ]] || note_fail "missing or empty ${prefix}_$kind.$ext"
    done
  done
  [[ "$(head -c 8 "${prefix}_$1.png" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]] ||
    note_fail "${prefix}_$1.png is not a PNG"
  grep -q "<svg" "${prefix}_$1.svg" || note_fail "${prefix}_$1.svg is not an SVG"
}
plot() {  # plot NAME [options]: runs plot_sweep.py, failing the test on a non-zero exit
  local name=$1; shift
  "$py" "$plot" "$work/$name" "$@" >"$work/plot_$name.out" 2>&1 ||
    { cat "$work/plot_$name.out"; note_fail "plot_sweep.py $name $*"; }
}

plot oneway && check_plots "$work/oneway/plot_pfs_rmst" tornado
grep -q "^oneway sweep" "$work/plot_oneway.out" || note_fail "one-way design not detected: $(cat "$work/plot_oneway.out")"
plot grid2 && check_plots "$work/grid2/plot_pfs_rmst" grid
plot grid1 --endpoint os --metric median && check_plots "$work/grid1/plot_os_median" grid
plot psa --out "$work/figs/psa" && check_plots "$work/figs/psa" psa_diff psa_best scatter
plot lhs && check_plots "$work/lhs/plot_pfs_rmst" scatter
plot oneway --absolute --strategy new_drug --out "$work/oneway/abs" && check_plots "$work/oneway/abs" tornado
grep -q "^lhs sweep" "$work/plot_lhs.out" || note_fail "LHS design not detected"
grep -q "^psa sweep" "$work/plot_psa.out" || note_fail "PSA design not detected"

expect_error() {  # expect_error PATTERN ARGS...: non-zero exit and PATTERN in stderr
  local pattern=$1; shift
  if "$py" "$plot" "$@" >"$work/err.out" 2>"$work/err"; then
    note_fail "plot_sweep.py $* exited 0"
  elif ! grep -q "$pattern" "$work/err"; then
    note_fail "plot_sweep.py $*: message lacks '$pattern': $(cat "$work/err")"
  fi
}
expect_error "unknown endpoint 'nope'" "$work/psa" --endpoint nope
expect_error "no such directory" "$work/does_not_exist"
mkdir -p "$work/empty"
expect_error "no sweep.h5" "$work/empty"
expect_error "unknown --strategy 'nope'" "$work/oneway" --strategy nope

[[ $fail == 0 ]] && echo "plot_sweep.py: all checks passed"
exit $fail
