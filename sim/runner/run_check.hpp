#pragma once
// What `mmsim run` does with its estimate (run_estimate.hpp) before it starts: refuse a run the disk or the
// memory budget cannot hold, naming the figures and the options that would fit, or describe the estimate
// (`--estimate`).
#include <cstdint>
#include <filesystem>
#include <string>

#include "sim/core/model.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/runner/run_estimate.hpp"

namespace mmsim {

// Throws InputError (exit 2, nothing written) when the file system holding `folder` cannot hold the run
// file plus the spill files, or the budget cannot hold the statistics even from disk; the message gives the
// figures and the other modes (and --no-summary, --memory) that would fit.
void check_run_fits(const Model& model, const RunOptions& options, bool statistics, std::uint64_t budget,
                    const RunEstimate& need, const std::filesystem::path& folder);

// The estimate as `mmsim run --estimate` prints it.
std::string describe_estimate(const RunOptions& options, bool statistics, std::uint64_t budget,
                              const RunEstimate& need, const std::filesystem::path& folder);

// Bytes as a person reads them: "812.0 MiB", "27.9 GiB".
std::string format_size(std::uint64_t bytes);

}  // namespace mmsim
