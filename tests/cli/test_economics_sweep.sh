#!/usr/bin/env bash
# A sweep whose base scenario has [economics] writes economics.csv beside sweep.csv in the agreed shape (one
# row per point, replicate and strategy: docs/economics.md), the same whether run whole or in shards and
# merged, and with common random numbers across points: the reference strategy's cost is then exactly linear
# in a swept cost of a state it occupies.
source "$2/tests/cli/lib.sh"
cd "$work"
"$mmsim" sweep "$root/tests/data/economics/psa_economics.toml" -o whole -q || { echo "FAIL sweep"; exit 1; }
[[ -f whole/economics.csv ]] || { echo "FAIL no economics.csv"; exit 1; }
want="point,replicate,hr_new_drug,therapy_cost,strategy,n,cost,cost_se,qaly,qaly_se,ly,ly_se,cost_undiscounted,qaly_undiscounted,ly_undiscounted"
[[ "$(head -1 whole/economics.csv)" == "$want" ]] || { echo "FAIL header: $(head -1 whole/economics.csv)"; fail=1; }
rows=$(($(wc -l < whole/economics.csv) - 1))
[[ $rows -eq 12 ]] || { echo "FAIL $rows rows, expected 3 points x 2 replicates x 2 strategies"; fail=1; }
for k in 0 1; do "$mmsim" sweep "$root/tests/data/economics/psa_economics.toml" -o shards --shard $k/2 -q || fail=1; done
"$mmsim" merge shards -q >/dev/null 2>&1 || "$mmsim" merge shards >/dev/null || fail=1
cmp -s whole/economics.csv shards/economics.csv || { echo "FAIL sharded economics.csv differs"; fail=1; }
python3 - whole/economics.csv <<'PY' || fail=1
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["strategy"] == "standard" and r["replicate"] == "0"]
# cost = therapy_cost x (discounted months on therapy) + the rest, the same patients at every point.
pts = sorted((float(r["therapy_cost"]), float(r["cost"]), float(r["qaly"])) for r in rows)
if len({q for _, _, q in pts}) != 1: print("FAIL the reference strategy's QALYs change with a cost"); sys.exit(1)
(x0, y0, _), (x1, y1, _), (x2, y2, _) = pts
slope = (y1 - y0) / (x1 - x0)
if abs(y2 - (y0 + slope * (x2 - x0))) > 1e-6 * y2: print("FAIL cost not linear in the swept cost"); sys.exit(1)
PY
exit $fail
