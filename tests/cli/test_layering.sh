#!/usr/bin/env bash
# The include graph follows the layers of docs/architecture.md. Link scoping hides HDF5 and MPI from a model
# (their headers sit outside /usr/include; tests/layering/ proves it), but not TBB's nor the tree's own
# headers, so this reads every #include under sim/ and models/:
#   base   sim/{core,random,dist,config}  includes only the base;
#   models models/<m>/ and sim/multistate  include only the base and their own folder;
#   engine the rest of sim/ but cli        includes no model and nothing of sim/cli;
#   cli    sim/cli, sim/main.cpp           includes no model, except the registry (sim/cli/model_registry.cpp);
# and the base and the models include no HDF5, TBB, MPI, NLopt, OpenMP or thread header.
# It first runs on a planted tree and must flag exactly the planted violations, so it cannot pass vacuously.
set -u
root=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

base='core|random|dist|config'
no_parallel_io='^(hdf5\.h|H5[A-Za-z0-9_]*\.h|hdf5/.*|oneapi/.*|tbb/.*|mpi\.h|mpi\.hpp|mpi/.*|boost/mpi.*|nlopt.*|omp\.h|boost/thread.*|thread|mutex|shared_mutex|future|condition_variable|atomic|semaphore|barrier|latch|stop_token|execution)$'

# violations TREE: prints "file:line: #include <header> (rule)" for every include its file's layer forbids.
violations() {
  local tree=$1 f allow deny deny_system n text quote header path
  while IFS= read -r f; do
    allow='^(sim|models)/'  # project includes a layer may name (extended regex over the tree-relative path)
    deny='^models/|^sim/multistate/'
    deny_system='^$'
    case $f in
      sim/cli/model_registry.cpp) deny='^$' ;;
      sim/core/* | sim/random/* | sim/dist/* | sim/config/*)
        allow="^sim/($base)/"
        deny_system=$no_parallel_io
        ;;
      sim/multistate/*)
        allow="^sim/($base|multistate)/"
        deny='^$'
        deny_system=$no_parallel_io
        ;;
      models/*)
        allow="^(sim/($base)/|models/$(cut -d/ -f2 <<<"$f")/)"
        deny='^$'
        deny_system=$no_parallel_io
        ;;
      sim/cli/* | sim/main.cpp) ;;
      sim/*) deny='^models/|^sim/multistate/|^sim/cli/' ;;
    esac
    n=0
    while IFS= read -r text; do
      n=$((n + 1))
      [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*([<\"])([^>\"]+) ]] || continue
      quote=${BASH_REMATCH[1]}
      header=${BASH_REMATCH[2]}
      if [[ $header =~ $deny_system ]]; then
        echo "$f:$n: #include $header (this layer knows nothing of threads, HDF5, MPI or NLopt)"
        continue
      fi
      path=$header
      if [[ $quote == '"' && ! $header =~ ^(sim|models)/ ]]; then
        path=$(realpath -m --relative-to="$tree" "$tree/$(dirname "$f")/$header")  # a relative include
      fi
      [[ $path =~ ^(sim|models)/ ]] || continue  # a system or third-party header
      if [[ ! $path =~ $allow || $path =~ $deny ]]; then
        echo "$f:$n: #include $header (not a layer this file may use)"
      fi
    done <"$tree/$f"
  done < <(cd "$tree" && find sim models -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.in' \) |
    LC_ALL=C sort)
}

# --- the checker flags exactly what is planted ----------------------------------------------------------
plant() {  # plant FILE LINES...
  mkdir -p "$work/tree/$(dirname "$1")"
  local f=$1
  shift
  printf '%s\n' "$@" >"$work/tree/$f"
}
plant models/toy/src/good.cpp '#include "models/toy/src/good.hpp"' '#include "good.hpp"' '#include <fmt/format.h>' \
  '#include "sim/core/model.hpp"' '#include "sim/config/table_reader.hpp"' '#include <cmath>' '#include <vector>'
plant models/toy/src/tbb.cpp '#include <oneapi/tbb/parallel_for.h>' '  #  include <tbb/tbb.h>'
plant models/toy/src/hdf5.hpp '#include <hdf5.h>' '#include "H5Ppublic.h"' '#include <mpi.h>' '#include <nlopt.h>'
plant models/toy/src/engine.cpp '#include "sim/runner/cohort_runner.hpp"' '#include "sim/io/run_file.hpp"' \
  '#include "../../../sim/report/report.hpp"' '#include <sim/stats/cox.hpp>'
plant models/toy/src/other.cpp '#include "models/myeloma/myeloma_model.hpp"' '#include "sim/multistate/x.hpp"'
plant models/toy/src/threads.cpp '#include <thread>' '#include <atomic>'
plant sim/multistate/spec.cpp '#include "sim/multistate/spec.hpp"' '#include "sim/dist/time_laws.hpp"' \
  '#include <oneapi/tbb/info.h>'
plant sim/dist/laws.cpp '#include "sim/random/stream.hpp"' '#include "sim/io/run_file.hpp"' '#include <oneapi/tbb/info.h>'
plant sim/report/report.cpp '#include <oneapi/tbb/parallel_for.h>' '#include "sim/stats/cox.hpp"' \
  '#include "models/myeloma/myeloma_model.hpp"' '#include "sim/cli/options.hpp"'
plant sim/cli/model_registry.cpp '#include "models/myeloma/myeloma_model.hpp"' '#include "sim/multistate/x.hpp"'
plant sim/cli/run_command.cpp '#include "sim/runner/cohort_runner.hpp"' '#include <hdf5.h>' \
  '#include "models/myeloma/myeloma_model.hpp"'
violations "$work/tree" | cut -d' ' -f1 >"$work/flagged"
printf '%s\n' models/toy/src/engine.cpp:{1,2,3,4}: models/toy/src/hdf5.hpp:{1,2,3,4}: \
  models/toy/src/other.cpp:{1,2}: models/toy/src/tbb.cpp:{1,2}: models/toy/src/threads.cpp:{1,2}: \
  sim/cli/run_command.cpp:3: sim/dist/laws.cpp:{2,3}: sim/multistate/spec.cpp:3: \
  sim/report/report.cpp:{3,4}: >"$work/expected"
if ! diff "$work/expected" "$work/flagged" >"$work/diff"; then
  echo "FAIL: the checker does not flag exactly the planted violations (< missed, > wrongly flagged):"
  cat "$work/diff"
  exit 1
fi

# --- the tree ------------------------------------------------------------------------------------------
violations "$root" >"$work/found"
if [[ -s $work/found ]]; then
  echo "FAIL: includes that cross the layers (docs/architecture.md):"
  cat "$work/found"
  exit 1
fi
echo "ok: $(cd "$root" && find sim models -type f \( -name '*.cpp' -o -name '*.hpp' \) | wc -l) files keep to their layers"
