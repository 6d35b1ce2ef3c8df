#include "sim/sweep/mpi_session.hpp"

#ifdef MMSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace mmsim::sweep {

bool launched_by_mpi(const Environment& env) {
  return env("OMPI_COMM_WORLD_SIZE").has_value() || env("PMIX_RANK").has_value();
}

MpiSession::MpiSession(const Environment& env) {
#ifdef MMSIM_HAVE_MPI
  if (!launched_by_mpi(env)) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
#else
  (void)env;
#endif
}

MpiSession::~MpiSession() {
#ifdef MMSIM_HAVE_MPI
  if (active_) MPI_Finalize();
#endif
}

std::optional<ShardId> MpiSession::shard() const {
  if (!active_ || size_ <= 1) return std::nullopt;
  return ShardId{static_cast<std::uint64_t>(rank_), static_cast<std::uint64_t>(size_)};
}

bool MpiSession::all(bool ok) const {
#ifdef MMSIM_HAVE_MPI
  if (active_) {
    int mine = ok ? 1 : 0, every = 0;
    MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return every == 1;
  }
#endif
  return ok;
}

}  // namespace mmsim::sweep
