#!/usr/bin/env bash
# Running out of memory ends in advice, exit 1: fewer patients, --no-summary (bounded memory, statistics later
# with 'mmsim report'), a bigger machine; an existing output stays as it was. Before, the message was
# "mmsim: error: std::bad_alloc". The memory limit (ulimit -v, 300 MB) makes the allocation fail at once.
# Skipped, loudly, under AddressSanitizer, which reserves terabytes of address space up front.
source "$2/tests/cli/lib.sh"
if "$mmsim" --version | grep -q asan; then
  echo "SKIPPED: an address-space limit cannot be combined with AddressSanitizer"
  exit 0
fi
cfg="$root/configs/reference/illness_death.toml"
printf 'precious results\n' >"$work/out.h5"
for mode in --summary-only; do
  (ulimit -v 300000 && exec "$mmsim" run "$cfg" --patients 100000000 $mode --threads 2 -q -o "$work/out.h5") \
    >"$work/stdout" 2>"$work/stderr"
  code=$?
  [[ $code -eq 1 ]] || { echo "FAIL ($mode): exit $code, expected 1"; fail=1; }
  for frag in "mmsim: error: out of memory" "--patients" "--no-summary" "mmsim report" "more memory"; do
    grep -qF -- "$frag" "$work/stderr" || { echo "FAIL ($mode): message lacks '$frag'; got: $(cat "$work/stderr")"; fail=1; }
  done
done
[[ "$(cat "$work/out.h5")" == "precious results" ]] || { echo "FAIL: the existing output was changed"; fail=1; }
[[ "$(ls -A "$work")" == "out.h5"* ]] && [[ $(ls -A "$work" | grep -vcE '^(out.h5|stdout|stderr)$') -eq 0 ]] ||
  { echo "FAIL: files left behind: $(ls -A "$work")"; fail=1; }
[[ $fail -eq 0 ]] && echo "out of memory: advice given, exit 1, nothing changed"
exit $fail
