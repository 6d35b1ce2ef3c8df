# The shared start of the CLI tests (sourced, not a test itself: its name does not start with test_):
#   source "$2/tests/cli/lib.sh"
# Every test is run as `bash test_X.sh MMSIM SOURCE_ROOT` (tests/CMakeLists.txt). This sets mmsim (the binary),
# root (the source root, absolute), py (Debian's python3: it has h5py, numpy and matplotlib), work (a
# temporary folder, removed on exit) and fail=0, and defines note_fail MESSAGE: print "FAIL: MESSAGE" and
# set fail=1 (a test ends with its own verdict on $fail).
set -u
mmsim=$1
root=$(cd "$2" && pwd)
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
note_fail() { echo "FAIL: $*"; fail=1; }
