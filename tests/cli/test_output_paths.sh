#!/usr/bin/env bash
# Paths that are not what a command needs are named for what they are, with exit 2, before any work:
# - `report` given a directory, a device or a FIFO says so (it said "no such file");
# - `run -o` naming a directory, a name ending in '/', or a file under a regular file, and `sweep -o` naming a
#   regular file, are refused before the simulation (they were found only after it, with exit 1), and nothing
#   is left behind.
source "$2/tests/cli/lib.sh"
cfg="$root/configs/reference/illness_death.toml"

expect() {  # expect FRAGMENT ARGS...: exit 2 within 20 s, FRAGMENT on stderr
  local frag=$1
  shift
  timeout 20 "$mmsim" "$@" >"$work/stdout" 2>"$work/stderr" </dev/null
  local code=$?
  if [[ $code -ne 2 ]]; then echo "FAIL '$*': exit $code, expected 2"; fail=1; fi
  if ! grep -qF -- "$frag" "$work/stderr"; then
    echo "FAIL '$*': message lacks '$frag'; got: $(cat "$work/stderr")"; fail=1
  fi
}

mkdir "$work/folder"
mkfifo "$work/pipe.h5"
expect "cannot read $work/folder: it is a directory" report "$work/folder"
expect "cannot read /dev/zero: it is a character device" report /dev/zero
expect "cannot read $work/pipe.h5: it is a FIFO (named pipe)" report "$work/pipe.h5"
expect "cannot read $work/none.h5: it does not exist" report "$work/none.h5"

# 10^6 patients would take seconds: the refusal comes first.
expect "$work/folder: error: cannot write the output there: it is a directory" \
  run "$cfg" -o "$work/folder" --patients 1000000 -q
expect "$work/new/: error: the output names a folder, not a file" run "$cfg" -o "$work/new/" --patients 1000000 -q
expect "$work/pipe.h5: error: cannot write the output there: it is a FIFO (named pipe)" \
  run "$cfg" -o "$work/pipe.h5" --patients 1000000 -q
printf 'precious\n' >"$work/plain"
expect "cannot write there: $work/plain is a regular file, not a folder" \
  run "$cfg" -o "$work/plain/sub/out.h5" --patients 1000000 -q
[[ -z "$(ls -A "$work/folder")" ]] || { echo "FAIL: output left in the folder: $(ls -A "$work/folder")"; fail=1; }
[[ -e "$work/new" ]] && { echo "FAIL: $work/new was created"; fail=1; }
[[ "$(cat "$work/plain")" == precious ]] || { echo "FAIL: $work/plain was changed"; fail=1; }

sweep="$root/configs/sweeps/illness_death_grid.toml"
expect "$work/plain: error: cannot write the output folder there: it is a regular file" sweep "$sweep" -o "$work/plain" -q
mkdir -p "$work/outdir/sweep.csv"
expect "$work/outdir/sweep.csv: error: cannot write the output there: it is a directory" \
  sweep "$sweep" -o "$work/outdir" -q
[[ "$(ls -A "$work/outdir")" == sweep.csv ]] || { echo "FAIL: the sweep wrote into $work/outdir: $(ls -A "$work/outdir")"; fail=1; }

[[ $fail -eq 0 ]] && echo "output and input paths: every non-file named and refused before any work"
exit $fail
