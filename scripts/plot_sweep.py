#!/usr/bin/python3
"""Figures of an `mmsim sweep` result (OUTDIR/sweep.h5), chosen by the sweep's design.

    /usr/bin/python3 scripts/plot_sweep.py OUTDIR [--endpoint pfs_after_relapse] [--metric rmst|median]
                                           [--strategy NAME] [--reference NAME] [--absolute] [--out PREFIX]

The metric is the endpoint's restricted mean survival time (to the run's horizon) or its median, in months,
per point of the sweep (averaged over replicates, except in PSA where every point x replicate is one draw).
Differences are paired: strategy minus reference at the same point and replicate (common random numbers).

  oneway  PREFIX_tornado: per parameter, the difference vs the reference (or, with one strategy or
          --absolute, the metric itself) with the parameter at its lowest and at its highest value, as bars
          around the base case; parameters sorted by swing. One panel per comparison.
  grid    PREFIX_grid: 1 varied parameter: the metric per strategy against it (and, with several strategies,
          the difference vs the reference); 2 or more: heat maps of the metric per strategy over the first two
          varied parameters (averaged over any others).
  psa     PREFIX_psa_diff: distribution of the difference vs the reference per strategy, with its mean and 95%
          interval (2.5th-97.5th percentiles of the draws); PREFIX_psa_best: probability that each strategy is
          best (maximises the metric), over draws; PREFIX_scatter: the differences against each parameter.
  lhs     PREFIX_scatter: the metric (or differences) against each parameter.

Every figure is written as PNG and SVG. Default PREFIX: OUTDIR/plot_<endpoint>_<metric>. Default endpoint:
pfs_after_relapse if the model has it, else pfs, else the first. Needs Debian's python3-h5py, python3-numpy and
python3-matplotlib. Exit code 2 on bad arguments or input.
"""
import argparse
import os
import sys
import textwrap
import tomllib

import numpy as np

try:
    import h5py
except ImportError:  # pragma: no cover
    sys.exit("plot_sweep.py: needs h5py (apt-get install python3-h5py); run with /usr/bin/python3")

plt = Line2D = Patch = None  # matplotlib, imported once the input is known good (errors stay fast)


def import_matplotlib():
    global plt, Line2D, Patch
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot
    from matplotlib.lines import Line2D as line2d
    from matplotlib.patches import Patch as patch

    plt, Line2D, Patch = pyplot, line2d, patch

ACRONYMS = {"bcma": "BCMA", "gprc5d": "GPRC5D", "cart": "CAR-T", "car": "CAR", "pfs": "PFS", "pfs2": "PFS2",
            "os": "OS", "ttnt": "TTNT", "cr": "CR", "hr": "HR", "crs": "CRS", "orr": "ORR", "mrd": "MRD"}


class InputError(Exception):
    pass


def pretty(name):
    """'retreat_bcma_cart' -> 'retreat BCMA CAR-T' (readable labels; raw names stay in the CSVs)."""
    name = str(name)
    if "." in name or "[" in name:  # a dotted path (a parameter without a name): keep it as it is
        return name
    return " ".join(ACRONYMS.get(w.lower(), w) for w in name.split("_"))


def attr_str(f, key, default=None):
    if key not in f.attrs:
        if default is None:
            raise InputError(f"{f.filename}: attribute '{key}' missing; is this an mmsim sweep file?")
        return default
    v = f.attrs[key]
    if isinstance(v, bytes):
        v = v.decode()
    return str(v)


def attr_list(f, key):
    s = attr_str(f, key, "")
    return [x for x in s.split("\n") if x]


class Sweep:
    """The parts of sweep.h5 the figures need."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            if attr_str(f, "filetype", "") != "sweep":
                raise InputError(f"{path} is not an mmsim sweep file (filetype = '{attr_str(f, 'filetype', '')}')")
            for d in ("/sweep/points", "/sweep/endpoints"):
                if d not in f:
                    raise InputError(f"{path}: dataset {d} missing")
            self.design = attr_str(f, "design", "")
            self.params = attr_list(f, "sweep_parameters")
            self.strategies = attr_list(f, "sweep_strategies")
            self.endpoints = attr_list(f, "sweep_endpoints")
            self.unit = attr_str(f, "time_unit", "months")
            try:
                spec = tomllib.loads(attr_str(f, "sweep", ""))
            except tomllib.TOMLDecodeError:
                spec = {}
            self.reference = spec.get("reference")
            self.paths = {p.get("name", p.get("path")): p.get("path") for p in spec.get("parameter", [])}
            self.log_scale = {p.get("name", p.get("path")) for p in spec.get("parameter", []) if p.get("scale") == "log"}
            self.points = f["/sweep/points"][:]
            self.rows = f["/sweep/endpoints"][:]
            self.enums = {}
            for col in ("strategy", "endpoint"):
                mapping = h5py.check_enum_dtype(f["/sweep/endpoints"].dtype[col])
                self.enums[col] = {v: k for k, v in mapping.items()} if mapping else None
        if len(self.points) == 0 or len(self.rows) == 0:
            raise InputError(f"{path}: the sweep has no points")
        if not self.params:
            self.params = [n for n in self.points.dtype.names if n not in ("point", "varied")]
        if not self.strategies:
            self.strategies = [self.enums["strategy"][k] for k in sorted(self.enums["strategy"])]
        if not self.endpoints:
            self.endpoints = [self.enums["endpoint"][k] for k in sorted(self.enums["endpoint"])]
        if self.reference not in self.strategies:
            self.reference = self.strategies[0]
        if self.design not in ("grid", "oneway", "lhs", "psa"):
            self.design = self.infer_design()
        self.nrep = int(self.rows["replicate"].max()) + 1
        self.point_ids = self.points["point"].astype(np.int64)

    def infer_design(self):
        """Only for files without the `design` attribute: one-way if a parameter is marked varied, grid if the
        points are the full product of each parameter's distinct values, else draws (PSA)."""
        if "varied" in self.points.dtype.names and (self.points["varied"] >= 0).any():
            return "oneway"
        distinct = [len(np.unique(self.points[p])) for p in self.params]
        return "grid" if int(np.prod(distinct)) == len(self.points) else "psa"

    def values(self, endpoint, metric):
        """metric[point, replicate, strategy] for the endpoint (NaN where missing, e.g. median not reached)."""
        codes = {name: code for code, name in self.enums["endpoint"].items()}
        sel = self.rows[self.rows["endpoint"] == codes[endpoint]]
        scode = {code: self.strategies.index(name) for code, name in self.enums["strategy"].items()
                 if name in self.strategies}
        index = {p: i for i, p in enumerate(self.point_ids)}
        out = np.full((len(self.points), self.nrep, len(self.strategies)), np.nan)
        pi = np.array([index[int(p)] for p in sel["point"]], dtype=np.int64)
        si = np.array([scode[int(s)] for s in sel["strategy"]], dtype=np.int64)
        out[pi, sel["replicate"].astype(np.int64), si] = sel[metric]
        horizon = float(np.nanmax(sel["rmst_horizon"])) if "rmst_horizon" in sel.dtype.names else float("nan")
        return out, horizon


# ---------------------------------------------------------------------------------------------------------
# Labels


def metric_label(args, horizon, unit, diff=False):
    ep = pretty(args.endpoint)
    if args.metric == "rmst":
        what = f"restricted mean {ep} to {horizon:g} {unit}" if np.isfinite(horizon) else f"restricted mean {ep}"
    else:
        what = f"median {ep}"
    return f"difference in {what}" if diff else what


def cap(s):
    return s[:1].upper() + s[1:]


def wrap(s, width=42):
    return "\n".join(textwrap.wrap(s, width))


def fmt(v):
    return f"{v:.4g}"


def strategy_colors(strategies):
    cmap = plt.get_cmap("tab10")
    return {s: cmap(i % 10) for i, s in enumerate(strategies)}


def save(fig, prefix, kind, written):
    for ext in ("png", "svg"):
        path = f"{prefix}_{kind}.{ext}"
        fig.savefig(path, dpi=150 if ext == "png" else None, bbox_inches="tight")
        written.append(path)
    plt.close(fig)


def comparisons(sw, args):
    """(strategy index, reference index or None) pairs to draw: differences vs the reference unless there is
    one strategy or --absolute."""
    ref = sw.strategies.index(sw.reference)
    chosen = [args.strategy] if args.strategy else [s for s in sw.strategies if s != sw.reference]
    if args.absolute or len(sw.strategies) == 1:
        chosen = [args.strategy] if args.strategy else sw.strategies
        return [(sw.strategies.index(s), None) for s in chosen]
    if args.strategy == sw.reference:
        raise InputError(f"--strategy {args.strategy} is the reference; choose another or add --absolute")
    return [(sw.strategies.index(s), ref) for s in chosen]


def comparison_title(sw, s, r):
    if r is None:
        return pretty(sw.strategies[s])
    return f"{pretty(sw.strategies[s])} vs {pretty(sw.strategies[r])}"


def series(vals, s, r):
    """[point, replicate] of the metric of s, or of s minus r (paired)."""
    return vals[:, :, s] if r is None else vals[:, :, s] - vals[:, :, r]


# ---------------------------------------------------------------------------------------------------------
# One-way: tornado


def plot_tornado(sw, vals, horizon, args, prefix, written):
    varied = sw.points["varied"]
    base_rows = np.flatnonzero(varied < 0)
    if len(base_rows) == 0:
        raise InputError("one-way sweep without a base-case point (varied = -1)")
    comps = comparisons(sw, args)
    ncols = 1 if len(comps) == 1 else 2
    nrows = (len(comps) + ncols - 1) // ncols
    height = max(2.6, 0.55 * len(sw.params) + 1.6)
    fig, axes = plt.subplots(nrows, ncols, figsize=(7.5 * ncols, height * nrows), squeeze=False)
    lo_color, hi_color = "#3b75af", "#ef8636"
    for ax, (s, r) in zip(axes.flat, comps):
        y = np.nanmean(series(vals, s, r), axis=1)  # per point, mean over replicates
        base = float(y[base_rows[0]])
        bars = []
        for i, p in enumerate(sw.params):
            rows = np.flatnonzero(varied == i)
            if len(rows) == 0:
                continue
            pv = sw.points[p][rows]
            lo, hi = rows[np.argmin(pv)], rows[np.argmax(pv)]
            swing = np.nanmax(y[rows]) - np.nanmin(y[rows])
            bars.append((swing, p, sw.points[p][lo], y[lo], sw.points[p][hi], y[hi],
                         sw.points[p][base_rows[0]]))
        bars.sort(key=lambda b: -b[0] if np.isfinite(b[0]) else 0)
        span = max([abs(v - base) for b in bars for v in (b[3], b[5]) if np.isfinite(v)] + [1e-9])
        for k, (_, p, lv, ly, hv, hy, bv) in enumerate(bars):
            pos = len(bars) - 1 - k
            for v, yy, color in ((lv, ly, lo_color), (hv, hy, hi_color)):
                if not np.isfinite(yy):
                    continue
                ax.barh(pos, yy - base, left=base, height=0.6, color=color, edgecolor="white")
                ha = "left" if yy >= base else "right"
                ax.text(yy + (0.02 if yy >= base else -0.02) * span, pos, fmt(v), va="center", ha=ha, fontsize=8.5)
        ax.set_yticks(range(len(bars)))
        ax.set_yticklabels([f"{pretty(b[1])}\n(base {fmt(b[6])})" for b in reversed(bars)], fontsize=9)
        ax.axvline(base, color="black", lw=1)
        ax.set_xlim(base - 1.3 * span, base + 1.3 * span)
        if r is not None:
            ax.axvline(0, color="grey", lw=0.8, ls=":")
        ax.set_ylim(-0.7, len(bars) - 0.3)
        ax.set_title(f"{comparison_title(sw, s, r)}\nbase case {base:+.2f} {sw.unit}" if r is not None else
                     f"{comparison_title(sw, s, r)}\nbase case {base:.2f} {sw.unit}", fontsize=10)
        ax.set_xlabel(cap(metric_label(args, horizon, sw.unit, diff=r is not None)) + f" ({sw.unit})")
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(comps):]:
        ax.set_visible(False)
    handles = [Patch(color=lo_color, label="parameter at its lowest value"),
               Patch(color=hi_color, label="parameter at its highest value"),
               Line2D([], [], color="black", lw=1, label="base case")]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, bbox_to_anchor=(0.5, -0.02 / nrows))
    fig.suptitle(f"One-way sensitivity (tornado): {metric_label(args, horizon, sw.unit)}"
                 f"{'' if sw.nrep == 1 else f', mean of {sw.nrep} replicates'}\n"
                 "bar ends labelled with the parameter value", fontsize=11)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    save(fig, prefix, "tornado", written)


# ---------------------------------------------------------------------------------------------------------
# Grid: line plot or heat maps


def varying_params(sw):
    return [p for p in sw.params if len(np.unique(sw.points[p])) > 1]


def plot_grid(sw, vals, horizon, args, prefix, written):
    params = varying_params(sw)
    if not params:
        raise InputError("the grid varies no parameter (every point has the same values)")
    mean = np.nanmean(vals, axis=1)  # [point, strategy]
    colors = strategy_colors(sw.strategies)
    strategies = [args.strategy] if args.strategy else sw.strategies
    ylabel = cap(metric_label(args, horizon, sw.unit)) + f" ({sw.unit})"
    reps = "" if sw.nrep == 1 else f" (mean of {sw.nrep} replicates)"
    if len(params) == 1:
        p = params[0]
        xs = np.unique(sw.points[p])
        at = [np.flatnonzero(sw.points[p] == x) for x in xs]
        two = len(sw.strategies) > 1 and not args.absolute
        fig, axes = plt.subplots(1, 2 if two else 1, figsize=(13 if two else 7.5, 5.2), squeeze=False)
        ref = sw.strategies.index(sw.reference)
        for name in strategies:
            s = sw.strategies.index(name)
            ys = [np.nanmean(mean[rows, s]) for rows in at]
            style = dict(color="black", ls="--") if (name == sw.reference and two) else dict(color=colors[name])
            axes[0, 0].plot(xs, ys, marker="o", label=pretty(name) + (" (reference)" if two and s == ref else ""),
                            **style)
            if two and s != ref:
                ds = [np.nanmean(mean[rows, s] - mean[rows, ref]) for rows in at]
                axes[0, 1].plot(xs, ds, marker="o", color=colors[name], label=pretty(name))
        axes[0, 0].set_ylabel(wrap(ylabel))
        axes[0, 0].set_title(cap(metric_label(args, horizon, sw.unit)) + " per strategy", fontsize=10)
        if two:
            axes[0, 1].axhline(0, color="black", ls="--", lw=1, label=pretty(sw.reference) + " (reference)")
            axes[0, 1].set_ylabel(wrap(f"Strategy minus {pretty(sw.reference)} ({sw.unit}); > 0 favours the strategy"))
            axes[0, 1].set_title(f"Difference vs {pretty(sw.reference)} (paired)", fontsize=10)
        for ax in axes.flat:
            ax.set_xlabel(f"{pretty(p)}" + (f"  [{sw.paths[p]}]" if sw.paths.get(p) and sw.paths[p] != p else ""))
            ax.grid(alpha=0.3)
            ax.set_xticks(xs)
            ax.set_xticklabels([fmt(x) for x in xs])
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), frameon=False, fontsize=9,
                   bbox_to_anchor=(0.5, -0.01))
        nleg_rows = (len(labels) + 3) // 4
        fig.suptitle(f"Grid over {pretty(p)}: {metric_label(args, horizon, sw.unit)}{reps}", fontsize=11)
        fig.tight_layout(rect=(0, 0.05 * nleg_rows + 0.02, 1, 1))
        save(fig, prefix, "grid", written)
        return
    py, px = params[0], params[1]
    others = params[2:]
    ys, xs = np.unique(sw.points[py]), np.unique(sw.points[px])
    n = len(strategies)
    ncols = min(n, 3)
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols + 1.2, 3.9 * nrows + 0.8), squeeze=False)
    grids = []
    for name in strategies:
        s = sw.strategies.index(name)
        g = np.full((len(ys), len(xs)), np.nan)
        for i, yv in enumerate(ys):
            for j, xv in enumerate(xs):
                rows = np.flatnonzero((sw.points[py] == yv) & (sw.points[px] == xv))
                if len(rows):
                    g[i, j] = np.nanmean(mean[rows, s])
        grids.append(g)
    vmin, vmax = np.nanmin(grids), np.nanmax(grids)
    for ax, name, g in zip(axes.flat, strategies, grids):
        im = ax.imshow(g, origin="lower", aspect="auto", cmap="viridis", vmin=vmin, vmax=vmax)
        for i in range(len(ys)):
            for j in range(len(xs)):
                if np.isfinite(g[i, j]):
                    light = (g[i, j] - vmin) / (vmax - vmin + 1e-12) > 0.6
                    ax.text(j, i, f"{g[i, j]:.1f}", ha="center", va="center", fontsize=9,
                            color="black" if light else "white")
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels([fmt(x) for x in xs])
        ax.set_yticks(range(len(ys)))
        ax.set_yticklabels([fmt(y) for y in ys])
        ax.set_xlabel(pretty(px))
        ax.set_ylabel(pretty(py))
        ax.set_title(pretty(name) + (" (reference)" if name == sw.reference and n > 1 else ""), fontsize=10)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    cb = fig.colorbar(im, ax=axes.ravel().tolist(), shrink=0.9)
    cb.set_label(wrap(ylabel))
    avg = f"; averaged over {', '.join(pretty(o) for o in others)}" if others else ""
    fig.suptitle(f"Grid: {metric_label(args, horizon, sw.unit)} ({sw.unit}) per strategy{reps}{avg}", fontsize=11)
    save(fig, prefix, "grid", written)


# ---------------------------------------------------------------------------------------------------------
# PSA: distribution of differences, probability best; LHS and PSA: scatter against parameters


def plot_psa(sw, vals, horizon, args, prefix, written):
    ref = sw.strategies.index(sw.reference)
    colors = strategy_colors(sw.strategies)
    draws = vals.reshape(-1, len(sw.strategies))  # every point x replicate is one draw
    ndraws = draws.shape[0]
    label = metric_label(args, horizon, sw.unit)
    if len(sw.strategies) > 1:
        names = [args.strategy] if args.strategy and args.strategy != sw.reference else \
            [s for s in sw.strategies if s != sw.reference]
        diffs = {n: draws[:, sw.strategies.index(n)] - draws[:, ref] for n in names}
        names.sort(key=lambda n: -np.nanmean(diffs[n]) if np.isfinite(diffs[n]).any() else 0)
        allv = np.concatenate([d[np.isfinite(d)] for d in diffs.values()])
        if len(allv) == 0:
            raise InputError(f"every {args.metric} of {args.endpoint} is missing (NaN); try --metric rmst")
        lo, hi = np.percentile(allv, [0.5, 99.5])
        pad = 0.08 * (hi - lo + 1e-9)
        lo, hi = min(lo - pad, -pad), max(hi + pad, pad)
        bins = np.linspace(lo, hi, 50)
        fig, axes = plt.subplots(len(names), 1, figsize=(11, 1.45 * len(names) + 1.6), sharex=True, squeeze=False)
        for ax, n in zip(axes[:, 0], names):
            d = diffs[n]
            ok = d[np.isfinite(d)]
            if len(ok) == 0:
                ax.text(0.5, 0.5, "no finite values", transform=ax.transAxes, ha="center")
                continue
            m, (q1, q2) = ok.mean(), np.percentile(ok, [2.5, 97.5])
            ax.axvspan(q1, q2, color=colors[n], alpha=0.12, lw=0)
            ax.hist(np.clip(ok, lo, hi), bins=bins, color=colors[n], alpha=0.85)
            ax.axvline(m, color="black", lw=1.5)
            ax.axvline(0, color="grey", lw=1, ls=":")
            better = (ok > 0).mean()
            miss = "" if len(ok) == len(d) else f"; {len(d) - len(ok)} draw(s) without a value"
            ax.text(1.02, 0.92, pretty(n), transform=ax.transAxes, fontsize=10, fontweight="bold", va="top")
            ax.text(1.02, 0.62, f"mean {m:+.2f} {sw.unit}\n95% interval {q1:+.2f} to {q2:+.2f}\n"
                    f"better than reference in {100 * better:.0f}%{miss}",
                    transform=ax.transAxes, fontsize=8.5, va="top", linespacing=1.4)
            ax.set_yticks([])
            ax.set_ylabel("draws", fontsize=8)
            for side in ("top", "right", "left"):
                ax.spines[side].set_visible(False)
        axes[-1, 0].set_xlim(lo, hi)
        axes[-1, 0].set_xlabel(f"Strategy minus {pretty(sw.reference)} ({sw.unit}); > 0 favours the strategy")
        handles = [Line2D([], [], color="black", lw=1.5, label="mean"),
                   Patch(color="grey", alpha=0.25, label="95% interval of the draws"),
                   Line2D([], [], color="grey", lw=1, ls=":", label="no difference")]
        fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=9, bbox_to_anchor=(0.39, 0))
        fig.suptitle(f"PSA ({ndraws} draws): difference in {label} vs {pretty(sw.reference)}\n"
                     "paired differences, same simulated patients for every strategy", fontsize=11)
        h = fig.get_figheight()
        fig.subplots_adjust(left=0.04, right=0.74, top=1 - 0.75 / h, bottom=0.95 / h, hspace=0.25)
        save(fig, prefix, "psa_diff", written)

    # Probability best: per draw, the strategy with the highest metric (ties shared equally); draws with a
    # missing value (median not reached) are left out and counted in the title.
    complete = np.isfinite(draws).all(axis=1)
    d = draws[complete]
    if len(d):
        best = d == d.max(axis=1, keepdims=True)
        share = (best / best.sum(axis=1, keepdims=True)).mean(axis=0)
        order = np.argsort(share)
        fig, ax = plt.subplots(figsize=(8.5, 0.5 * len(sw.strategies) + 1.8))
        names = [sw.strategies[i] for i in order]
        ax.barh(range(len(order)), 100 * share[order], color=[colors[n] for n in names])
        for k, i in enumerate(order):
            ax.text(100 * share[i] + 1, k, f"{100 * share[i]:.1f}%", va="center", fontsize=9)
        ax.set_yticks(range(len(order)))
        ax.set_yticklabels([pretty(n) + (" (reference)" if n == sw.reference else "") for n in names])
        ax.set_xlim(0, 112)
        ax.set_xlabel("Probability of being best (% of draws)")
        ax.grid(axis="x", alpha=0.3)
        left = "" if complete.all() else f"; {int((~complete).sum())} draw(s) with a missing value left out"
        ax.set_title(f"PSA: probability each strategy is best ({len(d)} draws{left})\n"
                     f"best = highest {label} in the draw", fontsize=11)
        fig.tight_layout()
        save(fig, prefix, "psa_best", written)
    plot_scatter(sw, vals, horizon, args, prefix, written)


def plot_scatter(sw, vals, horizon, args, prefix, written):
    params = varying_params(sw)
    if not params:
        return
    comps = comparisons(sw, args)
    colors = strategy_colors(sw.strategies)
    ncols = min(3, len(params))
    nrows = (len(params) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.8 * ncols, 3.8 * nrows + 0.9), squeeze=False, sharey=True)
    diff = comps[0][1] is not None
    alpha = max(0.15, min(0.7, 150.0 / len(sw.points)))
    for ax, p in zip(axes.flat, params):
        x = np.repeat(sw.points[p], sw.nrep)
        for s, r in comps:
            y = series(vals, s, r).reshape(-1)
            ok = np.isfinite(y)
            name = sw.strategies[s]
            ax.scatter(x[ok], y[ok], s=7 if len(sw.points) > 100 else 16, color=colors[name], alpha=alpha, lw=0)
            # Trend: means within deciles of the parameter.
            if ok.sum() >= 20:
                edges = np.unique(np.quantile(x[ok], np.linspace(0, 1, 11)))
                idx = np.clip(np.searchsorted(edges, x[ok], side="right") - 1, 0, len(edges) - 2)
                mx = [x[ok][idx == k].mean() for k in range(len(edges) - 1) if (idx == k).any()]
                my = [y[ok][idx == k].mean() for k in range(len(edges) - 1) if (idx == k).any()]
                ax.plot(mx, my, color=colors[name], lw=2)
        if diff:
            ax.axhline(0, color="grey", lw=1, ls=":")
        ax.set_xlabel(pretty(p) + (" (log scale)" if p in sw.log_scale else ""))
        if p in sw.log_scale:
            ax.set_xscale("log")
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(params):]:
        ax.set_visible(False)
    ylabel = cap(metric_label(args, horizon, sw.unit, diff=diff)) + (" vs reference" if diff else "") + \
        f" ({sw.unit})"
    for row in axes:
        row[0].set_ylabel(wrap(ylabel), fontsize=9)
    handles = [Line2D([], [], color=colors[sw.strategies[s]], lw=2, marker="o", ms=4,
                      label=comparison_title(sw, s, r)) for s, r in comps]
    fig.legend(handles=handles, loc="lower center", ncol=min(3, len(handles)), frameon=False, fontsize=9)
    nleg = (len(handles) + 2) // 3
    kind = "PSA draws" if sw.design == "psa" else "Latin hypercube points"
    fig.suptitle(f"{kind} ({len(sw.points) * sw.nrep}): {metric_label(args, horizon, sw.unit, diff=diff)} "
                 "against each parameter\n(dots: points; lines: means within deciles of the parameter)",
                 fontsize=11)
    fig.tight_layout(rect=(0, 0.035 * nleg + 0.01, 1, 1))
    save(fig, prefix, "scatter", written)


# ---------------------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", help="the sweep's output directory (holding sweep.h5), or the sweep.h5 file")
    ap.add_argument("--endpoint", default=None, help="endpoint (default: pfs_after_relapse, else pfs, else first)")
    ap.add_argument("--metric", default="rmst", choices=["rmst", "median"],
                    help="restricted mean survival time to the horizon (default) or median, in months")
    ap.add_argument("--strategy", default=None, help="draw only this strategy (vs the reference)")
    ap.add_argument("--reference", default=None, help="reference strategy (default: the sweep's)")
    ap.add_argument("--absolute", action="store_true", help="plot the metric itself, not differences")
    ap.add_argument("--out", default=None, help="output prefix (default OUTDIR/plot_<endpoint>_<metric>)")
    args = ap.parse_args()

    if os.path.isdir(args.outdir):
        path = os.path.join(args.outdir, "sweep.h5")
        if not os.path.exists(path):
            hint = " (shards present: run 'mmsim merge OUTDIR' first)" if os.path.isdir(
                os.path.join(args.outdir, "shards")) else ""
            raise InputError(f"{args.outdir}: no sweep.h5{hint}")
        outdir = args.outdir
    elif os.path.isfile(args.outdir):
        path, outdir = args.outdir, os.path.dirname(args.outdir) or "."
    else:
        raise InputError(f"{args.outdir}: no such directory")
    try:
        sw = Sweep(path)
    except OSError as e:
        raise InputError(f"{path}: cannot read as HDF5 ({e})")
    if args.endpoint is None:
        args.endpoint = next((e for e in ("pfs_after_relapse", "pfs") if e in sw.endpoints), sw.endpoints[0])
    if args.endpoint not in sw.endpoints:
        raise InputError(f"unknown endpoint '{args.endpoint}'; this sweep has: {', '.join(sw.endpoints)}")
    for opt in ("strategy", "reference"):
        v = getattr(args, opt)
        if v is not None and v not in sw.strategies:
            raise InputError(f"unknown --{opt} '{v}'; this sweep has: {', '.join(sw.strategies)}")
    if args.reference:
        sw.reference = args.reference
    vals, horizon = sw.values(args.endpoint, args.metric)
    prefix = args.out or os.path.join(outdir, f"plot_{args.endpoint}_{args.metric}")
    if os.path.dirname(prefix):
        os.makedirs(os.path.dirname(prefix), exist_ok=True)
    import_matplotlib()
    plt.rcParams.update({"font.size": 10, "axes.titlesize": 10, "svg.fonttype": "none"})
    written = []
    if sw.design == "oneway":
        plot_tornado(sw, vals, horizon, args, prefix, written)
    elif sw.design == "grid":
        plot_grid(sw, vals, horizon, args, prefix, written)
    elif sw.design == "psa":
        plot_psa(sw, vals, horizon, args, prefix, written)
    else:
        plot_scatter(sw, vals, horizon, args, prefix, written)
    print(f"{sw.design} sweep, {len(sw.points)} point(s) x {sw.nrep} replicate(s), {len(sw.strategies)} "
          f"strateg{'y' if len(sw.strategies) == 1 else 'ies'}; {args.endpoint} {args.metric}; wrote:")
    for w in written:
        print("  " + w)


if __name__ == "__main__":
    try:
        main()
    except InputError as e:
        print(f"plot_sweep.py: {e}", file=sys.stderr)
        sys.exit(2)
