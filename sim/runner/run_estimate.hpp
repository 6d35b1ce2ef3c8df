#pragma once
// What a run will need, estimated before it starts (`mmsim run` refuses up front rather than failing hours
// in): the run file's size, the spill space and the peak memory of the chosen output mode, from a pilot of a
// few patients simulated and compressed exactly as the run will (the pilot's draws are those of the run's
// first patients; nothing is written). docs/performance.md, "Memory and statistics", gives the formulas.
#include <cstdint>
#include <filesystem>
#include <optional>

#include "sim/core/model.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/runner/pilot_rows.hpp"

namespace mmsim {

struct RunEstimate {
  std::uint64_t output_bytes = 0;     // the run file
  std::uint64_t columns_bytes = 0;    // the statistics' columns (strategies x columns x patients)
  std::uint64_t stats_memory = 0;     // peak memory of the statistics computed in memory
  std::uint64_t spill_bytes = 0;      // disk for spilled columns and one endpoint's sorted runs
  std::uint64_t spilled_memory = 0;   // peak memory of the statistics computed from disk
  std::uint64_t pipeline_memory = 0;  // blocks in flight, independent of the cohort size
  bool spill = false;  // the statistics do not fit the memory budget in memory: computed from disk
  // EstimateDetail::bound: output_bytes and pipeline_memory are upper bounds of the exact estimate's (the
  // pilot's rows counted uncompressed); every other field is the exact estimate's.
  bool upper_bound = false;
  std::uint64_t peak_memory() const;  // of the process, on the path chosen
  std::uint64_t statistics_memory() const { return spill ? spilled_memory : stats_memory; }
};

// exact: the pilot's rows are compressed as the run compresses them (what --estimate and the refusals print).
// bound: the pilot is simulated but not compressed, and each table counts at its raw size plus a checksum (a
// stored chunk is never larger: the encoder keeps the deflated bytes only when they are smaller), which is
// all a run needs when the disk plainly holds it: deflating the pilot cost 198 M instructions of the
// flagship's 3000-patient default run (docs/performance.md, "session 11").
enum class EstimateDetail { exact, bound };

// `statistics`: whether the run computes its end-of-run statistics (not --no-summary). The budget bounds the
// statistics' memory (the pipeline's is small and independent of the cohort size).
// `keep`: when not null, receives the pilot's rows (none when nothing is written), for the run to append
// instead of simulating its first patients again (RunOptions::pilot).
RunEstimate estimate_run(const Model& model, const RunOptions& options, bool statistics,
                         std::uint64_t memory_budget, EstimateDetail detail = EstimateDetail::exact,
                         PilotRows* keep = nullptr);

// Default memory budget: a quarter of the machine's physical memory (docs/performance.md).
std::uint64_t default_memory_budget();
// Patients per sorted run for a budget (16 bytes each while sorted, half the budget at most).
std::size_t run_patients_for(std::uint64_t memory_budget);
// Bytes free for an unprivileged user in the file system holding `folder` (its nearest existing ancestor).
std::optional<std::uint64_t> free_disk_bytes(const std::filesystem::path& folder);

}  // namespace mmsim
