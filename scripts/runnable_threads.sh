#!/usr/bin/env bash
# Runs a command and prints, on stderr, how many of its threads were runnable on average:
#   scripts/runnable_threads.sh COMMAND [ARGS...]      ->  "runnable threads 1.93 (wall 12.1 s)"
# A thread is runnable while it runs or waits in the kernel's run queue for a core (/proc/PID/task/TID/schedstat:
# run time + wait time), so the figure is the number of cores the command would keep busy on an idle machine,
# whatever the load of this one; wall time on a loaded machine says little about that. Sampled every 0.1 s,
# so threads living less than that are missed; a TBB worker spinning before it sleeps counts as runnable, so the
# figure is an upper bound on the cores the command keeps usefully busy.
set -uo pipefail
"$@" &
pid=$!
declare -A seen
t0=$(date +%s.%N)
while kill -0 "$pid" 2>/dev/null; do
  for f in /proc/"$pid"/task/*/schedstat; do
    read -r run wait _ <"$f" 2>/dev/null || continue
    seen[$f]=$((run + wait))
  done
  sleep 0.1
done
wait "$pid"
rc=$?
t1=$(date +%s.%N)
total=0
for v in "${seen[@]}"; do total=$((total + v)); done
awk -v ns="$total" -v a="$t0" -v b="$t1" 'BEGIN { w = b - a; printf "runnable threads %.2f (wall %.1f s)\n", ns / 1e9 / w, w }' >&2
exit "$rc"
