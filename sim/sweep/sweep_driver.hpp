#pragma once
// `mmsim sweep` once its options are parsed: reads the sweep file, picks this task's shard (--shard, MPI
// ranks, a SLURM array; sim/sweep/sharding.hpp), runs the shard's points that are not complete yet into the
// output directory (resuming a killed run), and merges the shards when this task ran the whole sweep or is
// rank 0 of an MPI run whose ranks all succeeded. Or, with `list`, prints the design's points.
#include <cstdint>
#include <filesystem>
#include <optional>

#include "sim/sweep/environment.hpp"
#include "sim/sweep/point_runner.hpp"
#include "sim/sweep/sharding.hpp"

namespace mmsim::sweep {

struct SweepRequest {
  std::filesystem::path sweep_file;
  bool list = false;                      // print the points (of the shard, if any) and run nothing
  std::filesystem::path output;           // OUTDIR (unused with list)
  std::optional<ShardId> shard;           // --shard
  std::optional<std::uint64_t> patients;  // overrides the sweep's and the base scenario's cohort size
  unsigned threads = 0;                   // per process, 0: all cores
  bool trajectories = false;              // also write every point's run files to OUTDIR/points/
  bool quiet = false;                     // no progress lines
};

// Under MPI every rank calls it and every rank returns or throws: a failure on one rank is rethrown there,
// and rank 0 then refuses to merge (std::runtime_error). Throws InputError for a bad sweep or environment.
void run_sweep(const SweepRequest& request, const ScenarioBuilder& build,
               const Environment& env = process_environment());

}  // namespace mmsim::sweep
