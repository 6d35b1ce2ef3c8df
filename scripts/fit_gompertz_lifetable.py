#!/usr/bin/python3
"""Least-squares Gompertz fit to the US 2020 period life table rows of the evidence digest.

Reads models/myeloma/evidence/evidence.csv (rows B116-B137: annual death probability q_x at exact ages
40, 45, ..., 90, by sex; US SSA period life table 2020, read from a transcription - see the rows' source),
converts each q_x to an annual force of mortality mu_x = -ln(1 - q_x) (constant hazard within the year of
age), and fits
        mu(x) = a * exp(b * x)          (x = age in years, mu per year)
by ordinary least squares on ln(mu) (the usual linearisation: ln mu = ln a + b x), for each sex.

Prints the fitted values in the units the model uses (per month, age in years) together with the fit
quality (R^2 on ln mu, maximum absolute relative error of the fitted q_x against the table), and, with
--toml, the [background_mortality] tables for models/myeloma/params/background_mortality.toml.

Run from the repository root:   /usr/bin/python3 scripts/fit_gompertz_lifetable.py [--toml]
Only numpy and the standard library are used.
"""
import csv
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE = ROOT / "models" / "myeloma" / "evidence" / "evidence.csv"


def read_rows():
    rows = {"male": [], "female": []}
    with open(EVIDENCE, newline="") as fh:
        for r in csv.DictReader(fh):
            if r["setting"] != "background_mortality" or r["endpoint"] != "q_x":
                continue
            pop = r["population"]
            sex = "female" if ", female," in pop else "male" if ", male," in pop else None
            if sex is None:
                raise SystemExit(f"{r['id']}: cannot read sex from population '{pop}'")
            age = float(pop.split("exact age ")[1].split(" ")[0])
            rows[sex].append((r["id"], age, float(r["value"])))
    for sex in rows:
        rows[sex].sort(key=lambda t: t[1])
        if len(rows[sex]) < 3:
            raise SystemExit(f"too few life-table rows for {sex}")
    return rows


def fit(points):
    ages = np.array([p[1] for p in points])
    q = np.array([p[2] for p in points])
    mu = -np.log1p(-q)                      # annual force of mortality
    X = np.column_stack([np.ones_like(ages), ages])
    coef, *_ = np.linalg.lstsq(X, np.log(mu), rcond=None)
    ln_a, b = coef
    pred = X @ coef
    ss_res = float(np.sum((np.log(mu) - pred) ** 2))
    ss_tot = float(np.sum((np.log(mu) - np.log(mu).mean()) ** 2))
    r2 = 1.0 - ss_res / ss_tot
    q_fit = 1.0 - np.exp(-np.exp(pred))
    rel_err = (q_fit - q) / q
    return {
        "a_per_year": math.exp(ln_a),
        "b_per_year_of_age": float(b),
        "r2_log_mu": r2,
        "rmse_log_mu": math.sqrt(ss_res / len(ages)),
        "max_abs_rel_err_q": float(np.max(np.abs(rel_err))),
        "ages": ages, "q": q, "q_fit": q_fit, "rel_err": rel_err,
        "ids": [p[0] for p in points],
    }


def main():
    rows = read_rows()
    want_toml = "--toml" in sys.argv[1:]
    results = {sex: fit(pts) for sex, pts in rows.items()}
    if not want_toml:
        for sex, f in results.items():
            print(f"== {sex}: mu(age) = a exp(b age), per year")
            print(f"   a = {f['a_per_year']:.6e} /year   b = {f['b_per_year_of_age']:.6f} /year of age")
            print(f"   per month: a_month = a/12 = {f['a_per_year'] / 12:.6e}")
            print(f"   R^2 (ln mu) = {f['r2_log_mu']:.5f}  RMSE(ln mu) = {f['rmse_log_mu']:.4f}"
                  f"  max |rel err q| = {f['max_abs_rel_err_q']:.3f}")
            for i, age in enumerate(f["ages"]):
                print(f"   {f['ids'][i]} age {age:4.0f}  q={f['q'][i]:.6f}  fit={f['q_fit'][i]:.6f}"
                      f"  rel.err={f['rel_err'][i]:+.3f}")
        return
    for sex, f in results.items():
        ids = f["ids"]
        print(f"[background_mortality.{sex}]")
        print(f"# mu(age) = rate_per_month * exp(shape_per_year_of_age * age_years); fitted by "
              f"scripts/fit_gompertz_lifetable.py")
        print(f"rate_per_month = {f['a_per_year'] / 12:.6e}")
        print(f"shape_per_year_of_age = {f['b_per_year_of_age']:.6f}")
        print(f"fit_r2_log_hazard = {f['r2_log_mu']:.5f}")
        print(f"fit_max_abs_rel_err_q = {f['max_abs_rel_err_q']:.4f}")
        print(f"fit_ages = [{f['ages'].min():.0f}, {f['ages'].max():.0f}]")
        print(f'source = "least-squares Gompertz fit on ln(-ln(1-q_x)) to {ids[0]}-{ids[-1]} '
              f'(US SSA period life table 2020, transcription; ages 40-90 not cross-checked)"')
        print()


if __name__ == "__main__":
    main()
