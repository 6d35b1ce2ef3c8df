#!/usr/bin/env bash
# Every malformed config under tests/data/bad_configs/ must: exit with code 2; print each "# expect:" fragment
# of the file, plus the file's name with a line number; write no output file (not even a temporary one); and
# leave an output file that already existed byte for byte as it was.
source "$2/tests/cli/lib.sh"
dir="$root/tests/data/bad_configs"
cases=0
for cfg in "$dir"/*.toml; do
  name=$(basename "$cfg" .toml)
  [[ "$name" == *_b ]] && continue  # helper files of multi-file cases
  cases=$((cases + 1))
  out="$work/$name/out.h5"
  mkdir -p "$work/$name"
  "$mmsim" run "$cfg" -o "$out" --patients 10 -q >"$work/$name/stdout" 2>"$work/$name/stderr"
  code=$?
  err=$(cat "$work/$name/stderr")
  if [[ $code -ne 2 ]]; then echo "FAIL $name: exit code $code, expected 2"; fail=1; fi
  while IFS= read -r line; do
    frag=${line#\# expect: }
    if ! grep -qF -- "$frag" "$work/$name/stderr"; then
      echo "FAIL $name: message lacks '$frag'"; echo "  got: $err"; fail=1
    fi
  done < <(grep '^# expect: ' "$cfg")
  if [[ "$name" != empty ]] && ! grep -qE -- "\.toml:[0-9]+:[0-9]+: error" "$work/$name/stderr"; then
    echo "FAIL $name: message does not name the file (and line)"; echo "  got: $err"; fail=1
  fi
  if [[ -n "$(ls -A "$work/$name" | grep -vE '^(stdout|stderr)$')" ]]; then
    echo "FAIL $name: output left behind: $(ls "$work/$name")"; fail=1
  fi
  # mmsim check must reject it the same way.
  "$mmsim" check "$cfg" >/dev/null 2>&1
  [[ $? -eq 2 ]] || { echo "FAIL $name: 'mmsim check' did not exit 2"; fail=1; }
done

# A failed run never touches a file the user already has.
printf 'precious results\n' >"$work/existing.h5"
cp "$work/existing.h5" "$work/existing.copy"
"$mmsim" run "$dir/wrong_type.toml" -o "$work/existing.h5" -q 2>/dev/null
cmp -s "$work/existing.h5" "$work/existing.copy" || { echo "FAIL: an existing output file was modified"; fail=1; }

[[ $cases -ge 15 ]] || { echo "FAIL: only $cases bad-config cases"; fail=1; }
echo "bad configs: $cases cases checked"
exit $fail
