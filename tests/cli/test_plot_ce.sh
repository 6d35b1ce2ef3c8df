#!/usr/bin/env bash
# scripts/plot_ce.py on the voi tables of the hand-made PSA fixture (tests/data/voi/psa_sweep): CE plane, CEAC,
# CEAF and EVPI figures are written as non-empty PNG (magic bytes) and SVG; --reference and --wtp work; an
# unknown --reference and a folder without the tables exit 2 naming the problem.
# Needs /usr/bin/python3 with numpy and matplotlib (Debian packages); under CI=true their absence fails the
# test, otherwise it is skipped with a note.
source "$2/tests/cli/lib.sh"
if ! "$py" -c "import h5py, numpy, matplotlib" 2>/dev/null; then
  if [[ "${CI:-}" == true ]]; then echo "FAIL: $py lacks numpy/matplotlib"; exit 1; fi
  echo "SKIP: $py lacks numpy/matplotlib (apt-get install python3-matplotlib python3-h5py)"; exit 0
fi
"$mmsim" voi "$root/tests/data/voi/psa_sweep" --wtp 0:300000:10000 --evppi-wtp 100000,150000 --draws 50 \
  -o "$work/voi" >/dev/null || note_fail "mmsim voi"
"$py" "$root/scripts/plot_ce.py" "$work/voi" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; note_fail "plot_ce.py"; }
for f in plane ceac ceaf evpi; do
  png="$work/voi/ce_$f.png"
  [[ -s "$png" ]] || { note_fail "no $png"; continue; }
  [[ "$(od -An -c -N4 "$png" | tr -d ' ')" == "211PNG" ]] || note_fail "$png is not a PNG"
done
"$py" "$root/scripts/plot_ce.py" "$work/voi" --format svg --reference combo --wtp 120000 --out "$work/svg/x" \
  >/dev/null 2>&1 || note_fail "svg with --reference"
for f in plane ceac ceaf evpi; do grep -q "<svg" "$work/svg/x_$f.svg" 2>/dev/null || note_fail "no SVG $f"; done
"$py" "$root/scripts/plot_ce.py" "$work/voi" --reference nobody >/dev/null 2>"$work/err"
[[ $? -eq 2 ]] && grep -q "unknown --reference 'nobody'" "$work/err" || note_fail "unknown reference: $(cat "$work/err")"
mkdir "$work/empty"
"$py" "$root/scripts/plot_ce.py" "$work/empty" >/dev/null 2>"$work/err"
[[ $? -eq 2 ]] && grep -q "psa_cost.csv: not found" "$work/err" || note_fail "empty folder: $(cat "$work/err")"
exit $fail
