#!/usr/bin/env bash
# Damaged or wrong inputs to `report` and `merge` (issue 16, items 5 and 11) exit 2 with a message naming the
# file and what is wrong, and write nothing: a directory, a device, a truncated copy, a file that is not
# HDF5, and one flipped bit in a chunk of a run file or of a sweep shard (caught by the chunk's Fletcher32
# checksum; before it, the flipped bit merged silently into a wrong sweep.csv).
source "$2/tests/cli/lib.sh"
expect2() {  # expect2 FRAGMENT ARGS...
  local frag=$1
  shift
  "$mmsim" "$@" >"$work/stdout" 2>"$work/stderr"
  local code=$?
  [[ $code -eq 2 ]] || note_fail "'$*': exit $code, expected 2; stderr: $(head -c 300 "$work/stderr")"
  grep -qF -- "$frag" "$work/stderr" || note_fail "'$*': message lacks '$frag'; got: $(head -c 300 "$work/stderr")"
}
# flip_bit FILE DATASET: flips one bit inside the first chunk of DATASET
flip_bit() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, h5py
path, name = sys.argv[1], sys.argv[2]
with h5py.File(path, "r") as f:
    info = f[name].id.get_chunk_info(0)
with open(path, "r+b") as g:
    g.seek(info.byte_offset + info.size // 2)
    b = g.read(1)
    g.seek(info.byte_offset + info.size // 2)
    g.write(bytes([b[0] ^ 0x10]))
PY
}

"$mmsim" run "$root/configs/reference/illness_death.toml" --patients 3000 -o "$work/run.h5" -q || note_fail "run"
expect2 "it is a directory" report "$work"
expect2 "character device" report /dev/zero
head -c 4000 "$work/run.h5" >"$work/truncated.h5"
expect2 "truncated.h5 is damaged or unreadable" report "$work/truncated.h5"
echo "not hdf5" >"$work/text.h5"
expect2 "is not an HDF5 file" report "$work/text.h5"
cp "$work/run.h5" "$work/flipped.h5"
flip_bit "$work/flipped.h5" strategies/default/patients
expect2 "Fletcher32 checksum" report "$work/flipped.h5"

sweep="$root/configs/sweeps/illness_death_grid.toml"
"$mmsim" sweep "$sweep" -o "$work/sweep" --patients 200 --shard 0/2 -q || note_fail "shard 0"
"$mmsim" sweep "$sweep" -o "$work/sweep" --patients 200 --shard 1/2 -q || note_fail "shard 1"
flip_bit "$work/sweep/shards/shard-0-of-2.h5" sweep/endpoints
expect2 "shard-0-of-2.h5 is damaged or unreadable" merge "$work/sweep"
[[ -e "$work/sweep/sweep.csv" || -e "$work/sweep/sweep.h5" ]] && note_fail "a merge of a damaged shard wrote output"

[[ $fail -eq 0 ]] && echo "damaged inputs: all refused with exit 2"
exit $fail
