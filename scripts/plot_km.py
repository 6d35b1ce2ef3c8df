#!/usr/bin/python3
"""Kaplan-Meier figure of one endpoint of an mmsim run file.

    /usr/bin/python3 scripts/plot_km.py RESULT.h5 [--endpoint pfs_after_relapse] [--out FIGURE.pdf]
        [--strategies a,b,c] [--median] [--pvalue] [--no-ci] [--pair-by pfs] [--risk-table nrisk_events]

Draws, per strategy, the Kaplan-Meier curve with its 95% pointwise confidence band (Greenwood variance,
log-log transform, as `mmsim report` and R's survfit(conf.type = "log-log")), thinned censoring marks, and a
risk table with the numbers at risk and the cumulative events under the axes. Everything comes from the
curves `mmsim run` stores beside its summaries (/strategies/<name>/summary/km_steps, km_risk,
km_censor_marks; medians from summary/endpoints, log-rank p-values from /comparisons), so the figure of a
cohort of 10^7 patients takes as long as one of 10^3. Labels come from the run file: the endpoint's title,
its axis and time zero ("Months since first relapse"), and the strategies' display names (`label` in the
config). The format follows the extension of --out: .png, .svg or .pdf.

Strategies whose curves are identical (e.g. arms that share the index line, for an endpoint of the index
line) share a colour and are told apart by line style; --pair-by ENDPOINT groups by identical curves of
another endpoint instead, and --groups names paired arms outright (e.g. each product with and without
maintenance: colour by product, line style by maintenance).
"""
import argparse
import hashlib
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmsim_figures import (LINE_STYLES, RunFile, draw_risk_table, fail, p_value_text, save_figure,  # noqa: E402
                           plt, risk_ticks, thin_for_display, thousands)

SCRIPT = "plot_km.py"


def curve_key(steps):
    return hashlib.sha1(steps["time"].tobytes() + steps["surv"].tobytes()).hexdigest()


def groups_of(run, strategies, endpoint, explicit=None):
    """Colour index and line style index of each strategy: strategies in one of the explicit groups, or else
    with equal curves of `endpoint`, share a colour."""
    keys = {}
    out = {}
    named = {}
    for i, group in enumerate(explicit or []):
        for s in group:
            named[s] = f"group {i}"
    for s in strategies:
        k = named.get(s) or curve_key(
            run.endpoint_rows(run.dataset(f"/strategies/{s}/summary/km_steps", "curves"), endpoint))
        members = keys.setdefault(k, [])
        out[s] = (list(keys).index(k), len(members))
        members.append(s)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("result")
    ap.add_argument("--endpoint", default=None, help="endpoint name (default: the run's first)")
    ap.add_argument("--strategies", default=None, help="comma-separated strategy names, in legend order")
    ap.add_argument("--out", default=None, help="FILE.png, FILE.svg or FILE.pdf (default: beside the result, png)")
    ap.add_argument("--title", default=None, help="figure title (default: the endpoint's title)")
    ap.add_argument("--max-time", type=float, default=None, help="x-axis limit (default: end of follow-up)")
    ap.add_argument("--median", action="store_true", help="dashed lines to each median and its value in the legend")
    ap.add_argument("--pvalue", action="store_true",
                    help="log-rank p-value of each strategy against the reference (the run's first strategy)")
    ap.add_argument("--no-ci", action="store_true", help="no confidence bands")
    ap.add_argument("--no-censor-marks", action="store_true", help="no censoring marks")
    ap.add_argument("--censor-marks", type=int, default=30, metavar="N",
                    help="at most N censoring marks per curve (default 30; the file stores up to 100)")
    ap.add_argument("--pair-by", default=None, metavar="ENDPOINT",
                    help="colour by identical curves of this endpoint (default: the plotted endpoint)")
    ap.add_argument("--groups", default=None, metavar="A,B;C,D",
                    help="paired arms: each ;-separated group of strategies shares a colour, told apart by line "
                         "style (e.g. ide_cel,ide_cel_len;cilta_cel,cilta_cel_len)")
    ap.add_argument("--risk-table", choices=["nrisk_events", "nrisk", "none"], default="nrisk_events",
                    help="numbers at risk with cumulative events in brackets (default), at risk only, or none")
    ap.add_argument("--dpi", type=int, default=150, help="PNG resolution")
    args = ap.parse_args()

    run = RunFile(args.result, SCRIPT)
    endpoint = args.endpoint or (run.endpoints[0] if run.endpoints else None)
    if endpoint not in run.endpoints:
        fail(SCRIPT, f"unknown endpoint '{endpoint}' (this file has: {', '.join(run.endpoints)})")
    pair_by = args.pair_by or endpoint
    if pair_by not in run.endpoints:
        fail(SCRIPT, f"--pair-by: unknown endpoint '{pair_by}' (this file has: {', '.join(run.endpoints)})")
    strategies = run.pick_strategies(args.strategies)
    title, axis_label, time_label = run.endpoint_text[endpoint]
    groups = [run.pick_strategies(g) for g in args.groups.split(";") if g.strip()] if args.groups else None
    style_of = groups_of(run, strategies, pair_by, groups)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]

    curves = []
    for s in strategies:
        steps = run.endpoint_rows(run.dataset(f"/strategies/{s}/summary/km_steps", "curves"), endpoint)
        risk = run.endpoint_rows(run.dataset(f"/strategies/{s}/summary/km_risk", "risk tables"), endpoint)
        marks = run.endpoint_rows(run.dataset(f"/strategies/{s}/summary/km_censor_marks", "censoring marks"),
                                  endpoint)
        curves.append((s, steps, risk, marks, run.summary(s, endpoint)))
    last = max((c[1]["time"][-1] for c in curves if len(c[1])), default=run.horizon or 1.0)
    max_time = args.max_time or last
    ticks = risk_ticks(max_time, next((c[2]["time"] for c in curves if len(c[2])), []))

    n_rows = len(curves) if args.risk_table != "none" else 0
    fig = plt.figure(figsize=(8.5, 5.6 + 0.24 * n_rows))
    table_h = (0.06 + 0.032 * n_rows) if n_rows else 0.0
    left, width = 0.12, 0.84
    bottom = table_h + (0.10 if n_rows else 0.09)
    ax = fig.add_axes([left, bottom, width, 0.86 - bottom])
    risk_rows = []
    any_marks = False
    ref = run.reference()
    p_notes = []
    # One comparison: its p-value goes in the plot, not the legend.
    single_comparison = ref in strategies and len(strategies) == 2
    medians = []
    banded = set()  # identical curves get one band
    for name, steps, risk, marks, summary in curves:
        group, member = style_of[name]
        colour = colours[group % len(colours)]
        style = LINE_STYLES[member % len(LINE_STYLES)]
        label = run.labels.get(name, name)
        n = int(summary["n"]) if summary is not None else 0
        entry = f"{label} (n = {thousands(n)})"
        median = float(summary["median"]) if summary is not None else np.nan
        if args.median:
            entry += f", median {median:.1f}" if np.isfinite(median) else ", median not reached"
        if args.pvalue:
            c = run.comparison(name, endpoint) if name != ref else None
            if name == ref and not single_comparison:
                entry += ", reference"
            elif c is not None:
                p_notes.append(p_value_text(float(c["logrank_p"])))
                if not single_comparison:
                    entry += f", log-rank {p_notes[-1]}"
        if len(steps):
            keep = thin_for_display(steps["time"], steps["surv"])
            t, s = steps["time"][keep], steps["surv"][keep]
            x, y = np.r_[0.0, t], np.r_[1.0, s]
            ax.step(x, y, where="post", color=colour, ls=style, lw=1.6, label=entry, zorder=3)
            if not args.no_ci and curve_key(steps) not in banded:
                banded.add(curve_key(steps))
                lo = np.where(np.isnan(steps["ci_low"][keep]), s, steps["ci_low"][keep])
                hi = np.where(np.isnan(steps["ci_high"][keep]), s, steps["ci_high"][keep])
                ax.fill_between(x, np.r_[1.0, lo], np.r_[1.0, hi], step="post", color=colour, alpha=0.12, lw=0,
                                zorder=2, rasterized=True)
            if not args.no_censor_marks and len(marks):
                any_marks = True
                # At most --censor-marks per curve, evenly spread over the stored ones (one per time cell).
                pick = np.unique(np.linspace(0, len(marks) - 1, min(args.censor_marks, len(marks))).astype(int))
                ax.plot(marks["time"][pick], marks["surv"][pick], "|", color=colour, ms=6, mew=1.0, zorder=4)
        else:
            ax.plot([], [], color=colour, ls=style, label=entry)
        if args.median and np.isfinite(median):
            medians.append((median, colour))
        cells = []
        for tk in ticks:
            hit = risk[np.isclose(risk["time"], tk)] if len(risk) else risk
            if len(hit):
                r = hit[0]
                at_risk, events = int(r["n_risk"]), int(r["events"])
            else:  # past the end of follow-up: nobody at risk, every event counted
                at_risk, events = 0, int(steps["events"][-1]) if len(steps) else 0
            cells.append(thousands(at_risk) + (f" ({thousands(events)})" if args.risk_table == "nrisk_events" else ""))
        risk_rows.append((label, colour, cells))
    for median, colour in medians:
        ax.plot([0, median], [0.5, 0.5], color="0.35", ls=(0, (4, 3)), lw=0.8, zorder=1)
        ax.plot([median, median], [0, 0.5], color=colour, ls=(0, (4, 3)), lw=0.9, zorder=1)
    ax.set_xlim(0, max_time)
    ax.set_ylim(0, 1.02)
    ax.set_xticks(ticks)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_ylabel(axis_label)
    ax.set_xlabel(time_label)
    ax.grid(alpha=0.25)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if any_marks:
        ax.plot([], [], "|", color="0.3", ms=6, mew=1.0, label="censored")
    ax.legend(loc="upper right", fontsize=8, frameon=True, framealpha=0.9, edgecolor="none")
    if args.pvalue and single_comparison and p_notes:
        ax.text(0.02, 0.03, f"Log-rank {p_notes[0]}", transform=ax.transAxes, fontsize=8, va="bottom", ha="left",
                bbox=dict(facecolor="white", alpha=0.85, edgecolor="none"))
    ax.set_title(args.title or title, fontsize=12, loc="left", pad=18)
    n_total = run.patients or max((int(c[4]["n"]) for c in curves if c[4] is not None), default=0)
    ax.text(0.0, 1.01, f"Kaplan-Meier estimate with 95% pointwise CI (log-log); {thousands(n_total)} simulated "
            "patients per strategy", transform=ax.transAxes, fontsize=8, color="0.35", va="bottom")
    if n_rows:
        header = "Number at risk (cumulative events)" if args.risk_table == "nrisk_events" else "Number at risk"
        draw_risk_table(fig, [left, 0.015, width, table_h], ticks, max_time, risk_rows, header)

    save_figure(fig, args.out, os.path.splitext(args.result)[0] + f"_{endpoint}_km.png", args.dpi, SCRIPT)
    run.close()


if __name__ == "__main__":
    main()
