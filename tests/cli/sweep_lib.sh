# Shared helpers of the sweep tests (sourced, not a test itself: its name does not start with test_), after
# lib.sh where a test uses that (test_sweep_slurm.sh sets up its own mmsim and work folder).
PY=/usr/bin/python3  # Debian's interpreter: it has h5py (docs: CLUSTER.md)
fail=0
note_fail() { echo "FAIL: $*"; fail=1; }

# same_sweep A.h5 B.h5: every dataset of two merged sweeps has the same type and the same bytes.
same_sweep() {
  "$PY" - "$1" "$2" <<'PYEOF'
import sys, h5py
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
def datasets(f):
    out = []
    f.visititems(lambda name, obj: out.append(name) if isinstance(obj, h5py.Dataset) else None)
    return sorted(out)
if datasets(a) != datasets(b):
    sys.exit(f"datasets differ: {datasets(a)} vs {datasets(b)}")
for d in datasets(a):
    if a[d].dtype != b[d].dtype or a[d][()].tobytes() != b[d][()].tobytes():
        sys.exit(f"dataset {d} differs between {sys.argv[1]} and {sys.argv[2]}")
if a["sweep/endpoints"].shape[0] == 0:
    sys.exit("no rows")
PYEOF
}
