#!/usr/bin/env bash
# scripts/install_deps.sh --cluster installs every program the test suite calls: each program below must come
# from a package it lists or one of their dependencies (installed without recommends), or from a package of
# priority "required" (present in every Debian root, even debootstrap's minbase). On a fresh Debian 12 root,
# `ip` (tests/cli/test_sweep_mpi.sh) was missing: iproute2 is "important", not "required", and nothing listed
# pulled it in; `git` (scripts/test.sh's style check, the build's revision) was missing too. Needs dpkg.
set -u
root=$2
fail=0
command -v dpkg-query >/dev/null || { echo "FAIL: not a Debian system (no dpkg-query)"; exit 1; }

programs=(
  # scripts/test.sh, scripts/build.sh, CMake
  git clang-format cmake ctest make g++ pkg-config clang++
  # tests/cli/*.sh and the unit tests' external checks
  bash timeout mktemp mkfifo dd od cmp grep sed awk seq nproc date getent h5dump Rscript /usr/bin/python3
  # test_sweep_mpi.sh
  mpirun unshare ip
  # test_sweep_slurm.sh (and scripts/slurm_submit_sweep.sh)
  munged slurmctld slurmd sbatch squeue sinfo setpriv mount hostname chown
)

listed=$(bash "$root/scripts/install_deps.sh" --cluster --list) || { echo "FAIL: install_deps.sh --list"; exit 1; }
# Every package installed by the listed ones: the closure over Depends and Pre-Depends of the installed
# packages (a virtual name resolves to the packages that provide it), plus every "required" package.
closure=$(dpkg-query -W -f='${Package}\t${Priority}\t${Depends}, ${Pre-Depends}\t${Provides}\n' | awk -F'\t' -v start="$listed" '
  function clean(x) { gsub(/\([^)]*\)/, "", x); gsub(/:any|[ ]/, "", x); return x }
  {
    deps[$1] = $3
    if ($2 == "required") keep[$1] = 1
    n = split($4, pv, ",")
    for (i = 1; i <= n; i++) { v = clean(pv[i]); if (v != "") providers[v] = providers[v] " " $1 }
  }
  END {
    n = split(start, queue, "\n"); head = 1
    while (head <= n) {
      p = queue[head++]
      if (p == "" || (p in keep) && keep[p] == 2) continue
      if (!(p in deps)) {  # virtual: its providers
        m = split(providers[p], alt, " "); for (i = 1; i <= m; i++) queue[++n] = alt[i]; continue
      }
      keep[p] = 2
      m = split(deps[p], d, ",")
      for (i = 1; i <= m; i++) { split(d[i], choice, "|"); c = clean(choice[1]); if (c != "") queue[++n] = c }
    }
    for (p in keep) print p
  }')
allowed=" $(echo $closure) "

# The owner of each program, from one dpkg query (it reads every package's file list): its path, and the path
# behind /etc/alternatives, each with and without /usr (the /usr merge).
declare -A path_of
candidates=()
for prog in "${programs[@]}"; do
  path=$(command -v "$prog") || { echo "FAIL: $prog is not installed (install_deps.sh --cluster should install it)"; fail=1; continue; }
  real=$(readlink -f "$path")
  path_of[$prog]="$real $path ${real#/usr} ${path#/usr}"
  candidates+=($real $path ${real#/usr} ${path#/usr})
done
declare -A owner_of
while IFS= read -r line; do
  [[ "$line" == diversion* || "$line" != *": "* ]] && continue
  owner_of[${line#*: }]=${line%%: *}
done < <(dpkg-query -S "${candidates[@]}" 2>/dev/null)

for prog in "${!path_of[@]}"; do
  pkg=""
  for f in ${path_of[$prog]}; do [[ -n "${owner_of[$f]:-}" ]] && { pkg=${owner_of[$f]}; break; }; done
  [[ -n "$pkg" ]] || { echo "FAIL: $prog belongs to no package"; fail=1; continue; }
  pkg=${pkg%%,*}
  pkg=${pkg%%:*}
  [[ "$allowed" == *" $pkg "* ]] && continue
  echo "FAIL: $prog comes from $pkg, which install_deps.sh --cluster does not install (nor is it required)"
  fail=1
done
[[ $fail -eq 0 ]] && echo "install_deps.sh --cluster covers all ${#programs[@]} programs the tests call"
exit $fail
