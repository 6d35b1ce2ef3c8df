#pragma once
// The summaries a run prints and stores beside its trajectories.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/model.hpp"
#include "sim/io/run_file.hpp"
#include "sim/runner/cohort_runner.hpp"

namespace mmsim::cli {

struct EndpointSummary {
  std::uint64_t n = 0;  // patients for whom the endpoint is defined
  std::uint64_t events = 0;
};

struct RunSummary {
  std::vector<std::vector<EndpointSummary>> endpoints;  // [strategy][endpoint]
};

RunSummary summarize_run(const Model& model, const RunOutcome& outcome, io::RunFileWriter& writer);
void write_run_summary(io::RunFileWriter& writer, const Model& model, const RunSummary& summary);
std::string format_run_summary(const Model& model, const RunSummary& summary);

}  // namespace mmsim::cli
