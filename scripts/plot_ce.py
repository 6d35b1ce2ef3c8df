#!/usr/bin/python3
"""Cost-effectiveness figures of a PSA from the folder `mmsim voi SWEEP_DIR --wtp ... -o VOI_DIR` wrote
(docs/economics_voi.md):

  ce_plane   incremental cost against incremental effect of every PSA draw, one colour per strategy against the
             reference, with the line of slope WTP (points below it are cost-effective at that WTP);
  ceac       probability each strategy is the most cost-effective, against WTP;
  ceaf       the frontier: the probability that the strategy of greatest expected NMB is the best, against WTP,
             the strategy named along the curve;
  evpi       per-patient EVPI against WTP (with a 95% band from its Monte Carlo SE), and the EVPPI of each
             parameter group where the folder has them (points with 95% bars).

Usage: /usr/bin/python3 scripts/plot_ce.py VOI_DIR [--reference NAME] [--wtp W] [--format png|svg|pdf]
                                             [--out PREFIX] [--dpi N]
Writes PREFIX_<figure>.<format> (PREFIX defaults to VOI_DIR/ce). Needs Debian's python3-matplotlib and numpy.
"""
import argparse
import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmsim_figures import LINE_STYLES, plt, save_figure  # noqa: E402

SCRIPT = "plot_ce.py"


class InputError(Exception):
    pass


def read_table(path):
    """Header and rows of a CSV file as lists of strings."""
    if not os.path.isfile(path):
        raise InputError(f"{path}: not found (write it with: mmsim voi SWEEP_DIR --wtp ... -o VOI_DIR)")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if len(rows) < 2:
        raise InputError(f"{path}: no rows")
    return rows[0], rows[1:]


def read_matrix(path):
    header, rows = read_table(path)
    try:
        m = np.array([[float(v) for v in r] for r in rows])
    except ValueError as e:
        raise InputError(f"{path}: {e}")
    if m.shape[1] != len(header):
        raise InputError(f"{path}: rows and header disagree")
    return header, m


def column(header, rows, name, path, cast=float):
    if name not in header:
        raise InputError(f"{path}: no column '{name}'")
    i = header.index(name)
    return [cast(r[i]) for r in rows]


def money_axis(ax, axis="y"):
    from matplotlib.ticker import FuncFormatter

    def label(v, _):
        if v == 0:  # also -0.0, which would print as "-0"
            return "0"
        if abs(v) >= 1000:
            return f"{v / 1000:,.0f}k"
        return f"{v:,.0f}" if abs(v) >= 10 else f"{v:.2g}"  # small amounts keep their digits

    fmt = FuncFormatter(label)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("voi_dir")
    p.add_argument("--reference", help="strategy the CE plane compares against (default: the first)")
    p.add_argument("--wtp", type=float, help="WTP of the CE plane's line (default: the middle of the grid)")
    p.add_argument("--format", default="png", choices=["png", "svg", "pdf"])
    p.add_argument("--out", help="output prefix (default VOI_DIR/ce)")
    p.add_argument("--dpi", type=int, default=150)
    args = p.parse_args()
    d = args.voi_dir
    if not os.path.isdir(d):
        raise InputError(f"{d}: not a folder")
    strategies, cost = read_matrix(os.path.join(d, "psa_cost.csv"))
    strategies_e, effect = read_matrix(os.path.join(d, "psa_effectiveness.csv"))
    if strategies != strategies_e or cost.shape != effect.shape:
        raise InputError(f"{d}: psa_cost.csv and psa_effectiveness.csv disagree")
    ref = args.reference or strategies[0]
    if ref not in strategies:
        raise InputError(f"unknown --reference '{ref}'; strategies: {', '.join(strategies)}")
    h, rows = read_table(os.path.join(d, "ceac.csv"))
    ceac_path = os.path.join(d, "ceac.csv")
    wtp_col = np.array(column(h, rows, "wtp", ceac_path))
    strat_col = column(h, rows, "strategy", ceac_path, str)
    prob_col = np.array(column(h, rows, "probability_cost_effective", ceac_path))
    effect_name = next((c[len("expected_"):] for c in h if c.startswith("expected_") and c not in
                        ("expected_cost", "expected_nmb")), "effect")
    wtps = np.unique(wtp_col)
    hf, rows_f = read_table(os.path.join(d, "ceaf.csv"))
    ceaf_path = os.path.join(d, "ceaf.csv")
    f_wtp = np.array(column(hf, rows_f, "wtp", ceaf_path))
    f_best = column(hf, rows_f, "optimal_strategy", ceaf_path, str)
    f_prob = np.array(column(hf, rows_f, "probability_cost_effective", ceaf_path))
    he, rows_e = read_table(os.path.join(d, "evpi.csv"))
    evpi_path = os.path.join(d, "evpi.csv")
    e_wtp = np.array(column(he, rows_e, "wtp", evpi_path))
    evpi = np.array(column(he, rows_e, "evpi", evpi_path))
    evpi_se = np.array(column(he, rows_e, "evpi_se", evpi_path))
    plt.rcParams.update({"font.size": 10, "axes.titlesize": 10})
    colors = {s: f"C{i}" for i, s in enumerate(strategies)}
    prefix = args.out or os.path.join(d, "ce")
    n = cost.shape[0]
    wtp_line = args.wtp if args.wtp is not None else float(wtps[len(wtps) // 2])

    # CE plane
    r = strategies.index(ref)
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    all_de, all_dc = [0.0], [0.0]
    for j, s in enumerate(strategies):
        if j == r:
            continue
        de, dc = effect[:, j] - effect[:, r], cost[:, j] - cost[:, r]
        all_de += list(de)
        all_dc += list(dc)
        ax.scatter(de, dc, s=9, alpha=0.45, color=colors[s], label=f"{s} vs {ref}", edgecolors="none")
        ax.plot(de.mean(), dc.mean(), marker="X", ms=11, color=colors[s], mec="black", mew=0.8)
    lo, hi = min(all_de), max(all_de)
    pad = 0.08 * (hi - lo if hi > lo else 1.0)
    xs = np.array([lo - pad, hi + pad])
    ax.plot(xs, wtp_line * xs, color="black", ls="--", lw=1, label=f"WTP {wtp_line:,.0f} per {effect_name.upper()}")
    ax.axhline(0, color="grey", lw=0.6)
    ax.axvline(0, color="grey", lw=0.6)
    ax.set_xlim(xs)
    dlo, dhi = min(all_dc), max(all_dc)
    dpad = 0.08 * (dhi - dlo if dhi > dlo else 1.0)
    ax.set_ylim(dlo - dpad, dhi + dpad)
    ax.set_xlabel(f"Incremental {effect_name.upper() if effect_name in ('qaly', 'ly') else effect_name} per patient")
    ax.set_ylabel("Incremental cost per patient")
    money_axis(ax)
    ax.set_title(f"Cost-effectiveness plane: {n} PSA draws against {ref} (X: means)")
    # Beside the axes: the draws and the WTP line may fill any corner of the plane.
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    save_figure(fig, None, f"{prefix}_plane.{args.format}", args.dpi, SCRIPT)
    plt.close(fig)

    # CEAC
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    for i, s in enumerate(strategies):
        sel = [k for k, v in enumerate(strat_col) if v == s]
        ax.plot(wtp_col[sel], prob_col[sel], color=colors[s], ls=LINE_STYLES[i % len(LINE_STYLES)], label=s)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"Willingness to pay per {effect_name.upper()}")
    ax.set_ylabel("Probability cost-effective")
    money_axis(ax, "x")
    ax.set_title(f"Cost-effectiveness acceptability curves ({n} PSA draws)")
    ax.legend(loc="best", fontsize=8, frameon=False)
    save_figure(fig, None, f"{prefix}_ceac.{args.format}", args.dpi, SCRIPT)
    plt.close(fig)

    # CEAF
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    for s in strategies:
        mask = np.array([b == s for b in f_best])
        if mask.any():
            ax.scatter(f_wtp[mask], f_prob[mask], color=colors[s], s=14, label=f"{s} optimal")
    ax.plot(f_wtp, f_prob, color="black", lw=0.8, alpha=0.6)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"Willingness to pay per {effect_name.upper()}")
    ax.set_ylabel("Probability the optimal strategy is best")
    money_axis(ax, "x")
    ax.set_title("Cost-effectiveness acceptability frontier (strategy of greatest expected NMB)")
    ax.legend(loc="best", fontsize=8, frameon=False)
    save_figure(fig, None, f"{prefix}_ceaf.{args.format}", args.dpi, SCRIPT)
    plt.close(fig)

    # EVPI (and EVPPI)
    evppi_path = os.path.join(d, "evppi.csv")
    groups = []
    if os.path.isfile(evppi_path):
        hp, rows_p = read_table(evppi_path) if sum(1 for _ in open(evppi_path)) > 1 else ([], [])
        if rows_p:
            g = column(hp, rows_p, "group", evppi_path, str)
            gw = np.array(column(hp, rows_p, "wtp", evppi_path))
            gv = np.array(column(hp, rows_p, "evppi", evppi_path))
            gs = np.array(column(hp, rows_p, "evppi_se", evppi_path))
            groups = [(name, gw[[k for k, v in enumerate(g) if v == name]], gv[[k for k, v in enumerate(g) if v == name]],
                       gs[[k for k, v in enumerate(g) if v == name]]) for name in dict.fromkeys(g)]
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    ax.fill_between(e_wtp, np.maximum(evpi - 1.96 * evpi_se, 0.0), evpi + 1.96 * evpi_se, color="black", alpha=0.12, lw=0)
    ax.plot(e_wtp, evpi, color="black", lw=1.6, label="EVPI")
    for i, (name, gw, gv, gs) in enumerate(groups):
        ax.errorbar(gw, gv, yerr=1.96 * gs, fmt="o-" if len(gw) > 1 else "o", ms=4, capsize=3, lw=1,
                    color=f"C{(i + len(strategies)) % 10}", label=f"EVPPI {name}")
    ax.set_xlabel(f"Willingness to pay per {effect_name.upper()}")
    ax.set_ylabel("Expected value of information per patient")
    money_axis(ax, "x")
    money_axis(ax, "y")
    # Value of information is never negative; when it is 0 at every WTP (one strategy best in every draw) the
    # axis still needs a height to show that.
    top = max([float(np.max(evpi + 1.96 * evpi_se))] + [float(np.max(gv + 1.96 * gs)) for _, _, gv, gs in groups])
    ax.set_ylim(0.0, top * 1.1 if top > 0 else 1.0)
    ax.set_title("Expected value of perfect information (95% bands: Monte Carlo / regression SE)")
    ax.legend(loc="best", fontsize=8, frameon=False)
    save_figure(fig, None, f"{prefix}_evpi.{args.format}", args.dpi, SCRIPT)
    plt.close(fig)


if __name__ == "__main__":
    try:
        main()
    except InputError as e:
        print(f"{SCRIPT}: {e}", file=sys.stderr)
        sys.exit(2)
