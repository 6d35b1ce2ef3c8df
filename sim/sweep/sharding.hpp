#pragma once
// Which points of a sweep this task runs: shard K of N holds the points p with p mod N = K. The shard comes
// from --shard, else from the MPI rank (under an MPI launcher with several ranks), else from a SLURM job
// array's variables, else the task runs the whole sweep.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep/environment.hpp"

namespace mmsim::sweep {

struct ShardId {
  std::uint64_t k = 0, n = 1;
};

// "K/N" with 0 <= K < N; throws InputError naming `what` otherwise.
ShardId parse_shard(const std::string& text, const std::string& what);

// The points of `shard`, in order.
std::vector<std::uint64_t> shard_points(std::uint64_t total_points, ShardId shard);

// Inside a SLURM job array (SLURM_ARRAY_TASK_ID set and not empty): K = task id - the array's minimum, N =
// the array's task count. Nothing outside a job array. Throws InputError when a variable is not a decimal
// number, when the minimum or the count is missing, when the array is stepped or has gaps (K would not be
// task id - min), or when the task id lies outside the array.
std::optional<ShardId> slurm_shard(const Environment& env);

enum class ShardSource { whole_sweep, option, mpi, slurm };

struct ShardAssignment {
  ShardId shard;
  ShardSource source = ShardSource::whole_sweep;
};

// --shard first, then the MPI ranks' shard (when there are several ranks), then a SLURM array, else the whole
// sweep as shard 0 of 1.
ShardAssignment assign_shard(std::optional<ShardId> option, std::optional<ShardId> mpi,
                             const Environment& env);

// The prefix of a task's progress lines: "[shard 1/3 from the SLURM array]", "[shard 0/1]".
std::string shard_tag(const ShardAssignment& assignment);

}  // namespace mmsim::sweep
