#!/usr/bin/env bash
# The shipped model found from anywhere: a scenario copied to another folder with
# include = ["mmsim:myeloma/default"] checks and runs there, on the current parameter files (the same
# resolved config as the flagship's relative includes); a bad shipped name is exit 2 at its file:line; a
# missing models folder falls back to the compiled-in copy with a warning; a myeloma scenario without
# calibrated.toml is warned about by check and run, one with it is not; `mmsim therapies` lists every
# therapy (table, CSV, JSON, Markdown); `mmsim sweep --list` warns when a PSA law's mean is not the base.
source "$2/tests/cli/lib.sh"

# A copy of the flagship whose ten relative includes become the shipped model and economics.
/usr/bin/python3 - "$root/configs/post_cart_salvage.toml" "$work" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
copied = re.sub(r'include = \[.*?\]\n', 'include = ["mmsim:myeloma/default", "mmsim:myeloma/economics"]\n', text, count=1,
                flags=re.S)
assert copied != text
open(f"{sys.argv[2]}/copied.toml", "w").write(copied)
open(f"{sys.argv[2]}/bad.toml", "w").write(copied.replace("mmsim:myeloma/default", "mmsim:myeloma/nope"))
# Without calibrated.toml: the parameter files by absolute path, the calibrated ones left out.
params = sys.argv[1].rsplit("/configs/", 1)[0] + "/models/myeloma/params/"
files = ["population", "antigens", "mechanisms", "disease", "background_mortality", "partners", "therapy_classes",
         "therapies"]
listed = ", ".join(f'"{params}{f}.toml"' for f in files)
open(f"{sys.argv[2]}/uncalibrated.toml", "w").write(copied.replace('"mmsim:myeloma/default"', listed))
EOF

cd "$work" || exit 1
line=$(grep -n '^include = \["mmsim:myeloma/default", "mmsim:myeloma/economics"\]' copied.toml | cut -d: -f1)  # the include's line
"$mmsim" check copied.toml >out.txt 2>err.txt || note_fail "check of the copied scenario failed: $(cat err.txt)"
[[ -s err.txt ]] && note_fail "check of the copied scenario warned: $(cat err.txt)"
# The same resolved parameters as the flagship (check --print shows every parameter with its source).
"$mmsim" check copied.toml --print 2>/dev/null | tail -n +2 >copied_print.txt
"$mmsim" check "$root/configs/post_cart_salvage.toml" --print 2>/dev/null | tail -n +2 >flagship_print.txt
cmp -s copied_print.txt flagship_print.txt || note_fail "the copied scenario resolves to other parameters than the flagship"
"$mmsim" run copied.toml --patients 200 --threads 1 -q -o run.h5 2>err.txt || note_fail "run of the copied scenario failed"
[[ -s err.txt ]] && grep -q "warning: the scenario does not include" err.txt && note_fail "run warned about calibration"

# A bad shipped name: exit 2 at the include's file:line:column, nothing else.
"$mmsim" check bad.toml >out.txt 2>err.txt
code=$?
[[ $code -eq 2 ]] || note_fail "bad include: exit $code, expected 2"
grep -qF "bad.toml:$line:12: error: include[0]: no shipped file mmsim:myeloma/nope" err.txt ||
  note_fail "bad include message: $(cat err.txt)"
grep -qF "shipped: myeloma/default" err.txt || note_fail "bad include does not list the shipped names"

# No models folder: the compiled-in copy, with a warning naming the scenario's include.
MMSIM_MODELS_DIR="$work/none" "$mmsim" check copied.toml >out.txt 2>err.txt || note_fail "embedded fallback failed"
grep -qF "copied.toml:$line:12: warning: mmsim:myeloma/default: the shipped model files are not at $work/none/myeloma/default.toml" err.txt ||
  note_fail "embedded fallback warning: $(cat err.txt)"

# Without calibrated.toml: check and run warn, naming the file.
for cmd in check run; do
  extra=()
  [[ $cmd == run ]] && extra=(--patients 100 --threads 1 -q -o u.h5)
  "$mmsim" $cmd uncalibrated.toml "${extra[@]}" >out.txt 2>err.txt || note_fail "$cmd of the uncalibrated scenario failed"
  grep -qF "uncalibrated.toml: warning: the scenario does not include calibrated.toml" err.txt ||
    note_fail "$cmd gives no calibration warning: $(cat err.txt)"
done
"$mmsim" check "$root/configs/post_cart_salvage.toml" >out.txt 2>err.txt
[[ -s err.txt ]] && note_fail "the flagship check warned: $(cat err.txt)"

# mmsim therapies: every [therapy.<id>] of therapies.toml, one row each, in every format.
expected=$(grep -cE '^\[therapy\.[a-z0-9_]+\]' "$root/models/myeloma/params/therapies.toml")
"$mmsim" therapies >table.txt 2>err.txt || note_fail "therapies failed: $(cat err.txt)"
[[ $(($(wc -l <table.txt) - 1)) -eq $expected ]] || note_fail "therapies lists $(($(wc -l <table.txt) - 1)) rows, expected $expected"
grep -qE '^ide_cel +.* bcma_car_t +car_t +BCMA +murine +autologous +'"$root"'/models/myeloma/params/therapies.toml:[0-9]+ ' table.txt ||
  note_fail "therapies table lacks ide_cel's row: $(grep ide_cel table.txt)"
grep -qE '^ide_cel .*/models/myeloma/params/calibrated\.toml \([0-9]+ values\) ' table.txt ||
  note_fail "therapies does not say that calibrated.toml sets some of ide_cel's values"
grep -E '^talquetamab ' table.txt | grep -q 'calibrated\.toml' && note_fail "talquetamab is not calibrated, yet listed so"
"$mmsim" therapies copied.toml --format csv >t.csv 2>err.txt || note_fail "therapies CSV failed"
head -1 t.csv | grep -qx "therapy,label,class,category,targets,binder,cell_source,defined_at,overridden_by,source" || note_fail "CSV header: $(head -1 t.csv)"
/usr/bin/python3 - "$expected" <<'EOF' || fail=1
import csv, json, subprocess, sys
rows = list(csv.DictReader(open("t.csv")))
if len(rows) != int(sys.argv[1]):
    print(f"FAIL: CSV has {len(rows)} rows"); sys.exit(1)
b = {r["therapy"]: r for r in rows}["bcma_gprc5d_cart"]
if (b["class"], b["targets"]) != ("dual_car_t", "BCMA+GPRC5D"):
    print(f"FAIL: bcma_gprc5d_cart row {b}"); sys.exit(1)
EOF
"$mmsim" therapies copied.toml --format json >t.json || note_fail "therapies JSON failed"
/usr/bin/python3 -c "import json,sys; d=json.load(open('t.json')); sys.exit(0 if len(d)==$expected and d[0]['therapy'] else 1)" ||
  note_fail "therapies JSON does not parse to $expected rows"
"$mmsim" therapies --format markdown | head -2 | tail -1 | grep -qx '|---|---|---|---|---|---|---|---|---|---|' || note_fail "markdown rule line"
"$mmsim" therapies --format xml >out.txt 2>err.txt
[[ $? -eq 2 ]] || note_fail "therapies --format xml is not exit 2"
"$mmsim" therapies "$root/configs/reference/illness_death.toml" >out.txt 2>err.txt
[[ $? -eq 2 ]] && grep -q "has no therapies" err.txt || note_fail "therapies of a multistate scenario: $(cat err.txt)"

# PSA means: the shipped psa.toml has none written (no warning); a written mean off the base is named.
"$mmsim" sweep "$root/configs/sweeps/psa.toml" --list >list.txt 2>err.txt || note_fail "psa.toml --list failed: $(cat err.txt)"
[[ -s err.txt ]] && note_fail "psa.toml --list warned: $(cat err.txt)"
# The base is the fitted value, read from the parameters file (a refit moves it; the test is about where it comes from).
cilta_cr=$(sed -n 's/^therapy\.cilta_cel\.response\.probs\.cr = //p' "$root/models/myeloma/params/calibrated.toml")
[[ -n "$cilta_cr" ]] || note_fail "calibrated.toml sets no therapy.cilta_cel.response.probs.cr"
grep -qF "# p0 cilta_cr = therapy.cilta_cel.response.probs.cr (base $cilta_cr)" list.txt || note_fail "psa.toml p0: $(grep '^# p0' list.txt) (base $cilta_cr expected)"
cat >"$work/off_base.toml" <<EOF
base = "$root/configs/post_cart_salvage.toml"
design = "psa"
samples = 2
[[parameter]]
path = "therapy.cilta_cel.response.probs.cr"
dist = "beta"
mean = 0.825
sd = 0.04
renormalize = true
EOF
"$mmsim" sweep off_base.toml --list >list.txt 2>err.txt || note_fail "off-base sweep --list failed"
grep -qE "^off_base\.toml:5:8: warning: parameter \"therapy.cilta_cel.response.probs.cr\": mean 0.825 is not the base value ${cilta_cr//./\\.} of therapy.cilta_cel.response.probs.cr \(set at .*models/myeloma/params/calibrated.toml:[0-9]+:[0-9]+\)" err.txt ||
  note_fail "off-base mean warning: $(cat err.txt)"
exit $fail
