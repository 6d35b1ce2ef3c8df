#!/usr/bin/env bash
# mmsim voi on the hand-made PSA sweep tests/data/voi/psa_sweep/economics.csv (150 points x 2 replicates x 3
# strategies; tests/data/voi/make_fixture.py):
#   * the tables and R exports are written, with the shapes docs/economics_voi.md documents (psa_cost.csv and
#     psa_effectiveness.csv: 150 rows x 3 strategy columns; psa_parameters.csv: 150 x 3 parameters);
#   * a replicate-pooled value is the n-weighted mean of the point's two rows (checked with awk);
#   * probabilities at each WTP sum to 1; EVPI >= 0; the irrelevant noise_param has EVPPI below hr_new's;
#   * every format prints; JSON parses (python3 json);
#   * rerunning gives identical bytes (fixed seed of the EVPPI SE draws);
#   * bad input exits 2 naming the problem, writing nothing: a missing economics.csv, an unknown --group
#     parameter, a bad --wtp, a group of 5 parameters, a malformed row (file and line named), an output folder
#     holding a FIFO, a symbolic link or the input itself in place of an output.
source "$2/tests/cli/lib.sh"
sweep="$root/tests/data/voi/psa_sweep"

"$mmsim" voi "$sweep" --wtp 0:200000:50000 --group both=hr_new,prog_scale -o "$work/out" >"$work/table.txt" 2>"$work/err" ||
  { cat "$work/err"; note_fail "mmsim voi failed"; }
for f in ceac.csv ceaf.csv evpi.csv evppi.csv psa_cost.csv psa_effectiveness.csv psa_parameters.csv load_psa.R; do
  [[ -s "$work/out/$f" ]] || note_fail "no $f"
done
[[ "$(head -1 "$work/out/psa_cost.csv")" == "standard,new_drug,combo" ]] || note_fail "psa_cost.csv header: $(head -1 "$work/out/psa_cost.csv")"
[[ "$(head -1 "$work/out/psa_parameters.csv")" == "hr_new,prog_scale,noise_param" ]] || note_fail "psa_parameters.csv header"
[[ $(($(wc -l <"$work/out/psa_cost.csv") - 1)) -eq 150 ]] || note_fail "psa_cost.csv rows"
[[ $(($(wc -l <"$work/out/psa_effectiveness.csv") - 1)) -eq 150 ]] || note_fail "psa_effectiveness.csv rows"
awk -F, 'NR > 1 && NF != 3 { bad = 1 } END { exit bad }' "$work/out/psa_effectiveness.csv" || note_fail "matrix width"
# Point 0, strategy new_drug: the mean of its two replicates' cost (n = 500 each).
expected=$(awk -F, '$1 == 0 && $6 == "new_drug" { s += $7 * $8; n += $7 } END { printf "%.6f", s / n }' "$sweep/economics.csv")
got=$(awk -F, 'NR == 2 { printf "%.6f", $2 }' "$work/out/psa_cost.csv")
[[ "$expected" == "$got" ]] || note_fail "pooled cost of point 0: $got, expected $expected"
# CEAC rows per WTP sum to 1; EVPI non-negative.
awk -F, 'NR > 1 { s[$1] += $6 } END { for (w in s) if (s[w] < 0.999999 || s[w] > 1.000001) exit 1 }' \
  "$work/out/ceac.csv" || note_fail "CEAC probabilities do not sum to 1"
awk -F, 'NR > 1 && $2 < 0 { exit 1 }' "$work/out/evpi.csv" || note_fail "negative EVPI"
# At WTP 150000 (where the decision is uncertain) hr_new is worth more than noise_param.
"$mmsim" voi "$sweep" --wtp 150000 --format csv >"$work/csv.txt" || note_fail "csv format"
hr=$(awk -F, '$1 == "hr_new" { print $4 }' "$work/csv.txt")
noise=$(awk -F, '$1 == "noise_param" { print $4 }' "$work/csv.txt")
awk -v a="$hr" -v b="$noise" 'BEGIN { exit !(a > 10 * b && a > 0) }' || note_fail "EVPPI hr_new $hr vs noise $noise"
"$mmsim" voi "$sweep" --wtp 100000,150000 --format json >"$work/v.json" || note_fail "json format"
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['decision']) == 2 and d['simulations'] == 150" \
  "$work/v.json" || note_fail "JSON does not parse or lacks keys"
"$mmsim" voi "$sweep" --wtp 100000 --format markdown | grep -q '^| wtp' || note_fail "markdown format"
"$mmsim" voi "$sweep" --wtp 100000 --effect ly --undiscounted --no-evppi | grep -q "effect ly" || note_fail "--effect ly"
"$mmsim" voi "$sweep" --wtp 0:200000:50000 --group both=hr_new,prog_scale -o "$work/again" >/dev/null || note_fail "rerun"
for f in ceac.csv evpi.csv evppi.csv psa_cost.csv; do cmp -s "$work/out/$f" "$work/again/$f" || note_fail "$f differs on rerun"; done

expect() {  # expect FRAGMENT ARGS...: exit 2, FRAGMENT on stderr
  local frag=$1
  shift
  "$mmsim" voi "$@" >"$work/stdout" 2>"$work/stderr" </dev/null
  local code=$?
  [[ $code -eq 2 ]] || note_fail "'voi $*': exit $code, expected 2"
  grep -qF -- "$frag" "$work/stderr" || note_fail "'voi $*': message lacks '$frag'; got: $(cat "$work/stderr")"
}
mkdir "$work/empty"
expect "economics.csv: not found" "$work/empty" --wtp 1000
expect "'nope' is not a parameter" "$sweep" --wtp 1000 --group g=hr_new,nope
expect "--wtp: 'abc' is not a non-negative number" "$sweep" --wtp abc
expect "--wtp: '-5' is not a non-negative" "$sweep" --wtp=-5
expect "at most 4" "$sweep" --wtp 1000 --group g=hr_new,prog_scale,noise_param,hr_new,prog_scale
expect "give --wtp" "$sweep"
expect "'hr_new' is named twice" "$sweep" --wtp 1000 --group g=hr_new,hr_new
expect "150 observations for 343 basis functions" "$sweep" --wtp 1000 --knots 7 --group g=hr_new,prog_scale,noise_param

mkdir "$work/bad"
head -5 "$sweep/economics.csv" >"$work/bad/economics.csv"
echo "3,0,0.7,12,0.5,standard,500,abc,1,1,1,1,1,1,1,1" >>"$work/bad/economics.csv"
expect "economics.csv:6: column 'cost': 'abc' is not a finite number" "$work/bad" --wtp 1000
mkdir -p "$work/fifo"
mkfifo "$work/fifo/ceac.csv"
expect "FIFO" "$sweep" --wtp 1000 -o "$work/fifo"
[[ ! -e "$work/fifo/evpi.csv" ]] || note_fail "an output was written beside the refused FIFO"
mkdir -p "$work/link"
ln -s "$work/elsewhere.csv" "$work/link/evpi.csv"
expect "is a symbolic link" "$sweep" --wtp 1000 -o "$work/link"
[[ ! -e "$work/elsewhere.csv" ]] || note_fail "wrote through a symlink"
cp -r "$sweep" "$work/self"
ln "$work/self/economics.csv" "$work/self/psa_cost.csv" 2>/dev/null || cp "$work/self/economics.csv" "$work/self/x"
if [[ -e "$work/self/psa_cost.csv" ]]; then
  expect "input" "$work/self" --wtp 1000 -o "$work/self"
fi

# scripts/economics_report.sh: bad options exit 2; a binary without the economics layer is refused (exit 2,
# naming the scenario); with it, a tiny run writes every section (the full run: results/economics.md); 80 PSA
# draws because the 3-parameter EVPPI group has 4^3 = 64 basis functions and needs more draws than that.
report="$root/scripts/economics_report.sh"
bash "$report" --mmsim "$mmsim" --patients many >/dev/null 2>"$work/err"
[[ $? -eq 2 ]] && grep -q "'many' is not a non-negative integer" "$work/err" || note_fail "economics_report bad option: $(cat "$work/err")"
if "$mmsim" check "$root/configs/economics/post_cart_salvage_economics.toml" >/dev/null 2>&1; then
  bash "$report" --mmsim "$mmsim" --patients 300 --samples 80 --psa-patients 100 --threads 2 --out "$work/rep/economics.md" \
    >/dev/null 2>"$work/err" || note_fail "economics_report: $(tail -5 "$work/err")"
  for section in "## Costs, QALYs" "## Face validity" "## Value of information" "| strategy | CAR-T infusions"; do
    grep -qF "$section" "$work/rep/economics.md" || note_fail "economics.md lacks '$section'"
  done
  [[ -s "$work/rep/economics/ce_ceac.png" ]] || note_fail "economics_report drew no CEAC"
else
  bash "$report" --mmsim "$mmsim" --out "$work/rep/economics.md" >/dev/null 2>"$work/err"
  [[ $? -eq 2 ]] && grep -q "cannot run .*post_cart_salvage_economics.toml" "$work/err" ||
    note_fail "economics_report without economics: $(cat "$work/err")"
  [[ ! -e "$work/rep/economics.md" ]] || note_fail "economics_report wrote a report it could not make"
fi
exit $fail
