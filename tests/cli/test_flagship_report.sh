#!/usr/bin/env bash
# scripts/plot_tornado.py on a one-way sweep of the two-arm test model (its table against sweep.csv read
# independently here: the statistic at each end is the paired RMST difference of the two arms at that
# point), and scripts/flagship_report.sh end to end at tiny sizes: every arm of the flagship (read from
# `mmsim check`, not a list) appears in each section, and the PSA law table shows no written-mean warning.
source "$2/tests/cli/lib.sh"

"$mmsim" sweep "$root/tests/data/sweeps/oneway.toml" -o "$work/ow" --patients 300 --threads 1 -q || note_fail "oneway sweep failed"
/usr/bin/python3 "$root/scripts/plot_tornado.py" "$work/ow" --endpoint os --strategy new_drug --versus standard \
  --out "$work/t.png" --csv "$work/t.csv" >"$work/t.txt" || note_fail "plot_tornado failed"
[[ -s "$work/t.png" ]] || note_fail "no tornado PNG"
/usr/bin/python3 - "$work" <<'PY' || fail=1
import csv, sys
w = sys.argv[1]
rmst = {}
for r in csv.DictReader(open(f"{w}/ow/sweep.csv")):
    if r["endpoint"] == "os":
        rmst[(int(r["point"]), r["strategy"])] = float(r["rmst"])
varied = {int(p["point"]): int(p["varied"]) for p in csv.DictReader(open(f"{w}/ow/points.csv"))}
rows = list(csv.DictReader(open(f"{w}/t.csv")))
if len(rows) != 2:
    print(f"FAIL: {len(rows)} tornado rows, expected 2"); sys.exit(1)
names = ["hr_new_drug", "multistate.transitions[0].hazard_ratios.risk"]
for r in rows:
    pts = sorted(p for p, j in varied.items() if j == names.index(r["parameter"]))
    stats = [rmst[(p, "new_drug")] - rmst[(p, "standard")] for p in pts]  # values listed low to high
    if abs(float(r["statistic_low"]) - stats[0]) > 1e-9 or abs(float(r["statistic_high"]) - stats[-1]) > 1e-9:
        print(f"FAIL: {r['parameter']}: table {r['statistic_low']}, {r['statistic_high']} vs {stats}"); sys.exit(1)
    if abs(float(r["swing"]) - abs(stats[-1] - stats[0])) > 1e-9:
        print(f"FAIL: swing of {r['parameter']}"); sys.exit(1)
swings = [float(r["swing"]) for r in rows]
if swings != sorted(swings, reverse=True):
    print("FAIL: rows not sorted by swing"); sys.exit(1)
PY

MMSIM=$mmsim THREADS=1 BASE_PATIENTS=400 PSA_SAMPLES=4 PSA_PATIENTS=200 ONEWAY_PATIENTS=200 OUT="$work/flagship.md" \
  WORK="$work/fw" bash "$root/scripts/flagship_report.sh" 2>"$work/err.txt" || note_fail "flagship_report.sh failed: $(cat "$work/err.txt")"
[[ -s "$work/flagship_tornado.png" ]] || note_fail "no tornado figure beside the report"
arms=$("$mmsim" check "$root/configs/post_cart_salvage.toml" | sed -E 's/.*strategies \(([^)]*)\).*/\1/' | tr -d ',')
for s in $arms; do
  n=$(grep -c "^| $s |" "$work/flagship.md")
  [[ $n -eq 3 ]] || note_fail "arm $s appears in $n tables, expected 3 (PFS, OS, PSA)"
done
grep -q "^## 3. The five parameters" "$work/flagship.md" || note_fail "no tornado section"
[[ $(grep -cE '^\| [1-5] \| ' "$work/flagship.md") -eq 5 ]] || note_fail "not five ranked parameters"
grep -q "(0 warning(s) in this run)" "$work/flagship.md" || note_fail "the PSA laws were warned about"
exit $fail
