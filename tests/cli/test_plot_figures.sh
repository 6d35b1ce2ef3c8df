#!/usr/bin/env bash
# scripts/plot_km.py and scripts/plot_cif.py render every figure type from a small flagship run
# (configs/post_cart_salvage.toml, 400 patients, a few seconds) and read only the curves stored beside the
# summaries (docs/hdf5_schema.md "Curves for figures"):
#   * KM figure as PNG, SVG and PDF (format from the extension), with --median --pvalue --strategies; the SVG
#     holds the title, the endpoint's axis labels with its time zero, the strategies' display names with
#     thousands-separated n, the risk-table header, and no strategy left out by --strategies;
#   * --pair-by pfs: arms that share the index line share a colour and differ by line style (two colours for
#     the flagship's nine arms: eight share one index line); nine colours for nine different curves;
#   * CIF figure of every stored analysis (PNG and SVG with its cause labels and time axis); --list;
#   * sizes: every figure non-empty and under 1.5 MB;
#   * the stored risk table starts with every patient on the curve (km_risk at 0 equals the summary's n);
#   * a --summary-only run stores the split analyses but not death_cause (it needs the patients table);
#   * errors: unknown endpoint, analysis or strategy, an extension that is no format, and a --no-summary
#     file exit non-zero with a message naming the problem.
# Needs /usr/bin/python3 with h5py, numpy and matplotlib (Debian packages); under CI=true their absence fails
# the test, otherwise it is skipped with a note.
source "$2/tests/cli/lib.sh"
km="$root/scripts/plot_km.py"
cif="$root/scripts/plot_cif.py"

if ! "$py" -c "import h5py, numpy, matplotlib" 2>/dev/null; then
  if [[ "${CI:-}" == true ]]; then echo "FAIL: $py lacks h5py/numpy/matplotlib"; exit 1; fi
  echo "SKIP: $py lacks h5py/numpy/matplotlib (apt-get install python3-h5py python3-matplotlib)"; exit 0
fi

config="$root/configs/post_cart_salvage.toml"
"$mmsim" run "$config" --patients 400 --threads 2 -q -o "$work/run.h5" || { echo "FAIL: mmsim run"; exit 1; }
"$mmsim" run "$config" --patients 200 --threads 2 -q --no-summary -o "$work/nosummary.h5" ||
  note_fail "mmsim run --no-summary"

plot() {  # plot SCRIPT ARGS...: runs a figure script, failing the test on a non-zero exit
  local script=$1; shift
  "$py" "$script" "$@" >"$work/plot.out" 2>&1 || { cat "$work/plot.out"; note_fail "$(basename "$script") $*"; }
}
sized() {  # sized FILE: exists, 5 kB .. 1.5 MB
  local bytes
  bytes=$(stat -c %s "$1" 2>/dev/null || echo 0)
  ((bytes > 5000 && bytes < 1500000)) || note_fail "$1: $bytes bytes (expected 5 kB .. 1.5 MB)"
}
magic() {  # magic FILE HEX: the file starts with these bytes
  [[ "$(head -c $((${#2} / 2)) "$1" | od -An -tx1 | tr -d ' \n')" == "$2" ]] || note_fail "$1 does not start with $2"
}
has() {  # has FILE TEXT...: each text occurs in the file
  local f=$1; shift
  for t in "$@"; do grep -qF -- "$t" "$f" || note_fail "$f lacks \"$t\""; done
}

# --- Kaplan-Meier -----------------------------------------------------------------------------------------
ep=pfs_after_relapse
for ext in png svg pdf; do
  plot "$km" "$work/run.h5" --endpoint $ep --median --pvalue --out "$work/km.$ext"
  sized "$work/km.$ext"
done
magic "$work/km.png" 89504e470d0a1a0a
magic "$work/km.pdf" 25504446  # %PDF
has "$work/km.svg" "<svg" "Progression-free survival after first relapse" "Months since first relapse" \
  "Progression-free survival" "Re-treat with BCMA CAR-T" "Switch to GPRC5D CAR-T" \
  "Mechanism-guided + index maintenance" "Number at risk (cumulative events)" "median" "log-rank p" "reference"
grep -q "PFS_AFTER_RELAPSE\|km.svg\|run.h5" "$work/km.svg" && note_fail "km.svg names the file or the raw endpoint"
# n with a thousands separator: the flagship's 400 patients relapse in the hundreds, the index line has 400.
plot "$km" "$work/run.h5" --endpoint os --out "$work/km_os.svg"
has "$work/km_os.svg" "n = 400" "Overall survival" "Months since start of index line"
"$mmsim" run "$config" --patients 1200 --threads 2 -q --summary-only -o "$work/big.h5" || note_fail "mmsim run --summary-only"
plot "$km" "$work/big.h5" --endpoint os --out "$work/km_big.svg" --strategies conventional
has "$work/km_big.svg" "n = 1,200" "1,200 (0)"

plot "$km" "$work/run.h5" --endpoint $ep --strategies conventional,retreat_bcma_cart --out "$work/km_two.svg"
has "$work/km_two.svg" "Conventional PI/IMiD regimen" "Re-treat with BCMA CAR-T"
grep -qF "Switch to GPRC5D CAR-T" "$work/km_two.svg" && note_fail "--strategies: km_two.svg shows a strategy left out"

cycle_colours() {  # cycle_colours SVG: how many of matplotlib's default curve colours the figure strokes
  grep -o 'stroke: #[0-9a-f]\{6\}' "$1" | sort -u |
    grep -c '#1f77b4\|#ff7f0e\|#2ca02c\|#d62728\|#9467bd\|#8c564b\|#e377c2\|#7f7f7f\|#bcbd22\|#17becf'
}
plot "$km" "$work/run.h5" --endpoint pfs --pair-by pfs --no-ci --out "$work/km_pfs.svg"
plot "$km" "$work/run.h5" --endpoint $ep --no-ci --out "$work/km_ep.svg"
# Eight arms share the index line (the ninth adds maintenance to it): two colours, told apart by dashes; after
# the relapse all nine differ: nine colours.
n=$(cycle_colours "$work/km_pfs.svg")
((n == 2)) || note_fail "--pair-by pfs: $n curve colours for arms of two index lines"
grep -q "stroke-dasharray" "$work/km_pfs.svg" || note_fail "--pair-by pfs: no dashed line styles"
n=$(cycle_colours "$work/km_ep.svg")
((n == 9)) || note_fail "$ep: $n curve colours for nine different curves"

# --- cumulative incidence ---------------------------------------------------------------------------------
"$py" "$cif" "$work/run.h5" --list >"$work/list.out" 2>&1 || note_fail "plot_cif.py --list"
has "$work/list.out" "pfs_events" "pfs_after_relapse_events" "death_cause"
for a in pfs_events pfs_after_relapse_events death_cause; do
  plot "$cif" "$work/run.h5" --analysis $a --out "$work/cif_$a.svg"
  sized "$work/cif_$a.svg"
done
plot "$cif" "$work/run.h5" --analysis death_cause --strategies conventional,mechanism_guided --out "$work/cif.png"
sized "$work/cif.png"
magic "$work/cif.png" 89504e470d0a1a0a
has "$work/cif_death_cause.svg" "Death by cause" "Myeloma" "Treatment-related" "Cumulative incidence" \
  "Months since start of index line" "Re-treat with BCMA CAR-T (n = 400)"
has "$work/cif_pfs_after_relapse_events.svg" "Progression" "Death without progression" "Months since first relapse"

# --- what is stored ---------------------------------------------------------------------------------------
"$py" - "$work/run.h5" "$work/big.h5" >"$work/stored.out" 2>&1 <<'PY' || { cat "$work/stored.out"; note_fail "stored curves"; }
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    for s in f.attrs["strategy_order"]:
        g = f[f"strategies/{s}/summary"]
        codes = h5py.check_enum_dtype(g["km_risk"].dtype["endpoint"])
        for e, c in codes.items():
            risk = g["km_risk"][g["km_risk"]["endpoint"] == c]
            n = g["endpoints"][g["endpoints"]["endpoint"] == c]["n"][0]
            assert risk["time"][0] == 0 and risk["n_risk"][0] == n, (s, e, risk[:1], n)
            steps = g["km_steps"][g["km_steps"]["endpoint"] == c]
            assert np.all(np.diff(steps["time"]) > 0) and np.all(np.diff(steps["surv"]) <= 0), (s, e)
with h5py.File(sys.argv[2], "r") as f:
    assert f.attrs["competing_risks"] == "pfs_events,pfs_after_relapse_events", f.attrs["competing_risks"]
PY

# --- errors -----------------------------------------------------------------------------------------------
refuse() {  # refuse WHAT PATTERN SCRIPT ARGS...: exits non-zero with a message matching PATTERN
  local what=$1 pattern=$2; shift 2
  if "$py" "$@" >"$work/err.out" 2>&1; then note_fail "$what: accepted"; fi
  grep -q -- "$pattern" "$work/err.out" || { cat "$work/err.out"; note_fail "$what: message lacks '$pattern'"; }
}
refuse "unknown endpoint" "unknown endpoint 'nope'" "$km" "$work/run.h5" --endpoint nope --out "$work/x.png"
refuse "unknown strategy" "unknown strategy 'nope'" "$km" "$work/run.h5" --strategies nope --out "$work/x.png"
refuse "bad extension" "extension chooses the format" "$km" "$work/run.h5" --out "$work/x.jpg"
refuse "unknown analysis" "unknown analysis 'nope'" "$cif" "$work/run.h5" --analysis nope --out "$work/x.png"
refuse "no summaries" "no curves" "$km" "$work/nosummary.h5" --out "$work/x.png"
refuse "no summaries (cif)" "no cumulative-incidence curves" "$cif" "$work/nosummary.h5" --out "$work/x.png"
[[ -e "$work/x.png" || -e "$work/x.jpg" ]] && note_fail "a refused figure was written"

exit $fail
