#!/usr/bin/python3
"""Writes results/flagship.md from the files scripts/flagship_report.sh leaves in its work folder: the base
case's report (base.json), a PSA (psa/sweep.csv, psa/points.csv, psa_list.txt, psa_warnings.txt) and a
one-way sweep (oneway/, through plot_tornado.tornado). Strategies, endpoints and parameters are read from
those files, never listed here, so the report follows the scenario as it changes. Standard library only.
"""
import argparse
import csv
import json
import math
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plot_tornado import tornado  # noqa: E402

ENDPOINTS = [("pfs_after_relapse", "PFS after relapse"), ("os_after_relapse", "OS after relapse")]


def number(text):
    return float("nan") if text in ("", "NA", None) else float(text)


def f1(v):
    return "n/a" if v is None or not math.isfinite(v) else f"{v:.1f}"


def f2(v):
    return "n/a" if v is None or not math.isfinite(v) else f"{v:.2f}"


def ci(lo, hi, digits=1):
    if lo is None or hi is None or not (math.isfinite(lo) and math.isfinite(hi)):
        return "n/a"
    return f"{lo:.{digits}f} to {hi:.{digits}f}"


def base_section(base, reference):
    strategies = [s["name"] for s in base["strategies"]]
    comp = {(c["strategy"], c["endpoint"]): c for c in base["comparisons"]}
    lines = []
    for ep, title in ENDPOINTS:
        lines += [f"**{title}** (months from the first relapse; RMST to {base_rmst_horizon(base, ep):g} months; "
                  f"paired differences: arm minus {reference}, the same patients in every arm)", "",
                  "| arm | relapsed (n) | median (95% CI) | RMST (SE) | RMST difference (95% CI) | HR vs "
                  f"{reference} (95% CI) |", "|---|---|---|---|---|---|"]
        for s in base["strategies"]:
            e = s["endpoints"][ep]
            c = comp.get((s["name"], ep))
            if s["name"] == reference or c is None:
                diff, hr = "reference", "reference"
            else:
                diff = f"{c['rmst_diff']:+.2f} ({ci(c['rmst_diff_ci_low'], c['rmst_diff_ci_high'], 2)})"
                hr = f"{f2(c['hr'])} ({ci(c['hr_ci_low'], c['hr_ci_high'], 2)})"
            lines.append(f"| {s['name']} | {e['n']} | {f1(e['median'])} ({ci(e['median_ci_low'], e['median_ci_high'])})"
                         f" | {f2(e['rmst'])} ({f2(e['rmst_se'])}) | {diff} | {hr} |")
        lines.append("")
    return strategies, lines


def base_rmst_horizon(base, ep):
    return float(base["strategies"][0]["endpoints"][ep]["rmst_horizon"])


def psa_section(work, reference):
    rows = list(csv.DictReader(open(os.path.join(work, "psa", "sweep.csv"), newline="")))
    strategies = list(dict.fromkeys(r["strategy"] for r in rows))
    rmst = {}  # (endpoint, point, replicate) -> {strategy: rmst}
    diffs = {s: [] for s in strategies}
    paired_se = []
    for r in rows:
        rmst.setdefault((r["endpoint"], r["point"], r["replicate"]), {})[r["strategy"]] = number(r["rmst"])
        if r["endpoint"] == "os_after_relapse" and r["strategy"] != reference:
            diffs[r["strategy"]].append(number(r["rmst_diff"]))
            paired_se.append(number(r["rmst_diff_se"]))
    draws = sorted({(p, q) for (_, p, q) in rmst})

    def p_best(ep, same_index_line):
        """Share of draws at which each arm is best; None for an arm never in the comparison."""
        counts = {s: 0 for s in strategies}
        compared = set()
        for p, q in draws:
            values = rmst[(ep, p, q)]
            if same_index_line:
                index = rmst[("pfs", p, q)]
                values = {s: v for s, v in values.items() if index[s] == index[reference]}
            compared |= set(values)
            counts[max(values, key=values.get)] += 1
        return {s: counts[s] / len(draws) if s in compared else None for s in strategies}

    def share(p):
        return "n/a (another index line)" if p is None else f"{p:.3f}"

    same_os, all_os, same_pfs = (p_best("os_after_relapse", True), p_best("os_after_relapse", False),
                                 p_best("pfs_after_relapse", True))
    lines = ["| arm | P(best), OS after relapse | P(best), OS after relapse, every arm | P(best), PFS after relapse | OS-after-relapse "
             f"RMST difference vs {reference}: mean (2.5-97.5% of draws) |", "|---|---|---|---|---|"]
    for s in strategies:
        if s == reference:
            d = "reference"
        else:
            xs = sorted(x for x in diffs[s] if math.isfinite(x))
            lo, hi = xs[int(0.025 * (len(xs) - 1))], xs[int(math.ceil(0.975 * (len(xs) - 1)))]
            d = f"{statistics.fmean(xs):+.2f} ({lo:+.2f} to {hi:+.2f})"
        lines.append(f"| {s} | {share(same_os[s])} | {share(all_os[s])} | {share(same_pfs[s])} | {d} |")
    se_p = max(math.sqrt(p * (1 - p) / len(draws)) for p in list(same_os.values()) + list(all_os.values())
               if p is not None)
    finite = [x for x in paired_se if math.isfinite(x)]
    return lines, len(draws), se_p, statistics.median(finite) if finite else float("nan")


LAW_LINE = re.compile(r"^# p\d+ (\S+) = (\S+) \(base ([^)]*)\)(, renormalized)?: (.*)$")


def laws_section(work):
    laws = []
    for line in open(os.path.join(work, "psa_list.txt")):
        m = LAW_LINE.match(line.rstrip("\n"))
        if m:
            laws.append((m.group(1), m.group(2), float(m.group(3)), m.group(5)))
    points = list(csv.DictReader(open(os.path.join(work, "psa", "points.csv"), newline="")))
    warnings = [w for w in open(os.path.join(work, "psa_warnings.txt")).read().splitlines() if "warning" in w]
    lines = ["| parameter | path | base (resolved, calibrated) | law | mean of the draws (SE) |",
             "|---|---|---|---|---|"]
    for name, path, base, law in laws:
        xs = [number(p[name]) for p in points]
        mean, se = statistics.fmean(xs), statistics.stdev(xs) / math.sqrt(len(xs))
        lines.append(f"| {name} | `{path}` | {base:.6g} | {law} | {mean:.4g} ({se:.2g}) |")
    return lines, laws, warnings


def main():
    ap = argparse.ArgumentParser()
    for k in ("work", "out", "reference", "revision"):
        ap.add_argument(f"--{k}", required=True)
    for k in ("base-patients", "psa-samples", "psa-patients", "oneway-patients", "threads", "seconds"):
        ap.add_argument(f"--{k}", type=int, required=True)
    a = ap.parse_args()
    base = json.load(open(os.path.join(a.work, "base.json")))
    strategies, base_lines = base_section(base, a.reference)
    psa_lines, draws, se_p, paired_se = psa_section(a.work, a.reference)
    law_lines, laws, warnings = laws_section(a.work)
    t = tornado(os.path.join(a.work, "oneway"), "os_after_relapse", a.reference, None)
    top = t["rows"][:5]

    md = [
        "# The flagship's answer: salvage after relapse from BCMA CAR-T",
        "",
        f"Scenario `configs/post_cart_salvage.toml`, {len(strategies)} arms ({', '.join(strategies)}); every arm "
        "gives the same index CAR-T, so the arms differ from the first relapse on. Generated by "
        f"`scripts/flagship_report.sh` (mmsim git {a.revision}, {a.seconds} s on {a.threads} threads); do not "
        "edit by hand.",
        "",
        "Sample sizes and Monte Carlo error:",
        f"- base case: {a.base_patients:,} patients (the SEs and 95% CIs below are the Monte Carlo error);",
        f"- PSA: {a.psa_samples} draws of `configs/sweeps/psa.toml` (its laws: `configs/sweeps/"
        f"flagship_parameters.toml`) x {a.psa_patients:,} patients. The SE of a probability of being best is at "
        f"most {se_p:.3f} from the number of draws; each draw's ranking also carries the noise of its cohort "
        f"(median paired SE of an OS-after-relapse RMST difference at one draw: {paired_se:.2f} months), so arms "
        "closer than that split their wins partly by chance;",
        f"- one-way: {len(t['rows'])} parameters at the 2.5% and 97.5% quantiles of their PSA laws, "
        f"{a.oneway_patients:,} patients per point, common random numbers (the same patients at every point, so "
        "a swing is the parameter's effect, not noise of a new cohort).",
        "",
        "## 1. PFS and OS after relapse per arm (base case)",
        "",
        *base_lines,
        "RMSTs run to the scenario horizon (120 months); follow-up after a relapse is shorter than that, and the "
        "curve is carried flat past its last time (flagged `rmst_extrapolated`), as in every sweep row. An arm "
        "that also changes the index line (`mechanism_guided_index_maintenance`) has other relapses: its "
        "after-relapse differences compare different patients.",
        "",
        "## 2. Probability that each arm is best across the PSA draws",
        "",
        f"Best = highest RMST at a draw ({draws} draws), among the arms that share the reference's index line "
        "(identical PFS from the index line at that draw: their relapses are the same patients' relapses); the "
        "third column counts every arm, including any that changes the index line.",
        "",
        *psa_lines,
        "",
        "## 3. The five parameters the ranking depends on most (one-way sweep)",
        "",
        f"Ranking statistic: RMST of OS after relapse of `{t['strategy']}` minus that of `{t['versus']}` (the "
        f"best other arm at the base case among those with the same index line): {t['statistic_base']:+.2f} months at the base case; best of "
        f"those arms at the base case of the one-way sweep: `{t['best_base']}`. Each parameter alone at its low and its high "
        "value, the others at the calibrated base:",
        "",
        "| rank | parameter | low to high (base) | statistic at low | at high | swing | best arm changes |",
        "|---|---|---|---|---|---|---|",
    ]
    for k, r in enumerate(top, 1):
        change = "no"
        if r["changes_best"]:
            change = f"yes: {r['best_low']} at low, {r['best_high']} at high"
        md.append(f"| {k} | {r['parameter']} | {r['low_value']:.3g} to {r['high_value']:.3g} ({r['base_value']:.3g}) "
                  f"| {r['statistic_low']:+.2f} | {r['statistic_high']:+.2f} | {r['swing']:.2f} | {change} |")
    flips = [r["parameter"] for r in t["rows"] if r["changes_best"]]
    md += [
        "",
        f"Parameters that change the best arm at either end of their range: {', '.join(flips) if flips else 'none'}.",
        "",
        "![tornado](flagship_tornado.png)",
        "",
        "## 4. The PSA's laws: means are the calibrated base",
        "",
        "Every law leaves its mean out, so it is the base scenario's resolved value (after `calibrated.toml`); "
        f"`mmsim sweep --list` warns when a written mean differs from the base ({len(warnings)} warning(s) in this "
        "run). The SDs and their reasons are in `configs/sweeps/flagship_parameters.toml`.",
        "",
        *law_lines,
        "",
        *(["Warnings:", "", *[f"- {w}" for w in warnings], ""] if warnings else []),
        "Not yet drawn (added at merge): the probability and accuracy of mechanism testing, and the frailty "
        "variance (TODO lines in `configs/sweeps/flagship_parameters.toml`).",
        "",
    ]
    with open(a.out, "w") as f:
        f.write("\n".join(md))
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
