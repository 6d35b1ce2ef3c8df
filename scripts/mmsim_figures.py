"""Shared parts of the mmsim figure scripts (plot_km.py, plot_cif.py): reading the curves a run file stores
beside its summaries (docs/hdf5_schema.md, "Curves for figures"), display names, output formats and the
risk table. Reads only the small summary datasets, never the patients tables, so a figure of any cohort
size takes the same time and memory. Needs Debian's python3-h5py, python3-numpy and python3-matplotlib.
"""
import os
import sys

import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
# Text stays text: searchable and editable SVG (and smaller); TrueType fonts in PDF, as journals ask.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["pdf.fonttype"] = 42
import matplotlib.pyplot as plt  # noqa: E402,F401  (re-exported for the scripts)

SUPPORTED_SCHEMA_MAJOR = 1
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
LINE_STYLES = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 3)), (0, (1, 3))]


def fail(script, message):
    sys.exit(f"{script}: {message}")


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def lines(attrs, name):
    """A newline-separated attribute as a list ([] when absent)."""
    return text(attrs[name]).split("\n") if name in attrs else []


def thousands(n):
    return f"{int(n):,}"


def p_value_text(p):
    if not np.isfinite(p):
        return "p = n/a"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


class RunFile:
    """The root attributes and summary datasets of one mmsim run file."""

    def __init__(self, path, script):
        self.path, self.script = path, script
        try:
            self.f = h5py.File(path, "r")
        except OSError as exc:
            fail(script, f"{path}: cannot open: {exc}")
        a = self.f.attrs
        version = list(a.get("schema_version", [0, 0]))
        if text(a.get("filetype", "")) != "run" or version[0] != SUPPORTED_SCHEMA_MAJOR:
            fail(script, f"{path}: not an mmsim run file of schema {SUPPORTED_SCHEMA_MAJOR}.x")
        self.strategies = [text(s) for s in a["strategy_order"]]
        labels = lines(a, "strategy_labels")
        self.labels = dict(zip(self.strategies, labels if len(labels) == len(self.strategies) else self.strategies))
        self.endpoints = [e for e in text(a.get("endpoints", "")).split(",") if e]
        self.time_unit = text(a.get("time_unit", "months"))
        self.horizon = float(text(a.get("horizon_months", "0")) or 0) or None
        self.patients = int(text(a.get("patients", "0")) or 0)
        self.scenario = text(a.get("config_source", ""))
        titles, axes, time_axes = (lines(a, k) for k in ("endpoint_titles", "endpoint_axes", "endpoint_time_axes"))
        self.endpoint_text = {}
        for i, e in enumerate(self.endpoints):
            pick = lambda xs, default: xs[i] if len(xs) == len(self.endpoints) and xs[i] else default  # noqa: E731
            self.endpoint_text[e] = (pick(titles, e), pick(axes, f"{e} probability"),
                                     pick(time_axes, f"{self.time_unit.capitalize()} since time zero"))
        self.competing_risks = [c for c in text(a.get("competing_risks", "")).split(",") if c]

    def close(self):
        self.f.close()

    def pick_strategies(self, wanted):
        if not wanted:
            return list(self.strategies)
        chosen = [s.strip() for s in wanted.split(",") if s.strip()]
        unknown = [s for s in chosen if s not in self.strategies]
        if unknown:
            fail(self.script, f"unknown strategy '{unknown[0]}' (this file has: {', '.join(self.strategies)})")
        return chosen

    def dataset(self, path, what):
        if path not in self.f:
            fail(self.script, f"{self.path}: no {what} ({path}); it is written by 'mmsim run' with summaries "
                              "(not --no-summary) from this version on")
        data = self.f[path][:]
        if len(data) == 0 and path.endswith("/km_steps"):
            fail(self.script, f"{self.path}: {path} is empty: the file was written by an mmsim that stored no "
                              "curves for runs whose statistics were computed from disk; rerun with this version")
        return data

    def endpoint_rows(self, table, endpoint):
        """Rows of a table keyed by an `endpoint` enum field, for one endpoint."""
        code = h5py.check_enum_dtype(table.dtype["endpoint"])[endpoint]
        return table[table["endpoint"] == code]

    def summary(self, strategy, endpoint):
        """The stored summary row of one endpoint (median and CI, n, events)."""
        tab = self.dataset(f"/strategies/{strategy}/summary/endpoints", "summaries")
        rows = self.endpoint_rows(tab, endpoint)
        return rows[0] if len(rows) else None

    def comparison(self, strategy, endpoint):
        """The stored comparison of a strategy with the reference for one endpoint, or None."""
        if "/comparisons" not in self.f:
            return None
        tab = self.f["/comparisons"][:]
        names = {v: k for k, v in h5py.check_enum_dtype(tab.dtype["strategy"]).items()}
        rows = self.endpoint_rows(tab, endpoint)
        for r in rows:
            if names[int(r["strategy"])] == strategy:
                return r
        return None

    def reference(self):
        if "/comparisons" in self.f and "reference" in self.f["/comparisons"].attrs:
            return text(self.f["/comparisons"].attrs["reference"])
        return self.strategies[0]


def output_path(args_out, default, script):
    out = args_out or default
    ext = os.path.splitext(out)[1].lower()
    if ext not in FORMATS:
        fail(script, f"--out {out}: the extension chooses the format: .png, .svg or .pdf")
    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    return out, FORMATS[ext]


def save_figure(fig, args_out, default, dpi, script):
    """Writes the figure in the format its extension names (output_path) and says where."""
    out, fmt = output_path(args_out, default, script)
    fig.savefig(out, format=fmt, dpi=dpi, bbox_inches="tight")
    print(f"wrote {out}")


def thin_for_display(x, ys, cells=800):
    """Indices of the rows to draw: all when few, else the first and last row in each of `cells` equal cells of
    the x range (the same exact thinning as the run file's, at the figure's resolution)."""
    n = len(x)
    if n <= 2 * cells:
        return np.arange(n)
    last = x[-1] if x[-1] > 0 else 1.0
    c = np.minimum((x / last * cells).astype(np.int64), cells - 1)
    first = np.r_[True, c[1:] != c[:-1]]
    final = np.r_[c[1:] != c[:-1], True]
    return np.nonzero(first | final)[0]


def risk_ticks(max_time, stored_times):
    """x ticks for the axes and the risk table: round multiples that are stored risk-table times."""
    from matplotlib.ticker import MaxNLocator

    stored = np.asarray(stored_times, dtype=float)
    step = stored[1] - stored[0] if len(stored) > 1 else 1.0
    candidates = [s for s in (1, 2, 3, 6, 12, 24, 36, 48, 60, 120, 240) if s % step == 0 or s == step]
    ticks = MaxNLocator(nbins=8, steps=[1, 2, 3, 6, 10]).tick_values(0, max_time)
    ticks = [t for t in ticks if 0 <= t <= max_time * 1.0001]
    if len(stored) and not all(np.isclose(stored, t).any() or t > stored[-1] for t in ticks):
        for s in candidates:
            if max_time / s <= 10:
                ticks = list(np.arange(0, max_time * 1.0001, s))
                break
    return ticks


def value_at(times, values, t):
    """A stored step function (values just after each time) at t; NaN past the stored range."""
    j = np.searchsorted(times, t, side="right") - 1
    if len(times) and t > times[-1]:
        return np.nan
    return values[j] if j >= 0 else None


def draw_risk_table(fig, rect, ticks, max_time, rows, title):
    """rows: (label, colour, [cell text per tick]). A table under the axes, counts centred under the ticks."""
    import matplotlib.transforms

    tab = fig.add_axes(rect)
    tab.set_xlim(0, max_time)
    tab.set_ylim(len(rows) - 0.5, -1.3)
    tab.axis("off")
    at = matplotlib.transforms.blended_transform_factory(tab.transAxes, tab.transData)
    tab.text(-0.075, -1.0, title, transform=at, fontsize=8, fontweight="bold", ha="right", va="center")
    for row, (label, colour, cells) in enumerate(rows):
        tab.text(-0.075, row, label, transform=at, color=colour, fontsize=8, ha="right", va="center")
        for tk, c in zip(ticks, cells):
            tab.text(tk, row, c, fontsize=7.5, ha="center", va="center")
    return tab
