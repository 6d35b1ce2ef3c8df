#include "sim/runner/run_estimate.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "sim/io/chunk_encoding.hpp"

namespace mmsim {
namespace {

// Bytes per patient held by one arm of the in-memory statistics (kaplan_meier_with_rows and the influence
// vectors of report.cpp): the columns' copy (9), sorted records (16, and 16 of radix scratch), each
// patient's row (4), the curve's table (72 a distinct time, about one a patient for continuous times) and
// two influence vectors (16). Measured peaks agree within 15% (docs/performance.md).
constexpr double kArmBytesPerPatient = 9 + 32 + 4 + 72 + 16;
constexpr std::uint64_t kBaseMemory = 64ull << 20;  // the process before it simulates (HDF5, TBB, model)

}  // namespace

std::uint64_t RunEstimate::peak_memory() const {
  return pipeline_memory + (spill ? spilled_memory : stats_memory);
}

std::uint64_t default_memory_budget() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 4ull << 30;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) / 4;
}

std::size_t run_patients_for(std::uint64_t memory_budget) {
  const std::uint64_t n = memory_budget / 2 / 16;
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(n, 1, std::uint64_t{1} << 24));
}

std::optional<std::uint64_t> free_disk_bytes(const std::filesystem::path& folder) {
  std::filesystem::path p = folder.empty() ? std::filesystem::path(".") : folder;
  std::error_code ec;
  while (!std::filesystem::exists(p, ec) && p.has_parent_path() && p != p.parent_path()) p = p.parent_path();
  struct statvfs s {};
  if (::statvfs(p.c_str(), &s) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(s.f_bavail) * static_cast<std::uint64_t>(s.f_frsize);
}

RunEstimate estimate_run(const Model& model, const RunOptions& opt, bool statistics,
                         std::uint64_t memory_budget, EstimateDetail detail, PilotRows* keep) {
  const OutputSchema& schema = model.schema();
  const std::size_t n_s = model.strategies().size();
  const double patients = static_cast<double>(opt.patients);
  const bool trajectories = opt.mode == OutputMode::trajectories;
  const bool rows = opt.mode != OutputMode::summary_only;

  // Pilot: the first patients of the run, every strategy, compressed as the run compresses them. A run that
  // writes no rows needs no pilot (its file and rows in flight are nothing per patient).
  const std::size_t pilot = static_cast<std::size_t>(std::min<std::uint64_t>(opt.patients, 1024));
  const bool exact = detail == EstimateDetail::exact;
  // The bytes a table's pilot chunk is stored in: encoded, or (bound) its raw bytes and checksum, which no
  // encoding exceeds.
  auto stored = [&](const TableBuffer& table, std::size_t row_size, const io::ChunkSpec& spec) {
    if (!exact) return static_cast<double>(table.size_bytes() + io::kChecksumBytes);
    return static_cast<double>(io::encode_chunk(table.data(), table.rows(), row_size, spec).bytes.size());
  };
  PilotRows simulated(schema, rows ? n_s : 0, opt.seed, opt.domain, trajectories);
  // Each strategy's pilot on a thread of the run's count (strategies fill separate buffers; a patient is a
  // pure function of its key): it is serial work before the run, 0.34 G instructions of the flagship's.
  // Each table's stored and raw bytes are kept and summed afterwards in the serial loop's order.
  struct TableBytes {
    double stored, raw;
  };
  std::vector<std::vector<TableBytes>> table_bytes(n_s);
  auto pilot_strategy = [&](std::size_t s) {
    for (std::size_t i = 0; i < pilot; ++i) {
      PatientSink sink = simulated.sink(s);
      model.simulate(s, StreamKey{opt.seed, opt.domain, i, 0, 0}, sink);
      simulated.end_patient(s);
    }
    const TableBuffer& pt = simulated.patients(s);
    const std::vector<TableBuffer>& tt = simulated.trajectories(s);
    const io::ChunkSpec spec{std::max<std::size_t>(pilot, 1), opt.deflate_level};
    table_bytes[s].push_back(
        {stored(pt, schema.patients.row_size(), spec), static_cast<double>(pt.size_bytes())});
    for (std::size_t t = 0; trajectories && t < tt.size(); ++t) {
      if (tt[t].rows() == 0) continue;
      const io::ChunkSpec ts{tt[t].rows(), opt.deflate_level};
      table_bytes[s].push_back(
          {stored(tt[t], schema.trajectories[t].row_size(), ts), static_cast<double>(tt[t].size_bytes())});
    }
  };
  if (rows && n_s > 0) {
    const int workers = opt.threads == 0 ? tbb::info::default_concurrency() : static_cast<int>(opt.threads);
    tbb::task_arena arena(workers);
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_s, 1),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t s = r.begin(); s < r.end(); ++s) pilot_strategy(s);
                        });
    });
  }
  double file_bytes = 0.0, raw_bytes = 0.0;
  for (const std::vector<TableBytes>& strategy : table_bytes) {
    for (const TableBytes& b : strategy) {
      file_bytes += b.stored;
      raw_bytes += b.raw;
    }
  }
  const double per_patient_file = pilot == 0 ? 0.0 : file_bytes / static_cast<double>(pilot);
  const double per_patient_raw = pilot == 0 ? 0.0 : raw_bytes / static_cast<double>(pilot);

  if (keep != nullptr) *keep = std::move(simulated);

  RunEstimate e;
  e.upper_bound = !exact;
  // 5% for chunk indexes and the B-trees, 64 KiB for attributes, the config and the summaries.
  e.output_bytes = static_cast<std::uint64_t>(per_patient_file * patients * 1.05) + (64ull << 10);
  // Blocks in flight: 4 per thread, each with its raw rows and their compressed copy.
  const unsigned threads =
      opt.threads == 0 ? std::max(1u, static_cast<unsigned>(::sysconf(_SC_NPROCESSORS_ONLN))) : opt.threads;
  const double block_patients = static_cast<double>(std::min<std::uint64_t>(opt.block_size, opt.patients));
  e.pipeline_memory = kBaseMemory + static_cast<std::uint64_t>(4.0 * threads * block_patients *
                                                               (per_patient_raw + per_patient_file) * 1.5);
  if (!statistics) return e;

  const double n_ep = static_cast<double>(schema.endpoints.size());
  const double n_out = static_cast<double>(schema.outcomes.size());
  e.columns_bytes = static_cast<std::uint64_t>(static_cast<double>(n_s) * patients * (9.0 * n_ep + n_out));
  // In memory: the columns, plus the arms computed at once (endpoints and strategies run in parallel).
  const double arms = std::min<double>(n_ep * static_cast<double>(n_s) + (n_s > 1 ? n_ep : 0.0),
                                       static_cast<double>(threads) + 1.0);
  e.stats_memory =
      e.columns_bytes + static_cast<std::uint64_t>(std::max(arms, 1.0) * patients * kArmBytesPerPatient);
  // From disk: one sorted run being built and its chunk read, the merge's buffers; comparisons hold two arms.
  const double run =
      static_cast<double>(std::min<std::uint64_t>(run_patients_for(memory_budget), opt.patients));
  const double runs = std::ceil(patients / std::max(run, 1.0));
  e.spilled_memory = static_cast<std::uint64_t>(run * (16.0 + 9.0) + runs * 256.0 * 1024.0 +
                                                (n_s > 1 ? 2.0 * patients * kArmBytesPerPatient : 0.0));
  e.spill_bytes = e.columns_bytes + static_cast<std::uint64_t>(patients * 8.0);
  e.spill = e.stats_memory > memory_budget;
  return e;
}

}  // namespace mmsim
