#!/usr/bin/env bash
# Command-line numbers are parsed as signed and range-checked like their config twins: a negative count, an
# out-of-range value or a non-number exits 2 with a message naming the option, and an existing result stays
# byte for byte as it was (before this check, "--patients -5" wrapped to 2^64 - 5, simulated nobody and
# replaced a good result with an empty one).
source "$2/tests/cli/lib.sh"
cfg="$root/configs/reference/illness_death.toml"
"$mmsim" run "$cfg" -o "$work/good.h5" --patients 50 -q || { echo "FAIL: the good run failed"; exit 1; }
cp "$work/good.h5" "$work/before.h5"

expect() {  # expect FRAGMENT ARGS...: exit code 2, FRAGMENT on stderr
  local frag=$1
  shift
  "$mmsim" "$@" >"$work/stdout" 2>"$work/stderr"
  local code=$?
  if [[ $code -ne 2 ]]; then echo "FAIL '$*': exit $code, expected 2"; fail=1; fi
  if ! grep -qF -- "$frag" "$work/stderr"; then
    echo "FAIL '$*': message lacks '$frag'; got: $(cat "$work/stderr")"; fail=1
  fi
}
expect "--patients must be 1..1099511627776 (got -5)" run "$cfg" -o "$work/good.h5" --patients -5 -q
expect "--patients must be 1..1099511627776 (got 0)" run "$cfg" -o "$work/good.h5" --patients 0 -q
expect "--threads must be 0..4096 (got -1)" run "$cfg" -o "$work/good.h5" --threads -1 -q
expect "--seed must be 0..9223372036854775807 (got -1)" run "$cfg" -o "$work/good.h5" --seed -1 -q
expect "--compression must be 0..9 (got 10)" run "$cfg" -o "$work/good.h5" --compression 10 -q
expect "--block-size must be 1..1048576 (got 0)" run "$cfg" -o "$work/good.h5" --block-size 0 -q
expect "for option '--patients' is invalid" run "$cfg" -o "$work/good.h5" --patients 3x -q
expect "--patients must be 1..1099511627776 (got -3)" \
  sweep "$root/configs/sweeps/illness_death_grid.toml" -o "$work/sweep" --patients -3 -q
expect "--threads must be 0..4096 (got -2)" \
  sweep "$root/configs/sweeps/illness_death_grid.toml" -o "$work/sweep" --threads -2 -q
expect "--shards must be 1..1048576 (got 0)" merge "$work/sweep" --shards 0
expect "--patients must be 0..1099511627776 (got -1)" \
  calibrate "$root/configs/calibration/default.toml" --patients -1
expect "--threads must be 0..4096 (got -1)" calibrate "$root/configs/calibration/default.toml" --threads -1
expect "--starts must be 0..100 (got 101)" calibrate "$root/configs/calibration/default.toml" --starts 101
cmp -s "$work/good.h5" "$work/before.h5" || { echo "FAIL: a refused run changed the existing result"; fail=1; }
[[ -e "$work/sweep" ]] && { echo "FAIL: a refused sweep created its output directory"; fail=1; }
[[ $fail -eq 0 ]] && echo "bad options: all refused with exit 2"
exit $fail
