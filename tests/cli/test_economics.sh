#!/usr/bin/env bash
# Economics end to end (docs/economics.md): `mmsim run` of a scenario with [economics] prints costs, QALYs,
# ICERs, NMB and the frontier beside the survival table; `mmsim report` gives the same numbers in every format
# from the stored moments (full and --summary-only runs alike, any thread count); the patients and lines
# tables carry the economics columns and the file says schema 1.1; per-line costs add up. Bad [economics]
# tables (tests/data/economics/bad/) exit 2 naming file:line:key and write nothing.
source "$2/tests/cli/lib.sh"
data="$root/tests/data/economics"

# --- bad configs ------------------------------------------------------------------------------------------
for cfg in "$data"/bad/*.toml; do
  name=$(basename "$cfg" .toml)
  mkdir -p "$work/bad/$name"
  "$mmsim" run "$cfg" -o "$work/bad/$name/out.h5" --patients 10 -q >"$work/bad/$name/stdout" 2>"$work/bad/$name/stderr"
  code=$?
  [[ $code -eq 2 ]] || { echo "FAIL $name: exit code $code, expected 2"; cat "$work/bad/$name/stderr"; fail=1; }
  while IFS= read -r line; do
    frag=${line#\# expect: }
    grep -qF -- "$frag" "$work/bad/$name/stderr" || { echo "FAIL $name: message lacks '$frag'"; cat "$work/bad/$name/stderr"; fail=1; }
  done < <(grep '^# expect: ' "$cfg")
  grep -qE -- "\.toml:[0-9]+:[0-9]+: " "$work/bad/$name/stderr" || { echo "FAIL $name: no file:line:column"; fail=1; }
  [[ -z "$(ls -A "$work/bad/$name" | grep -vE '^(stdout|stderr)$')" ]] || { echo "FAIL $name: output left behind"; fail=1; }
  "$mmsim" check "$cfg" >/dev/null 2>&1
  [[ $? -eq 2 ]] || { echo "FAIL $name: 'mmsim check' did not exit 2"; fail=1; }
done

# --- the reference model ----------------------------------------------------------------------------------
cd "$work"
ref="$data/illness_death_economics.toml"
"$mmsim" run "$ref" --patients 3000 --seed 3 --threads 2 -o full.h5 > run.txt || { echo "FAIL run"; fail=1; }
for heading in "Economics" "Increments vs standard" "Net monetary benefit" "Efficiency frontier" "ICER"; do
  grep -q "$heading" run.txt || { echo "FAIL run table lacks '$heading'"; fail=1; }
done
grep -q "os" run.txt || { echo "FAIL the survival table is not beside the economics"; fail=1; }
"$mmsim" run "$ref" --patients 3000 --seed 3 --threads 1 --summary-only -o summary.h5 --format json -q
"$mmsim" report full.h5 --format json > full.json
"$mmsim" report summary.h5 --format json > summary.json
"$mmsim" run "$ref" --patients 3000 --seed 3 --threads 2 -o again.h5 --format json | sed '/^wrote /d' > run.json
python3 - full.json summary.json run.json <<'PY' || fail=1
import json, sys
docs = [json.load(open(p)) for p in sys.argv[1:]]
econ = [d["economics"] for d in docs]
ok = True
if not (econ[0] == econ[1] == econ[2]):
    print("FAIL economics differ between report (full), report (summary-only, 1 thread) and run JSON"); ok = False
e = econ[0]
for key in ["currency", "price_year", "perspective", "discount_costs", "discount_effects", "horizon", "reference",
            "willingness_to_pay", "strategies", "increments", "net_benefit", "frontier"]:
    if key not in e: print("FAIL economics JSON lacks", key); ok = False
s = {x["name"]: x for x in e["strategies"]}
if s["standard"]["n"] != 3000: print("FAIL n", s["standard"]["n"]); ok = False
if not (s["standard"]["cost"] < s["standard"]["cost_undiscounted"]): print("FAIL discounting"); ok = False
inc = e["increments"][0]
if abs(inc["icer"] - inc["cost"] / inc["qaly"]) > 1e-6 * abs(inc["icer"]): print("FAIL icer"); ok = False
if not (inc["qaly_se"] < inc["qaly_se_unpaired"]): print("FAIL pairing does not shrink the SE"); ok = False
nb = [x for x in e["net_benefit"] if x["strategy"] == "new_drug" and x["wtp"] == 50000][0]
want = 50000 * inc["qaly"] - inc["cost"]
if abs(nb["incremental_nmb"] - want) > 1e-6 * max(1.0, abs(want)): print("FAIL incremental NMB"); ok = False
if sorted(x["status"] for x in e["frontier"])[0] not in ("dominated", "extendedly_dominated", "frontier"): ok = False
sys.exit(0 if ok else 1)
PY
for f in csv markdown table; do
  "$mmsim" report full.h5 --format $f > report.$f || { echo "FAIL report --format $f"; fail=1; }
done
grep -q '^economics,strategy,reference,wtp,quantity,value' report.csv || { echo "FAIL CSV economics block"; fail=1; }
grep -q '^### Efficiency frontier' report.markdown || { echo "FAIL Markdown economics"; fail=1; }
h5dump -A -a /schema_version full.h5 | grep -q '1, 1' || { echo "FAIL schema_version of an economics run is not 1.1"; fail=1; }
h5dump -H -d /strategies/standard/patients full.h5 | grep -q '"qaly_undiscounted"' || { echo "FAIL patients lack economics columns"; fail=1; }

# Without [economics] nothing changes: the same model and seed give byte-identical survival JSON.
"$mmsim" run "$root/configs/reference/illness_death.toml" --patients 500 --seed 3 -o plain.h5 --format json -q
h5dump -A -a /schema_version plain.h5 | grep -q '1, 1' || { echo "FAIL a run without economics is not 1.1"; fail=1; }

# --- the myeloma model, with the test (placeholder) economics ------------------------------------------------
"$mmsim" run "$data/myeloma_economics.toml" --patients 150 --seed 2 --threads 2 -o mm.h5 > mm.txt || { echo "FAIL myeloma run"; fail=1; }
grep -q "Efficiency frontier" mm.txt || { echo "FAIL myeloma run prints no economics"; fail=1; }
"$mmsim" export mm.h5 --table lines -o lines.csv || fail=1
"$mmsim" export mm.h5 --table patients -o patients.csv || fail=1
if [[ -s lines.csv && -s patients.csv ]]; then
  python3 - lines.csv patients.csv <<'PY' || fail=1
import csv, sys
lines = list(csv.DictReader(open(sys.argv[1])))
pats = list(csv.DictReader(open(sys.argv[2])))
ok = True
if "cost" not in lines[0] or "qaly" not in lines[0]: print("FAIL lines lack economics columns"); sys.exit(1)
key = "strategy" if "strategy" in lines[0] else None
by = {}
for l in lines:
    k = (l.get("strategy"), l["patient"])
    by[k] = by.get(k, 0.0) + float(l["cost_undiscounted"])
for p in pats:
    k = (p.get("strategy"), p["id"])
    if by.get(k, 0.0) > float(p["cost_undiscounted"]) * (1 + 1e-9) + 1e-6:
        print("FAIL line costs exceed the patient's total", k, by.get(k), p["cost_undiscounted"]); ok = False; break
if not any(float(p["cost_undiscounted"]) > 400000 for p in pats): print("FAIL no CAR-T product cost"); ok = False
sys.exit(0 if ok else 1)
PY
else
  echo "FAIL could not export the myeloma lines/patients tables"; fail=1
fi
# Economics draws no random numbers and does not depend on the output mode, threads or block size: the
# myeloma survival report is the same with and without [economics], and the economics the same full and
# --summary-only on 1 thread with blocks of 7.
python3 - "$data/myeloma_economics.toml" "$root" > noecon.toml <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s[:s.rindex("\n[economics]\ncurrency")]
print(s.replace('"../../../models', '"' + sys.argv[2] + '/models'))
PY
"$mmsim" run noecon.toml --patients 200 --seed 4 -o n.h5 --format json --summary-only | sed '/^wrote /d' > n.json
"$mmsim" run "$data/myeloma_economics.toml" --patients 200 --seed 4 -o e.h5 --format json --summary-only | sed '/^wrote /d' > e.json
"$mmsim" run "$data/myeloma_economics.toml" --patients 200 --seed 4 -o f.h5 --format json --threads 1 --block-size 7 | sed '/^wrote /d' > f.json
python3 - <<'PY' || fail=1
import json
n, e, f = (json.load(open(p)) for p in ("n.json", "e.json", "f.json"))
ee, fe = e.pop("economics"), f.pop("economics")
ok = True
if "economics" in n: print("FAIL economics without [economics]"); ok = False
if n != e: print("FAIL [economics] changed the survival report"); ok = False
if e != f or ee != fe: print("FAIL output mode, threads or block size changed the results"); ok = False
raise SystemExit(0 if ok else 1)
PY
exit $fail
