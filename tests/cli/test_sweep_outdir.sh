#!/usr/bin/env bash
# A sweep's OUTDIR (issue 16, items 5, 6 and 12): a folder that is not a sweep's but holds a name the sweep
# writes is refused, so a user's points.csv is never replaced; two different sweeps racing for a fresh OUTDIR
# cannot both claim it; a resumed run recomputes a point file that is damaged (flipped bit) or was copied under
# another point's index, and the result equals an uninterrupted run's.
source "$2/tests/cli/lib.sh"
grid="$root/configs/sweeps/illness_death_grid.toml"

mkdir -p "$work/mine"
echo "my own table" >"$work/mine/points.csv"
"$mmsim" sweep "$grid" -o "$work/mine" --patients 100 -q 2>"$work/err"
code=$?
[[ $code -eq 2 ]] && grep -q "holds points.csv" "$work/err" || note_fail "foreign folder: exit $code, $(cat "$work/err")"
[[ $(cat "$work/mine/points.csv") == "my own table" ]] || note_fail "the user's points.csv was replaced"

# Two different sweeps (other cohort sizes hash differently) claim one fresh OUTDIR at the same moment.
for i in $(seq 8); do
  "$mmsim" sweep "$grid" -o "$work/race" --patients 100 --shard 0/4 -q 2>"$work/race_a" &
  a=$!
  "$mmsim" sweep "$grid" -o "$work/race" --patients 101 --shard 1/4 -q 2>"$work/race_b" &
  b=$!
  wait $a; ca=$?
  wait $b; cb=$?
  [[ $ca -eq 0 && $cb -eq 0 ]] && { note_fail "round $i: both sweeps claimed one OUTDIR"; break; }
  [[ $ca -eq 0 || $cb -eq 0 ]] || note_fail "round $i: neither sweep ran ($(cat "$work/race_a" "$work/race_b"))"
  rm -rf "$work/race"
done

# Resume after damage: the whole sweep, then a damaged point file and one copied under another index.
"$mmsim" sweep "$grid" -o "$work/whole" --patients 100 -q || note_fail "whole sweep"
"$mmsim" sweep "$grid" -o "$work/resumed" --patients 100 -q --shard 0/1 || note_fail "first run"
points="$work/resumed/shards/points"
rm "$work/resumed/shards/shard-0-of-1.h5"
/usr/bin/python3 - "$points/point-0.h5" <<'PY'
import sys, h5py
path = sys.argv[1]
with h5py.File(path, "r") as f:
    info = f["sweep/endpoints"].id.get_chunk_info(0)
with open(path, "r+b") as g:
    g.seek(info.byte_offset + 8)
    b = g.read(1)
    g.seek(info.byte_offset + 8)
    g.write(bytes([b[0] ^ 0x01]))
PY
cp "$points/point-1.h5" "$points/point-2.h5"
"$mmsim" sweep "$grid" -o "$work/resumed" --patients 100 --shard 0/1 >"$work/out" || note_fail "resume failed"
grep -q "2 point(s) run" "$work/out" || note_fail "resume kept a damaged or misplaced point: $(tail -1 "$work/out")"
"$mmsim" merge "$work/resumed" -q || note_fail "merge after resume"
cmp -s "$work/whole/sweep.csv" "$work/resumed/sweep.csv" || note_fail "resumed sweep.csv differs"

[[ $fail -eq 0 ]] && echo "sweep OUTDIR: refused, claimed once, resumed exactly"
exit $fail
