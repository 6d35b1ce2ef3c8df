#!/usr/bin/python3
"""Cumulative-incidence figure of competing events of an mmsim run file.

    /usr/bin/python3 scripts/plot_cif.py RESULT.h5 [--analysis death_cause] [--out FIGURE.svg]
        [--strategies a,b] [--causes 1,2] [--no-ci] [--max-time T]

The model declares its competing-risks analyses (e.g. `pfs_events`: progression vs death without
progression; `death_cause`: death by cause); `mmsim run` stores each strategy's Aalen-Johansen cumulative
incidence per cause beside its summaries (/strategies/<name>/summary/incidence/<analysis>/steps and /risk),
and this script draws them: one panel per strategy, one colour per cause, a 95% pointwise band (estimate
+- 1.96 influence SE, clipped to [0, 1]) and the numbers at risk under each panel. The format follows the
extension of --out: .png, .svg or .pdf. --list prints the analyses of the file.
"""
import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmsim_figures import (RunFile, fail, lines, plt, risk_ticks, save_figure, text,  # noqa: E402
                           thin_for_display, thousands)

SCRIPT = "plot_cif.py"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("result")
    ap.add_argument("--analysis", default=None, help="competing-risks analysis (default: the file's first)")
    ap.add_argument("--list", action="store_true", help="print the analyses of the file and exit")
    ap.add_argument("--strategies", default=None, help="comma-separated strategy names (one panel each)")
    ap.add_argument("--causes", default=None, help="comma-separated cause numbers to draw (default: all)")
    ap.add_argument("--out", default=None, help="FILE.png, FILE.svg or FILE.pdf (default: beside the result, png)")
    ap.add_argument("--title", default=None, help="figure title (default: the analysis' title)")
    ap.add_argument("--max-time", type=float, default=None, help="x-axis limit (default: end of follow-up)")
    ap.add_argument("--no-ci", action="store_true", help="no confidence bands")
    ap.add_argument("--columns", type=int, default=None, help="panels per row (default: up to 3)")
    ap.add_argument("--dpi", type=int, default=150, help="PNG resolution")
    args = ap.parse_args()

    run = RunFile(args.result, SCRIPT)
    if not run.competing_risks:
        fail(SCRIPT, f"{args.result}: no cumulative-incidence curves (the model declares no competing risks, or "
                     "the file was written with --no-summary)")
    strategies = run.pick_strategies(args.strategies)
    first = strategies[0]
    if args.list:
        for a in run.competing_risks:
            ds = run.f[f"/strategies/{first}/summary/incidence/{a}/steps"]
            causes = lines(ds.attrs, "cause_labels")
            print(f"{a}: {text(ds.attrs['title'])} ({text(ds.attrs['endpoint'])}; causes: {', '.join(causes)})")
        return
    analysis = args.analysis or run.competing_risks[0]
    if analysis not in run.competing_risks:
        fail(SCRIPT, f"unknown analysis '{analysis}' (this file has: {', '.join(run.competing_risks)})")

    path = f"/strategies/{first}/summary/incidence/{analysis}/steps"
    if path not in run.f:
        fail(SCRIPT, f"{args.result}: no {path}")
    attrs = run.f[path].attrs
    cause_labels = lines(attrs, "cause_labels")
    endpoint = text(attrs["endpoint"])
    title = args.title or text(attrs["title"])
    time_label = run.endpoint_text.get(endpoint, (None, None, f"{run.time_unit.capitalize()}"))[2]
    causes = list(range(1, len(cause_labels) + 1))
    if args.causes:
        try:
            causes = [int(c) for c in args.causes.split(",")]
        except ValueError:
            fail(SCRIPT, f"--causes {args.causes}: give cause numbers 1..{len(cause_labels)}")
        if any(not 1 <= c <= len(cause_labels) for c in causes):
            fail(SCRIPT, f"--causes {args.causes}: causes are 1..{len(cause_labels)} "
                         f"({', '.join(f'{i + 1} {c}' for i, c in enumerate(cause_labels))})")
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]

    panels = []
    for s in strategies:
        base = f"/strategies/{s}/summary/incidence/{analysis}"
        steps = run.dataset(base + "/steps", f"{analysis} curves")
        risk = run.dataset(base + "/risk", f"{analysis} risk table")
        panels.append((s, steps, risk))
    last = max((p[1]["time"].max() for p in panels if len(p[1])), default=run.horizon or 1.0)
    max_time = args.max_time or last
    ticks = risk_ticks(max_time, np.unique(panels[0][2]["time"]) if len(panels[0][2]) else [])

    ncol = args.columns or min(3, len(panels))
    nrow = math.ceil(len(panels) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(max(6.0, 4.2 * ncol + 0.6), 3.6 * nrow + 0.9), sharex=True, sharey=True,
                             squeeze=False)
    top = 0.0
    for i, (s, steps, risk) in enumerate(panels):
        ax = axes[i // ncol][i % ncol]
        for c in causes:
            rows = steps[steps["cause"] == c - 1]
            if not len(rows):
                continue
            keep = thin_for_display(rows["time"], rows["estimate"])
            t, est, se = rows["time"][keep], rows["estimate"][keep], rows["se"][keep]
            colour = colours[(c - 1) % len(colours)]
            x = np.r_[0.0, t]
            ax.step(x, np.r_[0.0, est], where="post", color=colour, lw=1.5,
                    label=cause_labels[c - 1] if i == 0 else None, zorder=3)
            if not args.no_ci:
                lo = np.clip(est - 1.96 * se, 0, 1)
                hi = np.clip(est + 1.96 * se, 0, 1)
                ax.fill_between(x, np.r_[0.0, lo], np.r_[0.0, hi], step="post", color=colour, alpha=0.15, lw=0,
                                rasterized=True, zorder=2)
            top = max(top, float(np.nanmax(est)))
        at_risk = risk[risk["cause"] == 0]
        n = int(at_risk["n_risk"][0]) if len(at_risk) else 0
        ax.set_title(f"{run.labels.get(s, s)} (n = {thousands(n)})", fontsize=9)
        ax.grid(alpha=0.25)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
#Numbers at risk under the panel's x axis, at the ticks.
        cells = []
        for tk in ticks:
            hit = at_risk[np.isclose(at_risk["time"], tk)]
            cells.append(thousands(hit["n_risk"][0]) if len(hit) else "0")
        for tk, cell in zip(ticks, cells):
            ax.annotate(cell, (tk, 0), xycoords=("data", "axes fraction"), xytext=(0, -20),
                        textcoords="offset points", ha="center", va="top", fontsize=6.5, color="0.3")
        if i % ncol == 0:
            ax.set_ylabel("Cumulative incidence")
            ax.annotate("at risk", (0, 0), xycoords="axes fraction", xytext=(-16, -20), textcoords="offset points",
                        ha="right", va="top", fontsize=6.5, color="0.3")
    for j in range(len(panels), nrow * ncol):
        axes[j // ncol][j % ncol].axis("off")
    for ax in axes.flat:
        ax.set_xlim(0, max_time)
        ax.set_xticks(ticks)
        ax.set_ylim(0, min(1.0, max(0.05, top * 1.1)))
    for ax in axes.flat:
        ax.xaxis.set_tick_params(labelbottom=True)
    fig.suptitle(f"{title}: cumulative incidence (Aalen-Johansen, 95% pointwise CI)", fontsize=11, x=0.01,
                 ha="left")
    fig.tight_layout(rect=(0, 0.06, 1, 0.95), h_pad=2.5)
    fig.supxlabel(time_label, fontsize=10, y=0.035)
    # The causes' legend under the time axis label (bbox_inches="tight" keeps it in the figure).
    fig.legend(loc="upper center", fontsize=8, frameon=False, ncol=min(len(causes), 5), bbox_to_anchor=(0.5, 0.02))

    save_figure(fig, args.out, os.path.splitext(args.result)[0] + f"_{analysis}_cif.png", args.dpi, SCRIPT)
    run.close()


if __name__ == "__main__":
    main()
