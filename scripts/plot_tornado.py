#!/usr/bin/python3
"""Tornado diagram of a one-way sweep (mmsim sweep with design = "oneway", e.g.
configs/sweeps/flagship_oneway.toml): the parameters ranked by how far each, moved alone to its low and its
high value, moves the ranking statistic of the scenario:

    statistic = RMST(STRATEGY) - RMST(VERSUS) of ENDPOINT (default os_after_relapse),

a paired difference (every point simulates the same patients with the same random numbers). STRATEGY is
mechanism_guided (the flagship's question) when the sweep has it, else the arm with the highest RMST at the
base case, unless --strategy names one; VERSUS is the best other arm at the base case among the arms that
share STRATEGY's index line (the same PFS from the index line at the base case: the arms differ only from
the first relapse, so "after relapse" compares the same relapses), unless --versus names one. A bar that crosses zero reverses the two arms' order; the table also says
whether the best of those arms changes at either end.

usage: /usr/bin/python3 scripts/plot_tornado.py OUTDIR [--endpoint E] [--strategy S] [--versus S] [--top N]
       [--out FILE.png|.svg|.pdf] [--csv FILE] [--dpi D]

Reads OUTDIR/points.csv and OUTDIR/sweep.csv; writes OUTDIR/tornado_<endpoint>.png (or --out) and
OUTDIR/tornado_<endpoint>.csv (or --csv), and prints the table. Debian's python3-numpy and python3-matplotlib.
"""
import argparse
import csv
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SCRIPT = "plot_tornado.py"


def fail(message):
    sys.exit(f"{SCRIPT}: {message}")


def read_csv(path):
    try:
        with open(path, newline="") as f:
            return list(csv.DictReader(f))
    except OSError as exc:
        fail(f"{path}: cannot read: {exc}")


def number(text):
    return float("nan") if text in ("", "NA") else float(text)


class OnewaySweep:
    """The points of a one-way sweep and the RMST of every (point, strategy) for one endpoint (mean over
    replicates)."""

    def __init__(self, outdir, endpoint, index_endpoint="pfs"):
        points = read_csv(os.path.join(outdir, "points.csv"))
        if not points or "varied" not in points[0]:
            fail(f"{outdir}/points.csv: not a one-way sweep (no 'varied' column)")
        self.params = [k for k in points[0] if k not in ("point", "varied")]
        self.points = {int(p["point"]): p for p in points}
        self.base_point = next((i for i, p in self.points.items() if int(p["varied"]) < 0), None)
        if self.base_point is None:
            fail(f"{outdir}: the one-way sweep has no base point (varied = -1)")
        every = read_csv(os.path.join(outdir, "sweep.csv"))
        rows = [r for r in every if r["endpoint"] == endpoint]
        # The index line's PFS at the base case, per strategy: equal for arms that share the index line.
        self.index_pfs = {r["strategy"]: r["rmst"] for r in every
                          if r["endpoint"] == index_endpoint and int(r["point"]) == self.base_point}
        if not rows:
            fail(f"{outdir}/sweep.csv: no rows for the endpoint {endpoint}")
        self.strategies = list(dict.fromkeys(r["strategy"] for r in rows))
        sums, counts = {}, {}
        for r in rows:
            key = (int(r["point"]), r["strategy"])
            sums[key] = sums.get(key, 0.0) + number(r["rmst"])
            counts[key] = counts.get(key, 0) + 1
        self.rmst = {k: sums[k] / counts[k] for k in sums}

    def best(self, point, among=None):
        among = among or self.strategies
        return max(among, key=lambda s: self.rmst[(point, s)])


def tornado(outdir, endpoint="os_after_relapse", strategy=None, versus=None):
    """The tornado table: a dict with the strategies compared and one row per parameter, largest swing first."""
    sw = OnewaySweep(outdir, endpoint)
    base = sw.base_point
    for name, s in (("--strategy", strategy), ("--versus", versus)):
        if s is not None and s not in sw.strategies:
            fail(f"{name} {s}: not a strategy of the sweep ({', '.join(sw.strategies)})")
    focus = strategy or ("mechanism_guided" if "mechanism_guided" in sw.strategies else sw.best(base))
    twins = [s for s in sw.strategies if s != focus and sw.index_pfs.get(s) == sw.index_pfs.get(focus)]
    other = versus or sw.best(base, twins or [s for s in sw.strategies if s != focus])

    def stat(p):
        return sw.rmst[(p, focus)] - sw.rmst[(p, other)]

    # "Best" among the arms that share the index line (the comparison the sweep can make on the same relapses).
    group = [focus] + twins
    best_base = sw.best(base, group)
    rows = []
    for j, name in enumerate(sw.params):
        moved = sorted((i for i, p in sw.points.items() if int(p["varied"]) == j),
                       key=lambda i: float(sw.points[i][name]))
        if not moved:
            continue
        lo, hi = moved[0], moved[-1]
        rows.append({
            "parameter": name,
            "base_value": float(sw.points[base][name]),
            "low_value": float(sw.points[lo][name]),
            "high_value": float(sw.points[hi][name]),
            "statistic_low": stat(lo),
            "statistic_high": stat(hi),
            "swing": abs(stat(hi) - stat(lo)),
            "best_low": sw.best(lo, group),
            "best_high": sw.best(hi, group),
            "reverses_pair": (stat(lo) > 0) != (stat(base) > 0) or (stat(hi) > 0) != (stat(base) > 0),
            "changes_best": sw.best(lo, group) != best_base or sw.best(hi, group) != best_base,
        })
    rows.sort(key=lambda r: -r["swing"])
    return {"endpoint": endpoint, "strategy": focus, "versus": other, "statistic_base": stat(base),
            "best_base": best_base, "group": group, "rows": rows}


def write_table(t, path):
    keys = ["parameter", "base_value", "low_value", "high_value", "statistic_low", "statistic_high", "swing",
            "best_low", "best_high", "reverses_pair", "changes_best"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(keys)
        for r in t["rows"]:
            w.writerow([repr(r[k]) if isinstance(r[k], float) else r[k] for k in keys])
    print(f"wrote {path}")


def short(v):
    return f"{v:.3g}"


def plot(t, out, top, dpi):
    from mmsim_figures import plt, save_figure  # noqa: E402  (matplotlib only when drawing)

    rows = t["rows"][:top] if top else t["rows"]
    base = t["statistic_base"]
    fig, ax = plt.subplots(figsize=(9.0, 0.42 * len(rows) + 1.8))
    for k, r in enumerate(reversed(rows)):
        # Side by side rather than overlaid: both ends can move the statistic the same way.
        for value, colour, label, shift in ((r["statistic_low"], "#3b75af", "parameter at its low value", 0.17),
                                            (r["statistic_high"], "#ef8636", "parameter at its high value", -0.17)):
            ax.barh(k + shift, value - base, left=base, height=0.34, color=colour,
                    label=label if k == 0 else None)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r['parameter']}  ({short(r['low_value'])} to {short(r['high_value'])}, base "
                        f"{short(r['base_value'])})" for r in reversed(rows)], fontsize=8)
    ax.axvline(base, color="black", linewidth=0.8)
    ax.axvline(0.0, color="grey", linewidth=0.8, linestyle="--")
    ax.set_xlabel(f"RMST of {t['endpoint'].replace('_', ' ')}: {t['strategy']} minus {t['versus']} (months)\n"
                  f"solid line: base case {base:.2f}; dashed: zero (the two arms swap order)")
    ax.set_title("One-way sensitivity of the flagship's ranking (each parameter alone at its "
                 "2.5%/97.5% values)" if top is None or len(t["rows"]) <= top else
                 f"One-way sensitivity of the flagship's ranking: the {len(rows)} largest of "
                 f"{len(t['rows'])} parameters", fontsize=10)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    save_figure(fig, out, out, dpi, SCRIPT)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--endpoint", default="os_after_relapse")
    ap.add_argument("--strategy")
    ap.add_argument("--versus")
    ap.add_argument("--top", type=int, default=None, help="draw only the N largest swings")
    ap.add_argument("--out")
    ap.add_argument("--csv")
    ap.add_argument("--dpi", type=int, default=150)
    args = ap.parse_args()
    t = tornado(args.outdir, args.endpoint, args.strategy, args.versus)
    print(f"statistic: RMST {args.endpoint}, {t['strategy']} - {t['versus']}; base {t['statistic_base']:.3f} "
          f"months; best arm at base (among {', '.join(t['group'])}): {t['best_base']}")
    print(f"{'parameter':36} {'low':>9} {'high':>9} {'stat low':>9} {'stat high':>9} {'swing':>7}  best changes")
    for r in t["rows"]:
        print(f"{r['parameter']:36} {short(r['low_value']):>9} {short(r['high_value']):>9} "
              f"{r['statistic_low']:9.3f} {r['statistic_high']:9.3f} {r['swing']:7.3f}  "
              f"{'yes' if r['changes_best'] else 'no'}")
    stem = os.path.join(args.outdir, f"tornado_{args.endpoint}")
    write_table(t, args.csv or stem + ".csv")
    plot(t, args.out or stem + ".png", args.top, args.dpi)
    return 0 if all(math.isfinite(r["swing"]) for r in t["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
