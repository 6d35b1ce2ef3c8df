#!/usr/bin/env bash
# mmsim report end to end on the reference illness-death model with two strategies
# (tests/data/report/two_strategies.toml):
#   * the four formats parse (csv, json with every documented key, markdown, table), --reference, --endpoint,
#     --target-se;
#   * a --summary-only run prints and stores the same numbers as a full run with the same seed, and
#     `mmsim report` on it prints the stored summaries;
#   * bad options exit 2 with a message naming the option;
#   * R's survival package on the run's own columns gives the report's HR and its naive and cluster-robust
#     (cluster = patient id) CIs (1e-6), log-rank chi-square, RMST
#     and its SE, median and landmark survival (1e-8);
#   * scripts/plot_km.py writes a non-empty PNG and SVG, from a full and from a summary-only file.
# Under CI=true a missing Rscript fails the test; otherwise the R part is skipped with a note.
source "$2/tests/cli/lib.sh"
cfg="$root/tests/data/report/two_strategies.toml"

"$mmsim" run "$cfg" -o "$work/full.h5" --seed 7 --threads 2 --format json >"$work/run_full.out" 2>"$work/err" ||
  { cat "$work/err"; echo "FAIL: mmsim run"; exit 1; }
"$mmsim" run "$cfg" -o "$work/summary.h5" --seed 7 --threads 2 --summary-only --format json \
  >"$work/run_summary.out" 2>"$work/err" || { cat "$work/err"; echo "FAIL: mmsim run --summary-only"; exit 1; }

# The run prints the report then a "wrote ..." line.
head -n -1 "$work/run_full.out" >"$work/run_full.json"
head -n -1 "$work/run_summary.out" >"$work/run_summary.json"
"$mmsim" report "$work/full.h5" --format json >"$work/report.json" || note_fail "report --format json"
"$mmsim" report "$work/summary.h5" --format json >"$work/report_summary.json" || note_fail "report on a summary-only file"
cmp -s "$work/run_full.json" "$work/report.json" || note_fail "mmsim run (full) and mmsim report print different JSON"
cmp -s "$work/run_summary.json" "$work/report.json" ||
  note_fail "a --summary-only run prints other numbers than a full run with the same seed"
cmp -s "$work/report_summary.json" "$work/report.json" ||
  note_fail "mmsim report on the --summary-only file differs from the full run's report"

for f in table csv markdown; do
  "$mmsim" report "$work/full.h5" --format $f >"$work/report.$f" || note_fail "report --format $f"
  [[ -s "$work/report.$f" ]] || note_fail "report --format $f printed nothing"
done
grep -q "Comparisons with reference 'standard': HR from Cox (Efron ties), its CI from the cluster-robust" "$work/report.table" || note_fail "table lacks the comparisons"
grep -q '^| better | pfs |' "$work/report.markdown" || note_fail "markdown lacks the row of better/pfs"

$py - "$work" <<'PY' || fail=1
import csv, json, sys
w = sys.argv[1]
r = json.load(open(f"{w}/report.json"))
assert [s["name"] for s in r["strategies"]] == ["standard", "better"], r["strategies"]
assert r["reference"] == "standard" and r["patients"] == 3000 and r["target_se"] is None
for s in r["strategies"]:
    for name in ("pfs", "os"):
        e = s["endpoints"][name]
        for k in ("n", "events", "median", "median_ci_low", "median_ci_high", "rmst", "rmst_se", "rmst_horizon"):
            assert k in e, (name, k)
        assert [l["time"] for l in e["survival"]] == [6, 12, 24, 60]
        assert all(set(l) >= {"time", "surv", "se", "ci_low", "ci_high"} for l in e["survival"])
        assert e["rmst_horizon"] == 120
keys = ("strategy", "reference", "endpoint", "hr", "hr_ci_low", "hr_ci_high", "logrank_chisq", "logrank_p",
        "rmst_diff", "rmst_diff_se", "rmst_diff_se_unpaired", "rmst_diff_ci_low", "rmst_diff_ci_high",
        "survival_diff")
assert len(r["comparisons"]) == 2
for c in r["comparisons"]:
    assert all(k in c for k in keys), c
    assert c["strategy"] == "better" and c["reference"] == "standard"
    assert c["rmst_diff_se"] < c["rmst_diff_se_unpaired"], c
pfs = r["comparisons"][0]
assert pfs["endpoint"] == "pfs" and 0.7 < pfs["hr"] < 0.9 and pfs["rmst_diff"] > 0, pfs
rows = list(csv.DictReader(open(f"{w}/report.csv")))
assert {row["section"] for row in rows} >= {"summary", "survival", "comparison", "survival_diff"}
summ = [row for row in rows if row["section"] == "summary" and row["strategy"] == "better" and row["endpoint"] == "os"]
assert len(summ) == 1 and abs(float(summ[0]["rmst"]) - r["strategies"][1]["endpoints"]["os"]["rmst"]) < 1e-8
PY

# --reference, --endpoint, --landmarks, --rmst-horizon, --target-se.
"$mmsim" report "$work/full.h5" --reference better --endpoint os --landmarks 3,36 --rmst-horizon 60 \
  --target-se 0.05 --format json >"$work/options.json" || note_fail "report with options"
"$mmsim" report "$work/summary.h5" --target-se 0.05 --endpoint os >"$work/summary_target.txt" ||
  note_fail "report --target-se on the summary-only file"
grep -q "patients needed for an SE of 0.05" "$work/summary_target.txt" || note_fail "--target-se prints no planning"
$py - "$work" <<'PY' || fail=1
import json, math, sys
w = sys.argv[1]
base = json.load(open(f"{w}/report.json"))
r = json.load(open(f"{w}/options.json"))
assert r["reference"] == "better" and r["target_se"] == 0.05
assert list(r["strategies"][0]["endpoints"]) == ["os"]
e = r["strategies"][0]["endpoints"]["os"]
assert [l["time"] for l in e["survival"]] == [3, 36] and e["rmst_horizon"] == 60
assert e["rmst_patients_needed"] == math.ceil(3000 * (e["rmst_se"] / 0.05) ** 2)
(c,) = r["comparisons"]
assert c["strategy"] == "standard" and c["reference"] == "better" and c["endpoint"] == "os"
b = base["comparisons"][1]
assert abs(c["hr"] * b["hr"] - 1) < 1e-6, (c["hr"], b["hr"])
assert abs(c["logrank_chisq"] - b["logrank_chisq"]) < 1e-8 * b["logrank_chisq"]
assert c["rmst_diff_patients_needed"] == math.ceil(3000 * (c["rmst_diff_se"] / 0.05) ** 2)
assert c["rmst_diff_patients_needed"] < c["rmst_diff_patients_needed_unpaired"]
PY

# Bad options: exit 2 and a message naming the problem.
expect_error() {
  local fragment=$1
  shift
  "$mmsim" report "$@" >"$work/bad.out" 2>"$work/bad.err"
  local code=$?
  [[ $code -eq 2 ]] || note_fail "mmsim report $*: exit $code, expected 2"
  grep -qF -- "$fragment" "$work/bad.err" || note_fail "mmsim report $*: message lacks '$fragment': $(cat "$work/bad.err")"
}
expect_error "--format: unknown format 'xml'" "$work/full.h5" --format xml
expect_error "--endpoint: unknown endpoint 'pfs2'" "$work/full.h5" --endpoint pfs,pfs2
expect_error "--reference: unknown strategy 'nope'" "$work/full.h5" --reference nope
expect_error "--landmarks: 'x' is not a time" "$work/full.h5" --landmarks 6,x
expect_error "--rmst-horizon must be" "$work/full.h5" --rmst-horizon -1
expect_error "--target-se: '0' is not a positive" "$work/full.h5" --target-se 0
expect_error "--landmarks: " "$work/summary.h5" --landmarks 3
expect_error "no-such.h5" "$work/no-such.h5"
expect_error "name the run file" --format json

# The R oracle on the run's own columns.
if ! command -v Rscript >/dev/null 2>&1; then
  if [[ "${CI:-}" == true ]]; then note_fail "Rscript is missing (r-base-core, r-cran-survival)"; else
    echo "note: Rscript missing, R oracle skipped"; fi
else
  $py - "$work" <<'PY' || fail=1
import h5py, sys
w = sys.argv[1]
with h5py.File(f"{w}/full.h5", "r") as f, open(f"{w}/columns.csv", "w") as out:
    out.write("endpoint,group,id,time,status\n")
    for g, s in enumerate(["standard", "better"]):
        tab = f[f"/strategies/{s}/patients"]
        for ep in ("pfs", "os"):
            t = tab.fields(f"{ep}_time")[:]
            e = tab.fields(f"{ep}_event")[:]
            for i, (ti, ei) in enumerate(zip(t, e)):
                out.write(f"{ep},{g},{i},{ti!r},{int(ei)}\n")
PY
  cat >"$work/oracle.R" <<'R'
suppressPackageStartupMessages(library(survival))
w <- commandArgs(trailingOnly = TRUE)[1]
d <- read.csv(file.path(w, "columns.csv"))
con <- file(file.path(w, "r.out"), "w")
emit <- function(...) writeLines(paste(c(...), collapse = " "), con)
num <- function(v) sprintf("%.17g", v)
for (ep in c("pfs", "os")) {
  x <- na.omit(d[d$endpoint == ep, ])
  fit <- coxph(Surv(time, status) ~ group, data = x, ties = "efron", control = coxph.control(timefix = FALSE))
  emit(ep, "hr", num(exp(coef(fit))))
  emit(ep, "se_log_hr", num(sqrt(vcov(fit)[1, 1])))
  robust <- coxph(Surv(time, status) ~ group, data = x, ties = "efron", cluster = id,
                  control = coxph.control(timefix = FALSE))
  emit(ep, "se_log_hr_paired", num(sqrt(vcov(robust)[1, 1])))
  # survdiff(timefix = FALSE) breaks in survival 3.5-3 and its default merges near-tied simulated times
  # (aeqSurv): call its workhorse survdiff.fit on the exact times and form the statistic as survdiff does.
  lr <- survival:::survdiff.fit(Surv(x$time, x$status), factor(x$group), rep(1, nrow(x)), 0)
  o_e <- (lr$observed - lr$expected)[-1]
  emit(ep, "logrank_chisq", num(sum(solve(lr$var[-1, -1, drop = FALSE], o_e) * o_e)))
  for (g in 0:1) {
    km <- survfit(Surv(time, status) ~ 1, data = x[x$group == g, ], conf.type = "log-log", timefix = FALSE)
    tab <- summary(km, rmean = 120)$table
    emit(ep, g, "rmst", num(tab[["rmean"]]), num(tab[["se(rmean)"]]))
    q <- quantile(km, 0.5)
    emit(ep, g, "median", num(q$quantile), num(q$lower), num(q$upper))
    s <- summary(km, times = c(6, 12, 24), extend = TRUE)
    emit(ep, g, "surv", num(s$surv), num(s$std.err), num(s$lower), num(s$upper))
  }
}
close(con)
R
  Rscript "$work/oracle.R" "$work" 2>"$work/r.err" || { cat "$work/r.err"; note_fail "Rscript failed"; }
  $py - "$work" <<'PY' || fail=1
import json, sys
w = sys.argv[1]
r = json.load(open(f"{w}/report.json"))
names = ["standard", "better"]
bad = []
def close(what, mine, ref, tol):
    if abs(mine - ref) > tol * max(1.0, abs(ref)):
        bad.append(f"{what}: mmsim {mine!r} R {ref!r}")
checked = 0
for line in open(f"{w}/r.out"):
    p = line.split()
    ep = p[0]
    comp = next(c for c in r["comparisons"] if c["endpoint"] == ep)
    if p[1] == "hr":
        close(f"{ep} hr", comp["hr"], float(p[2]), 1e-6)
    elif p[1] == "se_log_hr":
        import math
        mine = (math.log(comp["hr_ci_high"]) - math.log(comp["hr_ci_low"])) / (2 * 1.959963984540054)
        close(f"{ep} se(log hr)", mine, float(p[2]), 1e-6)
    elif p[1] == "se_log_hr_paired":
        import math
        mine = (math.log(comp["hr_ci_high_paired"]) - math.log(comp["hr_ci_low_paired"])) / (2 * 1.959963984540054)
        close(f"{ep} cluster-robust se(log hr)", mine, float(p[2]), 1e-6)
    elif p[1] == "logrank_chisq":
        close(f"{ep} log-rank", comp["logrank_chisq"], float(p[2]), 1e-8)
    else:
        e = r["strategies"][int(p[1])]["endpoints"][ep]
        v = [float(x) for x in p[3:]]
        if p[2] == "rmst":
            close(f"{ep}/{p[1]} rmst", e["rmst"], v[0], 1e-8)
            close(f"{ep}/{p[1]} rmst se", e["rmst_se"], v[1], 1e-8)
        elif p[2] == "median":
            for k, x in zip(("median", "median_ci_low", "median_ci_high"), v):
                close(f"{ep}/{p[1]} {k}", e[k], x, 1e-8)
        elif p[2] == "surv":
            for i in range(3):
                l = e["survival"][i]
                close(f"{ep}/{p[1]} S({l['time']})", l["surv"], v[i], 1e-8)
                close(f"{ep}/{p[1]} se S({l['time']})", l["se"], v[3 + i], 1e-8)
                close(f"{ep}/{p[1]} lower S({l['time']})", l["ci_low"], v[6 + i], 1e-8)
                close(f"{ep}/{p[1]} upper S({l['time']})", l["ci_high"], v[9 + i], 1e-8)
    checked += 1
assert checked == 2 * 10, checked
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
fi

# The KM figure (every figure type: test_plot_figures.sh). It is drawn from the curves stored with the
# summaries, so a summary-only file plots too.
for ext in png svg; do
  $py "$root/scripts/plot_km.py" "$work/full.h5" --endpoint pfs --out "$work/km.$ext" >"$work/plot.out" 2>&1 ||
    { cat "$work/plot.out"; note_fail "plot_km.py failed"; }
done
[[ -s "$work/km.png" && -s "$work/km.svg" ]] || note_fail "plot_km.py wrote no PNG/SVG"
$py "$root/scripts/plot_km.py" "$work/summary.h5" --out "$work/summary_km.png" >"$work/plot_s.out" 2>&1 ||
  { cat "$work/plot_s.out"; note_fail "plot_km.py on a summary-only file failed"; }
if [[ -n "${MMSIM_KEEP_PLOT:-}" ]]; then cp "$work/km.png" "$MMSIM_KEEP_PLOT"; fi

[[ $fail -eq 0 ]] && echo "report CLI: all checks passed"
exit $fail
