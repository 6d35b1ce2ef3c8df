#!/usr/bin/python3
"""Kaplan-Meier figure of one endpoint for every strategy of an mmsim run file.

    /usr/bin/python3 scripts/plot_km.py RESULT.h5 [--endpoint pfs] [--out PREFIX] [--max-time T]

Draws, per strategy, the KM curve with its 95% pointwise confidence band (Greenwood variance, log-log
transform: the same estimator as `mmsim report` and R's survfit(conf.type = "log-log")), censoring marks, and a
number-at-risk table under the axes. Writes PREFIX.png and PREFIX.svg (default: beside RESULT.h5, named
<stem>_<endpoint>_km). Needs Debian's python3-h5py, python3-numpy and python3-matplotlib.
"""
import argparse
import os
import sys

import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SUPPORTED_SCHEMA_MAJOR = 1


def kaplan_meier(time, event):
    """Distinct times, number at risk, events, survival and the log-log 95% band."""
    order = np.argsort(time, kind="mergesort")
    t, e = time[order], event[order].astype(np.int64)
    uniq, first = np.unique(t, return_index=True)
    n = len(t)
    at_risk = n - first
    d = np.add.reduceat(e, first)
    surv = np.cumprod(1.0 - d / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        green = np.cumsum(np.where(at_risk > d, d / (at_risk * (at_risk - d)), np.inf))
        log_s = np.log(surv)
        se_loglog = np.sqrt(green) / np.abs(log_s)
        lo = surv ** np.exp(1.96 * se_loglog)
        hi = surv ** np.exp(-1.96 * se_loglog)
    lo = np.where(np.isfinite(lo), lo, np.nan)
    hi = np.where(np.isfinite(hi), hi, np.nan)
    censored = np.add.reduceat(1 - e, first)
    return uniq, at_risk, d, censored, surv, lo, hi


def step(x, y, x0=0.0, y0=1.0):
    return np.concatenate([[x0], x]), np.concatenate([[y0], y])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("result")
    ap.add_argument("--endpoint", default=None, help="endpoint name (default: the model's first)")
    ap.add_argument("--out", default=None, help="output prefix (default: beside the result file)")
    ap.add_argument("--max-time", type=float, default=None, help="x-axis limit in months (default: horizon)")
    args = ap.parse_args()

    try:
        f = h5py.File(args.result, "r")
    except OSError as exc:
        sys.exit(f"plot_km.py: {args.result}: cannot open: {exc}")
    with f:
        version = list(f.attrs.get("schema_version", [0, 0]))
        if f.attrs.get("filetype") != "run" or version[0] != SUPPORTED_SCHEMA_MAJOR:
            sys.exit(f"plot_km.py: {args.result}: not an mmsim run file of schema {SUPPORTED_SCHEMA_MAJOR}.x")
        strategies = [s.decode() if isinstance(s, bytes) else str(s) for s in f.attrs["strategy_order"]]
        first = f[f"/strategies/{strategies[0]}/patients"]
        if first is None or "patients" not in f[f"/strategies/{strategies[0]}"]:
            sys.exit(f"plot_km.py: {args.result}: no patients tables (was it run with --summary-only?)")
        endpoints = [n[:-5] for n in first.dtype.names if n.endswith("_time")]
        endpoint = args.endpoint or endpoints[0]
        if endpoint not in endpoints:
            sys.exit(f"plot_km.py: unknown endpoint '{endpoint}' (this file has: {', '.join(endpoints)})")
        horizon = float(f.attrs.get("horizon_months", 0) or 0) or None
        curves = []
        for s in strategies:
            tab = f[f"/strategies/{s}/patients"]
            time = tab.fields(f"{endpoint}_time")[:]
            event = tab.fields(f"{endpoint}_event")[:]
            keep = ~np.isnan(time)
            curves.append((s, time[keep], event[keep]))

    max_time = args.max_time or horizon or max(c[1].max() for c in curves if len(c[1]))
    ticks = np.linspace(0, max_time, 7)
    fig = plt.figure(figsize=(8.5, 6.2))
    ax = fig.add_axes([0.1, 0.36, 0.86, 0.58])
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    risk_rows = []
    for i, (name, time, event) in enumerate(curves):
        color = colors[i % len(colors)]
        if len(time) == 0:
            risk_rows.append((name, color, [0] * len(ticks)))
            continue
        t, at_risk, d, cens, surv, lo, hi = kaplan_meier(time, event)
        x, y = step(t, surv)
        ax.step(x, y, where="post", color=color, lw=1.8, label=f"{name} (n={len(time)})")
        xl, yl = step(t, lo)
        xh, yh = step(t, hi)
        ax.fill_between(xl, yl, yh, step="post", color=color, alpha=0.18, lw=0)
        # Censoring marks: at most 60 per curve, spread over the censored times, so large cohorts stay legible.
        ct = t[cens > 0]
        if len(ct):
            pick = ct[np.unique(np.linspace(0, len(ct) - 1, min(60, len(ct))).astype(int))]
            ax.plot(pick, surv[np.searchsorted(t, pick)], "|", color=color, ms=7, mew=1.2)
        counts = [int((time >= tk).sum()) for tk in ticks]
        risk_rows.append((name, color, counts))
    ax.set_xlim(0, max_time)
    ax.set_ylim(0, 1.02)
    ax.set_xticks(ticks)
    ax.set_ylabel(f"{endpoint.upper()} probability")
    ax.set_xlabel("months")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    ax.set_title(f"{os.path.basename(args.result)}: {endpoint} (Kaplan-Meier, 95% log-log CI)", fontsize=10)

    tab_ax = fig.add_axes([0.1, 0.03, 0.86, 0.22])
    tab_ax.set_xlim(0, max_time)
    tab_ax.set_ylim(-0.5, len(risk_rows) - 0.5)
    tab_ax.axis("off")
    tab_ax.text(0, len(risk_rows) - 0.2, "Number at risk", fontsize=8, fontweight="bold", va="bottom")
    for row, (name, color, counts) in enumerate(risk_rows):
        yy = len(risk_rows) - 1 - row - 0.3
        tab_ax.text(-0.01 * max_time, yy, name, color=color, fontsize=7, ha="right", va="center")
        for tk, c in zip(ticks, counts):
            tab_ax.text(tk, yy, f"{c}", fontsize=7, ha="center", va="center")

    prefix = args.out or os.path.splitext(args.result)[0] + f"_{endpoint}_km"
    fig.savefig(prefix + ".png", dpi=130)
    fig.savefig(prefix + ".svg")
    print(f"wrote {prefix}.png and {prefix}.svg")


if __name__ == "__main__":
    main()
