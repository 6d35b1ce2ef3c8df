#!/usr/bin/python3
"""Tidy pandas DataFrames from an mmsim run file: one long table with a `strategy` column.

As a module (Debian's python3-pandas and python3-h5py):

    import sys; sys.path.insert(0, "scripts")
    import mmsim_read
    patients = mmsim_read.read_table("results/run.h5", "patients")   # every strategy, stacked
    patients.groupby("strategy", observed=True)["os_time"].median()
    mmsim_read.strategies("results/run.h5")                          # config order
    mmsim_read.tables("results/run.h5")                              # ['events', 'lines', 'patients']

Enum columns (a state, a line's regimen, ...) come back as pandas Categoricals whose categories are the labels
in code order, and `strategy` as a Categorical in the run's strategy order, so groupby, value_counts and
crosstab show names and keep every level (also those with no rows). Undefined values are NaN.

From the command line it prints the same rows as `mmsim export` (CSV, enum labels, NaN as empty):

    /usr/bin/python3 scripts/mmsim_read.py RESULT.h5 --table patients [--strategies a,b] > patients.csv
"""
import argparse
import sys

import h5py
import numpy as np
import pandas as pd

SUPPORTED_SCHEMA_MAJOR = 1


def _open(path):
    f = h5py.File(path, "r")
    if f.attrs.get("filetype") != "run":
        f.close()
        raise ValueError(f"{path} is not an mmsim run file (filetype {f.attrs.get('filetype')!r})")
    major = int(np.asarray(f.attrs["schema_version"])[0])
    if major != SUPPORTED_SCHEMA_MAJOR:
        f.close()
        raise ValueError(f"{path} uses schema {major}.x; this reader reads {SUPPORTED_SCHEMA_MAJOR}.x")
    return f


def _strategy_order(f):
    order = f.attrs.get("strategy_order", [])
    return [s.decode() if isinstance(s, bytes) else str(s) for s in np.atleast_1d(order)]


def strategies(path):
    """Strategy names in config order."""
    with _open(path) as f:
        return _strategy_order(f)


def tables(path):
    """The per-strategy tables of the run (summaries excluded)."""
    with _open(path) as f:
        order = _strategy_order(f)
        if not order:
            return []
        group = f["strategies"][order[0]]
        return sorted(k for k, v in group.items() if isinstance(v, h5py.Dataset))


def _frame(data):
    """A DataFrame of a structured array, enum fields as Categoricals of their labels."""
    columns = {}
    for name in data.dtype.names:
        values = data[name]
        labels = h5py.check_enum_dtype(data.dtype[name])
        if labels is not None:
            by_code = sorted(labels.items(), key=lambda kv: kv[1])
            categories = [label for label, _ in by_code]
            codes = np.full(len(values), -1, dtype=np.int64)
            for position, (_, code) in enumerate(by_code):
                codes[values == code] = position
            if (codes < 0).any():
                raise ValueError(f"field {name} holds a code with no label")
            columns[name] = pd.Categorical.from_codes(codes, categories=categories)
        else:
            columns[name] = values
    return pd.DataFrame(columns)


def read_table(path, table, strategies=None):
    """One table of every strategy (or of `strategies`, in run order), stacked, `strategy` first."""
    with _open(path) as f:
        order = _strategy_order(f)
        wanted = order if strategies is None else [s for s in order if s in set(strategies)]
        if strategies is not None:
            unknown = sorted(set(strategies) - set(order))
            if unknown:
                raise KeyError(f"{path} has no strategy {', '.join(unknown)} (strategies: {', '.join(order)})")
        frames = []
        for s in wanted:
            key = f"strategies/{s}/{table}"
            if key not in f:
                raise KeyError(f"{path} has no table {table!r} for strategy {s!r}")
            frame = _frame(f[key][()])
            frame.insert(0, "strategy", pd.Categorical([s] * len(frame), categories=order))
            frames.append(frame)
    if not frames:
        return pd.DataFrame({"strategy": pd.Categorical([], categories=order)})
    # concat keeps a Categorical only when every part has the same categories, as they have here.
    return pd.concat(frames, ignore_index=True)


def main(argv=None):
    p = argparse.ArgumentParser(description="print one table of an mmsim run file as a tidy CSV")
    p.add_argument("result")
    p.add_argument("--table", required=True)
    p.add_argument("--strategies", help="comma-separated (default: all, in run order)")
    a = p.parse_args(argv)
    try:
        df = read_table(a.result, a.table, a.strategies.split(",") if a.strategies else None)
    except (OSError, KeyError, ValueError) as e:
        print(f"mmsim_read: {e}", file=sys.stderr)
        return 2
    df.to_csv(sys.stdout, index=False, na_rep="", float_format=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
