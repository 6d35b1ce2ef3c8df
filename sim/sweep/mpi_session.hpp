#pragma once
// MPI for a sweep's ranks: initialized only when an MPI launcher started this process, so a plain run never
// touches MPI (and a build without MPI behaves as one rank). MPI is initialized on construction and finalized
// on destruction; one session per process.
#include <optional>

#include "sim/sweep/environment.hpp"
#include "sim/sweep/sharding.hpp"

namespace mmsim::sweep {

// True when the variables of an MPI launcher are set: OpenMPI's mpirun (OMPI_COMM_WORLD_SIZE) or a PMIx
// launcher such as srun --mpi=pmix (PMIX_RANK).
bool launched_by_mpi(const Environment& env);

class MpiSession {
 public:
  explicit MpiSession(const Environment& env);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  // With several ranks, shard rank of size (a single rank defers to SLURM or runs everything).
  std::optional<ShardId> shard() const;
  // True on every rank when every rank passed true (waits for all ranks); `ok` itself without MPI.
  bool all(bool ok) const;

 private:
  bool active_ = false;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace mmsim::sweep
