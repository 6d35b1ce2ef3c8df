#!/usr/bin/env bash
# Tidy data: `mmsim export`, scripts/mmsim_read.py (pandas) and scripts/mmsim_read.R (rhdf5) give, for the
# patients, lines and events tables of a flagship run, exactly the rows h5py reads from the file: every
# strategy in strategy_order, a strategy column, enum codes as their labels, NaN as missing, doubles to the
# bit; the Python reader's enum and strategy columns are Categoricals and the R reader's factors, with the
# labels in code order as levels. Also: export through small chunks writes the same bytes, stdout equals -o,
# bad requests exit 2 and write nothing, and a strategy name with '/' is refused naming file, line and key.
source "$2/tests/cli/lib.sh"

# The readers' dependencies are the suite's (scripts/install_deps.sh): missing, the test fails saying which.
"$py" -c "import h5py, pandas" 2>/dev/null || { echo "FAIL: python3-h5py and python3-pandas are needed"; exit 1; }
Rscript -e 'suppressPackageStartupMessages(library(rhdf5))' 2>/dev/null ||
  { echo "FAIL: R with rhdf5 (r-bioc-rhdf5) is needed"; exit 1; }

"$mmsim" run "$root/configs/post_cart_salvage.toml" --patients 150 --seed 5 --threads 2 -q -o "$work/run.h5" ||
  { echo "FAIL: mmsim run"; exit 1; }

for t in patients lines events; do
  "$mmsim" export "$work/run.h5" --table "$t" -o "$work/$t.csv" || note_fail "mmsim export --table $t"
  "$mmsim" export "$work/run.h5" --table "$t" --chunk-rows 7 > "$work/$t.stdout.csv" || note_fail "export to stdout"
  cmp -s "$work/$t.csv" "$work/$t.stdout.csv" || note_fail "$t: export in chunks of 7 rows to stdout differs from -o"
  Rscript "$root/scripts/mmsim_read.R" "$work/run.h5" "$t" > "$work/$t.r.csv" 2> "$work/r.err" ||
    { cat "$work/r.err"; note_fail "mmsim_read.R $t"; }
done
Rscript -e "source('$root/scripts/mmsim_read.R'); d <- mmsim_read_table('$work/run.h5', 'lines')
  for (n in names(d)) if (is.factor(d[[n]])) cat(n, paste(levels(d[[n]]), collapse = ','), '\n', sep = '\t')
  stopifnot(is.factor(d\$strategy), sum(table(d\$therapy)) == nrow(d))" > "$work/r_levels.txt" ||
  note_fail "mmsim_read.R as a module"

PYTHONPATH="$root/scripts" "$py" - "$work" <<'PY' || fail=1
import csv, math, sys
import h5py, numpy as np
import mmsim_read

work = sys.argv[1]
path = f"{work}/run.h5"
bad = []
with h5py.File(path, "r") as f:
    order = [str(s) for s in f.attrs["strategy_order"]]
    raw = {t: [(s, f[f"strategies/{s}/{t}"][()]) for s in order] for t in ("patients", "lines", "events")}

def expected(table):
    """(header, rows) from h5py: strategy, then fields; enum codes as labels, floats as floats."""
    parts = raw[table]
    names = parts[0][1].dtype.names
    rows = []
    for s, a in parts:
        enums = {n: {v: k for k, v in h5py.check_enum_dtype(a.dtype[n]).items()}
                 for n in names if h5py.check_enum_dtype(a.dtype[n]) is not None}
        for r in a:
            rows.append([s] + [enums[n][int(r[n])] if n in enums else r[n].item() for n in names])
    return ["strategy"] + list(names), rows

def same(cell, value):
    if isinstance(value, float):
        if math.isnan(value):
            return cell == ""
        return cell != "" and float(cell) == value
    if isinstance(value, int):
        return cell != "" and int(cell) == value
    return cell == value

for table in ("patients", "lines", "events"):
    header, rows = expected(table)
    if len(rows) == 0:
        bad.append(f"{table}: no rows in the run")
    for source in ("csv", "r.csv"):
        with open(f"{work}/{table}.{source}", newline="") as fh:
            got = list(csv.reader(fh))
        if got[0] != header:
            bad.append(f"{table}.{source}: header {got[0]} != {header}")
            continue
        if len(got) - 1 != len(rows):
            bad.append(f"{table}.{source}: {len(got) - 1} rows, h5py has {len(rows)}")
            continue
        wrong = [(i, j) for i, (g, e) in enumerate(zip(got[1:], rows)) for j in range(len(e)) if not same(g[j], e[j])]
        if wrong:
            i, j = wrong[0]
            bad.append(f"{table}.{source}: {len(wrong)} cells differ; first row {i} {header[j]}: {got[i + 1][j]!r} vs {rows[i][j]!r}")
    # The pandas reader: same values, Categoricals for enums (labels in code order) and for the strategy.
    df = mmsim_read.read_table(path, table)
    if list(df.columns) != header or len(df) != len(rows):
        bad.append(f"mmsim_read.py {table}: columns {list(df.columns)} / {len(df)} rows")
        continue
    if list(df["strategy"].cat.categories) != order:
        bad.append(f"mmsim_read.py {table}: strategy categories {list(df['strategy'].cat.categories)}")
    a0 = raw[table][0][1]
    for n in a0.dtype.names:
        labels = h5py.check_enum_dtype(a0.dtype[n])
        if labels is not None:
            want = [k for k, _ in sorted(labels.items(), key=lambda kv: kv[1])]
            if str(df[n].dtype) != "category" or list(df[n].cat.categories) != want:
                bad.append(f"mmsim_read.py {table}.{n}: not a Categorical of {want}")
    for j, n in enumerate(header):
        col = df[n].tolist()
        for i, e in enumerate(r[j] for r in rows):
            g = col[i]
            if not (g == e or (isinstance(e, float) and math.isnan(e) and isinstance(g, float) and math.isnan(g))):
                bad.append(f"mmsim_read.py {table}.{n}[{i}]: {g!r} vs {e!r}")
                break
    sub = mmsim_read.read_table(path, table, strategies=[order[-1]])
    if set(sub["strategy"]) != {order[-1]} or len(sub) != len(raw[table][-1][1]):
        bad.append(f"mmsim_read.py {table}: strategies= selection")
    if table == "lines":
        # R's factor levels: the labels in code order, like h5py's.
        levels = dict(line.rstrip("\n").split("\t")[:2] for line in open(f"{work}/r_levels.txt") if "\t" in line)
        want = {"strategy": ",".join(order)}
        for n in a0.dtype.names:
            labels = h5py.check_enum_dtype(a0.dtype[n])
            if labels is not None:
                want[n] = ",".join(k for k, _ in sorted(labels.items(), key=lambda kv: kv[1]))
        if levels != want:
            bad.append(f"mmsim_read.R factor levels {levels} != {want}")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY

# Bad requests: exit 2, a message naming the problem, no output file.
"$mmsim" export "$work/run.h5" --table nope -o "$work/nope.csv" 2> "$work/err"; rc=$?
[[ $rc -eq 2 ]] && grep -q "no table 'nope'.*events, lines, patients" "$work/err" && [[ ! -e "$work/nope.csv" ]] ||
  note_fail "unknown table: rc=$rc $(cat "$work/err")"
"$mmsim" export "$work/run.h5" 2> "$work/err"; rc=$?
[[ $rc -eq 2 ]] && grep -q -- "--table" "$work/err" || note_fail "missing --table: rc=$rc"
"$mmsim" export "$work/run.h5" --table lines -o "$work/run.h5" 2> "$work/err"; rc=$?
[[ $rc -eq 2 ]] && "$py" -c "import h5py; h5py.File('$work/run.h5', 'r')" || note_fail "export over its input: rc=$rc"
"$mmsim" export "$work/run.h5" --table lines --format xlsx 2> "$work/err"; rc=$?
[[ $rc -eq 2 ]] && grep -q "xlsx" "$work/err" || note_fail "unknown format: rc=$rc"

# A strategy name that would nest HDF5 groups is refused where it is written.
mkdir -p "$work/cfg"
sed '/^\[\[strategy\]\]/,$ s|^name = "retreat_bcma_cart"|name = "retreat/bcma"|; s|\.\./models/|'"$root"'/models/|' \
  "$root/configs/post_cart_salvage.toml" > "$work/cfg/slash.toml"
line=$(grep -n 'name = "retreat/bcma"' "$work/cfg/slash.toml" | cut -d: -f1)
"$mmsim" run "$work/cfg/slash.toml" --patients 5 -q -o "$work/slash.h5" 2> "$work/err"; rc=$?
[[ $rc -eq 2 ]] && grep -q "slash.toml:$line:.*strategy\[0\]\.name: .*'/'" "$work/err" && [[ ! -e "$work/slash.h5" ]] ||
  note_fail "strategy name with '/': rc=$rc $(cat "$work/err")"

[[ $fail -eq 0 ]] && echo "PASS: export and the Python and R readers agree with h5py"
exit $fail
