#!/usr/bin/env bash
# Includes that cannot be static test data (a symbolic link, a FIFO, generated chains) and config files that are
# not files: each ends at once in exit 2 with a message saying what is wrong, never in a hang. Before, a link
# back to its own folder (`loop -> .`, a file including `loop/q.toml` twice) made `check` run with memory
# growing, because cycles were found by comparing path strings; a FIFO was "not found".
source "$2/tests/cli/lib.sh"

expect() {  # expect FRAGMENT CONFIG: `mmsim check CONFIG` exits 2 within 20 s with FRAGMENT on stderr
  local frag=$1 cfg=$2
  timeout 20 "$mmsim" check "$cfg" >"$work/stdout" 2>"$work/stderr" </dev/null
  local code=$?
  if [[ $code -ne 2 ]]; then echo "FAIL $cfg: exit $code, expected 2 (124: it hung)"; fail=1; fi
  if ! grep -qF -- "$frag" "$work/stderr"; then
    echo "FAIL $cfg: message lacks '$frag'; got: $(head -c 2000 "$work/stderr")"; fail=1
  fi
}

# A symbolic link to its own folder: loop/q.toml and loop/loop/q.toml are one file.
mkdir "$work/loop_case"
ln -s . "$work/loop_case/loop"
printf 'schema_version = 1\ninclude = ["loop/q.toml", "loop/q.toml"]\n' >"$work/loop_case/q.toml"
printf 'model = "multistate"\ninclude = ["loop/q.toml"]\n' >"$work/loop_case/main.toml"
expect "include cycle: $work/loop_case/main.toml -> $work/loop_case/loop/q.toml -> $work/loop_case/loop/loop/q.toml" \
  "$work/loop_case/main.toml"

# A chain of 20 files, each including the next: deeper than the limit of 16.
mkdir "$work/deep"
for i in $(seq 0 19); do printf 'schema_version = 1\ninclude = ["f%d.toml"]\n' $((i + 1)) >"$work/deep/f$i.toml"; done
printf 'schema_version = 1\n' >"$work/deep/f20.toml"
printf 'model = "multistate"\ninclude = ["f0.toml"]\n' >"$work/deep/main.toml"
expect "f15.toml:2:12: error: include[0]: includes nested more than 16 deep (the limit) at $work/deep/f16.toml" \
  "$work/deep/main.toml"

# A diamond 30 levels deep (each file includes the next twice): 2^30 includes without the count limit.
mkdir "$work/wide"
for i in $(seq 0 14); do
  printf 'schema_version = 1\ninclude = ["g%d.toml", "g%d.toml"]\n' $((i + 1)) $((i + 1)) >"$work/wide/g$i.toml"
done
printf 'schema_version = 1\n' >"$work/wide/g15.toml"
printf 'model = "multistate"\ninclude = ["g0.toml"]\n' >"$work/wide/main.toml"
expect "more than 256 files included in all (the limit" "$work/wide/main.toml"

# A FIFO, included or given as the config: refused by name, without opening it for a writer that never comes.
mkfifo "$work/pipe.toml"
printf 'model = "multistate"\ninclude = ["pipe.toml"]\n' >"$work/include_fifo.toml"
expect "include[0]: $work/pipe.toml is not a config file: it is a FIFO (named pipe)" "$work/include_fifo.toml"
expect "$work/pipe.toml: error: not a config file: it is a FIFO (named pipe)" "$work/pipe.toml"
# A directory and a device given as the config.
expect "$work: error: not a config file: it is a directory" "$work"
expect "/dev/zero: error: not a config file: it is a character device" /dev/zero
expect "no_such.toml: error: config file not found" "$work/no_such.toml"

# Legitimate layouts still load: the reference model's body in an included parameter file, included twice
# (a diamond, not a cycle), and through a link to its folder.
mkdir "$work/ok"
{ echo "schema_version = 1"; grep -v '^model' "$root/configs/reference/illness_death.toml"; } >"$work/ok/body.toml"
ln -s . "$work/ok/same"
printf 'model = "multistate"\ninclude = ["body.toml", "same/body.toml"]\n' >"$work/ok/main.toml"
"$mmsim" check "$work/ok/main.toml" >"$work/stdout" 2>&1 || { echo "FAIL: a valid include layout: $(cat "$work/stdout")"; fail=1; }

[[ $fail -eq 0 ]] && echo "includes and non-files: all refused by name"
exit $fail
