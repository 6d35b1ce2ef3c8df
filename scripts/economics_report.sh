#!/usr/bin/env bash
# Regenerates results/economics.md in one command: the flagship economics scenario
# (configs/economics/post_cart_salvage_economics.toml), a small PSA of it (configs/economics/psa_economics.toml
# with fewer samples and patients), `mmsim voi` on the PSA (CEAC, CEAF, EVPI, EVPPI), the CE figures
# (scripts/plot_ce.py), and a face-validity paragraph: each strategy's undiscounted total cost against what its
# CAR-T infusions and months on priced drugs cost at list price (models/myeloma/params/economics.toml).
#
#   scripts/economics_report.sh [--mmsim BIN] [--patients N] [--samples S] [--psa-patients P] [--threads T]
#                               [--out FILE] [--work DIR] [--scenario FILE] [--no-psa]
# Defaults: build/release/mmsim, 20000 patients (the flagship's), 100 PSA samples of 2000 patients, all cores,
# results/economics.md, a temporary work folder (kept with --work). Figures go to the folder `economics/` beside
# the output file (results/economics/ by default).
# --scenario: another economics scenario for the deterministic part; --no-psa: skip the PSA and VOI sections.
# Needs an mmsim with the economics layer ([economics] table, sweep economics.csv: docs/economics.md) and
# /usr/bin/python3 with numpy and matplotlib. Exit 2 when an input is missing or the binary lacks economics.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mmsim="$root/build/release/mmsim"
patients=20000
samples=100
psa_patients=2000
threads=0
out="$root/results/economics.md"
work=""
scenario_opt=""
no_psa=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mmsim) mmsim=$2; shift 2 ;;
    --patients) patients=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    --psa-patients) psa_patients=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --scenario) scenario_opt=$2; shift 2 ;;
    --no-psa) no_psa=1; shift ;;
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) echo "economics_report.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$patients" "$samples" "$psa_patients" "$threads"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "economics_report.sh: '$n' is not a non-negative integer" >&2; exit 2; }
done
[[ -x "$mmsim" ]] || { echo "economics_report.sh: $mmsim: not an executable (build: scripts/build.sh release)" >&2; exit 2; }
py=/usr/bin/python3
scenario="${scenario_opt:-$root/configs/economics/post_cart_salvage_economics.toml}"
psa="$root/configs/economics/psa_economics.toml"
params="$root/models/myeloma/params/economics.toml"
if ! "$mmsim" check "$scenario" >/dev/null 2>"${TMPDIR:-/tmp}/economics_report.check.$$"; then
  echo "economics_report.sh: $mmsim cannot run $scenario (an mmsim with the [economics] layer is needed):" >&2
  cat "${TMPDIR:-/tmp}/economics_report.check.$$" >&2
  rm -f "${TMPDIR:-/tmp}/economics_report.check.$$"
  exit 2
fi
rm -f "${TMPDIR:-/tmp}/economics_report.check.$$"
if [[ -z "$work" ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$(dirname "$out")"
figures="$(cd "$(dirname "$out")" && pwd)/economics"
mkdir -p "$work" "$figures"

echo "economics_report: flagship economics, $patients patients" >&2
"$mmsim" run "$scenario" --patients "$patients" --threads "$threads" -o "$work/flagship.h5" >"$work/run.txt"
"$mmsim" export "$work/flagship.h5" --table lines -o "$work/lines.csv"

if [[ $no_psa -eq 0 ]]; then
echo "economics_report: PSA, $samples samples x $psa_patients patients" >&2
sed -e "s|^base = .*|base = \"$scenario\"|" -e "s|^samples = .*|samples = $samples|" -e "s|^patients = .*|patients = $psa_patients|" \
  "$psa" >"$work/psa.toml"
"$mmsim" sweep "$work/psa.toml" -o "$work/psa" --threads "$threads" -q
[[ -s "$work/psa/economics.csv" ]] || { echo "economics_report.sh: the sweep wrote no economics.csv" >&2; exit 1; }
"$mmsim" voi "$work/psa" --wtp 0:300000:10000 --evppi-wtp 100000,150000,200000 \
  --group clinical=cilta_cr,ide_cr,hr_prior_same_target --group utilities=u_responding,u_progressed \
  --group prices=cart_procedure_cost,investigational_cart_price -o "$work/voi" --format markdown >"$work/voi_full.md"
"$mmsim" voi "$work/psa" --wtp 50000,100000,150000,200000 \
  --group clinical=cilta_cr,ide_cr,hr_prior_same_target --group utilities=u_responding,u_progressed \
  --group prices=cart_procedure_cost,investigational_cart_price --format markdown >"$work/voi.md"
"$py" "$root/scripts/plot_ce.py" "$work/voi" --wtp 150000 --out "$figures/ce" >/dev/null
else
  : >"$work/voi.md"
fi

"$py" - "$work" "$params" "$out" "$patients" "$samples" "$psa_patients" "$("$mmsim" --version | head -1)" <<'PYEOF'
import csv, math, os, sys, tomllib
from collections import defaultdict
work, params, out, patients, samples, psa_patients, version = sys.argv[1:8]
patients = int(patients)
econ = tomllib.load(open(params, "rb"))["economics"]
run = open(os.path.join(work, "run.txt")).read().splitlines()

# The run's per-strategy economics table: the line after the header that starts "strategy" and names "cost (USD)".
start = next(i for i, l in enumerate(run) if l.startswith("strategy") and "cost (USD)" in l)
totals = {}
for l in run[start + 1:]:
    f = l.split()
    if len(f) < 10:
        break
    totals[f[0]] = {"cost": float(f[1]), "qaly": float(f[3]), "ly": float(f[5]), "cost_u": float(f[7])}
# Without the run's "wrote <temporary file> in N s" line: it changes on every run and names a deleted file.
econ_text = "\n".join(l for l in run[start - 1:] if not l.startswith("wrote "))

# Face validity: per strategy, CAR-T infusions and months on each priced drug (undiscounted), from the lines table.
one_off = {}  # therapy -> product price
for item in econ["costs"]["line"]:
    if "product" in item["name"]:
        th = item["match"]["therapy"]
        for t in ([th] if isinstance(th, str) else th):
            one_off[t] = item["cost"]
monthly = {}  # therapy -> phases
for item in econ["costs"]["treatment"]:
    th = item.get("match", {}).get("therapy")
    if th is None or "acquisition" not in item["name"]:
        continue
    for t in ([th] if isinstance(th, str) else th):
        monthly[t] = item["phases"]
def phase_cost(phases, months):
    total, left = 0.0, months
    for p in phases:
        d = p.get("months", left)
        d = min(d, left)
        total += d * p["cost"]
        left -= d
        if left <= 0:
            break
    return total
horizon = float(econ.get("horizon", 120.0))
infusions = defaultdict(float); bsab_months = defaultdict(float); drug = defaultdict(float)
with open(os.path.join(work, "lines.csv")) as f:
    for r in csv.DictReader(f):
        s, t = r["strategy"], r["therapy"]
        inf = float(r["infusion"]) if r["infusion"] not in ("", "nan", "NaN") else math.nan
        end = min(float(r["end"]), horizon)
        if math.isnan(inf) or inf >= horizon:
            continue
        if t in one_off:
            infusions[s] += 1.0 / patients
            drug[s] += one_off[t] / patients
        if t in monthly:
            bsab_months[s] += (end - inf) / patients
            drug[s] += phase_cost(monthly[t], end - inf) / patients

lines = [f"# Health economics of the flagship scenario", "",
         f"Generated by `scripts/economics_report.sh` ({version}); do not edit by hand. Scenario",
         "`configs/economics/post_cart_salvage_economics.toml` (the flagship with",
         "`models/myeloma/params/economics.toml`: US list prices, utilities and disutilities; every number's source",
         "is there, as an evidence row H### or an assumption-register key econ_* of docs/model.md E3).",
         (f"{patients} patients per strategy; PSA: {samples} draws x {psa_patients} patients "
          "(`configs/economics/psa_economics.toml`); figures: `economics/ce_*.png` beside this file."
          if os.path.getsize(os.path.join(work, "voi.md")) else f"{patients} patients per strategy; PSA not run."), "",
         "## Costs, QALYs, ICERs and net monetary benefit (mmsim run)", "", "```", econ_text, "```", "",
         "## Face validity: total costs against list prices and treatment durations", "",
         "| strategy | CAR-T infusions / patient | months on priced drugs / patient | list-price drug cost (undiscounted) | total cost (undiscounted) | drug share |",
         "|---|---|---|---|---|---|"]
for s, t in totals.items():
    share = drug[s] / t["cost_u"] if t["cost_u"] > 0 else math.nan
    lines.append(f"| {s} | {infusions[s]:.2f} | {bsab_months[s]:.1f} | {drug[s]:,.0f} | {t['cost_u']:,.0f} | {share:.0%} |")
lo = min(totals, key=lambda s: totals[s]["cost_u"]); hi = max(totals, key=lambda s: totals[s]["cost_u"])
lines += ["",
          f"Every strategy starts with a commercial BCMA CAR-T (ide-cel USD 419,500, H001, or cilta-cel USD 465,000,",
          f"H002, half each), so about USD 442,000 plus the procedure (USD 60,000, assumption) is common to all;",
          f"the strategies differ by what follows relapse. Totals range from USD {totals[lo]['cost_u']:,.0f} ({lo}) to",
          f"USD {totals[hi]['cost_u']:,.0f} ({hi}) undiscounted over {horizon:.0f} months. The list-price cost of the",
          "CAR-T products and the months on bispecifics (teclistamab USD 39,500 a month, H003; talquetamab 45,000,",
          "H006; elranatamab 41,500, H004) explain the share shown; the rest is procedures, toxicity, conventional",
          "regimens (assumption), monitoring, supportive and end-of-life care. A bispecific course of 6-10 months",
          "at list price is USD 240,000-450,000 (the manufacturers' own estimates: H003, H006), the order of one",
          "CAR-T product; a strategy that re-treats with CAR-T pays a second product for each re-treated patient.", "",
          "## Value of information (PSA)", "", open(os.path.join(work, "voi.md")).read().replace("## Value", "### Value")
          or "(not run: --no-psa)", ""]
if os.path.getsize(os.path.join(work, "voi.md")):
    lines += ["CE plane, CEAC, CEAF and EVPI curves: `results/economics/ce_plane.png`, `ce_ceac.png`, `ce_ceaf.png`,",
              "`ce_evpi.png`. EVPI and EVPPI are per patient; multiply by the number of patients affected by the",
              "decision for the population value. Methods: docs/economics_voi.md.", ""]
tmp = out + ".tmp"
with open(tmp, "w") as f:
    f.write("\n".join(lines))
os.replace(tmp, out)
print(f"wrote {out}")
PYEOF
