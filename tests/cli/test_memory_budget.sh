#!/usr/bin/env bash
# Statistics above the memory budget (issue 13, items 1 and 2):
#   * with --memory small enough that the columns spill to disk, the report (json, every field), the stored
#     summaries (`mmsim report --format json` on the file) and the stored curves for figures (every dataset
#     of /strategies/<name>/summary, km_steps included) are identical to the in-memory run's, for the
#     reference model and the two-strategy model (comparisons too), in the default and --no-trajectories modes;
#   * --estimate prints the figures without writing anything; the spill folder never outlives the run;
#   * a budget the statistics cannot fit even from disk, and a --memory that is not a size, exit 2 with a
#     message naming the option and the figures, and write nothing.
source "$2/tests/cli/lib.sh"

# Budgets below each model's in-memory statistics (about 5.4 MiB and 8.7 MiB at 20000 patients, 2 threads)
# and above its statistics from disk (0.8 MiB and 6 MiB: the comparisons hold two arms).
for spec in "configs/reference/illness_death.toml 3M" "tests/data/report/two_strategies.toml 7M"; do
  read -r rel budget <<<"$spec"
  cfg="$root/$rel"
  for mode in "" --no-trajectories; do
    name=$(basename "$cfg" .toml)$mode
    "$mmsim" run "$cfg" --patients 20000 --seed 3 --threads 2 $mode -o "$work/mem.h5" --format json \
      >"$work/mem.out" 2>"$work/err" || { cat "$work/err"; note_fail "$name: in-memory run"; continue; }
    "$mmsim" run "$cfg" --patients 20000 --seed 3 --threads 2 $mode -o "$work/disk.h5" --format json \
      --memory "$budget" >"$work/disk.out" 2>"$work/err" || { cat "$work/err"; note_fail "$name: spilled run"; continue; }
    "$mmsim" run "$cfg" --patients 20000 $mode --threads 2 --memory "$budget" --estimate -o "$work/disk.h5" >"$work/estimate" ||
      note_fail "$name: --estimate"
    grep -q "from disk" "$work/estimate" || note_fail "$name: $budget should spill: $(cat "$work/estimate")"
    # The spilled run stores the figures' curves too (built from the merged runs): every summary dataset,
    # km_steps, km_risk and km_censor_marks included, equals the in-memory run's.
    for s in $(h5ls "$work/mem.h5/strategies" | awk '{print $1}'); do
      h5ls "$work/disk.h5/strategies/$s/summary/km_steps" >/dev/null 2>&1 || note_fail "$name: no km_steps for $s"
      cmp -s <(h5dump -g "/strategies/$s/summary" "$work/mem.h5" | tail -n +2) \
        <(h5dump -g "/strategies/$s/summary" "$work/disk.h5" | tail -n +2) ||
        note_fail "$name: the spilled run's stored summaries of $s (curves included) differ from the in-memory ones"
    done
    cmp -s <(head -n -1 "$work/mem.out") <(head -n -1 "$work/disk.out") ||
      note_fail "$name: the spilled run's report differs from the in-memory one"
    "$mmsim" report "$work/mem.h5" --format json >"$work/mem.json" && "$mmsim" report "$work/disk.h5" --format json \
      >"$work/disk.json" || note_fail "$name: report"
    cmp -s "$work/mem.json" "$work/disk.json" || note_fail "$name: the stored files' reports differ"
    if ls -A "$work" | grep -q '^\.mmsim-'; then note_fail "$name: a temporary was left: $(ls -A "$work")"; fi
  done
done

# --estimate writes nothing.
rm -f "$work/new.h5"
"$mmsim" run "$root/configs/reference/illness_death.toml" --patients 1000000000 --estimate -o "$work/new.h5" \
  >"$work/estimate" || note_fail "--estimate at 10^9"
grep -q "run file" "$work/estimate" && grep -q "peak memory" "$work/estimate" || note_fail "estimate: $(cat "$work/estimate")"
[[ -e "$work/new.h5" ]] && note_fail "--estimate wrote the output"

# Refusals: exit 2, the option named, nothing written.
expect_refusal() {  # expect_refusal FRAGMENT ARGS...
  local frag=$1
  shift
  "$mmsim" run "$root/tests/data/report/two_strategies.toml" -o "$work/refused.h5" "$@" >"$work/out" 2>"$work/err"
  local code=$?
  [[ $code -eq 2 ]] || note_fail "'$*': exit $code, expected 2: $(cat "$work/err")"
  grep -qF -- "$frag" "$work/err" || note_fail "'$*': message lacks '$frag': $(cat "$work/err")"
  [[ -e "$work/refused.h5" ]] && note_fail "'$*': wrote the output"
  if ls -A "$work" | grep -q '^\.mmsim-'; then note_fail "'$*': a temporary was left"; fi
}
expect_refusal "give --memory" --patients 20000 --memory 100K
expect_refusal "--no-summary" --patients 20000 --memory 100K
expect_refusal "is not a size" --memory lots
expect_refusal "is not a size" --memory 0
exit $fail
