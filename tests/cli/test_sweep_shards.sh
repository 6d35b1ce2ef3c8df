#!/usr/bin/env bash
# Sweeps without a cluster: --list; sharded runs (N = 1, 3, 7) merge to results bit-identical to an unsharded
# run; merge names a missing or partial shard; a killed sweep resumes to the same result; a changed sweep into
# an old OUTDIR is refused; bad sweep files are located errors (exit 2).
source "$2/tests/cli/lib.sh"
source "$root/tests/cli/sweep_lib.sh"
sweeps="$root/tests/data/sweeps"

# --list prints every point without running anything.
"$mmsim" sweep "$sweeps/psa.toml" --list >"$work/list" || note_fail "--list failed"
[[ $(grep -cE '^[0-9]+\s' "$work/list") -eq 12 ]] || note_fail "--list did not print 12 points"

for s in psa oneway lhs; do
  "$mmsim" sweep "$sweeps/$s.toml" -o "$work/$s-1" -q --threads 2 || note_fail "$s: unsharded run failed"
  for n in 3 7; do
    for ((k = 0; k < n; k++)); do
      "$mmsim" sweep "$sweeps/$s.toml" -o "$work/$s-$n" --shard "$k/$n" -q --threads 1 || note_fail "$s: shard $k/$n"
    done
    "$mmsim" merge "$work/$s-$n" -q || note_fail "$s: merge of $n shards failed"
    same_sweep "$work/$s-1/sweep.h5" "$work/$s-$n/sweep.h5" || note_fail "$s: $n shards differ from unsharded"
    cmp -s "$work/$s-1/sweep.csv" "$work/$s-$n/sweep.csv" || note_fail "$s: sweep.csv of $n shards differs"
  done
done
# Sum-to-one group kept: p_high_risk varies, the others are rescaled (checked through the design table).
head -1 "$work/psa-1/sweep.csv" | grep -q '^point,replicate,hr_new_drug,' || note_fail "sweep.csv header"

# Merge with a shard missing, then with only a temporary (partial) file of it: both named.
rm "$work/psa-3/shards/shard-1-of-3.h5"
"$mmsim" merge "$work/psa-3" 2>"$work/err"; code=$?
[[ $code -eq 2 ]] && grep -q "shard 1/3 is missing" "$work/err" || { note_fail "missing shard not named"; cat "$work/err"; }
# The temporary folder of a killed writer (AtomicOutput's .mmsim-<host>-<pid>-XXXXXX, of a pid now dead).
true &
dead=$!
wait "$dead"
stale="$work/psa-3/shards/.mmsim-$(hostname | tr -- '-./' '___')-$dead-AbC123"
mkdir -p "$stale" && touch "$stale/shard-1-of-3.h5"
"$mmsim" merge "$work/psa-3" 2>"$work/err"
grep -q "shard 1/3 is partial" "$work/err" || { note_fail "partial shard not named"; cat "$work/err"; }
# Re-running the shard resumes from its point files (nothing recomputed) and completes the merge.
"$mmsim" sweep "$sweeps/psa.toml" -o "$work/psa-3" --shard 1/3 >"$work/out" || note_fail "shard re-run failed"
grep -q "0 point(s) run, 4 already complete" "$work/out" || { note_fail "resume recomputed points"; cat "$work/out"; }
[[ ! -e "$stale" ]] || note_fail "stale temporary folder left"
"$mmsim" merge "$work/psa-3" -q && same_sweep "$work/psa-1/sweep.h5" "$work/psa-3/sweep.h5" || note_fail "re-merge"

# A killed sweep resumes to the same result as an uninterrupted one.
big="$work/big.toml"
sed -e 's/^samples = 12/samples = 24/' -e 's/^patients = 600/patients = 20000/' \
    -e "s|^base = \"two_arm.toml\"|base = \"$sweeps/two_arm.toml\"|" "$sweeps/psa.toml" >"$big"
"$mmsim" sweep "$big" -o "$work/killed" --threads 1 -q &
pid=$!
for ((i = 0; i < 300; i++)); do
  [[ $(ls "$work/killed/shards/points" 2>/dev/null | grep -c '^point-[0-9]*\.h5$') -ge 3 ]] && break
  sleep 0.05
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
done_before=$(ls "$work/killed/shards/points" | grep -c '^point-[0-9]*\.h5$')
[[ $done_before -ge 3 && $done_before -lt 24 ]] || note_fail "kill came at the wrong time ($done_before points done)"
[[ ! -e "$work/killed/sweep.h5" ]] || note_fail "a killed sweep left sweep.h5"
"$mmsim" sweep "$big" -o "$work/killed" --threads 2 >"$work/out" || note_fail "resume failed"
grep -q "already complete" "$work/out" || note_fail "resume did not skip completed points"
"$mmsim" sweep "$big" -o "$work/whole" --threads 2 -q || note_fail "uninterrupted run failed"
same_sweep "$work/whole/sweep.h5" "$work/killed/sweep.h5" || note_fail "resumed sweep differs from uninterrupted"
echo "killed after $done_before of 24 points, resumed"

# A changed sweep (or cohort size) into an old OUTDIR is refused, and nothing there is touched.
cp "$work/whole/sweep.h5" "$work/before.h5"
"$mmsim" sweep "$big" -o "$work/whole" --patients 100 -q 2>"$work/err"; code=$?
[[ $code -eq 2 ]] && grep -q "holds the results of a different sweep" "$work/err" || { note_fail "changed sweep accepted"; cat "$work/err"; }
cmp -s "$work/before.h5" "$work/whole/sweep.h5" || note_fail "a refused sweep modified sweep.h5"

# Bad shard specifications and stepped SLURM arrays are refused.
"$mmsim" sweep "$sweeps/psa.toml" -o "$work/x" --shard 3/3 -q 2>/dev/null; [[ $? -eq 2 ]] || note_fail "--shard 3/3 accepted"
SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=4 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_STEP=2 \
  "$mmsim" sweep "$sweeps/psa.toml" -o "$work/x" -q 2>"$work/err"
grep -q "stepped" "$work/err" || note_fail "stepped array accepted"
SLURM_ARRAY_TASK_ID=11 SLURM_ARRAY_TASK_MIN=10 SLURM_ARRAY_TASK_MAX=12 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_STEP=1 \
  "$mmsim" sweep "$sweeps/psa.toml" -o "$work/slurmenv" -q || note_fail "SLURM array env"
[[ -e "$work/slurmenv/shards/shard-1-of-3.h5" && ! -e "$work/slurmenv/sweep.h5" ]] || note_fail "SLURM env: wrong shard"

# Bad sweep files: exit 2, the expected message, the sweep file's name with a line number.
cases=0
for f in "$root"/tests/data/bad_sweeps/*.toml; do
  cases=$((cases + 1))
  "$mmsim" sweep "$f" -o "$work/bad" -q >/dev/null 2>"$work/err"; code=$?
  [[ $code -eq 2 ]] || note_fail "$(basename "$f"): exit $code"
  while IFS= read -r line; do
    grep -qF -- "${line#\# expect: }" "$work/err" || { note_fail "$(basename "$f"): lacks '${line#\# expect: }'"; cat "$work/err"; }
  done < <(grep '^# expect: ' "$f")
  grep -qE "$(basename "$f"):[0-9]+:[0-9]+: error" "$work/err" || { note_fail "$(basename "$f"): no file:line"; cat "$work/err"; }
done
[[ ! -e "$work/bad/sweep.h5" ]] || note_fail "a bad sweep wrote results"
echo "bad sweeps: $cases cases"
exit $fail
