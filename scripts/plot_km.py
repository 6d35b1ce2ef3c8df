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
import matplotlib.transforms  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

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
        if any(f"/strategies/{s}/patients" not in f for s in strategies):
            sys.exit(f"plot_km.py: {args.result}: no patients tables (was it run with --summary-only?)")
        first = f[f"/strategies/{strategies[0]}/patients"]
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

    # x axis: to the horizon, or to the end of follow-up when every curve ends well before it.
    last = max((c[1].max() for c in curves if len(c[1])), default=horizon or 1.0)
    max_time = args.max_time or min(horizon or last, last)
    ticks = MaxNLocator(nbins=8, steps=[1, 2, 3, 6, 10]).tick_values(0, max_time)
    ticks = [t for t in ticks if 0 <= t <= max_time * 1.0001]
    n_rows = len(curves)
    fig = plt.figure(figsize=(8.5, 6.0 + 0.22 * n_rows))
    table_height = 0.05 + 0.035 * n_rows  # figure fraction of the number-at-risk table
    left, width = 0.2, 0.76
    ax = fig.add_axes([left, table_height + 0.13, width, 0.92 - table_height - 0.13])
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    risk_rows = []
    any_censored = False
    for i, (name, time, event) in enumerate(curves):
        color = colors[i % len(colors)]
        if len(time) == 0:
            risk_rows.append((name, color, [0] * len(ticks)))
            continue
        t, at_risk, d, cens, surv, lo, hi = kaplan_meier(time, event)
        x, y = step(t, surv)
        ax.step(x, y, where="post", color=color, lw=1.8, label=f"{name} (n = {len(time)})", zorder=3)
        xl, yl = step(t, lo)
        xh, yh = step(t, hi)
        ax.fill_between(xl, yl, yh, step="post", color=color, alpha=0.2, lw=0, zorder=2)
        # Censoring marks: at most 60 per curve, spread over the censored times, so large cohorts stay legible.
        ct = t[cens > 0]
        if len(ct):
            any_censored = True
            pick = ct[np.unique(np.linspace(0, len(ct) - 1, min(60, len(ct))).astype(int))]
            ax.plot(pick, surv[np.searchsorted(t, pick)], "|", color=color, ms=7, mew=1.2, zorder=4)
        counts = [int((time >= tk).sum()) for tk in ticks]
        risk_rows.append((name, color, counts))
    ax.set_xlim(0, max_time)
    ax.set_ylim(0, 1.02)
    ax.set_xticks(ticks)
    ax.set_ylabel(f"{endpoint.upper()} probability")
    ax.set_xlabel("Time since start (months)")
    ax.grid(alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if any_censored:
        ax.plot([], [], "|", color="0.3", ms=7, mew=1.2, label="censored")
    ax.legend(loc="best", fontsize=8, frameon=True, framealpha=0.9, edgecolor="none")
    ax.set_title(f"{os.path.basename(args.result)}: {endpoint} (Kaplan-Meier, 95% log-log CI)", fontsize=10)

    # Number at risk under the axes, one row per strategy, counts centred under the x ticks.
    tab_ax = fig.add_axes([left, 0.02, width, table_height], sharex=None)
    tab_ax.set_xlim(0, max_time)
    tab_ax.set_ylim(n_rows - 0.5, -1.3)
    tab_ax.axis("off")
    label_at = matplotlib.transforms.blended_transform_factory(tab_ax.transAxes, tab_ax.transData)
    tab_ax.text(-0.07, -1.0, "Number at risk", transform=label_at, fontsize=8, fontweight="bold", ha="right",
                va="center")
    for row, (name, color, counts) in enumerate(risk_rows):
        tab_ax.text(-0.07, row, name, transform=label_at, color=color, fontsize=8, ha="right", va="center")
        for tk, c in zip(ticks, counts):
            tab_ax.text(tk, row, f"{c}", fontsize=8, ha="center", va="center")

    prefix = args.out or os.path.splitext(args.result)[0] + f"_{endpoint}_km"
    # "tight" keeps long strategy names of the numbers-at-risk table inside the figure.
    fig.savefig(prefix + ".png", dpi=130, bbox_inches="tight")
    fig.savefig(prefix + ".svg", bbox_inches="tight")
    print(f"wrote {prefix}.png and {prefix}.svg")


if __name__ == "__main__":
    main()
